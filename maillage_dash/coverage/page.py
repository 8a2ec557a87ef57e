"""/couverture — coverage gaps for concertation committees: the region × type matrix (heatmap and
table), a map of the gap for one type, accessibility (straight-line distances), sources and caveats.

It reacts to the shared filter panel; its own controls (year, measure, type shown on the map and in
the accessibility tables) stay on the page. The same numbers are downloadable (CSV, JSON) and
come from :mod:`maillage_dash.coverage`, like the command line's ``coverage``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html, no_update
from flask import Response, request

from maillage_dash import schema
from maillage_dash.config import Settings
from maillage_dash.coverage import export as coverage_export
from maillage_dash.coverage import figures as figs
from maillage_dash.coverage import model as coverage
from maillage_dash.coverage import population
from maillage_dash.coverage import tables as tables
from maillage_dash.coverage.accessibility import CATCHMENT_KM
from maillage_dash.coverage.ids import CovID
from maillage_dash.coverage.model import SHARE_RADIUS_KM
from maillage_dash.directory import Directory
from maillage_dash.events import state_from_store, triggered_id
from maillage_dash.filters import FilterState, from_query
from maillage_dash.geo import ATTRIBUTION_EN, ATTRIBUTION_FR
from maillage_dash.i18n import norm_lang, t
from maillage_dash.ids import ID
from maillage_dash.links import href
from maillage_dash.routing import Page, PageContext
from maillage_dash.ui.filter_panel import filter_panel, summary_box

EXPORT_ROUTE = "/export/couverture.<fmt>"
# Keeps the address bar in step with the filters, the year and the measure (replaceState: no reload,
# no history entries), and sets the document's language and title. The shared callback that does
# this on the map page writes to the map page's share button, so it does not run here.


def export_href(fmt: str, query: str, year: int) -> str:
    return f"/export/couverture.{fmt}{query or '?'}&{urlencode({'annee': year})}"


@dataclass
class CoverageView:
    """The page's callback bodies, as plain functions of plain values."""

    directory: Directory

    @property
    def analysis(self) -> coverage.Analysis:
        return coverage.analysis(self.directory)

    def link(self, state: FilterState, lang: str, year: int | None = None) -> Any:
        """Links to the region profiles, with the filters, the language and a year other than the latest."""
        extra = {"annee": year} if year and year != self.analysis.population.latest else {}
        return lambda code: href(f"region/{code}", state, lang, **extra)

    def default_type(self, state: FilterState) -> str:
        return state.types[0] if state.types else schema.SERVICE_TYPES[0].code

    # ----------------------------------------------------------------- pieces
    def population_note(self, result: coverage.Coverage, lang: str) -> Any:
        parts: list[Any] = [
            html.P(
                t(
                    "coverage.population_used",
                    lang,
                    group=result.choice.group.label(lang),
                    year=result.year.label(lang),
                    n=result.matching,
                ),
                className="mb-1",
            )
        ]
        note = result.choice.note(lang)
        if note:
            parts.append(html.P(note, className="mb-1 fw-semibold"))
        if result.year.projected:
            parts.append(html.P(t("population.caveat_year_projection", lang, year=result.year.year), className="mb-0 small"))
        return parts

    def matrix(self, state: FilterState, lang: str, year: Any, measure: str, presentation: bool = False) -> tuple[Any, ...]:
        result = self.analysis.coverage(state, year)
        figure = figs.heatmap_plain(result, measure, lang, presentation=presentation)  # heatmap_figure's JSON, sooner
        table = tables.matrix_table(result, lang, self.link(state, lang, result.year.year))
        from maillage_dash.filters import to_query

        query = to_query(state, lang)
        return (
            self.population_note(result, lang),
            figure,
            table,
            export_href("csv", query, result.year.year),
            export_href("json", query, result.year.year),
        )

    def gap_map(self, state: FilterState, lang: str, year: Any, type_code: Any) -> Any:
        code = type_code if isinstance(type_code, str) and type_code in schema.TYPE_LABELS else self.default_type(state)
        result = self.analysis.coverage(replace(state, regions=(), types=(code,)), year)
        return figs.gap_map_figure(self.directory, result, code, lang)

    def access(self, state: FilterState, lang: str, type_code: Any) -> tuple[Any, Any]:
        code = type_code if isinstance(type_code, str) and type_code in schema.TYPE_LABELS else self.default_type(state)
        analysis = self.analysis
        result = analysis.coverage(replace(state, types=(code,)))
        return (
            tables.access_table(analysis.access, result, code, lang, self.link(state, lang)),
            tables.deserts_table(analysis.access, result, code, lang, state.regions),
        )

    # ----------------------------------------------------------------- callbacks
    def on_matrix(self, store: dict[str, Any] | None, year: Any, measure: Any, search: Any = None) -> tuple[Any, ...]:
        if store and store.get("fresh") and triggered_id() in (None, ID.STATE):
            return (no_update,) * 5
        state, lang = state_from_store(store)
        return self.matrix(state, lang, year, measure or "rate", presentation=is_presentation(search))

    def on_map(self, store: dict[str, Any] | None, year: Any, type_code: Any) -> Any:
        if store and store.get("fresh") and triggered_id() in (None, ID.STATE):
            return no_update
        state, lang = state_from_store(store)
        return self.gap_map(state, lang, year, type_code)

    def on_access(self, store: dict[str, Any] | None, type_code: Any) -> tuple[Any, Any]:
        if store and store.get("fresh") and triggered_id() in (None, ID.STATE):
            return no_update, no_update
        state, lang = state_from_store(store)
        return self.access(state, lang, type_code)


