"""The fields that tell a worker whether to trust a row: ages, who is served, status, confirmation,
phones. Synthetic rows (tests/conftest.py `row`), made up for tests."""

from __future__ import annotations

from datetime import date

import pytest

from maillage_dash import filters, phones
from maillage_dash.filters import FilterState
from maillage_dash.labels import ages_text, audience_text, confirmation_text, is_stale
from maillage_dash.loading import check_directory, load_directory
from tests.conftest import HEADER, TODAY, row, write_csv


def load(tmp_path, geography, rows, **kw):
    write_csv(tmp_path, rows, **kw)
    return load_directory(tmp_path, geography, today=TODAY)


def problems(tmp_path, geography, rows, **kw):
    write_csv(tmp_path, rows, **kw)
    _, found, _ = check_directory(tmp_path, geography, today=TODAY)
    return [(p.code, p.column, p.severity) for p in found]


# ------------------------------------------------------------------------------------------ ages


@pytest.mark.parametrize(
    "low, high, fr, en",
    [
        ("", "", "âge non précisé", "age not stated"),
        ("0", "", "tous âges", "all ages"),
        ("14", "", "14 ans et plus", "14 and over"),
        ("12", "17", "12 à 17 ans", "12 to 17"),
    ],
)
def test_ages_are_written_as_stated_never_all_ages_when_unknown(low, high, fr, en):
    to_num = lambda v: float(v) if v else float("nan")  # noqa: E731
    assert fr in ages_text(to_num(low), to_num(high), "fr")
    assert en in ages_text(to_num(low), to_num(high), "en")


def test_an_adult_residence_is_not_found_for_a_15_year_old(tmp_path, geography):
    directory = load(
        tmp_path,
        geography,
        [
            row(id="adult", types_service="hebergement", age_min="18", age_max="", public_cible="filles_femmes"),
            row(id="youth", types_service="hebergement", age_min="12", age_max="17", public_cible="tous_genres"),
            row(id="unknown", types_service="hebergement", age_min="", age_max="", public_cible=""),
        ],
    )
    state = FilterState(age=(15, 15), types=("hebergement",), audience=("filles_femmes",))
    assert list(filters.apply(directory, state).index) == ["youth"]  # open to all genders: serves girls
    assert list(filters.apply_apart(directory, state).index) == ["unknown"]


def test_audience_filter_and_its_url(tmp_path, geography):
    directory = load(
        tmp_path,
        geography,
        [
            row(id="girls", public_cible="filles_femmes"),
            row(id="boys", public_cible="garcons_hommes"),
            row(id="all", public_cible="tous_genres;autochtones"),
        ],
    )
    state, rejected = FilterState.build(audience=["garcons_hommes"])
    assert rejected == [] and sorted(filters.apply(directory, state).index) == ["all", "boys"]
    state, _, rejected = filters.from_query("?lang=fr&public=autochtones&public=inconnu")
    assert rejected == ["inconnu"] and list(filters.apply(directory, state).index) == ["all"]
    assert filters.to_query(state, "fr") == "?lang=fr&public=autochtones"


# ---------------------------------------------------------------------------------------- status


def test_ended_services_stay_in_the_data_but_are_off_by_default(tmp_path, geography):
    directory = load(tmp_path, geography, [row(id="on"), row(id="off", statut="termine"), row(id="maybe", statut="à confirmer")])
    assert len(directory) == 3
    assert sorted(filters.apply(directory, FilterState()).index) == ["maybe", "on"]
    assert sorted(filters.apply(directory, FilterState(ended=True)).index) == ["maybe", "off", "on"]
    assert directory.by_id("maybe")["statut"] == "a_confirmer"


def test_an_active_entry_needs_a_way_to_reach_it(tmp_path, geography):
    found = problems(tmp_path, geography, [row(site_web="", telephones="", courriel="")])
    assert ("active_unreachable", "statut", "error") in found
    assert problems(tmp_path, geography, [row(site_web="", courriel="info@example.org")]) == []
    assert problems(tmp_path, geography, [row(site_web="", statut="a_confirmer")]) == []


def test_unknown_values_are_clear_errors_with_their_column(tmp_path, geography):
    found = problems(
        tmp_path,
        geography,
        [row(statut="peut-être", public_cible="ados", confirme_par="rumeur", telephones="urgent: 418 555-0100", courriel="x@")],
    )
    assert {(code, column) for code, column, _ in found} == {
        ("unknown_status", "statut"),
        ("unknown_audience", "public_cible"),
        ("unknown_method", "confirme_par"),
        ("phone_kind", "telephones"),
        ("bad_email", "courriel"),
    }


