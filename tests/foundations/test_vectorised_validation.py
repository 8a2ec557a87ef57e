"""The column-wise validation (maillage_dash.bulk) gives exactly what the row parser gives, row by row.

Every input goes through ``parse_tables`` both ways (``by_columns=False``: RowParser on each row, the
reference; ``by_columns=True``: each column read once over all rows) and the records (values and key order)
and the problems (file, row, column, code, params, severity, order) must be identical. The inputs: the
shipped directory, a SYNTHETIC directory of bench/generate.py, hand-made rows giving every problem code of
the loader, the bad files of the loading tests, spreadsheet-typed cells, and seeded random mutations.
"""

from __future__ import annotations

import random
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from maillage_dash import bulk
from maillage_dash import rows as rowlib
from maillage_dash.config import DEFAULT_DATA_DIR
from maillage_dash.directory import build_directory
from maillage_dash.loading import RawTable, parse_tables, read_file, read_tables, template_files
from maillage_dash.schema import LEGACY_COLUMNS, TEMPLATE_NAMES
from maillage_dash.text import fold, fold_many
from maillage_dash.validation import Problem
from tests.conftest import HEADER, TODAY, row, write_csv
from tests.fuzz.strategies import FUZZ, NASTY


def both(tables: list[RawTable], geography, today: date = TODAY) -> tuple[list[dict], list[Problem]]:
    """The records and problems of ``tables``, after checking that both ways agree exactly."""
    by_rows, problems_by_rows = parse_tables(tables, geography, today, by_columns=False)
    by_columns, problems_by_columns = parse_tables(tables, geography, today, by_columns=True)
    assert len(by_columns) == len(by_rows)
    for reference, columnwise in zip(by_rows, by_columns):
        assert list(columnwise.items()) == list(reference.items()), (reference["fichier"], reference["ligne"])
        for key, value in reference.items():  # same types too (1 == 1.0 == True would hide a difference)
            assert type(columnwise[key]) is type(value), (reference["ligne"], key)
    assert len(problems_by_columns) == len(problems_by_rows)
    for reference, columnwise in zip(problems_by_rows, problems_by_columns):
        assert columnwise == reference
        assert [type(v) for v in columnwise.params.values()] == [type(v) for v in reference.params.values()]
    return by_rows, problems_by_rows


def table(rows: list[dict[str, str]], header: list[str] | None = None, file: str = "test.csv") -> RawTable:
    header = header or HEADER
    return RawTable(file, header, [(i + 2, [r.get(h, "") for h in header]) for i, r in enumerate(rows)])


def codes(problems: list[Problem]) -> set[str]:
    return {p.code for p in problems}


# ------------------------------------------------------------------------------------ real and synthetic


def test_shipped_directory(geography):
    records, problems = both([read_file(p) for p in template_files(DEFAULT_DATA_DIR)], geography, date.today())
    assert len(records) >= 40 and all(r["_ok"] for r in records)


def test_synthetic_directory_of_the_benchmark(geography):
    from bench.generate import rows as synthetic_rows

    rows = synthetic_rows(3000, geography, seed=5)
    records, problems = both([table(rows, file="synthetique.csv")], geography, date.today())
    assert len(records) == 3000
    # a few made-up services give coordinates that fall just outside every region's outline (at sea)
    assert codes(problems) <= {"outside_quebec_plain"}


# ------------------------------------------------------------------------------------- every problem code

