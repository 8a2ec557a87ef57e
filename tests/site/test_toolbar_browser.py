"""Every graph's toolbar speaks the page's language and never offers to send the figure away."""

from __future__ import annotations

import pytest

TITLES_JS = "() => Array.from(document.querySelectorAll('.modebar-btn')).map(e => e.getAttribute('data-title'))"


@pytest.mark.parametrize("path", ["/", "/region/11", "/couverture", "/proximite?pres=Gasp%C3%A9"])
def test_toolbars_are_french_on_french_pages_and_have_no_cloud_button(page, live_server, path):
    sep = "&" if "?" in path else "?"
    page.goto(f"{live_server}{path}{sep}lang=fr")
    page.wait_for_selector(".modebar-btn", state="attached", timeout=30_000)
    titles = page.evaluate(TITLES_JS)
    assert "Zoom avant" in titles, titles
    assert not any(t in ("Zoom in", "Pan", "Download plot as a PNG") for t in titles), titles
    # plotly.js 4's « Share chart… » uploads the figure to an outside server: never on a Maillage page.
    assert (
        "Share chart..." not in titles
        and not page.locator('.modebar-btn[data-val="sendChartToCloud"], [data-title*="Share"]').count()
    )


def test_toolbar_is_english_on_english_pages(page, live_server):
    page.goto(f"{live_server}/?lang=en")
    page.wait_for_selector(".modebar-btn", state="attached", timeout=30_000)
    titles = page.evaluate(TITLES_JS)
    assert "Zoom in" in titles and "Zoom avant" not in titles and "Share chart..." not in titles, titles
