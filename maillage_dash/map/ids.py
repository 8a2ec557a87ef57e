"""The dashboard's own component ids (map, table, detail, exports, print), in one place so that the
layout and the callbacks cannot drift apart."""

from enum import StrEnum


class MapID(StrEnum):
    MAP = "map"
    GRID = "grid"
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
