"""The shell shared by every page: the filter reset and the skip link, on pages other than the map."""

from __future__ import annotations

import pytest

from tests.browser_fixtures import shot


def open_filters(page) -> None:
    toggle = page.locator("#filters-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/proximite?lang=fr&pres=Granby&rayon=50&type=travail_de_rue&region=16", ".near-item"),
        ("/couverture?lang=fr&type=travail_de_rue&region=16", "#content h1"),
        ("/reseau?lang=fr&type=travail_de_rue&region=16", "#content h1"),
    ],
)
def test_reset_clears_the_filters_on_pages_without_the_map(page, live_server, path, ready):
    page.goto(live_server + path)
    page.wait_for_selector(ready)
    assert page.locator("#f-types input[value=travail_de_rue]").is_checked()
    open_filters(page)
    page.locator("#f-reset").click()
    page.wait_for_function("() => !document.location.search.includes('type=') && !document.location.search.includes('region=')")
    assert not page.locator("#f-types input[value=travail_de_rue]").is_checked()
    if "pres=" in path:
        # The place and radius are not filters: they stay.
        assert "pres=" in page.url and "rayon=50" in page.url
    shot(page, "reset" + path.split("?")[0].replace("/", "-"))
    assert page.js_errors == []


def test_skip_link_focuses_the_content_without_rebuilding_the_page(page, live_server):
    page.goto(live_server + "/proximite?lang=fr&pres=Granby&rayon=100&region=16")
    page.wait_for_selector(".near-item")
    page.wait_for_load_state("networkidle")
    page.evaluate("() => { document.querySelector('.near-item').dataset.marker = 'before'; }")
    url = page.url
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'content'")
    page.wait_for_timeout(800)
    assert page.url == url
    assert page.locator(".near-item[data-marker=before]").count() == 1, "the page was rebuilt"


def test_on_a_phone_the_page_links_show_the_current_one_and_that_more_follow(browser, live_server):
    """The links are one row that scrolls on a phone: the current page's link is in view (« Réseau » was
    off to the right) and the row's edge fades while more links are hidden there."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True, locale="fr-CA")
    page = context.new_page()
    page.goto(live_server + "/reseau?lang=fr")
    page.wait_for_selector(".app-header nav[data-row-watched], .main-nav[data-row-watched]", state="attached")
    inside = """() => { const row = document.querySelector('.main-nav'), a = row.querySelector('.nav-link.active');
        const r = row.getBoundingClientRect(), b = a.getBoundingClientRect();
        return b.left >= r.left - 1 && b.right <= r.right + 1; }"""
    assert page.evaluate(inside)
    page.goto(live_server + "/?lang=fr")
    page.wait_for_function("() => document.querySelector('.app-header nav').classList.contains('nav-more')")
    page.evaluate("() => { const row = document.querySelector('.main-nav'); row.scrollLeft = row.scrollWidth; }")
    page.wait_for_function("() => !document.querySelector('.app-header nav').classList.contains('nav-more')")
    # The server-rendered pages (forms, review) have the same header, and the same fade.
    page.goto(live_server + "/confidentialite?lang=fr")
    page.wait_for_function("() => document.querySelector('.app-header nav').classList.contains('nav-more')")
    context.close()
