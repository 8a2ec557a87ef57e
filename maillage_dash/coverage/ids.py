"""The coverage pages' component ids (/couverture and /region/NN), in one place so that layouts and
callbacks cannot drift apart."""

from enum import StrEnum


class CovID(StrEnum):
    YEAR = "cov-year"
    MEASURE = "cov-measure"
    POPNOTE = "cov-popnote"
    HEATMAP = "cov-heatmap"
    TABLE = "cov-table"
    DL_CSV = "cov-dl-csv"
    DL_JSON = "cov-dl-json"
    MAP_TYPE = "cov-map-type"
    MAP = "cov-map"
    ACCESS_TYPE = "cov-access-type"
    ACCESS = "cov-access"
    DESERTS = "cov-deserts"
    URL_SYNC = "cov-url"
    PROFILE_MAP = "profile-map"
    PROFILE_BARS = "profile-bars"
    PROFILE_TITLE = "profile-title"
