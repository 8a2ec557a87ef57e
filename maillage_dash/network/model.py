"""The partnership network and the interregional links. No Dash here: plain functions on the directory.

Two kinds of nodes:

- a **service** node for every service or initiative of the directory (``service:<id>``);
- a **partner** node for every partner named in ``partenaires`` that is not in the directory
  (``partner:<folded name>``). Names are free text: « Sûreté du Québec » and « surete du quebec »
  are one node (:func:`maillage_dash.text.fold`).

An edge is a partnership: a service named the other end as a partner (either side, or both).
A partner that is itself in the directory is linked to that service rather than given a node of its
own: its name is compared with the services' names and organisations, whole, without their
parenthesised part, or by the acronym in parentheses (« CAVAC de Laval » is
« Centre d'aide aux victimes d'actes criminels (CAVAC) de Laval »). Nothing fuzzier: a name that
matches nothing exactly stays an outside partner.

Sectors: a service's are those of the directory. An outside partner's are deduced from words of
its name (:data:`SECTOR_HINTS`: « police », « CISSS », « DPJ », « scolaire »…) and marked as
deduced; a name with none of those words has no known sector.

The interregional part reads ``regions_desservies`` against the region of each service's point:
flows from the region a service is in to the regions it also serves, and the regions whose
coverage of a service type comes only from services located elsewhere.

Every function takes the ``keep`` mask of :func:`maillage_dash.filters.mask`, so the network and
the flows mean the same as the map for the same filters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from maillage_dash import schema
from maillage_dash.directory import Directory, serves_col
from maillage_dash.geo import DISPLAY_CRS, MEASURE_CRS
from maillage_dash.memo import per_object
from maillage_dash.text import fold

if TYPE_CHECKING:  # networkx is imported where a graph is built (0.15 s of every start-up otherwise)
    import networkx as nx

SERVICE = "service"
PARTNER = "partner"
LAYOUT_SEED = 20191
KAMADA_KAWAI_MAX = 300  # larger groups get networkx's (sparse) spring layout: Kamada–Kawai is quadratic
# Words (folded, whole words) that tell the sector of an outside partner from its name.
SECTOR_HINTS: dict[str, tuple[str, ...]] = {
    "policier": (
        "police",
        "policier",
        "policiers",
        "surete du quebec",
        "gendarmerie",
        "grc",
        "rcmp",
        "spvm",
        "spvq",
        "spal",
        "spvg",
    ),
    "sante_services_sociaux": ("cisss", "ciusss", "clsc", "sante", "health", "hopital", "hospital"),
    "protection_jeunesse": (
        "dpj",
        "protection de la jeunesse",
        "centre jeunesse",
        "centres jeunesse",
        "youth protection",
    ),
    "scolaire": ("scolaire", "scolaires", "ecole", "ecoles", "cegep", "college", "universite", "school", "university"),
    "justice": (
        "justice",
        "cavac",
        "poursuites criminelles",
        "dpcp",
        "mesures alternatives",
        "tribunal",
        "aide juridique",
    ),
    "communautaire": (
        "calacs",
        "cavac",
        "maison des jeunes",
        "maisons des jeunes",
        "auberge du cœur",
        "auberge du coeur",
        "carrefour jeunesse emploi",
        "travail de rue",
        "centre d amitie autochtone",
    ),
}
_HINT_PATTERNS = {
    code: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b") for code, words in SECTOR_HINTS.items()
}
_PARENS = re.compile(r"\(([^()]*)\)")


# --------------------------------------------------------------------------- names


def name_keys(name: str) -> set[str]:
    """Folded forms under which a name is recognised: whole, without parentheses, by acronym.

    >>> sorted(name_keys("Travail de rue Île de Laval (TRÎL)"))
    ['travail de rue ile de laval', 'travail de rue ile de laval tril', 'tril']
    """
    keys = {fold(name), fold(_PARENS.sub(" ", name))}
    match = _PARENS.search(name)
    if match and match.group(1).strip() and " " not in match.group(1).strip() and "," not in match.group(1):
        keys.add(fold(match.group(1) + " " + name[match.end() :]))
    return {k for k in keys if k}


def deduced_sectors(name: str) -> tuple[str, ...]:
    """Sectors told by words of a partner's name, in the order of :data:`schema.SECTORS`."""
    folded = fold(name)
    return tuple(term.code for term in schema.SECTORS if _HINT_PATTERNS[term.code].search(folded))


def service_node(service_id: str) -> str:
    return f"{SERVICE}:{service_id}"


