"""Practice sheets, practices and testimonials: the shipped files, the loader's messages, the search.

Files written under tmp_path here are made up for the tests and say so; they never ship.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from dash import dcc
from plotly.utils import PlotlyJSONEncoder

from maillage_dash import schema
from maillage_dash.config import ROOT, Settings
from maillage_dash.content import model as content
from maillage_dash.content import search
from maillage_dash.filters import FilterState
from maillage_dash.i18n import LANGS
from maillage_dash.map.callbacks import Handlers
from maillage_dash.site.router import Router

DATA = ROOT / "data"


@pytest.fixture(scope="module")
def shipped_content() -> content.Content:
    return content.load(DATA)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the shipped content to break on purpose (test data, never shipped)."""
    for part in ("fiches", "pratiques"):
        shutil.copytree(DATA / part, tmp_path / part)
    (tmp_path / "temoignages").mkdir()
    return tmp_path


def codes(problems) -> list[str]:
    return [p.code for p in problems]


# --------------------------------------------------------------------------- shipped files


def test_shipped_content_has_no_problem(shipped_content):
    assert shipped_content.problems == [], content.report(shipped_content.problems, "fr")


@pytest.mark.parametrize("sector", [term.code for term in schema.SECTORS])
def test_every_sector_has_a_sheet_in_both_languages_with_the_same_sections(shipped_content, sector):
    fr, en = shipped_content.sheet(sector, "fr"), shipped_content.sheet(sector, "en")
    assert fr is not None and en is not None
    assert fr.section_ids() == en.section_ids() == content.SHEET_SECTIONS
    assert fr.title != en.title  # really translated, not copied
    for doc in (fr, en):
        assert all(s.body.strip() for s in doc.sections)
        assert doc.reviewed is not None and doc.reviewed <= date.today()
        assert len(doc.sources) >= 5
        assert all(src.url and src.url.startswith(("https://", "http://")) for src in doc.sources)
        assert len(doc.summary) > 40


def test_sheets_cite_the_laws_they_rely_on(shipped_content):
    """The youth protection sheet cites the Act on legisquebec; the health sheet the 2024 information act."""
    dpj = shipped_content.sheet("protection_jeunesse", "fr")
    assert any("legisquebec.gouv.qc.ca" in (s.url or "") and "P-34.1" in (s.url or "") for s in dpj.sources)
    sante = shipped_content.sheet("sante_services_sociaux", "en")
    assert any("R-22.1" in (s.url or "") for s in sante.sources)


def test_practices_link_to_initiatives_that_exist_in_the_shipped_directory(shipped_content, shipped):
    assert len(shipped_content.practices_in("fr")) >= 7
    for doc in shipped_content.practices.values():
        ids = doc.meta["initiatives"]
        assert ids, doc.file
        missing = [i for i in ids if shipped.by_id(i) is None]
        assert missing == [], f"{doc.file}: {missing}"
        records = [shipped.by_id(i) for i in ids]
        # The practice's regions and sectors are those of its initiatives.
        assert {r["region"] for r in records} <= set(doc.meta["regions"]), doc.file
        assert set(doc.meta["secteurs"]) <= {s for r in records for s in r["secteurs"]}, doc.file
    assert content.check_initiatives(shipped_content, shipped.services.index, "repertoire.csv") == []


def test_practices_exist_in_both_languages_and_agree(shipped_content):
    for key in shipped_content.practice_keys():
        fr, en = shipped_content.practice(key, "fr"), shipped_content.practice(key, "en")
        assert fr is not None and en is not None, key
        assert fr.section_ids() == en.section_ids() == content.PRACTICE_SECTIONS
        for name in ("initiatives", "secteurs", "regions"):
            assert fr.meta[name] == en.meta[name], (key, name)


