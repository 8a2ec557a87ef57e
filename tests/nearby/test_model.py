"""Nearby search: place lookup (names, postal codes, positions), distances, ordering, radius, CLI.

Directories built here are synthetic test data (labelled as such in conftest.row)."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from pyproj import Geod

from maillage_dash import filters
from maillage_dash.cli import main
from maillage_dash.config import GEO_DIR
from maillage_dash.filters import FilterState
from maillage_dash.loading import load_directory
from maillage_dash.nearby import model as nearby
from tests.conftest import row, write_csv

GEOD = Geod(ellps="GRS80")


@pytest.fixture(scope="module")
def finder(geography):
    return nearby.PlaceFinder.from_geo_dir(GEO_DIR, geography.gazetteer, geography.regions_full)


def place(finder, text):
    lookup = finder.resolve(text)
    assert lookup.place is not None, (text, lookup)
    return lookup.place


# --------------------------------------------------------------------------- place lookup


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("st-hyacinthe", "Saint-Hyacinthe"),
        ("Levis", "Lévis"),
        ("Trois Rivieres", "Trois-Rivières"),
        ("STE-JULIE", "Sainte-Julie"),
        ("  montreal ", "Montréal"),
    ],
)
def test_municipality_names_whatever_accents_case_hyphens_abbreviations(finder, typed, name):
    found = place(finder, typed)
    assert found.kind == "municipality" and found.name == name and not found.approximate


@pytest.mark.parametrize("typed", ["j2s 1", "J2S1A", "j2s 1a1"])
def test_autocomplete_while_typing_a_postal_code(finder, typed):
    assert [p.key for p in finder.search(typed)] == ["rta:J2S"]


def test_the_explanation_line_is_never_a_place(shipped):
    from maillage_dash.config import Settings
    from maillage_dash.nearby.callbacks import NearbyHandlers
    from maillage_dash.nearby.ids import NID

    NOT_A_PLACE = NID.NOT_A_PLACE

    handlers = NearbyHandlers(shipped, Settings())
    options = handlers.options("zzzz", None, {"lang": "fr"})
    assert options[0]["value"] == NOT_A_PLACE and options[0]["disabled"] is True
    results, _, message, url, fold, frame = handlers.results(NOT_A_PLACE, "50", {"lang": "fr", "query": "?lang=fr"}, [])
    assert fold == "" and "has-place" not in frame  # nothing to fold without a place
    assert "pres=" not in url["query"] and message is None


def test_autocomplete_prefix_biggest_first(finder):
    names = [p.name for p in finder.search("st-j")]
    assert names[:2] == ["Saint-Jean-sur-Richelieu", "Saint-Jérôme"]
    assert all(n.startswith("Saint-J") for n in names)


@pytest.mark.parametrize("typed", ["J2S 1A1", "j2s1a1", "J2S", " j2s "])
def test_postal_codes_full_or_fsa(finder, typed):
    found = place(finder, typed)
    assert found.kind == "fsa" and found.name == "J2S" and found.approximate and found.region == "16"


def test_rural_fsa_is_one_approximate_point(finder):
    found = place(finder, "G0A")
    assert found.approximate and found.region == "03"


def test_non_quebec_and_unknown_postal_codes(finder):
    lookup = finder.resolve("K1A 0B1")
    assert lookup.place is None and lookup.message == "near.msg_not_quebec" and lookup.values == {"code": "K1A"}
    lookup = finder.resolve("H9Z")
    assert lookup.place is None and lookup.message == "near.msg_unknown_fsa"


def test_unknown_name_gets_close_suggestions(finder):
    lookup = finder.resolve("Sant-Hyacinth")
    assert lookup.place is None and lookup.message == "near.msg_unknown"
    assert "Saint-Hyacinthe" in [p.name for p in lookup.suggestions]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "near.msg_empty"),
        ("   ", "near.msg_empty"),
        ("x" * 500, "near.msg_too_long"),
        ("<script>alert(1)</script>", "near.msg_bad_chars"),
    ],
)
def test_bad_queries_get_a_message_not_an_error(finder, typed, message):
    lookup = finder.resolve(typed)
    assert lookup.place is None and lookup.message == message


def test_position_inside_and_outside_quebec(finder):
    here = finder.resolve("45.63602,-72.93937").place
    assert here is not None and here.kind == "position" and here.key == "pos:45.63602,-72.93937"
    assert finder.resolve("48.85,2.35").message == "near.msg_outside"  # Paris


def test_keys_round_trip(finder):
    for text in ("Saint-Hyacinthe", "J2S", "46.8,-71.2"):
        found = place(finder, text)
        assert finder.from_key(found.key) == found


# --------------------------------------------------------------------------- distances


@pytest.mark.parametrize(
    ("a", "b"),
    [("Montréal", "Québec"), ("Saint-Hyacinthe", "Granby"), ("Gaspé", "Rouyn-Noranda"), ("Sept-Îles", "Gatineau")],
)
def test_distances_within_one_percent_of_geodesic(finder, a, b):
    pa, pb = place(finder, a), place(finder, b)
    (xa, ya), (xb, yb) = pa.xy(), pb.xy()
    planar_km = float(np.hypot(xa - xb, ya - yb)) / 1000
    _, _, metres = GEOD.inv(pa.lon, pa.lat, pb.lon, pb.lat)
    assert planar_km == pytest.approx(metres / 1000, rel=0.01)


@pytest.fixture
def ring_dir(tmp_path):
    """Synthetic services at known municipalities around Saint-Hyacinthe (test data)."""
    rows = [
        row(id="here", nom="Ici", municipalite="Saint-Hyacinthe", types_service="travail_de_rue"),
        row(id="granby", nom="Granby", municipalite="Granby", types_service="hebergement", age_min="18", age_max="25"),
        row(id="drummond", nom="Drummond", municipalite="Drummondville", types_service="prevention"),
        row(id="montreal", nom="Montreal", municipalite="Montréal", types_service="prevention"),
        row(id="quebec", nom="Quebec", municipalite="Québec", types_service="prevention"),
        row(id="here2", nom="Aussi ici", municipalite="Saint-Hyacinthe", types_service="prevention"),
    ]
    write_csv(tmp_path, rows)
    return tmp_path


@pytest.fixture
def ring(ring_dir, geography, finder):
    return nearby.Nearby(load_directory(ring_dir, geography), finder)


def planar(finder, a, b):
    (xa, ya), (xb, yb) = place(finder, a).xy(), place(finder, b).xy()
    return float(np.hypot(xa - xb, ya - yb)) / 1000


def test_sorted_by_distance_same_point_by_name(ring, finder):
    frame = ring.services(place(finder, "Saint-Hyacinthe"), FilterState(), None, None)
    assert list(frame.index) == ["here2", "here", "granby", "drummond", "montreal", "quebec"]
    assert frame["distance_km"].is_monotonic_increasing
    assert frame.loc["granby", "distance_km"] == pytest.approx(planar(finder, "Saint-Hyacinthe", "Granby"))


def test_radius_edges_are_inclusive(ring, finder):
    here = place(finder, "Saint-Hyacinthe")
    edge = planar(finder, "Saint-Hyacinthe", "Drummondville")
    inside = ring.services(here, FilterState(), edge, None)
    assert "drummond" in inside.index and inside.attrs["total"] == len(inside)
    outside = ring.services(here, FilterState(), edge - 0.01, None)
    assert "drummond" not in outside.index and "granby" in outside.index


def test_filters_apply_and_limit_keeps_total(ring, finder):
    here = place(finder, "Saint-Hyacinthe")
    state, _ = FilterState.build(types=["prevention"])
    frame = ring.services(here, state, None, 2)
    assert list(frame.index) == ["here2", "drummond"] and frame.attrs["total"] == 4
    adults, _ = FilterState.build(age="18-20")
    assert "granby" in ring.services(here, adults, None, None).index


def test_unstated_ages_are_listed_apart_by_distance(tmp_path, geography, finder):
    rows = [
        row(id="youth", municipalite="Laval", types_service="hebergement", age_min="12", age_max="17"),
        row(id="adults", municipalite="Saint-Jérôme", types_service="hebergement", age_min="18", age_max=""),
        row(id="unknown-far", municipalite="Québec", types_service="hebergement", age_min="", age_max=""),
        row(id="unknown-near", municipalite="Saint-Jérôme", types_service="hebergement", age_min="", age_max=""),
    ]
    write_csv(tmp_path, rows)
    near = nearby.Nearby(load_directory(tmp_path, geography), finder)
    here = place(finder, "Saint-Jérôme")
    state = FilterState(age=(15, 15), types=("hebergement",))
    assert list(near.services(here, state, None, None).index) == ["youth"]  # never the adults' residence
    apart = near.apart(here, state, None, None)
    assert list(apart.index) == ["unknown-near", "unknown-far"] and apart.attrs["total"] == 2
    assert near.apart(here, FilterState(types=("hebergement",)), None, None).empty  # no age asked: nothing apart


def test_index_matches_brute_force_on_random_points(geography, finder, tmp_path):
    """The STRtree radius search returns exactly what a full scan returns (synthetic points)."""
    rng = np.random.default_rng(7)
    towns = geography.gazetteer.frame.dropna(subset=["lat"]).sample(300, random_state=7)
    rows = [
        row(id=f"s{i}", nom=f"Synthétique {i}", municipalite="", latitude=f"{lat:.5f}", longitude=f"{lon:.5f}")
        for i, (lat, lon) in enumerate(zip(towns["lat"] + rng.normal(0, 0.01, 300), towns["lon"]))
    ]
    write_csv(tmp_path, rows)
    near = nearby.Nearby(load_directory(tmp_path, geography), finder)
    here = place(finder, "Drummondville")
    x, y = here.xy()
    keep = np.ones(len(near.directory), bool)
    for radius in (25, 100, 400):
        pos, dist, total = near.index.query(x, y, keep, radius, None)
        assert total == len(pos)
        full = np.hypot(near.index.x - x, near.index.y - y) / 1000
        assert set(pos) == set(np.flatnonzero(full <= radius))
        assert np.all(np.diff(dist) >= 0)
        # With a limit: the same first rows as the full ranking.
        top, top_dist, top_total = near.index.query(x, y, keep, radius, 10)
        assert list(top) == list(pos[:10]) and top_total == total


def test_parse_radius():
    assert nearby.parse_radius("25") == 25.0
    assert nearby.parse_radius("0") is None and nearby.parse_radius("tout") is None
    assert nearby.parse_radius("-3") == nearby.DEFAULT_RADIUS_KM
    assert nearby.parse_radius("nan") == nearby.DEFAULT_RADIUS_KM
    assert nearby.parse_radius(None) == nearby.DEFAULT_RADIUS_KM


# --------------------------------------------------------------------------- CLI


def test_cli_nearby_csv_french(ring_dir, capsys):
    code = main(["nearby", "st-hyacinthe", "--data-dir", str(ring_dir), "--radius", "0", "--limit", "3"], environ={})
    assert code == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter=";"))
    assert rows[0][:3] == ["Distance (km)", "Identifiant", "Nom du service ou de l'initiative"]  # words people read
    assert [r[1] for r in rows[1:]] == ["here2", "here", "granby"]
    assert rows[3][0].count(",") == 1  # decimal comma


def test_cli_nearby_json_with_filters(ring_dir, tmp_path):
    out = tmp_path / "near.json"
    args = ["--lang", "en", "nearby", "J2S 1A1", "--data-dir", str(ring_dir), "--type", "prevention"]
    code = main([*args, "--radius", "0", "--format", "json", "-o", str(out)], environ={})
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["approximate_distance"] is True and data["place"].startswith("Postal code J2S")
    assert [s["id"] for s in data["services"]][:2] == ["here2", "drummond"]
    assert all(isinstance(s["distance_km"], float) for s in data["services"])


def test_cli_nearby_unknown_place_exits_2_with_suggestions(ring_dir, capsys):
    assert main(["nearby", "Sant-Hyacinth", "--data-dir", str(ring_dir)], environ={}) == 2
    err = capsys.readouterr().err
    assert "Saint-Hyacinthe" in err and "Aucune municipalité" in err


def test_filters_mask_is_the_dashboard_one(ring, finder):
    state, _ = FilterState.build(regions=["16"])
    frame = ring.services(place(finder, "Saint-Hyacinthe"), state, None, None)
    assert set(frame.index) == set(filters.apply(ring.directory, state).index)


def test_a_results_details_load_once_when_first_opened(shipped):
    from dash import no_update
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    from maillage_dash.config import Settings
    from maillage_dash.nearby.callbacks import NearbyHandlers
    from maillage_dash.nearby.ids import NID

    DETAIL_OPEN = NID.DETAIL_OPEN

    handlers = NearbyHandlers(shipped, Settings())
    sid = str(shipped.services["id"].iloc[0])
    placeholder = {"type": "P", "namespace": "dash_html_components", "props": {"className": "small near-loading"}}
    prop = json.dumps({"sid": sid, "type": DETAIL_OPEN}, separators=(",", ":")) + ".n_clicks"
    token = context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop, "value": 1}]))
    try:
        card = handlers.detail(1, placeholder, {"query": "?lang=en", "lang": "en"})
        assert card.to_plotly_json()["type"] == "Article"
        assert "Last confirmation" in json.dumps(card.to_plotly_json(), default=lambda o: o.to_plotly_json())
        # Closing and opening again keeps the card already there: no second request's work.
        assert handlers.detail(2, card.to_plotly_json(), {"lang": "en"}) is no_update
        assert handlers.detail(None, placeholder, None) is no_update
    finally:
        context_value.reset(token)
    # An unknown id (a stale page) says so instead of failing.
    bad = json.dumps({"sid": "nope", "type": DETAIL_OPEN}, separators=(",", ":")) + ".n_clicks"
    token = context_value.set(AttributeDict(triggered_inputs=[{"prop_id": bad, "value": 1}]))
    try:
        missing = handlers.detail(1, placeholder, {"lang": "en"})
        assert missing.children == "This service does not exist (any more) in the directory."
    finally:
        context_value.reset(token)


@pytest.mark.parametrize("geo", [True, "x", 5, [1], {"error": [1]}, {"error": "1"}, {"lat": "x"}])
@pytest.mark.parametrize("store", [None, True, {"lang": [1]}])
def test_geolocation_answer_survives_garbage(shipped, geo, store):
    """Regression: the callback fuzz found a 500 for a position that was not a dict (``True``)."""
    from maillage_dash.config import Settings
    from maillage_dash.nearby.callbacks import NearbyHandlers

    out = NearbyHandlers(shipped, Settings()).geolocated(geo, store)
    assert len(out) == 3


def test_a_result_offers_to_call_the_help_line_and_directions(tmp_path, geography):
    """Synthetic rows: the help line is the big « Appeler », a shelter's directions stop at its town."""
    from maillage_dash.nearby.layout import act_bar

    rows = [
        row(id="open", telephones="accueil: 450 555-0100 (lun-ven 9h-17h); aide: 1 888 555-0199 (24/7)"),
        row(id="shelter", types_service="hebergement", adresse_confidentielle="oui", telephones="aide: 450 555-0111"),
        row(id="nothing", site_web="", statut="a_confirmer"),
    ]
    write_csv(tmp_path, rows)
    directory = load_directory(tmp_path, geography)
    dump = lambda c: json.dumps(c.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)  # noqa: E731
    first = dump(act_bar(directory.by_id("open"), "fr"))
    assert first.index("tel:+18885550199") < first.index("tel:+14505550100")  # help line first
    assert "Appeler" in first and "24/7" in first and "lun–ven 9 h–17 h" in first and "geo:" in first
    shelter = dump(act_bar(directory.by_id("shelter"), "en"))
    rec = directory.by_id("shelter")
    assert "to the municipality" in shelter and f"geo:{rec['lat']:.5f},{rec['lon']:.5f}" in shelter
    assert "No confirmed way to reach" in dump(act_bar(directory.by_id("nothing"), "en"))


