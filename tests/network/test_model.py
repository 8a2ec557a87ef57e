"""The partnership network and the interregional links, counted by hand on a small synthetic fixture.

Every organisation and partner below is made up for the tests (« test », « fictif »); none exists.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from maillage_dash import filters
from maillage_dash.filters import FilterState
from maillage_dash.loading import load_directory
from maillage_dash.network import flows as network_flows
from maillage_dash.network import model as network
from tests.conftest import TODAY, row, write_csv


@pytest.fixture
def net_dir(tmp_path: Path) -> Path:
    """Six synthetic services with known partners, sectors and regions served."""
    rows = [
        row(
            id="a",
            nom="Alpha rue (fictif)",
            organisme="Organisme Alpha test (ALF)",
            types_service="travail_de_rue",
            municipalite="Saint-Hyacinthe",  # 16
            secteurs="communautaire;policier",
            partenaires="Sûreté du Québec;Organisme Bêta test;CISSS de test",
        ),
        row(
            id="b",
            nom="Bêta hébergement (fictif)",
            organisme="Organisme Bêta test",
            types_service="hebergement",
            municipalite="Québec",  # 03
            secteurs="communautaire",
            partenaires="ALF;surete du quebec",  # acronym of a's organisation; same police as a, other spelling
        ),
        row(
            id="c",
            nom="Gamma prévention (fictif)",
            organisme="Organisme Gamma test",
            types_service="prevention;accompagnement",
            municipalite="Montréal",  # 06
            regions_desservies="13;15",
            secteurs="scolaire",
            partenaires="École secondaire test",
        ),
        row(
            id="d",
            nom="Delta suivi (fictif)",
            organisme="Organisme Delta test",
            types_service="suivi_psychosocial",
            municipalite="Lévis",  # 12
            secteurs="sante_services_sociaux",
            partenaires="Groupe X test;Organisme Delta test",  # the second is itself: no link
        ),
        row(
            id="e",
            nom="Epsilon concertation (fictif)",
            organisme="Organisme Epsilon test",
            types_service="concertation",
            municipalite="Drummondville",  # 17
            regions_desservies="16;17",  # its own region listed too: not a flow
            secteurs="justice",
            partenaires="Organisme Gamma test",
        ),
        row(
            id="f",
            nom="Zêta rue (fictif)",
            organisme="Organisme Zêta test",
            types_service="travail_de_rue",
            municipalite="",
            latitude="45.5017",
            longitude="-73.5673",  # Montréal, 06
            regions_desservies="16;13",
            secteurs="communautaire",
            partenaires="",
        ),
    ]
    write_csv(tmp_path, rows)
    return tmp_path


@pytest.fixture
def net_directory(net_dir: Path, geography):
    return load_directory(net_dir, geography, today=TODAY)


def keep_for(directory, **kw) -> np.ndarray:
    state, rejected = FilterState.build(**kw)
    assert rejected == []
    return filters.mask(directory, state)


def test_nodes_and_edges(net_directory):
    net = network.network(net_directory)
    graph = net.graph
    kinds = [d["kind"] for _, d in graph.nodes(data=True)]
    assert kinds.count(network.SERVICE) == 6
    # Sûreté du Québec (two spellings: one node), CISSS de test, École secondaire test, Groupe X test.
    assert kinds.count(network.PARTNER) == 4
    assert graph.number_of_edges() == 7
    sq = "partner:surete du quebec"
    assert graph.nodes[sq]["label"] == "Sûreté du Québec"  # the first spelling met
    assert set(graph.neighbors(sq)) == {"service:a", "service:b"}
    # a names « Organisme Bêta test », b names « ALF »: one partnership, declared by both.
    assert graph.edges["service:a", "service:b"]["declared_by"] == ("a", "b")
    # A partner of the directory is linked to its service, not given a node of its own.
    assert graph.has_edge("service:e", "service:c")
    assert not any(n.startswith("partner:organisme") for n in graph.nodes)
    assert not graph.has_edge("service:d", "service:d")
    assert graph.degree("service:f") == 0


def test_deduced_sectors_of_outside_partners(net_directory):
    graph = network.network(net_directory).graph
    assert graph.nodes["partner:surete du quebec"]["sectors"] == ("policier",)
    assert graph.nodes["partner:cisss de test"]["sectors"] == ("sante_services_sociaux",)
    assert graph.nodes["partner:ecole secondaire test"]["sectors"] == ("scolaire",)
    assert graph.nodes["partner:groupe x test"]["sectors"] == ()
    assert graph.nodes["partner:groupe x test"]["sectors_deduced"] is False


def test_summary_and_cross_region_links(net_directory):
    net = network.network(net_directory)
    sub = network.view(net, net_directory, np.ones(len(net_directory), bool))
    assert network.summary(sub) == {"services": 6, "partners": 4, "links": 7, "cross_links": 2, "isolated": 1}
    cross = network.cross_region_links(sub)
    assert list(zip(cross["a"], cross["b"], cross["links"])) == [("03", "16", 1), ("06", "17", 1)]


def test_filter_changes_the_network(net_directory):
    net = network.network(net_directory)
    sub = network.view(net, net_directory, keep_for(net_directory, sectors=["communautaire"]))
    # a, b and f match; a's and b's partners come along.
    assert sorted(n for n, d in sub.nodes(data=True) if d["matches"]) == ["service:a", "service:b", "service:f"]
    assert network.summary(sub) == {"services": 3, "partners": 2, "links": 4, "cross_links": 1, "isolated": 1}
    # e does not match « scolaire », but as c's partner it is still shown, marked as not matching.
    sub = network.view(net, net_directory, keep_for(net_directory, sectors=["scolaire"]))
    assert sub.nodes["service:e"]["matches"] is False
    assert network.summary(sub)["services"] == 1
    assert len(network.edge_rows(sub)) == 2


def test_edge_rows_list_every_partnership_once(net_directory):
    net = network.network(net_directory)
    sub = network.view(net, net_directory, np.ones(len(net_directory), bool))
    rows = network.edge_rows(sub)
    assert len(rows) == sub.number_of_edges()
    assert {frozenset(p) for p in zip(rows["service"], rows["partner"])} == {frozenset(e) for e in sub.edges}
    assert rows.iloc[0]["service"] == "service:a"  # sorted by name: « Alpha rue » first


def test_missing_sectors_per_region(net_directory):
    net = network.network(net_directory)
    table = network.region_sectors(net, net_directory, np.ones(len(net_directory), bool))
    # Montérégie (16): a located there; e and f serve it from elsewhere.
    r16 = table.loc["16"]
    assert (r16["services"], r16["local"]) == (3, 1)
    # communautaire: a, f, and b (a's partner, by its first sector); policier: a and the SQ;
    # santé: CISSS de test; scolaire: c (e's partner); justice: e.
    assert [r16[c] for c in ("communautaire", "policier", "sante_services_sociaux", "scolaire", "justice")] == [3, 2, 1, 1, 1]
    assert r16["missing"] == ("protection_jeunesse",)
    # Through the service located there only (a): no school, no justice.
    assert (r16["local:scolaire"], r16["local:justice"], r16["local:communautaire"]) == (0, 0, 2)
    # Capitale-Nationale (03): b, with a as partner (for its first sector only: community) and the SQ.
    assert (table.loc["03", "communautaire"], table.loc["03", "policier"]) == (2, 1)
    assert table.loc["03", "missing"] == ("sante_services_sociaux", "protection_jeunesse", "scolaire", "justice")
    # Laval (13) is served by c and f from Montréal: school (c, its partner school), community (f), justice (e).
    assert table.loc["13", "missing"] == ("policier", "sante_services_sociaux", "protection_jeunesse")
    assert table.loc["13", "local"] == 0
    # No service at all: every sector is missing.
    assert table.loc["01", "services"] == 0
    assert len(table.loc["01", "missing"]) == 6


def test_flows_between_regions(net_directory):
    keep = np.ones(len(net_directory), bool)
    served = network_flows.serving_elsewhere(net_directory, keep)
    assert list(served["id"]) == ["e", "c", "f"]  # by name: Epsilon, Gamma, Zêta
    assert served.set_index("id").loc["e", "others"] == ("16",)
    totals = network_flows.flows(net_directory, keep)
    got = {(o, d): n for o, d, n in zip(totals["origin"], totals["destination"], totals["services"])}
    assert got == {("06", "13"): 2, ("06", "15"): 1, ("06", "16"): 1, ("17", "16"): 1}
    laval = totals[(totals["origin"] == "06") & (totals["destination"] == "13")].iloc[0]
    assert laval["by_type"] == {"travail_de_rue": 1, "prevention": 1, "accompagnement": 1}
    detail = network_flows.flows_by_type(net_directory, keep)
    assert int(detail["services"].sum()) == 3 + 2 + 1 + 1
    # Only the chosen types are counted.
    only = network_flows.flows(net_directory, keep, types=("travail_de_rue",))
    assert list(zip(only["origin"], only["destination"], only["services"])) == [("06", "13", 1), ("06", "16", 1)]


def test_coverage_only_from_outside(net_directory):
    keep = np.ones(len(net_directory), bool)
    out = network_flows.outside_only(net_directory, keep)
    got = sorted(zip(out["region"], out["type"]))
    assert got == [
        ("13", "accompagnement"),
        ("13", "prevention"),
        ("13", "travail_de_rue"),
        ("15", "accompagnement"),
        ("15", "prevention"),
        ("16", "concertation"),
    ]
    # Montérégie's street work is not "only from outside": a is located there.
    assert ("16", "travail_de_rue") not in got
    row16 = out[(out["region"] == "16")].iloc[0]
    assert (row16["ids"], row16["origins"]) == (("e",), ("17",))
    # The filters apply: a region filter on Laval leaves c and f, hence Laval's three rows.
    keep13 = keep_for(net_directory, regions=["13"])
    assert sorted(network_flows.outside_only(net_directory, keep13)["region"].unique()) == ["13", "15", "16"]
    street = network_flows.outside_only(net_directory, keep, types=("travail_de_rue",))
    assert list(zip(street["region"], street["type"])) == [("13", "travail_de_rue")]


def test_nothing_matches(net_directory):
    """A filter that keeps nothing gives empty tables, not errors."""
    net = network.network(net_directory)
    keep = keep_for(net_directory, text="aucun service ne contient ceci")
    assert not keep.any()
    sub = network.view(net, net_directory, keep)
    assert network.summary(sub) == {"services": 0, "partners": 0, "links": 0, "cross_links": 0, "isolated": 0}
    assert network.edge_rows(sub).empty and network.cross_region_links(sub).empty
    assert network_flows.serving_elsewhere(net_directory, keep).empty
    assert network_flows.flows(net_directory, keep).empty and network_flows.flows_by_type(net_directory, keep).empty
    assert network_flows.outside_only(net_directory, keep).empty
    table = network.region_sectors(net, net_directory, keep)
    assert (table["services"] == 0).all() and all(len(m) == 6 for m in table["missing"])


def test_layout_is_fixed_and_complete(net_directory):
    graph = network.build_graph(net_directory.services)
    first = network.layout(graph)
    second = network.layout(network.build_graph(net_directory.services))
    assert first == second
    assert set(first) == set(graph.nodes)
    assert all(np.isfinite(v) for xy in first.values() for v in xy)
    # The lone service is placed apart from the linked ones (below them).
    assert first["service:f"][1] < min(y for n, (x, y) in first.items() if n != "service:f")


def services_frame(rows: list[dict]) -> pd.DataFrame:
    """The columns build_graph reads, for name-matching tests without geography."""
    base = {"region": "06", "secteurs": ("communautaire",), "types": ("prevention",), "partenaires": ()}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_partner_matching_rules():
    frame = services_frame(
        [
            {"id": "y1", "nom": "Projet Un (fictif)", "organisme": "Organisme Y test", "partenaires": ("Organisme Z test",)},
            {"id": "y2", "nom": "Projet Deux (fictif)", "organisme": "Organisme Y test"},
            {
                "id": "z",
                "nom": "Projet Z (fictif)",
                "organisme": "Organisme Z test",
                # Y has two services: link to the one that names Z back (y1), not to both.
                # « Centre test d'aide (CTA) de Laval » is written by its acronym.
                "partenaires": ("ORGANISME Y TEST", "CTA de Laval", "Organisme  Y test (siège)"),
            },
            {"id": "w", "nom": "Centre test d'aide (CTA) de Laval", "organisme": "Organisme W test", "secteurs": ("justice",)},
        ]
    )
    graph = network.build_graph(frame)
    assert set(graph.neighbors("service:z")) == {"service:y1", "service:w"}
    assert not graph.has_edge("service:z", "service:y2")
    assert graph.number_of_nodes() == 4  # no outside partner: every name was found in the directory


def test_name_keys_and_hints():
    assert network.name_keys("Travail de rue Île de Laval (TRÎL)") == {
        "travail de rue ile de laval tril",
        "travail de rue ile de laval",
        "tril",
    }
    # A list in parentheses is not an acronym.
    assert "spvm" not in network.name_keys("Corps policiers (SPVM, SPVQ)")
    assert network.deduced_sectors("CIUSSS-MCQ (Santé publique et Centre jeunesse)") == (
        "sante_services_sociaux",
        "protection_jeunesse",
    )
    assert network.deduced_sectors("Centre de services scolaire de test") == ("scolaire",)
    assert network.deduced_sectors("Gendarmerie royale du Canada") == ("policier",)
    # Whole words only: « policière » in a longer word, « grc » inside another word, say nothing.
    assert network.deduced_sectors("Agrcole test") == ()
    assert network.deduced_sectors("Groupe X test") == ()


def test_shipped_network_matches_the_directory(shipped):
    """On the shipped data: every partner listed is an edge of its service, to the right node."""
    graph = network.network(shipped).graph
    assert sum(1 for _, d in graph.nodes(data=True) if d["kind"] == network.SERVICE) == len(shipped)
    from maillage_dash.text import fold

    checked = 0
    for sid, org, partners in zip(shipped.services["id"], shipped.services["organisme"], shipped.services["partenaires"]):
        node = network.service_node(sid)
        ends = [other for _, other, data in graph.edges(node, data=True) if sid in data["declared_by"]]
        for partner in partners:
            keys = network.name_keys(partner)
            if keys & network.name_keys(org):
                continue
            found = [
                e
                for e in ends
                if e == f"partner:{fold(partner)}"
                or keys & (network.name_keys(graph.nodes[e]["label"]) | network.name_keys(graph.nodes[e]["organisation"]))
            ]
            assert found, (sid, partner)
            checked += 1
    assert checked == sum(len(p) for p in shipped.services["partenaires"])


LAYOUT_SCRIPT = """
import json, pandas as pd
from maillage_dash.network import model as network
rows = []
for i in range(12):
    partners = tuple(f"Partenaire test {i}-{j}" for j in range(i % 4))
    rows.append({"id": f"s{i}", "nom": f"Service test {i}", "organisme": f"Organisme test {i}", "region": "06",
                 "secteurs": ("communautaire",), "types": ("prevention",), "partenaires": partners})
