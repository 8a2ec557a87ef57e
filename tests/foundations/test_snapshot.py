"""The validated snapshot: reused when nothing changed, rebuilt when a file changes, never for bad data."""

from __future__ import annotations

import pandas as pd
import pytest

from maillage_dash import snapshot
from maillage_dash.config import GEO_DIR
from maillage_dash.errors import DataValidationError
from tests.conftest import TODAY, row, write_csv


def test_second_load_reads_the_snapshot(small_dir, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = snapshot.load(small_dir, GEO_DIR, cache, TODAY)
    assert len(list(cache.glob("directory-*.pickle"))) == 1

    def no_validation(*_a, **_k):
        raise AssertionError("validated again although nothing changed")

    monkeypatch.setattr(snapshot, "load_directory", no_validation)
    second = snapshot.load(small_dir, GEO_DIR, cache, TODAY)
    pd.testing.assert_frame_equal(pd.DataFrame(first.services), pd.DataFrame(second.services))
    assert second.files == first.files


def test_a_changed_file_or_day_is_validated_again(small_dir, tmp_path):
    cache = tmp_path / "cache"
    snapshot.load(small_dir, GEO_DIR, cache, TODAY)
    path = next(small_dir.glob("*.csv"))
    path.write_bytes(path.read_bytes().replace(b"Alpha rue", b"Alpha ruelle"))
    changed = snapshot.load(small_dir, GEO_DIR, cache, TODAY)
    assert "Alpha ruelle" in set(changed.services["nom"])
    assert len(list(cache.glob("directory-*.pickle"))) == 2
    assert snapshot.key(small_dir, GEO_DIR, TODAY) != snapshot.key(small_dir, GEO_DIR, TODAY.replace(day=24))


def test_invalid_data_is_refused_and_never_snapshotted(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    write_csv(data, [row(types_service="inconnu")])
    with pytest.raises(DataValidationError):
        snapshot.load(data, GEO_DIR, tmp_path / "cache", TODAY)
    assert not list((tmp_path / "cache").glob("*.pickle")) if (tmp_path / "cache").exists() else True


def test_a_corrupt_snapshot_is_rebuilt(small_dir, tmp_path):
    cache = tmp_path / "cache"
    snapshot.load(small_dir, GEO_DIR, cache, TODAY)
    path = next(cache.glob("directory-*.pickle"))
    path.write_bytes(b"not a pickle")
    assert len(snapshot.load(small_dir, GEO_DIR, cache, TODAY)) == 6


def test_a_database_seeded_again_is_not_served_from_the_old_snapshot(small_dir, tmp_path, geography):
    """A database emptied and seeded again (or restored from a copy) reaches the same version number
    with other rows: its snapshot key differs (the version's moment), so the new rows are served."""
    from maillage_dash.store import entries
    from maillage_dash.store.engine import Store
    from maillage_dash.store.live import LiveDirectory

    cache, path = tmp_path / "cache", tmp_path / "db" / "maillage.sqlite3"
    url = f"sqlite:///{path}"

    def seeded_then_opened() -> tuple[LiveDirectory, Store]:
        store = Store(url)
        store.upgrade()
        entries.seed_from_folder(store, small_dir, geography, by="test", today=TODAY)
        return LiveDirectory.open(store, geography, geo_dir=GEO_DIR, cache=cache, interval=3600), store

    first, store = seeded_then_opened()
    assert "Alpha rue" in set(first.resolved().services["nom"])
    version = store.data_version()
    first.stop()
    store.dispose()
    for p in path.parent.iterdir():
        p.unlink()
    csv_path = next(small_dir.glob("*.csv"))
    csv_path.write_bytes(csv_path.read_bytes().replace(b"Alpha rue", b"Alpha ruelle"))
    second, store = seeded_then_opened()
    assert store.data_version() == version  # the same number…
    assert "Alpha ruelle" in set(second.resolved().services["nom"])  # …but the new rows
    second.stop()
    store.dispose()
