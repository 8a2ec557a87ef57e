"""Every graph's toolbar speaks the page's language and never offers to send the figure away."""

from __future__ import annotations

import pytest

from tests.browser_fixtures import SHOTS

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


def test_graphs_are_scaled_to_the_page_for_printing_and_put_back_after(page, live_server):
    """plotly.js draws at the screen's width and a printed page is narrower: the right of the region
    page's bar chart was cut off on paper. Before printing each graph's SVG is given a viewBox and the
    page's width; after printing it is as it was."""
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server}/region/11?lang=fr")
    page.wait_for_selector("#profile-bars .main-svg")
    read = """() => Array.from(document.querySelectorAll('#profile-bars .svg-container > svg.main-svg')).map(s =>
        [s.getAttribute('viewBox'), s.getAttribute('width'), s.getAttribute('height'), s.style.width])"""
    before = page.evaluate(read)
    assert before and all(v[0] is None for v in before)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    fitted = page.evaluate(read)
    assert all(v[0] == f"0 0 {v[1]} {v[2]}" and v[3] == "100%" for v in fitted), fitted
    page.pdf(path=str(SHOTS / "region-11-print.pdf"))
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate(read) == before


def test_maps_are_copied_into_a_picture_for_printing(page, live_server):
    """A map's WebGL drawing is not kept for the printer (maps printed blank): before printing each map is
    redrawn and copied into a picture over it, removed after printing. A blank copy would be a few KB."""
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server}/region/11?lang=fr")
    page.wait_for_selector(".js-plotly-plot .maplibregl-canvas", state="attached")
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .map-label').length > 0")
    # The map is fitted to its box once drawn (assets/21-fit-bounds.js): printing starts after that redraw,
    # as it does for a person who opens the page and then prints it.
    page.wait_for_function("() => document.querySelector('#profile-map .js-plotly-plot').dataset.fitKey")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    sizes = page.evaluate("() => Array.from(document.querySelectorAll('.map-print-shot')).map(i => i.src.length)")
    assert sizes and all(n > 15_000 for n in sizes), sizes
    # On paper the graph is scaled to the page's width: the picture, the map's frame and its names follow
    # it in fractions of the graph (in screen pixels they overflowed the page and were cut). The names
    # are not redrawn for the printed size (they would not match the picture).
    page.evaluate("() => document.querySelector('#profile-map .js-plotly-plot')._fullLayout.map._subplot.map.resize()")
    page.emulate_media(media="print")
    # A page narrower than the screen's graph (790 px here): the graph's box is given the page's width.
    page.evaluate("() => { document.querySelector('#profile-map').style.width = '480px'; }")
    fit = page.evaluate(
        """() => { const img = document.querySelector('#profile-map .map-print-shot');
        const box = img.closest('.svg-container').getBoundingClientRect(), r = img.getBoundingClientRect();
        const names = Array.from(img.closest('.maplibregl-map').querySelectorAll('.map-label'));
        return { box: [box.left, box.top, box.width, box.height], img: [r.left, r.top, r.width, r.height],
                 names: names.length, inFractions: names.every(n => n.style.left.endsWith('%')),
                 canvas: getComputedStyle(img.closest('.maplibregl-map').querySelector('canvas')).visibility }; }"""
    )
    box, img = fit["box"], fit["img"]
    assert abs(img[2] - box[2]) < 2 and abs(img[3] - box[3]) < 2 and abs(img[0] - box[0]) < 2, fit
    assert abs(box[2] - 480) < 2, fit  # the page's width, not the screen's 790 px
    assert fit["names"] and fit["inFractions"] and fit["canvas"] == "hidden", fit
    page.emulate_media(media="screen")
    page.evaluate("() => { document.querySelector('#profile-map').style.width = ''; }")
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert page.locator(".map-print-shot").count() == 0
    assert page.evaluate("() => document.querySelector('#profile-map .maplibregl-map').style.width.endsWith('px')")


def test_the_quality_page_prints_its_lists_unfolded(page, live_server):
    """The quality page's risks are folded on screen; a printed page shows every list, folded again after."""
    page.goto(f"{live_server}/qualite?lang=fr")
    page.wait_for_selector("details.audit-group")
    count_open = "() => Array.from(document.querySelectorAll('details.audit-group')).filter(d => d.open).length"
    total = page.locator("details.audit-group").count()
    assert total > 3 and page.evaluate(count_open) == 0
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate(count_open) == total
    page.pdf(path=str(SHOTS / "qualite-print.pdf"))
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate(count_open) == 0
