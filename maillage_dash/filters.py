"""The filter state shared by the dashboard, the exports and the command line.

``apply`` is the one definition of what "matching the filters" means:
- regions: the service is located in, or serves (``regions_desservies``), one of them;
- ages: the service's age range overlaps the chosen one (bounds included; blank = no bound);
- types / sectors: the service has at least one of the chosen ones;
- text: every word appears (accent- and case-insensitive) in name, organisation,
  municipality, description or partners.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd

from maillage_dash import schema
from maillage_dash.directory import Directory, sector_col, serves_col, type_col
from maillage_dash.i18n import t
from maillage_dash.memo import per_object
from maillage_dash.text import fold

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class FilterState:
    """What the user asked for. Empty tuples and ``None`` mean "no restriction"."""

    regions: tuple[str, ...] = ()
    age: tuple[int, int] | None = None
    types: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    text: str = ""

    def is_empty(self) -> bool:
        return self == FilterState()

    @classmethod
    def build(
        cls,
        *,
        regions: object = None,
        age: object = None,
        types: object = None,
        sectors: object = None,
        text: object = None,
    ) -> tuple[FilterState, list[str]]:
        """A clean state from loose input (UI values, URL, CLI); returns unknown values too."""
        rejected: list[str] = []

        def codes(values: object, parser) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
            if values is None or values == "":
                return ()
            if isinstance(values, str):
                values = [values]
            if not isinstance(values, (list, tuple)):
                rejected.append(str(values)[:40])
                return ()
            out: list[str] = []
            for value in list(values)[:100]:
                code = parser(str(value)) if isinstance(value, (str, int)) else None
                if code is None:
                    rejected.append(str(value)[:40])
                elif code not in out:
                    out.append(code)
            return tuple(out)

        age_range = parse_age(age)
        if age is not None and age != "" and age_range is None:
            rejected.append(str(age)[:40])
        clean_text = str(text or "")[:MAX_QUERY_LENGTH].strip() if isinstance(text, (str, type(None))) else ""
        state = cls(
            regions=codes(regions, schema.parse_region),
            age=age_range,
            types=codes(types, schema.parse_type),
            sectors=codes(sectors, schema.parse_sector),
            text=clean_text,
        )
        return state, rejected

    def with_age(self, age: tuple[int, int] | None) -> FilterState:
        return replace(self, age=age)


def parse_age(value: object) -> tuple[int, int] | None:
    """``(12, 17)`` from ``"12-17"``, ``[12, 17]`` or ``(12, 17)``; None when not a valid range."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        parts = value.replace("–", "-").split("-")
    elif isinstance(value, (list, tuple)):
        parts = list(value)
    else:
        return None
    if len(parts) != 2:
        return None
    try:
        low, high = (int(float(str(p).strip())) for p in parts)
    except ValueError:
        return None
    if not (schema.AGE_LOWEST <= low <= high <= schema.AGE_HIGHEST):
        return None
    return low, high


def mask(directory: Directory, state: FilterState) -> np.ndarray:
    """Boolean array over ``directory.services``: True where the service matches ``state``."""
    frame = directory.services
    keep = np.ones(len(frame), dtype=bool)

    def any_of(columns: list[str]) -> np.ndarray:
        # Column by column: selecting a list of columns would copy a new (Geo)DataFrame on every call.
        return np.logical_or.reduce([frame[c].to_numpy() for c in columns])

    if state.regions:
        keep &= any_of([serves_col(c) for c in state.regions])
    if state.age is not None:
        low, high = state.age
        keep &= (frame["_age_lo"].to_numpy() <= high) & (frame["_age_hi"].to_numpy() >= low)
    if state.types:
        keep &= any_of([type_col(c) for c in state.types])
    if state.sectors:
        keep &= any_of([sector_col(c) for c in state.sectors])
    if state.text:
        search = _search_texts(frame)
        for word in fold(state.text).split():
            # Plain ``in`` on the folded texts (several times faster than pandas' str.contains), and only
            # on the rows the other filters (and the previous words) kept.
            rows = np.flatnonzero(keep)
            keep[rows] = np.fromiter((word in text for text in search[rows]), dtype=bool, count=len(rows))
    return keep


@per_object
def _search_texts(frame: pd.DataFrame) -> np.ndarray:
    """The folded search texts as an object array, made once per directory frame."""
    return frame["_search"].to_numpy(dtype=object)


def apply(directory: Directory, state: FilterState) -> pd.DataFrame:
    """The services matching ``state``, sorted by name."""
    return directory.services[mask(directory, state)].sort_values("_sort_nom", kind="stable")


def describe(state: FilterState, lang: str) -> list[tuple[str, str]]:
    """(label, value) pairs stating the filters in words, for screens and exports."""
    any_ = t("filters.any", lang)
    regions = ", ".join(schema.region_label(c) for c in state.regions) or any_
    ages = t("filters.age_value", lang, low=state.age[0], high=state.age[1]) if state.age else any_
    types = ", ".join(schema.type_label(c, lang) for c in state.types) or any_
    sectors = ", ".join(schema.sector_label(c, lang) for c in state.sectors) or any_
    return [
        (t("filters.regions", lang), regions),
        (t("filters.age", lang), ages),
        (t("filters.types", lang), types),
        (t("filters.sectors", lang), sectors),
        (t("filters.text", lang), state.text or "—"),
    ]


# --------------------------------------------------------------------------- URL query string


def to_query(state: FilterState, lang: str) -> str:
    """``?lang=en&region=16&age=12-17&type=hebergement&q=…`` (lang first, only set filters)."""
    pairs: list[tuple[str, str]] = [("lang", lang)]
    pairs += [("region", c) for c in state.regions]
    if state.age:
        pairs.append(("age", f"{state.age[0]}-{state.age[1]}"))
    pairs += [("type", c) for c in state.types]
    pairs += [("secteur", c) for c in state.sectors]
    if state.text:
        pairs.append(("q", state.text))
    return "?" + urlencode(pairs)


def from_query(search: str | None) -> tuple[FilterState, str | None, list[str]]:
    """Filter state, language (or None) and rejected values from a URL query string."""
    params = parse_qs((search if isinstance(search, str) else "").lstrip("?"), keep_blank_values=False)
    lang = params.get("lang", [None])[0]
    state, rejected = FilterState.build(
        regions=params.get("region"),
        age=params.get("age", [None])[0],
        types=params.get("type"),
        sectors=params.get("secteur"),
        text=params.get("q", [""])[0],
    )
    return state, (lang if lang in ("fr", "en") else None), rejected


__all__ = ["FilterState", "apply", "describe", "from_query", "mask", "parse_age", "to_query"]
