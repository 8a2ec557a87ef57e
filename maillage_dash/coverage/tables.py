"""Accessible HTML tables of the coverage views (captions, header scopes, "—" with its reason).

Layout only: values come from :mod:`maillage_dash.coverage`, text from :mod:`coverage_format`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from dash import dcc, html

from maillage_dash import schema
from maillage_dash.coverage import format as fmt
from maillage_dash.coverage.accessibility import RADII_KM, AccessModel
from maillage_dash.coverage.model import Coverage
from maillage_dash.i18n import fmt_date, t


def hidden(text: str) -> html.Span:
    return html.Span(text, className="visually-hidden")


def unknown(reason: str) -> html.Span:
    """A "—" whose reason is read out and shown on hover."""
    return html.Span([html.Span(fmt.DASH, title=reason, **{"aria-hidden": "true"}), hidden(reason)])


def value_cell(text: str, *, gap: bool = False, reason: str | None = None, lang: str = "fr", extra: Any = None) -> html.Td:
    body: list[Any] = [unknown(reason) if text == fmt.DASH and reason else text]
    if gap:
        body.append(hidden(" — " + t("coverage.gap_word", lang)))
    if extra is not None:
        body.append(extra)
    return html.Td(body, className="num" + (" gap-cell" if gap else "") + (" unknown-cell" if text == fmt.DASH else ""))


def type_header(type_code: str, lang: str) -> html.Th:
    """A column header with a short label (soft hyphens, so the table fits a phone or A4 paper);
    the full label is read out and shown on hover."""
    full = schema.type_label(type_code, lang)
    return html.Th(
        [html.Span(t(f"coverage.short.{type_code}", lang), title=full, **{"aria-hidden": "true"}), hidden(full)],
        scope="col",
        className="type-col",
    )


def region_link(code: str, link: Callable[[str], str] | None) -> Any:
    label = schema.region_label(code)
    return dcc.Link(label, href=link(code)) if link else label


def matrix_table(result: Coverage, lang: str, link: Callable[[str], str] | None = None, caption: str | None = None) -> html.Div:
    """Regions × types: count, rate per 10,000 below it; zero cells marked as gaps."""
    group = result.choice.group.label(lang)
    head = html.Thead(
        html.Tr(
            [
                html.Th(t("coverage.col_region", lang), scope="col"),
                html.Th(t("coverage.col_entries", lang), scope="col"),
                html.Th(t("coverage.col_verified", lang), scope="col"),
                html.Th(t("coverage.col_population", lang, group=group, year=result.year.year), scope="col"),
            ]
            + [type_header(c, lang) for c in result.types]
        )
    )
    body = []
    for region in result.regions:
        info = result.info[region]
        population = result.population.get(region)
        cells: list[Any] = [
            html.Th(region_link(region, link), scope="row"),
            html.Td(
                t("coverage.entries_value", lang, located=fmt.count(info.located, lang), serving=fmt.count(info.serving, lang))
            ),
            html.Td(fmt_date(info.latest, lang, "medium") if info.latest else t("coverage.never_verified", lang)),
            value_cell(fmt.count(population, lang), reason=fmt.note("no_population", lang)),
        ]
        for type_code in result.types:
            cell = result.cell(region, type_code)
            rate = fmt.rate(cell.rate, lang)
            reason = fmt.note(cell.notes[0], lang) if cell.notes else None
            cells.append(
                value_cell(
                    fmt.count(cell.count, lang),
                    gap=cell.gap,
                    lang=lang,
                    extra=html.Span(
                        [
                            " ",
                            unknown(reason) if rate == fmt.DASH and reason else rate,
                            hidden(" " + t("coverage.per_10k", lang)),
                        ],
                        className="rate d-block small",
                    ),
                )
            )
        body.append(html.Tr(cells))
    return html.Div(
        html.Table(
            [
                html.Caption(caption or t("coverage.table_caption", lang, group=group, year=result.year.year)),
                head,
                html.Tbody(body),
            ],
            className="table table-sm coverage-table",
        ),
        className="table-responsive",
        tabIndex="0",
        role="region",
        **{"aria-label": t("coverage.table_region_label", lang)},
    )


def access_table(
    model: AccessModel,
    result: Coverage,
    type_code: str,
    lang: str,
    link: Callable[[str], str] | None = None,
) -> html.Div:
    """Per region: share of the municipal population within 25/50/100 km of a service of one type."""
    j = model.type_codes.index(type_code)
    shares = {radius: model.shares(result.access, radius)[:, j] for radius in RADII_KM}
    beyond = model.population_beyond(result.access, max(RADII_KM))[:, j]
    fca = model.region_fca(result.access, j) if result.access.fca_available else None
    no_muni = fmt.note("no_municipality", lang)
    rows = []
    for region in result.regions:
        i = schema.REGION_CODES.index(region)
        people = model.region_population[i]
        cells: list[Any] = [
            html.Th(region_link(region, link), scope="row"),
            value_cell(fmt.count(people if people > 0 else None, lang), reason=no_muni),
        ]
        cells += [value_cell(fmt.share(shares[r][i], lang), reason=no_muni) for r in RADII_KM]
        cells.append(value_cell(fmt.count(beyond[i] if people > 0 else None, lang), reason=no_muni))
        if fca is not None:
            cells.append(value_cell(fmt.rate(fca[i], lang), reason=no_muni))
        rows.append(html.Tr(cells))
    heads = [
        t("coverage.col_region", lang),
        t("coverage.col_muni_population", lang),
        *[t("coverage.col_within", lang, radius=r) for r in RADII_KM],
        t("coverage.col_beyond", lang, radius=max(RADII_KM)),
    ]
    if fca is not None:
        heads.append(t("coverage.col_fca", lang))
    return html.Div(
        html.Table(
            [
                html.Caption(t("coverage.access_caption", lang, type=schema.type_label(type_code, lang))),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in heads])),
                html.Tbody(rows),
            ],
            className="table table-sm coverage-table",
        ),
        className="table-responsive",
        tabIndex="0",
        role="region",
        **{"aria-label": t("coverage.access_caption", lang, type=schema.type_label(type_code, lang))},
    )


def deserts_table(
    model: AccessModel, result: Coverage, type_code: str, lang: str, regions: Sequence[str] = (), n: int = 10
) -> Any:
    """The municipalities farthest from a matching service of one type."""
    frame = model.deserts(result.access, type_code, tuple(regions), n)
    label = schema.type_label(type_code, lang)
    if frame.empty:
        return html.P(t("coverage.deserts_none_here", lang))
    if not np.isfinite(frame["distance_km"].to_numpy()).any():
        return html.P(t("coverage.deserts_no_service", lang, type=label), className="gap-note")
    rows = [
        html.Tr(
            [
                html.Th(rec.nom, scope="row"),
                html.Td(schema.region_label(rec.region)),
                html.Td(fmt.count(rec.population, lang), className="num"),
                html.Td(fmt.km(rec.distance_km, lang), className="num"),
            ]
        )
        for rec in frame.itertuples(index=False)
    ]
    return html.Div(
        html.Table(
            [
                html.Caption(t("coverage.deserts_caption", lang, type=label, n=len(frame))),
                html.Thead(
                    html.Tr(
                        [
                            html.Th(t("coverage.col_municipality", lang), scope="col"),
                            html.Th(t("coverage.col_region", lang), scope="col"),
                            html.Th(t("coverage.col_muni_population_short", lang), scope="col"),
                            html.Th(t("coverage.col_distance", lang), scope="col"),
                        ]
                    )
                ),
                html.Tbody(rows),
            ],
            className="table table-sm coverage-table",
        ),
        className="table-responsive",
    )


__all__ = ["access_table", "deserts_table", "matrix_table", "unknown", "value_cell"]
