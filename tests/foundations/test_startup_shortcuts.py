"""The start-up shortcuts give what the straightforward ways give (issue 15, cold start).

- Coverage (``coverage/accessibility.py``): the located services projected as coordinate arrays, and
  the nearest municipality found per distinct point, instead of a GeoPandas point per service
  (``to_crs``) and an ``sjoin_nearest`` of every service.
- Coverage (``coverage/model.py``): the verification dates as day numbers, each distinct date once.

Synthetic rows are test data (``tests/conftest.row``)."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from maillage_dash.coverage.accessibility import AccessModel
from maillage_dash.coverage.model import _day_numbers
from maillage_dash.geo import DISPLAY_CRS, MEASURE_CRS
from maillage_dash.loading import load_directory
from tests.conftest import row, write_csv


@pytest.fixture(scope="module")
def crowded(tmp_path_factory, geography):
    """Synthetic: many services on few points (municipalities shared), some with exact coordinates,
    one confidential (shown at its municipality)."""
    towns = ["Saint-Hyacinthe", "Montréal", "Rimouski", "Gaspé", "Laval", "Sherbrooke", "Val-d'Or"]
    rows = [row(id=f"s{i}", nom=f"Service {i} (fictif)", municipalite=towns[i % len(towns)]) for i in range(60)]
    rows += [row(id="exact", latitude="45.6", longitude="-72.95"), row(id="secret", adresse_confidentielle="oui")]
    folder = tmp_path_factory.mktemp("crowded")
    write_csv(folder, rows)
    return load_directory(folder, geography)


@pytest.mark.parametrize("which", ["shipped", "crowded"])
def test_access_model_points_and_zones_are_geopandas_own(request, which):
    directory = request.getfixturevalue(which)
    model = AccessModel(directory, directory.geography)
    services = directory.services
    located = services["lat"].notna().to_numpy() & services["lon"].notna().to_numpy()
    plain = gpd.GeoDataFrame(
        {"pos": np.flatnonzero(located)},
        geometry=gpd.points_from_xy(services["lon"][located], services["lat"][located]),
        crs=DISPLAY_CRS,
    ).to_crs(MEASURE_CRS)
    # The same coordinates to the last bit, the same rows.
    assert np.array_equal(model.positions, plain["pos"].to_numpy())
    assert np.array_equal(model.services.geometry.x.to_numpy(), plain.geometry.x.to_numpy())
    assert np.array_equal(model.services.geometry.y.to_numpy(), plain.geometry.y.to_numpy())
    # Each service's nearest municipality: the first of sjoin_nearest's matches over every service.
    nearest = gpd.sjoin_nearest(plain[["geometry"]], model.municipalities[["geometry"]], how="left")
    nearest = nearest[~nearest.index.duplicated(keep="first")]
    zone = np.full(len(plain), -1, dtype=int)
    zone[nearest.index.to_numpy()] = nearest["index_right"].to_numpy()
    assert np.array_equal(model.service_zone, zone)
    # Distinct points: each service stands on its own point.
    xy = np.column_stack([plain.geometry.x.to_numpy(), plain.geometry.y.to_numpy()])
    points = np.column_stack([model.points.x.to_numpy(), model.points.y.to_numpy()])
    assert np.array_equal(points[model.point_of], xy)
    assert len(model.points) == len(np.unique(xy, axis=0))


def test_day_numbers_are_each_dates_ordinal():
    dates = pd.Series(
        [dt.date(2026, 1, 2), None, dt.date(2025, 5, 1), dt.date(2026, 1, 2), pd.NaT, float("nan"), dt.date(1, 1, 1)],
        dtype=object,
    )
    expected = [d.toordinal() if d and not pd.isna(d) else -1 for d in dates]
    assert _day_numbers(dates).tolist() == expected
    assert _day_numbers(pd.Series([], dtype=object)).tolist() == []
    assert _day_numbers(pd.Series([None, None], dtype=object)).tolist() == [-1, -1]


def test_day_numbers_of_the_shipped_directory(shipped):
    dates = shipped.services["confirme_le"]
    assert _day_numbers(dates).tolist() == [d.toordinal() if d and not pd.isna(d) else -1 for d in dates]
