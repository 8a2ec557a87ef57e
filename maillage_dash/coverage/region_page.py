"""/region/<code> — a region's profile (fiche régionale) for a concertation committee's meeting.

Key figures, a map of the region and its neighbours, its gaps by service type and age band, a
comparison with the neighbouring regions (adjacency from the polygons), accessibility, and the
services serving it. ``?presentation=1`` shows it for a projected screen (large type, the map
across the screen, minimal chrome); it prints cleanly; "Exporter en HTML" downloads the same
profile as one self-contained file that opens offline (see :mod:`maillage_dash.report`).

The body is built by :func:`body` from a :class:`~maillage_dash.profile.RegionProfile`; the HTML
export renders the same components, so screen and file cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html
from flask import Response, request

from maillage_dash import schema
from maillage_dash.config import Settings
from maillage_dash.coverage import figures as figs
from maillage_dash.coverage import format as fmt
from maillage_dash.coverage import model as coverage
from maillage_dash.coverage import population
from maillage_dash.coverage import tables as tables
from maillage_dash.coverage.accessibility import CATCHMENT_KM, RADII_KM
from maillage_dash.coverage.model import SHARE_RADIUS_KM
from maillage_dash.coverage.profile import RegionProfile, build
from maillage_dash.directory import Directory
from maillage_dash.filters import FilterState, describe, from_query
from maillage_dash.geo import ATTRIBUTION_EN, ATTRIBUTION_FR
from maillage_dash.i18n import fmt_date, norm_lang, t
from maillage_dash.ids import ID
from maillage_dash.labels import ages_text
from maillage_dash.links import href
from maillage_dash.routing import Page, PageContext

MAP = "profile-map"
BARS = "profile-bars"
EXPORT_ROUTE = "/export/region/<code>.html"
TITLE = "profile-title"
# The document's language and title (the shared callback that sets them runs on the map page only).
TITLE_JS = """
function(store, title) {
    if (!store || !title) { return window.dash_clientside.no_update; }
    document.documentElement.lang = store.lang || 'fr';
    document.title = title + ' — Maillage';
    return window.dash_clientside.no_update;
}
"""


def export_href(code: str, state: FilterState, lang: str, year: int) -> str:
    from maillage_dash.filters import to_query

    return f"/export/region/{code}.html{to_query(state, lang)}&{urlencode({'annee': year})}"


# --------------------------------------------------------------------------- pieces


def when(moment: datetime, lang: str) -> str:
    """« 23 novembre 2026 à 19 h 28 », "November 23, 2026 at 7:28 PM": date and time of a profile."""
    from babel.dates import format_time

    time = format_time(moment, format="short", locale="fr_CA" if lang == "fr" else "en_CA")
    return t("profile.when", lang, date=fmt_date(moment.date(), lang), time=time)


def key_figure(value: str, label: str, note: str | None = None, *, gap: bool = False) -> html.Li:
    parts: list[Any] = [html.Span(value, className="kf-value"), html.Span(label, className="kf-label")]
    if note:
        parts.append(html.Span(note, className="kf-note"))
    return html.Li(parts, className="key-figure" + (" kf-gap" if gap else ""))


def key_figures(p: RegionProfile, lang: str) -> html.Ul:
    result = p.coverage
    info = result.info[p.code]
    group = result.choice.group.label(lang)
    people = result.population.get(p.code)
    gaps = [schema.type_label(c, lang) for c in p.gaps]
    return html.Ul(
        [
            key_figure(
                fmt.count(people, lang),
                t("profile.kf_population", lang, group=group),
                result.year.label(lang) if people is not None else fmt.note("no_population", lang),
            ),
            key_figure(
                fmt.count(len(p.services), lang),
                t("profile.kf_services", lang),
                t("profile.kf_services_note", lang, located=fmt.count(p.located, lang)),
            ),
            key_figure(
                fmt.rate(p.rate_all, lang),
                t("profile.kf_rate", lang, group=group),
                None if p.rate_all is not None else fmt.note("no_population", lang),
            ),
            key_figure(
                t("profile.kf_covered_value", lang, covered=p.covered, total=len(p.types)),
                t("profile.kf_covered", lang),
                t("profile.kf_gaps", lang, types=", ".join(gaps)) if gaps else t("profile.kf_no_gap", lang),
                gap=bool(gaps),
            ),
            key_figure(
                fmt.share(p.any_share, lang),
                t("profile.kf_access", lang, radius=SHARE_RADIUS_KM),
                t("profile.kf_access_note", lang) if p.any_share is not None else fmt.note("no_municipality", lang),
            ),
            key_figure(
                fmt_date(info.latest, lang, "medium") if info.latest else fmt.DASH,
                t("profile.kf_verified", lang),
                t("profile.kf_verified_note", lang, n=fmt.count(info.serving, lang), located=fmt.count(info.located, lang)),
            ),
        ],
        className="key-figures",
    )


def bands_table(p: RegionProfile, lang: str) -> html.Div:
    """Types (rows) × age bands of the population file (columns): count and rate; zeros are gaps."""
    bands = p.bands
    head = [html.Th(t("profile.col_type", lang), scope="col")]
    for band in bands:
        group = band["group"]
        people = band["population"]
        head.append(
            html.Th(
                [
                    group.label(lang),
                    html.Span(t("profile.band_population", lang, n=fmt.count(people, lang)), className="d-block small"),
                ],  # type: ignore[attr-defined]
                scope="col",
            )
        )
    rows = []
    for type_code in p.types:
        cells: list[Any] = [html.Th(schema.type_label(type_code, lang), scope="row")]
        for band in bands:
            n = band["counts"][type_code]  # type: ignore[index]
            rate = band["rates"][type_code]  # type: ignore[index]
            cells.append(
                tables.value_cell(
                    fmt.count(n, lang),
                    gap=n == 0,
                    lang=lang,
                    extra=html.Span(
                        [
                            " ",
                            tables.unknown(fmt.note("no_population", lang)) if rate is None else fmt.rate(rate, lang),
                            tables.hidden(" " + t("coverage.per_10k", lang)),
                        ],
                        className="rate d-block small",
                    ),
                )
            )
        rows.append(html.Tr(cells))
    return html.Div(
        html.Table(
            [
                html.Caption(t("profile.bands_caption", lang, year=p.year)),
                html.Thead(html.Tr(head)),
                html.Tbody(rows),
            ],
            className="table table-sm coverage-table",
        ),
        className="table-responsive",
        tabIndex="0",
        role="region",
        **{"aria-label": t("profile.bands_title", lang)},
    )


def access_table(p: RegionProfile, lang: str) -> html.Div:
    no_muni = fmt.note("no_municipality", lang)
    rows = []
    for row in p.access:
        cells: list[Any] = [html.Th(schema.type_label(row.type, lang), scope="row")]
        cells += [tables.value_cell(fmt.share(row.shares[r], lang), reason=no_muni, gap=row.shares[r] == 0) for r in RADII_KM]
        if row.farthest_km is None:
            cells.append(html.Td(t("profile.no_such_service", lang), colSpan=2, className="gap-cell"))
        else:
            cells.append(
                html.Td(t("profile.farthest_value", lang, name=row.farthest, n=fmt.count(row.farthest_population, lang)))
            )
            cells.append(html.Td(fmt.km(row.farthest_km, lang), className="num"))
        rows.append(html.Tr(cells))
    head = [
        t("profile.col_type", lang),
        *[t("coverage.col_within", lang, radius=r) for r in RADII_KM],
        t("profile.col_farthest", lang),
        t("coverage.col_distance", lang),
    ]
    return html.Div(
        html.Table(
            [
                html.Caption(t("profile.access_caption", lang)),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                html.Tbody(rows),
            ],
            className="table table-sm coverage-table",
        ),
        className="table-responsive",
        tabIndex="0",
        role="region",
        **{"aria-label": t("profile.access_title", lang)},
    )


def services_list(p: RegionProfile, lang: str, service_link: Callable[[str], str] | None) -> Any:
    if p.services.empty:
        return html.P(t("profile.no_services", lang), className="gap-note")
    items = []
    for rec in p.services.itertuples():
        name: Any = dcc.Link(rec.nom, href=service_link(rec.id)) if service_link else html.Strong(rec.nom)
        where = (
            t("profile.located_here", lang, town=rec.municipalite or fmt.DASH)
            if rec.region == p.code
            else t("profile.serves_from", lang, region=schema.region_label(rec.region) if rec.region else fmt.DASH)
        )
        items.append(
            html.Li(
                [
                    name,
                    html.Span(f" — {rec.organisme}"),
                    html.Span(
                        " · ".join(
                            [
                                ", ".join(schema.type_label(c, lang) for c in rec.types),
                                ages_text(rec.age_min, rec.age_max, lang),
                                where,
                            ]
                        ),
                        className="d-block small",
                    ),
                ]
            )
        )
    return html.Ul(items, className="profile-services")


def sources(p: RegionProfile, lang: str) -> html.Section:
    items = [
        html.Li(population.source_text(lang)),
        *[html.Li(c) for c in population.caveats(lang, p.coverage.year)],
        html.Li(t("coverage.source_access", lang)),
        html.Li(t("profile.source_adjacency", lang)),
        html.Li(ATTRIBUTION_FR if lang == "fr" else ATTRIBUTION_EN),
        html.Li(t("profile.source_directory", lang)),
    ]
    return html.Section(
        [html.H2(t("coverage.sources_title", lang)), html.Ul(items, className="small")], className="profile-sources"
    )


def comparison_bars(p: RegionProfile, lang: str, presentation: bool = False) -> Any:
    rows = [
        (schema.REGIONS[p.code], [p.coverage.cell(p.code, c).rate for c in p.types]),
        (t("profile.series_neighbours", lang), [p.neighbour_median[c] for c in p.types]),
        (t("profile.series_quebec", lang), [p.quebec_rate[c] for c in p.types]),
    ]
    title = t("profile.bars_title", lang, group=p.coverage.choice.group.label(lang), year=p.year)
    return figs.comparison_figure(rows, p.types, lang, title, font_size=18 if presentation else 12)


def body(
    p: RegionProfile,
    lang: str,
    *,
    directory: Directory,
    link: Callable[[str], str] | None = None,
    service_link: Callable[[str], str] | None = None,
    actions: Any = None,
    presentation: bool = False,
) -> html.Div:
    """The profile's content; ``link``/``service_link`` are None in the offline export (no app to link to)."""
    result = p.coverage
    name = schema.region_label(p.code)
    filters_text = (" ; " if lang == "fr" else "; ").join(
        f"{label} : {value}" if lang == "fr" else f"{label}: {value}" for label, value in describe(p.state, lang)[1:4]
    )
    neighbours = ", ".join(schema.region_label(c) for c in p.neighbours) or fmt.DASH
    group_note = result.choice.note(lang)
    return html.Div(
        [
            actions,
            html.H1(t("profile.title", lang, region=name)),
            html.P(
                [
                    t("profile.subtitle", lang, date=when(p.generated, lang), year=result.year.label(lang)),
                    html.Br(),
                    t("profile.filters", lang, filters=filters_text),
                ],
                className="profile-meta small",
            ),
            html.P(group_note, className="population-note small") if group_note else None,
            dbc.Alert(
                [html.Strong(t("coverage.zero_title", lang) + " "), t("profile.zero_text", lang)],
                color="warning",
                className="py-2 presentation-hide",
            ),
            key_figures(p, lang),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.H2(t("profile.map_title", lang), className="h5"),
                            html.Div(
                                dcc.Graph(
                                    id=MAP,
                                    figure=figs.region_map_figure(directory, p.code, p.neighbours, p.services, lang),
                                    config={**figs.config(lang), "scrollZoom": True},
                                    className="profile-map",
                                ),
                                className="map-wrap fit-map",
                                role="region",
                                **{"aria-label": t("profile.map_aria", lang, region=name)},
                            ),
                            html.P(t("profile.map_legend", lang, neighbours=neighbours), className="small mt-1"),
                        ],
                        lg=12 if presentation else 7,
                        className="mb-3",
                    ),
                    dbc.Col(
                        [
                            html.H2(t("profile.bars_heading", lang), className="h5"),
                            html.Div(
                                dcc.Graph(id=BARS, figure=comparison_bars(p, lang, presentation), config=figs.config(lang)),
                                role="figure",
                                **{"aria-label": t("profile.bars_aria", lang)},
                            ),
                            html.P(t("profile.bars_legend", lang), className="small"),
                        ],
                        lg=12 if presentation else 5,
                    ),
                ]
            ),
            html.H2(t("profile.bands_title", lang)),
            html.P(t("profile.bands_intro", lang), className="small"),
            bands_table(p, lang),
            html.H2(t("profile.neighbours_title", lang)),
            html.P(t("profile.neighbours_intro", lang, neighbours=neighbours), className="small"),
            tables.matrix_table(
                result,
                lang,
                link,
                caption=t("profile.neighbours_caption", lang, group=result.choice.group.label(lang), year=p.year),
            ),
            html.H2(t("profile.access_title", lang)),
            html.P(t("profile.access_intro", lang, radius=CATCHMENT_KM), className="small"),
            access_table(p, lang),
            html.H2(t("profile.services_title", lang, n=fmt.count(len(p.services), lang))),
            services_list(p, lang, service_link),
            sources(p, lang),
        ],
        className="profile" + (" presentation" if presentation else ""),
    )


