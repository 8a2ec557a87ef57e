"""The network page's component ids, in one place so that layout and callbacks cannot drift apart."""

from enum import StrEnum


class NetID(StrEnum):
    COUNTERS = "net-counters"
    GRAPH = "net-graph"
    LIST = "net-list-view"  # the graph as a list (first on a phone)
    VIEWS = "net-views"  # holds the list and the graph; ``data-view`` says which one shows (assets/63-reseau-vues.js)
    SHOW_LIST = "net-show-list"
    SHOW_GRAPH = "net-show-graph"
    EDGES = "net-edges"
    MAP = "net-map"
    FLOWS = "net-flows"
    OUTSIDE = "net-outside"
    SECTORS = "net-sectors"


# The blocks the page's one callback fills, in the order it returns them.
OUTPUTS = (NetID.COUNTERS, NetID.GRAPH, NetID.LIST, NetID.EDGES, NetID.MAP, NetID.FLOWS, NetID.OUTSIDE, NetID.SECTORS)
