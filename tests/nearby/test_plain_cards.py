"""The result cards written as plain dicts (``nearby/plain.py``) are what Dash's components give.

The callback answers with the dicts; the page's first render (and its static HTML copy) with Dash
components made from them. Both must be the same JSON, and every dict must be a component Dash
accepts (its constructor checks the property names). Synthetic rows are test data (conftest.row)."""

from __future__ import annotations

import json

import pytest
from dash import dcc, html
from dash._utils import to_json

from maillage_dash import filters
from maillage_dash.config import Settings
from maillage_dash.loading import load_directory
from maillage_dash.nearby import model as nearby
from maillage_dash.nearby.callbacks import NearbyHandlers
from maillage_dash.nearby.layout import results_view
from maillage_dash.nearby.plain import el, from_component, to_component
from maillage_dash.ui.card import status_mark
from tests.conftest import row, write_csv


def as_json(value):
    return json.loads(to_json(value))


@pytest.fixture(scope="module")
def varied(tmp_path_factory, geography):
    """Synthetic services: phones of every kind, a website, a shelter, nothing to reach, stated and unstated ages."""
    rows = [
        row(id="open", telephones="accueil: 450 555-0100 (lun-ven 9h-17h); aide: 1 888 555-0199 (24/7)", statut="actif"),
        row(id="shelter", types_service="hebergement", adresse_confidentielle="oui", telephones="aide: 450 555-0111"),
        row(id="nothing", site_web="", statut="a_confirmer"),
        row(id="unstated", age_min="", age_max="", public_cible=""),
        row(id="three", telephones="aide: 450 555-0112; accueil: 450 555-0113 (lun-ven 9h-17h); accueil: 450 555-0114"),
    ]
    folder = tmp_path_factory.mktemp("varied")
    write_csv(folder, rows)
    return load_directory(folder, geography)


STATES = [
    filters.FilterState(),
    filters.FilterState(age=(12, 17)),
    filters.FilterState(regions=("16", "06"), types=("hebergement",)),
    filters.FilterState(audience=("filles_femmes",), text="jeunes"),
]


@pytest.mark.parametrize("which", ["shipped", "varied"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_plain_cards_are_the_components_json(request, which, lang):
    directory = request.getfixturevalue(which)
    near = nearby.nearby_for(directory, Settings().geo_dir)
    picked = [str(directory.services.index[0])]
    for query in ("Saint-Hyacinthe", "J2S 1A1", "45.5,-73.6", "Montréal"):
        place = near.finder.resolve(query).place
        for state in STATES:
            for radius in (50.0, None):
                plain, frame = results_view(near, place, state, radius, lang, picked, plain=True)
                components, same = results_view(near, place, state, radius, lang, picked)
                assert list(frame.index) == list(same.index)
                assert isinstance(components, html.Div)
                assert as_json(plain) == as_json(components)
                assert as_json(to_component(plain)) == as_json(plain)


def test_the_callback_answers_what_the_page_renders(shipped):
    handlers = NearbyHandlers(shipped, Settings())
    store = {"query": "?lang=fr&age=12-17", "lang": "fr"}
    key = handlers.near.finder.resolve("Saint-Hyacinthe").place.key
    plain = handlers.answer(key, "50", store, [], plain=True)
    rendered = handlers.answer(key, "50", store, [])
    assert "near-item" in to_json(plain[0])
    assert as_json(list(plain)) == as_json(list(rendered))


@pytest.mark.parametrize("status", ["actif", "a_confirmer", "termine"])
def test_status_marks_through_plain_dicts(status):
    for lang in ("fr", "en"):
        mark = status_mark(status, lang)
        assert as_json(from_component(mark)) == as_json(mark)


def test_el_gives_what_a_component_gives():
    assert as_json(el(html.P)) == as_json(html.P())  # children: null, as Dash sends it
    assert as_json(el(html.Span, "1", className="x", **{"aria-hidden": "true"})) == as_json(
        html.Span("1", className="x", **{"aria-hidden": "true"})
    )
    box = el(dcc.Checklist, id={"type": "t", "sid": "a"}, options=[{"label": "L", "value": "a"}], value=[])
    assert as_json(box) == as_json(dcc.Checklist(id={"type": "t", "sid": "a"}, options=[{"label": "L", "value": "a"}], value=[]))
    assert "children" not in box["props"]
    with pytest.raises(TypeError):
        to_component(el(html.P, "x", notAProp=1))  # Dash's own checks, when made into a component
    with pytest.raises(TypeError):
        el(dcc.Checklist, "children")
