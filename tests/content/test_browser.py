"""Practice sheets, good practices, testimonials and search, in real headless Chromium."""

from __future__ import annotations

import re

import pytest

from maillage_dash import schema
from maillage_dash.content import model as content
from tests.browser_fixtures import shot

pytestmark = pytest.mark.browser


def test_sheet_list_then_one_sheet_in_french(page, live_server):
    page.goto(live_server + "/fiches")
    page.get_by_role("heading", level=1, name="Fiches pratiques par secteur").wait_for()
    assert page.locator(".sheet-cards > li").count() == len(schema.SECTORS)
    page.get_by_role("link", name=re.compile(r"^Police :")).click()
    page.wait_for_url(re.compile(r"/fiches/policier\?lang=fr"))
    doc = content.shipped().sheet("policier", "fr")
    page.get_by_role("heading", level=1, name=doc.title).wait_for()
    # Table of contents: one entry per section, plus the sources; every target exists.
    toc = page.locator(".content-toc a")
    assert toc.count() == len(doc.sections) + 1
    for section in doc.sections:
        assert page.locator(f"section#{section.id} h2").inner_text() == section.title
    # Markdown became real lists and emphasis, not visible asterisks.
    assert page.locator("section#can li").count() >= 3
    assert "**" not in page.locator("#content").inner_text()
    assert "Information générale, pas un avis juridique." in page.locator(".disclaimer").inner_text()
    assert page.locator("section#sources li a[href^='https://']").count() >= 5
    page.get_by_role("link", name=doc.sections[3].title).click()
    page.wait_for_url(re.compile(r"#share$"))
    shot(page, "contenu-01-fiche-police-fr-1400")
    assert page.js_errors == []


def test_sheet_in_english_and_back(page, live_server):
    page.goto(live_server + "/fiches/protection_jeunesse?lang=en")
    doc = content.shipped().sheet("protection_jeunesse", "en")
    page.get_by_role("heading", level=1, name=doc.title).wait_for()
    page.wait_for_function("() => document.documentElement.lang === 'en' && document.title.startsWith('Practice sheets')")
    assert "General information, not legal advice." in page.locator(".disclaimer").inner_text()
    assert [page.locator("section.content-section h2").nth(i).inner_text() for i in range(5)] == [s.title for s in doc.sections]
    shot(page, "contenu-02-fiche-dpj-en-1400")
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(r"/fiches/protection_jeunesse\?lang=fr"))
    page.get_by_role("heading", level=1, name=content.shipped().sheet("protection_jeunesse", "fr").title).wait_for()


def test_practice_leads_to_its_initiative_on_the_map(page, live_server, shipped):
    page.goto(live_server + "/pratiques")
    page.get_by_role("heading", level=1, name="Bonnes pratiques de collaboration").wait_for()
    assert page.locator(".initiative-link").count() >= len(content.shipped().practices_in("fr"))
    shot(page, "contenu-03-pratiques-fr-1400")
    name = shipped.by_id("mamamia-cijm")["nom"]
    # Let the page settle (address sync, navigation links) before clicking: under load in CI a click
    # landed on a link that was being replaced, and the navigation never happened.
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name=name, exact=True).first.click()
    detail = page.locator("#detail")
    detail.get_by_role("heading", name=name).wait_for()
    page.wait_for_function("() => /service=mamamia-cijm/.test(location.search) && location.pathname === '/'")
    shot(page, "contenu-04-pratique-vers-carte")
    # From the service's details to the sheet of one of its sectors.
    detail.locator(".sector-sheet-link", has_text="Policier").click()
    page.wait_for_url(re.compile(r"/fiches/policier\?lang=fr"))
    page.get_by_role("heading", level=1, name=content.shipped().sheet("policier", "fr").title).wait_for()
    assert page.js_errors == []


def test_one_practice_page(page, live_server):
    doc = content.shipped().practice("premiere-repondante-fugues", "en")
    page.goto(live_server + "/pratiques/premiere-repondante-fugues?lang=en")
    page.get_by_role("heading", level=1, name=doc.title).wait_for()
    assert page.locator("section.content-section").count() == len(doc.sections) + 1
    assert page.locator(".initiative-link").count() == len(doc.meta["initiatives"])


