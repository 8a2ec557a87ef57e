"""Finding services near a place: municipality, postal code (forward sortation area) or a position.

Places come from the MAMH gazetteer (``geo/municipalites.csv``) and the GeoNames points of the
forward sortation areas (``geo/rta.csv``, first three characters of a postal code). Distances are
straight lines measured in EPSG:32198 (NAD83 / Québec Lambert), the same measure the coverage
view uses; across Québec they stay within a fraction of a percent of the geodesic distance.

The nearest-services query uses a Shapely STRtree over the projected service points for radius
searches (the points in the radius's bounding square), then tests and ranks the candidates with
numpy. Without a radius, every
matching service is ranked with one vectorised distance computation.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from maillage_dash import filters
from maillage_dash.directory import Directory
from maillage_dash.geo import DISPLAY_CRS, MEASURE_CRS, Gazetteer, assign_regions, in_quebec_box
from maillage_dash.i18n import fmt_num, t
from maillage_dash.memo import per_object
from maillage_dash.text import fold, fold_place

RADII_KM = (10, 25, 50, 100, 200)
DEFAULT_RADIUS_KM = 50
MAX_PLACE_QUERY = 100
APART_LIMIT = 20  # services listed apart shown under the results (all are counted)
DEFAULT_LIMIT = 50
# Québec postal codes begin with G (east), H (Montréal) or J (west and south).
QUEBEC_POSTAL_LETTERS = frozenset("GHJ")
_POSTAL = re.compile(r"^\s*([A-Za-z]\d[A-Za-z])\s*(\d[A-Za-z]\d)?\s*$")
# While typing: a forward sortation area followed by the start of the local part ("J2S 1", "j2s1a").
_POSTAL_TYPING = re.compile(r"^\s*([A-Za-z]\d[A-Za-z])\s*(\d([A-Za-z]\d?)?)?\s*$")
_POSITION = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")

_TO_MEASURE = Transformer.from_crs(DISPLAY_CRS, MEASURE_CRS, always_xy=True)
_TO_DISPLAY = Transformer.from_crs(MEASURE_CRS, DISPLAY_CRS, always_xy=True)


def to_measure(lon: Any, lat: Any) -> tuple[Any, Any]:
    """Longitudes and latitudes (one or arrays) to the distances' projection, EPSG:32198 metres."""
    return _TO_MEASURE.transform(lon, lat)


@dataclass(frozen=True)
class Located:
    """A place the user chose, with the point distances are measured from."""

    kind: str  # "municipality", "fsa" or "position"
    key: str  # stable value for URLs and dropdowns: "m:<code>", "rta:J2S", "pos:45.50000,-73.60000"
    name: str  # municipality name, FSA code, or "" for a position
    detail: str  # region, place name of the FSA, …
    lat: float
    lon: float
    region: str
    approximate: bool  # a forward sortation area is one point for a whole area

    def xy(self) -> tuple[float, float]:
        x, y = to_measure(self.lon, self.lat)
        return float(x), float(y)


@dataclass(frozen=True)
class Lookup:
    """What a place query gave: a place, or a message (i18n key and values) and suggestions."""

    place: Located | None
    message: str | None = None
    values: dict[str, str] | None = None
    suggestions: tuple[Located, ...] = ()


