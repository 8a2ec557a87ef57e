"""Issue 15, coverage on a new filter state: the shortcuts give what the plain ways give.

- Nearest matching service of each type (``AccessModel._nearest``): each municipality's list of
  nearest points, and the spatial index only where the list cannot tell, against one spatial index
  query per type for every municipality (``AccessModel.nearest_by_index``): the same distances to
  the last bit.
- The matrix's heatmap (``figures.heatmap_plain``): the plain dict Dash sends, made without plotly's
  figure objects, against ``heatmap_figure`` turned to JSON as Dash does it: the same text, byte for byte.
- The matrix's counts (``Analysis.counts``): the matching services of each combination of regions and
  types, then a product over the combinations, against one product over every service.
- Numbers written once per value (``i18n.fmt_num``, ``format.share``): Babel's text each time.

Synthetic rows are test data (``tests/conftest.row``)."""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal

import numpy as np
import plotly.io as pio
import pytest
from babel.numbers import format_decimal, format_percent
from dash._utils import to_json as dash_json

from maillage_dash import i18n
from maillage_dash.coverage import accessibility
from maillage_dash.coverage import figures as figs
from maillage_dash.coverage import format as fmt
from maillage_dash.coverage import model as coverage
from maillage_dash.coverage.accessibility import AccessModel
from maillage_dash.filters import FilterState
from maillage_dash.loading import load_directory
from tests.conftest import row, write_csv


@pytest.fixture(scope="module")
def scattered(tmp_path_factory, geography):
    """Synthetic: services at municipalities and at exact points across Québec, of every type."""
    towns = ["Saint-Hyacinthe", "Montréal", "Rimouski", "Gaspé", "Laval", "Sherbrooke", "Val-d'Or", "Chibougamau"]
    types = ["hebergement", "travail_de_rue", "ligne_ecoute", "aide_victimes", "prevention"]
    rng = np.random.default_rng(11)
    rows = []
    for i in range(160):
        values = {"id": f"s{i}", "nom": f"Service {i} (fictif)", "types_service": types[i % len(types)]}
        if i % 3:
            values["municipalite"] = towns[i % len(towns)]
        else:
            values |= {"latitude": f"{rng.uniform(46.0, 48.5):.5f}", "longitude": f"{rng.uniform(-74.5, -70.5):.5f}"}
            values["municipalite"] = towns[i % len(towns)]
        rows.append(row(**values))
    folder = tmp_path_factory.mktemp("scattered")
    write_csv(folder, rows)
    return load_directory(folder, geography)