def test_search_is_accent_insensitive_and_updates_the_address(page, live_server):
    page.goto(live_server + "/recherche")
    page.get_by_role("heading", level=1, name="Recherche").wait_for()
    assert "Tapez un ou plusieurs mots" in page.locator("#srch-results").inner_text()
    box = page.get_by_label("Mots à chercher")
    box.fill("securite")
    box.press("Enter")
    page.locator("#srch-summary").wait_for()
    results = page.locator("#srch-results")
    assert "Fiches pratiques (" in results.inner_text()
    marks = results.locator("mark").all_inner_texts()
    assert any("sécurité" in m.lower() for m in marks)
    page.wait_for_url(re.compile(r"/recherche\?lang=fr&q=securite"))
    shot(page, "contenu-05-recherche-securite-1400")
    # A sheet result opens the sheet at the section where the words were found.
    first = results.locator(".result-group").nth(1).locator("a").first
    target = first.get_attribute("href")
    first.click()
    page.wait_for_url(re.compile(re.escape(target.split("#")[0])))
    page.locator(".content-toc").wait_for()
    if "#" in target:  # scrolled to the section where the words were found
        section = target.split("#")[1]
        page.wait_for_function(
            "id => { const r = document.getElementById(id).getBoundingClientRect(); return r.top >= -2 && r.top < 200; }",
            arg=section,
        )


def test_bad_search_input_gets_a_message_not_an_error(page, live_server):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(live_server + "/recherche")
    box = page.get_by_label("Mots à chercher")
    box.fill("<script>alert(1)</script>")
    page.get_by_role("button", name="Rechercher").click()
    page.locator("#srch-summary").wait_for()
    summary = page.locator("#srch-summary")
    assert summary.inner_text().replace("\u00a0", " ") == "0 résultat pour « <script>alert(1)</script> »"
    assert summary.locator("strong").inner_text() == "<script>alert(1)</script>"
    assert page.locator("#srch-results script").count() == 0
    box.fill("")
    box.press("Enter")
    page.get_by_text("Tapez un ou plusieurs mots").wait_for()
    page.goto(live_server + "/recherche?q=" + "a" * 500)
    alert = page.get_by_role("alert").filter(has_text="500 caractères")
    alert.wait_for()
    assert "200" in alert.inner_text()
    assert dialogs == [] and page.js_errors == []
    shot(page, "contenu-06-recherche-trop-longue")


def test_search_in_english(page, live_server):
    page.goto(live_server + "/recherche?lang=en&q=runaway")
    page.locator("#srch-summary").wait_for()
    text = page.locator("#srch-results").inner_text()
    assert re.search(r"\d+ results? for \u201crunaway\u201d", text)
    assert "Good practices (" in text and "None." not in text.split("Good practices (")[1]


def test_testimonials_empty_state(page, live_server):
    page.goto(live_server + "/temoignages")
    page.get_by_role("heading", level=1, name="Témoignages").wait_for()
    empty = page.locator("#temoignages-empty")
    assert "Aucun témoignage publié pour l'instant" in empty.inner_text()
    assert empty.locator("ol li").count() == 4
    assert "consentement" in empty.locator("pre").inner_text()
    shot(page, "contenu-07-temoignages-vide")


@pytest.mark.parametrize("width", [375, 1400])
def test_content_pages_fit_small_and_large_screens(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-CA")
    page = context.new_page()
    for path, name in (
        ("/fiches", "fiches"),
        ("/fiches/sante_services_sociaux", "fiche-sante"),
        ("/pratiques", "pratiques"),
        ("/recherche?q=fugue", "recherche"),
    ):
        page.goto(live_server + path)
        page.locator("#content h1").wait_for()
        page.wait_for_timeout(300)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path}: horizontal scroll of {overflow}px at {width}px"
        shot(page, f"contenu-08-{name}-{width}")
    # The navigation (with "Fiches" and "Recherche") stays usable at this width.
    nav = page.get_by_role("navigation", name="Pages de Maillage")
    assert nav.get_by_role("link", name="Fiches").is_visible()
    assert nav.get_by_role("link", name="Recherche").is_visible()
    context.close()