# GeoNames names Montréal's and Québec City's postal areas in English ("Saint-Jérôme Southeast"): the
# French page says them in French. Longest phrases first; place names keep their own spelling.
_AREA_FR = (
    ("Quebec City Lower Riverbank", "Québec, basse-ville"),
    ("Quebec City Upper Riverbank", "Québec, haute-ville"),
    ("Downtown Montreal", "Centre-ville de Montréal"),
    ("Old Montreal", "Vieux-Montréal"),
    ("Mount Royal", "Mont-Royal"),
    ("Black Lake", "Black Lake"),
    ("Quebec City", "Québec"),
    ("Montreal", "Montréal"),
    ("North Central", "Centre-Nord"),
    ("South Central", "Centre-Sud"),
    ("Inner North", "Nord intérieur"),
    ("Outer North", "Nord extérieur"),
    ("Outer Northeast", "Nord-Est extérieur"),
    ("South & West", "Sud et Ouest"),
    ("Northeast", "Nord-Est"),
    ("Northwest", "Nord-Ouest"),
    ("Southeast", "Sud-Est"),
    ("Southwest", "Sud-Ouest"),
    ("Central", "Centre"),
    ("North", "Nord"),
    ("South", "Sud"),
    ("East", "Est"),
    ("West", "Ouest"),
)


def area_name_fr(name: str) -> str:
    """A postal area's GeoNames name in French: « Saint-Jérôme Sud-Est », « Centre-ville de Montréal Nord »."""
    out = str(name)
    for english, french in _AREA_FR:
        out = re.sub(rf"\b{re.escape(english)}\b", french, out)
    return out


