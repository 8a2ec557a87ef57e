"""The network page's callback: the shared filters → every block of the page, from the model and figures."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, no_update

from maillage_dash import filters
from maillage_dash.config import Settings
from maillage_dash.directory import Directory
from maillage_dash.ids import ID
from maillage_dash.network import flows as network_flows
from maillage_dash.network import model as network
from maillage_dash.network.figures import graph_figure, links_map_figure
from maillage_dash.network.ids import OUTPUTS, NetID
from maillage_dash.network.layout import (
    counters,
    edges_table,
    flows_block,
    outside_table,
    partner_list,
    region_hover,
    sectors_table,
)


def content(directory: Directory, state: filters.FilterState, lang: str) -> dict[str, Any]:
    """Every part of the page that depends on the filters, by component id."""
    keep = filters.mask(directory, state)
    net = network.network(directory)
    sub = network.view(net, directory, keep)
    cross = network.cross_region_links(sub)
    flow_totals = network_flows.flows(directory, keep, state.types)
    serving = network_flows.serving_elsewhere(directory, keep)
    outside = network_flows.outside_only(directory, keep, state.types)
    sectors = network.region_sectors(net, directory, keep)
    counts = network.summary(sub)
    region_text = region_hover(directory, cross, flow_totals, outside, lang)
    return {
        NetID.COUNTERS: counters(counts, len(serving), outside["region"].nunique(), lang),
        NetID.GRAPH: graph_figure(sub, net, lang),
        NetID.LIST: partner_list(sub, state, lang),
        NetID.EDGES: edges_table(sub, state, lang),
        NetID.MAP: links_map_figure(directory, net, flow_totals, cross, region_text, lang),
        NetID.FLOWS: flows_block(flow_totals, serving, cross, sub, state, lang),
        NetID.OUTSIDE: outside_table(outside, directory, state, lang),
        NetID.SECTORS: sectors_table(sectors, lang),
    }


def register(app: Dash, directory: Directory, settings: Settings) -> None:
    from maillage_dash.events import state_from_store

    # Only inputs that every page has: Dash does not run a callback whose input is missing.
    def update(store: dict[str, Any] | None) -> tuple[Any, ...]:
        if store and store.get("fresh"):
            return (no_update,) * len(OUTPUTS)  # the page was just rendered with these very filters
        state, lang = state_from_store(store)
        parts = content(directory, state, lang)
        return tuple(parts[o] for o in OUTPUTS)

    app.callback(
        *(Output(o, "figure" if o in (NetID.GRAPH, NetID.MAP) else "children") for o in OUTPUTS), Input(ID.STATE, "data")
    )(update)
