"""Spatial join on real towns and tiny hand-built polygons; filter semantics at their edges."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from maillage_dash import filters
from maillage_dash.filters import FilterState
from maillage_dash.geo import assign_regions

TOWNS = {
    "Rimouski": "01",
    "Saguenay": "02",
    "Québec": "03",
    "Trois-Rivières": "04",
    "Sherbrooke": "05",
    "Montréal": "06",
    "Gatineau": "07",
    "Rouyn-Noranda": "08",
    "Sept-Îles": "09",
    "Chibougamau": "10",
    "Gaspé": "11",
    "Lévis": "12",
    "Laval": "13",
    "Joliette": "14",
    "Saint-Jérôme": "15",
    "Saint-Hyacinthe": "16",
    "Drummondville": "17",
    "Salaberry-de-Valleyfield": "16",
    "Pointe-Claire": "06",
}


def test_known_towns_land_in_their_region(geography):
    places = [geography.gazetteer.candidates(name)[0] for name in TOWNS]
    codes = assign_regions(np.array([p.lon for p in places]), np.array([p.lat for p in places]), geography.regions_full)
    assert dict(zip(TOWNS, codes)) == TOWNS


def test_assign_regions_tolerance_on_hand_built_polygons():
    # Two 1°×1° squares near Montréal's latitude; EPSG:4326.
    regions = gpd.GeoDataFrame({"code": ["01", "02"]}, geometry=[box(-74, 45, -73, 46), box(-73, 45, -72, 46)], crs="EPSG:4326")
    lon = np.array([-73.5, -72.5, -71.97, -70.0])  # inside 01, inside 02, ~2 km east of 02, ~150 km away
    lat = np.array([45.5, 45.5, 45.5, 45.5])
    assert list(assign_regions(lon, lat, regions)) == ["01", "02", "02", ""]


def ids(directory, **kw) -> list[str]:
    state, rejected = FilterState.build(**kw)
    assert rejected == []
    return sorted(filters.apply(directory, state).index)


@pytest.mark.parametrize(
    "age,expected",
    [
        ((17, 20), ["a", "b", "d", "f"]),  # a is 12–17: its upper edge touches 17
        ((18, 20), ["b", "d", "f"]),  # a no longer; b starts at 18
        ((11, 11), ["e"]),  # e is "up to 11"
        ((12, 12), ["a", "f"]),  # e ends at 11, d starts at 15
        ((40, 60), ["d"]),  # d is "15 and over"
    ],
)
def test_age_overlap_edges(small, age, expected):
    # c states no ages: it never matches an age filter, it is listed apart instead.
    assert ids(small, age=f"{age[0]}-{age[1]}") == expected
    state, _ = FilterState.build(age=f"{age[0]}-{age[1]}")
    assert sorted(filters.apply_apart(small, state).index) == ["c"]


def test_unstated_ages_are_listed_apart_only_when_ages_are_filtered(small):
    assert "c" in ids(small)  # no age filter: c is an ordinary result
    assert filters.apply_apart(small, FilterState()).empty
    state, _ = FilterState.build(age="12-17", types=["hebergement"])
    assert filters.apply_apart(small, state).empty  # c is not a shelter: the other filters still apply


def test_several_types_match_any(small):
    assert ids(small, types=["hebergement", "Suivi psychosocial"]) == ["b", "d"]


def test_region_includes_services_serving_it_from_elsewhere(small):
    assert ids(small, regions=["13"]) == ["c"]  # Montréal service that serves Laval
    assert ids(small, regions=["06"]) == ["c", "f"]
    assert ids(small, regions=["16", "17"]) == ["a", "e"]


def test_sectors_and_text_accent_insensitive(small):
    assert ids(small, sectors=["policier"]) == ["a"]
    assert ids(small, text="BETA hebergement") == ["b"]
    assert ids(small, text="prévention gamma") == ["c"]
    assert ids(small, text="introuvable") == []


def test_filters_combine(small):
    assert ids(small, types=["travail_de_rue"], regions=["06"], age="12-17") == ["f"]


def test_url_round_trip_and_rejected_values():
    state, _ = FilterState.build(
        regions=["16", "3"], age="12-17", types=["hebergement"], sectors=["scolaire"], text="fugue Montréal"
    )
    query = filters.to_query(state, "en")
    back, lang, rejected = filters.from_query(query)
    assert (back, lang, rejected) == (state, "en", [])
    assert back.regions == ("16", "03")
    weird, lang, rejected = filters.from_query("?region=99&age=30-10&type=<script>&lang=de")
    assert weird == FilterState() and lang is None
    assert set(rejected) == {"99", "30-10", "<script>"}


def test_describe_in_both_languages():
    state, _ = FilterState.build(regions=["16"], age="12-17")
    assert ("Âge", "12 à 17 ans") in filters.describe(state, "fr")
    assert ("Age", "12 to 17 years") in filters.describe(state, "en")
    assert ("Regions", "16 – Montérégie") in filters.describe(state, "en")


@pytest.mark.parametrize("value", [[0, "Infinity"], ["-inf", 12], ["nan", 17], "0-Infinity", [1e400, 2]])
def test_age_that_is_not_a_finite_number_is_no_age(value):
    """A crafted request or address with an infinite or not-a-number age is ignored, not a server error
    (the fuzz tests sent the slider « [0, "Infinity"] »: OverflowError, a 500)."""
    assert filters.parse_age(value) is None
    state, _, rejected = filters.from_query(f"?age={value if isinstance(value, str) else '0-inf'}")
    assert state.age is None and rejected
