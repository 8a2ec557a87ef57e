"""The nearby page's callbacks: unpack, call the model and layout, return; wired by register()."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, MATCH, ClientsideFunction, Dash, Input, Output, State, ctx, html, no_update
from dash.exceptions import MissingCallbackContextException

from maillage_dash import emergency
from maillage_dash.config import Settings
from maillage_dash.directory import Directory
from maillage_dash.events import state_from_store
from maillage_dash.i18n import fmt_int, norm_lang, t
from maillage_dash.ids import ID
from maillage_dash.links import href
from maillage_dash.nearby import model as nearby
from maillage_dash.nearby.figures import empty_map, near_map
from maillage_dash.nearby.ids import NID
from maillage_dash.nearby.layout import (
    fold_text,
    message_view,
    page_query,
    place_option,
    radius_value,
    results_view,
    sheet_href,
)
from maillage_dash.ui import card as detail_ui
from maillage_dash.ui.emergency import emergency_strip


def _trigger() -> Any:
    try:
        return ctx.triggered_id
    except MissingCallbackContextException:
        return None


class NearbyHandlers:
    def __init__(self, directory: Directory, settings: Settings):
        self.directory = directory
        self.settings = settings

    @property
    def near(self) -> nearby.Nearby:
        return nearby.nearby_for(self.directory, self.settings.geo_dir)

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
            options = [{"label": message, "value": NID.NOT_A_PLACE, "disabled": True}]
            options += [place_option(finder, p, lang) for p in (lookup.suggestions if lookup else ())]
            options = keep + options
        # The dropdown also filters on its side: let it match what was typed ("st-hyacinthe").
        return [{**o, "search": f"{search} {o['label']}"} for o in options]

    def results(
        self, value: str | None, radius: Any, store: dict[str, Any] | None, picked: list[str] | None, raw: str | None = None
    ) -> tuple[Any, ...]:
        if _trigger() is None and isinstance(store, dict) and store.get("fresh"):
            # The first call after the page was rendered: the page came with this very answer (page.render).
            return (no_update,) * 6
        return self.answer(value, radius, store, picked, raw, plain=True)

    def answer(
        self,
        value: str | None,
        radius: Any,
        store: dict[str, Any] | None,
        picked: list[str] | None,
        raw: str | None = None,
        *,
        plain: bool = False,
    ) -> tuple[Any, ...]:
        """Results, map, message, the page's address state, the folded search line and the page's class.
        ``plain``: the result cards as the dicts Dash sends (a callback's answer), else as components."""
        state, lang = state_from_store(store)
        radius_text = radius_value(radius)
        radius_km = nearby.parse_radius(radius_text)
        picked = [p for p in picked if isinstance(p, str)] if isinstance(picked, list) else []
        finder = self.near.finder
        if not isinstance(value, str) or value == NID.NOT_A_PLACE:
            value = None  # the explanation line of the list is not a place
        url_store = {"query": page_query(state, lang, value, radius_text, picked)}
        unfolded = ("", "near-page near-show-list")
        if not value and raw:
            lookup = finder.resolve(raw)
            if lookup.place is None:
                return None, empty_map(self.directory, lang), message_view(lookup, finder, lang), url_store, *unfolded
        if not value:
            intro = html.P(t("near.start", lang), className="text-body-secondary")
            return intro, empty_map(self.directory, lang), None, url_store, *unfolded
        lookup = finder.resolve(value)
        if lookup.place is None:
            return None, empty_map(self.directory, lang), message_view(lookup, finder, lang), url_store, *unfolded
        view, frame = results_view(self.near, lookup.place, state, radius_km, lang, picked, plain=plain)
        figure = near_map(self.directory, lookup.place, frame, radius_km, lang, label=finder.label(lookup.place, lang))
        place_name = lookup.place.name if lookup.place.kind == "municipality" else finder.label(lookup.place, lang)
        fold = fold_text(place_name, radius_km, state, lang)
        # Results first on a phone: the form folds into one line (CSS shows it only on small screens).
        return view, figure, message_view(lookup, finder, lang), url_store, fold, "near-page near-show-list has-place"

    def emergency(self, value: Any, store: dict[str, Any] | None) -> Any:
        """The lines to call first, with the DPJ line of the chosen place's region."""
        _, lang = state_from_store(store)
        place = self.near.finder.resolve(value).place if isinstance(value, str) and value != NID.NOT_A_PLACE else None
        region = place.region if place is not None else None
        return emergency_strip(emergency.lines_for(self.directory, region), lang, region_known=bool(region))

    def geolocated(self, geo: dict[str, Any] | None, store: dict[str, Any] | None) -> tuple[Any, ...]:
        lang = norm_lang(store.get("lang") if isinstance(store, dict) else None)
        if not geo or not isinstance(geo, dict):  # whatever a client posts, never an exception
            return no_update, no_update, no_update
        if "error" in geo:
            error = geo.get("error")
            errors = {1: "near.geo_denied", 2: "near.geo_unavailable", 3: "near.geo_timeout"}
            key = errors.get(error, "near.geo_unsupported") if isinstance(error, int) else "near.geo_unsupported"
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
        if isinstance(trigger, dict) and trigger.get("type") == NID.PICK and isinstance(values, list):
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
        Output(NID.PLACE, "options"),
        Input(NID.PLACE, "search_value"),
        State(NID.PLACE, "value"),
        State(ID.STATE, "data"),
        prevent_initial_call=True,
    )(handlers.options)
    app.callback(
        Output(NID.RESULTS, "children"),
        Output(NID.MAP, "figure"),
        Output(NID.MESSAGE, "children"),
        Output(NID.PAGE_STATE, "data"),
        Output(NID.FOLD, "children"),
        Output(NID.PAGE, "className"),
        Input(NID.PLACE, "value"),
        Input(NID.RADIUS, "value"),
        Input(ID.STATE, "data"),
        State(NID.PICKED, "data"),
        State(NID.RAW, "data"),
    )(handlers.results)
    app.callback(Output(NID.EMERGENCY, "children"), Input(NID.PLACE, "value"), Input(ID.STATE, "data"))(handlers.emergency)
    app.callback(
        Output(NID.PLACE, "options", allow_duplicate=True),
        Output(NID.PLACE, "value"),
        Output(NID.MESSAGE, "children", allow_duplicate=True),
        Input(NID.GEO, "data"),
        State(ID.STATE, "data"),
        prevent_initial_call=True,
    )(handlers.geolocated)
    app.callback(
        Output(NID.PICKED, "data"),
        Output(NID.SHEET, "href"),
        Output(NID.SHEET, "children"),
        Input({"type": NID.PICK, "sid": ALL}, "value"),
        State(NID.PICKED, "data"),
        State(NID.PLACE, "value"),
        State(ID.STATE, "data"),
        prevent_initial_call=True,
    )(handlers.picks)
    app.callback(
        Output({"type": NID.DETAIL_BODY, "sid": MATCH}, "children"),
        Input({"type": NID.DETAIL_OPEN, "sid": MATCH}, "n_clicks"),
        State({"type": NID.DETAIL_BODY, "sid": MATCH}, "children"),
        State(ID.STATE, "data"),
        prevent_initial_call=True,
    )(handlers.detail)
    # « Modifier » unfolds the form (and puts the cursor in the place box); « Liste » / « Carte » on phones.
    app.clientside_callback(
        ClientsideFunction("maillage", "nearbyUnfold"),
        Output(NID.PAGE, "className", allow_duplicate=True),
        Input(NID.EDIT, "n_clicks"),
        State(NID.PAGE, "className"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("maillage", "nearbyView"),
        Output(NID.PAGE, "className", allow_duplicate=True),
        Input(NID.VIEW, "value"),
        State(NID.PAGE, "className"),
        prevent_initial_call=True,
    )
    # The browser's position: asked only when the button is pressed; a refusal gets a message.
    app.clientside_callback(
        ClientsideFunction("maillage", "locate"),
        Output(NID.GEO, "data"),
        Input(NID.LOCATE, "n_clicks"),
        prevent_initial_call=True,
    )
    # Keep the address bar in step with the place, radius and chosen services.
    app.clientside_callback(
        ClientsideFunction("maillage", "nearbyAddress"),
        Output(ID.LANG_LINK, "href", allow_duplicate=True),
        Input(NID.PAGE_STATE, "data"),
        prevent_initial_call=True,
    )