def _type_options(lang: str) -> list[dict[str, str]]:
    return [{"label": term.label(lang), "value": term.code} for term in schema.SERVICE_TYPES]


def sources(lang: str, result: coverage.Coverage) -> html.Section:
    items = [
        html.Li(population.source_text(lang)),
        *[html.Li(c) for c in population.caveats(lang, result.year)],
        html.Li(t("coverage.source_access", lang)),
        html.Li(t("coverage.source_fca", lang, radius=CATCHMENT_KM)),
        html.Li(ATTRIBUTION_FR if lang == "fr" else ATTRIBUTION_EN),
    ]
    return html.Section(
        [html.H2(t("coverage.sources_title", lang), className="h5"), html.Ul(items, className="small")],
        className="mt-4 coverage-sources",
        **{"aria-labelledby": "cov-sources-title"},
    )


def controls(lang: str, years: list[dict[str, Any]], year: int, measure: str) -> html.Div:
    """The population year and the measure shown in the matrix."""
    radio = {"inputClassName": "form-check-input me-1", "labelClassName": "form-check-label me-3", "inline": True}
    measures = [
        {"label": t("coverage.measure_rate", lang), "value": "rate"},
        {"label": t("coverage.measure_count", lang), "value": "count"},
        {"label": t("coverage.measure_share", lang, radius=SHARE_RADIUS_KM), "value": "share"},
    ]
    return html.Div(
        [
            html.Fieldset(
                [
                    html.Legend(t("coverage.year_label", lang), className="form-label fs-6 mb-1"),
                    dcc.RadioItems(id=CovID.YEAR, options=years, value=year, **radio),
                ],
                className="mb-2",
            ),
            html.Fieldset(
                [
                    html.Legend(t("coverage.measure_label", lang), className="form-label fs-6 mb-1"),
                    dcc.RadioItems(id=CovID.MEASURE, options=measures, value=measure, **radio),
                ],
                className="mb-2",
            ),
        ],
        className="coverage-controls no-print",
    )


def matrix_section(lang: str, note: Any, heatmap: Any, table: Any, csv_href: str, json_href: str) -> list[Any]:
    """The regions × types matrix: heat map, downloads and its accessible table."""
    return [
        html.Div(note, id=CovID.POPNOTE, className="population-note small", **{"aria-live": "polite"}),
        html.H2(t("coverage.matrix_title", lang), className="h5 mt-3"),
        html.P(t("coverage.matrix_help", lang), className="small text-body-secondary"),
        html.Div(
            dcc.Graph(id=CovID.HEATMAP, figure=heatmap, config=figs.config(lang), className="heatmap"),
            className="heatmap-wrap",
            role="figure",
            **{"aria-label": t("coverage.heatmap_aria", lang)},
        ),
        html.Div(
            [
                html.Span(t("coverage.download", lang), className="me-2 small"),
                html.A("CSV", id=CovID.DL_CSV, href=csv_href, className="btn btn-outline-primary btn-sm me-1"),
                html.A("JSON", id=CovID.DL_JSON, href=json_href, className="btn btn-outline-primary btn-sm"),
            ],
            className="my-2 no-print",
        ),
        html.Div(table, id=CovID.TABLE),
    ]


def _type_picker(lang: str, label_key: str, cid: str, type_code: str) -> html.Div:
    return html.Div(
        [
            html.Label(t(label_key, lang), htmlFor=cid, className="form-label"),
            dcc.Dropdown(id=cid, options=_type_options(lang), value=type_code, clearable=False),
        ],
        className="mb-2 no-print map-type",
    )


def gaps_and_access(lang: str, gap_map: Any, type_code: str, access_table: Any, deserts: Any) -> list[Any]:
    """The map of gaps for one type, then the accessibility table and the service deserts."""
    return [
        html.H2(t("coverage.map_title", lang), className="h5 mt-4"),
        _type_picker(lang, "coverage.map_type", CovID.MAP_TYPE, type_code),
        html.Div(
            dcc.Graph(id=CovID.MAP, figure=gap_map, config={**figs.config(lang), "scrollZoom": True}, className="coverage-map"),
            className="map-wrap fit-map",
            role="region",
            **{"aria-label": t("coverage.map_aria", lang)},
        ),
        html.P(t("coverage.map_legend", lang), className="small text-body-secondary mt-1"),
        html.H2(t("coverage.access_title", lang), className="h5 mt-4"),
        html.P(t("coverage.access_intro", lang, radius=SHARE_RADIUS_KM), className="small"),
        _type_picker(lang, "coverage.access_type", CovID.ACCESS_TYPE, type_code),
        html.Div(access_table, id=CovID.ACCESS, **{"aria-live": "polite"}),
        html.H3(t("coverage.deserts_title", lang), className="h6 mt-3"),
        html.Div(deserts, id=CovID.DESERTS),
    ]


