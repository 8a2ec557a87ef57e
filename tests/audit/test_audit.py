"""The coordinators' audit: each risk found on synthetic rows (made up for tests), the command's
report and exit code, and the page."""

from __future__ import annotations

import json
from datetime import date

from maillage_dash.audit import model
from maillage_dash.cli import main
from maillage_dash.loading import load_directory
from maillage_dash.site.router import Router
from tests.conftest import TODAY, row, write_csv

LATER = date(2027, 6, 1)  # fixed: never today's date


def risks(tmp_path, geography, rows, today=TODAY):
    write_csv(tmp_path, rows)
    directory = load_directory(tmp_path, geography, today=TODAY)
    return {(f.service_id, f.risk) for f in model.audit(directory, today)}


def test_each_risk_is_found_on_the_row_that_has_it(tmp_path, geography):
    found = risks(
        tmp_path,
        geography,
        [
            row(
                id="ok",
                telephones="aide: 514 555-0100",
                public_cible="filles_femmes",
                source="https://a.organisme-fictif.ca;https://b.journal-fictif.ca",
            ),
            row(id="staging", source="https://site.staging.example.net/page", age_min="", age_max=""),
            row(id="shared1", organisme="Org A (fictif)", telephones="aide: 418 555-0111"),
            row(id="shared2", organisme="Org B (fictif)", telephones="accueil: 418 555-0111"),
            row(id="network1", organisme="Org C (fictif)", telephones="aide: 1 888 555-0122 (provinciale)"),
            row(id="network2", organisme="Org D (fictif)", telephones="aide: 1 888 555-0122 (provinciale)"),
            row(id="tip", telephones="denonciation: 418 555-0133; urgence: 911", site_web=""),
            row(id="undated", confirme_le="", confirme_par=""),
            row(id="todo", statut="a_confirmer", note_verification="Siège non confirmé par une source."),
            row(id="unsourced", source=""),
        ],
        today=LATER,
    )
    # No source at all is said as such, not as « a single source ».
    assert ("unsourced", "no_source") in found and ("unsourced", "single_source") not in found
    assert ("todo", "single_source") in found and ("todo", "no_source") not in found
    assert ("staging", "test_source") in found and ("ok", "test_source") not in found
    assert {("shared1", "shared_phone"), ("shared2", "shared_phone")} <= found
    assert not {r for sid, r in found if sid.startswith("network") and r == "shared_phone"}  # a network's line
    assert ("tip", "tip_line_only") in found and ("tip", "no_help_line") in found
    assert ("undated", "active_undated_unexplained") in found and ("undated", "no_confirmation") in found
    assert ("ok", "stale_confirmation") in found  # confirmed 2026-01-15, more than 12 months before 2027-06-01
    assert {("todo", "to_confirm"), ("todo", "town_uncertain")} <= found
    assert ("staging", "ages_not_stated") in found and ("ok", "ages_not_stated") not in found
    assert ("ok", "audience_not_stated") not in found and ("ok", "single_source") not in found
    assert ("ok", "stale_confirmation") not in risks(tmp_path, geography, [row(id="ok")], today=TODAY)