def test_no_testimonial_is_shipped_and_the_format_is_documented(shipped_content):
    assert shipped_content.testimonials == []
    readme = (DATA / "temoignages" / "README.md").read_text(encoding="utf-8")
    for field in ("role_auteur", "secteur", "region", "date", "langue", "consentement", "obtenu", "comment", "source"):
        assert field in readme
    assert "English below" in readme and "Testimonials — how to add one" in readme


# --------------------------------------------------------------------------- loader messages


def test_a_yaml_error_names_the_file_and_the_line(copy):
    (copy / "fiches" / "justice.fr.md").write_text(
        "---\nsecteur: justice\ntitre: [pas fermé\n---\n## Rôle {#role}\n", encoding="utf-8"
    )
    loaded = content.load(copy)
    problem = next(p for p in loaded.problems if p.code == "yaml")
    assert problem.file == "fiches/justice.fr.md" and problem.row is not None
    assert problem.render("fr").startswith("Erreur — fiches/justice.fr.md, ligne ")
    assert "Check colons, quotes and indentation" in problem.render("en") and ", line " in problem.render("en")
    # One broken sheet does not stop the others.
    assert loaded.sheet("justice", "fr") is None
    assert loaded.sheet("justice", "en") is not None and loaded.sheet("policier", "fr") is not None


def test_a_bad_field_names_its_line_and_field(copy):
    path = copy / "fiches" / "policier.en.md"
    text = path.read_text(encoding="utf-8").replace("derniere_revision: 2026-11-23", "derniere_revision: 2026-13-45")
    text = text.replace("url: https://laws-lois.justice.gc.ca/eng/acts/C-46/", "url: ftp://example.invalid/code")
    path.write_text(text, encoding="utf-8")
    loaded = content.load(copy)
    by_code = {p.code: p for p in loaded.problems}
    assert by_code["bad_date"].row == 5 and by_code["bad_date"].column == "derniere_revision"
    assert by_code["bad_date"].render("en") == (
        'Error — fiches/policier.en.md, line 5, field "derniere_revision": '
        'unreadable date "2026-13-45": write YYYY-MM-DD (e.g. 2026-11-23).'
    )
    source_line = text.splitlines().index(
        "    url: ftp://example.invalid/code"
    )  # 0-based line of the url = 1-based line of its item
    assert by_code["bad_url"].row == source_line and "« ftp://example.invalid/code »" in by_code["bad_url"].render("fr")
    assert loaded.sheet("policier", "en") is None


def test_html_unsafe_links_and_headings_without_id_are_refused(copy):
    path = copy / "fiches" / "scolaire.fr.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index("## Rôle {#role}")
    lines[at + 2] += " <script>alert(1)</script> [clic](javascript:alert(1))"
    lines.insert(at + 3, "## Une section sans identifiant")
    path.write_text("\n".join(lines), encoding="utf-8")
    loaded = content.load(copy)
    mine = [p for p in loaded.problems if p.file == "fiches/scolaire.fr.md"]
    assert {"raw_html", "unsafe_link", "bad_heading"} <= set(codes(mine))
    assert next(p for p in mine if p.code == "raw_html").row == at + 3
    assert next(p for p in mine if p.code == "bad_heading").row == at + 4
    assert loaded.sheet("scolaire", "fr") is None


def test_sections_must_match_between_languages(copy):
    path = copy / "fiches" / "justice.en.md"
    path.write_text(path.read_text(encoding="utf-8").replace("{#cannot}", "{#limits}"), encoding="utf-8")
    loaded = content.load(copy)
    problems = [p for p in loaded.problems if p.file == "fiches/justice.en.md"]
    assert "missing_sections" in codes(problems)
    assert "cannot" in next(p for p in problems if p.code == "missing_sections").render("en")


def test_a_missing_translation_and_a_missing_sheet_are_reported(copy):
    (copy / "fiches" / "scolaire.en.md").unlink()
    (copy / "pratiques" / "pivot-travail-de-rue.en.md").unlink()
    loaded = content.load(copy)
    assert ("fiches/scolaire.en.md", "missing_fiche") in [(p.file, p.code) for p in loaded.problems]
    twin = next(p for p in loaded.problems if p.code == "missing_translation" and "pivot" in p.file)
    assert "pivot-travail-de-rue.en.md" in twin.render("fr")