def test_postal_areas_are_named_in_french_on_the_french_page(geography):
    from maillage_dash.config import GEO_DIR
    from maillage_dash.nearby.model import PlaceFinder, area_name_fr

    assert area_name_fr("Saint-Jérôme Southeast") == "Saint-Jérôme Sud-Est"
    assert area_name_fr("Downtown Montreal North") == "Centre-ville de Montréal Nord"
    assert area_name_fr("Quebec City North Central") == "Québec Centre-Nord"
    finder = PlaceFinder.from_geo_dir(GEO_DIR, geography.gazetteer, geography.regions_full)
    english = [p for p in finder.rta["place_name"] if any(w in p for w in ("North", "South", "East", "West", "Montreal"))]
    assert english, "the shipped GeoNames names have English words"
    place = finder.from_key("rta:H2X")
    assert "Montréal" in finder.label(place, "fr") or "Sud" in finder.label(place, "fr") or "Nord" in finder.label(place, "fr")
    assert not any(w in finder.label(place, "fr") for w in ("North", "South", "East", "West", "Montreal", "Downtown"))


def test_a_card_with_no_way_to_reach_points_to_the_lines_to_call_and_never_says_contact_it(tmp_path, geography):
    """Synthetic rows: a confidential shelter with no phone, site or email: its card links to the nearby
    page of its town (911, the region's DPJ, provincial lines) and does not say « contactez l'organisme »."""
    from datetime import date

    from maillage_dash.ui.card import service_card

    rows = [row(id="lost", types_service="hebergement", adresse_confidentielle="oui", site_web="", statut="a_confirmer")]
    write_csv(tmp_path, rows)
    directory = load_directory(tmp_path, geography)
    rec = directory.by_id("lost")
    text = json.dumps(
        service_card(rec, "fr", "", date(2026, 1, 1)).to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False
    )
    assert "Aucun moyen confirmé de joindre ce service" in text and "/proximite?lang=fr&pres=" in text
    assert "contactez l'organisme" not in text and "celui de la municipalité" in text


def test_the_nearby_map_names_the_towns_around_the_place(shipped, finder):
    """At 50 km around Gaspé the map showed no place names (the province-wide list has the 40 biggest
    towns only): the most populous municipalities within reach are added, each within it."""
    import math

    from maillage_dash.nearby import figures as near_figures

    place = finder.search("Gaspé", limit=1)[0]
    assert place.name == "Gaspé"
    labels = near_figures.local_towns(shipped, place, 50.0, set())
    assert 3 <= len(labels) <= near_figures.LOCAL_TOWNS
    for label in labels:
        dlat, dlon = math.radians(label["y"] - place.lat), math.radians(label["x"] - place.lon)
        a = (
            math.sin(dlat / 2) ** 2
            + math.cos(math.radians(place.lat)) * math.cos(math.radians(label["y"])) * math.sin(dlon / 2) ** 2
        )
        assert 2 * 6371 * math.asin(math.sqrt(a)) <= 60, label
    assert {"Percé", "Grande-Vallée"} & {label["t"] for label in labels}
