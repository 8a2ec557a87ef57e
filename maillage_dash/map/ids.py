"""The dashboard's own component ids (map, table, detail, exports, print), in one place so that the
layout and the callbacks cannot drift apart."""

from enum import StrEnum


class MapID(StrEnum):
    # The map is drawn by plotly.js itself (assets/07-live-map.js) in the MAP box, from the figure in the
    # store FIGURE (written in the first response too, drawn before Dash has drawn the page); a click on
    # it is written into CLICK (dcc.Graph's clickData); LIVE is the drawing callback's (unused) output.
    MAP = "map"
    FIGURE = "map-figure"
    CLICK = "map-click"
    LIVE = "map-live"
    GRID = "grid"
    # The grid is mounted in its slot once the map is drawn (assets/25-grid-mount.js sets GRID_GO), from
    # the props kept in GRID_SPEC; GRID_SORT mirrors the grid's sort order for the exports.
    GRID_SLOT = "grid-slot"
    GRID_SPEC = "grid-spec"
    GRID_GO = "grid-go"
    GRID_SORT = "grid-sort"
    COUNTERS = "counters"
    DETAIL = "detail"
    EXPORT_CSV = "export-csv"
    EXPORT_XLSX = "export-xlsx"
    EXPORT_GEOJSON = "export-geojson"
    DOWNLOAD = "download"
    PRINT_AREA = "print-area"
    PRINT_READY = "print-ready"
    SELECTED = "selected-service"
    APART = "apart"
