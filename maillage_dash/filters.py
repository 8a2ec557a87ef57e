"""The filter state shared by the dashboard, the exports and the command line.

``apply`` is the one definition of what "matching the filters" means:
- regions: the service is located in, or serves (``regions_desservies``), one of them;
- ages: the service *states* an age range and it overlaps the chosen one (bounds included; a blank
  bound of a stated range is open on that side); services whose ages are not stated never match an
  age filter — :func:`apart_mask` lists them apart, to be checked;
- who is served: the service states it serves the chosen people (a service open to all genders
  serves girls, boys and 2SLGBTQIA+ people); unstated → listed apart too;
- status: ended services (``statut=termine``) are left out unless asked for (``ended``);
- types / sectors: the service has at least one of the chosen ones;
- text: every word appears (accent- and case-insensitive) in name, organisation,
  municipality, description or partners.
"""

from __future__ import annotations

import itertools
import operator
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd

from maillage_dash import schema
from maillage_dash.directory import Directory, audience_col, sector_col, serves_col, type_col
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
    audience: tuple[str, ...] = ()
    ended: bool = False  # also show services that have ended

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
        audience: object = None,
        ended: object = None,
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
            audience=codes(audience, schema.parse_audience),
            ended=ended in (True, "1", "oui", "yes", 1),
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
    except (ValueError, OverflowError):  # not a number; « Infinity » (found by the fuzz tests: a 500 before)
        return None
    if not (schema.AGE_LOWEST <= low <= high <= schema.AGE_HIGHEST):
        return None
    return low, high


def mask(directory: Directory, state: FilterState) -> np.ndarray:
    """Boolean array over ``directory.services``: True where the service matches ``state``."""
    return _mask(directory, state, unknown_ok=False)


def apart_mask(directory: Directory, state: FilterState) -> np.ndarray:
    """Services that would match if their unstated ages or public were the ones asked for: listed
    apart (« âge non précisé — à vérifier »), never mixed with the services that state they match."""
    return masks(directory, state)[1]


def masks(directory: Directory, state: FilterState) -> tuple[np.ndarray, np.ndarray]:
    """``(mask, apart_mask)`` computed together (the strict mask once)."""
    strict = _mask(directory, state, unknown_ok=False)
    if state.age is None and not state.audience:
        return strict, np.zeros(len(directory.services), dtype=bool)
    return strict, _mask(directory, state, unknown_ok=True) & ~strict


def audience_match(frame: pd.DataFrame, chosen: tuple[str, ...]) -> np.ndarray:
    """Services stating they serve one of ``chosen`` (all genders serves each gender group)."""
    out = np.zeros(len(frame), dtype=bool)
    for code in chosen:
        out |= frame[audience_col(code)].to_numpy()
        if code in schema.GENDER_AUDIENCES:
            out |= frame[audience_col("tous_genres")].to_numpy()
    return out


def audience_known(frame: pd.DataFrame) -> np.ndarray:
    return np.logical_or.reduce([frame[audience_col(a.code)].to_numpy() for a in schema.AUDIENCES])


def _mask(directory: Directory, state: FilterState, *, unknown_ok: bool) -> np.ndarray:
    frame = directory.services
    keep = np.ones(len(frame), dtype=bool)

    def any_of(columns: list[str]) -> np.ndarray:
        # Column by column: selecting a list of columns would copy a new (Geo)DataFrame on every call.
        return np.logical_or.reduce([frame[c].to_numpy() for c in columns])

    if not state.ended:
        keep &= ~frame["_ended"].to_numpy()
    if state.regions:
        keep &= any_of([serves_col(c) for c in state.regions])
    if state.age is not None:
        low, high = state.age
        overlap = (frame["_age_lo"].to_numpy() <= high) & (frame["_age_hi"].to_numpy() >= low)
        known = frame["_age_known"].to_numpy()
        keep &= (overlap & known) | (~known if unknown_ok else False)
    if state.audience:
        match = audience_match(frame, state.audience)
        keep &= match | (~audience_known(frame) if unknown_ok else False)
    if state.types:
        keep &= any_of([type_col(c) for c in state.types])
    if state.sectors:
        keep &= any_of([sector_col(c) for c in state.sectors])
    if state.text:
        words = _word_matches(frame)
        for word in fold(state.text).split():
            keep &= words.rows_with(word)
    return keep


def text_mask_by_rows(frame: pd.DataFrame, keep: np.ndarray, text: str) -> np.ndarray:
    """``keep`` narrowed by the words of ``text`` the plain way: ``in`` on the folded texts of the rows
    still kept, word after word (the reference :class:`WordMatches` is compared with in the tests)."""
    keep = keep.copy()
    search = _search_texts(frame)
    for word in fold(text).split():
        rows = np.flatnonzero(keep)
        keep[rows] = np.fromiter((word in text for text in search[rows]), dtype=bool, count=len(rows))
    return keep


