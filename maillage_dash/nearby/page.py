"""Services near a place (/proximite): municipality, postal code or the browser's position,
sorted by distance across regional borders, with a radius, details and a referral sheet."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import ALL, MATCH, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import MissingCallbackContextException

from maillage_dash import filters, schema
from maillage_dash.basemap import regions_geojson_url
from maillage_dash.config import Settings
from maillage_dash.directory import Directory
from maillage_dash.i18n import fmt_int, fmt_num, t
from maillage_dash.ids import ID
from maillage_dash.labels import ages_text, audience_text
from maillage_dash.links import href
from maillage_dash.nearby import model as nearby
from maillage_dash.routing import Page, PageContext
from maillage_dash.text import escape_html as _esc
from maillage_dash.ui import card as detail_ui
from maillage_dash.ui.card import status_mark
from maillage_dash.ui.filter_panel import filter_panel

PLACE = "near-place"
LOCATE = "near-locate"
RADIUS = "near-radius"
MESSAGE = "near-message"
RESULTS = "near-results"
MAP = "near-map"
GEO = "near-geo"
PICKED = "near-picked"
SHEET = "near-sheet"
PAGE_STATE = "near-url"
PICK = "near-pick"
DETAIL_OPEN = "near-detail-open"  # the <summary> of a result's details (its clicks load the card)
DETAIL_BODY = "near-detail-body"
NOT_A_PLACE = "__message__"  # value of the (disabled) option that explains why nothing matched
RAW = "near-raw"  # a place from the URL that could not be resolved, to explain why

PLACE_COLOUR = "#1b5e20"
CIRCLE_COLOUR = "#5b2a86"
POINT_COLOUR = "#c2185b"


def get_nearby(directory: Directory, settings: Settings) -> nearby.Nearby:
    return nearby.nearby_for(directory, settings.geo_dir)


def _trigger() -> Any:
    try:
        return ctx.triggered_id
    except MissingCallbackContextException:
        return None


def place_option(finder: nearby.PlaceFinder, place: nearby.Located, lang: str) -> dict[str, Any]:
    return {"label": finder.label(place, lang), "value": place.key}


def radius_value(value: object) -> str:
    radius = nearby.parse_radius(value)
    return "0" if radius is None else str(int(radius)) if float(radius).is_integer() else str(radius)


def distance_text(km: float, place: nearby.Located, lang: str) -> str:
    if km < 0.05 and place.kind == "municipality":
        return t("near.same_town", lang)
    text = fmt_num(km, lang, 1 if km < 100 else 0) + " km"
    return ("≈ " + text) if place.approximate else text


def page_query(state: filters.FilterState, lang: str, place: str | None, radius: str, picked: list[str]) -> str:
    extra: list[tuple[str, str]] = []
    if place:
        extra.append(("pres", place))
    extra.append(("rayon", radius))
    extra += [("choix", sid) for sid in picked]
    return filters.to_query(state, lang) + "&" + urlencode(extra)


# ---------------------------------------------------------------------------------- layout


def render(ctx_: PageContext) -> Any:
    lang, state = ctx_.lang, ctx_.state
    near = get_nearby(ctx_.directory, ctx_.settings)
    raw_place = ctx_.param("pres") or ""
    radius = radius_value(ctx_.param("rayon", str(nearby.DEFAULT_RADIUS_KM)))
    picked = [sid for sid in ctx_.params.get("choix", []) if sid in ctx_.directory.services.index]
    options: list[dict[str, Any]] = []
    value = None
    if raw_place:
        lookup = near.finder.resolve(raw_place)
        if lookup.place is not None:
            options = [place_option(near.finder, lookup.place, lang)]
            value = lookup.place.key
    radius_options = [{"label": f"{r} km", "value": str(r)} for r in nearby.RADII_KM]
    radius_options.append({"label": t("near.no_limit", lang), "value": "0"})
    search = html.Section(
        [
            html.H1(t("near.title", lang), className="h3"),
            html.P(t("near.intro", lang), className="mb-2"),
            html.Label(t("near.place_label", lang), htmlFor=PLACE, className="form-label fw-semibold"),
            html.Div(
                [
                    dcc.Dropdown(
                        id=PLACE,
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
                        id=LOCATE,
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
                        id=RADIUS,
                        options=radius_options,
                        value=radius,
                        inline=True,
                        inputClassName="form-check-input me-1",
                        labelClassName="form-check-label me-3",
                    ),
                ],
                className="mb-2",
            ),
            html.Div(id=MESSAGE, role="status", **{"aria-live": "polite"}),
        ],
        className="near-search card card-body mb-3",
    )
    return html.Div(
        [
            search,
            dbc.Row(
                [
                    dbc.Col(filter_panel(lang, state), lg=3, className="mb-3 no-print"),
                    dbc.Col(
                        [
                            html.Div(id=ID.SUMMARY, className="filter-summary mb-2", **{"aria-live": "polite"}),
                            dbc.Row(
                                [
                                    dbc.Col(
                                        [
                                            html.Div(
                                                [
                                                    html.H2(
                                                        t("near.results", lang), className="h5 mb-0", id="near-results-title"
                                                    ),
                                                    dcc.Link(
                                                        t("near.sheet", lang, n=fmt_int(len(picked), lang)),
                                                        id=SHEET,
                                                        href=sheet_href(state, lang, value, picked),
                                                        className="btn btn-primary btn-sm",
                                                    ),
                                                ],
                                                className="near-results-head",
                                            ),
                                            html.Div(id=RESULTS, **{"aria-live": "polite", "aria-busy": "false"}),
                                        ],
                                        xl=6,
                                        className="order-2 order-xl-1",
                                    ),
                                    dbc.Col(
                                        html.Div(
                                            dcc.Graph(
                                                id=MAP,
                                                figure=empty_map(ctx_.directory, lang),
                                                config={"displaylogo": False, "scrollZoom": True, "locale": lang},
                                                className="near-map",
                                            ),
                                            className="map-wrap",
                                            role="region",
                                            **{"aria-label": t("near.map_aria", lang)},
                                        ),
                                        xl=6,
                                        className="order-1 order-xl-2 mb-3",
                                    ),
                                ]
                            ),
                        ],
                        lg=9,
                    ),
                ]
            ),
            dcc.Store(id=GEO),
            dcc.Store(id=PICKED, data=picked),
            dcc.Store(id=PAGE_STATE),
            dcc.Store(id=RAW, data=raw_place if value is None else None),
        ],
        className="near-page",
    )


def sheet_href(state: filters.FilterState, lang: str, place: str | None, picked: list[str]) -> str:
    return href("fiche-reference", state, lang, pres=place, ids=picked)


# ---------------------------------------------------------------------------------- map


def empty_map(directory: Directory, lang: str) -> dict[str, Any]:
    return near_map(directory, None, None, None, lang)


def near_map(directory: Directory, place: nearby.Located | None, frame: Any, radius: float | None, lang: str) -> dict[str, Any]:
    """The nearby map as a plain plotly figure dict (built without plotly's validation, which
    deep-copied the regions' GeoJSON on every answer)."""
    codes = list(schema.REGION_CODES)
    data: list[dict[str, Any]] = [
        {
            "type": "choroplethmap",
            "geojson": regions_geojson_url(directory),
            "locations": codes,
            "z": [0] * len(codes),
            "colorscale": [[0, "#f4f1f8"], [1, "#f4f1f8"]],
            "showscale": False,
            "marker": {"line": {"width": 1, "color": "#7a6a8a"}},
            "text": [schema.region_label(c) for c in codes],
            "hovertemplate": "%{text}<extra></extra>",
            "name": t("map.regions", lang),
        }
    ]
    center = {"lat": 52.5, "lon": -71.5}
    zoom = 3.3
    if place is not None:
        if radius:
            lon, lat = nearby.circle_lonlat(place, radius)
            data.append(
                {
                    "type": "scattermap",
                    "lat": lat,
                    "lon": lon,
                    "mode": "lines",
                    "line": {"color": CIRCLE_COLOUR, "width": 2},
                    "hoverinfo": "skip",
                    "name": t("near.radius_line", lang, km=fmt_int(radius, lang)),
                }
            )
        if frame is not None and len(frame):
            texts = [
                f"{i + 1}. {_esc(n)}<br>{_esc(m)} — {distance_text(d, place, lang)}"
                for i, (n, m, d) in enumerate(zip(frame["nom"], frame["municipalite"], frame["distance_km"]))
            ]
            data.append(
                {
                    "type": "scattermap",
                    "lat": [float(v) for v in frame["lat"]],
                    "lon": [float(v) for v in frame["lon"]],
                    "mode": "markers",
                    "marker": {"size": 11, "color": POINT_COLOUR, "opacity": 0.85},
                    "text": texts,
                    "hovertemplate": "%{text}<extra></extra>",
                    "name": t("map.services", lang),
                }
            )
        data.append(
            {
                "type": "scattermap",
                "lat": [place.lat],
                "lon": [place.lon],
                "mode": "markers",
                "marker": {"size": 16, "color": PLACE_COLOUR},
                "text": [t("near.here", lang)],
                "hovertemplate": "%{text}<extra></extra>",
                "name": t("near.here", lang),
            }
        )
        center = {"lat": place.lat, "lon": place.lon}
        reach = radius or (float(frame["distance_km"].max()) if frame is not None and len(frame) else 50.0)
        zoom = zoom_for(place.lat, max(reach, 5.0))
    layout = {
        "map": {"style": "white-bg", "center": center, "zoom": zoom},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "showlegend": False,
        "paper_bgcolor": "white",
        "hoverlabel": {"bgcolor": "white", "font": {"size": 14}},
    }
    return {"data": data, "layout": layout}


def zoom_for(lat: float, radius_km: float, pixels: float = 420.0) -> float:
    """The map zoom at which a circle of ``radius_km`` fits in about ``pixels`` (MapLibre: 512-px tiles)."""
    metres_per_pixel = 2 * radius_km * 1000 / pixels
    return max(2.5, min(12.0, math.log2(78271.517 * math.cos(math.radians(lat)) / metres_per_pixel)))


# ---------------------------------------------------------------------------------- results


def result_item(rank: int, rec: Any, place: nearby.Located, lang: str, link: str, picked: bool) -> html.Li:
    types = ", ".join(schema.type_label(c, lang) for c in rec["types"])
    where = f"{rec['municipalite'] or '—'} ({schema.region_label(rec['region'])})"
    contact: list[Any] = []
    for line in rec["telephones"][:2]:  # the help line first; the card lists every line
        contact.append(html.A(f"{line.label(lang)} : {line.display_in(lang)}", href=line.href, className="me-3"))
    site = next((p.strip() for p in str(rec["site_web"]).split(";") if p.strip().startswith(("http://", "https://"))), "")
    if site:
        contact.append(html.A(t("near.website", lang), href=site, target="_blank", rel="noopener noreferrer"))
    return html.Li(
        [
            html.Div(
                [
                    html.Span(str(rank), className="near-rank", **{"aria-hidden": "true"}),
                    html.H3(rec["nom"], className="h6 mb-0 near-name"),
                    html.Span(distance_text(float(rec["distance_km"]), place, lang), className="near-distance"),
                ],
                className="near-head",
            ),
            html.P(
                [
                    html.Span(rec["organisme"]),
                    " · ",
                    html.Span(where),
                    html.Span(t("detail.confidential", lang), className="badge text-bg-secondary ms-2")
                    if rec["confidentiel"]
                    else None,
                ],
                className="mb-1 small",
            ),
            status_mark(rec["statut"], lang),
            html.P(
                [types, " · ", ages_text(rec["age_min"], rec["age_max"], lang), " · ", audience_text(rec["public_cible"], lang)],
                className="mb-1 small",
            ),
            html.P(contact, className="mb-1 small") if contact else None,
            # The full card is loaded when the details are first opened: fifty cards in every answer
            # made it ~460 KB and ~180 ms at 100,000 services, for details most people never open.
            html.Details(
                [
                    html.Summary(t("near.details", lang), id={"type": DETAIL_OPEN, "sid": str(rec["id"])}),
                    html.Div(
                        html.P(t("near.loading", lang), className="small text-body-secondary mb-0 near-loading"),
                        id={"type": DETAIL_BODY, "sid": str(rec["id"])},
                        **{"aria-live": "polite"},
                    ),
                ],
                className="near-details",
            ),
            dcc.Checklist(
                id={"type": PICK, "sid": str(rec["id"])},
                options=[{"label": t("near.pick", lang), "value": str(rec["id"])}],
                value=[str(rec["id"])] if picked else [],
                inputClassName="form-check-input me-2",
                labelClassName="form-check-label small",
                className="no-print near-pick",
            ),
        ],
        className="near-item",
    )


def results_view(
    near: nearby.Nearby, place: nearby.Located, state: filters.FilterState, radius: float | None, lang: str, picked: list[str]
) -> tuple[Any, Any]:
    frame = near.services(place, state, radius, nearby.DEFAULT_LIMIT)
    total = frame.attrs["total"]
    where = near.finder.label(place, lang)
    if radius:
        head = t("near.count_radius", lang, n=fmt_int(total, lang), km=fmt_int(radius, lang), place=where)
    else:
        head = t("near.count_all", lang, n=fmt_int(total, lang), place=where)
    notes = [html.P(head, className="fw-semibold mb-1", id="near-count", **{"data-count": str(total)})]
    if total > len(frame):
        notes.append(html.P(t("near.shown", lang, n=fmt_int(len(frame), lang)), className="small mb-1"))
    if place.approximate:
        notes.append(html.P(t("near.approximate", lang, code=place.name), className="small mb-1"))
    notes.append(html.P(t("near.straight_line", lang), className="small text-body-secondary mb-1"))
    if state.regions:
        notes.append(dbc.Alert(t("near.region_filter", lang), color="info", className="py-2 small mb-2"))
    apart = near.apart(place, state, radius, nearby.DEFAULT_LIMIT)
    if apart.attrs["total"]:
        notes.append(html.P(t("apart.count", lang, n=fmt_int(apart.attrs["total"], lang)), className="small mb-1"))
    if not len(frame):
        notes.append(html.P(t("near.none", lang), className="mb-0"))
    items = [
        result_item(i + 1, rec, place, lang, href("", state, lang, service=str(rec["id"])), str(rec["id"]) in picked)
        for i, (_, rec) in enumerate(frame.iterrows())
    ]
    body = [*notes]
    if items:
        body.append(html.Ol(items, className="near-list list-unstyled", **{"aria-labelledby": "near-results-title"}))
    if len(apart):
        link = lambda sid: href("", state, lang, service=sid)  # noqa: E731
        body.append(
            html.Section(
                [
                    html.H3(
                        t("apart.title", lang) + f" ({fmt_int(apart.attrs['total'], lang)})",
                        className="h6 mt-3",
                        id="near-apart-title",
                    ),
                    html.P(t("apart.intro", lang), className="small"),
                    html.Ol(
                        [
                            result_item(i + 1, rec, place, lang, link(str(rec["id"])), str(rec["id"]) in picked)
                            for i, (_, rec) in enumerate(apart.iterrows())
                        ],
                        className="near-list near-apart list-unstyled",
                        **{"aria-labelledby": "near-apart-title"},
                    ),
                ],
                className="near-apart-section",
                id="near-apart",
            )
        )
    return html.Div(body), frame


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


# ---------------------------------------------------------------------------------- callbacks


class NearbyHandlers:
    def __init__(self, directory: Directory, settings: Settings):
        self.directory = directory
        self.settings = settings

    @property
    def near(self) -> nearby.Nearby:
        return get_nearby(self.directory, self.settings)

    def options(self, search: str | None, value: str | None, store: dict[str, Any] | None) -> Any:
        """Autocomplete options for what is being typed (accent-, case- and hyphen-insensitive)."""
        lang = (store or {}).get("lang", "fr")
        finder = self.near.finder
        current = finder.from_key(value) if value else None
        keep = [place_option(finder, current, lang)] if current else []
        if not search or not str(search).strip():
            return keep if keep else no_update
        found = finder.search(search)
        lookup = None if found else finder.resolve(search)
        if lookup is not None and lookup.place is not None:
            found = [lookup.place]
        if found:
            options = _unique(keep + [place_option(finder, p, lang) for p in found])
        else:
            message = t((lookup and lookup.message) or "near.no_place", lang, **((lookup and lookup.values) or {}))
            options = [{"label": message, "value": NOT_A_PLACE, "disabled": True}]
            options += [place_option(finder, p, lang) for p in (lookup.suggestions if lookup else ())]
            options = keep + options
        # The dropdown also filters on its side: let it match what was typed ("st-hyacinthe").
        return [{**o, "search": f"{search} {o['label']}"} for o in options]

    def results(
        self, value: str | None, radius: Any, store: dict[str, Any] | None, picked: list[str] | None, raw: str | None = None
    ) -> tuple[Any, ...]:
        from maillage_dash.events import state_from_store

        state, lang = state_from_store(store)
        radius_text = radius_value(radius)
        radius_km = nearby.parse_radius(radius_text)
        picked = [p for p in picked if isinstance(p, str)] if isinstance(picked, list) else []
        finder = self.near.finder
        if not isinstance(value, str) or value == NOT_A_PLACE:
            value = None  # the explanation line of the list is not a place
        url_store = {"query": page_query(state, lang, value, radius_text, picked)}
        if not value and raw:
            lookup = finder.resolve(raw)
            if lookup.place is None:
                return None, empty_map(self.directory, lang), message_view(lookup, finder, lang), url_store
        if not value:
            intro = html.P(t("near.start", lang), className="text-body-secondary")
            return intro, empty_map(self.directory, lang), None, url_store
        lookup = finder.resolve(value)
        if lookup.place is None:
            return None, empty_map(self.directory, lang), message_view(lookup, finder, lang), url_store
        view, frame = results_view(self.near, lookup.place, state, radius_km, lang, picked)
        figure = near_map(self.directory, lookup.place, frame, radius_km, lang)
        return view, figure, message_view(lookup, finder, lang), url_store

    def geolocated(self, geo: dict[str, Any] | None, store: dict[str, Any] | None) -> tuple[Any, ...]:
        lang = (store or {}).get("lang", "fr")
        if not geo:
            return no_update, no_update, no_update
        if "error" in geo:
            key = {1: "near.geo_denied", 2: "near.geo_unavailable", 3: "near.geo_timeout"}.get(
                geo.get("error"), "near.geo_unsupported"
            )
            return no_update, no_update, dbc.Alert(t(key, lang), color="warning", className="py-2 mb-0")
        try:
            lat, lon = float(geo["lat"]), float(geo["lon"])
        except (KeyError, TypeError, ValueError):
            return no_update, no_update, dbc.Alert(t("near.geo_unavailable", lang), color="warning", className="py-2 mb-0")
        place = self.near.finder.position(f"{lat},{lon}")
        if place is None:
            return no_update, no_update, dbc.Alert(t("near.msg_outside", lang), color="warning", className="py-2 mb-0")
        option = place_option(self.near.finder, place, lang)
        return [option], place.key, None

    def detail(self, n_clicks: Any, body: Any, store: dict[str, Any] | None) -> Any:
        """A result's full card, the first time its details are opened (``body`` still the placeholder)."""
        from maillage_dash.events import state_from_store

        props = body.get("props") if isinstance(body, dict) else None
        placeholder = isinstance(props, dict) and "near-loading" in str(props.get("className", ""))
        if not n_clicks or not placeholder:
            return no_update
        trigger = _trigger()
        sid = str(trigger.get("sid")) if isinstance(trigger, dict) else ""
        state, lang = state_from_store(store)
        rec = self.directory.by_id(sid)
        if rec is None:
            return html.P(t("detail.not_found", lang), className="text-danger small mb-0")
        return detail_ui.service_card(rec, lang, href("", state, lang, service=sid))

    def picks(
        self, values: list[Any], picked: list[str] | None, place: str | None, store: dict[str, Any] | None
    ) -> tuple[Any, ...]:
        from maillage_dash.events import state_from_store

        state, lang = state_from_store(store)
        picked = [p for p in picked if isinstance(p, str)] if isinstance(picked, list) else []
        place = place if isinstance(place, str) else None
        trigger = _trigger()
        if isinstance(trigger, dict) and trigger.get("type") == PICK and isinstance(values, list):
            sid = str(trigger.get("sid"))
            sids = [_sid_of(item) for item in (ctx.inputs_list[0] if isinstance(ctx.inputs_list[0], list) else [])]
            index = sids.index(sid) if sid in sids else -1
            on = 0 <= index < len(values) and bool(values[index])
            if on and sid not in picked:
                picked.append(sid)
            if not on and sid in picked:
                picked.remove(sid)
        label = t("near.sheet", lang, n=fmt_int(len(picked), lang))
        return picked, sheet_href(state, lang, place, picked), label


def _sid_of(item: Any) -> Any:
    """The service id of one pattern-matching input as Dash describes it (``{"id": {"sid": …}}``)."""
    ident = item.get("id") if isinstance(item, dict) else None
    return ident.get("sid") if isinstance(ident, dict) else None


def _unique(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for option in options:
        if option["value"] not in seen:
            seen.add(option["value"])
            out.append(option)
    return out


def register(app: Dash, directory: Directory, settings: Settings) -> None:
    handlers = NearbyHandlers(directory, settings)
    app.callback(
        Output(PLACE, "options"),
        Input(PLACE, "search_value"),
        State(PLACE, "value"),
        State(ID.STATE, "data"),
        prevent_initial_call=True,
    )(handlers.options)
    app.callback(
        Output(RESULTS, "children"),
        Output(MAP, "figure"),
        Output(MESSAGE, "children"),
        Output(PAGE_STATE, "data"),
        Input(PLACE, "value"),
        Input(RADIUS, "value"),
        Input(ID.STATE, "data"),
        State(PICKED, "data"),
        State(RAW, "data"),
    )(handlers.results)
    app.callback(
        Output(PLACE, "options", allow_duplicate=True),
        Output(PLACE, "value"),
        Output(MESSAGE, "children", allow_duplicate=True),
        Input(GEO, "data"),
        State(ID.STATE, "data"),
        prevent_initial_call=True,
    )(handlers.geolocated)
    app.callback(
        Output(PICKED, "data"),
        Output(SHEET, "href"),
        Output(SHEET, "children"),
        Input({"type": PICK, "sid": ALL}, "value"),
        State(PICKED, "data"),
        State(PLACE, "value"),
        State(ID.STATE, "data"),
        prevent_initial_call=True,
    )(handlers.picks)
    app.callback(
        Output({"type": DETAIL_BODY, "sid": MATCH}, "children"),
        Input({"type": DETAIL_OPEN, "sid": MATCH}, "n_clicks"),
        State({"type": DETAIL_BODY, "sid": MATCH}, "children"),
        State(ID.STATE, "data"),
        prevent_initial_call=True,
    )(handlers.detail)
    # The browser's position: asked only when the button is pressed; a refusal gets a message.
    app.clientside_callback(
        ClientsideFunction("maillage", "locate"),
        Output(GEO, "data"),
        Input(LOCATE, "n_clicks"),
        prevent_initial_call=True,
    )
    # Keep the address bar in step with the place, radius and chosen services.
    app.clientside_callback(
        ClientsideFunction("maillage", "nearbyAddress"),
        Output(ID.LANG_LINK, "href", allow_duplicate=True),
        Input(PAGE_STATE, "data"),
        prevent_initial_call=True,
    )


PAGE = Page(path="proximite", title_key="near.title", nav_key="nav.proximite", render=render, register=register)

__all__ = ["PAGE", "NearbyHandlers", "get_nearby", "near_map", "results_view", "zoom_for"]
