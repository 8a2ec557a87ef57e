"""Loading and validation of template files: every bad input named with file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from maillage_dash.errors import DataValidationError
from maillage_dash.loading import check_directory, load_directory
from maillage_dash.validation import errors_of, report
from tests.conftest import HEADER, TODAY, row, write_csv


def problems_for(tmp_path: Path, geography, rows, **kw):
    write_csv(tmp_path, rows, **kw)
    _, problems, _ = check_directory(tmp_path, geography, today=TODAY)
    return errors_of(problems)


def only(problems, code):
    found = [p for p in problems if p.code == code]
    assert found, f"expected a {code} problem, got {[p.code for p in problems]}"
    return found[0]


def test_shipped_directory_is_valid_and_holds_the_seed_initiatives(shipped):
    names = " ".join(shipped.services["nom"]) + " " + " ".join(shipped.services["organisme"])
    for expected in (
        "SQUAT Basse-Ville",
        "Mamamia",
        "Piaule",
        "Alliance",
        "2159",
        "PIPQ",
        "Satellite",
        "Justice Alternative du Suroît",
        "Y des femmes",
        "Action jeunesse de l'Ouest-de-l'Île",
    ):
        assert expected.lower() in names.lower(), expected
    assert len(shipped) >= 40
    assert set(shipped.services["region"]) <= {f"{i:02d}" for i in range(1, 18)}
    assert (shipped.services["source"].str.len() > 0).all()


def test_shipped_shelters_have_no_exact_address(shipped):
    shelters = shipped.services[shipped.services["types"].map(lambda v: "hebergement" in v)]
    assert len(shelters) > 0
    assert shelters["confidentiel"].all()
    assert (shelters["adresse"] == "").all()


def test_valid_rows_load(small):
    assert sorted(small.services.index) == ["a", "b", "c", "d", "e", "f"]
    assert small.services.loc["a", "region"] == "16"
    assert small.services.loc["f", "region"] == "06"
    assert small.services.loc["c", "regions_desservies"] == ("13", "15")


def test_confidential_address_never_kept_and_shown_at_municipality(small, geography):
    rec = small.services.loc["b"]
    assert rec["adresse"] == ""
    quebec = geography.gazetteer.candidates("Québec")[0]
    assert (rec["lat"], rec["lon"]) == (quebec.lat, quebec.lon)
    assert "123 rue" not in small.services.drop(columns="geometry").astype(str).to_csv()


@pytest.mark.parametrize(
    "value", ["Travail de rue", "TRAVAIL_DE_RUE", "travail de rue", "Travail De Rue ", "hébergement;PREVENTION"]
)
def test_types_accepted_by_code_or_label_any_case_and_accents(tmp_path, geography, value):
    assert problems_for(tmp_path, geography, [row(types_service=value)]) == []


@pytest.mark.parametrize(
    "name,region",
    [
        ("st-hyacinthe", "16"),
        ("LEVIS", "12"),
        ("Trois Rivieres", "04"),
        ("ste-anne-des-plaines", "15"),
        ("Salaberry de Valleyfield", "16"),
    ],
)
def test_municipality_resolved_whatever_accents_case_hyphens(tmp_path, geography, name, region):
    write_csv(tmp_path, [row(municipalite=name)])
    directory = load_directory(tmp_path, geography, today=TODAY)
    assert directory.services.iloc[0]["region"] == region


def test_unknown_service_type(tmp_path, geography):
    p = only(problems_for(tmp_path, geography, [row(), row(id="t2", types_service="prevention;massage")]), "unknown_type")
    assert (p.file, p.row, p.column) == ("test.csv", 3, "types_service")
    assert "massage" in p.message("fr") and "travail_de_rue" in p.message("fr")


def test_age_min_above_age_max(tmp_path, geography):
    p = only(problems_for(tmp_path, geography, [row(age_min="20", age_max="12")]), "age_order")
    assert (p.row, p.column) == (2, "age_min")
    assert p.message("fr") == "l'âge minimum (20) dépasse l'âge maximum (12)."


@pytest.mark.parametrize("value,code", [("130", "age_range"), ("-1", "age_range"), ("douze", "bad_age"), ("12.5", "bad_age")])
def test_ages_outside_bounds_or_unreadable(tmp_path, geography, value, code):
    p = only(problems_for(tmp_path, geography, [row(age_max=value)]), code)
    assert p.column == "age_max"


def test_point_outside_quebec(tmp_path, geography):
    # Toronto, and a point in the Atlantic off Nova Scotia: both outside Québec.
    errs = problems_for(
        tmp_path,
        geography,
        [
            row(municipalite="", latitude="43.65", longitude="-79.38"),
            row(id="t2", municipalite="", latitude="44.0", longitude="-60.0"),
        ],
    )
    assert [p.row for p in errs if p.code.startswith("outside_quebec")] == [2, 3]


def test_swapped_coordinates_are_explained(tmp_path, geography):
    p = only(
        problems_for(tmp_path, geography, [row(municipalite="", latitude="-73.56", longitude="45.50")]), "outside_quebec_swapped"
    )
    assert "inversées" in p.message("fr") and "swapped" in p.message("en")


def test_unknown_municipality_suggests_close_names(tmp_path, geography):
    p = only(problems_for(tmp_path, geography, [row(municipalite="Saint-Hyacynthe")]), "unknown_municipality")
    assert "Saint-Hyacinthe" in p.message("fr")
    assert (p.row, p.column) == (2, "municipalite")


def test_ambiguous_municipality_and_region_hint(tmp_path, geography):
    p = only(problems_for(tmp_path, geography, [row(municipalite="Saint-Damase")]), "ambiguous_municipality")
    assert "(16" in p.message("fr")
    assert problems_for(tmp_path, geography, [row(municipalite="Saint-Damase (16)")]) == []


def test_region_code_not_in_01_17(tmp_path, geography):
    p = only(problems_for(tmp_path, geography, [row(regions_desservies="06;18")]), "bad_region")
    assert "18" in p.message("fr") and p.column == "regions_desservies"


def test_duplicate_id_names_the_first_occurrence(tmp_path, geography):
    p = only(problems_for(tmp_path, geography, [row(id="x"), row(id="y"), row(id="x", nom="Autre")]), "duplicate_id")
    assert p.row == 4 and "ligne 2" in p.message("fr")


def test_missing_required_column(tmp_path, geography):
    header = [h for h in HEADER if h != "types_service"]
    errs = problems_for(tmp_path, geography, [row()], header=header)
    p = only(errs, "missing_column")
    assert (p.row, p.column) == (1, "types_service")
    assert only(errs, "rows_not_read").params["count"] == 1


def test_undecodable_file(tmp_path, geography):
    (tmp_path / "binaire.csv").write_bytes(b"nom,organisme\x00\x81\x8d\x00")
    _, problems, _ = check_directory(tmp_path, geography, today=TODAY)
    p = only(problems, "file_encoding")
    assert p.file == "binaire.csv" and p.row is None


def test_windows_1252_semicolon_file_as_french_excel_saves_it(tmp_path, geography):
    write_csv(
        tmp_path,
        [row(nom="Hébergement Élan", municipalite="Trois-Rivières", latitude="", description="Jeunes filles, « fugue »")],
        delimiter=";",
        encoding="cp1252",
    )
    raw = (tmp_path / "test.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    directory = load_directory(tmp_path, geography, today=TODAY)
    rec = directory.services.iloc[0]
    assert rec["nom"] == "Hébergement Élan" and rec["municipalite"] == "Trois-Rivières"
    assert rec["description"] == "Jeunes filles, « fugue »" and rec["region"] == "04"


def test_utf8_bom_and_decimal_comma(tmp_path, geography):
    write_csv(tmp_path, [row(municipalite="", latitude="45,5017", longitude="-73,5673")], delimiter=";", encoding="utf-8-sig")
    rec = load_directory(tmp_path, geography, today=TODAY).services.iloc[0]
    assert rec["lat"] == pytest.approx(45.5017) and rec["region"] == "06"


def test_xlsx_template_is_read(tmp_path, geography):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    values = row(age_min="12", age_max="17")
    sheet.append([int(values[h]) if h in ("age_min", "age_max") else values.get(h, "") for h in HEADER])
    book.save(tmp_path / "modele.xlsx")
    rec = load_directory(tmp_path, geography, today=TODAY).services.iloc[0]
    assert (rec["age_min"], rec["age_max"], rec["region"]) == (12, 17, "16")


def test_all_problems_reported_at_once_and_raised_together(tmp_path, geography):
    write_csv(tmp_path, [row(types_service="x"), row(id="t2", age_min="99", age_max="3"), row(id="t3", municipalite="Atlantide")])
    with pytest.raises(DataValidationError) as info:
        load_directory(tmp_path, geography, today=TODAY)
    assert {p.row for p in info.value.problems} == {2, 3, 4}
    text = report(info.value.problems, "fr")
    assert "3 erreurs, 0 avertissement." in text and "test.csv, ligne 4" in text


def test_unknown_column_is_a_warning_not_silent(tmp_path, geography):
    write_csv(tmp_path, [dict(row(), remarque="x")], header=HEADER + ["remarque"])
    _, problems, _ = check_directory(tmp_path, geography, today=TODAY)
    assert [(p.code, p.severity, p.column) for p in problems] == [("unknown_column", "warning", "remarque")]


def test_future_verification_date_and_bad_url(tmp_path, geography):
    errs = problems_for(
        tmp_path, geography, [row(confirme_le="2030-01-01", site_web="javascript:alert(1)", statut="a_confirmer")]
    )
    assert {(p.code, p.column) for p in errs} == {("future_date", "confirme_le"), ("bad_url", "site_web")}
