"""The nearby page's pieces: the result cards (services first, those with unstated ages apart), the
messages, the query of the address. No callbacks."""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from maillage_dash import filters, rows, schema
from maillage_dash.directory import Directory
from maillage_dash.i18n import fmt_int, t
from maillage_dash.labels import ages_text, audience_text
from maillage_dash.links import href
from maillage_dash.nearby import model as nearby
from maillage_dash.nearby.figures import empty_map
from maillage_dash.nearby.ids import NID
from maillage_dash.nearby.plain import el, from_component, to_component
from maillage_dash.ui.card import status_mark
from maillage_dash.ui.filter_panel import filter_panel, summary_box
from maillage_dash.ui.graphs import graph_config

# Result cards in the first response's static copy (the rest come when Dash draws the page).
COPY_CARDS = 8


def place_option(finder: nearby.PlaceFinder, place: nearby.Located, lang: str) -> dict[str, Any]:
    return {"label": finder.label(place, lang), "value": place.key}


def radius_value(value: object) -> str:
    radius = nearby.parse_radius(value)
    return "0" if radius is None else str(int(radius)) if float(radius).is_integer() else str(radius)


def page_query(state: filters.FilterState, lang: str, place: str | None, radius: str, picked: list[str]) -> str:
    extra: list[tuple[str, str]] = []
    if place:
        extra.append(("pres", place))
    extra.append(("rayon", radius))
    extra += [("choix", sid) for sid in picked]
    return filters.to_query(state, lang) + "&" + urlencode(extra)


def sheet_href(state: filters.FilterState, lang: str, place: str | None, picked: list[str]) -> str:
    return href("fiche-reference", state, lang, pres=place, ids=picked)


def directions(rec: Any, lang: str) -> list[Any]:
    """« Itinéraire »: a ``geo:`` link (the phone's maps app, works offline) and OpenStreetMap's directions
    (online). A shelter is reached only as far as its municipality, and the link says so."""
    return to_component(_directions(rec, lang))


def _directions(rec: Any, lang: str) -> list[dict[str, Any]]:
    lat, lon = float(rec["lat"]), float(rec["lon"])
    label = t("near.directions_town", lang) if rec["confidentiel"] else t("near.directions", lang)
    osm = f"https://www.openstreetmap.org/directions?to={lat:.5f}%2C{lon:.5f}"
    return [
        el(html.A, label, href=f"geo:{lat:.5f},{lon:.5f}", className="btn btn-outline-primary btn-sm near-act"),
        el(
            html.A,
            t("near.directions_osm", lang),
            href=osm,
            target="_blank",
            rel="noopener noreferrer",
            className="btn btn-link btn-sm near-act",
        ),
    ]


def act_bar(rec: Any, lang: str) -> html.Div:
    """What a worker does with a result: call (the help line first, large), the other lines with their kind
    and hours, the website, directions. With no way to reach the service, it says so."""
    return to_component(_act_bar(rec, lang))


def _act_bar(rec: Any, lang: str) -> dict[str, Any]:
    lines = rec["telephones"]
    first, others = (lines[0], lines[1:]) if lines else (None, ())
    items: list[Any] = []
    if first is not None:
        details = first.details(lang)
        items.append(
            el(
                html.A,
                [
                    el(html.Span, t("near.call", lang), className="near-call-verb"),
                    el(html.Strong, first.display_in(lang)),
                    el(
                        html.Span,
                        f"{first.label(lang)}" + (f" · {', '.join(details)}" if details else ""),
                        className="near-call-kind",
                    ),
                ],
                href=first.href,
                className="btn near-call",
            )
        )
    for line in others[:2]:
        details = line.details(lang)
        items.append(
            el(
                html.A,
                f"{line.label(lang)}{' : ' if lang == 'fr' else ': '}{line.display_in(lang)}"
                + (f" ({', '.join(details)})" if details else ""),
                href=line.href,
                className="small near-act-line",
            )
        )
    site = _website(rec["site_web"])
    if site:
        items.append(
            el(
                html.A,
                t("near.website", lang),
                href=site,
                target="_blank",
                rel="noopener noreferrer",
                className="btn btn-link btn-sm near-act",
            )
        )
    if not (lines or site or rec["courriel"]):
        items.append(el(html.P, t("near.unreachable", lang), className="small mb-0 near-unreachable"))
    if not (pd.isna(rec["lat"]) or pd.isna(rec["lon"])):
        items += _directions(rec, lang)
    return el(html.Div, items, className="near-actions no-print-links")


def _website(text: Any) -> str:
    """The first http(s) address of a ``site_web`` cell, or ""."""
    return next((p.strip() for p in str(text).split(";") if p.strip().startswith(("http://", "https://"))), "")


