"""Practice sheets by sector: /fiches (the list, with links to practices and testimonials) and
/fiches/<sector> (one sheet: table of contents, sections, sources, services of the sector on the map)."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Dash, Input, Output, dcc, html

from maillage_dash import filters, schema
from maillage_dash.config import Settings
from maillage_dash.content import components
from maillage_dash.content import model as content
from maillage_dash.directory import Directory
from maillage_dash.i18n import fmt_date, fmt_int, t
from maillage_dash.ids import ID
from maillage_dash.links import href
from maillage_dash.routing import Page, PageContext

log = logging.getLogger(__name__)


def sheet_list(ctx: PageContext) -> Any:
    data = content.shipped()
    lang, state = ctx.lang, ctx.state
    cards = []
    for term in schema.SECTORS:
        doc = data.sheet(term.code, lang)
        link = href(f"fiches/{term.code}", state, lang)
        if doc is None:
            body = [html.H2(dcc.Link(term.label(lang), href=link), className="h5"), html.P(t("content.sheet_unavailable", lang))]
        else:
            body = [
                html.H2(dcc.Link(doc.title, href=link), className="h5"),
                html.P(doc.summary, className="mb-1"),
                html.P(
                    t("content.reviewed", lang, date=fmt_date(doc.reviewed, lang)), className="small text-body-secondary mb-0"
                ),
            ]
        cards.append(html.Li(dbc.Card(dbc.CardBody(body), className="h-100"), className="col"))
    n_practices = len(data.practices_in(lang))
    return html.Div(
        [
            html.H1(t("sheets.title", lang), className="h3 mt-3"),
            html.P(t("sheets.intro", lang), className="lead"),
            html.P(t("content.disclaimer.short", lang), className="small"),
            components.problems_box(data.problems, lang),
            html.Ul(cards, className="row row-cols-1 row-cols-md-2 row-cols-xl-3 g-3 list-unstyled sheet-cards"),
            html.Section(
                [
                    html.H2(t("sheets.more", lang), className="h5"),
                    html.Ul(
                        [
                            html.Li(
                                [
                                    dcc.Link(t("practices.title", lang), href=href("pratiques", state, lang)),
                                    f" ({fmt_int(n_practices, lang)})",
                                ]
                            ),
                            html.Li(dcc.Link(t("testimonials.title", lang), href=href("temoignages", state, lang))),
                            html.Li(dcc.Link(t("search.title", lang), href=href("recherche", state, lang))),
                        ]
                    ),
                ],
                className="mt-4",
            ),
        ]
    )


def _told_label(doc: Any) -> str:
    role = doc.meta.get("role") or "—"
    return f"{role} ({schema.region_label(doc.meta['region'])})" if doc.meta.get("region") else role


def sheet(ctx: PageContext, sector: str) -> Any:
    data = content.shipped()
    lang, state = ctx.lang, ctx.state
    if sector not in schema.SECTOR_LABELS:
        return html.Div(
            [
                html.H1(t("content.sheet_not_found", lang), className="h3 mt-3"),
                html.P([t("content.sheet_not_found_text", lang), *components.quoted(sector[:40], lang), "."]),
                dcc.Link(t("sheets.back", lang), href=href("fiches", state, lang)),
            ]
        )
    doc = data.sheet(sector, lang)
    label = schema.sector_label(sector, lang)
    crumbs = components.breadcrumb(
        [(t("sheets.nav", lang), href("fiches", state, lang)), (doc.title if doc else label, None)], lang
    )
    files = [f"data/fiches/{sector}.{lg}.md" for lg in ("fr", "en")]
    problems = components.problems_box(data.problems_of(*files), lang, open_=doc is None)
    if doc is None:
        other = data.sheet(sector, "en" if lang == "fr" else "fr")
        return html.Div(
            [
                crumbs,
                html.H1(label, className="h3"),
                html.P(t("content.sheet_unavailable", lang)),
                problems,
                html.P(components.other_language(sector, "fiches", state, lang)) if other else None,
            ]
        )
    sector_state = replace(state, sectors=(sector,))
    n_services = int(filters.mask(ctx.directory, sector_state).sum())
    practices = [p for p in data.practices_in(lang) if sector in p.meta.get("secteurs", [])]
    aside = [
        html.H2(t("content.on_map", lang), className="h6 mt-3"),
        html.P(
            dcc.Link(
                t("content.sector_services", lang, plural=n_services, n=fmt_int(n_services, lang), sector=label),
                href=href("", sector_state, lang),
            )
        ),
    ]
    if practices:
        aside += [
            html.H2(t("content.related_practices", lang), className="h6 mt-3"),
            html.Ul(
                [html.Li(dcc.Link(p.title, href=href(f"pratiques/{p.key}", state, lang))) for p in practices], className="small"
            ),
        ]
    told = [d for d in content.all_testimonials(getattr(ctx.directory, "store", None)) if d.meta.get("secteur") == sector]
    if told:
        aside += [
            html.H2(t("content.sector_testimonials", lang, n=len(told)), className="h6 mt-3"),
            html.Ul(
                [
                    html.Li(
                        dcc.Link(
                            _told_label(d),
                            href=href("temoignages", state, lang) + f"#temoignage-{d.key}",
                        )
                    )
                    for d in told[:5]
                ],
                className="small",
            ),
        ]
    return html.Div(
        [
            crumbs,
            html.H1(doc.title, className="h3"),
            html.P(doc.summary, className="lead"),
            components.disclaimer(doc, lang),
            problems,
            dbc.Row(
                [
                    dbc.Col([components.toc(doc, lang), html.Div(aside, className="no-print")], lg=3, className="mb-3"),
                    dbc.Col(components.sections(doc) + [components.sources(doc, lang)], lg=9),
                ]
            ),
            dcc.Store(id=components.SCROLL_STORE),
        ],
        id=components.BODY_ID,
        className="content-page",
    )


def render(ctx: PageContext) -> Any:
    body = sheet(ctx, ctx.path[0]) if ctx.path else sheet_list(ctx)
    return html.Div([body, components.sync_store()])


def register(app: Dash, directory: Directory, settings: Settings) -> None:
    # Read the content once, at start-up; problems are shown on the pages and logged here.
    data = content.shipped()
    # The ids as a plain array: a set made from the pandas index read its 100,000 ids one at a time.
    ids = directory.services.index.to_numpy(dtype=object)
    problems = data.problems + content.check_initiatives(data, ids, ", ".join(directory.files) or "—")
    if problems:
        log.warning("%s", content.report(problems, settings.default_lang))
    app.clientside_callback(
        ClientsideFunction("maillage", "sheetAddress"),
        Output(components.SYNC_STORE, "data"),
        Input(ID.STATE, "data"),
    )
    # After a sheet or practice is rendered, scroll to the #section of the address (links from search).
    app.clientside_callback(
        ClientsideFunction("maillage", "scrollToHash"),
        Output(components.SCROLL_STORE, "data"),
        Input(components.BODY_ID, "children"),
    )


PAGE = Page(path="fiches", title_key="sheets.title", nav_key="sheets.nav", render=render, register=register)
