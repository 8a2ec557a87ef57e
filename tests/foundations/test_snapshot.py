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
