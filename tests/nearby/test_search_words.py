"""A nearby search with words looks for them only inside the radius (``Nearby._masks``): the services
found, their order, distances and counts are those of the plain way (``filters.masks`` over every
service, then the spatial query)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from maillage_dash import filters
from maillage_dash.config import Settings
from maillage_dash.nearby import model as nearby

WORDS = ["jeunes", "rue", "montréal", "Maison jeunes", "ÉCOUTE", "hébergement femmes", "zzzz", "a", "laval  centre"]
PLACES = ["Montréal", "Saint-Hyacinthe", "Rimouski", "G0A", "45.5,-73.6", "Gaspé", "Val-d'Or"]


def plain_way(near: nearby.Nearby, place, state, radius, limit, apart_limit):
    keep, apart = filters.masks(near.directory, state)
    return near._nearest(keep, place, radius, limit), near._nearest(apart, place, radius, apart_limit)


def same(found, expected):
    assert list(found.index) == list(expected.index)
    assert np.array_equal(found["distance_km"].to_numpy(), expected["distance_km"].to_numpy())
    assert found.attrs["total"] == expected.attrs["total"]


@pytest.mark.parametrize("seed", range(4))
def test_words_inside_the_radius_find_what_every_service_finds(shipped, seed):
    near = nearby.nearby_for(shipped, Settings().geo_dir)
    rng = random.Random(seed)
    found_some = 0
    for _ in range(40):
        place = near.finder.resolve(rng.choice(PLACES)).place
        state = filters.FilterState(
            text=rng.choice(WORDS),
            age=rng.choice([None, None, (12, 17), (18, 35)]),
            audience=rng.choice([(), (), ("filles_femmes",)]),
            types=rng.choice([(), (), ("hebergement",), ("travail_de_rue", "prevention")]),
            regions=rng.choice([(), (), ("06",), ("01", "16")]),
            ended=rng.random() < 0.2,
        )
        radius = rng.choice([None, 10.0, 50.0, 200.0])
        limit, apart_limit = rng.choice([(50, 20), (3, 1), (None, None)])
        found, found_apart = near.with_apart(place, state, radius, limit, apart_limit)
        expected, expected_apart = plain_way(near, place, state, radius, limit, apart_limit)
        same(found, expected)
        same(found_apart, expected_apart)
        found_some += found.attrs["total"] > 0
    assert found_some >= 5  # the words do find services (the comparison is not of empty lists only)


def test_without_words_the_masks_are_the_filters_own(shipped):
    near = nearby.nearby_for(shipped, Settings().geo_dir)
    state = filters.FilterState(age=(12, 17))
    keep, apart = near._masks(state, None)
    expected = filters.masks(shipped, state)
    assert np.array_equal(keep, expected[0]) and np.array_equal(apart, expected[1])