# --------------------------------------------------------------------------- the graph


@dataclass(frozen=True)
class Network:
    """The whole graph of a directory, its fixed layout, and each region's reference point."""

    graph: nx.Graph
    positions: dict[str, tuple[float, float]]
    region_points: dict[str, tuple[float, float]]  # code → (lon, lat)


def _add_services(
    graph: nx.Graph, services: pd.DataFrame
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, set[str]]]:
    """One node per service; the indexes that find a service by (a key of) its name or organisation."""
    by_name: dict[str, list[str]] = {}
    by_org: dict[str, list[str]] = {}
    org_keys: dict[str, set[str]] = {}
    for sid, nom, org, region, sectors, types, partners in zip(
        services["id"],
        services["nom"],
        services["organisme"],
        services["region"],
        services["secteurs"],
        services["types"],
        services["partenaires"],
    ):
        node = service_node(sid)
        graph.add_node(
            node,
            kind=SERVICE,
            label=str(nom),
            organisation=str(org),
            region=str(region or ""),
            sectors=tuple(sectors),
            sectors_deduced=False,
            types=tuple(types),
            service_id=str(sid),
            partners=tuple(partners),
        )
        for key in name_keys(nom):
            by_name.setdefault(key, []).append(node)
        org_keys[node] = name_keys(org)
        for key in org_keys[node]:
            by_org.setdefault(key, []).append(node)
    return by_name, by_org, org_keys


def _partner_node(graph: nx.Graph, partner: str) -> str:
    """The node of a partner the directory does not list (created once, its sector guessed from its name)."""
    target = f"{PARTNER}:{fold(partner)}"
    if target not in graph:
        sectors = deduced_sectors(partner)
        graph.add_node(
            target,
            kind=PARTNER,
            label=partner.strip(),
            organisation="",
            region="",
            sectors=sectors,
            sectors_deduced=bool(sectors),
            types=(),
            service_id="",
            partners=(),
        )
    return target


def build_graph(services: pd.DataFrame) -> nx.Graph:
    """Services, outside partners and partnerships (see the module docstring)."""
    import networkx as nx

    graph = nx.Graph()
    by_name, by_org, org_keys = _add_services(graph, services)

    def names_org(node: str, keys: set[str]) -> bool:
        return any(name_keys(p) & keys for p in graph.nodes[node]["partners"])

    for node in list(graph.nodes):
        for partner in graph.nodes[node]["partners"]:
            keys = name_keys(partner)
            targets = _ordered(by_name, keys)
            if not targets:
                targets = _ordered(by_org, keys)
                mutual = [t for t in targets if names_org(t, org_keys[node])]
                targets = mutual or targets
            targets = [t for t in targets if t != node]
            if not targets and _ordered(by_name, keys) + _ordered(by_org, keys):
                continue  # the service names itself (its own organisation) as a partner
            for target in targets or [_partner_node(graph, partner)]:
                declared = graph.nodes[node]["service_id"]
                if graph.has_edge(node, target):
                    before = graph.edges[node, target]["declared_by"]
                    graph.edges[node, target]["declared_by"] = tuple(sorted(set(before) | {declared}))
                else:
                    graph.add_edge(node, target, declared_by=(declared,))
    return graph


def _ordered(index: dict[str, list[str]], keys: Iterable[str]) -> list[str]:
    out: list[str] = []
    for key in sorted(keys):
        for node in index.get(key, []):
            if node not in out:
                out.append(node)
    return out