def _keeps(n: int, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    few = np.zeros(n, dtype=bool)
    few[rng.choice(n, size=min(3, n), replace=False)] = True
    return [
        np.ones(n, dtype=bool),
        np.zeros(n, dtype=bool),
        few,
        *(rng.random(n) < share for share in (0.5, 0.2, 0.05, 0.01)),
    ]


@pytest.mark.parametrize("which", ["shipped", "scattered"])
@pytest.mark.parametrize("listed", [accessibility.NEIGHBOURS, 1, 3])
def test_nearest_by_lists_equals_the_spatial_index_query(request, which, listed, monkeypatch):
    """Short lists send most municipalities to the spatial index, long ones keep most in the lists:
    the same distances either way, to the last bit."""
    monkeypatch.setattr(accessibility, "NEIGHBOURS", listed)
    directory = request.getfixturevalue(which)
    model = AccessModel(directory, directory.geography)
    assert model.neighbours[0].shape == (len(model.municipalities), min(listed, len(model.points)))
    for keep in _keeps(len(directory), seed=listed):
        assert np.array_equal(model._nearest(keep), model.nearest_by_index(keep))


def test_neighbour_lists_are_sorted_geos_distances(shipped):
    model = AccessModel(shipped, shipped.geography)
    index, metres = model.neighbours
    assert (np.diff(metres, axis=1) >= 0).all()
    towns = model.municipalities.geometry.to_numpy()
    points = model.points.to_numpy()
    for i in (0, len(towns) // 2, len(towns) - 1):
        every = np.array([towns[i].distance(p) for p in points])
        assert metres[i, 0] == every.min()
        assert np.array_equal(np.sort(every)[: index.shape[1]], metres[i])


# --------------------------------------------------------------------------- the heatmap as Dash sends it


def _states() -> list[FilterState]:
    return [
        FilterState(),
        FilterState(regions=("06", "16"), types=("prevention", "hebergement")),
        FilterState(age=(12, 17), sectors=("communautaire",)),
        FilterState(age=(18, 35), text="jeunes"),
        FilterState(regions=("10",)),  # Nord-du-Québec: few municipalities
        FilterState(text="aucun-service-ne-dit-cela"),  # nothing matches: every cell a gap
    ]


@pytest.mark.parametrize("which", ["shipped", "scattered"])
def test_heatmap_plain_is_the_figures_json_byte_for_byte(request, which):
    """What the matrix callback sends: plotly's figure turned to JSON as Dash does it, the same text."""
    directory = request.getfixturevalue(which)
    analysis = coverage.analysis(directory)
    for state in _states():
        for year in (None, 2016):
            result = analysis.coverage(state, year)
            for measure in (*figs.MEASURES, "not-a-measure"):
                for lang in ("fr", "en"):
                    for presentation in (False, True):
                        figure = figs.heatmap_figure(result, measure, lang, presentation=presentation)
                        plain = figs.heatmap_plain(result, measure, lang, presentation=presentation)
                        assert dash_json(plain) == dash_json(figure)


def test_heatmap_plain_with_unknown_cells_and_another_template(shipped, monkeypatch):
    """A region without population (grey layer under the heatmap) and a template other than plotly's."""
    analysis = coverage.analysis(shipped)
    result = analysis.coverage(FilterState(regions=("06", "10")))
    holes = replace(result, population={**result.population, "10": None})
    cells = {
        key: replace(cell, rate=None, notes=("no_population",)) if key[0] == "10" else cell for key, cell in result.cells.items()
    }
    holes = replace(holes, cells=cells)
    for template in ("plotly", "simple_white"):
        monkeypatch.setattr(pio.templates, "default", template)
        figure = figs.heatmap_figure(holes, "rate", "fr")
        assert len(figure.data) == 2  # the grey layer below
        assert dash_json(figs.heatmap_plain(holes, "rate", "fr")) == dash_json(figure)


# --------------------------------------------------------------------------- numbers written once per value


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_remembered_numbers_are_babels(lang):
    values = [0, 0.0, -0.0, 1, 1.0, 0.125, 0.135, 2.5, -3.75, 1234567.891, 1e-9, float("nan"), float("inf"), -float("inf")]
    values += [np.float64(0.36), np.int64(12), Decimal("1.005")]
    locale = {"fr": "fr_CA", "en": "en_CA"}[lang]
    for _ in range(2):  # the second time from memory
        for value in values:
            for digits in (0, 1, 2, 3):
                pattern = "#,##0." + "0" * digits if digits else "#,##0"
                assert i18n.fmt_num(value, lang, digits) == format_decimal(value, format=pattern, locale=locale)
            if math.isfinite(float(value)):
                assert fmt.share(value, lang) == format_percent(float(value), locale=locale)
            else:
                assert fmt.share(value, lang) == fmt.DASH
    assert i18n.fmt_num(-0.0, lang, 2) != i18n.fmt_num(0.0, lang, 2)  # Babel writes the sign of -0.0


# --------------------------------------------------------------------------- counts by combination


@pytest.mark.parametrize("which", ["shipped", "scattered"])
def test_counts_by_combination_equal_the_product_over_every_service(request, which):
    directory = request.getfixturevalue(which)
    analysis = coverage.analysis(directory)
    for keep in _keeps(len(directory), seed=5):
        for types in (None, ("prevention",), ("hebergement", "travail_de_rue", "aide_victimes")):
            got = analysis.counts(keep, types)
            expected = analysis.counts_by_product(keep, types)
            assert got.dtype == expected.dtype and np.array_equal(got, expected)
