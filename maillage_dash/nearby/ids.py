"""The nearby page's component ids, in one place so that layout and callbacks cannot drift apart."""

from enum import StrEnum


class NID(StrEnum):
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
    EMERGENCY = "near-emergency"  # « En cas d'urgence », with the DPJ line of the chosen place's region
    PAGE = "near-page"  # the page's frame: « has-place » folds the form on phones, « editing » unfolds it
    FOLD = "near-fold"  # the one-line summary of the search shown instead of the form on phones
    EDIT = "near-edit"  # « Modifier » in that summary
    VIEW = "near-view"  # « Liste » / « Carte » on phones
    RAW = "near-raw"  # a place from the URL that could not be resolved, to explain why
