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
    "public_cible",
    "municipalite",
    "region",
    "regions_desservies",
    "secteurs",
    "partenaires",
    "description",
    "description_en",
    "langues",
    "adresse",
    "telephones",
    "courriel",
    "site_web",
    "confidentiel",
    "statut",
    "confirme_le",
    "confirme_par",
    "confirme_source",
    "source",
    "note_verification",
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


def audience_col(code: str) -> str:
    return f"a:{code}"


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

    # Ages: stated when a bound is given; a stated range with one blank bound is open on that side.
    # Services whose ages are not stated never match an age filter (they are listed apart).
    frame["_age_known"] = (frame["age_min"].notna() | frame["age_max"].notna()).to_numpy(dtype=bool)
    frame["_age_lo"] = frame["age_min"].astype(float).fillna(schema.AGE_LOWEST).to_numpy()
    frame["_age_hi"] = frame["age_max"].astype(float).fillna(schema.AGE_HIGHEST).to_numpy()
    frame["_ended"] = (frame["statut"] == "termine").to_numpy(dtype=bool)

    indicators: dict[str, np.ndarray] = {}
    types = frame["types"].tolist()
    sectors = frame["secteurs"].tolist()
    for term in schema.SERVICE_TYPES:
        indicators[type_col(term.code)] = np.fromiter((term.code in v for v in types), bool, n)
    for term in schema.SECTORS:
        indicators[sector_col(term.code)] = np.fromiter((term.code in v for v in sectors), bool, n)
    audiences = frame["public_cible"].tolist()
    for term in schema.AUDIENCES:
        indicators[audience_col(term.code)] = np.fromiter((term.code in v for v in audiences), bool, n)
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