def test_an_unknown_initiative_is_reported_with_its_line(copy, shipped):
    path = copy / "pratiques" / "hebergement-et-travail-de-rue.fr.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("[squat-basse-ville-collab]", "[squat-basse-ville-collab, inventee-par-un-test]")
    )
    loaded = content.load(copy)
    problems = content.check_initiatives(loaded, shipped.services.index, "data/repertoire/repertoire.csv")
    assert [(p.file, p.row, p.column, p.params["value"]) for p in problems] == [
        ("pratiques/hebergement-et-travail-de-rue.fr.md", 4, "initiatives", "inventee-par-un-test")
    ]
    assert "n'existe pas dans le répertoire" in problems[0].render("fr")
    # …and the fr/en versions no longer agree.
    assert "meta_mismatch" in codes(loaded.problems)


def test_a_file_that_is_not_utf8_is_reported(copy):
    (copy / "fiches" / "communautaire.fr.md").write_bytes("---\ntitre: « Sécurité »\n---\n".encode("cp1252"))
    loaded = content.load(copy)
    problem = next(p for p in loaded.problems if p.file == "fiches/communautaire.fr.md")
    assert problem.code == "encoding" and "UTF-8" in problem.render("en")


TESTIMONIAL = """---
role_auteur: "Intervenante (test, fictive)"
secteur: communautaire
region: 13
date: 2027-01-15
langue: fr
consentement:
  obtenu: {obtenu}
  comment: "Consentement fictif écrit pour un test"
---

Texte fictif écrit pour un test.
"""


def test_a_testimonial_needs_recorded_consent(copy):
    (copy / "temoignages" / "test-sans-consentement.md").write_text(TESTIMONIAL.format(obtenu="non"), encoding="utf-8")
    (copy / "temoignages" / "test-avec-consentement.md").write_text(TESTIMONIAL.format(obtenu="oui"), encoding="utf-8")
    loaded = content.load(copy)
    assert [d.key for d in loaded.testimonials] == ["test-avec-consentement"]
    shown = loaded.testimonials[0]
    assert shown.meta["region"] == "13" and shown.meta["secteur"] == "communautaire" and shown.lang == "fr"
    refused = next(p for p in loaded.problems if p.file == "temoignages/test-sans-consentement.md")
    assert refused.code == "consent" and refused.row == 7 and refused.column == "consentement"


def test_the_command_line_check_exits_1_on_errors(copy, capsys):
    assert content.main(["--data-dir", str(DATA)]) == 0
    (copy / "fiches" / "policier.fr.md").write_text("pas d'en-tête\n", encoding="utf-8")
    assert content.main(["--data-dir", str(copy), "--lang", "en"]) == 1
    assert "fiches/policier.fr.md, line 1: the header is missing" in capsys.readouterr().err


# --------------------------------------------------------------------------- search


def test_search_ignores_accents_and_case_in_french(shipped_content, shipped):
    plain = search.search(shipped_content, shipped, FilterState(), "securite", "fr")
    accents = search.search(shipped_content, shipped, FilterState(), "SÉCURITÉ", "fr")
    assert [h.key for h in plain.sheets] == [h.key for h in accents.sheets] != []
    assert "protection_jeunesse" in [h.key for h in plain.sheets]
    assert any(matched and "sécurité" in token.lower() for h in plain.sheets for token, matched in h.snippet)


def test_search_in_english_looks_at_english_documents_only(shipped_content, shipped):
    english = search.search(shipped_content, shipped, FilterState(), "runaway", "en")
    assert "premiere-repondante-fugues" in [h.key for h in english.practices]
    french = search.search(shipped_content, shipped, FilterState(), "runaway", "fr")
    assert french.practices == [] and french.sheets == []
    assert "premiere-repondante-fugues" in [
        h.key for h in search.search(shipped_content, shipped, FilterState(), "fugues", "fr").practices
    ]


