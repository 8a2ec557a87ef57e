"""``python -m maillage_dash validate|export`` as a coordinator runs them."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from maillage_dash import filters
from maillage_dash.cli import main
from maillage_dash.filters import FilterState
from tests.conftest import row, write_csv


def test_validate_shipped_data_exits_0(capsys):
    assert main(["validate"], environ={}) == 0
    assert "Données valides" in capsys.readouterr().out


def test_validate_bad_folder_lists_every_problem_and_exits_1(tmp_path, capsys):
    write_csv(tmp_path, [row(types_service="inconnu"), row(id="t2", municipalite="Atlantide")])
    assert main(["validate", "--data-dir", str(tmp_path)], environ={}) == 1
    err = capsys.readouterr().err
    assert "test.csv, ligne 2, colonne « types_service »" in err
    assert "test.csv, ligne 3, colonne « municipalite »" in err
    assert main(["--lang", "en", "validate", "--data-dir", str(tmp_path)], environ={}) == 1
    assert 'test.csv, row 2, column "types_service"' in capsys.readouterr().err


def test_export_cli_equals_dashboard_filter(small_dir, small, tmp_path):
    out = tmp_path / "out.csv"
    code = main(
        [
            "export",
            "--format",
            "csv",
            "--data-dir",
            str(small_dir),
            "--region",
            "16",
            "--region",
            "06",
            "--age",
            "12-17",
            "--type",
            "travail_de_rue",
            "-o",
            str(out),
        ],
        environ={},
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig")), delimiter=";"))
    state, _ = FilterState.build(regions=["16", "06"], age="12-17", types=["travail_de_rue"])
    assert [r[0] for r in rows[1:]] == list(filters.apply(small, state).index) == ["a", "f"]


def test_export_cli_rejects_unknown_filter_values(small_dir, tmp_path, capsys):
    assert (
        main(
            ["export", "--format", "csv", "--data-dir", str(small_dir), "--region", "42", "-o", str(tmp_path / "x.csv")],
            environ={},
        )
        == 2
    )
    assert "42" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_module_entry_point_runs():
    done = subprocess.run([sys.executable, "-m", "maillage_dash", "validate"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
