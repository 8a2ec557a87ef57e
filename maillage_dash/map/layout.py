"""The dashboard page, built for one language and one starting filter state. No logic here."""

from __future__ import annotations

import functools
import json
from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from maillage_dash import basemap, filters
from maillage_dash.directory import Directory
from maillage_dash.i18n import fmt_int, t
from maillage_dash.ids import ID
from maillage_dash.links import href
from maillage_dash.map import table
from maillage_dash.map.ids import MapID
from maillage_dash.ui.card import copied_status
from maillage_dash.ui.filter_panel import filter_panel, summary_box


def grid(lang: str) -> dag.AgGrid:
    return dag.AgGrid(
        id=MapID.GRID,
        columnDefs=table.column_defs(lang),
        defaultColDef={"sortable": True, "resizable": True, "wrapText": False},
        rowModelType="infinite",
        getRowId="params.data.id",
        dashGridOptions={
            "rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
            "cacheBlockSize": table.PAGE_SIZE,
            "maxBlocksInCache": 20,
            "infiniteInitialRowCount": 1,
            "localeText": {
                "loadingOoo": t("table.loading", lang),
                "noRowsToShow": t("table.no_rows", lang),
            },
            "suppressCellFocus": False,
            # Tab leaves the table (arrow keys move between cells): from a cell, Tab went through every
            # cell of every row (140 × 9 stops) before the page's next link.
            "tabToNextCell": {"function": "false"},
        },
        className="ag-theme-quartz services-grid",
        style={"height": "460px", "width": "100%"},
    )


@functools.lru_cache(maxsize=4)  # the same for every page in a language (not changed by its readers)
def grid_spec(lang: str) -> dict[str, Any]:
    """The grid as the component description Dash draws (``{"type", "namespace", "props"}``), kept in a
    store and mounted in its slot only once the map is drawn (assets/25-grid-mount.js): on a phone,
    setting up AG Grid (a second of processor time at 4× throttling) otherwise comes before the map's
    first drawing. The page's static rows stand in for it meanwhile."""
    return json.loads(json.dumps(grid(lang).to_plotly_json(), default=lambda c: c.to_plotly_json()))


def static_rows(rows: list[dict[str, Any]], lang: str) -> html.Table:
    """The grid's first rows as a plain table, drawn with the page (and in its static copy, before any
    script) and hidden for good once the grid shows its own rows (assets/24-grid-static.js): the table's
    first lines are readable a second or more sooner on a phone. Same rows, same order, same columns;
    hidden from assistive technologies, which read the grid."""
    columns = table.column_defs(lang)
    # The grid's column widths (its minimum for a flexible one), the rest shared as the grid's flexible
    # columns share it; a longer text ends in « … » as in the grid.
    widths = [c.get("width") or c.get("minWidth", 100) for c in columns]
    return html.Div(
        html.Table(
            [
                html.Colgroup([html.Col(style={"width": f"{w}px"}) for w in widths]),
                html.Thead(html.Tr([html.Th(c["headerName"], scope="col") for c in columns])),
                html.Tbody([html.Tr([html.Td(row.get(c["field"], "")) for c in columns]) for row in rows]),
            ],
            style={"minWidth": f"{sum(widths)}px"},
        ),
        className="grid-static",
        **{"aria-hidden": "true"},
    )