# -------------------------------------------------------------------------------- older templates


def test_an_older_template_still_loads_and_says_what_was_assumed(tmp_path, geography):
    old_header = [h for h in HEADER if h not in ("telephones", "statut", "confirme_le", "confirme_par")] + [
        "telephone",
        "derniere_verification",
    ]
    old = dict(row(), telephone="819 555-0100", derniere_verification="2025-06-01")
    found = problems(tmp_path, geography, [old], header=old_header)
    assert sorted(found) == [
        ("legacy_phone", "telephone", "warning"),
        ("legacy_status", "statut", "warning"),
        ("legacy_verified", "derniere_verification", "warning"),
    ]
    rec = load_directory(tmp_path, geography, today=TODAY).services.iloc[0]
    assert rec["statut"] == "a_confirmer" and rec["confirme_le"] == date(2025, 6, 1) and rec["confirme_par"] == ""
    assert [(p.kind, p.display) for p in rec["telephones"]] == [("accueil", "819 555-0100")]


# ----------------------------------------------------------------------------------------- phones


def test_phones_keep_their_kind_hours_and_scope_and_the_help_line_comes_first():
    lines, found = phones.parse_phones(
        "denonciation: 418 555-0199 (24/7); accueil: 418 555-0100 (lun-ven 8h30-16h30); aide: 1 888 555-0123 (24/7, provinciale)"
    )
    assert found == []
    assert [p.kind for p in lines] == ["aide", "accueil", "denonciation"]
    help_line = lines[0]
    assert (help_line.display, help_line.href, help_line.always_open, help_line.provincial) == (
        "1 888 555-0123",
        "tel:+18885550123",
        True,
        True,
    )
    assert lines[1].details("fr") == ["lun–ven 8 h 30–16 h 30"] and lines[1].details("en") == ["Mon–Fri 8:30–16:30"]
    assert "pas une ligne d'aide" in lines[2].label("fr") and "not a help line" in lines[2].label("en")
    assert [p.kind for p in phones.help_lines(lines)] == ["aide", "accueil"]
    again, _ = phones.parse_phones(phones.to_text(lines))
    assert again == lines  # exports write what imports read


@pytest.mark.parametrize(
    "cell, code",
    [
        ("418 555-0100", "phone_no_kind"),
        ("ligne: 418 555-0100", "phone_kind"),
        ("aide: 555-0100", "phone_number"),
        ("aide: 418 555-0100 (toujours)", "phone_detail"),
        ("aide: 418 555-0100 (ven-lun 9h-17h)", "phone_detail"),
    ],
)
def test_unreadable_phones_are_reported_not_dropped(cell, code):
    lines, found = phones.parse_phones(cell)
    assert lines == () and [c for c, _ in found] == [code]


def test_a_part_of_the_day_is_kept_when_the_source_gives_no_hours():
    """A DPJ's daytime and evening numbers (the source says « le jour », « le soir », no hours) stay apart."""
    lines, found = phones.parse_phones("signalement_dpj: 1 800 555-0101 (jour); signalement_dpj: 1 800 555-0102 (le soir, 24/7)")
    assert found == []
    assert [p.periods for p in lines] == [("jour",), ("soir",)]
    assert lines[0].details("fr") == ["le jour"] and lines[1].details("en") == ["24/7", "evenings"]
    again, _ = phones.parse_phones(phones.to_text(lines))
    assert again == lines and "(jour)" in phones.to_text(lines)


def test_text_and_short_numbers():
    lines, found = phones.parse_phones("aide: 514 555-0100 (texto); urgence: 911; accueil: 418 555-0100 poste 12")
    assert found == []
    assert [p.href for p in lines] == ["sms:+15145550100", "tel:+14185550100;ext=12", "tel:911"]


# ------------------------------------------------------------------------------------- confirmation


def test_confirmation_says_when_and_how_and_flags_old_or_missing_ones():
    assert confirmation_text(date(2026, 3, 4), "article_presse", "fr") == "Confirmé le 4 mars 2026 par un article de presse"
    assert confirmation_text(date(2026, 3, 4), "article_presse", "en") == "Confirmed on March 4, 2026 by a press article"
    assert confirmation_text(None, "", "fr") == "Aucune confirmation datée"
    today = date(2026, 11, 23)
    assert not is_stale(date(2026, 1, 1), today) and is_stale(date(2025, 11, 1), today) and is_stale(None, today)
    assert audience_text((), "fr") == "public non précisé"