# --------------------------------------------------------------------------- the page


def not_found(ctx: PageContext, raw: str) -> Any:
    lang = ctx.lang
    return html.Div(
        [
            html.H1(t("profile.unknown_title", lang), className="h3 mt-3"),
            html.P(t("profile.unknown_text", lang, value=raw[:40])),
            html.Ul(
                [
                    html.Li(dcc.Link(schema.region_label(c), href=href(f"region/{c}", ctx.state, lang)))
                    for c in schema.REGION_CODES
                ]
            ),
        ]
    )


def render(ctx: PageContext) -> Any:
    lang, state = ctx.lang, ctx.state
    raw = ctx.path[0] if ctx.path else ""
    code = schema.parse_region(raw) if raw else None
    if code is None:
        return not_found(ctx, raw)
    analysis = coverage.analysis(ctx.directory)
    year = analysis.population.year_or_latest(ctx.param("annee"))
    presentation = ctx.param("presentation") in ("1", "oui", "true")
    p = build(analysis, code, state, year)
    link = lambda c: href(f"region/{c}", state, lang)  # noqa: E731
    service_link = lambda sid: href("", state, lang, service=sid)  # noqa: E731
    extra = {"annee": year} if ctx.param("annee") else {}
    toggle = (
        html.A(
            t("profile.presentation_exit", lang),
            href=href(f"region/{code}", state, lang, **extra),
            className="btn btn-outline-secondary btn-sm",
        )
        if presentation
        else html.A(
            t("profile.presentation", lang),
            href=href(f"region/{code}", state, lang, presentation=1, **extra),
            className="btn btn-outline-primary btn-sm",
        )
    )
    actions = html.Div(
        [
            dcc.Link(t("profile.back", lang), href=href("couverture", state, lang), className="me-2 presentation-hide"),
            dcc.Link(
                t("profile.on_map", lang),
                href=href("", FilterState(regions=(code,)), lang),
                className="me-2 presentation-hide",
            ),
            toggle,
            html.A(
                t("profile.export_html", lang),
                href=export_href(code, p.state, lang, year),
                className="btn btn-outline-primary btn-sm presentation-hide",
                id="profile-export",
                download=True,
                title=t("profile.export_html_title", lang),
            ),
        ],
        className="profile-actions no-print",
    )
    title = dcc.Store(id=TITLE, data=t("profile.title", lang, region=schema.region_label(code)))
    page = body(
        p, lang, directory=ctx.directory, link=link, service_link=service_link, actions=actions, presentation=presentation
    )
    return html.Div([page, title])


