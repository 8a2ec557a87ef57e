"""How far the populated municipalities are from the services, by type. No Dash here.

Distances are straight lines between points in EPSG:32198 (NAD83 / Québec Lambert), not road
distances or travel times: a committee reads them as "as the crow flies". Services count across
regional borders (a service in Laval is near people in Montréal). The population is the
municipal population of the MAMH gazetteer (all ages): youth counts by municipality are not in
the shipped data.

What does not depend on the filters (municipality points, service points, each service's nearest
municipality, the municipality pairs within the catchment radius) is computed once in
:class:`AccessModel` (GeoPandas ``sjoin_nearest`` places each service at its nearest municipality);
per request the work is, per service type, the nearest of the distinct points holding a matching
service (exact distances): looked up in each municipality's list of nearest points made once, and
asked of a spatial index for the municipalities whose list holds none nearer than its end; and, only
where a screen shows it, a PySAL ``access`` 2SFCA for one type whose supply is counted at each service's nearest populated
municipality (so its cost table does not grow with the directory). Results are cached per set of
matching services.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from maillage_dash import schema
from maillage_dash.directory import Directory, type_col
from maillage_dash.geo import DISPLAY_CRS, MEASURE_CRS, Geography

RADII_KM: tuple[int, ...] = (25, 50, 100)
CATCHMENT_KM = 50  # radius of the 2SFCA catchment
FCA_PER = 100_000  # 2SFCA scores are small: shown per 100,000 inhabitants
DESERT_COUNT = 10
# "Within 100 km" includes 100 km; distances are compared to the metre (projection round trips).
TOLERANCE_KM = 0.001
_CACHE_SIZE = 64
# Distinct service points listed per municipality, nearest first (AccessModel.neighbours): the nearest
# matching one is found in this list for most municipalities and types, without a spatial index.
NEIGHBOURS = 64
_TO_MEASURE = Transformer.from_crs(DISPLAY_CRS, MEASURE_CRS, always_xy=True)


def _distinct_rows(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(xy, axis=0, return_inverse=True)`` for an n × 2 float array (the distinct rows in
    order of x then y, and each row's index among them), by a ``lexsort`` of the two columns: several
    times faster than ``unique`` on rows, which sorts them as records."""
    if not len(xy):
        return xy, np.zeros(0, dtype=np.int64)
    order = np.lexsort((xy[:, 1], xy[:, 0]))
    ranked = xy[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (ranked[1:] != ranked[:-1]).any(axis=1)
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return ranked[new], inverse


class AccessResult:
    """Distances and catchment scores for one set of matching services.

    ``distance_km[i, j]``: straight-line distance from municipality ``i`` to the nearest matching
    service of type ``j`` (``inf`` when no matching service of that type is listed anywhere).
    ``fca_column(j)`` / ``fca[i, j]``: 2SFCA score (services per inhabitant within ``CATCHMENT_KM``),
    0 when none. The scores are computed on first use, one type at a time: the coverage matrix needs
    only the distances, the accessibility table the scores of the one type it shows.
    """

    def __init__(self, distance_km: np.ndarray, two_stage: Callable[[int], np.ndarray], fca_available: bool) -> None:
        self.distance_km = distance_km
        self.fca_available = fca_available
        self._two_stage = two_stage
        self._columns: dict[int, np.ndarray] = {}
        self._lock = threading.Lock()

    def fca_column(self, j: int) -> np.ndarray:
        with self._lock:
            if j not in self._columns:
                self._columns[j] = self._two_stage(j)
            return self._columns[j]

    @property
    def fca(self) -> np.ndarray:
        return np.column_stack([self.fca_column(j) for j in range(self.distance_km.shape[1])])


class AccessModel:
    """Municipalities and service points, projected once; per-filter results on demand."""

    def __init__(self, directory: Directory, geography: Geography):
        frame = geography.gazetteer.frame
        populated = frame[(frame["population"] > 0) & frame["lat"].notna() & frame["lon"].notna()].reset_index(drop=True)
        self.municipalities = gpd.GeoDataFrame(
            {
                "mcode": populated["mcode"].astype(str),
                "nom": populated["nom"].astype(str),
                "region": populated["code_region"].astype(str),
                "population": populated["population"].astype(float),
            },
            geometry=gpd.points_from_xy(populated["lon"], populated["lat"]),
            crs=DISPLAY_CRS,
        ).to_crs(MEASURE_CRS)
        self.population = self.municipalities["population"].to_numpy()
        self.region_codes = schema.REGION_CODES
        index = {code: i for i, code in enumerate(self.region_codes)}
        self.region_index = np.array([index.get(c, -1) for c in self.municipalities["region"]], dtype=int)
        known = self.region_index >= 0
        self.region_population = np.bincount(self.region_index[known], weights=self.population[known], minlength=len(index))
        self.region_municipalities = np.bincount(self.region_index[known], minlength=len(index))

        services = directory.services
        located = services["lat"].notna().to_numpy() & services["lon"].notna().to_numpy()
        self.positions = np.flatnonzero(located)  # row of each located service
        # Projected as coordinate arrays (what GeoPandas' to_crs does to each point's coordinates): no
        # point object per service — 100,000 shapely points, made twice, cost a tenth of a cold start
        # with the two full garbage collections they set off. Points are made for distinct places only.
        x, y = _TO_MEASURE.transform(services["lon"].to_numpy(float)[located], services["lat"].to_numpy(float)[located])
        self._xy = np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])
        self.type_codes = tuple(term.code for term in schema.SERVICE_TYPES)
        self.types = services[[type_col(c) for c in self.type_codes]].to_numpy(dtype=bool)
        self._located_types = self.types[self.positions]  # located services × types
        self.service_ids = services.index.to_numpy()
        # Distinct service points and, per located service, which one it stands on.
        distinct, self.point_of = _distinct_rows(self._xy)
        self.points = gpd.GeoSeries(gpd.points_from_xy(distinct[:, 0], distinct[:, 1]), crs=MEASURE_CRS)
        self.pairs = self._catchment_pairs()
        self._demand = pd.DataFrame({"pop": self.population}, index=pd.RangeIndex(len(self.population), name="mid"))
        try:
            import access  # noqa: F401  (PySAL access, in requirements.txt)

            self.fca_available = True
        except ImportError:  # a stripped install still shows the distances
            self.fca_available = False
        self._cache: OrderedDict[bytes, AccessResult] = OrderedDict()
        self._lock = threading.Lock()

    @cached_property
    def services(self) -> gpd.GeoDataFrame:
        """The located services as points in EPSG:32198 (``pos``: their row), made when first asked for."""
        return gpd.GeoDataFrame(
            {"pos": self.positions}, geometry=gpd.points_from_xy(self._xy[:, 0], self._xy[:, 1]), crs=MEASURE_CRS
        )

    # ----------------------------------------------------------------- precomputed
    def _catchment_pairs(self) -> pd.DataFrame:
        """(municipality, municipality, distance in metres) for every pair within the catchment radius.

        For the 2SFCA, each service's supply sits at its nearest populated municipality
        (``self.service_zone``), so this table has the same size whatever the directory's size.
        """
        empty = pd.DataFrame({"origin": pd.Series(dtype=int), "dest": pd.Series(dtype=int), "metres": pd.Series(dtype=float)})
        self.service_zone = np.full(len(self.positions), -1, dtype=int)
        if len(self.positions) == 0 or len(self.municipalities) == 0:
            return empty
        # Each distinct point's nearest municipality (the first of equally near ones), then each service's.
        places = gpd.GeoDataFrame(geometry=self.points.to_numpy(), crs=MEASURE_CRS)
        nearest = gpd.sjoin_nearest(places, self.municipalities[["geometry"]], how="left")
        nearest = nearest[~nearest.index.duplicated(keep="first")]
        zone_of_point = np.full(len(self.points), -1, dtype=int)
        zone_of_point[nearest.index.to_numpy()] = nearest["index_right"].to_numpy()
        self.service_zone = zone_of_point[self.point_of]
        points = self.municipalities[["geometry"]]
        joined = gpd.sjoin(points, points, how="inner", predicate="dwithin", distance=CATCHMENT_KM * 1000.0)
        origin = joined.index.to_numpy()
        dest = joined["index_right"].to_numpy()
        xy = np.column_stack([points.geometry.x.to_numpy(), points.geometry.y.to_numpy()])
        metres = np.hypot(*(xy[origin] - xy[dest]).T)
        return pd.DataFrame({"origin": origin, "dest": dest, "metres": metres})

    # ----------------------------------------------------------------- per filter
    def result(self, keep: np.ndarray) -> AccessResult:
        """Distances and 2SFCA for the services where ``keep`` is True (cached)."""
        key = np.asarray(keep, dtype=bool).tobytes()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        keep = np.asarray(keep, dtype=bool).copy()
        result = AccessResult(self._nearest(keep), lambda j: self._two_stage(keep, j), self.fca_available)
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return result

    @cached_property
    def neighbours(self) -> tuple[np.ndarray, np.ndarray]:
        """For each municipality, its ``NEIGHBOURS`` nearest distinct service points (indices into
        ``points``) and their distances in metres, nearest first (equal distances in index order).

        The distances are GEOS's (``shapely.distance``), the very ones the spatial index's nearest query
        returns; SciPy's k-d tree only picks the candidates. Made at the first coverage request."""
        towns = self.municipalities.geometry.to_numpy()
        points = self.points.to_numpy()
        k = min(NEIGHBOURS, len(points))
        if k == 0 or len(towns) == 0:
            return np.zeros((len(towns), 0), dtype=np.int64), np.zeros((len(towns), 0))
        from scipy.spatial import cKDTree

        _, index = cKDTree(shapely.get_coordinates(points)).query(shapely.get_coordinates(towns), k=k)
        index = np.asarray(index, dtype=np.int64).reshape(len(towns), k)
        metres = shapely.distance(towns[:, None], points[index])
        order = np.argsort(metres, axis=1, kind="stable")
        return np.take_along_axis(index, order, axis=1), np.take_along_axis(metres, order, axis=1)

    def _wanted_points(self, keep: np.ndarray) -> np.ndarray:
        """Distinct points × types: whether the point holds a matching service of the type."""
        chosen = np.asarray(keep, dtype=bool)[self.positions]
        wanted = np.zeros((len(self.points), len(self.type_codes)), dtype=bool)
        for j in range(len(self.type_codes)):
            wanted[self.point_of[chosen & self._located_types[:, j]], j] = True
        return wanted

    def _nearest(self, keep: np.ndarray) -> np.ndarray:
        """Distance (km) from each municipality to the nearest matching service of each type.

        Many services share a point (a municipality, an address): the search runs on the distinct
        points that hold at least one matching service of the type. For each municipality, the first
        such point of its list of nearest points (:attr:`neighbours`) is the nearest when it is nearer
        than the list's last point (then no point left out of the list can be nearer: the k-d tree and
        GEOS differ by far less than the margin); the other municipalities ask the spatial index of the
        type's points, as :func:`nearest_by_index` does for all of them (the same distances: a test
        compares the two)."""
        out = np.full((len(self.municipalities), len(self.type_codes)), np.inf)
        if len(self.municipalities) == 0:
            return out
        wanted = self._wanted_points(keep)
        index, metres = self.neighbours
        if index.shape[1]:
            listed = wanted[index]  # municipalities × neighbours × types
            first = listed.argmax(axis=1)
            near = np.take_along_axis(metres, first, axis=1)
            sure = listed.any(axis=1)
            if index.shape[1] < len(self.points):  # some points are not in the lists
                sure &= near < metres[:, -1:] * (1 - 1e-9)
        else:
            near = sure = np.zeros(out.shape, dtype=bool)
        towns = self.municipalities.geometry.to_numpy()
        points = self.points.to_numpy()
        for j in range(len(self.type_codes)):
            have = np.flatnonzero(wanted[:, j])
            if not len(have):
                continue
            found = sure[:, j]
            out[found, j] = near[found, j] / 1000.0
            rest = np.flatnonzero(~found)
            if len(rest):
                (which, _), distance = shapely.STRtree(points[have]).query_nearest(
                    towns[rest], return_distance=True, all_matches=False
                )
                out[rest[which], j] = distance / 1000.0
        return out

    def nearest_by_index(self, keep: np.ndarray) -> np.ndarray:
        """:meth:`_nearest` the plain way (one spatial index query per type for every municipality):
        the reference the tests compare it with."""
        out = np.full((len(self.municipalities), len(self.type_codes)), np.inf)
        if len(self.municipalities) == 0:
            return out
        positions = self.positions
        towns = self.municipalities.geometry
        for j in range(len(self.type_codes)):
            wanted = keep[positions] & self.types[positions, j]
            if not wanted.any():
                continue
            points = self.points.iloc[np.unique(self.point_of[wanted])]
            _, metres = points.sindex.nearest(towns, return_all=False, return_distance=True)
            out[:, j] = metres / 1000.0
        return out

    def _two_stage(self, keep: np.ndarray, j: int) -> np.ndarray:
        """2SFCA of PySAL ``access`` for service type ``j``: for each municipality, the sum over the
        services within the catchment of 1 / (population within the catchment of that service); a
        service's place is its nearest populated municipality."""
        out = np.zeros(len(self.municipalities))
        if not self.fca_available or self.pairs.empty:
            return out
        from access import Access

        positions = self.positions
        wanted = keep[positions] & self.types[positions, j]  # located services of type j
        placed = (self.service_zone >= 0) & wanted
        if not placed.any():
            return out
        supply_counts = np.bincount(self.service_zone[placed], minlength=len(self.municipalities)).astype(float)
        zones = np.flatnonzero(supply_counts)
        supply = pd.DataFrame({"supply": supply_counts[zones]}, index=pd.Index(zones, name="zone"))
        model = Access(
            demand_df=self._demand,
            demand_index=True,
            demand_value="pop",
            supply_df=supply,
            supply_index=True,
            supply_value="supply",
            cost_df=self.pairs[self.pairs["dest"].isin(zones)],
            cost_origin="origin",
            cost_dest="dest",
            cost_name="metres",
        )
        scores = model.two_stage_fca(name="fca", max_cost=CATCHMENT_KM * 1000.0)
        return scores["fca_supply"].reindex(self._demand.index).fillna(0.0).to_numpy()

    # ----------------------------------------------------------------- summaries
    def shares(self, result: AccessResult, radius_km: float) -> np.ndarray:
        """Share (0–1) of each region's municipal population within ``radius_km`` of each type.

        Rows follow ``schema.REGION_CODES``; ``nan`` for a region with no populated municipality.
        """
        within = result.distance_km <= radius_km + TOLERANCE_KM
        known = self.region_index >= 0
        sums = np.zeros((len(self.region_codes), len(self.type_codes)))
        np.add.at(sums, self.region_index[known], within[known] * self.population[known, None])
        with np.errstate(invalid="ignore", divide="ignore"):
            share = sums / self.region_population[:, None]
        share[self.region_population <= 0] = np.nan
        return share

    def region_fca(self, result: AccessResult, j: int | None = None) -> np.ndarray:
        """Population-weighted mean 2SFCA of each region × type (or of type ``j`` only), per ``FCA_PER``
        inhabitants (``nan`` without population)."""
        scores = result.fca if j is None else result.fca_column(j)[:, None]
        known = self.region_index >= 0
        sums = np.zeros((len(self.region_codes), scores.shape[1]))
        np.add.at(sums, self.region_index[known], scores[known] * self.population[known, None])
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = sums / self.region_population[:, None] * FCA_PER
        mean[self.region_population <= 0] = np.nan
        return mean if j is None else mean[:, 0]

    def deserts(self, result: AccessResult, type_code: str, regions: tuple[str, ...] = (), n: int = DESERT_COUNT) -> pd.DataFrame:
        """The ``n`` municipalities farthest from a matching service of ``type_code``.

        Columns: ``nom``, ``region``, ``population``, ``distance_km`` (``inf`` when no service of
        that type is listed at all; callers say so rather than show a number).
        """
        j = self.type_codes.index(type_code)
        frame = self.municipalities[["mcode", "nom", "region", "population"]].copy()
        frame["distance_km"] = result.distance_km[:, j]
        if regions:
            frame = frame[frame["region"].isin(regions)]
        return frame.sort_values(["distance_km", "population"], ascending=[False, False], kind="stable").head(n)

    def population_beyond(self, result: AccessResult, radius_km: float) -> np.ndarray:
        """People of each region × type living farther than ``radius_km`` from such a service."""
        beyond = result.distance_km > radius_km + TOLERANCE_KM
        known = self.region_index >= 0
        sums = np.zeros((len(self.region_codes), len(self.type_codes)))
        np.add.at(sums, self.region_index[known], beyond[known] * self.population[known, None])
        return sums


__all__ = ["CATCHMENT_KM", "FCA_PER", "RADII_KM", "AccessModel", "AccessResult"]
