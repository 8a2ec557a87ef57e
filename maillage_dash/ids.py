"""The ids of the frame and of the shared filter panel (every page); each capability keeps its own
(``map/ids.py``, ``nearby/ids.py``, ``network/ids.py``, ``coverage/ids.py``)."""

from enum import StrEnum


class ID(StrEnum):
    URL = "url"
    PAGE = "page"
    STATE = "filter-state"
    REGIONS = "f-regions"
    AGE = "f-age"
    TYPES = "f-types"
    SECTORS = "f-sectors"
    AUDIENCE = "f-audience"
    ENDED = "f-ended"
    TEXT = "f-text"
    RESET = "f-reset"
    BASEMAP = "f-basemap"
    LANG_LINK = "lang-link"
    NOTICE = "notice"
    PRINT = "print"
    SUMMARY = "filter-summary"
    SHARE = "share-link"
    QUICK_EXIT = "quick-exit"
    URL_SYNC = "url-sync"