rows[0]["partenaires"] += ("Organisme test 5", "Organisme test 7")
pos = network.layout(network.build_graph(pd.DataFrame(rows)))
print(json.dumps(sorted(pos.items())))
"""


def test_layout_is_the_same_in_every_process():
    """Python salts string hashes per process: the layout must not depend on set order."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        done = subprocess.run([sys.executable, "-c", LAYOUT_SCRIPT], env=env, capture_output=True, text=True, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_partner_groups_read_the_graph_as_a_list(net_directory):
    """The phone's first view: each matching service with a partner, and its partners, by name."""
    net = network.network(net_directory)
    sub = network.view(net, net_directory, np.ones(len(net_directory), bool))
    groups = dict(network.partner_groups(sub))
    assert list(groups) == ["service:a", "service:b", "service:d", "service:e", "service:c"]  # Alpha, Bêta, Delta, Epsilon, Gamma
    assert "service:f" not in groups  # no partner: listed apart, under the table
    assert groups["service:a"] == ["service:b", "partner:cisss de test", "partner:surete du quebec"]
    # Every partnership is read from both of its services' ends, and from no other.
    assert sum(len(p) for p in groups.values()) == sum((a in groups) + (b in groups) for a, b in sub.edges)
    # A filter keeps the services that match; a partner that does not match is still named.
    sub = network.view(net, net_directory, keep_for(net_directory, sectors=["scolaire"]))
    assert network.partner_groups(sub) == [("service:c", ["partner:ecole secondaire test", "service:e"])]


def test_partner_list_in_both_languages(net_directory):
    from maillage_dash.network.layout import partner_list

    net = network.network(net_directory)
    sub = network.view(net, net_directory, keep_for(net_directory, sectors=["scolaire"]))
    fr = str(partner_list(sub, FilterState(), "fr"))
    en = str(partner_list(sub, FilterState(), "en"))
    assert "Gamma prévention (fictif)" in fr and "Partenaires (2) :" in fr and "nommé seulement" in fr and "répertorié" in fr
    assert "Partners (2):" in en and "named only" in en and "in the directory" in en and "Partenaires" not in en
    empty = network.view(net, net_directory, np.zeros(len(net_directory), bool))
    assert "n'a de partenaire inscrit" in str(partner_list(empty, FilterState(), "fr"))
    assert "has a partner listed" in str(partner_list(empty, FilterState(), "en"))
