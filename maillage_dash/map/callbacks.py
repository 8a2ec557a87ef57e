"""The dashboard's callbacks: unpack the inputs, call the model and figure functions, return.

``Handlers`` holds the plain functions (testable without a browser); ``register`` wires them to the
Dash app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, Patch, State, ctx, dcc, html, no_update

from maillage_dash import export, filters, phones, schema, security
from maillage_dash.config import Settings
from maillage_dash.directory import Directory
from maillage_dash.events import state_from_store, triggered_id
from maillage_dash.i18n import t
from maillage_dash.ids import ID
from maillage_dash.map import figures, layout, model, table
from maillage_dash.map.ids import MapID
from maillage_dash.ui import card
from maillage_dash.ui.filter_panel import age_from_slider
from maillage_dash.ui.filter_panel import summary as filter_summary

PRINT_LIMIT = 500

# The filter controls, in the order the handlers take and return them.
FILTER_CONTROLS = (
    (ID.REGIONS, "value"),
    (ID.AGE, "value"),
    (ID.TYPES, "value"),
    (ID.SECTORS, "value"),
    (ID.TEXT, "value"),
    (ID.AUDIENCE, "value"),
    (ID.ENDED, "value"),
)


def state_from_controls(
    regions: Any, age: Any, types: Any, sectors: Any, text: Any, audience: Any = None, ended: Any = None
) -> filters.FilterState:
    shown_ended = isinstance(ended, list) and "1" in ended
    state, _ = filters.FilterState.build(
        regions=regions, types=types, sectors=sectors, text=text, audience=audience, ended="1" if shown_ended else None
    )
    return state.with_age(age_from_slider(age))


@dataclass
class Handlers:
    """Every callback body of the dashboard, as plain functions of plain values."""

    directory: Directory
    settings: Settings

    # ----------------------------------------------------------------- filters → shared state
    def update_filters(
        self,
        regions: Any,
        age: Any,
        types: Any,
        sectors: Any,
        text: Any,
        audience: Any,
        ended: Any,
        store: dict[str, Any] | None,
    ) -> tuple[Any, ...]:
        """Filter controls → the shared state (URL, store), its summary, the other-language link."""
        store = store if isinstance(store, dict) else None
        _, lang = state_from_store(store)
        state = state_from_controls(regions, age, types, sectors, text, audience, ended)
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
        if store and store.get("fresh") and triggered_id() != ID.BASEMAP:
            # The page was just rendered with this very figure and these counters (map/page.py).
            return no_update, no_update
        state, lang = state_from_store(store)
        keep, apart = filters.masks(self.directory, state)  # the strict mask computed once
        frame = figures.map_rows(self.directory.services, keep)
        counts = figures.region_counts(self.directory, keep)
        counters = self.counters(frame, counts, lang, int(apart.sum()))
        osm = self.settings.osm_tiles_url if isinstance(basemap, list) and "osm" in basemap else None
        fig = Patch()
        for path, value in figures.map_update(counts, frame, state.regions, lang, osm).items():
            target = fig
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = value
        return fig, counters

    def counters(self, frame: Any, counts: Any, lang: str, apart: int = 0) -> Any:
        return layout.counters(frame, counts, len(self.directory), lang, apart)

    def summary(self, state: filters.FilterState, lang: str) -> Any:
        return filter_summary(state, lang)

    def apart(self, store: dict[str, Any] | None) -> Any:
        """Services whose ages or public are not stated, listed apart from the results."""
        state, lang = state_from_store(store)
        frame = filters.apply_apart(self.directory, state)
        return layout.apart_section(frame, lang, {sid: self.service_link(sid, state, lang) for sid in frame["id"]})

    # ----------------------------------------------------------------- grid
    def grid_page(self, request: dict[str, Any] | None, store: dict[str, Any] | None) -> dict[str, Any]:
        state, lang = state_from_store(store)
        sort_model = request.get("sortModel") if isinstance(request, dict) else None
        positions = model.grid_orders(self.directory).positions(state, sort_model)
        return table.page_of_positions(self.directory.services, positions, request, lang)

    # ----------------------------------------------------------------- map clicks and reset
    def reset(self, n_clicks: Any) -> tuple[Any, ...]:
        """« Réinitialiser les filtres »: every filter control back to its empty value."""
        if not n_clicks:
            return (no_update,) * len(FILTER_CONTROLS)
        return [], [schema.SLIDER_MIN, schema.SLIDER_MAX], [], [], "", [], []

    def map_click(self, click: dict[str, Any] | None, regions: list[str] | None) -> tuple[Any, ...]:
        """A region clicked: toggled in the filter; a point clicked: its services in the detail panel."""
        chosen = model.read_click(click, regions)
        if chosen.regions is not None:
            return (chosen.regions, *(no_update,) * len(FILTER_CONTROLS))
        if chosen.point is not None:
            return (*(no_update,) * len(FILTER_CONTROLS), {"point": chosen.point})
        return (no_update,) * (len(FILTER_CONTROLS) + 1)

    # ----------------------------------------------------------------- detail panel
    def detail(
        self, selected_rows: Any, selected: dict[str, Any] | None, store: dict[str, Any] | None, trigger: Any = None
    ) -> Any:
        state, lang = state_from_store(store)
        trigger = trigger if trigger is not None else triggered_id()
        service_id = None
        if trigger == MapID.GRID and isinstance(selected_rows, list) and selected_rows and isinstance(selected_rows[0], dict):
            service_id = selected_rows[0].get("id")
        elif isinstance(selected, dict) and selected.get("point"):
            return self.point_detail(selected["point"], state, lang)
        elif isinstance(store, dict) and store.get("service") and trigger in (None, ID.STATE):
            service_id = store["service"]
        if not service_id:
            return no_update
        return self.service_detail(str(service_id), state, lang)

    def detail_of_row(self, selected_rows: Any, store: dict[str, Any] | None) -> Any:
        """A row chosen in the grid."""
        return self.detail(selected_rows, None, store, MapID.GRID)

    def detail_of_choice(self, selected: dict[str, Any] | None, store: dict[str, Any] | None) -> Any:
        """A point chosen on the map, or (first render) the service the address names."""
        return self.detail(None, selected, store, triggered_id())

    def service_link(self, service_id: str, state: filters.FilterState, lang: str) -> str:
        return filters.to_query(state, lang) + "&service=" + service_id

    def service_detail(self, service_id: str, state: filters.FilterState, lang: str) -> Any:
        rec = self.directory.by_id(service_id)
        if rec is None:
            return html.P(t("detail.not_found", lang), className="text-danger")
        return card.service_card(rec, lang, self.service_link(service_id, state, lang))

    def point_detail(self, key: str, state: filters.FilterState, lang: str) -> Any:
        at = model.services_at_point(filters.apply(self.directory, state), key)
        if at is None:
            return no_update
        if len(at) == 1:
            return self.service_detail(str(at.index[0]), state, lang)
        links = {sid: self.service_link(sid, state, lang) for sid in at["id"]}
        return card.point_list(at, lang, links)

    # ----------------------------------------------------------------- exports and print
    def download(self, fmt: str, store: dict[str, Any] | None, request: dict[str, Any] | None) -> dict[str, Any]:
        state, lang = state_from_store(store)
        sort_model = request.get("sortModel") if isinstance(request, dict) else None
        frame = table.sort_frame(filters.apply(self.directory, state), sort_model)
        return dcc.send_bytes(export.export_bytes(frame, fmt, lang, state), export.filename(fmt, lang))

    def print_area(self, store: dict[str, Any] | None) -> Any:
        state, lang = state_from_store(store)
        frame = filters.apply(self.directory, state)
        shown = frame.head(PRINT_LIMIT)
        # On paper a list is only useful with the number to call: the help line (or reception) of each.
        rows = table.grid_rows(shown, lang)
        for row, lines in zip(rows, shown["telephones"]):
            reach = phones.help_lines(lines)
            row["_phone"] = f"{reach[0].display_in(lang)} ({reach[0].label(lang)})" if reach else "—"
        cols = [*table.column_defs(lang), {"headerName": t("contact.phones", lang), "field": "_phone"}]
        return layout.print_table(rows, cols, len(shown), len(frame), lang)


def register(app: Dash, directory: Directory, settings: Settings) -> None:
    handlers = Handlers(directory=directory, settings=settings)
    security.object_store(MapID.CLICK)  # a click on the live map, written by assets/07-live-map.js
    _register_state_and_map(app, handlers)
    _register_table_and_detail(app, handlers)
    _register_exports_and_print(app, handlers)


def _register_state_and_map(app: Dash, handlers: Handlers) -> None:
    """Filter controls → shared state → map, counters, the list apart; reset; clicks on the map."""
    app.callback(
        Output(ID.STATE, "data", allow_duplicate=True),
        Output(ID.SUMMARY, "children"),
        Output(ID.LANG_LINK, "href"),
        *(Input(cid, prop) for cid, prop in FILTER_CONTROLS),
        State(ID.STATE, "data"),
        prevent_initial_call="initial_duplicate",
    )(handlers.update_filters)
    app.callback(
        Output(MapID.FIGURE, "data"), Output(MapID.COUNTERS, "children"), Input(ID.STATE, "data"), Input(ID.BASEMAP, "value")
    )(handlers.update_map)
    # plotly.js draws the figure (assets/07-live-map.js); the first one is drawn before Dash has drawn the page.
    app.clientside_callback(ClientsideFunction("maillage", "liveMap"), Output(MapID.LIVE, "data"), Input(MapID.FIGURE, "data"))
    app.callback(Output(MapID.APART, "children"), Input(ID.STATE, "data"))(handlers.apart)
    app.clientside_callback(
        ClientsideFunction("maillage", "openNearby"),
        Output("home-near", "title"),
        Input("home-near", "n_submit"),
        Input("home-near-go", "n_clicks"),
        State("home-near", "value"),
        State(ID.STATE, "data"),
        prevent_initial_call=True,
    )
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
        Output(MapID.SELECTED, "data"),
        Input(MapID.CLICK, "data"),
        State(ID.REGIONS, "value"),
        prevent_initial_call=True,
    )(handlers.map_click)
    app.clientside_callback(
        ClientsideFunction("maillage", "toggleFilters"),
        Output("filters-toggle", "title"),
        Input("filters-toggle", "n_clicks"),
        prevent_initial_call=True,
    )


def _register_table_and_detail(app: Dash, handlers: Handlers) -> None:
    """The server-side table, the detail panel and the link of the view."""
    # Not on the first render: the grid asks for its first block itself once mounted (the initial call,
    # with no request, was a wasted round trip on every load).
    app.callback(
        Output(MapID.GRID, "getRowsResponse"),
        Input(MapID.GRID, "getRowsRequest"),
        State(ID.STATE, "data"),
        prevent_initial_call=True,
    )(handlers.grid_page)
    # The grid is mounted after the map is drawn (MapID.GRID_SLOT): nothing but its own callbacks may
    # depend on it being there (a callback with one input or state missing fails in the browser).
    app.clientside_callback(
        ClientsideFunction("maillage", "mountGrid"),
        Output(MapID.GRID_SLOT, "children"),
        Input(MapID.GRID_GO, "data"),
        State(MapID.GRID_SPEC, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("maillage", "gridSort"),
        Output(MapID.GRID_SORT, "data"),
        Input(MapID.GRID, "getRowsRequest"),
        prevent_initial_call=True,
    )
    app.callback(
        Output(MapID.DETAIL, "children", allow_duplicate=True),
        Input(MapID.GRID, "selectedRows"),
        State(ID.STATE, "data"),
        prevent_initial_call=True,
    )(handlers.detail_of_row)
    app.callback(
        Output(MapID.DETAIL, "children"),
        Input(MapID.SELECTED, "data"),
        State(ID.STATE, "data"),
    )(handlers.detail_of_choice)

    app.clientside_callback(ClientsideFunction("maillage", "shareLink"), Output(ID.SHARE, "content"), Input(ID.STATE, "data"))


def _register_exports_and_print(app: Dash, handlers: Handlers) -> None:
    """CSV, Excel and GeoJSON of the rows shown; the printed list."""

    @app.callback(
        Output(MapID.DOWNLOAD, "data"),
        Input(MapID.EXPORT_CSV, "n_clicks"),
        Input(MapID.EXPORT_XLSX, "n_clicks"),
        Input(MapID.EXPORT_GEOJSON, "n_clicks"),
        State(ID.STATE, "data"),
        State(MapID.GRID_SORT, "data"),
        prevent_initial_call=True,
    )
    def _download(_csv: Any, _xlsx: Any, _geojson: Any, store: Any, sort_model: Any) -> Any:
        fmt = {MapID.EXPORT_CSV: "csv", MapID.EXPORT_XLSX: "xlsx", MapID.EXPORT_GEOJSON: "geojson"}.get(ctx.triggered_id)
        if not fmt or not ctx.triggered[0].get("value"):
            return no_update
        return handlers.download(fmt, store, {"sortModel": sort_model} if isinstance(sort_model, list) else None)

    @app.callback(
        Output(MapID.PRINT_AREA, "children"),
        Output(MapID.PRINT_READY, "data"),
        Input(ID.PRINT, "n_clicks"),
        State(ID.STATE, "data"),
        prevent_initial_call=True,
    )
    def _print(n: Any, store: Any) -> Any:
        if not n:
            return no_update, no_update
        return handlers.print_area(store), n

    app.clientside_callback(
        ClientsideFunction("maillage", "printWhenReady"), Input(MapID.PRINT_READY, "data"), prevent_initial_call=True
    )