EVERY_CODE = [
    row(id="ok-1"),
    row(id="ok-2", nom="", organisme="", types_service=""),  # required_value ×3
    row(id="type", types_service="prevention;massage;PREVENTION;Travail de rue;yoga"),  # unknown_type ×2, repeated code once
    row(id="sector", secteurs="police;astrologie"),
    row(id="age-order", age_min="20", age_max="12"),
    row(id="age-range", age_min="-1", age_max="130"),
    row(id="age-bad", age_min="douze", age_max="12.5"),
    row(id="age-comma", age_min="12,0", age_max=" 1\u00a07 "),
    row(id="regions", regions_desservies="06;18;Laval;13 – Laval;nulle part"),
    row(id="bool", adresse_confidentielle="peut-être"),
    row(id="coord-bad", municipalite="", latitude="quarante-cinq", longitude="-73.5"),
    row(id="coord-pair", municipalite="", latitude="45.5", longitude=""),
    row(id="coord-pair-2", latitude="", longitude="-73.5"),
    row(id="toronto", municipalite="", latitude="43.65", longitude="-79.38"),
    row(id="swapped", municipalite="", latitude="-73.56", longitude="45.50"),
    row(id="atlantic", municipalite="", latitude="44.0", longitude="-60.0"),
    row(id="maine", municipalite="", latitude="45.3", longitude="-69.2"),  # in the box, in no region
    row(id="town-unknown", municipalite="Saint-Hyacynthe"),
    row(id="town-ambiguous", municipalite="Saint-Damase"),
    row(id="town-hint", municipalite="Saint-Damase (16)"),
    row(id="town-hint-mrc", municipalite="Saint-Damase (La Matapédia)"),
    row(id="town-hint-bad", municipalite="Saint-Damase (99)"),
    row(id="town-no-point", municipalite="Mont-Alexandre"),
    row(id="town-no-point-2", municipalite="Mont-Alexandre", latitude="48.5", longitude="-65.5"),
    row(id="no-location", municipalite=""),
    row(id="secret-point", municipalite="", adresse_confidentielle="oui", latitude="46.8", longitude="-71.2"),
    row(id="secret-town", municipalite="Québec", adresse_confidentielle="oui", adresse="1 rue Secrète"),
    row(id="audience", public_cible="ados;filles;LGBTQ"),
    row(id="status", statut="peut-être"),
    row(id="status-blank", statut=""),
    row(id="date-bad", confirme_le="32/13/2024"),
    row(id="date-future", confirme_le="2030-01-01"),
    row(id="date-formats", confirme_le="15/01/2026"),
    row(id="date-formats-2", confirme_le="2026/01/15"),
    row(id="method", confirme_par="rumeur"),
    row(id="source", confirme_source="ftp://example.org"),
    row(id="source-ok", confirme_source="HTTPS://example.org/rapport"),
    row(id="unsourced", confirme_par="rapport_annuel", confirme_source=""),
    row(id="call-unsourced", confirme_par="appel", confirme_source=""),
    row(id="phones", telephones="418 555-0100; ligne: 418 555-0100; aide: 555-0100; aide: 418 555-0100 (toujours)"),
    row(id="phones-ok", telephones="aide: 1 888 555-0123 (24/7, provinciale); accueil: 418 555-0100 (lun-ven 8h30-16h30)"),
    row(id="email", courriel="x@"),
    row(id="email-ok", courriel="info@example.org", site_web=""),
    row(id="url", site_web="javascript:alert(1)"),
    row(id="url-www", site_web="www.example.org"),
    row(id="unreachable", site_web="", telephones="", courriel=""),
    row(id="bad id!"),
    row(id="", nom="Sans identifiant (fictif)"),
    row(id="", nom="Sans identifiant (fictif)", municipalite="Laval"),
    row(id="dup"),
    row(id="dup", nom="Autre (fictif)"),
    row(id="langues", langues="Français;English;Langue des signes québécoise", partenaires="A; B ;;C"),
    row(id="blanks", nom="  Espaces  ", organisme="\tOrganisme\t", types_service=" prevention "),
]


def test_every_problem_code_of_a_row_is_found_both_ways(geography):
    records, problems = both([table(EVERY_CODE)], geography)
    expected = {
        "required_value",
        "unknown_type",
        "unknown_sector",
        "age_order",
        "age_range",
        "bad_age",
        "bad_region",
        "bad_bool",
        "bad_coordinate",
        "coordinate_pair",
        "outside_quebec_plain",
        "outside_quebec_swapped",
        "unknown_municipality",
        "ambiguous_municipality",
        "municipality_no_point",
        "required_location",
        "confidential_needs_municipality",
        "unknown_audience",
        "unknown_status",
        "bad_date",
        "future_date",
        "unknown_method",
        "bad_url",
        "source_needed",
        "phone_no_kind",
        "phone_kind",
        "phone_number",
        "phone_detail",
        "bad_email",
        "active_unreachable",
        "bad_id",
        "duplicate_id",
    }
    assert expected <= codes(problems), expected - codes(problems)
    assert records[0]["_ok"] is not False and [r["_ok"] for r in records].count(True) >= 5


