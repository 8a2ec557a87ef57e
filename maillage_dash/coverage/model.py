"""Coverage of the regions by service type: counts, rates per 10,000 youth, accessibility. No Dash.

One function, :func:`coverage`, answers for the dashboard, the region profiles, the exports and
the command line, so a figure means the same thing everywhere:

- a service counts for a region when it is located there or lists it in ``regions_desservies``
  (as on the map);
- the filters apply as everywhere (ages overlap, sectors, text); the *type* filter picks the
  matrix's columns and the *region* filter its rows, so that a region's count never depends on
  which other regions are selected;
- the rate is services per 10,000 people of the population group matching the age filter
  (12–25 by default) in the chosen year (most recent by default);
- a value that cannot be computed (no population, no populated municipality) is ``None`` with a
  reason code, never ``nan`` or ``inf``; a zero count is a *gap*: "none listed", not "none exists".
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from maillage_dash import filters, schema
from maillage_dash.coverage.accessibility import RADII_KM, TOLERANCE_KM, AccessModel, AccessResult
from maillage_dash.coverage.population import POPULATION_FILE, GroupChoice, PopulationTable, YearInfo, load_population
from maillage_dash.directory import Directory, serves_col, type_col
from maillage_dash.filters import FilterState
from maillage_dash.memo import resolved

PER = 10_000
SHARE_RADIUS_KM = 50


def finite(value: float | None) -> float | None:
    """``value`` if it is a finite number, else ``None`` (the one gate before any output)."""
    if value is None:
        return None
    number = float(value)
    return number if np.isfinite(number) else None


@dataclass(frozen=True)
class RegionInfo:
    """What the directory holds about a region, whatever the filters."""

    code: str
    located: int  # entries located in the region
    serving: int  # entries located there or serving it
    latest: date | None  # most recent confirmation among the entries located in it
    oldest: date | None
    undated: int  # entries located in it without a confirmation date


@dataclass(frozen=True)
class Cell:
    """One region × type cell of the matrix. ``None`` values come with a ``note`` code."""

    region: str
    type: str
    count: int
    population: int | None
    rate: float | None  # services per 10,000 of the population group
    share: dict[int, float | None]  # radius km → share (0–1) of municipal population within it
    notes: tuple[str, ...] = ()

    @property
    def gap(self) -> bool:
        return self.count == 0


@dataclass(frozen=True)
class Coverage:
    """The matrix for one filter state, population group and year."""

    state: FilterState
    regions: tuple[str, ...]
    types: tuple[str, ...]
    counts: np.ndarray  # len(regions) × len(types), int
    cells: dict[tuple[str, str], Cell]
    choice: GroupChoice
    year: YearInfo
    years: tuple[YearInfo, ...]
    info: dict[str, RegionInfo]
    population: dict[str, int | None]
    matching: int  # services matching the filters (types aside)
    access: AccessResult
    any_share: dict[str, float | None] = field(default_factory=dict)  # share within 50 km of any matching type

    def cell(self, region: str, type_code: str) -> Cell:
        return self.cells[(region, type_code)]

    def gaps(self, region: str) -> list[str]:
        return [t for t in self.types if self.cells[(region, t)].gap]

    def records(self) -> list[Cell]:
        return [self.cells[(r, t)] for r in self.regions for t in self.types]


class Analysis:
    """Everything that does not depend on the filters, computed once per directory."""

    def __init__(self, directory: Directory, population: PopulationTable):
        self.directory = directory
        self.population = population
        self.access = AccessModel(directory, directory.geography)
        frame = directory.services
        self.serves = frame[[serves_col(c) for c in schema.REGION_CODES]].to_numpy(dtype=bool)  # n × 17
        self.type_codes = tuple(term.code for term in schema.SERVICE_TYPES)
        self.types = frame[[type_col(c) for c in self.type_codes]].to_numpy(dtype=bool)  # n × 9
        # Each service's combination of regions served and types (a directory repeats a few of them):
        # the counts add up the matching services of each combination, then the combinations.
        key = self.serves.astype(np.int64) @ (1 << np.arange(self.serves.shape[1], dtype=np.int64))
        key = key * (1 << self.types.shape[1]) + self.types.astype(np.int64) @ (
            1 << np.arange(self.types.shape[1], dtype=np.int64)
        )
        _, first, self._combination = np.unique(key, return_index=True, return_inverse=True)
        self._combination = self._combination.reshape(-1)
        self._combination_serves_t = np.ascontiguousarray(self.serves[first].T, dtype=np.int64)  # 17 × combinations
        self._combination_types = self.types[first].astype(np.int64)  # combinations × 9
        self.info = self._region_info()
        self.adjacency = adjacency(directory)

    def _region_info(self) -> dict[str, RegionInfo]:
        frame = self.directory.services
        # Services located in each region: each distinct region code compared once.
        codes, distinct = pd.factorize(frame["region"].to_numpy(), use_na_sentinel=False)
        per_value = np.bincount(codes, minlength=len(distinct)) if len(codes) else np.zeros(len(distinct), dtype=np.int64)
        located = np.array([int(per_value[distinct == code].sum()) for code in schema.REGION_CODES], dtype=np.int64)
        # Verification dates as day numbers; a missing date never wins the max or the min. Only the entries
        # located in the region: a provincial line serving every region would give each its own date.
        days = _day_numbers(frame["confirme_le"])
        index_of = {value: i for i, value in enumerate(distinct)}
        own = codes[:, None] == np.array([index_of.get(code, -1) for code in schema.REGION_CODES])[None, :]  # n × 17
        dated = own & (days >= 0)[:, None]
        latest = np.where(dated, days[:, None], -1).max(axis=0, initial=-1)
        oldest = np.where(dated, days[:, None], np.iinfo(np.int64).max).min(axis=0, initial=np.iinfo(np.int64).max)
        serving = self.serves.sum(axis=0)
        out = {}
        for i, code in enumerate(schema.REGION_CODES):
            has = bool(dated[:, i].any())
            out[code] = RegionInfo(
                code=code,
                located=int(located[i]),
                serving=int(serving[i]),
                latest=date.fromordinal(int(latest[i])) if has else None,
                oldest=date.fromordinal(int(oldest[i])) if has else None,
                undated=int(located[i] - dated[:, i].sum()),
            )
        return out

    def matching(self, state: FilterState) -> np.ndarray:
        """Services matching the filters other than region and type (those are the matrix's axes)."""
        return filters.mask(self.directory, replace(state, regions=(), types=()))

    def counts(self, keep: np.ndarray, types: tuple[str, ...] | None = None) -> np.ndarray:
        """17 × types: matching services serving each region, by type: the matching services of each
        combination of regions and types counted, then one small matrix product over the combinations
        (integers: the same counts as the product over every service, in a fraction of the time)."""
        cols = [self.type_codes.index(t) for t in (types or self.type_codes)]
        matching = np.bincount(self._combination[np.asarray(keep, dtype=bool)], minlength=len(self._combination_types))
        return (self._combination_serves_t * matching) @ self._combination_types[:, cols]

    def counts_by_product(self, keep: np.ndarray, types: tuple[str, ...] | None = None) -> np.ndarray:
        """:meth:`counts` as one matrix product over every service (float32, exact below 2**24): the
        reference the tests compare it with."""
        cols = [self.type_codes.index(t) for t in (types or self.type_codes)]
        weighted = self.types[:, cols].astype(np.float32) * np.asarray(keep, dtype=np.float32)[:, None]
        return np.rint(np.ascontiguousarray(self.serves.T, dtype=np.float32) @ weighted).astype(np.int64)

    def coverage(self, state: FilterState, year: object = None) -> Coverage:
        """The matrix for ``state`` (see the module docstring) and ``year`` (latest by default)."""
        regions = state.regions or schema.REGION_CODES
        types = state.types or self.type_codes
        keep = self.matching(state)
        counts_all = self.counts(keep, types)
        rows = [schema.REGION_CODES.index(r) for r in regions]
        counts = counts_all[rows]

        year_value = self.population.year_or_latest(year)
        info = self.population.years[year_value]
        choice = self.population.choose_group(state.age)
        pop = self.population.by_region(year_value, choice.group.code, regions)

        access = self.access.result(keep)
        tcols = [self.type_codes.index(t) for t in types]
        shares = {radius: self.access.shares(access, radius)[rows][:, tcols] for radius in RADII_KM}
        # Share of the population within 50 km of at least one matching service of the chosen types.
        nearest_any = access.distance_km[:, tcols].min(axis=1) if tcols else np.full(len(access.distance_km), np.inf)
        any_share = _share_by_region(self.access, nearest_any, SHARE_RADIUS_KM)

        cells: dict[tuple[str, str], Cell] = {}
        population: dict[str, int | None] = {}
        for i, region in enumerate(regions):
            people = finite(pop[i])
            population[region] = int(people) if people is not None else None
            for j, type_code in enumerate(types):
                notes: list[str] = []
                count = int(counts[i, j])
                rate: float | None = None
                if people is None:
                    notes.append("no_population")
                elif people <= 0:
                    notes.append("zero_population")
                else:
                    rate = count / people * PER
                share = {radius: finite(shares[radius][i, j]) for radius in RADII_KM}
                if share[SHARE_RADIUS_KM] is None:
                    notes.append("no_municipality")
                cells[(region, type_code)] = Cell(
                    region=region,
                    type=type_code,
                    count=count,
                    population=population[region],
                    rate=finite(rate),
                    share=share,
                    notes=tuple(notes),
                )
        return Coverage(
            state=state,
            regions=tuple(regions),
            types=tuple(types),
            counts=counts,
            cells=cells,
            choice=choice,
            year=info,
            years=tuple(self.population.years.values()),
            info=self.info,
            population=population,
            matching=int(keep.sum()),
            access=access,
            any_share={r: finite(any_share[schema.REGION_CODES.index(r)]) for r in regions},
        )

    def age_bands(self, state: FilterState, region: str, year: object = None) -> list[dict[str, object]]:
        """For one region: per youth age band of the population file (0–11, 12–17, 18–25), the
        matching services by type whose ages overlap the band, and the band's rate per 10,000."""
        year_value = self.population.year_or_latest(year)
        r = schema.REGION_CODES.index(region)
        out = []
        bands = sorted(
            (g for g in self.population.groups.values() if g.high is not None and _partition(g.code)),
            key=lambda g: g.low,
        )
        for band in bands:
            band_state = replace(state, age=(band.low, band.high))  # type: ignore[arg-type]
            keep = self.matching(band_state)
            counts = self.counts(keep)[r]
            people = finite(self.population.by_region(year_value, band.code, (region,))[0])
            rates = {t: (finite(int(counts[j]) / people * PER) if people else None) for j, t in enumerate(self.type_codes)}
            out.append(
                {
                    "group": band,
                    "population": int(people) if people is not None else None,
                    "counts": {t: int(counts[j]) for j, t in enumerate(self.type_codes)},
                    "rates": rates,
                }
            )
        return out

    def age_unknown(self, state: FilterState, region: str) -> dict[str, int]:
        """For one region: the matching services by type whose ages are not stated (counted in no band,
        and shown beside them: an unstated age is not « all ages »)."""
        keep = self.matching(replace(state, age=None)) & ~self.directory.services["_age_known"].to_numpy(dtype=bool)
        counts = self.counts(keep)[schema.REGION_CODES.index(region)]
        return {t: int(counts[j]) for j, t in enumerate(self.type_codes)}


def _partition(code: str) -> bool:
    """The bands shown side by side: they do not overlap (0–11, 12–17, 18–25)."""
    return code in ("0-11", "12-17", "18-25")


def _share_by_region(model: AccessModel, distance_km: np.ndarray, radius_km: float) -> np.ndarray:
    within = distance_km <= radius_km + TOLERANCE_KM
    known = model.region_index >= 0
    sums = np.bincount(
        model.region_index[known], weights=within[known] * model.population[known], minlength=len(schema.REGION_CODES)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        share = sums / model.region_population
    share[model.region_population <= 0] = np.nan
    return share


def _day_numbers(dates: pd.Series) -> np.ndarray:
    """Each date as its day number (``date.toordinal``), -1 where there is none: each distinct date once."""
    codes, distinct = pd.factorize(dates, use_na_sentinel=True)
    days = np.array([d.toordinal() if d and not pd.isna(d) else -1 for d in distinct] + [-1], dtype=np.int64)
    return days[codes]  # code -1 (no date) takes the last value, -1


def adjacency(directory: Directory, tolerance_m: float = 500.0) -> dict[str, tuple[str, ...]]:
    """Neighbouring regions: polygons (full resolution, EPSG:32198) that touch or come within
    ``tolerance_m`` of each other. The polygons include the St. Lawrence, so regions facing each
    other across it (e.g. Bas-Saint-Laurent and Côte-Nord) are neighbours. Measured by the spatial
    index's ``dwithin`` (exact distances; 0.02 s) rather than by buffering every polygon by
    ``tolerance_m`` (0.1 s of each start-up): the same neighbours for the shipped regions, of which no
    two that do not touch come closer than 2 km."""
    from maillage_dash.geo import MEASURE_CRS

    regions = directory.geography.regions_full[["code", "geometry"]].reset_index(drop=True).to_crs(MEASURE_CRS)
    left, right = regions.sindex.query(regions.geometry, predicate="dwithin", distance=tolerance_m)
    codes = regions["code"].to_numpy()
    out: dict[str, set[str]] = {code: set() for code in schema.REGION_CODES}
    for a, b in zip(codes[left].tolist(), codes[right].tolist()):
        if a != b and a in out:
            out[a].add(b)
    return {code: tuple(sorted(near)) for code, near in out.items()}


# --------------------------------------------------------------------------- one analysis per directory

_ANALYSES: OrderedDict[int, Analysis] = OrderedDict()
_LOCK = threading.Lock()
_KEEP = 4  # directories kept (one in production; tests build a few)


def analysis(directory: Directory) -> Analysis:
    """The (read-only) analysis of ``directory``, built at the first call and then reused."""
    directory = resolved(directory)  # a live directory: the version this request reads
    key = id(directory)
    with _LOCK:
        found = _ANALYSES.get(key)
        if found is not None and found.directory is directory:
            _ANALYSES.move_to_end(key)
            return found
        built = Analysis(directory, load_population(POPULATION_FILE))
        _ANALYSES[key] = built
        while len(_ANALYSES) > _KEEP:
            _ANALYSES.popitem(last=False)
        return built


__all__ = ["PER", "SHARE_RADIUS_KM", "Analysis", "Cell", "Coverage", "RegionInfo", "adjacency", "analysis", "finite"]