def test_the_command_reports_and_exits_1_only_when_something_misleads(tmp_path, geography, capsys):
    write_csv(tmp_path, [row(id="clean", telephones="aide: 514 555-0100")])
    assert main(["--lang", "en", "audit", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "0 misleading points to fix, " in out and "To check — a single source" in out
    assert main(["audit", "--data-dir", str(tmp_path), "--strict"]) == 1
    capsys.readouterr()
    write_csv(tmp_path, [row(id="dev", source="https://dev.example-org.net/a")])
    assert main(["audit", "--data-dir", str(tmp_path), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    first = report[0]
    assert (first["risk"], first["level"], first["id"], first["file"], first["row"]) == (
        "test_source",
        "action",
        "dev",
        "test.csv",
        2,
    )
    assert first["todo"].startswith("Remplacez")


def test_the_shipped_directory_has_nothing_misleading_left(shipped):
    findings = model.audit(shipped, date(2026, 11, 29))
    assert [f for f in findings if f.level == model.ACTION] == []
    # every row is audited, and the coordinators' work list is not empty (the research says what is left)
    assert {f.service_id for f in findings if f.file} <= set(shipped.services.index)
    # Every region lists its CAVAC and its DPJ report line (Gaspésie–Îles-de-la-Madeleine's CAVAC is placed
    # where its workers meet victims, its office still to confirm: data/recherche/cavac_gim.md).
    assert [(f.service_id, f.detail) for f in findings if not f.file] == []
    gim = shipped.services.loc["cavac-gaspesie-iles-de-la-madeleine"]
    assert gim["region"] == "11" and gim["statut"] == "a_confirmer"
    assert {(f.service_id, f.risk) for f in findings} >= {("cavac-gaspesie-iles-de-la-madeleine", "town_uncertain")}
    assert model.counts(findings)["to_confirm"] == int((shipped.services["statut"] == "a_confirmer").sum())


def test_the_page_lists_risks_in_both_languages(shipped):
    from maillage_dash.config import Settings

    router = Router(directory=shipped, settings=Settings())
    for lang, words in (("fr", "Qualité des fiches"), ("en", "Entry quality")):
        body, store = router.render_page("/qualite", f"?lang={lang}")
        text = json.dumps(body.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
        assert store["title"] == words and "audit-to_confirm" in text
        assert "audit-town_uncertain" in text and "cavac-gaspesie-iles-de-la-madeleine" in text
        # each entry leads to its page for coordinators, where it is confirmed or corrected
        assert f"/revision/fiche/cavac-gaspesie-iles-de-la-madeleine?lang={lang}" in text


def test_a_region_with_no_cavac_or_no_dpj_line_listed_is_on_the_work_list(tmp_path, geography, capsys):
    """Every region has a CAVAC and a DPJ report line: a region where the directory lists none is named,
    with the network missing (a gap of the directory, not of the safety net; checked, not misleading)."""
    rows = [
        row(id="cavac-mtl", organisme="CAVAC de Montréal (fictif)", municipalite="Montréal", regions_desservies=""),
        row(id="dpj-mtl", municipalite="Montréal", regions_desservies="", telephones="signalement_dpj: 514 555-0144"),
        row(id="dpj-all", municipalite="Laval", regions_desservies="13;14", telephones="signalement_dpj: 450 555-0155"),
        row(id="cavac-ended", nom="Aide aux victimes d'actes criminels (fictif)", municipalite="Laval", statut="termine"),
    ]
    gaps = {(sid, risk) for sid, risk in risks(tmp_path, geography, rows) if risk == "region_without_network"}
    assert ("06", "region_without_network") not in gaps and ("13", "region_without_network") in gaps
    write_csv(tmp_path, rows)
    directory = load_directory(tmp_path, geography, today=TODAY)
    missing = {(f.service_id, f.detail) for f in model.network_gaps(directory)}
    assert ("06", "cavac") not in missing and ("06", "dpj") not in missing
    assert ("13", "cavac") in missing and ("13", "dpj") not in missing  # the ended CAVAC does not count; the shared DPJ does
    assert ("14", "dpj") not in missing and ("15", "dpj") in missing and len(missing) == 2 * 17 - 4
    from maillage_dash.config import Settings

    body, _ = Router(directory=directory, settings=Settings()).render_page("/qualite", "?lang=fr")
    text = json.dumps(body.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    assert "audit-region_without_network" in text and "/region/13" in text  # the region's profile, linked
    assert main(["--lang", "en", "audit", "--data-dir", str(tmp_path)]) == 0  # to check, not misleading
    out = capsys.readouterr().out
    assert "region with no CAVAC or no DPJ report line listed (30)" in out and "region 13 “13 – Laval”: no CAVAC listed" in out


def test_dates_are_written_as_each_language_writes_them(tmp_path, geography, capsys):
    """A stale confirmation's date reads « 4 mars 2025 » / "March 4, 2025" on the page and the command line."""
    write_csv(tmp_path, [row(id="old", confirme_le="2025-03-04")])
    for lang, said in (("fr", "(test.csv, ligne 2) : 4 mars 2025"), ("en", "(test.csv, row 2): March 4, 2025")):
        main(["--lang", lang, "audit", "--data-dir", str(tmp_path)])
        assert said in capsys.readouterr().out
