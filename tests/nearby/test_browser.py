"""Nearby search in the real browser: typing a town lists the nearest services and moves the map."""

from __future__ import annotations

import re

from tests.browser_fixtures import shot
from tests.browser_helpers import type_in_dropdown


def count(page) -> int:
    page.wait_for_selector("#near-count")
    return int(page.locator("#near-count").get_attribute("data-count"))


def map_centre(page) -> list[float]:
    return page.evaluate(
        """() => {
        const gd = document.querySelector('#near-map .js-plotly-plot');
        const c = gd._fullLayout.map._subplot.map.getCenter();
        return [c.lng, c.lat];
    }"""
    )


def choose_place(page, typed: str, expected_label: str) -> None:
    box = page.locator("#near-place")
    box.click()
    type_in_dropdown(page, typed, delay=30, filtered=False)  # suggestions need not contain the typed text
    # Every keystroke asks the server for suggestions: let the last answer arrive before clicking.
    page.wait_for_load_state("networkidle")
    option = page.get_by_role("option", name=re.compile(re.escape(expected_label)))
    option.first.wait_for()
    option.first.click()


def test_typing_a_town_lists_nearest_services_and_moves_the_map(page, live_server):
    page.goto(live_server + "/proximite")
    page.wait_for_selector("#near-map .js-plotly-plot")
    choose_place(page, "st-hyacinthe", "Saint-Hyacinthe (Montérégie)")
    assert count(page) >= 2
    first = page.locator(".near-item").first
    assert "Projet Mamamia" in page.locator(".near-list").inner_text()
    assert "même municipalité" in first.inner_text()
    page.wait_for_function(
        """() => { const gd = document.querySelector('#near-map .js-plotly-plot');
                   const c = gd && gd._fullLayout.map._subplot.map.getCenter();
                   return c && Math.abs(c.lat - 45.63) < 0.2 && Math.abs(c.lng + 72.96) < 0.3; }"""
    )
    assert "pres=m%3A54048" in page.url and "rayon=50" in page.url
    shot(page, "20-proximite-saint-hyacinthe")
    # Distances are in French format and grow down the list.
    distances = page.locator(".near-distance").all_inner_texts()
    assert any(re.fullmatch(r"\d+,\d km", d) for d in distances), distances
    # A result's details load when opened, by keyboard too (Enter on the summary).
    summary = first.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    first.locator(".near-details article").wait_for()
    assert "Dernière confirmation" in first.locator(".near-details").inner_text()
    shot(page, "21-proximite-details")
    # A wider radius finds at least as many.
    page.get_by_label("200 km").check()
    page.wait_for_function("() => document.location.search.includes('rayon=200')")
    assert count(page) >= 2
    assert page.js_errors == []


def test_postal_code_and_unknown_code(page, live_server):
    page.goto(live_server + "/proximite?lang=fr")
    page.wait_for_selector("#near-map .js-plotly-plot")
    choose_place(page, "j2s 1a1", "Code postal J2S")
    assert count(page) >= 1
    assert "approximatives" in page.locator("#near-results").inner_text()
    page.goto(live_server + "/proximite?lang=fr&pres=K1A+0B1")
    page.wait_for_selector("#near-message .alert")
    assert "n'est pas au Québec" in page.locator("#near-message").inner_text()


def test_referral_sheet_lists_chosen_services(page, live_server):
    page.goto(live_server + "/proximite?lang=fr&pres=Saint-Hyacinthe&rayon=50")
    page.wait_for_selector(".near-item")
    page.locator(".near-pick input").nth(0).check()
    page.locator(".near-pick input").nth(1).check()
    page.wait_for_function("() => document.getElementById('near-sheet').textContent.includes('(2)')")
    page.locator("#near-sheet").click()
    page.wait_for_selector(".referral-sheet .sheet-item")
    assert page.locator(".sheet-item").count() == 2
    text = page.locator(".referral-sheet").inner_text()
    assert "Fiche de référence" in text and "aucune donnée personnelle" in text
    page.emulate_media(media="print")
    shot(page, "21-fiche-reference-impression")
    assert not page.locator(".quick-exit").is_visible()


