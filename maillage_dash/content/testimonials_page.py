"""Testimonials: real people's words, added by a coordinator as files in data/temoignages/ (format in
data/temoignages/README.md). Until one is added, the page explains how, step by step."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from maillage_dash import schema
from maillage_dash.content import components
from maillage_dash.content import model as content
from maillage_dash.content.model import Document
from maillage_dash.i18n import fmt_date, t
from maillage_dash.links import href
from maillage_dash.routing import Page, PageContext

TEMPLATE = """---
role_auteur: "…"
secteur: communautaire
region: "13"
date: 2027-03-15
langue: fr
consentement:
  obtenu: oui
  comment: "…"
source: ""
---

…"""


def testimonial(doc: Document, ctx: PageContext) -> html.Figure:
    lang = ctx.lang
    meta = doc.meta
    caption: list[Any] = [html.Strong(meta.get("role") or "—")]
    if meta.get("signature"):
        caption += [" (", meta["signature"], ")"]
    if meta.get("secteur"):
        caption += [
            ", ",
            dcc.Link(schema.sector_label(meta["secteur"], lang), href=href(f"fiches/{meta['secteur']}", ctx.state, lang)),
        ]
    if meta.get("region"):
        caption += [", ", schema.region_label(meta["region"])]
    caption += [" — ", fmt_date(doc.reviewed, lang)]
    if meta.get("source"):
        caption += [html.Br(), t("testimonials.source", lang, source=meta["source"])]
    note = t("testimonials.original_language", lang) if doc.lang != lang else None
    return html.Figure(
        [
            html.Blockquote(
                [html.P(p.strip()) for p in doc.intro.split("\n\n") if p.strip()]
                if meta.get("plain")
                else components.markdown(doc.intro, doc.lang),
                className="blockquote",
                lang=doc.lang,
            ),
            html.Figcaption(caption + ([html.Br(), html.Em(note)] if note else []), className="blockquote-footer mt-2"),
        ],
        className="testimonial card card-body",
        id=f"temoignage-{doc.key}",
    )


def empty_state(lang: str) -> html.Section:
    steps = [html.Li(t(f"testimonials.step{i}", lang)) for i in range(1, 5)]
    return html.Section(
        [
            html.H2(t("testimonials.empty_title", lang), className="h5"),
            html.P(t("testimonials.empty_text", lang)),
            html.H3(t("testimonials.how_title", lang), className="h6"),
            html.Ol(steps),
            html.P(t("testimonials.format", lang), className="small mb-1"),
            html.Pre(html.Code(TEMPLATE), className="template small"),
            html.P(t("testimonials.withdraw", lang), className="small mb-0"),
        ],
        className="card card-body empty-state",
        id="temoignages-empty",
    )


def render(ctx: PageContext) -> Any:
    data = content.shipped()
    lang, state = ctx.lang, ctx.state
    shown = [testimonial(doc, ctx) for doc in content.all_testimonials(getattr(ctx.directory, "store", None))]
    return html.Div(
        [
            components.breadcrumb(
                [(t("sheets.nav", lang), href("fiches", state, lang)), (t("testimonials.title", lang), None)], lang
            ),
            html.H1(t("testimonials.title", lang), className="h3"),
            html.P(t("testimonials.intro", lang), className="lead"),
            html.P(t("testimonials.principles", lang)),
            html.P(dcc.Link(t("testimonials.share", lang), href=f"/temoigner?lang={lang}", refresh=True), className="no-print"),
            components.problems_box([p for p in data.problems if p.file.startswith("data/temoignages/")], lang),
            html.Div(shown, className="d-grid gap-3") if shown else empty_state(lang),
            components.sync_store(),
        ]
    )


PAGE = Page(path="temoignages", title_key="testimonials.title", render=render, nav=False, nav_parent="fiches")