class PlaceFinder:
    """Municipalities and forward sortation areas, found whatever the accents, case or hyphens."""

    def __init__(self, gazetteer: Gazetteer, rta: pd.DataFrame):
        frame = gazetteer.frame
        ok = frame["lat"].notna() & frame["lon"].notna()
        self.towns = frame[ok].reset_index(drop=True)
        self.towns_key = self.towns["key"].tolist()
        self.towns_pop = self.towns["population"].fillna(0).astype(int).to_numpy()
        self._by_code = {str(c): i for i, c in enumerate(self.towns["mcode"])}
        self.rta = rta.set_index("fsa", drop=False)

    @classmethod
    def from_geo_dir(cls, geo_dir: Path, gazetteer: Gazetteer, regions_full) -> PlaceFinder:  # type: ignore[no-untyped-def]
        rta = pd.read_csv(geo_dir / "rta.csv", dtype={"fsa": str}, keep_default_na=False)
        rta["fsa"] = rta["fsa"].str.upper().str.strip()
        rta["region"] = assign_regions(rta["lon"].to_numpy(float), rta["lat"].to_numpy(float), regions_full)
        return cls(gazetteer, rta)

    # ------------------------------------------------------------------ places
    def _town(self, i: int) -> Located:
        row = self.towns.iloc[i]
        name = str(row["nom"])
        return Located(
            kind="municipality",
            key=f"m:{row['mcode']}",
            name=name,
            detail=str(row["nom_region"]),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            region=str(row["code_region"]),
            approximate=False,
        )

    def _fsa(self, fsa: str) -> Located | None:
        if fsa not in self.rta.index:
            return None
        row = self.rta.loc[fsa]
        return Located(
            kind="fsa",
            key=f"rta:{fsa}",
            name=fsa,
            detail=str(row["place_name"]),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            region=str(row["region"]),
            approximate=True,
        )

    def from_key(self, key: str) -> Located | None:
        """The place behind a dropdown or URL value (``m:…``, ``rta:…``, ``pos:lat,lon``)."""
        kind, _, value = str(key or "").partition(":")
        if kind == "m" and value in self._by_code:
            return self._town(self._by_code[value])
        if kind == "rta":
            return self._fsa(value.upper())
        if kind == "pos":
            return self.position(value)
        return None

    def position(self, text: str) -> Located | None:
        match = _POSITION.match(str(text or ""))
        if not match:
            return None
        lat, lon = float(match.group(1)), float(match.group(2))
        if not in_quebec_box(lon, lat):
            return None
        return Located("position", f"pos:{lat:.5f},{lon:.5f}", "", "", lat, lon, "", approximate=False)

    def label(self, place: Located, lang: str) -> str:
        if place.kind == "municipality":
            return f"{place.name} ({place.detail})"
        if place.kind == "fsa":
            prefix = "Code postal" if lang == "fr" else "Postal code"
            detail = area_name_fr(place.detail) if lang == "fr" else place.detail
            return f"{prefix} {place.name} – {detail}"
        return "Ma position" if lang == "fr" else "My position"

    # ------------------------------------------------------------------ search
    def search(self, query: str, limit: int = 10) -> list[Located]:
        """Autocomplete: places whose name starts with (then contains) the query, biggest first."""
        text = str(query or "").strip()[:MAX_PLACE_QUERY]
        if not text:
            return []
        postal = _POSTAL_TYPING.match(text)
        if postal:
            place = self._fsa(postal.group(1).upper())
            return [place] if place else []
        key = fold_place(text)
        if not key:
            return []
        starts = [i for i, k in enumerate(self.towns_key) if k.startswith(key)]
        words = [i for i, k in enumerate(self.towns_key) if i not in set(starts) and (" " + key) in (" " + k)]
        ranked = sorted(starts, key=lambda i: -self.towns_pop[i]) + sorted(words, key=lambda i: -self.towns_pop[i])
        return [self._town(i) for i in ranked[:limit]]

    def resolve(self, query: str) -> Lookup:
        """One place for a typed query, or a message saying why not (with close names)."""
        raw = str(query or "")
        text = raw.strip()
        if not text:
            return Lookup(None, "near.msg_empty")
        if len(text) > MAX_PLACE_QUERY:
            return Lookup(None, "near.msg_too_long", {"max": str(MAX_PLACE_QUERY)})
        if "<" in text or ">" in text:
            return Lookup(None, "near.msg_bad_chars")
        if (place := self.from_key(text)) is not None:
            return Lookup(place)
        postal = _POSTAL.match(text)
        if postal:
            fsa = postal.group(1).upper()
            if fsa[0] not in QUEBEC_POSTAL_LETTERS:
                return Lookup(None, "near.msg_not_quebec", {"code": fsa})
            place = self._fsa(fsa)
            if place is None:
                return Lookup(None, "near.msg_unknown_fsa", {"code": fsa})
            return Lookup(place)
        if _POSITION.match(text):
            place = self.position(text)
            return Lookup(place) if place else Lookup(None, "near.msg_outside")
        key = fold_place(text)
        exact = [i for i, k in enumerate(self.towns_key) if k == key]
        if exact:
            exact.sort(key=lambda i: -self.towns_pop[i])
            place = self._town(exact[0])
            others = tuple(self._town(i) for i in exact[1:])
            return Lookup(place, "near.msg_homonyms" if others else None, None, others)
        found = self.search(text, limit=5)
        if len(found) == 1:
            return Lookup(found[0])
        if found:
            return Lookup(None, "near.msg_choose", {"query": text}, tuple(found))
        close = difflib.get_close_matches(key, list(dict.fromkeys(self.towns_key)), n=5, cutoff=0.7)
        near = tuple(self._town(self.towns_key.index(k)) for k in close)
        return Lookup(None, "near.msg_unknown", {"query": text}, near)


# ---------------------------------------------------------------------- nearest services


