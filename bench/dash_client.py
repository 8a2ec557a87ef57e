"""What Dash's renderer posts for Maillage's main interactions, built from ``/_dash-dependencies``.

Used by the load test (``bench/load.py``) and the benchmark (``bench/run.py``) so both exercise the
same requests a browser sends: the router, filters → shared state, state → map, a block of the grid,
a region click, a detail, an export.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from maillage_dash import schema
from maillage_dash.ids import ID
from maillage_dash.map.ids import MapID

DISPATCH = "/_dash-update-component"


def _output_parts(output: str) -> list[str]:
    """The ``id.property`` pieces of a callback's output key (``..a.b...c.d..`` for several outputs)."""
    key = output[2:-2] if output.startswith("..") else output
    return key.split("...")


def _find(deps: list[dict[str, Any]], output_part: str, first_input: str | None = None) -> dict[str, Any]:
    """The callback with this output (``id.property``; ending with « @ »: any of its duplicate outputs) and,
    if given, this first input. Exact pieces: « map.figure » is not « cov-map.figure »."""

    def matches(part: str) -> bool:
        return part.startswith(output_part) if output_part.endswith("@") else part.split("@", 1)[0] == output_part

    for dep in deps:
        if any(matches(p) for p in _output_parts(dep["output"])) and (
            first_input is None or dep["inputs"][0]["id"] == first_input
        ):
            return dep
    raise KeyError(f"no callback with output {output_part!r}")


def _outputs(key: str) -> Any:
    if not key.startswith(".."):
        cid, prop = key.rsplit(".", 1)
        return {"id": cid, "property": prop.split("@")[0]}
    out = []
    for part in key[2:-2].split("..."):
        cid, prop = part.rsplit(".", 1)
        out.append({"id": json.loads(cid) if cid.startswith("{") else cid, "property": prop.split("@")[0]})
    return out


@dataclass
class DashAPI:
    """Request bodies for the main callbacks, keyed as the running app declares them."""

    deps: list[dict[str, Any]]

    def _body(self, dep: dict[str, Any], values: dict[tuple[str, str], Any], changed: list[str]) -> dict[str, Any]:
        def item(d: dict[str, Any]) -> dict[str, Any]:
            return {"id": d["id"], "property": d["property"], "value": values.get((d["id"], d["property"]))}

        return {
            "output": dep["output"],
            "outputs": _outputs(dep["output"]),
            "inputs": [item(d) for d in dep["inputs"]],
            "state": [item(d) for d in dep.get("state", [])],
            "changedPropIds": changed,
        }

    def has(self, output_part: str) -> bool:
        try:
            _find(self.deps, output_part)
        except KeyError:
            return False
        return True

    def call(self, output_part: str, values: dict[tuple[str, str], Any], first_input: str | None = None) -> dict[str, Any]:
        """Any callback by a piece of its output key; inputs not in ``values`` are sent as None."""
        dep = _find(self.deps, output_part, first_input)
        first = dep["inputs"][0]
        return self._body(dep, values, [f"{first['id']}.{first['property']}"])

    def page(self, pathname: str, search: str) -> dict[str, Any]:
        dep = _find(self.deps, f"{ID.PAGE}.children", ID.URL)
        return self._body(dep, {(ID.URL, "pathname"): pathname, (ID.URL, "search"): search}, [f"{ID.URL}.pathname"])

    def filters(self, regions: list[str], age: list[int], types: list[str], sectors: list[str], text: str, store: dict) -> dict:
        dep = _find(self.deps, f"{ID.STATE}.data@", ID.REGIONS)
        values = {
            (ID.REGIONS, "value"): regions,
            (ID.AGE, "value"): age,
            (ID.TYPES, "value"): types,
            (ID.SECTORS, "value"): sectors,
            (ID.TEXT, "value"): text,
            (ID.STATE, "data"): store,
        }
        return self._body(dep, values, [f"{ID.TYPES}.value"])

    def map(self, store: dict, basemap: list[str] | None = None) -> dict[str, Any]:
        # Since 2026-11-30 the map's figure goes into a store that assets/07-live-map.js draws (MapID.FIGURE).
        dep = _find(self.deps, f"{MapID.FIGURE}.data", ID.STATE)
        return self._body(dep, {(ID.STATE, "data"): store, (ID.BASEMAP, "value"): basemap or []}, [f"{ID.STATE}.data"])

    def grid(self, start: int, store: dict, sort: list[dict] | None = None, size: int = 100) -> dict[str, Any]:
        dep = _find(self.deps, f"{MapID.GRID}.getRowsResponse")
        request = {"startRow": start, "endRow": start + size, "sortModel": sort or [], "filterModel": {}}
        return self._body(
            dep, {(MapID.GRID, "getRowsRequest"): request, (ID.STATE, "data"): store}, [f"{MapID.GRID}.getRowsRequest"]
        )

    def region_click(self, code: str, regions: list[str]) -> dict[str, Any]:
        # The live map writes a click into the store MapID.CLICK (assets/07-live-map.js), as plotly's clickData.
        dep = _find(self.deps, f"{ID.REGIONS}.value", MapID.CLICK)
        click = {"points": [{"curveNumber": 0, "pointNumber": 0, "location": code}]}
        return self._body(dep, {(MapID.CLICK, "data"): click, (ID.REGIONS, "value"): regions}, [f"{MapID.CLICK}.data"])

    def detail(self, service_id: str, store: dict) -> dict[str, Any]:
        dep = _find(self.deps, f"{MapID.DETAIL}.children")
        values = {(MapID.GRID, "selectedRows"): [{"id": service_id}], (ID.STATE, "data"): store}
        return self._body(dep, values, [f"{MapID.GRID}.selectedRows"])

    def export(self, fmt: str, store: dict) -> dict[str, Any]:
        dep = _find(self.deps, f"{MapID.DOWNLOAD}.data")
        button = {"csv": MapID.EXPORT_CSV, "xlsx": MapID.EXPORT_XLSX, "geojson": MapID.EXPORT_GEOJSON}[fmt]
        values = {(button, "n_clicks"): 1, (ID.STATE, "data"): store, (MapID.GRID, "getRowsRequest"): None}
        return self._body(dep, values, [f"{button}.n_clicks"])


def store_from(response: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """The shared filter store after a router or filter response (unchanged when not sent)."""
    data = response.get("response", {}).get(ID.STATE, {}).get("data")
    return data if isinstance(data, dict) else previous


def random_filters(rng: random.Random) -> tuple[list[str], list[int], list[str], list[str], str]:
    """Filters an intervenant·e might set: a region or two, often an age band, a type or two."""
    regions = rng.sample(schema.REGION_CODES, k=rng.choice([0, 1, 1, 2]))
    age = rng.choice([[0, 35], [12, 17], [12, 25], [14, 21], [18, 35]])
    types = rng.sample([t.code for t in schema.SERVICE_TYPES], k=rng.choice([0, 0, 1, 2]))
    sectors = rng.sample([s.code for s in schema.SECTORS], k=rng.choice([0, 0, 0, 1]))
    text = rng.choice(["", "", "", "", "jeunes", "rue", "montréal"])
    return regions, age, types, sectors, text
