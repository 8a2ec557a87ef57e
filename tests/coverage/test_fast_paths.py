"""Issue 15, coverage on a new filter state: the shortcuts give what the plain ways give.

- Nearest matching service of each type (``AccessModel._nearest``): each municipality's list of
  nearest points, and the spatial index only where the list cannot tell, against one spatial index
  query per type for every municipality (``AccessModel.nearest_by_index``): the same distances to
  the last bit.

Synthetic rows are test data (``tests/conftest.row``)."""

from __future__ import annotations

import numpy as np
import pytest

from maillage_dash.coverage import accessibility
from maillage_dash.coverage.accessibility import AccessModel
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
