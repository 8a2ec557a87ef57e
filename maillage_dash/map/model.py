"""The dashboard's logic on plain values (no Dash): the table's row order per view, what a map click
means, and which services sit under a map point."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from maillage_dash import filters, schema
from maillage_dash.directory import Directory
from maillage_dash.map import table
from maillage_dash.map.figures import GRID_DEGREES
from maillage_dash.memo import per_object

GRID_ORDERS_KEPT = 64  # (filters, sort) views whose row order is kept per worker


@per_object
def grid_orders(directory: Directory) -> GridOrders:
    """The row orders of one directory (of the version a live directory serves now)."""
    return GridOrders(directory)


class GridOrders:
    """Positions of the matching services in display order, computed once per (filters, sort).

    Scrolling asks for block after block of the same view: without this, every block filtered and
    sorted the whole directory again (100,000 rows). Only positions are kept (a few hundred KB), for
    the last ``kept`` views, per worker; the directory is read-only so nothing goes stale.
    """

    def __init__(self, directory: Directory, kept: int = GRID_ORDERS_KEPT) -> None:
        self.directory = directory
        self.kept = kept
        self._orders: OrderedDict[tuple[Any, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._ranks: table.SortRanks | None = None
        self._by_name: np.ndarray | None = None

    def ranks(self) -> table.SortRanks:
        if self._ranks is None:
            self._ranks = table.SortRanks(self.directory.services)
        return self._ranks

    def name_order(self) -> np.ndarray:
        """Positions of all services sorted by name, as ``filters.apply`` orders them (stable)."""
        if self._by_name is None:
            self._by_name = self.ranks().name_order()
        return self._by_name

    def positions(self, state: filters.FilterState, sort_model: Any, keep: np.ndarray | None = None) -> np.ndarray:
        """``keep``: the state's mask when the caller has it already (the page's render)."""
        key = (state, json.dumps(sort_model, sort_keys=True, default=str) if isinstance(sort_model, list) else "")
        with self._lock:
            hit = self._orders.get(key)
            if hit is not None:
                self._orders.move_to_end(key)
                return hit
        if keep is None:
            keep = filters.mask(self.directory, state)
        if table.sort_keys(sort_model):
            positions = self.ranks().order(np.flatnonzero(keep), sort_model)
        else:  # the default order (by name): the matching positions in the name order computed once
            by_name = self.name_order()
            positions = by_name[keep[by_name]]
        with self._lock:
            self._orders[key] = positions
            while len(self._orders) > self.kept:
                self._orders.popitem(last=False)
        return positions

    def __len__(self) -> int:
        return len(self._orders)


@dataclass(frozen=True)
class MapClick:
    """What a click on the map asks for: a region toggled in the filter, or the services of a point."""

    regions: list[str] | None = None  # the new region filter, when a region was clicked
    point: str | None = None  # the point's key ("lat,lon"), when a point was clicked


def read_click(click: Any, regions: Any) -> MapClick:
    """Plotly's ``clickData`` (whatever a client sends) → :class:`MapClick` (empty when meaningless)."""
    points = click.get("points") if isinstance(click, dict) else None
    point = points[0] if isinstance(points, list) and points and isinstance(points[0], dict) else {}
    location = point.get("location")
    if point.get("curveNumber") == 0 and isinstance(location, str) and location in schema.REGIONS:
        current = [c for c in regions if isinstance(c, str)] if isinstance(regions, list) else []
        new = [c for c in current if c != location] if location in current else current + [location]
        return MapClick(regions=new)
    if point.get("curveNumber") == 1 and isinstance(point.get("customdata"), str):
        return MapClick(point=point["customdata"])
    return MapClick()


def services_at_point(frame: pd.DataFrame, key: str) -> pd.DataFrame | None:
    """The rows of ``frame`` under the map point ``key`` ("lat,lon"): the exact place when some
    services are there, else the grid cell the point stands for. None for a malformed key."""
    try:
        lat, lon = (float(x) for x in str(key).split(","))
    except ValueError:
        return None
    half = GRID_DEGREES / 2 + 1e-9
    at = frame[((frame["lat"] - lat).abs() < half) & ((frame["lon"] - lon).abs() < half)]
    exact = at[(at["lat"].round(5) == lat) & (at["lon"].round(5) == lon)]
    return exact if len(exact) else at