def results(lang: str, first_rows: list[dict[str, Any]] | None = None) -> html.Section:
    """The table of matching services, its exports and the detail panel."""
    return html.Section(
        [
            html.Div(
                [
                    html.H2(t("table.title", lang), className="h5 mb-0", id="results"),
                    html.Div(
                        [
                            html.Span(t("export.label", lang), className="me-2 small"),
                            *[
                                html.Button(
                                    label,
                                    id=cid,
                                    className="btn btn-outline-primary btn-sm me-1",
                                    n_clicks=0,
                                    title=t(f"export.{fmt}_title", lang),
                                )
                                for label, cid, fmt in (
                                    ("CSV", MapID.EXPORT_CSV, "csv"),
                                    ("Excel", MapID.EXPORT_XLSX, "xlsx"),
                                    ("GeoJSON", MapID.EXPORT_GEOJSON, "geojson"),
                                )
                            ],
                            dcc.Clipboard(
                                id=ID.SHARE,
                                title=t("app.copy_link", lang),
                                className="btn btn-outline-secondary btn-sm share copy-button",
                                content="",
                            ),
                            html.Span(t("app.copy_link", lang), className="small ms-1"),
                            copied_status(lang),
                        ],
                        className="no-print export-bar",
                    ),
                ],
                className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2 no-print",
            ),
            # Until a service is chosen the table takes the whole width (name, organisation, types, ages,
            # municipality and region fit at 1366 px); the detail panel opens beside it once one is.
            dbc.Row(
                [
                    dbc.Col(
                        html.Div(
                            [
                                html.Div(id=MapID.GRID_SLOT, className="grid-slot"),
                                *([static_rows(first_rows, lang)] if first_rows else []),
                                dcc.Store(id=MapID.GRID_SPEC, data=grid_spec(lang)),
                                dcc.Store(id=MapID.GRID_GO),
                                dcc.Store(id=MapID.GRID_SORT, data=table.FIRST_SORT),
                            ],
                            className="no-print grid-wrap",
                        ),
                        xl=8,
                        className="mb-3 grid-col",
                    ),
                    dbc.Col(
                        html.Section(
                            html.P(t("detail.empty", lang), className="text-body-secondary detail-empty"),
                            id=MapID.DETAIL,
                            className="detail card card-body",
                            **{"aria-live": "polite", "aria-label": t("detail.title", lang)},
                        ),
                        xl=4,
                        className="detail-col",
                    ),
                ],
                className="table-detail-row",
            ),
            html.Section(id=MapID.APART, className="apart", **{"aria-live": "polite"}),
            html.Div(id=MapID.PRINT_AREA, className="print-only"),
            # Printed from the browser's menu, the list was simply missing: say how to get it.
            html.P(t("print.use_button", lang), className="print-only print-hint"),
        ],
        className="mt-2",
    )


def apart_section(frame: Any, lang: str, links: dict[str, str], limit: int = 100) -> list[Any]:
    """The services that match every other filter but do not state the ages or the people asked
    for: a separate, clearly marked list, to be checked before referring anyone."""
    if frame is None or not len(frame):
        return []
    items = []
    for rec in frame.head(limit).itertuples(index=False):
        why = [t("apart.why_age", lang)] if pd.isna(rec.age_min) and pd.isna(rec.age_max) else []
        if not rec.public_cible:
            why.append(t("apart.why_audience", lang))
        items.append(
            html.Li(
                [
                    dcc.Link(rec.nom, href=links[rec.id], className="fw-semibold"),
                    html.Span(f" — {rec.organisme}, {rec.municipalite or '—'}"),
                    " " if why else None,  # read as « Gaspé, public non précisé », not « Gaspé· public… »
                    html.Span(", ".join(why), className="badge text-bg-warning ms-1") if why else None,
                ],
                className="mb-1",
            )
        )
    more = len(frame) - min(limit, len(frame))
    return [
        html.H2(t("apart.title", lang) + f" ({fmt_int(len(frame), lang)})", className="h5 mt-3", id="apart-title"),
        html.P(t("apart.intro", lang), className="small"),
        html.Ul(items, className="apart-list small"),
        html.P(t("map.and_more", lang, plural=more, n=fmt_int(more, lang)), className="small") if more else None,
    ]


def near_box(lang: str) -> html.Div:
    """ "Services near…": type a town or postal code, Enter, and the nearby page lists them."""
    return html.Div(
        [
            html.Label(t("map.near_label", lang), htmlFor="home-near", className="form-label mb-0 fw-semibold"),
            html.Div(
                [
                    dcc.Input(
                        id="home-near",
                        type="search",
                        placeholder=t("near.place_placeholder", lang),
                        maxLength=100,
                        autoComplete="off",
                        className="form-control",
                        debounce=True,
                    ),
                    html.Button(t("map.near_button", lang), id="home-near-go", type="button", className="btn btn-primary"),
                ],
                className="input-group",
            ),
        ],
        id="home-near-form",
        className="home-near no-print",
        role="search",
    )