def test_referral_sheet_on_a_phone_fits_and_keeps_the_staleness_mark(browser, live_server):
    """On a 375 px phone the sheet is no wider than the screen (it was 400 px), and a service last
    confirmed in 2016 says « à revérifier » on the sheet as on its card (the sheet said nothing)."""
    context = browser.new_context(locale="fr-CA", viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(
        live_server
        + "/fiche-reference?lang=fr&ids=cavac-saguenay-lac-saint-jean&ids=dpj-signalement-gaspesie-iles-de-la-madeleine"
    )
    page.wait_for_selector(".referral-sheet .sheet-item")
    first = page.locator(".sheet-item").first.inner_text()
    assert "4 févr. 2016" in first or "2016" in first, first
    assert "à revérifier" in first, first
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    shot(page, "21-fiche-reference-375")
    context.close()


def test_geolocation_refused_says_so(browser, live_server):
    context = browser.new_context(locale="fr-CA", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/proximite?lang=fr")
    page.wait_for_selector("#near-map .js-plotly-plot", state="attached")  # on a phone the list comes first
    page.locator("#near-locate").click()
    page.wait_for_selector("#near-message .alert")
    assert "Position refusée" in page.locator("#near-message").inner_text()
    context.close()


def test_geolocation_granted_uses_the_position(browser, live_server):
    context = browser.new_context(
        locale="en-CA",
        viewport={"width": 375, "height": 800},
        geolocation={"latitude": 45.63, "longitude": -72.96},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto(live_server + "/proximite?lang=en")
    page.wait_for_selector("#near-map .js-plotly-plot", state="attached")  # on a phone the list comes first
    page.locator("#near-locate").click()
    assert count(page) >= 1
    assert "My position" in page.locator("#near-results").inner_text()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375
    shot(page, "22-nearby-position-375-en")
    context.close()


def test_two_interactions_from_the_map_page(page, live_server):
    """From the home page: type a town, press Enter → the nearest services with distances."""
    page.goto(live_server + "/?lang=fr&type=hebergement")
    page.locator("#home-near").fill("Levis")
    page.locator("#home-near").press("Enter")
    page.wait_for_url(re.compile(r"/proximite\?"))
    count(page)  # the results (or "none") were written
    assert "type=hebergement" in page.url
    assert "Lévis (Chaudière-Appalaches)" in page.locator("#near-results").inner_text()
    page.wait_for_function(
        """() => { const gd = document.querySelector('#near-map .js-plotly-plot');
                   const c = gd && gd._fullLayout.map._subplot.map.getCenter();
                   return c && Math.abs(c.lat - 46.8) < 0.3 && Math.abs(c.lng + 71.18) < 0.4; }"""
    )
    page.wait_for_timeout(500)
    shot(page, "23-depuis-la-carte-levis")


def test_filters_keep_the_place_and_title_and_lang_follow_the_page(page, live_server):
    page.goto(live_server + "/proximite?lang=en&pres=Granby&rayon=25")
    page.wait_for_selector(".near-item")
    page.wait_for_function("() => document.title === 'Services nearby — Maillage'")
    assert page.evaluate("() => document.documentElement.lang") == "en"
    page.locator("#filters-toggle").click() if page.locator("#filters-toggle").is_visible() else None
    page.locator("#f-types input[value=travail_de_rue]").check()
    page.wait_for_function(
        "() => ['type=travail_de_rue', 'pres=', 'rayon=25'].every((p) => document.location.search.includes(p))"
    )


def test_language_switch_keeps_the_place(page, live_server):
    page.goto(live_server + "/proximite?lang=fr&pres=Granby&rayon=25")
    page.wait_for_selector(".near-item")
    page.locator("#lang-link").click()
    page.wait_for_function("() => document.documentElement.lang === 'en' && !!document.querySelector('.near-item')")
    assert "pres=" in page.url and "rayon=25" in page.url and "lang=en" in page.url
    assert "within 25 km of Granby" in page.locator("#near-count").inner_text()


def test_results_first_on_a_phone_fold_toggle_and_call(browser, live_server):
    """« Saint-Jérôme, 15 ans, hébergement » from a link: the form folds into one line, the cards come
    first with a call button, the map is one tap away, « Modifier » reopens the form — all by touch."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True, locale="fr-CA")
    page = context.new_page()
    page.goto(f"{live_server}/proximite?lang=fr&pres=Saint-J%C3%A9r%C3%B4me&rayon=50&type=hebergement&age=15-15")
    fold = page.locator("#near-fold")
    fold.wait_for()
    page.wait_for_function(
        "() => { const e = document.querySelector('#near-fold'); return !!e && e.textContent.includes('Près de Saint-Jérôme'); }"
    )
    text = fold.inner_text()
    assert "50 km" in text and "Hébergement" in text and "15 ans" in text
    assert not page.locator(".near-search").is_visible()
    first_card = page.locator("#near-results li").first
    first_card.wait_for()
    assert not page.locator("#near-map").is_visible()  # the list first
    card_top = first_card.bounding_box()["y"]
    assert card_top < 740, f"first result at {card_top}px: not on the first screen"
    assert page.locator(".emergency-911").is_visible()  # the emergency lines stay at hand, in one row
    shot(page, "near-phone-results-first-375")
    from tests.site.test_accessibility_browser import AXE, AXE_OPTIONS, blocking

    assert blocking(AXE.run(page, options=AXE_OPTIONS).response) == []
    # Every card can be acted on: a call button, or it says it has no phone and points to the help lines.
    for item in page.locator("#near-results li.near-item, #near-results ol > li").all():
        text = item.inner_text()
        reachable = item.locator("a[href^='tel:'], a[href^='http'], a[href^='mailto:']").count() >= 1
        assert reachable or "urgence" in text.lower(), text[:200]
    page.locator("#near-view").get_by_text("Carte", exact=True).tap()
    page.locator("#near-map").wait_for(state="visible")
    assert not first_card.is_visible()
    page.locator("#near-view").get_by_text("Liste", exact=True).tap()
    first_card.wait_for(state="visible")
    page.get_by_role("button", name="Modifier").tap()
    page.locator(".near-search").wait_for(state="visible")
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('#near-place')")
    shot(page, "near-phone-edit-375")
    context.close()


SEARCH_VALUE_JS = "() => { const i = document.querySelector('.dash-dropdown-content input'); return i ? i.value : null; }"


def test_place_box_keeps_every_key_in_order_and_enter_picks_what_was_typed(page, live_server):
    """Typing a postal code at 30 ms per key gives exactly what was typed (five times over), and Enter
    after typing « Laval » over a previous place gives Laval."""
    for _ in range(5):
        page.goto(live_server + "/proximite?lang=fr")
        page.locator("#near-results p").first.wait_for()  # the page's callbacks have run
        page.locator("#near-place").focus()
        page.keyboard.type("J7Z 1A1", delay=30)
        page.wait_for_timeout(400)
        assert page.evaluate(SEARCH_VALUE_JS) == "J7Z 1A1"
    page.goto(live_server + "/proximite?lang=fr&pres=Saint-J%C3%A9r%C3%B4me")
    page.wait_for_function(
        "() => { const e = document.querySelector('#near-place'); return !!e && e.textContent.includes('Saint-Jérôme'); }"
    )
    page.locator("#near-place").focus()
    page.keyboard.type("Laval", delay=50)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => { const e = document.querySelector('#near-place'); return !!e && e.textContent.includes('Laval (Laval)'); }"
    )
    page.wait_for_function(
        "() => { const e = document.querySelector('#near-results'); return !!e && e.innerText.includes('Laval'); }"
    )


def test_enter_typed_before_the_list_opens_still_picks_what_was_typed(page, live_server):
    """A fast typist on a busy phone: the keys and Enter all arrive before the list has opened (a CI run
    lost the Enter this way, 2026-11-30). The place typed is picked once the list is there."""
    page.goto(live_server + "/proximite?lang=fr&pres=Saint-J%C3%A9r%C3%B4me")
    page.wait_for_function(
        "() => { const e = document.querySelector('#near-place'); return !!e && e.textContent.includes('Saint-Jérôme'); }"
    )
    page.locator("#near-place").focus()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 20})  # the list opens slowly, as on a busy phone
    page.keyboard.type("Laval", delay=0)
    page.keyboard.press("Enter")
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    page.wait_for_function(
        "() => { const e = document.querySelector('#near-place'); return !!e && e.textContent.includes('Laval (Laval)'); }"
    )


def test_one_tap_on_the_place_box_lets_a_phone_type_at_once(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True, locale="fr-CA")
    page = context.new_page()
    page.goto(live_server + "/proximite?lang=fr")
    page.locator("#near-place").tap()
    page.keyboard.type("Rimouski", delay=40)
    page.wait_for_function(SEARCH_VALUE_JS.replace("return i ? i.value : null;", "return i && i.value === 'Rimouski';"))
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => { const e = document.querySelector('#near-place'); return !!e && e.textContent.includes('Rimouski'); }"
    )
    context.close()