def test_the_comparison_can_fail(geography, monkeypatch):
    """A column-wise check that forgets a problem, or a value read differently, is caught."""
    tables = [table([row(id="a", partenaires="A;B"), row(id="b", courriel="x@")])]
    forgetful = SimpleNamespace(**vars(rowlib))
    forgetful.read_email = lambda email, problem: email  # the bad address neither reported nor dropped
    with monkeypatch.context() as patched:
        patched.setattr(bulk, "rowlib", forgetful)
        with pytest.raises(AssertionError):
            both(tables, geography)
    with monkeypatch.context() as patched:
        patched.setattr(bulk, "split_multi", lambda value: sorted(rowlib.split_multi(value), reverse=True))
        with pytest.raises(AssertionError):
            both(tables, geography)
    both(tables, geography)


# ------------------------------------------------------------------------------ files and table shapes


def test_table_shapes_too_many_cells_short_rows_blank_rows_duplicate_and_unknown_columns(geography):
    header = [*HEADER, "remarque", "Nom"]  # an unknown column (warning) and a second « nom » (error)
    cells = [[row(id="r1").get(h, "") for h in HEADER] + ["note", "doublon"]]
    cells.append([row(id="r2").get(h, "") for h in HEADER] + ["", "", "en trop"])  # text beyond the headers
    cells.append([row(id="r3").get(h, "") for h in HEADER] + ["", "", ""])  # blank cells beyond: fine
    cells.append(["", " ", "\t"])  # blank (short) row: skipped
    cells.append([row(id="r5").get(h, "") for h in HEADER[:10]])  # short row: the missing cells are blank
    cells.append([])
    cells.append([" "] * (len(header) + 4))
    raw = RawTable("formes.csv", header, [(i + 2, c) for i, c in enumerate(cells)])
    records, problems = both([raw], geography)
    assert [r["id"] for r in records] == ["r1", "r3", "r5"]
    assert {"too_many_cells", "duplicate_column", "unknown_column"} <= codes(problems)


def test_older_template_columns(geography):
    old_header = [h for h in HEADER if h not in ("telephones", "statut", "confirme_le", "confirme_par")]
    old_header += list(LEGACY_COLUMNS)
    rows = [
        dict(row(id="o1"), telephone="819 555-0100", derniere_verification="2025-06-01"),
        dict(row(id="o2"), telephone="numéro", derniere_verification="2031-01-01"),
        dict(row(id="o3"), telephone="", derniere_verification="hier"),
    ]
    both([table(rows, header=old_header, file="ancien.csv")], geography)
    # both columns of dates: the older one is read only when the newer gives no date
    header = [*HEADER, "derniere_verification", "telephone"]
    rows = [
        dict(row(id="n1"), confirme_le="", derniere_verification="2025-06-01"),
        dict(row(id="n2"), confirme_le="2030-01-01", derniere_verification="pas une date"),
        dict(row(id="n3"), confirme_le="2025-01-01", derniere_verification="pas une date"),
        dict(row(id="n4"), telephones="", telephone="819 555-0100"),
    ]
    records, problems = both([table(rows, header=header)], geography)
    assert records[0]["confirme_le"] == date(2025, 6, 1)
    # a short row has no « derniere_verification » cell at all (then the older date is not looked at)
    short = RawTable("court.csv", header, [(2, [row(id="s1", confirme_le="x").get(h, "") for h in HEADER])])
    both([short, table(rows, header=header)], geography)


def test_missing_columns_and_unreadable_files(tmp_path, geography):
    write_csv(tmp_path, [row()], header=[h for h in HEADER if h != "types_service"], name="sans-types.csv")
    write_csv(
        tmp_path,
        [row(municipalite="", latitude="45.5", longitude="-73.6")],
        name="points.csv",
        header=[h for h in HEADER if h != "municipalite"],
    )
    (tmp_path / "binaire.csv").write_bytes(b"nom,organisme\x00\x81\x8d\x00")
    (tmp_path / "vide.csv").write_text("  \n", encoding="utf-8")
    (tmp_path / "casse.xlsx").write_bytes(b"PK\x03\x04 pas un classeur")
    write_csv(
        tmp_path,
        [row(id="w1", nom="Hébergement Élan", municipalite="Trois-Rivières")],
        name="excel.csv",
        delimiter=";",
        encoding="cp1252",
    )
    write_csv(
        tmp_path,
        [row(id="b1", municipalite="", latitude="45,5017", longitude="-73,5673")],
        name="bom.csv",
        delimiter=";",
        encoding="utf-8-sig",
    )
    _, problems = both([read_file(p) for p in template_files(tmp_path)], geography)
    assert {"missing_column", "rows_not_read", "file_encoding", "file_empty", "file_xlsx"} <= codes(problems)


