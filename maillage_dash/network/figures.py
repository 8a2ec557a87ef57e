"""Figures of the partnership network and of the links between regions. No Dash imports.

Colour is never the only cue: each sector also has its own marker shape (listed in the legend),
services are larger than outside partners, and on the map the two kinds of links differ by
shape (straight lines for partnerships, arcs for services serving other regions). Colours are
the Okabe–Ito palette, chosen to stay distinct for the common colour-vision deficiencies.
"""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go

from maillage_dash import schema
from maillage_dash.basemap import regions_geojson_url
from maillage_dash.directory import Directory
from maillage_dash.i18n import count_text, fmt_int, t
from maillage_dash.network.model import SERVICE, Network

if TYPE_CHECKING:  # only the graphs' type: networkx is imported where a graph is built
    import networkx as nx

UNKNOWN = "inconnu"
# sector → (colour, plotly marker symbol)
SECTOR_STYLE: dict[str, tuple[str, str]] = {
    "communautaire": ("#E69F00", "circle"),
    "policier": ("#0072B2", "square"),
    "sante_services_sociaux": ("#009E73", "diamond"),
    "protection_jeunesse": ("#CC79A7", "triangle-up"),
    "scolaire": ("#56B4E9", "pentagon"),
    "justice": ("#D55E00", "star"),
    UNKNOWN: ("#8C8C8C", "x"),
}
PARTNERSHIP_COLOUR = "#0072B2"
FLOW_COLOUR = "#D55E00"
EDGE_COLOUR = "#9A9A9A"
SERVICE_SIZE = 17
PARTNER_SIZE = 11
LABEL_MIN_DEGREE = 4  # services with this many partnerships get their name on the graph
LABEL_MAX_CHARS = 32


def sector_name(code: str, lang: str) -> str:
    return t("network.sector_unknown", lang) if code == UNKNOWN else schema.sector_label(code, lang)


def primary_sector(data: dict[str, Any]) -> str:
    sectors = data.get("sectors") or ()
    return sectors[0] if sectors else UNKNOWN


