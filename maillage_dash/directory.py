"""The in-memory directory: one GeoDataFrame of services, indexed and read-only after start-up.

Multi-valued fields (types, sectors, regions served) are also stored as boolean indicator
columns so that filters are vectorised masks, whatever the number of services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from maillage_dash import schema
from maillage_dash.geo import DISPLAY_CRS, Geography
from maillage_dash.text import fold_many
from maillage_dash.validation import Problem

PUBLIC_COLUMNS = (
    "id",
    "nom",
    "organisme",
    "types",
    "age_min",
    "age_max",
    "municipalite",
    "region",
    "regions_desservies",
    "secteurs",
    "partenaires",
    "description",
    "description_en",
    "langues",
    "adresse",
    "telephone",
    "site_web",
    "confidentiel",
    "derniere_verification",
    "source",
    "lat",
    "lon",
    "point_exact",
    "fichier",
    "ligne",
)


def type_col(code: str) -> str:
    return f"t:{code}"


def sector_col(code: str) -> str:
    return f"s:{code}"


def serves_col(code: str) -> str:
    return f"r:{code}"


@dataclass
class Directory:
    """All services, with the geography they were joined to."""

    services: gpd.GeoDataFrame
    geography: Geography
    warnings: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.services)

    def by_id(self, service_id: str) -> pd.Series | None:
        if service_id in self.services.index:
            return self.services.loc[service_id]
        return None


def build_directory(
    records: list[dict[str, Any]],
    geography: Geography,
    *,
    warnings: list[Problem] | None = None,
    files: list[str] | None = None,
) -> Directory:
    frame = pd.DataFrame.from_records(records, columns=list(PUBLIC_COLUMNS))
    frame["age_min"] = pd.to_numeric(frame["age_min"]).astype("Int64")
    frame["age_max"] = pd.to_numeric(frame["age_max"]).astype("Int64")
    frame["lat"] = pd.to_numeric(frame["lat"]).astype(float)
    frame["lon"] = pd.to_numeric(frame["lon"]).astype(float)
    frame["confidentiel"] = frame["confidentiel"].astype(bool)
    frame["ligne"] = frame["ligne"].astype(int)
    n = len(frame)

    # Bounds used by the vectorised age-overlap filter: a blank bound is no bound.
    frame["_age_lo"] = frame["age_min"].astype(float).fillna(schema.AGE_LOWEST).to_numpy()
    frame["_age_hi"] = frame["age_max"].astype(float).fillna(schema.AGE_HIGHEST).to_numpy()

    indicators: dict[str, np.ndarray] = {}
    types = frame["types"].tolist()
    sectors = frame["secteurs"].tolist()
    for term in schema.SERVICE_TYPES:
        indicators[type_col(term.code)] = np.fromiter((term.code in v for v in types), bool, n)
    for term in schema.SECTORS:
        indicators[sector_col(term.code)] = np.fromiter((term.code in v for v in sectors), bool, n)
    own = frame["region"].to_numpy()
    served = frame["regions_desservies"].tolist()
    for code in schema.REGION_CODES:
        indicators[serves_col(code)] = (own == code) | np.fromiter((code in v for v in served), bool, n)
    frame = pd.concat([frame, pd.DataFrame(indicators, index=frame.index)], axis=1)

    frame["_search"] = fold_many(
        " ".join(str(x) for x in (nom, org, mun, desc, desc_en, " ".join(partners)))
        for nom, org, mun, desc, desc_en, partners in zip(
            frame["nom"],
            frame["organisme"],
            frame["municipalite"],
            frame["description"],
            frame["description_en"],
            frame["partenaires"],
        )
    )
    frame["_sort_nom"] = fold_many(frame["nom"])
    frame.index = pd.Index(frame["id"], name="service_id")
    services = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=DISPLAY_CRS)
    return Directory(services=services, geography=geography, warnings=warnings or [], files=files or [])
