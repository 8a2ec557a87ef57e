"""``python -m maillage_dash coverage`` as a committee coordinator runs it."""

from __future__ import annotations

import csv
import io
import json

from maillage_dash import schema
from maillage_dash.cli import main
from maillage_dash.coverage import model as coverage
from maillage_dash.filters import FilterState


def read_csv(path, delimiter=";"):
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=delimiter))


def test_coverage_csv_in_french_with_semicolons_and_decimal_comma(tmp_path, shipped, capsys):
    out = tmp_path / "matrice.csv"
    assert (
        main(
            ["coverage", "--age", "12-17", "--type", "hebergement", "--region", "06", "--region", "10", "-o", str(out)],
            environ={},
        )
        == 0
    )
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_csv(out)
    assert rows[0][:8] == [
        "code_region",
        "region",
        "code_type",
        "type",
        "nombre_services",
        "population_jeunes",
        "taux_par_10000",
        "part_population_50km_pct",
    ]
    assert [(r[0], r[2]) for r in rows[1:]] == [("06", "hebergement"), ("10", "hebergement")]
    expected = coverage.analysis(shipped).coverage(FilterState(regions=("06", "10"), age=(12, 17), types=("hebergement",)))
    montreal = expected.cell("06", "hebergement")
    assert rows[1][4] == str(montreal.count) and rows[1][5] == str(montreal.population)
    assert rows[1][6] == f"{round(montreal.rate, 4)}".replace(".", ",") and "," in rows[1][6]
    assert rows[1][8] == "12 à 17 ans" and rows[1][9] == "2026"
    # Nord-du-Québec: a gap, said in words.
    assert rows[2][4] == "0" and "pas forcément aucun service" in rows[2][11]
    assert "2 lignes de la matrice écrites dans" in capsys.readouterr().out


def test_coverage_json_in_english_all_regions(tmp_path):
    out = tmp_path / "matrix.json"
    assert (
        main(
            ["--lang", "en", "coverage", "--format", "json", "--year", "2019", "--type", "prevention", "-o", str(out)], environ={}
        )
        == 0
    )
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [r["region_code"] for r in document["rows"]] == list(schema.REGION_CODES)
    assert document["metadata"]["population"]["year"] == 2019
    assert "estimate" in document["metadata"]["population"]["status"]
    assert all(r["type"] == "Prevention" and isinstance(r["rate"], float) for r in document["rows"])
    assert all(0 <= r["share_50km"] <= 100 for r in document["rows"])


def test_coverage_rejects_an_unknown_year_or_filter(tmp_path, capsys):
    assert main(["coverage", "--year", "2030", "-o", str(tmp_path / "x.csv")], environ={}) == 2
    assert "2016, 2019, 2021, 2026" in capsys.readouterr().err
    assert main(["coverage", "--type", "inconnu", "-o", str(tmp_path / "x.csv")], environ={}) == 2
    assert "inconnu" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_coverage_uses_the_population_group_of_the_age_filter(tmp_path):
    out = tmp_path / "m.csv"
    assert (
        main(["--lang", "en", "coverage", "--age", "13-16", "--region", "06", "--type", "prevention", "-o", str(out)], environ={})
        == 0
    )
    rows = read_csv(out, ",")
    assert rows[1][8] == "12 to 17 years"


def test_a_broken_population_file_is_reported_with_line_and_column(tmp_path, monkeypatch, capsys):
    from maillage_dash.coverage import population

    broken = tmp_path / "population_jeunes_region.csv"
    broken.write_text(
        population.POPULATION_FILE.read_text(encoding="utf-8").replace("\n06,Montréal,2026", "\n06,Montréal,20x6", 1)
    )
    monkeypatch.setattr(coverage, "POPULATION_FILE", broken)
    monkeypatch.setattr(coverage, "_ANALYSES", coverage.OrderedDict())
    assert main(["coverage", "-o", str(tmp_path / "m.csv")], environ={}) == 1
    err = capsys.readouterr().err
    assert "population_jeunes_region.csv, ligne" in err and "colonne « annee »" in err and "« 20x6 »" in err
    assert not (tmp_path / "m.csv").exists()