def test_spreadsheet_cells_dates_numbers_and_none(tmp_path, geography):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for i, (confirmed, low) in enumerate(
        [(datetime(2025, 3, 1), 12), (datetime(2031, 1, 1), 12.0), ("2025-02-30", 12.5), (None, None)]
    ):
        values = row(id=f"x{i}")
        values.update(confirme_le=confirmed, age_min=low)
        sheet.append([values.get(h, "") for h in HEADER])
    book.save(tmp_path / "modele.xlsx")
    both([read_file(tmp_path / "modele.xlsx")], geography)
    # cells of any type, as another reader may give them (dates, numbers, None, booleans)
    typed = [
        [{"id": "y1", "confirme_le": date(2025, 1, 2), "age_min": 3, "age_max": 7.0}],
        [{"id": "y2", "confirme_le": date(2024, 12, 31), "age_min": 1.5, "adresse_confidentielle": True}],
        [
            {
                "id": "y3",
                "confirme_le": date(2031, 1, 2),
                "age_min": None,
                "latitude": 45.5,
                "longitude": -73.6,
                "municipalite": None,
            }
        ],
        [{"id": "y4", "confirme_le": "2025-01-02", "age_min": "3", "adresse_confidentielle": False}],
        [{"id": "y5", "age_min": 1, "age_max": 1.0, "adresse_confidentielle": 1, "statut": ["actif"], "langues": ("fr",)}],
        [{"id": "y6", "age_min": True, "age_max": "1", "adresse_confidentielle": 1.0, "secteurs": float("nan")}],
    ]
    rows = [dict(row(), **t[0]) for t in typed]
    raw = RawTable("types.xlsx", HEADER, [(i + 2, [r.get(h, "") for h in HEADER]) for i, r in enumerate(rows)])
    both([raw], geography)


# ------------------------------------------------------------------------------------- random mutations

POOL: dict[str, list[str]] = {
    "id": ["", "a", "b", "c", "dup", "x y", "ok-1", "é", "a" * 81],
    "nom": ["", "Service (fictif)", "  Service (fictif) ", "Autre"],
    "organisme": ["", "Organisme (fictif)"],
    "types_service": ["", "prevention", "Travail de rue;hébergement", "massage", "prevention;;PREVENTION", "x;y"],
    "age_min": ["", "0", "12", "12.0", "12,5", "-3", "abc", " 14 ", "121"],
    "age_max": ["", "17", "11", "120", "1e2", "inf", "nan"],
    "public_cible": ["", "filles", "tous_genres;autochtones", "ados"],
    "municipalite": ["", "Montréal", "montreal", "Saint-Damase", "Saint-Damase (16)", "Atlantide", "Mont-Alexandre", "Québec"],
    "latitude": ["", "45.5", "45,5", "-73.5", "abc", "46.81", "44.0", "45.3"],
    "longitude": ["", "-73.6", "-73,6", "45.5", "-60.0", "-71.2", "-69.2", "x"],
    "regions_desservies": ["", "06", "6;13", "18", "Laval", "06|07\n08"],
    "secteurs": ["", "communautaire", "police;dpj", "astrologie"],
    "partenaires": ["", "A;B", " ; "],
    "description": ["", "Texte", "  Texte  "],
    "langues": ["", "fr", "Français;en", "fr;;fr"],
    "adresse": ["", "1 rue (fictive)"],
    "telephones": ["", "aide: 418 555-0100", "418 555-0100", "aide: 418 555-0100 (24/7); ligne: 1", "urgence: 911"],
    "courriel": ["", "info@example.org", "x@", "a b@c.de"],
    "site_web": ["", "https://example.org", "www.example.org", "example.org", "HTTP://EXAMPLE.ORG"],
    "adresse_confidentielle": ["", "oui", "non", "x", "Vrai", " 1 "],
    "statut": ["", "actif", "a_confirmer", "termine", "fermé", "peut-être", "Actif"],
    "confirme_le": ["", "2025-01-15", "15/01/2025", "2030-01-01", "hier", "2025-02-30", " 2025-01-15 "],
    "confirme_par": ["", "appel", "rumeur", "Courriel", "site_organisme", "Un rapport annuel"],
    "confirme_source": ["", "https://example.org", "fichier.pdf"],  # (with site_organisme: missing, or refused once)
    "source": ["", "tests"],
}