def export_response(directory: Directory, code: str, query: bytes | str, year: str | None = None) -> Response:
    """``/export/region/NN.html?<filters>&annee=…``: the profile as one self-contained HTML file."""
    from maillage_dash.coverage import report

    raw = query.decode("utf-8", "replace") if isinstance(query, bytes) else query
    state, lang, _rejected = from_query(raw)
    lang = norm_lang(lang)
    region = schema.parse_region(code)
    if region is None:
        return Response(t("profile.cli_bad_region", lang, value=code[:40]), status=404, mimetype="text/plain; charset=utf-8")
    analysis = coverage.analysis(directory)
    document = report.region_html(analysis, region, state, lang, year=analysis.population.year_or_latest(year))
    name = report.filename(region, lang)
    return Response(
        document.encode("utf-8"),
        mimetype="text/html",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def register(app: Dash, directory: Directory, settings: Settings) -> None:
    coverage.analysis(directory)

    app.clientside_callback(TITLE_JS, Output(TITLE, "modified_timestamp"), Input(ID.STATE, "data"), State(TITLE, "data"))

    def _export(code: str) -> Response:
        return export_response(directory, code, request.query_string, request.args.get("annee"))

    app.server.add_url_rule(EXPORT_ROUTE, endpoint="region_export", view_func=_export)


PAGE = Page(path="region", title_key="profile.page_title", render=render, register=register, nav=False, nav_parent="couverture")
