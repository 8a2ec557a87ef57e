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


def test_services_located_per_region_counted_as_before(shipped):
    from maillage_dash import schema
    from maillage_dash.coverage.model import analysis

    info = analysis(shipped).info
    own = shipped.services["region"].to_numpy()
    assert [info[code].located for code in schema.REGION_CODES] == [int((own == code).sum()) for code in schema.REGION_CODES]
    assert sum(info[code].located for code in schema.REGION_CODES) == len(shipped)


# --------------------------------------------------------------------------- loading (bulk.py, loading.py)

NUMBER_TEXTS = ["45.5", "-73.61", "", "45,5", " 45.5", "4 5.5", "45\u00a05", "nan", "inf", "-inf", "1e3", "1_000", "0x10", "abc",
                "45.", ".5", "-0", "+46.2", "46,2,1", "1e400", "٤٥.٥"]  # fmt: skip


@pytest.mark.parametrize("seed", range(6))
def test_numbers_are_parse_number_of_each_text(seed):
    from maillage_dash import bulk
    from maillage_dash import rows as rowlib

    rng = np.random.default_rng(seed)
    plain = [f"{v:.{int(rng.integers(0, 9))}f}" for v in rng.uniform(-80, 80, 200)] + ["", "nan", "inf", "1e3", "1_000"]
    for texts in (plain, [*plain, rng.choice(NUMBER_TEXTS)], list(rng.choice(NUMBER_TEXTS, 30)), []):
        texts = [str(t) for t in texts]
        expected = [rowlib._parse_number(t) if t else None for t in texts]
        got = bulk._numbers(texts)
        assert [None if np.isnan(v) else v for v in got.tolist()] == expected


def _join_regions_reference(records, problems, geography):
    """loading._join_regions as it was (a Python pass over the records), for comparison."""
    from maillage_dash.geo import assign_regions
    from maillage_dash.validation import Problem

    points = records.pop("_join")
    joinable = [i for i, point in enumerate(points) if point is not None]
    index: dict = {}
    which = [index.setdefault(points[i], len(index)) for i in joinable]
    lat = np.array([point[0] for point in index], dtype=float)
    lon = np.array([point[1] for point in index], dtype=float)
    codes = assign_regions(lon, lat, geography.regions_full)[which].tolist() if joinable else []
    region = [""] * len(points)
    files, rows, ok = records["fichier"], records["ligne"], records["_ok"]
    for i, code in zip(joinable, codes):
        region[i] = code
        if not code:
            lat_i, lon_i = points[i]
            problems.append(Problem(files[i], rows[i], "latitude", "outside_quebec_plain", {"lat": lat_i, "lon": lon_i}))
            ok[i] = False
    records["region"] = region


@pytest.mark.parametrize("seed", range(4))
def test_regions_joined_once_per_point_as_before(geography, seed):
    from maillage_dash.loading import _join_regions

    rng = np.random.default_rng(seed)
    towns = geography.gazetteer.frame.dropna(subset=["lat", "lon"]).sample(40, random_state=seed)
    choices = [(float(a), float(b)) for a, b in zip(towns["lat"], towns["lon"])]
    choices += [None, (44.0, -79.5), (47.0, -60.5), (45.0, -74.6)]  # no point; Ontario, the Gulf, a border
    n = 300
    points = [choices[k] for k in rng.integers(0, len(choices), n)]

    def records():
        return {"_join": list(points), "fichier": ["f.csv"] * n, "ligne": list(range(2, n + 2)), "_ok": [True] * n}

    got, expected = records(), records()
    got_problems, expected_problems = [], []
    _join_regions(got, got_problems, geography)
    _join_regions_reference(expected, expected_problems, geography)
    assert got == expected and got_problems == expected_problems
    assert got_problems and not all(got["_ok"])  # points in no region are refused (Ontario, the Gulf)
    assert {r for r, p in zip(got["region"], points) if p is None} == {""}
    empty = {"_join": [], "fichier": [], "ligne": [], "_ok": []}
    _join_regions(empty, [], geography)
    assert empty["region"] == []


# --------------------------------------------------------------------------- snapshot (snapshot.py)


def test_the_snapshot_file_is_written_by_a_thread_and_appears_whole(tmp_path, crowded):
    from maillage_dash import snapshot

    thread = snapshot.write(tmp_path / "cache", "abc", crowded)
    assert thread is not None and not thread.daemon  # the process waits for it before ending
    thread.join()
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["directory-abc.pickle"]  # no temporary file left
    again = snapshot.read(tmp_path / "cache", "abc")
    assert again is not None and again.services.equals(crowded.services)
    snapshot.write(tmp_path / "cache", "def", crowded, wait=True)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["directory-abc.pickle", "directory-def.pickle"]


def test_no_snapshot_where_the_folder_cannot_be_made(tmp_path, crowded):
    from maillage_dash import snapshot

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert snapshot.write(blocker / "cache", "abc", crowded) is None


# --------------------------------------------------------------------------- coverage, more