def layout(graph: nx.Graph, *, seed: int = LAYOUT_SEED) -> dict[str, tuple[float, float]]:
    """Fixed positions: each connected group laid out by networkx (seeded), groups packed in rows.

    Services without any listed partner come last, in a grid. The same graph always gets the
    same positions, and filtering only hides nodes: nothing moves when the filters change.
    """
    import networkx as nx

    groups = sorted((list(c) for c in nx.connected_components(graph)), key=lambda c: -len(c))
    order = {node: i for i, node in enumerate(graph.nodes)}
    groups = [sorted(c, key=order.__getitem__) for c in groups]
    groups.sort(key=lambda c: (-len(c), order[c[0]]))
    linked = [c for c in groups if len(c) > 1]
    alone = [c[0] for c in groups if len(c) == 1]
    blocks: list[tuple[float, dict[str, np.ndarray]]] = []
    for nodes in linked:
        # A fresh graph with the nodes in a fixed order: networkx's subgraph views may iterate a set,
        # whose order changes from one Python process to the next.
        sub = nx.Graph()
        sub.add_nodes_from(nodes)
        sub.add_edges_from(sorted(graph.subgraph(nodes).edges, key=lambda e: (order[e[0]], order[e[1]])))
        if len(nodes) <= KAMADA_KAWAI_MAX:
            # Even spacing for readable groups; started from a seeded spring layout, so it is fixed too.
            start = nx.spring_layout(sub, seed=seed, iterations=50)
            raw = nx.kamada_kawai_layout(sub, pos=start)
        else:
            raw = nx.spring_layout(sub, seed=seed, iterations=200)
        radius = 0.5 + 0.6 * math.sqrt(len(nodes))
        blocks.append((radius, {n: np.asarray(p) * radius for n, p in raw.items()}))
    total = sum((2 * r + 0.6) ** 2 for r, _ in blocks) + len(alone)
    width = max([math.sqrt(total) * 1.6] + [2 * r + 0.6 for r, _ in blocks] + [1.0])
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for radius, pos in blocks:
        size = 2 * radius + 0.6
        if x > 0 and x + size > width:
            x, y, row_height = 0.0, y - row_height, 0.0
        for node, (px, py) in pos.items():
            positions[node] = (round(float(x + size / 2 + px), 4), round(float(y - size / 2 + py), 4))
        x += size
        row_height = max(row_height, size)
    y -= row_height + (0.4 if blocks else 0.0)
    per_row = max(1, int(width // 0.9))
    for i, node in enumerate(alone):
        positions[node] = (round(0.45 + 0.9 * (i % per_row), 4), round(y - 0.9 * (i // per_row), 4))
    return positions


def region_points(directory: Directory) -> dict[str, tuple[float, float]]:
    """(lon, lat) of a point inside each region (GEOS's representative point, found in EPSG:32198)."""
    regions = directory.geography.regions_full
    points = regions.geometry.to_crs(MEASURE_CRS).representative_point().to_crs(DISPLAY_CRS)
    return {str(code): (round(float(p.x), 4), round(float(p.y), 4)) for code, p in zip(regions["code"], points)}


@per_object
def network(directory: Directory) -> Network:
    """The network of ``directory``, built once (the directory is read-only after start-up)."""
    graph = build_graph(directory.services)
    return Network(graph=graph, positions=layout(graph), region_points=region_points(directory))


# --------------------------------------------------------------------------- what the filters keep


def view(net: Network, directory: Directory, keep: np.ndarray) -> nx.Graph:
    """The matching services, their partners, and the partnerships that involve a matching service.

    A partner that is a service not matching the filters is still shown (it is the partner);
    its node says ``matches=False``.
    """
    import networkx as nx

    kept = {service_node(s) for s in directory.services["id"].to_numpy()[keep]}
    graph = net.graph
    edges = [(a, b) for a, b in graph.edges if a in kept or b in kept]
    shown = set(kept) | {n for e in edges for n in e}
    nodes = [n for n in graph.nodes if n in shown]
    sub = nx.Graph()
    sub.add_nodes_from((n, {**graph.nodes[n], "matches": n in kept}) for n in nodes)
    sub.add_edges_from((a, b, graph.edges[a, b]) for a, b in edges)
    return sub


def summary(sub: nx.Graph) -> dict[str, int]:
    """Counts shown above the graph."""
    kinds = [d["kind"] for _, d in sub.nodes(data=True)]
    cross = cross_region_links(sub)
    return {
        "services": sum(1 for _, d in sub.nodes(data=True) if d["kind"] == SERVICE and d.get("matches", True)),
        "partners": kinds.count(PARTNER),
        "links": sub.number_of_edges(),
        "cross_links": int(cross["links"].sum()) if len(cross) else 0,
        "isolated": sum(1 for n, d in sub.nodes(data=True) if d["kind"] == SERVICE and sub.degree(n) == 0),
    }


def edge_rows(sub: nx.Graph) -> pd.DataFrame:
    """One row per partnership, the matching service first, sorted: the table equivalent of the graph."""
    rows = []
    for a, b, data in sub.edges(data=True):
        first, second = (a, b) if sub.nodes[a].get("matches", True) else (b, a)
        if (
            sub.nodes[second]["kind"] == SERVICE
            and sub.nodes[second].get("matches", True)
            and fold(sub.nodes[second]["label"]) < fold(sub.nodes[first]["label"])
        ):
            first, second = second, first
        rows.append({"service": first, "partner": second, "declared_by": data["declared_by"]})
    frame = pd.DataFrame(rows, columns=["service", "partner", "declared_by"])
    if len(frame):
        key = (
            frame["service"].map(lambda n: fold(sub.nodes[n]["label"]))
            + "\x00"
            + frame["partner"].map(lambda n: fold(sub.nodes[n]["label"]))
        )
        frame = frame.iloc[np.argsort(key.to_numpy(), kind="stable")].reset_index(drop=True)
    return frame


def partner_groups(sub: nx.Graph) -> list[tuple[str, list[str]]]:
    """Each matching service that has a partner, with its partners: the graph read as a list (the phone's
    first view). Services and partners sorted by name (accents and case ignored)."""

    def key(node: str) -> str:
        return fold(sub.nodes[node]["label"])

    services = [n for n, d in sub.nodes(data=True) if d["kind"] == SERVICE and d.get("matches", True) and sub.degree(n)]
    return [(node, sorted(sub.neighbors(node), key=key)) for node in sorted(services, key=key)]


def cross_region_links(sub: nx.Graph) -> pd.DataFrame:
    """Partnerships between services located in two different regions, counted per pair of regions."""
    pairs: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for a, b in sub.edges:
        ra, rb = sub.nodes[a]["region"], sub.nodes[b]["region"]
        if ra and rb and ra != rb:
            key = (ra, rb) if ra < rb else (rb, ra)
            pairs.setdefault(key, []).append((a, b) if ra < rb else (b, a))
    rows = [{"a": k[0], "b": k[1], "links": len(v), "pairs": tuple(v)} for k, v in sorted(pairs.items())]
    return pd.DataFrame(rows, columns=["a", "b", "links", "pairs"])


# --------------------------------------------------------------------------- sectors per region


def region_sectors(net: Network, directory: Directory, keep: np.ndarray) -> pd.DataFrame:
    """Per region, which sectors take part in the collaborations of its services, and which are missing.

    The services counted are the matching ones located in or serving the region. A sector takes
    part when one of those services lists it in ``secteurs``, or when one of their partners
    belongs to it: an outside partner by the sectors its name tells, a partner that is in the
    directory by the first sector its row lists (its own; the others are its partners').

    Columns: ``services`` (how many), ``local`` (how many located in the region), per sector code
    the number of participants (services and partners) of that sector, ``local:<code>`` those
    reached through services located in the region, and ``missing`` (sector codes, vocabulary order).
    """
    frame = directory.services
    ids = frame["id"].to_numpy()
    own = frame["region"].to_numpy()
    graph = net.graph
    rows = []
    for code in schema.REGION_CODES:
        serving = keep & frame[serves_col(code)].to_numpy()
        located = serving & (own == code)
        row: dict[str, object] = {"region": code, "services": int(serving.sum()), "local": int(located.sum())}
        everyone = participants(graph, ids[serving])
        local = participants(graph, ids[located])
        missing = []
        for term in schema.SECTORS:
            row[term.code] = len(everyone[term.code])
            row[f"local:{term.code}"] = len(local[term.code])
            if not everyone[term.code]:
                missing.append(term.code)
        row["missing"] = tuple(missing)
        rows.append(row)
    return pd.DataFrame(rows).set_index("region")


def partner_sectors(data: dict[str, object]) -> tuple[str, ...]:
    """The sectors a node brings as someone's partner (see :func:`region_sectors`)."""
    sectors = tuple(data["sectors"])  # type: ignore[arg-type]
    return sectors[:1] if data["kind"] == SERVICE else sectors


def participants(graph: nx.Graph, service_ids: Sequence[str]) -> dict[str, set[str]]:
    """Sector code → the nodes of that sector among these services and their partners."""
    nodes = {service_node(s) for s in service_ids}
    out: dict[str, set[str]] = {term.code: set() for term in schema.SECTORS}
    for node in nodes:
        for code in graph.nodes[node]["sectors"]:
            out.setdefault(code, set()).add(node)
        for other in graph.neighbors(node):
            if other not in nodes:
                for code in partner_sectors(graph.nodes[other]):
                    out.setdefault(code, set()).add(other)
    return out


# --------------------------------------------------------------------------- interregional


__all__ = [
    "LAYOUT_SEED",
    "PARTNER",
    "SECTOR_HINTS",
    "SERVICE",
    "Network",
    "build_graph",
    "cross_region_links",
    "deduced_sectors",
    "edge_rows",
    "layout",
    "name_keys",
    "network",
    "participants",
    "partner_sectors",
    "region_points",
    "region_sectors",
    "service_node",
    "summary",
    "view",
]
