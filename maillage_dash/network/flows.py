"""Links between regions, from ``regions_desservies`` compared with each service's own region: who
serves elsewhere, flows by type, and regions whose services of a type come only from outside. No Dash."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from maillage_dash import schema
from maillage_dash.directory import Directory, serves_col, type_col
from maillage_dash.text import fold


def _types(row_types: Sequence[str], wanted: Sequence[str]) -> list[str]:
    return [c for c in row_types if not wanted or c in wanted]


def serving_elsewhere(directory: Directory, keep: np.ndarray) -> pd.DataFrame:
    """Matching services that also serve regions other than their own: id, nom, organisme, region, others."""
    frame = directory.services[keep]
    others = [tuple(c for c in served if c != own) for served, own in zip(frame["regions_desservies"], frame["region"])]
    out = pd.DataFrame(
        {
            "id": frame["id"].to_numpy(),
            "nom": frame["nom"].to_numpy(),
            "organisme": frame["organisme"].to_numpy(),
            "region": frame["region"].to_numpy(),
            "types": frame["types"].to_numpy(),
            "others": others,
        }
    )
    out = out[np.fromiter((len(o) > 0 for o in out["others"]), bool, len(out))]
    return out.iloc[np.argsort(out["nom"].map(fold).to_numpy(), kind="stable")].reset_index(drop=True)


def flows_by_type(directory: Directory, keep: np.ndarray, types: Sequence[str] = ()) -> pd.DataFrame:
    """Origin region → served region, per service type: number of services (and their ids).

    Only the chosen ``types`` are counted when some are chosen. A service of unknown region
    (outside every region) has no origin and makes no flow.
    """
    counts: dict[tuple[str, str, str], list[str]] = {}
    for row in serving_elsewhere(directory, keep).itertuples(index=False):
        if not row.region:
            continue
        for dest in row.others:
            for code in _types(row.types, types):
                counts.setdefault((row.region, dest, code), []).append(row.id)
    rank = {t.code: i for i, t in enumerate(schema.SERVICE_TYPES)}
    rows = [
        {"origin": o, "destination": d, "type": c, "services": len(v), "ids": tuple(v)}
        for (o, d, c), v in sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1], rank.get(kv[0][2], 99)))
    ]
    return pd.DataFrame(rows, columns=["origin", "destination", "type", "services", "ids"])


def flows(directory: Directory, keep: np.ndarray, types: Sequence[str] = ()) -> pd.DataFrame:
    """Origin → destination: distinct services, and ``by_type`` as ``{type: count}``."""
    detail = flows_by_type(directory, keep, types)
    rows = []
    for (origin, dest), group in detail.groupby(["origin", "destination"], sort=True):
        ids = {i for tup in group["ids"] for i in tup}
        rows.append(
            {
                "origin": origin,
                "destination": dest,
                "services": len(ids),
                "by_type": dict(zip(group["type"], group["services"].astype(int))),
            }
        )
    return pd.DataFrame(rows, columns=["origin", "destination", "services", "by_type"])


def outside_only(directory: Directory, keep: np.ndarray, types: Sequence[str] = ()) -> pd.DataFrame:
    """(region, type) pairs covered by matching services located elsewhere, and by none located there.

    Columns: region, type, services (how many from outside), ids, origins (their regions).
    """
    frame = directory.services
    own = frame["region"].to_numpy()
    ids = frame["id"].to_numpy()
    rows = []
    for code in schema.REGION_CODES:
        serving = keep & frame[serves_col(code)].to_numpy()
        for term in schema.SERVICE_TYPES:
            if types and term.code not in types:
                continue
            has = serving & frame[type_col(term.code)].to_numpy()
            if not has.any() or (has & (own == code)).any():
                continue
            rows.append(
                {
                    "region": code,
                    "type": term.code,
                    "services": int(has.sum()),
                    "ids": tuple(ids[has]),
                    "origins": tuple(sorted(set(own[has]) - {""})),
                }
            )
    return pd.DataFrame(rows, columns=["region", "type", "services", "ids", "origins"])