def test_neighbouring_regions_as_by_buffering_the_polygons(geography):
    """coverage.model.adjacency by the index's dwithin gives what buffering every polygon gave."""
    from types import SimpleNamespace

    from maillage_dash import schema
    from maillage_dash.coverage.model import adjacency

    regions = geography.regions_full[["code", "geometry"]].reset_index(drop=True).to_crs(MEASURE_CRS)
    grown = gpd.GeoDataFrame({"near": regions["code"]}, geometry=regions.geometry.buffer(500.0), crs=MEASURE_CRS)
    pairs = gpd.sjoin(grown, regions, predicate="intersects")
    expected: dict[str, set[str]] = {code: set() for code in schema.REGION_CODES}
    for a, b in zip(pairs["near"], pairs["code"]):
        if a != b and a in expected:
            expected[a].add(b)
    got = adjacency(SimpleNamespace(geography=geography))
    assert got == {code: tuple(sorted(near)) for code, near in expected.items()}
    assert "09" in got["01"] or "11" in got["01"]  # regions facing each other across the St. Lawrence


@pytest.mark.parametrize("seed", range(3))
def test_distinct_points_as_numpy_unique_gives_them(seed):
    from maillage_dash.coverage.accessibility import _distinct_rows

    rng = np.random.default_rng(seed)
    base = rng.uniform(-5e5, 5e5, (300, 2)).round(1)
    xy = base[rng.integers(0, 300, 5000)]
    xy[:10, 1] = xy[10:20, 1]  # same x-or-y, different points
    distinct, inverse = _distinct_rows(xy)
    expected, expected_inverse = np.unique(xy, axis=0, return_inverse=True)
    assert np.array_equal(distinct, expected)
    assert np.array_equal(inverse, np.asarray(expected_inverse).reshape(-1))
    empty, none = _distinct_rows(np.zeros((0, 2)))
    assert empty.shape == (0, 2) and len(none) == 0


def test_dummy_password_hash_is_werkzeugs_default_method():
    """A sign-in with an unknown email is checked against a hash written out in the source (hashing it
    at import took 0.1 s of every start-up): still Werkzeug's hash of that password by its default
    method, so that it costs what checking a real account's password costs."""
    from werkzeug.security import check_password_hash, generate_password_hash

    from maillage_dash.store import users

    assert users._DUMMY.split("$")[0] == generate_password_hash("maillage-dummy-password").split("$")[0]
    assert check_password_hash(users._DUMMY, "maillage-dummy-password")
    assert not check_password_hash(users._DUMMY, "another password")


def test_initiatives_checked_against_the_index_as_an_array(shipped):
    """``check_initiatives`` gets the ids as a plain array (a set from the pandas index read them one at
    a time): the same problems as with the index itself."""
    from maillage_dash.content import model as content

    data = content.shipped()
    index = shipped.services.index
    some = index[::3]  # a third of the ids: some practices' initiatives go missing
    for ids in (index, some):
        assert content.check_initiatives(data, ids.to_numpy(dtype=object), "x.csv") == content.check_initiatives(
            data, ids, "x.csv"
        )
    assert content.check_initiatives(data, some.to_numpy(dtype=object), "x.csv")


def test_networkx_is_not_imported_with_the_app():
    """networkx (0.15 s) is imported where a partnership graph is built, not at start-up."""
    import subprocess
    import sys

    code = "import sys; import maillage_dash.webapp; print('networkx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_gazetteer_places_from_columns_equal_the_pandas_rows(geography):
    """The towns of a directory are placed from the gazetteer's columns taken out once, not from a
    pandas row each: the same place, field for field (and of the same types), for every municipality."""
    from maillage_dash.geo import Gazetteer

    gazetteer = Gazetteer(geography.gazetteer.frame)  # a fresh one: nothing remembered yet
    for i in range(len(gazetteer.frame)):
        got, expected = gazetteer._build_place(i), gazetteer.place_by_row(i)
        assert repr(got) == repr(expected)  # some municipalities have no point: nan is not == nan
        assert [type(v) for v in vars(got).values()] == [type(v) for v in vars(expected).values()]


def _members_before(values, codes):
    """``directory._members`` as it was (a code per value by ``setdefault`` in a generator)."""
    try:
        index: dict = {}
        which = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int64, count=len(values))
    except TypeError:
        return {code: np.fromiter((code in v for v in values), bool, len(values)) for code in codes}
    distinct = list(index)
    return {code: np.fromiter((code in v for v in distinct), bool, len(distinct))[which] for code in codes}


def test_members_equal_the_way_before(shipped):
    from maillage_dash import schema
    from maillage_dash.directory import _members

    frame = shipped.services
    cases = [
        (frame["types"].tolist(), [t.code for t in schema.SERVICE_TYPES]),
        (frame["regions_desservies"].tolist(), list(schema.REGION_CODES)),
        (frame["public_cible"].tolist(), [t.code for t in schema.AUDIENCES]),
        ([("a",), ("a", "b"), (), ("a",), ["b"], ("b",)], ["a", "b", "c"]),  # a list: row by row
        ([], ["a"]),
    ]
    for values, codes in cases:
        got, expected = _members(values, codes), _members_before(values, codes)
        assert list(got) == list(expected)
        assert all(np.array_equal(got[c], expected[c]) and got[c].dtype == expected[c].dtype for c in codes)