def _short(text: str, limit: int = LABEL_MAX_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def node_hover(sub: nx.Graph, node: str, lang: str) -> str:
    data = sub.nodes[node]
    lines = [f"<b>{escape(data['label'])}</b>"]
    if data["kind"] == SERVICE:
        if data["organisation"] and data["organisation"] != data["label"]:
            lines.append(escape(data["organisation"]))
        if data["region"]:
            lines.append(escape(schema.region_label(data["region"])))
        if not data.get("matches", True):
            lines.append("<i>" + t("network.graph_not_matching", lang) + "</i>")
    else:
        lines.append("<i>" + t("network.graph_outside_partner", lang) + "</i>")
    sectors = ", ".join(schema.sector_label(c, lang) for c in data["sectors"]) or t("network.sector_unknown", lang)
    if data.get("sectors_deduced"):
        sectors += " " + t("network.deduced_mark", lang)
    lines.append(escape(t("network.graph_sectors", lang, sectors=sectors)))
    lines.append(count_text("network.graph_degree", sub.degree(node), lang))
    return "<br>".join(lines)


def _sector_trace(sub: nx.Graph, pos: dict[str, tuple[float, float]], code: str, nodes: list[str], lang: str) -> go.Scatter:
    """One sector's nodes: its shape and colour, services larger than partners, unmatched ones faded."""
    colour, symbol = SECTOR_STYLE[code]
    services = [sub.nodes[n]["kind"] == SERVICE for n in nodes]
    return go.Scatter(
        x=[pos[n][0] for n in nodes],
        y=[pos[n][1] for n in nodes],
        mode="markers",
        hovertext=[node_hover(sub, n, lang) for n in nodes],
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=[sub.nodes[n]["service_id"] for n in nodes],
        marker={
            "symbol": symbol,
            "color": colour,
            "size": [SERVICE_SIZE if s else PARTNER_SIZE for s in services],
            "opacity": [1.0 if sub.nodes[n].get("matches") or not s else 0.55 for n, s in zip(nodes, services)],
            "line": {"color": ["#1d1d3a" if s else "#ffffff" for s in services], "width": 1.4},
        },
        name=t(f"network.sector_short.{code}", lang) if code != UNKNOWN else sector_name(code, lang),
        legendgroup=code,
    )


def _labels(sub: nx.Graph, pos: dict[str, tuple[float, float]]) -> list[dict[str, Any]]:
    """Names of the most connected services, most connected first: the browser keeps them in this order
    while they fit (assets/63-reseau-vues.js hides one that would cover a kept one or leave the plot).
    A name near the left or right edge is written towards the middle, so that it is not cut there; on a
    light background so that lines do not hide it."""
    chosen = [
        n for n, d in sub.nodes(data=True) if d["kind"] == SERVICE and d.get("matches") and sub.degree(n) >= LABEL_MIN_DEGREE
    ]
    chosen.sort(key=lambda n: (-sub.degree(n), sub.nodes[n]["label"].casefold()))
    xs = [pos[n][0] for n in sub.nodes]
    low, high = (min(xs), max(xs)) if xs else (0.0, 1.0)
    notes = []
    for node in chosen:
        x, y = pos[node]
        share = (x - low) / (high - low) if high > low else 0.5
        anchor = "left" if share < 0.3 else "right" if share > 0.7 else "center"
        notes.append(
            {
                "x": x,
                "y": y,
                "text": escape(_short(sub.nodes[node]["label"])),
                "showarrow": False,
                "xanchor": anchor,
                "xshift": {"left": -6, "right": 6, "center": 0}[anchor],
                "yshift": 15,
                "font": {"size": 11, "color": "#1d1d3a"},
                "bgcolor": "rgba(255,255,255,0.85)",
                "borderpad": 1,
                "name": sub.nodes[node]["service_id"],
            }
        )
    return notes


def graph_figure(sub: nx.Graph, net: Network, lang: str) -> go.Figure:
    """The network as a plotly figure: grey lines for partnerships, one marker trace per sector."""
    fig = go.Figure()
    if sub.number_of_nodes() == 0:
        fig.add_annotation(text=t("network.graph_empty", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    pos = net.positions
    ex: list[float | None] = []
    ey: list[float | None] = []
    for a, b in sub.edges:
        ex += [pos[a][0], pos[b][0], None]
        ey += [pos[a][1], pos[b][1], None]
    fig.add_trace(
        go.Scatter(
            x=ex,
            y=ey,
            mode="lines",
            line={"color": EDGE_COLOUR, "width": 1.2},
            hoverinfo="skip",
            showlegend=False,
            name=t("network.graph_links", lang),
        )
    )
    groups: dict[str, list[str]] = {code: [] for code in SECTOR_STYLE}
    for node, data in sub.nodes(data=True):
        groups[primary_sector(data)].append(node)
    for code, nodes in groups.items():
        fig.add_trace(_sector_trace(sub, pos, code, nodes, lang))
    for note in _labels(sub, pos):
        fig.add_annotation(note)
    fig.update_layout(
        xaxis={"visible": False, "fixedrange": False},
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1},
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        # The key is in the page, in words and shapes (it prints, and reads on a phone).
        showlegend=False,
        hoverlabel={"bgcolor": "white", "font": {"size": 13}, "align": "left"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        uirevision="network",
        dragmode="pan",
    )
    return fig


# --------------------------------------------------------------------------- map of links


def link_width(n: int) -> float:
    return round(min(10.0, 1.8 + 1.4 * (n - 1)), 1)


def _curve(a: tuple[float, float], b: tuple[float, float], bend: float, steps: int = 24) -> list[tuple[float, float]]:
    """Points of a quadratic Bézier from a to b, bulging to the right of the way by ``bend`` × length.

    Computed with longitudes shrunk by cos(latitude), so the bulge looks even on the map.
    """
    k = math.cos(math.radians((a[1] + b[1]) / 2))
    ax, ay, bx, by = a[0] * k, a[1], b[0] * k, b[1]
    dx, dy = bx - ax, by - ay
    cx, cy = (ax + bx) / 2 + dy * bend, (ay + by) / 2 - dx * bend
    out = []
    for i in range(steps + 1):
        s = i / steps
        x = (1 - s) ** 2 * ax + 2 * (1 - s) * s * cx + s**2 * bx
        y = (1 - s) ** 2 * ay + 2 * (1 - s) * s * cy + s**2 * by
        out.append((round(x / k, 5), round(y, 5)))
    return out


def _line_traces(paths: list[tuple[list[tuple[float, float]], int]], colour: str, name: str, group: str) -> list[go.Scattermap]:
    """One trace per line width (plotly's map lines have one width per trace), the first in the legend."""
    by_width: dict[float, list[list[tuple[float, float]]]] = {}
    for points, n in paths:
        by_width.setdefault(link_width(n), []).append(points)
    traces = []
    for i, (width, lines) in enumerate(sorted(by_width.items())):
        lon: list[float | None] = []
        lat: list[float | None] = []
        for points in lines:
            lon += [p[0] for p in points] + [None]
            lat += [p[1] for p in points] + [None]
        traces.append(
            go.Scattermap(
                lon=lon,
                lat=lat,
                mode="lines",
                line={"color": colour, "width": width},
                hoverinfo="skip",
                name=name,
                legendgroup=group,
                showlegend=i == 0,
            )
        )
    return traces


def _regions_trace(directory: Directory, codes: list[str], region_text: dict[str, str], lang: str) -> go.Choroplethmap:
    return go.Choroplethmap(
        geojson=regions_geojson_url(directory),
        locations=codes,
        z=[0] * len(codes),
        zmin=0,
        zmax=1,
        colorscale=[[0, "#f1eff5"], [1, "#f1eff5"]],
        showscale=False,
        marker={"opacity": 0.9, "line": {"width": 0.9, "color": "#6b6b6b"}},
        text=[region_text.get(c, escape(schema.region_label(c))) for c in codes],
        hovertemplate="%{text}<extra></extra>",
        name=t("network.map_regions", lang),
        showlegend=False,
    )


Paths = list[tuple[list[tuple[float, float]], int]]
Mids = list[tuple[tuple[float, float], str]]


def _partnership_paths(cross: pd.DataFrame, points: dict[str, tuple[float, float]], lang: str) -> tuple[Paths, Mids]:
    """Straight lines between regions whose services work together, with a hover point in the middle."""
    paths: Paths = []
    mids: Mids = []
    for row in cross.itertuples(index=False):
        if row.a not in points or row.b not in points:
            continue
        path = _curve(points[row.a], points[row.b], 0.0, steps=1)
        paths.append((path, int(row.links)))
        hover = [
            f"<b>{escape(schema.region_label(row.a))} ↔ {escape(schema.region_label(row.b))}</b>",
            count_text("network.map_partnerships_n", row.links, lang),
        ]
        mids.append((_midpoint(path), "<br>".join(hover)))
    return paths, mids


def _flow_paths(flows: pd.DataFrame, points: dict[str, tuple[float, float]], lang: str) -> tuple[Paths, Mids]:
    """Arcs from a service's region to the regions it also serves, by type in the hover."""
    paths: Paths = []
    mids: Mids = []
    for row in flows.itertuples(index=False):
        if row.origin not in points or row.destination not in points:
            continue
        path = _curve(points[row.origin], points[row.destination], 0.18)
        paths.append((path, int(row.services)))
        types = ", ".join(
            f"{escape(schema.type_label(c, lang))} ({fmt_int(n, lang)})" for c, n in sorted(row.by_type.items(), key=_type_rank)
        )
        hover = [
            f"<b>{escape(schema.region_label(row.origin))} → {escape(schema.region_label(row.destination))}</b>",
            count_text("network.map_flow_n", row.services, lang),
            types,
        ]
        mids.append((_midpoint(path), "<br>".join(hover)))
    return paths, mids


def _midpoint_trace(mids: Mids, colour: str, group: str) -> go.Scattermap:
    return go.Scattermap(
        lon=[m[0][0] for m in mids],
        lat=[m[0][1] for m in mids],
        mode="markers",
        marker={"size": 9, "color": colour},
        hovertext=[m[1] for m in mids],
        hovertemplate="%{hovertext}<extra></extra>",
        legendgroup=group,
        showlegend=False,
        name=group,
    )


def links_map_figure(
    directory: Directory,
    net: Network,
    flows: pd.DataFrame,
    cross: pd.DataFrame,
    region_text: dict[str, str],
    lang: str,
) -> go.Figure:
    """Regions, partnerships across regions (straight lines) and service flows (arcs), width by count."""
    points = net.region_points
    codes = list(schema.REGION_CODES)
    fig = go.Figure()
    fig.add_trace(_regions_trace(directory, codes, region_text, lang))
    involved = set(cross["a"]) | set(cross["b"]) | set(flows["origin"]) | set(flows["destination"])
    partner_paths, partner_mid = _partnership_paths(cross, points, lang)
    flow_paths, flow_mid = _flow_paths(flows, points, lang)
    for trace in _line_traces(flow_paths, FLOW_COLOUR, t("network.map_flows", lang), "flows"):
        fig.add_trace(trace)
    for trace in _line_traces(partner_paths, PARTNERSHIP_COLOUR, t("network.map_partnerships", lang), "partners"):
        fig.add_trace(trace)
    fig.add_trace(_midpoint_trace(flow_mid, FLOW_COLOUR, "flows"))
    fig.add_trace(_midpoint_trace(partner_mid, PARTNERSHIP_COLOUR, "partners"))
    fig.add_trace(
        go.Scattermap(
            lon=[points[c][0] for c in codes if c in points],
            lat=[points[c][1] for c in codes if c in points],
            mode="markers",
            marker={"size": 7, "color": "#1d1d3a"},
            hovertext=[region_text.get(c, escape(schema.region_label(c))) for c in codes if c in points],
            hovertemplate="%{hovertext}<extra></extra>",
            name=t("network.map_points", lang),
            showlegend=False,
        )
    )
    fig.update_layout(
        map={"style": "white-bg", "center": {"lon": -71.5, "lat": 48.5}, "zoom": 3.6},
        # The browser fits the map to these bounds for its actual size (assets/21-fit-bounds.js).
        meta={"fit": fit_bounds([points[c] for c in involved if c in points] or list(points.values()))},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        legend={"x": 0.01, "y": 0.99, "xanchor": "left", "yanchor": "top", "bgcolor": "rgba(255,255,255,0.9)"},
        hoverlabel={"bgcolor": "white", "font": {"size": 13}, "align": "left"},
        paper_bgcolor="white",
        uirevision="network-map",
    )
    return fig


def fit_bounds(points: list[tuple[float, float]], pad: float = 0.8) -> list[float]:
    """[west, south, east, north] around (lon, lat) points, padded by ``pad`` degrees."""
    lons = [p[0] for p in points] or [-79.8, -57.1]
    lats = [p[1] for p in points] or [45.0, 62.6]
    return [round(min(lons) - pad, 3), round(min(lats) - pad, 3), round(max(lons) + pad, 3), round(max(lats) + pad, 3)]


def _midpoint(path: list[tuple[float, float]]) -> tuple[float, float]:
    if len(path) == 2:
        return ((path[0][0] + path[1][0]) / 2, (path[0][1] + path[1][1]) / 2)
    return path[len(path) // 2]


_TYPE_RANK = {term.code: i for i, term in enumerate(schema.SERVICE_TYPES)}


def _type_rank(item: tuple[str, int]) -> int:
    return _TYPE_RANK.get(item[0], 99)


__all__ = ["SECTOR_STYLE", "graph_figure", "link_width", "links_map_figure", "node_hover", "primary_sector"]
