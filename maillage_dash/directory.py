"""The in-memory directory: one GeoDataFrame of services, indexed and read-only after start-up.

Multi-valued fields (types, sectors, regions served) are also stored as boolean indicator
columns so that filters are vectorised masks, whatever the number of services.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
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
    records: list[dict[str, Any]] | Mapping[str, list[Any]],
    geography: Geography,
    *,
    warnings: list[Problem] | None = None,
    files: list[str] | None = None,
) -> Directory:
    """The directory of clean records: a list of dicts, or the same as columns (a list per key, as
    ``loading.read_tables`` gives them: no dict per service to make and take apart)."""
    if isinstance(records, Mapping) and len(records["id"]):
        frame = pd.DataFrame({name: records[name] for name in PUBLIC_COLUMNS})
    else:
        rows = [dict(zip(records, row)) for row in zip(*records.values())] if isinstance(records, Mapping) else records
        frame = pd.DataFrame.from_records(rows, columns=list(PUBLIC_COLUMNS))
    frame["age_min"] = pd.to_numeric(frame["age_min"]).astype("Int64")
    frame["age_max"] = pd.to_numeric(frame["age_max"]).astype("Int64")
    frame["lat"] = pd.to_numeric(frame["lat"]).astype(float)
    frame["lon"] = pd.to_numeric(frame["lon"]).astype(float)
    frame["confidentiel"] = frame["confidentiel"].astype(bool)
    frame["ligne"] = frame["ligne"].astype(int)

    # Ages: stated when a bound is given; a stated range with one blank bound is open on that side.
    # Services whose ages are not stated never match an age filter (they are listed apart).
    frame["_age_known"] = (frame["age_min"].notna() | frame["age_max"].notna()).to_numpy(dtype=bool)
    frame["_age_lo"] = frame["age_min"].astype(float).fillna(schema.AGE_LOWEST).to_numpy()
    frame["_age_hi"] = frame["age_max"].astype(float).fillna(schema.AGE_HIGHEST).to_numpy()
    frame["_ended"] = (frame["statut"] == "termine").to_numpy(dtype=bool)

    indicators: dict[str, np.ndarray] = {}
    types = _members(frame["types"].tolist(), [t.code for t in schema.SERVICE_TYPES])
    sectors = _members(frame["secteurs"].tolist(), [t.code for t in schema.SECTORS])
    audiences = _members(frame["public_cible"].tolist(), [t.code for t in schema.AUDIENCES])
    served = _members(frame["regions_desservies"].tolist(), list(schema.REGION_CODES))
    for term in schema.SERVICE_TYPES:
        indicators[type_col(term.code)] = types[term.code]
    for term in schema.SECTORS:
        indicators[sector_col(term.code)] = sectors[term.code]
    for term in schema.AUDIENCES:
        indicators[audience_col(term.code)] = audiences[term.code]
    own = frame["region"].to_numpy()
    for code in schema.REGION_CODES:
        indicators[serves_col(code)] = (own == code) | served[code]
    frame = pd.concat([frame, pd.DataFrame(indicators, index=frame.index)], axis=1)

    # The search text is fold(" ".join(name, organisation, town, descriptions, partners)): folding works
    # character by character and makes every run of separators one space, so it is also the folded parts
    # joined by a space (the empty ones left out) — each distinct value of each part folded once.
    partners = [" ".join(p) for p in frame["partenaires"].tolist()]
    parts = [fold_many(map(str, frame["nom"].tolist()))]  # names hardly ever repeat: folded as they come
    parts += [_folded(frame[c].tolist()) for c in ("organisme", "municipalite", "description", "description_en")]
    parts.append(_folded(partners))
    frame["_search"] = [" ".join(filter(None, words)) for words in zip(*parts)]
    frame["_sort_nom"] = parts[0]
    frame.index = pd.Index(frame["id"], name="service_id")
    services = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=DISPLAY_CRS)
    return Directory(services=services, geography=geography, warnings=warnings or [], files=files or [])


def _members(values: list[Any], codes: list[str]) -> dict[str, np.ndarray]:
    """For each of ``codes``, whether it is in each row's value (a tuple of codes): once per distinct value."""
    # Each value's code in one pass of a dict, in C: a missing key gets the number of keys so far.
    index: defaultdict[Any, int] = defaultdict()
    index.default_factory = index.__len__
    try:
        which = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
    except TypeError:  # an unhashable value (a list): row by row
        return {code: np.fromiter((code in v for v in values), bool, len(values)) for code in codes}
    distinct = list(index)
    return {code: np.fromiter((code in v for v in distinct), bool, len(distinct))[which] for code in codes}


def _folded(values: list[Any]) -> list[str]:
    """``fold_many([str(v) for v in values])``, each distinct value folded once."""
    texts = list(map(str, values))
    same: dict[str, str] = {}  # equal texts made one object first: pandas tells few objects apart faster
    codes, distinct = pd.factorize(np.fromiter(map(same.setdefault, texts, texts), dtype=object, count=len(texts)))
    folded = np.empty(len(distinct), dtype=object)
    folded[:] = fold_many(list(distinct))
    return folded[codes].tolist()