# What a card reads of a service: the rows found are read as dicts of these (a pandas row per card cost
# more than the card itself).
CARD_COLUMNS = (
    "id",
    "nom",
    "organisme",
    "municipalite",
    "region",
    "confidentiel",
    "statut",
    "note_verification",
    "types",
    "age_min",
    "age_max",
    "public_cible",
    "telephones",
    "site_web",
    "courriel",
    "lat",
    "lon",
    "distance_km",
)


def card_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts of :data:`CARD_COLUMNS`, in order."""
    columns = [frame[c].tolist() for c in CARD_COLUMNS]
    return [dict(zip(CARD_COLUMNS, values)) for values in zip(*columns)]


@functools.lru_cache(maxsize=64)
def _status_mark(status: str, lang: str) -> Any:
    """The card's status mark (``ui.card.status_mark``) as plain dicts, once per status and language."""
    return from_component(status_mark(status, lang))


@functools.lru_cache(maxsize=4096)
def _types_text(codes: tuple[str, ...], lang: str) -> str:
    return ", ".join(schema.type_label(c, lang) for c in codes)


@functools.lru_cache(maxsize=4096)
def _where_text(town: str, region: str, doubt: bool, lang: str) -> str:
    where = f"{town or '—'} ({schema.region_label(region)})"
    return f"{where} · {t('detail.place_doubt_short', lang)}" if doubt else where


@functools.lru_cache(maxsize=4096)
def _who_texts(age_min: int | None, age_max: int | None, audience: tuple[str, ...], lang: str) -> tuple[str, str]:
    return ages_text(age_min, age_max, lang), audience_text(audience, lang)


def result_item(rank: int, rec: Any, place: nearby.Located, lang: str, link: str, picked: bool) -> html.Li:
    return to_component(_result_item(rank, rec, place, lang, picked))


def _result_item(rank: int, rec: Any, place: nearby.Located, lang: str, picked: bool) -> dict[str, Any]:
    sid = str(rec["id"])
    types = _types_text(tuple(rec["types"]), lang)
    where = _where_text(rec["municipalite"], rec["region"], rows.town_in_doubt(rec["note_verification"]), lang)
    ages, audience = _who_texts(_age(rec["age_min"]), _age(rec["age_max"]), tuple(rec["public_cible"]), lang)
    return el(
        html.Li,
        [
            el(
                html.Div,
                [
                    el(html.Span, str(rank), className="near-rank", **{"aria-hidden": "true"}),
                    el(html.H3, rec["nom"], className="h6 mb-0 near-name"),
                    el(html.Span, nearby.distance_text(float(rec["distance_km"]), place, lang), className="near-distance"),
                ],
                className="near-head",
            ),
            el(
                html.P,
                [
                    el(html.Span, rec["organisme"]),
                    " · ",
                    el(html.Span, where),
                    el(html.Span, t("detail.confidential", lang), className="badge text-bg-secondary ms-2")
                    if rec["confidentiel"]
                    else None,
                ],
                className="mb-1 small",
            ),
            _status_mark(rec["statut"], lang),
            el(html.P, [types, " · ", ages, " · ", audience], className="mb-1 small"),
            _act_bar(rec, lang),
            # The full card is loaded when the details are first opened: fifty cards in every answer
            # made it ~460 KB and ~180 ms at 100,000 services, for details most people never open.
            el(
                html.Details,
                [
                    el(html.Summary, t("near.details", lang), id={"type": NID.DETAIL_OPEN, "sid": sid}),
                    el(
                        html.Div,
                        el(html.P, t("near.loading", lang), className="small text-body-secondary mb-0 near-loading"),
                        id={"type": NID.DETAIL_BODY, "sid": sid},
                        **{"aria-live": "polite"},
                    ),
                ],
                className="near-details",
            ),
            el(
                dcc.Checklist,
                id={"type": NID.PICK, "sid": sid},
                options=[{"label": t("near.pick", lang), "value": sid}],
                value=[sid] if picked else [],
                inputClassName="form-check-input me-2",
                labelClassName="form-check-label small",
                className="no-print near-pick",
            ),
        ],
        className="near-item",
    )


def _age(value: Any) -> int | None:
    """An age cell as a hashable key: None when blank."""
    return None if pd.isna(value) else int(value)


