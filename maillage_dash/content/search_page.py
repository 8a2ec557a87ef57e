"""/recherche?q=… — one search over services and initiatives, practice sheets and practices.

The query is the shared filter state's text (``q`` in the address, the map's "search" box), so the
services found here are exactly the ones the map shows with the same filters. The page renders the
results of the address at once; the search box then updates them (and the address) without reloading.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import Dash, Input, Output, State, dcc, html, no_update

from maillage_dash import filters
from maillage_dash.config import Settings
from maillage_dash.content import components, search
from maillage_dash.content import model as content
from maillage_dash.directory import Directory
from maillage_dash.events import state_from_store
from maillage_dash.i18n import count_text, fmt_int, t
from maillage_dash.ids import ID
from maillage_dash.links import href
from maillage_dash.routing import Page, PageContext

BOX = "srch-q"
GO = "srch-go"
RESULTS = "srch-results"


def _snippet(hit: search.Hit) -> html.P:
    parts: list[Any] = ["… "] if hit.cut_before else []
    for i, (token, matched) in enumerate(hit.snippet):
        if i:
            parts.append(" ")
        parts.append(html.Mark(token) if matched else token)
    if hit.cut_after:
        parts.append(" …")
    return html.P(parts, className="small mb-0 snippet")


def _group(title: str, hits: list[search.Hit], link, total: int, lang: str, more: Any = None) -> html.Section:
    items = []
    for hit in hits:
        where = [html.Span(" — " + hit.section_title, className="small")] if hit.section_title else []
        items.append(
            html.Li(
                [
                    html.Div([dcc.Link(hit.title, href=link(hit), className="fw-semibold")] + where),
                    html.P(hit.subtitle, className="small text-body-secondary mb-0")
                    if hit.subtitle and hit.kind == "service"
                    else None,
                    _snippet(hit) if hit.snippet else None,
                ],
                className="mb-2",
            )
        )
    body: list[Any] = [html.H2(f"{title} ({fmt_int(total, lang)})", className="h5")]
    body.append(
        html.Ul(items, className="list-unstyled result-list") if items else html.P(t("search.none_here", lang), className="small")
    )
    if more is not None:
        body.append(more)
    return html.Section(body, className="mb-3 result-group")


def _refusal(query: Any, lang: str) -> Any:
    """A clear message for input that cannot be searched (empty, too long, no words); None otherwise."""
    if query.problem == "empty":
        return html.P(t("search.empty", lang), className="text-body-secondary")
    if query.problem == "too_long":
        return html.P(
            t("search.too_long", lang, n=fmt_int(len(query.raw), lang), max=fmt_int(search.MAX_QUERY_LENGTH, lang)),
            className="alert alert-warning",
            role="alert",
        )
    if query.problem == "no_words":
        return html.P(t("search.no_words", lang), className="alert alert-warning", role="alert")
    return None


def _narrowed_note(state: filters.FilterState, text: str, lang: str) -> Any:
    """Says which filters narrowed the results, with a link to the same search without them."""
    narrowed = replace(state, text="")
    if narrowed.is_empty():
        return None
    unset = {t("filters.any", lang), t("filters.any_m", lang)}
    shown = [(label, value) for label, value in filters.describe(narrowed, lang)[:4] if value not in unset]
    described = "; ".join(f"{label} : {value}" if lang == "fr" else f"{label}: {value}" for label, value in shown)
    return html.P(
        [
            t("search.filtered", lang, filters=described) + " ",
            dcc.Link(t("search.unfiltered", lang), href=href("recherche", filters.FilterState(text=text), lang)),
        ],
        className="small alert alert-info",
    )


def results_view(results: search.Results, state: filters.FilterState, lang: str) -> list[Any]:
    """The results, grouped by kind, or a clear message for input that cannot be searched."""
    query = results.query
    message = _refusal(query, lang)
    if message is not None:
        return [message]
    out: list[Any] = []
    summary = [count_text("search.summary", results.total, lang), *components.quoted(query.text, lang)]
    out.append(html.P(summary, id="srch-summary"))
    if results.total == 0:
        out.append(html.P(t("search.nothing", lang), className="alert alert-secondary"))
    narrowed = _narrowed_note(state, query.text, lang)
    if narrowed is not None:
        out.append(narrowed)
    service_state = replace(state, text=query.text)
    more = None
    if results.services_total > len(results.services):
        more = dcc.Link(
            t("search.more_services", lang, n=fmt_int(results.services_total, lang)), href=href("", service_state, lang)
        )
    out.append(
        _group(
            t("search.services", lang),
            results.services,
            lambda h: href("", service_state, lang, service=h.key),
            results.services_total,
            lang,
            more,
        )
    )
    out.append(
        _group(
            t("search.sheets", lang),
            results.sheets,
            lambda h: href(f"fiches/{h.key}", service_state, lang) + (f"#{h.section}" if h.section else ""),
            len(results.sheets),
            lang,
        )
    )
    out.append(
        _group(
            t("search.practices", lang),
            results.practices,
            lambda h: href(f"pratiques/{h.key}", service_state, lang) + (f"#{h.section}" if h.section else ""),
            len(results.practices),
            lang,
        )
    )
    return out


def render(ctx: PageContext) -> Any:
    lang, state = ctx.lang, ctx.state
    raw = ctx.param("q", "") or ""
    results = search.search(content.shipped(), ctx.directory, state, raw, lang)
    return html.Div(
        [
            html.H1(t("search.title", lang), className="h3 mt-3"),
            html.P(t("search.intro", lang)),
            html.Div(
                [
                    html.Label(t("search.label", lang), htmlFor=BOX, className="form-label"),
                    html.Div(
                        [
                            dcc.Input(
                                id=BOX,
                                type="search",
                                value=raw[: search.MAX_QUERY_LENGTH * 3],
                                placeholder=t("search.placeholder", lang),
                                className="form-control",
                                autoComplete="off",
                                debounce=False,
                                n_submit=0,
                            ),
                            html.Button(t("search.go", lang), id=GO, className="btn btn-primary", n_clicks=0, type="button"),
                        ],
                        className="input-group",
                    ),
                    html.P(t("search.help", lang), className="form-text small"),
                ],
                className="search-box mb-3",
                role="search",
            ),
            html.Div(results_view(results, state, lang), id=RESULTS, **{"aria-live": "polite"}),
            components.sync_store(),
        ]
    )


def register(app: Dash, directory: Directory, settings: Settings) -> None:
    def on_search(_clicks: Any, _submits: Any, value: Any, store: dict[str, Any] | None) -> tuple[Any, Any, Any]:
        state, lang = state_from_store(store)
        results = search.search(content.shipped(), directory, state, value, lang)
        view = results_view(results, state, lang)
        if results.query.problem == "too_long":
            return view, no_update, no_update
        new_state = replace(state, text=results.query.text)
        query = filters.to_query(new_state, lang)
        other = filters.to_query(new_state, "en" if lang == "fr" else "fr")
        if store and store.get("query") == query:
            return view, no_update, other
        return view, {**(store or {}), "query": query, "lang": lang, "fresh": False}, other

    app.callback(
        Output(RESULTS, "children"),
        Output(ID.STATE, "data", allow_duplicate=True),
        Output(ID.LANG_LINK, "href", allow_duplicate=True),
        Input(GO, "n_clicks"),
        Input(BOX, "n_submit"),
        State(BOX, "value"),
        State(ID.STATE, "data"),
        prevent_initial_call=True,
    )(on_search)


PAGE = Page(path="recherche", title_key="search.title", nav_key="search.nav", render=render, register=register)
