"""Québec's regions and municipal gazetteer; CRS handling and the spatial join.

EPSG:4326 (lon/lat) is used to display, EPSG:32198 (NAD83 / Québec Lambert) to measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from maillage_dash.text import fold_place

DISPLAY_CRS = "EPSG:4326"
MEASURE_CRS = "EPSG:32198"
# A point this close to a region polygon (coast, river islands, simplified shorelines)
# still belongs to it; farther away it is "outside Québec".
NEAREST_TOLERANCE_M = 5_000.0
# Loose box around the province, used to explain obviously wrong coordinates.
QC_BOUNDS = (-80.0, 44.9, -57.0, 62.7)  # lon_min, lat_min, lon_max, lat_max

ATTRIBUTION_FR = (
    "Régions : Gouvernement du Québec, MRNF, BDGA 1/1 000 000 (V2024-03), CC BY 4.0. "
    "Municipalités : MAMH, Répertoire des municipalités, CC BY 4.0 ; coordonnées GeoNames "
    "(CC BY 4.0) et Statistique Canada (Licence du gouvernement ouvert)."
)
ATTRIBUTION_EN = (
    "Regions: Gouvernement du Québec, MRNF, BDGA 1:1,000,000 (V2024-03), CC BY 4.0. "
    "Municipalities: MAMH, Répertoire des municipalités, CC BY 4.0; coordinates from GeoNames "
    "(CC BY 4.0) and Statistics Canada (Open Government Licence)."
)


def load_regions(geo_dir: Path, *, simplified: bool) -> gpd.GeoDataFrame:
    """The 17 régions administratives, indexed by two-digit code, in EPSG:4326."""
    name = "regions_admin_simplified.geojson" if simplified else "regions_admin.geojson"
    regions = gpd.read_file(geo_dir / name)
    regions = regions.to_crs(DISPLAY_CRS)
    regions["code"] = regions["code"].astype(str).str.zfill(2)
    return regions.set_index("code", drop=False).sort_index()


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: a municipality with its point and region."""

    name: str
    region: str
    lat: float
    lon: float
    population: int
    mrc: str


class Gazetteer:
    """Municipalities of the MAMH répertoire, found by name whatever the accents or hyphens."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self._by_key: dict[str, list[int]] = {}
        for i, key in enumerate(frame["key"]):
            self._by_key.setdefault(key, []).append(i)

    @classmethod
    def from_csv(cls, path: Path) -> Gazetteer:
        frame = pd.read_csv(
            path,
            dtype={"mcode": str, "code_region": str, "code_mrc": str, "code_mrc_sda": str},
            keep_default_na=False,
            na_values={"lat": [""], "lon": [""], "population": [""]},
        )
        frame["code_region"] = frame["code_region"].str.zfill(2)
        frame["key"] = frame["nom"].map(fold_place)
        return cls(frame.reset_index(drop=True))

    def candidates(self, name: str) -> list[Place]:
        """Every municipality whose folded name equals ``name``'s."""
        rows = self._by_key.get(fold_place(name), [])
        return [self._place(i) for i in rows]

    def _place(self, i: int) -> Place:
        # Built once per municipality: a 100,000-row directory asks for the same few thousand again and again.
        cache = self.__dict__.setdefault("_places", {})
        if i not in cache:
            cache[i] = self._build_place(i)
        return cache[i]

    def _build_place(self, i: int) -> Place:
        """Row ``i`` as a :class:`Place`, read from the frame's columns taken out once (a pandas row
        per municipality, ``iloc``, was most of the time of placing a directory's towns)."""
        columns = self.__dict__.get("_columns")
        if columns is None:
            names = ("nom", "code_region", "lat", "lon", "population", "nom_mrc")
            columns = self.__dict__["_columns"] = {name: self.frame[name].to_numpy(dtype=object) for name in names}
        population = columns["population"][i]
        return Place(
            name=str(columns["nom"][i]),
            region=str(columns["code_region"][i]),
            lat=float(columns["lat"][i]),
            lon=float(columns["lon"][i]),
            population=int(population) if pd.notna(population) else 0,
            mrc=str(columns["nom_mrc"][i]),
        )

    def place_by_row(self, i: int) -> Place:
        """:meth:`_build_place` the plain way (the pandas row): the reference the tests compare it with."""
        row = self.frame.iloc[i]
        return Place(
            name=str(row["nom"]),
            region=str(row["code_region"]),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            population=int(row["population"]) if pd.notna(row["population"]) else 0,
            mrc=str(row["nom_mrc"]),
        )

    def names(self) -> list[str]:
        return sorted(set(self.frame["nom"]))

    def suggestions(self, name: str, limit: int = 3) -> list[str]:
        """Closest known names, for messages about a name that was not found."""
        import difflib

        keys = list(self._by_key)
        close = difflib.get_close_matches(fold_place(name), keys, n=limit, cutoff=0.75)
        return [str(self.frame.iloc[self._by_key[k][0]]["nom"]) for k in close]


def assign_regions(lon: np.ndarray, lat: np.ndarray, regions_full: gpd.GeoDataFrame) -> np.ndarray:
    """Region code of each point by spatial join ("" for points outside every region).

    A point within ``NEAREST_TOLERANCE_M`` of a region (shorelines) is given that region.
    """
    points = gpd.GeoDataFrame({"pos": np.arange(len(lon))}, geometry=gpd.points_from_xy(lon, lat), crs=DISPLAY_CRS)
    result = np.full(len(lon), "", dtype=object)
    if len(points) == 0:
        return result
    polys = regions_full[["code", "geometry"]].reset_index(drop=True)
    inside = gpd.sjoin(points, polys, how="inner", predicate="within")
    inside = inside[~inside.index.duplicated(keep="first")]
    result[inside["pos"].to_numpy()] = inside["code"].to_numpy()
    missing = points[result == ""]
    if len(missing):
        near = gpd.sjoin_nearest(
            missing.to_crs(MEASURE_CRS),
            polys.to_crs(MEASURE_CRS),
            how="inner",
            max_distance=NEAREST_TOLERANCE_M,
        )
        near = near[~near.index.duplicated(keep="first")]
        result[near["pos"].to_numpy()] = near["code"].to_numpy()
    return result


def in_quebec_box(lon: float, lat: float) -> bool:
    lon_min, lat_min, lon_max, lat_max = QC_BOUNDS
    return lon_min <= lon <= lon_max and lat_min <= lat <= lat_max


@dataclass(frozen=True)
class Geography:
    """Everything geographic the app loads once: regions (two resolutions) and gazetteer."""

    regions_full: gpd.GeoDataFrame
    regions_display: gpd.GeoDataFrame
    gazetteer: Gazetteer

    @classmethod
    def load(cls, geo_dir: Path) -> Geography:
        return cls(
            regions_full=load_regions(geo_dir, simplified=False),
            regions_display=load_regions(geo_dir, simplified=True),
            gazetteer=Gazetteer.from_csv(geo_dir / "municipalites.csv"),
        )
