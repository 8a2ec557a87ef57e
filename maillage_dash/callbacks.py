"""Thin callbacks: unpack the inputs, call the data functions, return.

``Handlers`` holds the plain functions (testable without a browser); ``register`` wires them
to the Dash app.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import numpy as np

from dash import ALL, Dash, Input, Output, Patch, State, ctx, dcc, html, no_update

from . import export, figures, filters, pages, schema, table
from .components import detail as detail_ui
from .components import layout
from .components.shell import shell
from .config import Settings
from dash.exceptions import MissingCallbackContextException
from .directory import Directory
from .i18n import fmt_int, norm_lang, t
from .ids import ID

PRINT_LIMIT = 500
GRID_ORDERS_KEPT = 64  # (filters, sort) views whose row order is kept per worker


def state_from_controls(regions: Any, age: Any, types: Any, sectors: Any, text: Any) -> filters.FilterState:
    state, _ = filters.FilterState.build(regions=regions, types=types, sectors=sectors, text=text)
    return state.with_age(layout.age_from_slider(age))


def state_from_store(store: dict[str, Any] | None) -> tuple[filters.FilterState, str]:
    store = store if isinstance(store, dict) else {}  # whatever a client posts, never an exception
    state, lang, _ = filters.from_query(store.get("query"))
    return state, norm_lang(lang or store.get("lang"))


def triggered_id() -> Any:
    """The id of the input that fired the running callback (None outside a callback, as in tests)."""
    try:
        return ctx.triggered_id
    except MissingCallbackContextException:
        return None


@dataclass
class Handlers:
    """Every callback body, as plain functions of plain values."""

    directory: Directory
    settings: Settings
    _orders: OrderedDict = field(default_factory=OrderedDict, repr=False, compare=False)
    _orders_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    _by_name: np.ndarray | None = field(default=None, repr=False, compare=False)
    _ranks: table.SortRanks | None = field(default=None, repr=False, compare=False)

    # ----------------------------------------------------------------- page (router)
    def render_page(self, pathname: str | None, search: str | None) -> tuple[Any, dict[str, Any]]:
        state, lang, rejected = filters.from_query(search)
        lang = lang or self.settings.default_lang
        params = parse_qs((search or "").lstrip("?"))
        notice = t("app.rejected", lang, values=", ".join(rejected)) if rejected else None
        page, rest = pages.resolve(pathname)
        if page is None:
            body: Any = not_found(lang, state, pathname)
            active = None
        else:
            context = pages.PageContext(self.directory, self.settings, lang, state, rest, params)
            body = page.render(context)
            active = page.path
        frame = shell(
            body,
            lang=lang,
            state=state,
            directory=self.directory,
            active=active,
            quick_exit_url=self.settings.quick_exit_url,
            notice=notice,
        )
        service = params.get("service", [None])[0]
        title = t(page.title_key, lang) if page else t("notfound.title", lang)
        store = {"query": filters.to_query(state, lang), "lang": lang, "service": service, "title": title, "fresh": True}
        return frame, store

    # ----------------------------------------------------------------- filters → shared state
    def update_filters(
        self, regions: Any, age: Any, types: Any, sectors: Any, text: Any, store: dict[str, Any] | None
    ) -> tuple[Any, ...]:
        """Filter controls → the shared state (URL, store), its summary, the other-language link."""
        store = store if isinstance(store, dict) else None
        _, lang = state_from_store(store)
        state = state_from_controls(regions, age, types, sectors, text)
        query = filters.to_query(state, lang)
        other = "en" if lang == "fr" else "fr"
        if store and store.get("query") == query:
            return no_update, self.summary(state, lang), no_update
        # Only the keys this app writes are carried over (the store comes back from the browser).
        kept = {k: v for k, v in (store or {}).items() if k in ("service", "title") and isinstance(v, str)}
        new_store = {**kept, "query": query, "lang": lang, "fresh": False}
        return new_store, self.summary(state, lang), filters.to_query(state, other)

    # ----------------------------------------------------------------- shared state → map
    def update_map(self, store: dict[str, Any] | None, basemap: Any) -> tuple[Any, ...]:
        store = store if isinstance(store, dict) else None
        state, lang = state_from_store(store)
        keep = filters.mask(self.directory, state)
        frame = figures.map_rows(self.directory.services, keep)
        counts = figures.region_counts(self.directory, keep)
        counters = self.counters(frame, counts, lang)
        if store and store.get("fresh") and triggered_id() != ID.BASEMAP:
            # The page was just rendered with this very figure: only the counters are new.
            return no_update, counters
        values = figures.choropleth_data(counts, state.regions, lang)
        pts = figures.point_data(figures.markers(frame, lang))

        fig = Patch()
        fig["data"][0]["z"] = values["z"]
        fig["data"][0]["zmax"] = values["zmax"]
        fig["data"][0]["text"] = values["text"]
        fig["data"][0]["marker"]["line"]["width"] = values["line_width"]
        fig["data"][0]["marker"]["line"]["color"] = values["line_colour"]
        fig["data"][1]["lat"] = pts["lat"]
        fig["data"][1]["lon"] = pts["lon"]
        fig["data"][1]["text"] = pts["text"]
        fig["data"][1]["customdata"] = pts["customdata"]
        fig["data"][1]["marker"]["size"] = pts["size"]
        fig["layout"]["map"]["layers"] = (
            [
                {
                    "sourcetype": "raster",
                    "source": [self.settings.osm_tiles_url],
                    "below": "traces",
                    "sourceattribution": "© OpenStreetMap",
                }
            ]
            if isinstance(basemap, list) and "osm" in basemap
            else []
        )
        return fig, counters

    def counters(self, frame: Any, counts: Any, lang: str) -> Any:
        n = len(frame)
        total = len(self.directory)
        covered = int((counts["total"] > 0).sum())
        orgs = frame["organisme"].nunique()
        items = [
            (fmt_int(n, lang), t("counters.services", lang, total=fmt_int(total, lang)), "count-services"),
            (fmt_int(covered, lang), t("counters.regions", lang), "count-regions"),
            (fmt_int(orgs, lang), t("counters.organisations", lang), "count-orgs"),
        ]
        return [
            html.Div(
                [html.Span(value, className="counter-value", id=cid), html.Span(label, className="counter-label")],
                className="counter",
            )
            for value, label, cid in items
        ]

    def summary(self, state: filters.FilterState, lang: str) -> Any:
        parts = [html.Span(t("summary.title", lang), className="fw-semibold me-1")]
        for label, value in filters.describe(state, lang):
            parts.append(html.Span([html.Span(label + " : " if lang == "fr" else label + ": "), value], className="summary-item"))
        # One region chosen: its profile (figures, gaps, neighbours) is one click away.
        if len(state.regions) == 1 and "region" in pages.registry():
            code = state.regions[0]
            parts.append(
                dcc.Link(
                    t("summary.profile", lang, region=schema.region_label(code)),
                    href=pages.href(f"region/{code}", state, lang),
                    className="summary-item fw-semibold",
                    id="summary-profile-link",
                )
            )
        return parts

    # ----------------------------------------------------------------- grid
    def grid_page(self, request: dict[str, Any] | None, store: dict[str, Any] | None) -> dict[str, Any]:
        state, lang = state_from_store(store)
        sort_model = request.get("sortModel") if isinstance(request, dict) else None
        positions = self.ordered_positions(state, sort_model)
        return table.page_of_positions(self.directory.services, positions, request, lang)

    def _sort_ranks(self) -> table.SortRanks:
        if self._ranks is None:
            self._ranks = table.SortRanks(self.directory.services)
        return self._ranks

    def _name_order(self) -> np.ndarray:
        """Positions of all services sorted by name, as ``filters.apply`` orders them (stable)."""
        if self._by_name is None:
            self._by_name = self._sort_ranks().name_order()
        return self._by_name

    def ordered_positions(self, state: filters.FilterState, sort_model: Any) -> np.ndarray:
        """Positions of the matching services in display order, computed once per (filters, sort).

        Scrolling asks for block after block of the same view: without this, every block filtered and
        sorted the whole directory again (100,000 rows). Only positions are kept (a few hundred KB).
        """
        key = (state, json.dumps(sort_model, sort_keys=True, default=str) if isinstance(sort_model, list) else "")
        with self._orders_lock:
            hit = self._orders.get(key)
            if hit is not None:
                self._orders.move_to_end(key)
                return hit
        if table.sort_keys(sort_model):
            positions = self._sort_ranks().order(np.flatnonzero(filters.mask(self.directory, state)), sort_model)
        else:  # the default order (by name): the matching positions in the name order computed once
            keep = filters.mask(self.directory, state)
            by_name = self._name_order()
            positions = by_name[keep[by_name]]
        with self._orders_lock:
            self._orders[key] = positions
            while len(self._orders) > GRID_ORDERS_KEPT:
                self._orders.popitem(last=False)
        return positions

    # ----------------------------------------------------------------- map clicks and reset
    def reset(self, n_clicks: Any) -> tuple[Any, ...]:
        """« Réinitialiser les filtres »: every filter control back to its empty value."""
        if not n_clicks:
            return (no_update,) * len(FILTER_CONTROLS)
        return self.controls_for(ID.RESET, None, None)[: len(FILTER_CONTROLS)]

    def map_click(self, click: dict[str, Any] | None, regions: list[str] | None) -> tuple[Any, ...]:
        return self.controls_for(ID.MAP, click, regions)

    def controls_for(self, trigger: Any, click: dict[str, Any] | None, regions: list[str] | None) -> tuple[Any, ...]:
        """New (regions, age, types, sectors, text, selected point) after a map click or a reset."""
        if trigger == ID.RESET:
            return [], [schema.SLIDER_MIN, schema.SLIDER_MAX], [], [], "", no_update
        points = click.get("points") if isinstance(click, dict) else None
        point = points[0] if isinstance(points, list) and points and isinstance(points[0], dict) else {}
        location = point.get("location")
        if point.get("curveNumber") == 0 and isinstance(location, str) and location in schema.REGIONS:
            code = location
            current = [c for c in regions if isinstance(c, str)] if isinstance(regions, list) else []
            new = [c for c in current if c != code] if code in current else current + [code]
            return new, no_update, no_update, no_update, no_update, no_update
        if point.get("curveNumber") == 1 and isinstance(point.get("customdata"), str):
            return no_update, no_update, no_update, no_update, no_update, {"point": point["customdata"]}
        return (no_update,) * 6

    # ----------------------------------------------------------------- detail panel
    def detail(self, selected_rows: Any, selected: dict[str, Any] | None, store: dict[str, Any] | None) -> Any:
        state, lang = state_from_store(store)
        trigger = ctx.triggered_id if ctx else None
        service_id = None
        if trigger == ID.GRID and isinstance(selected_rows, list) and selected_rows and isinstance(selected_rows[0], dict):
            service_id = selected_rows[0].get("id")
        elif isinstance(selected, dict) and selected.get("point"):
            return self.point_detail(selected["point"], state, lang)
        elif isinstance(store, dict) and store.get("service") and trigger in (None, ID.STATE):
            service_id = store["service"]
        if not service_id:
            return no_update
        return self.service_detail(str(service_id), state, lang)

    def service_link(self, service_id: str, state: filters.FilterState, lang: str) -> str:
        return filters.to_query(state, lang) + "&service=" + service_id

    def service_detail(self, service_id: str, state: filters.FilterState, lang: str) -> Any:
        rec = self.directory.by_id(service_id)
        if rec is None:
            return html.P(t("detail.not_found", lang), className="text-danger")
        return detail_ui.service_card(rec, lang, self.service_link(service_id, state, lang))

    def point_detail(self, key: str, state: filters.FilterState, lang: str) -> Any:
        try:
            lat, lon = (float(x) for x in str(key).split(","))
        except ValueError:
            return no_update
        frame = filters.apply(self.directory, state)
        at = frame[
            ((frame["lat"] - lat).abs() < figures.GRID_DEGREES / 2 + 1e-9)
            & ((frame["lon"] - lon).abs() < figures.GRID_DEGREES / 2 + 1e-9)
        ]
        exact = at[(at["lat"].round(5) == lat) & (at["lon"].round(5) == lon)]
        at = exact if len(exact) else at
        if len(at) == 1:
            return self.service_detail(str(at.index[0]), state, lang)
        links = {sid: self.service_link(sid, state, lang) for sid in at["id"]}
        return detail_ui.point_list(at, lang, links)

    # ----------------------------------------------------------------- exports and print
    def download(self, fmt: str, store: dict[str, Any] | None, request: dict[str, Any] | None) -> dict[str, Any]:
        state, lang = state_from_store(store)
        sort_model = request.get("sortModel") if isinstance(request, dict) else None
        frame = table.sort_frame(filters.apply(self.directory, state), sort_model)
        content = export.export_bytes(frame, fmt, lang, state)
        return dcc.send_bytes(content, export.filename(fmt, lang))

    def print_area(self, store: dict[str, Any] | None) -> Any:
        state, lang = state_from_store(store)
        frame = filters.apply(self.directory, state)
        shown = frame.head(PRINT_LIMIT)
        rows = table.grid_rows(shown, lang)
        cols = [c for c in table.column_defs(lang)]
        head = html.Thead(html.Tr([html.Th(c["headerName"]) for c in cols]))
        body = html.Tbody([html.Tr([html.Td(r[c["field"]]) for c in cols]) for r in rows])
        note = (
            t("print.truncated", lang, shown=fmt_int(len(shown), lang), total=fmt_int(len(frame), lang))
            if len(frame) > len(shown)
            else t("print.count", lang, n=fmt_int(len(frame), lang))
        )
        return [
            html.H2(t("table.title", lang), className="h5"),
            html.P(note),
            html.Table([head, body], className="table table-sm print-table"),
        ]


# The filter controls, in the order the handlers take and return them.
FILTER_CONTROLS = ((ID.REGIONS, "value"), (ID.AGE, "value"), (ID.TYPES, "value"), (ID.SECTORS, "value"), (ID.TEXT, "value"))


def not_found(lang: str, state: filters.FilterState, pathname: str | None) -> Any:
    return html.Div(
        [
            html.H1(t("notfound.title", lang), className="h3 mt-3"),
            html.P(t("notfound.text", lang, path=str(pathname or "")[:80])),
            dcc.Link(t("notfound.home", lang), href=pages.href("", state, lang)),
        ]
    )


def register(app: Dash, handlers: Handlers) -> None:
    app.callback(Output(ID.PAGE, "children"), Output(ID.STATE, "data"), Input(ID.URL, "pathname"), Input(ID.URL, "search"))(
        handlers.render_page
    )

    app.callback(
        Output(ID.STATE, "data", allow_duplicate=True),
        Output(ID.SUMMARY, "children"),
        Output(ID.LANG_LINK, "href"),
        *(Input(cid, prop) for cid, prop in FILTER_CONTROLS),
        State(ID.STATE, "data"),
        prevent_initial_call="initial_duplicate",
    )(handlers.update_filters)

    app.callback(
        Output(ID.MAP, "figure"),
        Output(ID.COUNTERS, "children"),
        Input(ID.STATE, "data"),
        Input(ID.BASEMAP, "value"),
    )(handlers.update_map)

    # The map page's "services near…" box opens the nearby page with the same filters.
    app.clientside_callback(
        """
        function(n_submit, n_clicks, value, store) {
            if (!(n_submit || n_clicks)) { return window.dash_clientside.no_update; }
            var place = (value || '').trim();
            var query = (store && store.query) || '?lang=fr';
            var url = '/proximite' + query + (place ? '&pres=' + encodeURIComponent(place) : '');
            window.location.assign(url);
            return window.dash_clientside.no_update;
        }
        """,
        Output("home-near", "title"),
        Input("home-near", "n_submit"),
        Input("home-near-go", "n_clicks"),
        State("home-near", "value"),
        State(ID.STATE, "data"),
        prevent_initial_call=True,
    )

    # Navigation links keep the current filters and language.
    app.clientside_callback(
        """
        function(store) {
            var outs = window.dash_clientside.callback_context.outputs_list || [];
            var query = (store && store.query) || '';
            return outs.map(function(o) { return '/' + o.id.path + query; });
        }
        """,
        Output({"type": "nav-link", "path": ALL}, "href"),
        Input(ID.STATE, "data"),
        prevent_initial_call=True,
    )

    for page in pages.registry().values():
        if page.register is not None:
            page.register(app, handlers.directory, handlers.settings)

    app.callback(
        Output(ID.GRID, "getRowsResponse"),
        Input(ID.GRID, "getRowsRequest"),
        State(ID.STATE, "data"),
    )(handlers.grid_page)

    # Two callbacks, not one: Dash skips a callback when one of its inputs is missing from the page,
    # and the map (hence its clickData) exists only on the map page while the reset button is on every
    # page with filters.
    app.callback(
        *(Output(cid, prop, allow_duplicate=True) for cid, prop in FILTER_CONTROLS),
        Input(ID.RESET, "n_clicks"),
        prevent_initial_call=True,
    )(handlers.reset)

    app.callback(
        *(Output(cid, prop, allow_duplicate=True) for cid, prop in FILTER_CONTROLS),
        Output(ID.SELECTED, "data"),
        Input(ID.MAP, "clickData"),
        State(ID.REGIONS, "value"),
        prevent_initial_call=True,
    )(handlers.map_click)

    app.callback(
        Output(ID.DETAIL, "children"),
        Input(ID.GRID, "selectedRows"),
        Input(ID.SELECTED, "data"),
        State(ID.STATE, "data"),
    )(handlers.detail)

    @app.callback(
        Output(ID.DOWNLOAD, "data"),
        Input(ID.EXPORT_CSV, "n_clicks"),
        Input(ID.EXPORT_XLSX, "n_clicks"),
        Input(ID.EXPORT_GEOJSON, "n_clicks"),
        State(ID.STATE, "data"),
        State(ID.GRID, "getRowsRequest"),
        prevent_initial_call=True,
    )
    def _download(_csv: Any, _xlsx: Any, _geojson: Any, store: Any, request: Any) -> Any:
        fmt = {ID.EXPORT_CSV: "csv", ID.EXPORT_XLSX: "xlsx", ID.EXPORT_GEOJSON: "geojson"}.get(ctx.triggered_id)
        if not fmt or not ctx.triggered[0].get("value"):
            return no_update
        return handlers.download(fmt, store, request)

    @app.callback(
        Output(ID.PRINT_AREA, "children"),
        Output(ID.PRINT_READY, "data"),
        Input(ID.PRINT, "n_clicks"),
        State(ID.STATE, "data"),
        prevent_initial_call=True,
    )
    def _print(n: Any, store: Any) -> Any:
        if not n:
            return no_update, no_update
        return handlers.print_area(store), n

    app.clientside_callback(
        """
        function(n) {
            var box = document.getElementById('filters');
            var btn = document.getElementById('filters-toggle');
            if (!box || !n) { return window.dash_clientside.no_update; }
            var collapsed = box.classList.toggle('collapsed-sm');
            btn.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
            return window.dash_clientside.no_update;
        }
        """,
        Output("filters-toggle", "title"),
        Input("filters-toggle", "n_clicks"),
        prevent_initial_call=True,
    )

    # Browser-side, on every page: keep the address bar in step with the filters (no reload, no
    # history spam; a page's own parameters such as a place or a year are kept), refresh the
    # grid's server-side cache, and set the document language and title. Its output is a store
    # of the app's frame, so that Dash never drops it on a page without a map.
    app.clientside_callback(
        """
        function(store) {
            if (!store || !store.query) { return window.dash_clientside.no_update; }
            var FILTER_KEYS = ['lang', 'region', 'age', 'type', 'secteur', 'q', 'service'];
            var params = new URLSearchParams(store.query);
            new URLSearchParams(window.location.search).forEach(function(value, key) {
                if (FILTER_KEYS.indexOf(key) < 0) { params.append(key, value); }
            });
            // A shared link to a service (?service=…) keeps saying which service it opened.
            if (store.service && typeof store.service === 'string') { params.set('service', store.service); }
            var search = '?' + params.toString();
            if (window.location.search !== search) {
                window.history.replaceState(null, '', window.location.pathname + search);
            }
            document.documentElement.lang = store.lang || 'fr';
            document.title = (store.title ? store.title + ' — ' : '') + 'Maillage';
            window.maillageFit && window.maillageFit(store);
            if (window.dash_ag_grid && window.dash_ag_grid.getApiAsync && document.getElementById('grid')) {
                window.dash_ag_grid.getApiAsync('grid').then(function(api) {
                    if (api && api.purgeInfiniteCache) { api.purgeInfiniteCache(); }
                }).catch(function() {});
            }
            return search;
        }
        """,
        Output(ID.URL_SYNC, "data"),
        Input(ID.STATE, "data"),
    )
    # The map page's "copy the link of this view" button.
    app.clientside_callback(
        """
        function(store) {
            if (!store || !store.query) { return window.dash_clientside.no_update; }
            return window.location.origin + window.location.pathname + store.query;
        }
        """,
        Output(ID.SHARE, "content"),
        Input(ID.STATE, "data"),
    )
    app.clientside_callback(
        """
        function(ready) {
            if (ready) { setTimeout(function() { window.print(); }, 150); }
        }
        """,
        Input(ID.PRINT_READY, "data"),
        prevent_initial_call=True,
    )