def page(
    lang: str,
    state: filters.FilterState,
    directory: Directory,
    figure: Any,
    first_rows: list[dict[str, Any]] | None = None,
    picture: Any = None,
    counters_now: Any = None,
) -> html.Div:
    """The map dashboard's body: filters, counters, map, table, detail (the shell adds the frame)."""
    return html.Div(
        [
            summary_box(state, lang),
            dbc.Row(
                [
                    dbc.Col(filter_panel(lang, state, basemap=True), lg=3, className="mb-3 no-print"),
                    dbc.Col(
                        [
                            html.H1(t("map.title", lang), className="visually-hidden"),
                            near_box(lang),
                            html.Div(counters_now, id=MapID.COUNTERS, className="counters", **{"aria-live": "polite"}),
                            html.Div(
                                [
                                    html.Div(
                                        id=MapID.MAP,
                                        className="map",
                                        **{"data-live-map": "", "data-locale": "fr" if lang == "fr" else "en"},
                                    ),
                                    # Also in the first response (page.PAGE.embedded_stores), for the map drawn before Dash.
                                    dcc.Store(id=MapID.FIGURE, data=figure),
                                    dcc.Store(id=MapID.CLICK),
                                    dcc.Store(id=MapID.LIVE),
                                    *([picture] if picture is not None else []),
                                ],
                                className="map-wrap",
                                role="region",
                                **{"aria-label": t("map.aria", lang)},
                            ),
                            html.P(t("map.legend", lang), className="small text-body-secondary map-legend"),
                            results(lang, first_rows),
                        ],
                        lg=9,
                    ),
                ],
                className="mt-3",
            ),
            html.Div(json.dumps(basemap.region_bounds(directory)), id="region-bounds", hidden=True),
            dcc.Download(id=MapID.DOWNLOAD),
            dcc.Store(id=MapID.PRINT_READY),
            dcc.Store(id=MapID.SELECTED),
        ]
    )


def print_table(rows: list[dict[str, Any]], cols: list[dict[str, Any]], shown: int, total: int, lang: str) -> list[Any]:
    """The printed list of services (the first ``shown`` of ``total``)."""
    head = html.Thead(html.Tr([html.Th(c["headerName"]) for c in cols]))
    body = html.Tbody([html.Tr([html.Td(r[c["field"]]) for c in cols]) for r in rows])
    note = (
        t("print.truncated", lang, shown=fmt_int(shown, lang), total=fmt_int(total, lang))
        if total > shown
        else t("print.count", lang, plural=total, n=fmt_int(total, lang))
    )
    return [
        html.H2(t("table.title", lang), className="h5"),
        html.P(note),
        html.Table([head, body], className="table table-sm print-table"),
    ]


def counters(frame: pd.DataFrame, counts: pd.DataFrame, total: int, lang: str, apart: int = 0) -> list[html.Div]:
    """The figures above the map: services shown (of all), regions served, organisations, and those listed apart."""
    covered = int((counts["total"] > 0).sum())
    items = [
        (fmt_int(len(frame), lang), t("counters.services", lang, total=fmt_int(total, lang)), "count-services"),
        (fmt_int(covered, lang), t("counters.regions", lang), "count-regions"),
        (fmt_int(frame["organisme"].nunique(), lang), t("counters.organisations", lang), "count-orgs"),
    ]
    if apart:
        items.append((fmt_int(apart, lang), t("counters.apart", lang), "count-apart"))
    out: list[Any] = [
        html.Div(
            [html.Span(value, className="counter-value", id=cid), html.Span(label, className="counter-label")],
            className="counter",
        )
        for value, label, cid in items
    ]
    if not len(frame):
        # Nothing matches: what to do next, not a dead end (the help lines, wider filters).
        out.append(
            html.P(
                [
                    t("counters.none", lang) + " ",
                    dcc.Link(t("counters.none_link", lang), href=href("proximite", filters.FilterState(), lang)),
                ],
                className="w-100 small alert alert-info py-1 px-2 mb-0 counters-none",
            )
        )
    return out
