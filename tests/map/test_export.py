"""Exports hold exactly the filtered rows, neutralise formulas and keep numbers as numbers."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from openpyxl import load_workbook

from maillage_dash import export, filters, schema
from maillage_dash.filters import FilterState
from maillage_dash.loading import load_directory
from tests.conftest import TODAY

NOW = datetime(2026, 11, 23, 10, 30)


def parse_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so that Excel reads the accents"
    text = data.decode("utf-8-sig")
    delimiter = ";" if text.split("\r\n", 1)[0].count(";") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def by_name(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    """Data rows by id, each cell under its template name (the headers are the words people read)."""
    names = [schema.canonical_header(h) for h in rows[0]]
    return {r[0]: dict(zip(names, r)) for r in rows[1:]}


def test_csv_rows_equal_filtered_rows(small):
    state, _ = FilterState.build(regions=["06", "16"])
    frame = filters.apply(small, state)
    rows = parse_csv(export.export_bytes(frame, "csv", "fr", state, NOW))
    assert rows[0][:5] == ["Identifiant", "Nom du service ou de l'initiative", "Organisme", "Types de service", "Âge minimum"]
    assert [r[0] for r in rows[1:]] == list(frame.index) == ["a", "c", "f"]


def test_csv_neutralises_formulas_but_keeps_numbers(small):
    frame = filters.apply(small, FilterState())
    rows = parse_csv(export.export_bytes(frame, "csv", "fr", FilterState(), NOW))
    by_id = by_name(rows)
    assert by_id["e"]["nom"] == "Epsilon =SUM(A1)"  # "=" inside the text: not a formula, kept as typed
    assert by_id["e"]["telephones"] == "accueil: 1 819 555-0000"  # written back in the template's form
    assert by_id["e"]["statut"] == "Actif" and by_id["e"]["confirme_le"] == "2026-01-15"  # words, as types are
    assert by_id["e"]["confirme_par"] == "le site de l'organisme"
    assert by_id["f"]["longitude"] == "-73,5673"  # a number, decimal comma in French, no quote prefix
    en = parse_csv(export.export_bytes(frame, "csv", "en", FilterState(), NOW))
    by_id_en = by_name(en)
    assert by_id_en["f"]["longitude"] == "-73.5673"
    assert en[0][:5] == ["Identifier", "Name of the service or initiative", "Organisation", "Service types", "Minimum age"]
    assert by_id_en["a"]["types_service"] == "Street outreach"
    # A point the map shows at its municipality (not given, or a confidential address) stays blank, as typed.
    assert by_id["a"]["latitude"] == by_id["b"]["longitude"] == "" and by_id["b"]["adresse"] == ""


def test_neutralize_rule():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert export.neutralize(start + "x") == "'" + start + "x"
    assert export.neutralize("Montréal") == "Montréal"


def test_xlsx_has_filters_sheet_and_numeric_cells(small):
    state, _ = FilterState.build(age="12-17")
    frame = filters.apply(small, state)
    book = load_workbook(io.BytesIO(export.export_bytes(frame, "xlsx", "fr", state, NOW)))
    services, info = book.worksheets
    assert services.title == "Services" and info.title == "Filtres"
    values = list(services.iter_rows(values_only=True))
    assert [v[0] for v in values[1:]] == list(frame.index)
    header = values[0]
    assert header[:5] == ("Identifiant", "Nom du service ou de l'initiative", "Organisme", "Types de service", "Âge minimum")
    own_point = next(v for v in values[1:] if v[0] == "f")  # the one service given its own point
    lon = own_point[header.index("Longitude")]
    assert isinstance(lon, float) and lon < 0
    age_min = values[1][header.index("Âge minimum")]
    assert age_min is None or isinstance(age_min, int)
    for r in values[1:]:
        for v in r:
            assert not (isinstance(v, str) and v.startswith(("=", "+", "-", "@")))
    info_rows = {r[0]: r[1] for r in info.iter_rows(values_only=True)}
    assert info_rows["Date de l'extraction"] == "23 novembre 2026"
    assert info_rows["Âge"] == "12 à 17 ans"
    assert info_rows["Nombre de services"] == len(frame)


def test_geojson_points_and_properties(small):
    frame = filters.apply(small, FilterState())
    data = json.loads(export.export_bytes(frame, "geojson", "en", FilterState(), NOW))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == len(frame)
    f = next(x for x in data["features"] if x["properties"]["id"] == "f")
    assert f["geometry"]["coordinates"] == [-73.5673, 45.5017]
    b = next(x for x in data["features"] if x["properties"]["id"] == "b")
    assert b["properties"]["address"] == "" and b["properties"]["confidential_address"] == "yes"


def test_french_csv_export_reimports_unchanged(small, tmp_path, geography):
    frame = filters.apply(small, FilterState())
    folder = tmp_path / "reimport"
    folder.mkdir()
    (folder / "export.csv").write_bytes(export.export_bytes(frame, "csv", "fr", FilterState(), NOW))
    again = load_directory(folder, geography, today=TODAY)
    cols = ["nom", "organisme", "types", "region", "regions_desservies", "secteurs", "confidentiel"]
    assert again.services[cols].sort_index().to_dict("index") == small.services[cols].sort_index().to_dict("index")


# The columns a service is: what an exported file must give back when it is loaded again.
ENTRY_COLUMNS = (
    "nom", "organisme", "types", "age_min", "age_max", "public_cible", "municipalite", "region", "regions_desservies",
    "secteurs", "partenaires", "description", "description_en", "langues", "adresse", "telephones", "courriel", "site_web",
    "confidentiel", "statut", "confirme_le", "confirme_par", "confirme_source", "source", "note_verification",
    "lat", "lon", "point_exact",
)  # fmt: skip


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_with_readable_headers_loads_back_as_the_same_entries(shipped, geography, tmp_path, lang, fmt):
    """Every shipped service, exported with the headers people read (labels in cells too), reads back unchanged."""
    data = export.export_bytes(shipped.services, fmt, lang, FilterState(), NOW)
    (tmp_path / f"export.{fmt}").write_bytes(data)
    again = load_directory(tmp_path, geography)
    assert again.warnings == []  # every readable header was recognised, the derived region column too
    before = shipped.services[list(ENTRY_COLUMNS)].sort_index().astype(str)
    after = again.services[list(ENTRY_COLUMNS)].sort_index().astype(str)
    assert after.to_dict("index") == before.to_dict("index")


def test_ambiguous_municipality_is_written_with_its_region(shipped):
    """« Saint-Lambert » names towns in two regions: the file says which, so the loader can read it back."""
    rows = by_name(parse_csv(export.export_bytes(shipped.services, "csv", "fr", FilterState(), NOW)))
    assert rows["la-traversee-civis"]["municipalite"] == "Saint-Lambert (16)"
    assert rows["la-traversee-civis"]["region"] == "16 – Montérégie"