def results_view(
    near: nearby.Nearby,
    place: nearby.Located,
    state: filters.FilterState,
    radius: float | None,
    lang: str,
    picked: list[str],
    *,
    plain: bool = False,
) -> tuple[Any, Any]:
    """The result list and the frame of the services found. ``plain``: the list as the dicts Dash sends
    (:mod:`maillage_dash.nearby.plain`, for a callback's answer), else as Dash components."""
    frame, apart = near.with_apart(place, state, radius, nearby.DEFAULT_LIMIT)
    total = frame.attrs["total"]
    where = near.finder.label(place, lang)
    if radius:
        head = t("near.count_radius", lang, plural=total, n=fmt_int(total, lang), km=fmt_int(radius, lang), place=where)
    else:
        head = t("near.count_all", lang, plural=total, n=fmt_int(total, lang), place=where)
    notes = [el(html.P, head, className="fw-semibold mb-1", id="near-count", **{"data-count": str(total)})]
    if total > len(frame):
        notes.append(el(html.P, t("near.shown", lang, n=fmt_int(len(frame), lang)), className="small mb-1"))
    if place.approximate:
        notes.append(el(html.P, t("near.approximate", lang, code=place.name), className="small mb-1"))
    notes.append(el(html.P, t("near.straight_line", lang), className="small text-body-secondary mb-1"))
    if state.regions:
        notes.append(el(dbc.Alert, t("near.region_filter", lang), color="info", className="py-2 small mb-2"))
    if apart.attrs["total"]:
        notes.append(el(html.P, t("apart.count", lang, n=fmt_int(apart.attrs["total"], lang)), className="small mb-1"))
    if not len(frame):
        notes.append(el(html.P, t("near.none", lang), className="mb-0"))
    chosen = set(picked)
    items = [_result_item(i + 1, rec, place, lang, str(rec["id"]) in chosen) for i, rec in enumerate(card_records(frame))]
    body = [*notes]
    if items:
        # The first response's copy (site/prerender.py) shows the first cards and folds the others under
        # « See the N other services » (not laid out while folded: its first frame comes sooner, desktop
        # 0.44 -> 0.38 s with 43 cards); Dash's page, drawn a moment later, shows them all.
        first = {}
        if len(items) > COPY_CARDS:
            more = t("near.more_in_copy", lang, n=fmt_int(len(items) - COPY_CARDS, lang))
            first = {"data-prerender-first": str(COPY_CARDS), "data-prerender-more": more}
        body.append(el(html.Ol, items, className="near-list list-unstyled", **{"aria-labelledby": "near-results-title"}, **first))
    if len(apart):
        body.append(
            el(
                html.Section,
                [
                    el(
                        html.H3,
                        t("apart.title", lang) + f" ({fmt_int(apart.attrs['total'], lang)})",
                        className="h6 mt-3",
                        id="near-apart-title",
                    ),
                    el(html.P, t("apart.intro", lang), className="small"),
                    el(
                        html.Ol,
                        [
                            _result_item(i + 1, rec, place, lang, str(rec["id"]) in chosen)
                            for i, rec in enumerate(card_records(apart))
                        ],
                        className="near-list near-apart list-unstyled",
                        **{"aria-labelledby": "near-apart-title"},
                    ),
                    el(html.P, t("near.shown", lang, n=fmt_int(len(apart), lang)), className="small")
                    if apart.attrs["total"] > len(apart)
                    else None,
                ],
                className="near-apart-section",
                id="near-apart",
            )
        )
    view = el(html.Div, body)
    return (view if plain else to_component(view)), frame


def message_view(lookup: nearby.Lookup, finder: nearby.PlaceFinder, lang: str) -> Any:
    if not lookup.message:
        return None
    text = t(lookup.message, lang, **(lookup.values or {}))
    children: list[Any] = [text]
    if lookup.suggestions:
        names = ", ".join(finder.label(p, lang) for p in lookup.suggestions)
        children += [" ", t("near.suggestions", lang, names=names)]
    colour = "info" if lookup.place is not None else "warning"
    return dbc.Alert(children, color=colour, className="py-2 mb-0")


def fold_text(place_label: str, radius_km: float | None, state: filters.FilterState, lang: str) -> str:
    """« Près de Saint-Jérôme · 50 km · Hébergement · 12–17 ans »: the search in one line."""
    parts = [t("near.fold_near", lang, place=place_label)]
    parts.append(f"{fmt_int(radius_km, lang)} km" if radius_km else t("near.no_limit", lang))
    parts += [schema.type_label(c, lang) for c in state.types]
    if state.age:
        low, high = state.age
        parts.append(
            t("filters.age_one", lang, age=fmt_int(low, lang))
            if low == high
            else t("filters.age_value", lang, low=low, high=high)
        )
    parts += [schema.term_label(schema.PERSON_LABELS, c, lang) for c in state.audience]
    return " · ".join(parts)


def fold_bar(lang: str) -> html.Div:
    """Shown on phones once a place is chosen, instead of the form: the search in one line, « Modifier »."""
    return html.Div(
        [
            html.P(id=NID.FOLD, className="near-fold-text mb-0", **{"aria-live": "polite"}),
            html.Button(t("near.fold_edit", lang), id=NID.EDIT, n_clicks=0, className="btn btn-outline-primary btn-sm"),
        ],
        className="near-fold no-print",
    )