def test_a_confirmation_read_in_a_document_gives_its_address(tmp_path, geography):
    """A site, report, article, government source or network list is a document: its address is asked
    for (file, row, column); a call or an email has none; a refused address is said once, not also as missing."""
    rows = [
        row(id="site", confirme_par="site_organisme", confirme_source=""),
        row(id="call", confirme_par="appel", confirme_source=""),
        row(id="mail", confirme_par="courriel", confirme_source=""),
        row(id="bad", confirme_par="article_presse", confirme_source="journal.pdf"),
        row(id="ok", confirme_par="rapport_annuel", confirme_source="https://source-fictive.qc.ca/rapport.pdf"),
    ]
    write_csv(tmp_path, rows)
    _records, problems, _files = check_directory(tmp_path, geography, TODAY)
    found = [(p.row, p.column, p.code) for p in problems]
    assert (2, "confirme_source", "source_needed") in found
    assert not any(r in (3, 4, 6) and code == "source_needed" for r, _c, code in found)
    assert [code for r, _c, code in found if r == 5] == ["bad_url"]
    message = next(p for p in problems if p.code == "source_needed")
    # Rows saved before the rule keep loading (listed as warnings); a person saving now is refused (store.entries).
    assert message.severity == "warning"
    assert "adresse de la source manquante" in message.render("fr") and "source address missing" in message.render("en")


def test_phones_one_per_line_as_the_forms_say(tmp_path, geography):
    """The forms say « une ligne par numéro »: a line break separates numbers as « ; » does, in a form and in
    a spreadsheet cell of several lines; a parenthesis left open ends with its line."""
    two = phones.parse_phones("aide: 514 555-1234 (24/7)\r\naccueil: 418 555-0000 (lun-ven 8h30-16h30)")
    assert [p.kind for p in two[0]] == ["aide", "accueil"] and two[1] == []
    assert phones.parse_phones("aide: 514 555-1234\n\n;accueil: 418 555-0000")[0][1].digits == "4185550000"
    opened = phones.parse_phones("aide: 514 555-1234 (24/7\naccueil: 418 555-0000")
    assert [p.kind for p in opened[0]] == ["accueil"] and opened[1][0][0] == "phone_number"
    write_csv(tmp_path, [row(id="lines", telephones="aide: 1 888 555-0199 (24/7)\naccueil: 418 555-0100")])
    records, problems, _files = check_directory(tmp_path, geography, TODAY)
    assert [p.kind for p in records[0]["telephones"]] == ["aide", "accueil"] and errors_of_phone(problems) == []


def errors_of_phone(problems):
    return [p for p in problems if p.column == "telephones"]


@pytest.mark.parametrize(("lang", "age_header"), [("fr", "Âge minimum"), ("en", "Minimum age")])
def test_a_problem_names_the_column_as_the_file_writes_it(tmp_path, geography, lang, age_header):
    """A file with the headers people read (as exported) is told about « Âge minimum », not "age_min"."""
    import csv

    from maillage_dash.i18n import t

    cells = row(id="x", age_min="douze")
    headers = [t(f"field.{name}", lang) if name == "age_min" else name for name in cells]
    with open(tmp_path / "lisible.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerow(list(cells.values()))
    _records, problems, _files = check_directory(tmp_path, geography, TODAY)
    assert [(p.row, p.column, p.code) for p in problems if p.code == "bad_age"] == [(2, age_header, "bad_age")]


def test_accepted_values_are_listed_in_the_readers_words(tmp_path, geography):
    """An unknown status or phone kind lists what is accepted in the reader's language, each with its code
    (a file may use either), not the French codes alone."""
    write_csv(tmp_path, [row(id="x", statut="peut-être", telephones="ligne: 418 555-0100")])
    _records, problems, _files = check_directory(tmp_path, geography, TODAY)
    said = {p.code: (p.render("fr"), p.render("en")) for p in problems}
    assert (
        "To be confirmed (a_confirmer)" in said["unknown_status"][1] and "À confirmer (a_confirmer)" in said["unknown_status"][0]
    )
    assert "Help and crisis line (aide)" in said["phone_kind"][1]


def test_an_unknown_town_with_no_close_name_says_so_plainly(tmp_path, geography):
    write_csv(tmp_path, [row(id="x", municipalite="Zzyzxqwv"), row(id="y", municipalite="Gatinau")])
    _records, problems, _files = check_directory(tmp_path, geography, TODAY)
    said = [p.render("fr") for p in problems if p.code == "unknown_municipality"]
    assert any("aucun nom proche" in s and "Zzyzxqwv" in s for s in said)
    assert any("Noms proches : Gatineau" in s for s in said) and not any("Noms proches : —" in s for s in said)
