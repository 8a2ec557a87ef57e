"""A region's profile (fiche régionale) as plain data: key figures, gaps by type and age band,
comparison with the neighbouring regions, accessibility and the services serving it. No Dash here.

The region page (``pages/region.py``), its HTML export and the command line's ``profile`` all read
one :class:`RegionProfile`, so the screen, the paper and the file say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from statistics import median

import numpy as np
import pandas as pd

from maillage_dash import schema
from maillage_dash.coverage.accessibility import RADII_KM
from maillage_dash.coverage.model import PER, SHARE_RADIUS_KM, Analysis, Coverage, finite
from maillage_dash.directory import serves_col
from maillage_dash.filters import FilterState

DESERTS_PER_TYPE = 1


@dataclass(frozen=True)
class AccessRow:
    """Accessibility of one service type for the region's population."""

    type: str
    shares: dict[int, float | None]  # radius km → share of municipal population within it
    farthest: str | None  # the region's municipality farthest from such a service
    farthest_population: int | None
    farthest_km: float | None  # None when no such service is listed anywhere


@dataclass(frozen=True)
class RegionProfile:
    code: str
    state: FilterState  # the filters applied (regions and types cleared: the profile is about one region, all types)
    year: int
    generated: datetime
    neighbours: tuple[str, ...]
    coverage: Coverage  # rows: the region then its neighbours; columns: every type
    bands: list[dict[str, object]]
    services: pd.DataFrame  # matching services serving the region, by name
    located: int  # of which located in the region
    rate_all: float | None  # distinct matching services per 10,000 of the population group
    neighbour_median: dict[str, float | None]
    quebec_rate: dict[str, float | None]
    access: list[AccessRow]
    any_share: float | None  # share of the municipal population within 50 km of any matching service
    bands_unknown: dict[str, int] = field(default_factory=dict)  # type → matching services with no stated ages

    @property
    def types(self) -> tuple[str, ...]:
        return self.coverage.types

    @property
    def gaps(self) -> list[str]:
        return self.coverage.gaps(self.code)

    @property
    def covered(self) -> int:
        return len(self.types) - len(self.gaps)


def build(analysis: Analysis, code: str, state: FilterState, year: object = None, now: datetime | None = None) -> RegionProfile:
    """The profile of region ``code`` under the filters ``state`` (its regions and types are ignored)."""
    if code not in schema.REGIONS:
        raise ValueError(f"unknown region code {code!r}")
    base = replace(state, regions=(), types=())
    neighbours = analysis.adjacency.get(code, ())
    result = analysis.coverage(replace(base, regions=(code, *neighbours)), year)
    year_value = result.year.year

    keep = analysis.matching(base)
    frame = analysis.directory.services
    serving = keep & frame[serves_col(code)].to_numpy()
    services = frame[serving].sort_values("_sort_nom", kind="stable")
    located = int((services["region"] == code).sum())
    people = result.population.get(code)
    rate_all = finite(len(services) / people * PER) if people else None

    # Québec as a whole: each matching service once, over the sum of the regions' populations.
    all_pop = analysis.population.by_region(year_value, result.choice.group.code)
    total_pop = float(np.nansum(all_pop)) if np.isfinite(all_pop).all() else None
    counts = analysis.types[keep].sum(axis=0)
    quebec = {
        t: (finite(int(counts[analysis.type_codes.index(t)]) / total_pop * PER) if total_pop else None) for t in result.types
    }
    neighbour_median = {}
    for t in result.types:
        rates = [result.cell(n, t).rate for n in neighbours]
        known = [r for r in rates if r is not None]
        neighbour_median[t] = finite(median(known)) if known else None

    access_rows = []
    model = analysis.access
    r = schema.REGION_CODES.index(code)
    shares = {radius: model.shares(result.access, radius)[r] for radius in RADII_KM}
    for j, t in enumerate(model.type_codes):
        far = model.deserts(result.access, t, (code,), DESERTS_PER_TYPE)
        row = far.iloc[0] if len(far) else None
        km = finite(row["distance_km"]) if row is not None else None
        access_rows.append(
            AccessRow(
                type=t,
                shares={radius: finite(shares[radius][j]) for radius in RADII_KM},
                farthest=str(row["nom"]) if row is not None and km is not None else None,
                farthest_population=int(row["population"]) if row is not None and km is not None else None,
                farthest_km=km,
            )
        )
    return RegionProfile(
        code=code,
        state=base,
        year=year_value,
        generated=now or datetime.now(),
        neighbours=neighbours,
        coverage=result,
        bands=analysis.age_bands(base, code, year_value),
        bands_unknown=analysis.age_unknown(base, code),
        services=services,
        located=located,
        rate_all=rate_all,
        neighbour_median=neighbour_median,
        quebec_rate=quebec,
        access=access_rows,
        any_share=result.any_share.get(code),
    )


__all__ = ["SHARE_RADIUS_KM", "AccessRow", "RegionProfile", "build"]
