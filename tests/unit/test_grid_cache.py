"""Blocks of the table served from the kept row order are the blocks computed from scratch."""

from __future__ import annotations

import pytest

from maillage_dash import filters, table
from maillage_dash.callbacks import Handlers
from maillage_dash.config import Settings


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
    handlers = Handlers(directory=shipped, settings=Settings())
    store = {"query": query, "lang": "en" if "lang=en" in query else "fr"}
    state, lang = filters.from_query(query)[0], store["lang"]
    for start in (0, 10, 40, 100):
        request = {"startRow": start, "endRow": start + 10, "sortModel": sort}
        fresh = table.page(filters.apply(shipped, state), request, lang)
        assert handlers.grid_page(request, store) == fresh
        assert handlers.grid_page(request, store) == fresh  # second time from the kept order
    assert len(handlers._orders) == 1


def test_the_kept_orders_are_bounded(shipped, monkeypatch):
    import maillage_dash.callbacks as cb

    monkeypatch.setattr(cb, "GRID_ORDERS_KEPT", 3)
    handlers = Handlers(directory=shipped, settings=Settings())
    for region in ("01", "02", "03", "04", "05"):
        handlers.grid_page({"startRow": 0, "endRow": 5}, {"query": f"?lang=fr&region={region}"})
    assert len(handlers._orders) == 3


def test_sorting_by_type_keeps_readable_type_labels(shipped):
    handlers = Handlers(directory=shipped, settings=Settings())
    rows = handlers.grid_page({"startRow": 0, "endRow": 50, "sortModel": [{"colId": "types", "sort": "asc"}]}, {})["rowData"]
    labels = [r["types"] for r in rows]
    assert all(", " not in label or len(label.split(", ")[0]) > 1 for label in labels)
    assert any("Prévention" in label or "Hébergement" in label for label in labels)