def test_search_points_to_the_section_and_finds_services(shipped_content, shipped):
    results = search.search(shipped_content, shipped, FilterState(), "secret professionnel", "fr")
    hit = next(h for h in results.sheets if h.key == "communautaire")
    assert hit.section == "share"
    services = search.search(shipped_content, shipped, FilterState(), "maskoutains", "fr")
    assert "mamamia-cijm" in [h.key for h in services.services]
    # Services honour the other filters, like the map.
    elsewhere = search.search(shipped_content, shipped, FilterState(regions=("06",)), "maskoutains", "fr")
    assert elsewhere.services_total == 0 and elsewhere.practices


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (None, "empty"),
        ("", "empty"),
        ("   ", "empty"),
        ("a" * 500, "too_long"),
        ("'-", "no_words"),
        (12, None),
        ("<script>alert(1)</script>", None),
    ],
)
def test_bad_input_never_raises(shipped_content, shipped, raw, problem):
    results = search.search(shipped_content, shipped, FilterState(), raw, "fr")
    assert results.query.problem == problem
    if problem:
        assert results.total == 0


# --------------------------------------------------------------------------- pages


def dump(component) -> str:
    return json.dumps(component, cls=PlotlyJSONEncoder, ensure_ascii=False)


def markdowns(component) -> list[dcc.Markdown]:
    found = [component] if isinstance(component, dcc.Markdown) else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and hasattr(child, "to_plotly_json"):
            found += markdowns(child)
    return found


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("sector", [term.code for term in schema.SECTORS])
def test_every_sheet_page_renders_its_sections_safely(shipped, shipped_content, sector, lang):
    handlers = Router(directory=shipped, settings=Settings())
    page, store = handlers.render_page(f"/fiches/{sector}", f"?lang={lang}")
    doc = shipped_content.sheet(sector, lang)
    text = dump(page)
    assert doc.title in text and '"id": "sources"' in text
    for section in doc.sections:
        assert f'"id": "{section.id}"' in text
    found = markdowns(page)
    assert len(found) == len(doc.sections)
    assert all(md.dangerously_allow_html is False for md in found)
    assert f"/?lang={lang}&secteur={sector}" in text  # the sector's services on the map


def test_practice_page_links_each_initiative_to_the_map(shipped):
    handlers = Router(directory=shipped, settings=Settings())
    page, _ = handlers.render_page("/pratiques/premiere-repondante-fugues", "?lang=en&region=16")
    text = dump(page)
    assert "/?lang=en&region=16&service=mamamia-cijm" in text
    assert "/?lang=en&region=16&service=mobilis-monteregie" in text


def test_service_details_link_each_sector_to_its_sheet(shipped):
    handlers = Handlers(directory=shipped, settings=Settings())
    card = handlers.service_detail("mamamia-cijm", FilterState(regions=("16",)), "fr")
    text = dump(card)
    for sector in shipped.by_id("mamamia-cijm")["secteurs"]:
        assert f"/fiches/{sector}?lang=fr&region=16" in text


def test_unknown_sheet_and_practice_pages_explain_instead_of_failing(shipped):
    handlers = Router(directory=shipped, settings=Settings())
    page, _ = handlers.render_page("/fiches/inexistant", "?lang=en")
    assert "Sheet not found" in dump(page)
    page, _ = handlers.render_page("/pratiques/inexistante", "")
    assert "Bonne pratique introuvable" in dump(page)


def test_search_page_messages_for_bad_input(shipped):
    handlers = Router(directory=shipped, settings=Settings())
    page, store = handlers.render_page("/recherche", "?q=" + "a" * 500)
    assert "Votre recherche compte 500 caractères ; la limite est de 200." in dump(page)
    page, _ = handlers.render_page("/recherche", "?lang=en&q=%3Cscript%3E")
    assert '"0 results for", " \u201c", {"props": {"children": "<script>"' in dump(page)