def is_presentation(search: Any) -> bool:
    """``?presentation=1`` in a query string: the page is shown on a projector."""
    from urllib.parse import parse_qs

    values = parse_qs(str(search or "").lstrip("?")).get("presentation", [""])
    return values[0] in ("1", "oui", "true")


def render(ctx: PageContext) -> Any:
    lang, state = ctx.lang, ctx.state
    view = CoverageView(ctx.directory)
    analysis = view.analysis
    year = analysis.population.year_or_latest(ctx.param("annee"))
    measure = ctx.param("mesure") if ctx.param("mesure") in figs.MEASURES else "rate"
    presentation = ctx.param("presentation") in ("1", "oui", "true")
    note, heatmap, table, csv_href, json_href = view.matrix(state, lang, year, measure, presentation=presentation)
    type_code = view.default_type(state)
    access_table, deserts = view.access(state, lang, type_code)
    years = [{"label": info.label(lang), "value": y} for y, info in analysis.population.years.items()]
    # Presentation mode (a projector): large type, the filters aside; switched by a link, no reload.
    switch = dcc.Link(
        t("profile.presentation_exit" if presentation else "profile.presentation", lang),
        href=href("couverture", state, lang, **({} if presentation else {"presentation": 1})),
        className="btn btn-outline-secondary btn-sm float-end no-print",
        id="coverage-presentation",
    )
    main = [
        switch,
        html.H1(t("coverage.title", lang), className="h3 mt-1"),
        html.P(t("coverage.intro", lang)),
        dbc.Alert(
            [html.Strong(t("coverage.zero_title", lang) + " "), t("coverage.zero_text", lang)], color="warning", className="py-2"
        ),
        controls(lang, years, year, measure),
        *matrix_section(lang, note, heatmap, table, csv_href, json_href),
        *gaps_and_access(lang, view.gap_map(state, lang, year, type_code), type_code, access_table, deserts),
        sources(lang, analysis.coverage(state, year)),
        dcc.Store(id=CovID.URL_SYNC, data={"latest": analysis.population.latest}),
    ]
    return html.Div(
        [
            summary_box(state, lang),
            dbc.Row(
                [
                    dbc.Col(filter_panel(lang, state), lg=3, className="mb-3 no-print presentation-hide"),
                    dbc.Col(main, lg=12 if presentation else 9),
                ],
                className="mt-3 coverage-page" + (" presentation" if presentation else ""),
            ),
        ]
    )


def export_response(directory: Directory, fmt: str, query: bytes | str, year: str | None) -> Response:
    """``/export/couverture.csv|json?<filters>&annee=…``: the matrix as a file."""
    if fmt not in coverage_export.FORMATS:
        return Response("Format inconnu. / Unknown format.", status=404, mimetype="text/plain")
    raw = query.decode("utf-8", "replace") if isinstance(query, bytes) else query
    state, lang, _rejected = from_query(raw)
    lang = norm_lang(lang)
    result = coverage.analysis(directory).coverage(state, year)
    body = coverage_export.coverage_bytes(result, fmt, lang)
    mime = coverage_export.MIME[fmt] + "; charset=utf-8"
    name = coverage_export.filename(fmt, lang)
    return Response(body, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def register(app: Dash, directory: Directory, settings: Settings) -> None:
    view = CoverageView(directory)
    coverage.analysis(directory)  # build the start-up cache now, not at the first visit
    app.callback(
        Output(CovID.POPNOTE, "children"),
        Output(CovID.HEATMAP, "figure"),
        Output(CovID.TABLE, "children"),
        Output(CovID.DL_CSV, "href"),
        Output(CovID.DL_JSON, "href"),
        Input(ID.STATE, "data"),
        Input(CovID.YEAR, "value"),
        Input(CovID.MEASURE, "value"),
        State(ID.URL, "search"),
    )(view.on_matrix)
    app.callback(
        Output(CovID.MAP, "figure"), Input(ID.STATE, "data"), Input(CovID.YEAR, "value"), Input(CovID.MAP_TYPE, "value")
    )(view.on_map)
    app.callback(
        Output(CovID.ACCESS, "children"),
        Output(CovID.DESERTS, "children"),
        Input(ID.STATE, "data"),
        Input(CovID.ACCESS_TYPE, "value"),
    )(view.on_access)

    app.clientside_callback(
        ClientsideFunction("maillage", "coverageParams"),
        Output(CovID.URL_SYNC, "modified_timestamp"),
        Input(ID.STATE, "data"),
        Input(CovID.YEAR, "value"),
        Input(CovID.MEASURE, "value"),
        State(CovID.URL_SYNC, "data"),
    )

    def _export(fmt: str) -> Response:
        return export_response(directory, fmt, request.query_string, request.args.get("annee"))

    app.server.add_url_rule(EXPORT_ROUTE, endpoint="coverage_export", view_func=_export)


PAGE = Page(path="couverture", title_key="coverage.title", nav_key="coverage.nav", render=render, register=register)
