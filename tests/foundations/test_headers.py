"""Template headers as people write them: the template's names, the English aliases, and the readable
labels of an export in French and English (any case, accents, spaces) all name the same column."""

from __future__ import annotations

import pytest

from maillage_dash import schema
from maillage_dash.exchange import reading
from maillage_dash.loading import check_directory, parse_tables
from maillage_dash.validation import errors_of
from tests.conftest import TODAY, row, write_csv


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("age_min", "age_min"),
        ("Âge minimum", "age_min"),
        ("  AGE  MINIMUM ", "age_min"),
        ("Minimum age", "age_min"),
        ("minimum-age", "age_min"),
        ("Nom du service ou de l’initiative", "nom"),  # typographic apostrophe, as Excel autocorrects
        ("NAME OF THE SERVICE OR INITIATIVE", "nom"),
        ("Types de service", "types_service"),
        ("service types", "types_service"),
        ("L'adresse est confidentielle (hébergement, maison d'hébergement)", "adresse_confidentielle"),
        ("Confirmé le", "confirme_le"),
        ("confirmed on", "confirme_le"),
        ("Région", "region"),
    ],
)
def test_readable_headers_name_their_column(header, name):
    assert schema.canonical_header(header) == name


def test_every_column_has_a_readable_label_in_both_languages_and_it_reads_back():
    for name in (*schema.TEMPLATE_NAMES, *schema.DERIVED_COLUMNS):
        fr, en = schema.column_label(name, "fr"), schema.column_label(name, "en")
        assert fr != f"field.{name}" and en != f"field.{name}", name  # a label, not the key
        assert schema.canonical_header(fr) == schema.canonical_header(en) == name


def test_readable_headers_load(tmp_path, geography):
    header = [schema.column_label(name, "fr") for name in schema.TEMPLATE_NAMES]
    cells = row(id="lisible", types_service="Travail de rue; Hébergement", secteurs="Scolaire")
    write_csv(tmp_path, [{label: cells.get(name, "") for label, name in zip(header, schema.TEMPLATE_NAMES)}], header=header)
    records, problems, _ = check_directory(tmp_path, geography, today=TODAY)
    assert problems == []
    assert records[0]["id"] == "lisible" and records[0]["types"] == ("travail_de_rue", "hebergement")


def test_unknown_header_names_the_file_and_the_column(tmp_path, geography):
    header = [schema.column_label(name, "fr") for name in schema.TEMPLATE_NAMES]
    header[header.index("Âge minimum")] = "Âge minimun"  # a typo
    header[header.index("Organisme")] = "Organisme porteur"
    raw = ";".join(header).encode("utf-8-sig")
    source = reading.read_bytes(raw + b"\r\n" + ";".join(["x"] * len(header)).encode(), "import-coordo.csv")
    _, problems = parse_tables(source.tables, geography, TODAY)
    fr = [p.render("fr") for p in problems]
    en = [p.render("en") for p in problems]
    assert "import-coordo.csv, ligne 1, colonne « Âge minimun » : colonne inconnue, ignorée" in "\n".join(fr)
    assert 'import-coordo.csv, row 1, column "Organisme porteur": unknown column, ignored' in "\n".join(en)
    # A required column that is not recognised is an error, and no row is read as something it is not.
    assert [(p.code, p.column) for p in errors_of(problems)][:1] == [("missing_column", "organisme")]