@per_object
def _search_texts(frame: pd.DataFrame) -> np.ndarray:
    """The folded search texts as an object array, made once per directory frame."""
    return frame["_search"].to_numpy(dtype=object)


WORDS_KEPT = 64  # words whose matching rows are kept per directory (100 KB each at 100,000 services)


class WordMatches:
    """The rows whose folded search text holds a word (plain ``in``, several times faster than pandas'
    ``str.contains``), found once per word over every row and kept for the last ``WORDS_KEPT`` words:
    the map, the table and the coverage of one search each filter by the same words, and people search
    for the same few words again and again (a place, « jeunes », « rue »). 0.2 µs per row the first
    time (20 ms at 100,000 services), a copy-free lookup after."""

    def __init__(self, texts: np.ndarray, kept: int = WORDS_KEPT) -> None:
        self.texts = texts
        self.kept = kept
        self._rows: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def rows_with(self, word: str) -> np.ndarray:
        """A read-only boolean array over the rows: whether each text holds ``word``."""
        with self._lock:
            found = self._rows.get(word)
            if found is not None:
                self._rows.move_to_end(word)
                return found
        found = np.fromiter(map(operator.contains, self.texts, itertools.repeat(word)), dtype=bool, count=len(self.texts))
        found.flags.writeable = False
        with self._lock:
            self._rows[word] = found
            while len(self._rows) > self.kept:
                self._rows.popitem(last=False)
        return found


@per_object
def _word_matches(frame: pd.DataFrame) -> WordMatches:
    return WordMatches(_search_texts(frame))


def apply(directory: Directory, state: FilterState) -> pd.DataFrame:
    """The services matching ``state``, sorted by name."""
    return directory.services[mask(directory, state)].sort_values("_sort_nom", kind="stable")


def describe(state: FilterState, lang: str) -> list[tuple[str, str]]:
    """(label, value) pairs stating the filters in words, for screens and exports."""
    # « Régions : toutes », « Âge : tous », « Types de service : tous » (the noun's gender, in French).
    any_f, any_m = t("filters.any", lang), t("filters.any_m", lang)
    regions = ", ".join(schema.region_label(c) for c in state.regions) or any_f
    if state.age is None:
        ages = any_m
    elif state.age[0] == state.age[1]:
        ages = t("filters.age_one", lang, age=state.age[0])
    else:
        ages = t("filters.age_value", lang, low=state.age[0], high=state.age[1])
    types = ", ".join(schema.type_label(c, lang) for c in state.types) or any_m
    sectors = ", ".join(schema.sector_label(c, lang) for c in state.sectors) or any_m
    out = [
        (t("filters.regions", lang), regions),
        (t("filters.age", lang), ages),
        (t("filters.types", lang), types),
        (t("filters.sectors", lang), sectors),
        (t("filters.text", lang), state.text or "—"),
    ]
    if state.audience:
        out.insert(
            2,
            (t("filters.audience", lang), ", ".join(schema.term_label(schema.PERSON_LABELS, c, lang) for c in state.audience)),
        )
    if state.ended:
        out.append((t("filters.status", lang), t("filters.ended_shown", lang)))
    return out


# --------------------------------------------------------------------------- URL query string


def to_query(state: FilterState, lang: str) -> str:
    """``?lang=en&region=16&age=12-17&type=hebergement&q=…`` (lang first, only set filters)."""
    pairs: list[tuple[str, str]] = [("lang", lang)]
    pairs += [("region", c) for c in state.regions]
    if state.age:
        pairs.append(("age", f"{state.age[0]}-{state.age[1]}"))
    pairs += [("type", c) for c in state.types]
    pairs += [("secteur", c) for c in state.sectors]
    pairs += [("public", c) for c in state.audience]
    if state.text:
        pairs.append(("q", state.text))
    if state.ended:
        pairs.append(("termines", "1"))
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
        audience=params.get("public"),
        ended=params.get("termines", [None])[0],
    )
    return state, (lang if lang in ("fr", "en") else None), rejected


__all__ = ["FilterState", "apart_mask", "apply", "describe", "from_query", "mask", "masks", "parse_age", "to_query"]


def apply_apart(directory: Directory, state: FilterState) -> pd.DataFrame:
    """The services listed apart (ages or public not stated, see :func:`apart_mask`), sorted by name."""
    return directory.services[apart_mask(directory, state)].sort_values("_sort_nom", kind="stable")
