"""The nearby map's markers: services at one point are one marker labelled with the list's ranks, drawn
above the searched place's ring, with a hover that names them and says the point is the municipality's."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from maillage_dash.config import Settings
from maillage_dash.filters import FilterState
from maillage_dash.nearby import model as nearby
from maillage_dash.nearby.figures import near_map, ranks_label


@pytest.mark.parametrize(
    ("ranks", "label"),
    [([3], "3"), ([1, 2, 3, 4], "1–4"), ([2, 5], "2, 5"), ([7, 1, 2, 3], "1–3, 7"), ([1, 3, 5, 6, 9], "1, 3…")],
)
def test_ranks_label(ranks, label):
    assert ranks_label(ranks) == label


@pytest.fixture(scope="module")
def near(shipped):
    return nearby.nearby_for(shipped, Settings().geo_dir)


def figure(shipped, near, query: str, radius: int, lang: str) -> dict:
    place = near.finder.resolve(query).place
    frame, _ = near.with_apart(place, FilterState(), radius, nearby.DEFAULT_LIMIT)
    fig = near_map(shipped, place, frame, radius, lang, label=near.finder.label(place, lang))
    go.Figure(fig)  # a valid plotly figure
    return fig | {"n": len(frame)}


@pytest.mark.parametrize(("lang", "head"), [("fr", "4 services à Saint-Jérôme"), ("en", "4 services in Saint-Jérôme")])
def test_services_sharing_the_place_are_one_marker_above_the_ring(shipped, near, lang, head):
    fig = figure(shipped, near, "Saint-Jérôme", 10, lang)
    roles = [(trace.get("meta") or {}).get("role") for trace in fig["data"]]
    assert roles.index("place") < roles.index("services")  # drawn first, so beneath
    services = fig["data"][roles.index("services")]
    assert services["meta"]["marks"] == ["1–4"] and fig["n"] == 4
    text = services["text"][0]
    assert text.startswith(f"<b>{head}</b>")
    assert ("position de la municipalité" if lang == "fr" else "the municipality's point") in text
    assert "1. " in text and "4. " in text
    place = fig["data"][roles.index("place")]
    assert (place["lat"], place["lon"]) == ([services["lat"][0]], [services["lon"][0]])
    assert place["marker"]["size"] > services["marker"]["size"]  # a ring around the marker, not under it


def test_every_rank_is_on_exactly_one_marker(shipped, near):
    fig = figure(shipped, near, "Saint-Jérôme", 50, "fr")
    services = next(t for t in fig["data"] if (t.get("meta") or {}).get("role") == "services")
    assert len(services["lat"]) == len(set(zip(services["lat"], services["lon"])))  # one marker per point
    ranks = []
    for label in services["meta"]["marks"]:
        for part in label.split(", "):
            a, _, b = part.partition("–")
            ranks += range(int(a), int(b or a) + 1)
    assert sorted(ranks) == list(range(1, fig["n"] + 1))


def test_many_at_one_point_name_some_and_point_to_the_list(shipped, near):
    fig = figure(shipped, near, "Montréal", 10, "en")
    services = next(t for t in fig["data"] if (t.get("meta") or {}).get("role") == "services")
    assert services["meta"]["marks"] == [f"1–{fig['n']}"]
    assert f"… and {fig['n'] - 6} more: see the list" in services["text"][0]
    assert all(len(line) <= 48 for line in services["text"][0].replace("<b>", "").replace("</b>", "").split("<br>"))