@pytest.mark.parametrize("seed", range(6))
def test_random_mutations(geography, seed):
    rng = random.Random(seed)
    header = list(TEMPLATE_NAMES)
    if seed % 2:
        header = [*header, "telephone", "derniere_verification", "region", "inconnue"]
    rng.shuffle(header)
    rows = []
    for _ in range(300):
        cells = row(id=f"r{rng.randrange(200)}")
        for name in rng.sample(list(POOL), k=rng.randrange(1, 8)):
            cells[name] = rng.choice(POOL[name])
        cells["telephone"] = rng.choice(POOL["telephones"])
        cells["derniere_verification"] = rng.choice(POOL["confirme_le"])
        line = [cells.get(h, "") for h in header]
        shape = rng.random()
        if shape < 0.05:
            line = line[: rng.randrange(len(line))]
        elif shape < 0.08:
            line = [*line, rng.choice(["", "x"])]
        elif shape < 0.1:
            line = [""] * len(line)
        rows.append(line)
    raw = RawTable(f"hasard-{seed}.csv", header, [(i + 2, c) for i, c in enumerate(rows)])
    records, problems = both([raw, table([row(id="r1")], file="autre.csv")], geography)
    assert len(problems) > 50 and len(records) > 200


def test_a_single_row_and_an_empty_table(geography):
    both([table([row(id="seul", types_service="massage")])], geography)
    both([table([])], geography)
    both([RawTable("rien.csv", HEADER, [(2, [""] * len(HEADER)), (3, [])])], geography)


def test_the_loader_reads_a_large_table_by_columns(geography, monkeypatch, tmp_path: Path):
    """parse_tables takes the column-wise way for a table of several rows, the row parser for one row."""
    calls = []
    real = bulk.parse_rows
    monkeypatch.setattr(bulk, "parse_rows", lambda *a: calls.append(len(a[2])) or real(*a))
    parse_tables([table([row(id="a"), row(id="b")]), table([row(id="c")])], geography, TODAY)
    assert calls == [2]


# ------------------------------------------------------------------------- the search text, folded by parts


@FUZZ
@given(parts=st.lists(st.one_of(st.text(), st.sampled_from(NASTY)), max_size=6))
def test_folding_the_parts_is_folding_the_whole(parts):
    """build_directory folds each part of the search text apart (each distinct value once) and joins them."""
    assert " ".join(filter(None, fold_many(parts))) == fold(" ".join(parts))


def test_search_text_of_a_directory(geography):
    rows = [row(id="s1", nom="  L’Étape—Jeunesse  ", organisme="", partenaires="CISSS; Ville (fictif)")]
    rows += [row(id="s2", nom="-", description="Œuvre (fictive)\u00a0et\u2003soutien", description_en="")]
    records, _ = parse_tables([table(rows)], geography, TODAY)
    services = build_directory(records, geography).services
    for record in records:
        parts = [record[c] for c in ("nom", "organisme", "municipalite", "description", "description_en")]
        whole = fold(" ".join([*parts, " ".join(record["partenaires"])]))
        assert services.loc[record["id"], "_search"] == whole
        assert services.loc[record["id"], "_sort_nom"] == fold(record["nom"])


def test_the_directory_built_from_columns_is_the_one_built_from_records(geography):
    """load_directory hands build_directory the records as columns (read_tables): the same frame."""
    from bench.generate import rows as synthetic_rows

    tables = [table(synthetic_rows(500, geography, seed=9), file="synthetique.csv"), table(EVERY_CODE[:3], file="b.csv")]
    records, _ = parse_tables(tables, geography, TODAY)
    columns, _ = read_tables(tables, geography, TODAY)
    assert list(columns) == list(records[0]) and len(columns["id"]) == len(records)
    from_records = build_directory(records, geography).services
    from_columns = build_directory(columns, geography).services
    pd.testing.assert_frame_equal(from_columns, from_records)
    empty, _ = read_tables([table([])], geography, TODAY)
    pd.testing.assert_frame_equal(build_directory(empty, geography).services, build_directory([], geography).services)


def test_the_snapshot_key_covers_the_column_wise_validation():
    """A change to bulk.py changes what a cold start builds: a snapshot of the old code must not be reused."""
    from maillage_dash import snapshot

    assert "bulk.py" in snapshot.CODE and (Path(bulk.__file__).parent / "bulk.py").is_file()