def view_switch(lang: str) -> html.Div:
    """« Liste » / « Carte » on phones (both side by side on wide screens)."""
    return html.Div(
        dcc.RadioItems(
            id=NID.VIEW,
            options=[{"label": t("near.view_list", lang), "value": "list"}, {"label": t("near.view_map", lang), "value": "map"}],
            value="list",
            inline=True,
            inputClassName="btn-check",
            labelClassName="btn btn-outline-primary btn-sm",
            className="btn-group",
        ),
        className="near-view-switch no-print",
        role="group",
        **{"aria-label": t("near.view_label", lang)},
    )


def search_form(lang: str, options: list[dict[str, Any]], value: str | None, radius: str) -> html.Section:
    """The place (town, postal code or « Ma position ») and the radius."""
    radius_options = [{"label": f"{r} km", "value": str(r)} for r in nearby.RADII_KM]
    radius_options.append({"label": t("near.no_limit", lang), "value": "0"})
    return html.Section(
        [
            html.H1(t("near.title", lang), className="h3"),
            html.P(t("near.intro", lang), className="mb-2"),
            html.Label(t("near.place_label", lang), htmlFor=NID.PLACE, className="form-label fw-semibold"),
            html.Div(
                [
                    dcc.Dropdown(
                        id=NID.PLACE,
                        options=options,
                        value=value,
                        searchable=True,
                        clearable=True,
                        placeholder=t("near.place_placeholder", lang),
                        labels={
                            "no_options_found": t("near.no_place", lang),
                            "search": t("near.place_placeholder", lang),
                            "clear_search": t("dd.clear_search", lang),
                            "clear_selection": t("dd.clear_selection", lang),
                        },
                        debounce=False,
                        className="near-place",
                    ),
                    html.Button(
                        t("near.locate", lang),
                        id=NID.LOCATE,
                        n_clicks=0,
                        className="btn btn-outline-primary",
                        title=t("near.locate_title", lang),
                    ),
                ],
                className="near-search-row",
            ),
            html.P(t("near.place_help", lang), className="form-text small mb-2"),
            html.Fieldset(
                [
                    html.Legend(t("near.radius", lang), className="form-label fs-6 fw-semibold mb-1"),
                    dcc.RadioItems(
                        id=NID.RADIUS,
                        options=radius_options,
                        value=radius,
                        inline=True,
                        inputClassName="form-check-input me-1",
                        labelClassName="form-check-label me-3",
                    ),
                ],
                className="mb-2",
            ),
            html.Div(id=NID.MESSAGE, role="status", **{"aria-live": "polite"}),
        ],
        className="near-search card card-body mb-3",
    )


def map_key(lang: str) -> html.Ul:
    """What the nearby map's marks mean (drawn in CSS, printed with the map)."""
    entries = (
        ("near-key-pill", "1–4", "near.key_services"),
        ("near-key-ring", "", "near.key_place"),
        ("near-key-line", "", "near.key_radius"),
    )
    return html.Ul(
        [
            html.Li([html.Span(mark, className=f"near-key-mark {kind}", **{"aria-hidden": "true"}), t(key, lang)])
            for kind, mark, key in entries
        ],
        className="near-map-key list-unstyled small",
    )


def results_area(directory: Directory, lang: str, state: filters.FilterState, value: str | None, picked: list[str]) -> Any:
    """The filters beside the results (cards first on a phone, then the map)."""
    return dbc.Row(
        [
            dbc.Col(filter_panel(lang, state), lg=3, className="mb-3 no-print"),
            dbc.Col(
                [
                    summary_box(state, lang, "filter-summary mb-2"),
                    view_switch(lang),
                    dbc.Row(
                        [
                            dbc.Col(
                                [
                                    html.Div(
                                        [
                                            html.H2(t("near.results", lang), className="h5 mb-0", id="near-results-title"),
                                            dcc.Link(
                                                t("near.sheet", lang, n=fmt_int(len(picked), lang)),
                                                id=NID.SHEET,
                                                href=sheet_href(state, lang, value, picked),
                                                className="btn btn-primary btn-sm",
                                            ),
                                        ],
                                        className="near-results-head",
                                    ),
                                    html.Div(id=NID.RESULTS, **{"aria-live": "polite", "aria-busy": "false"}),
                                ],
                                xl=6,
                                className="near-list-col",
                            ),
                            dbc.Col(
                                [
                                    html.Div(
                                        dcc.Graph(
                                            id=NID.MAP,
                                            figure=empty_map(directory, lang),
                                            config=graph_config(lang, scrollZoom=True),
                                            className="near-map",
                                        ),
                                        className="map-wrap",
                                        role="region",
                                        **{"aria-label": t("near.map_aria", lang)},
                                    ),
                                    map_key(lang),
                                ],
                                xl=6,
                                className="near-map-col mb-3",
                            ),
                        ],
                        className="near-columns",
                    ),
                ],
                lg=9,
            ),
        ]
    )
