"""Blocks of the table served from the kept row order are the blocks computed from scratch."""

from __future__ import annotations

import pytest

from maillage_dash import filters
from maillage_dash.config import Settings
from maillage_dash.map import table
from maillage_dash.map.callbacks import Handlers
from maillage_dash.map.model import GridOrders, grid_orders


@pytest.mark.parametrize(
    "query, sort",
    [
        ("?lang=fr", None),
        ("?lang=en&region=06&age=12-17", [{"colId": "region", "sort": "desc"}]),
        ("?lang=fr&type=hebergement", [{"colId": "ages", "sort": "asc"}, {"colId": "nom", "sort": "desc"}]),
        ("?lang=fr&q=jeunes", [{"colId": "types", "sort": "asc"}]),
    ],
)
def test_cached_blocks_equal_fresh_blocks(shipped, query, sort):
    grid_orders(shipped)._orders.clear()
    handlers = Handlers(directory=shipped, settings=Settings())
    store = {"query": query, "lang": "en" if "lang=en" in query else "fr"}
    state, lang = filters.from_query(query)[0], store["lang"]
    for start in (0, 10, 40, 100):
        request = {"startRow": start, "endRow": start + 10, "sortModel": sort}
        fresh = table.page(filters.apply(shipped, state), request, lang)
        assert handlers.grid_page(request, store) == fresh
        assert handlers.grid_page(request, store) == fresh  # second time from the kept order
    assert len(grid_orders(shipped)) == 1  # one view kept for this directory


def test_the_kept_orders_are_bounded(shipped):
    orders = GridOrders(shipped, kept=3)
    for region in ("01", "02", "03", "04", "05"):
        orders.positions(filters.FilterState(regions=(region,)), None)
    assert len(orders) == 3


def test_sorting_by_type_keeps_readable_type_labels(shipped):
    handlers = Handlers(directory=shipped, settings=Settings())
    rows = handlers.grid_page({"startRow": 0, "endRow": 50, "sortModel": [{"colId": "types", "sort": "asc"}]}, {})["rowData"]
    labels = [r["types"] for r in rows]
    assert all(", " not in label or len(label.split(", ")[0]) > 1 for label in labels)
    assert any("Prévention" in label or "Hébergement" in label for label in labels)


SORT_COLUMNS = list(table.SORT_KEYS)


def reference_positions(services, keep, sort_model):
    """The definition: the name-ordered matching rows sorted by pandas (table.sort_frame)."""
    ordered = table.sort_frame(services[keep].sort_values("_sort_nom", kind="stable"), sort_model)
    return services.index.get_indexer(ordered.index)


def tricky_services(n: int, seed: int):
    """GENERATED test data: few distinct values (many ties), missing values in every sortable column."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)

    def pick(values, missing=None, may_miss=True):
        out = [values[i] for i in rng.integers(0, len(values), n)]
        return [missing if may_miss and rng.random() < 0.15 else v for v in out]

    return pd.DataFrame(
        {
            "_sort_nom": pick(["a", "b", "c", "é", "b"], may_miss=False),  # never missing (built from the name)
            "organisme": pick(["Org 1", "Org 2", "Org 10"], None),
            "types": pick([("hebergement",), ("prevention", "travail_de_rue"), ("accompagnement",)], ()),
            "_age_lo": pick([0.0, 12.0, 12.0, 18.0], float("nan")),
            "municipalite": pick(["Laval", "Lévis", "Gatineau"], None),
            "region": pick(["06", "13", "07"], None),
            "confirme_le": pd.to_datetime(pick(["2025-01-01", "2026-03-04", "2024-12-31"], None)),
        },
        index=pd.RangeIndex(100, 100 + n),
    )


def sort_models():
    models = []
    for first in SORT_COLUMNS:
        for direction in ("asc", "desc"):
            models.append([{"colId": first, "sort": direction}])
            for second in SORT_COLUMNS:
                if second != first:
                    models.append([{"colId": first, "sort": direction}, {"colId": second, "sort": "desc"}])
    return models


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rank_sort_equals_the_pandas_sort_on_ties_and_missing_values(seed):
    import numpy as np

    services = tricky_services(300, seed)
    ranks = table.SortRanks(services)
    keep = np.random.default_rng(seed).random(len(services)) < 0.6
    for model in sort_models():
        got = ranks.order(np.flatnonzero(keep), model)
        assert got.tolist() == reference_positions(services, keep, model).tolist(), model


def test_rank_sort_equals_the_pandas_sort_on_the_shipped_directory(shipped):
    import numpy as np

    services = shipped.services
    ranks = table.SortRanks(services)
    keep = np.ones(len(services), dtype=bool)
    keep[::3] = False
    for model in sort_models():
        assert ranks.order(np.flatnonzero(keep), model).tolist() == reference_positions(services, keep, model).tolist()
