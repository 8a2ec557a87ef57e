"""Rows of the services table, paged and sorted on the server (AG Grid infinite row model)."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pandas as pd

from maillage_dash import schema
from maillage_dash.i18n import fmt_date, t
from maillage_dash.labels import ages_text, status_text

PAGE_SIZE = 100
# The grid's first sort order (its name column, ascending: ``column_defs``).
FIRST_SORT = [{"colId": "nom", "sort": "asc"}]

# grid column id -> frame column used to sort it
SORT_KEYS = {
    "nom": "_sort_nom",
    "organisme": "organisme",
    "types": "types",
    "ages": "_age_lo",
    "municipalite": "municipalite",
    "region": "region",
    "verification": "confirme_le",
}


def column_defs(lang: str) -> list[dict[str, Any]]:
    return [
        {"field": "nom", "headerName": t("table.name", lang), "minWidth": 200, "flex": 2, "sort": "asc"},
        {"field": "organisme", "headerName": t("table.organisation", lang), "minWidth": 150, "flex": 2},
        {"field": "types", "headerName": t("table.types", lang), "minWidth": 150, "flex": 2},
        {"field": "ages", "headerName": t("table.ages", lang), "width": 110},
        {"field": "municipalite", "headerName": t("table.municipality", lang), "minWidth": 120, "flex": 1},
        {"field": "region", "headerName": t("table.region", lang), "minWidth": 150, "flex": 1},
        {"field": "secteurs", "headerName": t("table.sectors", lang), "minWidth": 200, "flex": 2, "sortable": False},
        {"field": "statut", "headerName": t("detail.status", lang), "width": 130, "sortable": False},
        {"field": "verification", "headerName": t("table.verified", lang), "width": 160},
    ]


def sort_keys(sort_model: Any) -> list[tuple[str, bool]]:
    """``[(frame column, ascending), …]`` asked by the grid's sort model (unknown columns ignored)."""
    keys: list[tuple[str, bool]] = []
    for item in sort_model if isinstance(sort_model, list) else []:
        if isinstance(item, dict):
            key = SORT_KEYS.get(str(item.get("colId")))
            if key and key not in [k for k, _ in keys]:
                keys.append((key, item.get("sort") != "desc"))
    return keys


def sort_frame(frame: pd.DataFrame, sort_model: list[dict[str, Any]] | None) -> pd.DataFrame:
    """``frame`` ordered as the grid's sort model says (name ascending by default)."""
    asked = sort_keys(sort_model)
    if not asked:
        return frame
    keys, ascending = [k for k, _ in asked], [a for _, a in asked]
    if "types" in keys:
        # Sort on a joined copy: the "types" column itself stays a tuple of codes (the rows show labels).
        frame = frame.assign(_types_key=frame["types"].map(lambda v: ",".join(v)))
        keys = ["_types_key" if k == "types" else k for k in keys]
        return frame.sort_values(keys, ascending=ascending, kind="stable", na_position="last").drop(columns="_types_key")
    return frame.sort_values(keys, ascending=ascending, kind="stable", na_position="last")


class SortRanks:
    """Each service's rank in every sortable column, computed once per column: sorting the matching
    services is then a ``numpy.lexsort`` of small integers instead of a pandas sort of their values.

    The order is exactly :func:`sort_frame` on the name-ordered matching rows: missing values last in
    both directions, ties kept in name order (checked by tests/map/test_grid_cache.py)."""

    def __init__(self, services: pd.DataFrame) -> None:
        self.services = services
        self._ranks: dict[str, tuple[np.ndarray, int]] = {}
        self._lock = threading.Lock()
        self._name_rank: np.ndarray | None = None

    def name_order(self) -> np.ndarray:
        """Positions of all services by name (stable: equal names keep the file's order)."""
        return np.argsort(self.services["_sort_nom"].to_numpy(dtype=object), kind="stable")

    def _rank(self, column: str) -> tuple[np.ndarray, int]:
        with self._lock:
            hit = self._ranks.get(column)
        if hit is None:
            values = self.services[column]
            if column == "types":
                values = values.map(lambda v: ",".join(v))
            codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
            codes = codes.astype(np.int64)
            codes[codes < 0] = len(uniques)  # missing: after every value
            hit = (codes, len(uniques))
            with self._lock:
                self._ranks[column] = hit
        return hit

    def _names(self) -> np.ndarray:
        if self._name_rank is None:
            rank = np.empty(len(self.services), dtype=np.int64)
            rank[self.name_order()] = np.arange(len(self.services))
            self._name_rank = rank
        return self._name_rank

    def order(self, positions: np.ndarray, sort_model: Any) -> np.ndarray:
        """``positions`` (of matching services) in the order the grid's sort model asks for."""
        keys = [self._names()[positions]]
        for column, ascending in reversed(sort_keys(sort_model)):  # lexsort: the last key is the primary one
            codes, missing = self._rank(column)
            key = codes[positions]
            if not ascending:
                key = np.where(key == missing, missing, missing - 1 - key)
            keys.append(key)
        return positions[np.lexsort(keys)]


def grid_rows(frame: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """Display rows of the grid for ``frame`` (already sliced to the requested page)."""
    return [
        {
            "id": rec.id,
            "nom": rec.nom,
            "organisme": rec.organisme,
            "types": ", ".join(schema.type_label(c, lang) for c in rec.types),
            "ages": ages_text(rec.age_min, rec.age_max, lang),
            "municipalite": rec.municipalite or "—",
            "region": schema.region_label(rec.region),
            "secteurs": ", ".join(schema.sector_label(c, lang) for c in rec.secteurs),
            "verification": fmt_date(rec.confirme_le, lang, "medium") if not pd.isna(rec.confirme_le) else "—",
            "statut": status_text(rec.statut, lang),
        }
        for rec in frame.itertuples(index=False)
    ]


def _row_number(value: Any, default: int) -> int:
    """A row index from the grid's request; ``default`` for anything that is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) > 10**9:
        return default
    return int(value)


def block(request: dict[str, Any] | None) -> tuple[int, int]:
    """``(start, end)`` rows asked by a ``getRowsRequest`` (at most 1,000 rows, never negative)."""
    request = request if isinstance(request, dict) else {}
    start = max(0, _row_number(request.get("startRow"), 0))
    end = _row_number(request.get("endRow"), start + PAGE_SIZE)
    return start, min(max(end, start), start + 1000)


def page(frame: pd.DataFrame, request: dict[str, Any] | None, lang: str) -> dict[str, Any]:
    """The ``getRowsResponse`` for a ``getRowsRequest``: one block of rows and the total."""
    start, end = block(request)
    ordered = sort_frame(frame, request.get("sortModel") if isinstance(request, dict) else None)
    return {"rowData": grid_rows(ordered.iloc[start:end], lang), "rowCount": len(ordered)}


def page_of_positions(frame: pd.DataFrame, positions: Any, request: dict[str, Any] | None, lang: str) -> dict[str, Any]:
    """Like :func:`page` when the matching rows are already known and ordered (their positions in ``frame``)."""
    start, end = block(request)
    return {"rowData": grid_rows(frame.iloc[positions[start:end]], lang), "rowCount": len(positions)}
