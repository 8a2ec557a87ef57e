"""Good collaboration practices: /pratiques (the list) and /pratiques/<id> (one practice), each
linked to its initiatives on the map (``?service=<id>`` opens the initiative's detail)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from maillage_dash.content import components
from maillage_dash.content import model as content
from maillage_dash.content.model import Document
from maillage_dash.i18n import fmt_date, t
from maillage_dash.links import href
from maillage_dash.routing import Page, PageContext


def initiative_links(doc: Document, ctx: PageContext) -> html.Ul:
    """One link per initiative to the map with its detail open; a missing one says so, never breaks."""
    items = []
    for sid in doc.meta.get("initiatives", []):
        rec = ctx.directory.by_id(sid)
        if rec is None:
            items.append(
                html.Li([html.Code(sid), " — ", t("practices.initiative_missing", ctx.lang)], className="text-body-secondary")
            )
            continue
        items.append(
            html.Li(
                [
                    dcc.Link(str(rec["nom"]), href=href("", ctx.state, ctx.lang, service=sid), className="initiative-link"),
                    html.Span(f" — {rec['organisme']}", className="small"),
                ]
            )
        )
    return html.Ul(items, className="mb-2")


def facts(doc: Document, ctx: PageContext) -> html.Dl:
    rows = [
        (t("practices.sectors", ctx.lang), components.sector_links(doc.meta.get("secteurs", []), ctx.state, ctx.lang) or "—"),
        (t("practices.regions", ctx.lang), components.region_list(doc.meta.get("regions", [])) or "—"),
    ]
    items: list[Any] = []
    for label, value in rows:
        items += [html.Dt(label, className="col-sm-3"), html.Dd(value, className="col-sm-9 mb-1")]
    return html.Dl(items, className="row small mb-2")


def practice_list(ctx: PageContext) -> Any:
    data = content.shipped()
    lang, state = ctx.lang, ctx.state
    cards = []
    for doc in data.practices_in(lang):
        cards.append(
            html.Li(
                dbc.Card(
                    dbc.CardBody(
                        [
                            html.H2(dcc.Link(doc.title, href=href(f"pratiques/{doc.key}", state, lang)), className="h5"),
                            html.P(doc.summary),
                            facts(doc, ctx),
                            html.H3(t("practices.on_map", lang), className="h6"),
                            initiative_links(doc, ctx),
                        ]
                    ),
                    className="h-100",
                ),
                className="col",
            )
        )
    return html.Div(
        [
            components.breadcrumb(
                [(t("sheets.nav", lang), href("fiches", state, lang)), (t("practices.title", lang), None)], lang
            ),
            html.H1(t("practices.title", lang), className="h3"),
            html.P(t("practices.intro", lang), className="lead"),
            components.problems_box([p for p in data.problems if p.file.startswith("data/pratiques/")], lang),
            html.Ul(cards, className="row row-cols-1 row-cols-lg-2 g-3 list-unstyled")
            if cards
            else html.P(t("practices.none", lang), className="alert alert-secondary"),
        ]
    )


def practice(ctx: PageContext, slug: str) -> Any:
    data = content.shipped()
    lang, state = ctx.lang, ctx.state
    doc = data.practice(slug, lang)
    files = [f"data/pratiques/{slug}.{lg}.md" for lg in ("fr", "en")]
    crumbs = [(t("sheets.nav", lang), href("fiches", state, lang)), (t("practices.title", lang), href("pratiques", state, lang))]
    if doc is None:
        other = data.practice(slug, "en" if lang == "fr" else "fr")
        return html.Div(
            [
                components.breadcrumb(crumbs + [(slug[:60], None)], lang),
                html.H1(t("practices.not_found", lang), className="h3"),
                components.problems_box(data.problems_of(*files), lang, open_=True),
                html.P(components.other_language(slug, "pratiques", state, lang)) if other else None,
                dcc.Link(t("practices.back", lang), href=href("pratiques", state, lang)),
            ]
        )
    return html.Div(
        [
            components.breadcrumb(crumbs + [(doc.title, None)], lang),
            html.H1(doc.title, className="h3"),
            html.P(doc.summary, className="lead"),
            components.problems_box(data.problems_of(*files), lang),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            facts(doc, ctx),
                            html.H2(t("practices.on_map", lang), className="h6"),
                            initiative_links(doc, ctx),
                            components.toc(doc, lang),
                        ],
                        lg=4,
                        className="mb-3",
                    ),
                    dbc.Col(
                        components.sections(doc)
                        + [
                            components.sources(doc, lang),
                            html.P(
                                t("content.reviewed", lang, date=fmt_date(doc.reviewed, lang)),
                                className="small text-body-secondary",
                            ),
                        ],
                        lg=8,
                    ),
                ]
            ),
            dcc.Store(id=components.SCROLL_STORE),
        ],
        id=components.BODY_ID,
        className="content-page",
    )


def render(ctx: PageContext) -> Any:
    body = practice(ctx, ctx.path[0]) if ctx.path else practice_list(ctx)
    return html.Div([body, components.sync_store()])


PAGE = Page(path="pratiques", title_key="practices.title", render=render, nav=False, nav_parent="fiches")
