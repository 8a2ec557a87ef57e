"""Quick exit: the button and the Esc key replace Maillage with a neutral site, on every page."""

from __future__ import annotations

import pytest

from maillage_dash.site import pages

NEUTRAL = "https://www.google.ca/"


def neutral_site(page) -> None:
    # No internet in tests: the neutral site is answered locally, as the browser would load it.
    body = "<title>Google</title>neutre"
    page.route(NEUTRAL + "**", lambda route: route.fulfill(status=200, content_type="text/html", body=body))


@pytest.mark.parametrize("path", ["/", "/proximite"])
def test_button_leaves_for_a_neutral_site(page, live_server, path):
    neutral_site(page)
    page.goto(live_server + path + "?lang=fr")
    page.get_by_role("button", name="Quitter rapidement").click()
    page.wait_for_url(NEUTRAL)
    assert "neutre" in page.content()
    # The Maillage page was replaced, not pushed: Back does not return to it in this tab.
    assert page.evaluate("() => history.length") <= 2


def test_escape_key_leaves_but_first_closes_an_open_list(page, live_server):
    neutral_site(page)
    page.goto(live_server + "/?lang=en")
    page.wait_for_selector("#f-regions")
    page.locator("#f-regions").click()  # opens the regions list
    page.keyboard.press("Escape")  # closes the list, stays
    page.wait_for_timeout(300)
    assert page.url.startswith(live_server)
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL)


def test_every_page_has_the_button(page, live_server):
    for registered in pages.registry().values():
        page.goto(f"{live_server}/{registered.path}?lang=en")
        page.wait_for_selector("#quick-exit")
        assert page.locator("#quick-exit").inner_text() == "Quick exit"
