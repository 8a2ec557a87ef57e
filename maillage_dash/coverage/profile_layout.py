"""A region's profile as a layout (no callbacks, no logic): key figures, gaps by age band,
neighbours, accessibility, services, sources. The page (``region_page``) and the self-contained HTML
export (``report``) both show this same layout."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from maillage_dash import schema
from maillage_dash.coverage import figures as figs
from maillage_dash.coverage import format as fmt
from maillage_dash.coverage import population
from maillage_dash.coverage import tables as tables
from maillage_dash.coverage.accessibility import CATCHMENT_KM, RADII_KM
from maillage_dash.coverage.ids import CovID
from maillage_dash.coverage.model import SHARE_RADIUS_KM
from maillage_dash.coverage.profile import RegionProfile
from maillage_dash.directory import Directory
from maillage_dash.filters import describe
from maillage_dash.geo import ATTRIBUTION_EN, ATTRIBUTION_FR
from maillage_dash.i18n import count_text, fmt_date, t
from maillage_dash.labels import ages_text


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
                t("profile.kf_services_note", lang, plural=p.located, located=fmt.count(p.located, lang)),
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
                t(
                    "profile.kf_verified_note",
                    lang,
                    serving=count_text("profile.kf_verified_serving", info.serving, lang),
                    located=count_text("profile.kf_verified_located", info.located, lang),
                ),
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
        unknown = p.bands_unknown.get(type_code, 0)
        cells.append(html.Td(fmt.count(unknown, lang), className="text-end age-unknown" + (" text-muted" if not unknown else "")))
        rows.append(html.Tr(cells))
    head.append(html.Th(t("profile.col_age_unknown", lang), scope="col", className="age-unknown"))
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


PHONE_ONLY_TYPE = "ligne_ecoute"


def access_table(p: RegionProfile, lang: str) -> html.Div:
    no_muni = fmt.note("no_municipality", lang)
    rows = []
    for row in p.access:
        cells: list[Any] = [html.Th(schema.type_label(row.type, lang), scope="row")]
        if row.type == PHONE_ONLY_TYPE:
            # A help line is called from anywhere: its office's distance is not a gap.
            rows.append(
                html.Tr([*cells, html.Td(t("profile.line_anywhere", lang), colSpan=len(RADII_KM) + 2, className="small")])
            )
            continue
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


def map_and_bars(p: RegionProfile, lang: str, directory: Directory, neighbours: str, presentation: bool) -> Any:
    """The region and its neighbours on a map, beside the comparison bars."""
    name = schema.region_label(p.code)
    return dbc.Row(
        [
            dbc.Col(
                [
                    html.H2(t("profile.map_title", lang), className="h5"),
                    html.Div(
                        dcc.Graph(
                            id=CovID.PROFILE_MAP,
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
                        dcc.Graph(id=CovID.PROFILE_BARS, figure=comparison_bars(p, lang, presentation), config=figs.config(lang)),
                        role="figure",
                        **{"aria-label": t("profile.bars_aria", lang)},
                    ),
                    html.P(t("profile.bars_legend", lang), className="small"),
                ],
                lg=12 if presentation else 5,
            ),
        ]
    )


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
            map_and_bars(p, lang, directory, neighbours, presentation),
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