class NearbyIndex:
    """Projected service points with an STRtree, built once per directory."""

    def __init__(self, directory: Directory):
        lon = directory.services["lon"].to_numpy(float)
        lat = directory.services["lat"].to_numpy(float)
        x, y = to_measure(lon, lat)
        self.x = np.asarray(x, dtype=float)
        self.y = np.asarray(y, dtype=float)
        self.points = shapely.points(self.x, self.y)
        self.tree = shapely.STRtree(self.points)
        # Rank of each service's name, so that ties (same municipality point) sort by name cheaply.
        names = directory.services["_sort_nom"].to_numpy()
        self.name_rank = np.empty(len(names), dtype=np.int64)
        self.name_rank[np.argsort(names, kind="stable")] = np.arange(len(names))

    def around(self, x: float, y: float, radius_km: float | None) -> np.ndarray | None:
        """Positions of the services in the bounding square of the radius around (x, y); None without
        a radius (every service is a candidate)."""
        if radius_km is None or radius_km <= 0:
            return None
        # The tree gives the points in the radius's bounding square (no GEOS predicate: a per-candidate
        # GEOS distance is far slower than numpy's); the caller does the exact test.
        r = radius_km * 1000.0 + 1e-6
        return self.tree.query(shapely.box(x - r, y - r, x + r, y + r))

    def query(
        self,
        x: float,
        y: float,
        keep: np.ndarray,
        radius_km: float | None,
        limit: int | None,
        candidates: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """Row positions of the ``limit`` matching services nearest to (x, y), their distances
        in km, and how many match in all. ``keep`` is the filter mask; the radius is inclusive.
        ``candidates``: :meth:`around` for this point and radius, when already known."""
        if radius_km is not None and radius_km > 0:
            candidates = self.around(x, y, radius_km) if candidates is None else candidates
            candidates = candidates[keep[candidates]]
        else:
            candidates = np.flatnonzero(keep)
        dist = np.hypot(self.x[candidates] - x, self.y[candidates] - y) / 1000.0
        if radius_km is not None and radius_km > 0:
            inside = dist <= radius_km + 1e-9
            candidates, dist = candidates[inside], dist[inside]
        total = len(candidates)
        rounded = np.round(dist, 6)
        if limit is not None and total > limit:
            # Only the nearest `limit` (and whoever ties with the last of them) need a full sort. The
            # `limit`-th distance by a stable sort: np.partition slows down ~5x on the many equal
            # distances of services sharing their municipality's point.
            cut = np.sort(rounded, kind="stable")[limit - 1]
            near = rounded <= cut
            candidates, dist, rounded = candidates[near], dist[near], rounded[near]
        # Nearest first; equal distances (same municipality point) by name.
        order = np.lexsort((self.name_rank[candidates], rounded))
        if limit is not None:
            order = order[:limit]
        return candidates[order], dist[order], total


@dataclass
class Nearby:
    """Everything the nearby search needs, loaded once with the directory."""

    directory: Directory
    finder: PlaceFinder

    @cached_property
    def index(self) -> NearbyIndex:
        return NearbyIndex(self.directory)

    def services(
        self,
        place: Located,
        state: filters.FilterState,
        radius_km: float | None = DEFAULT_RADIUS_KM,
        limit: int | None = DEFAULT_LIMIT,
    ) -> pd.DataFrame:
        """Matching services sorted by distance from ``place``, with ``distance_km``.

        Returns at most ``limit`` rows; ``total`` in ``frame.attrs`` is the number within the radius.
        """
        return self._nearest(filters.mask(self.directory, state), place, radius_km, limit)

    def apart(
        self,
        place: Located,
        state: filters.FilterState,
        radius_km: float | None = DEFAULT_RADIUS_KM,
        limit: int | None = DEFAULT_LIMIT,
    ) -> pd.DataFrame:
        """Like :meth:`services` for the services listed apart (ages or public not stated)."""
        return self._nearest(filters.apart_mask(self.directory, state), place, radius_km, limit)

    def with_apart(
        self,
        place: Located,
        state: filters.FilterState,
        radius_km: float | None = DEFAULT_RADIUS_KM,
        limit: int | None = DEFAULT_LIMIT,
        apart_limit: int | None = APART_LIMIT,
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """:meth:`services` and :meth:`apart` together, the filters computed once (one search)."""
        x, y = place.xy()
        candidates = self.index.around(x, y, radius_km)
        keep, apart = self._masks(state, candidates)
        return (
            self._nearest(keep, place, radius_km, limit, candidates),
            self._nearest(apart, place, radius_km, apart_limit, candidates),
        )

    def _masks(self, state: filters.FilterState, candidates: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """``filters.masks`` as far as the search can tell: with a radius, the words searched for are
        looked for only in the services inside the radius's square (the others cannot be found, and
        are left out of both masks). Reading every folded text of 100,000 services took most of a
        search with words. The words are one more condition on both masks, so they are tested once,
        on the services that pass the other filters, as ``filters`` does."""
        if not state.text:
            return filters.masks(self.directory, state)
        keep, apart = filters.masks(self.directory, replace(state, text=""))
        either = keep | apart
        rows = np.flatnonzero(either) if candidates is None else candidates[either[candidates]]
        search = _search_texts(self.directory.services)
        for word in fold(state.text).split():
            rows = rows[np.fromiter((word in text for text in search[rows]), dtype=bool, count=len(rows))]
        found = np.zeros(len(keep), dtype=bool)
        found[rows] = True
        return keep & found, apart & found

    def _nearest(
        self, keep: Any, place: Located, radius_km: float | None, limit: int | None, candidates: np.ndarray | None = None
    ) -> pd.DataFrame:
        if not keep.any():  # nothing to look for (e.g. no service is listed apart)
            frame = self.directory.services.iloc[:0].copy()
            frame["distance_km"] = np.array([], dtype=float)
            frame.attrs["total"] = 0
            return frame
        x, y = place.xy()
        pos, dist, total = self.index.query(x, y, keep, radius_km, limit, candidates)
        frame = self.directory.services.iloc[pos].copy()
        frame["distance_km"] = dist
        frame.attrs["total"] = total
        return frame


@per_object
def _search_texts(frame: pd.DataFrame) -> np.ndarray:
    """The folded search texts (``filters``' ``_search``) as an object array, once per directory frame."""
    return frame["_search"].to_numpy(dtype=object)


def circle_lonlat(place: Located, radius_km: float, segments: int = 96) -> tuple[list[float], list[float]]:
    """The radius around ``place`` as a closed line in lon/lat (drawn on the map)."""
    x, y = place.xy()
    angles = np.linspace(0, 2 * np.pi, segments + 1)
    lon, lat = _TO_DISPLAY.transform(x + radius_km * 1000 * np.cos(angles), y + radius_km * 1000 * np.sin(angles))
    return [round(float(v), 5) for v in lon], [round(float(v), 5) for v in lat]


def parse_radius(value: object) -> float | None:
    """``"50"`` → 50.0; ``"0"``, ``"tout"``, ``"all"`` → None (no limit); anything else → the default."""
    text = str(value if value is not None else "").strip().lower()
    if text in ("0", "tout", "all", "aucun", "none"):
        return None
    try:
        radius = float(text.replace(",", "."))
    except ValueError:
        return float(DEFAULT_RADIUS_KM)
    if not np.isfinite(radius) or radius <= 0:
        return float(DEFAULT_RADIUS_KM)
    return min(radius, 2000.0)


__all__ = [
    "DEFAULT_RADIUS_KM",
    "RADII_KM",
    "Located",
    "Lookup",
    "Nearby",
    "NearbyIndex",
    "PlaceFinder",
    "circle_lonlat",
    "parse_radius",
]


@per_object
def _by_geo_dir(directory: Directory) -> dict[str, Nearby]:
    return {}


def nearby_for(directory: Directory, geo_dir: Path) -> Nearby:
    """The place finder and spatial index of ``directory`` (built once per directory and folder)."""
    built = _by_geo_dir(directory)
    key = str(geo_dir)
    if key not in built:
        geography = directory.geography
        built[key] = Nearby(directory, PlaceFinder.from_geo_dir(Path(geo_dir), geography.gazetteer, geography.regions_full))
    return built[key]


def distance_text(km: float, place: Located, lang: str) -> str:
    if km < 0.05 and place.kind == "municipality":
        return t("near.same_town", lang)
    text = fmt_num(km, lang, 1 if km < 100 else 0) + " km"
    return ("≈ " + text) if place.approximate else text
