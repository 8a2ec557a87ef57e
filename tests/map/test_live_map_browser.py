"""The home page's live map, drawn by plotly.js from the first response before Dash draws the page, then
moved into Dash's page (assets/07-live-map.js): one map, the same drawing, that answers clicks; drawn
from the store when the page is reached by a link inside the app."""

from __future__ import annotations

import pytest

from maillage_dash.filters import FilterState
from tests.browser_helpers import wait_count, wait_polygons
from tests.map.test_browser import click_map_at

pytestmark = pytest.mark.browser

# Watches the first response's copy: when the live map's regions are drawn there, whether Dash had drawn
# its page yet, and a mark on that drawing's element to find it again afterwards.
EARLY_JS = """(() => {
  window.maillageDashWait = 60000;  // Dash waits for the map however slow the machine
  window.__early = null;
  const tick = () => {
    const gd = document.querySelector('#prerender [data-live-map] .js-plotly-plot');
    const map = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map;
    if (map && map.isStyleLoaded && map.isStyleLoaded()) {
      const layers = map.getStyle().layers.filter(l => l.type === 'fill').map(l => l.id);
      if (layers.length && map.queryRenderedFeatures({layers: layers}).length) {
        gd.__earlyMark = 'drawn before Dash';
        window.__early = {dash: !!document.querySelector('#react-entry-point .app-header')};
        return;
      }
    }
    if (window.__early === null) { setTimeout(tick, 20); }
  };
  tick();
})();"""


def regions_count(shipped, regions) -> int:
    state, _ = FilterState.build(regions=regions)
    from maillage_dash import filters

    return int(filters.mask(shipped, state).sum())


def test_map_is_drawn_before_dash_and_the_same_drawing_answers_clicks(page, live_server, shipped):
    page.add_init_script(EARLY_JS)
    page.goto(live_server + "/?lang=fr")
    wait_count(page, len(shipped))
    wait_polygons(page)
    # The regions were drawn in the first response's copy, before Dash had drawn its page…
    assert page.evaluate("window.__early") == {"dash": False}
    # … and that very drawing is the map of Dash's page: one map in the document, no second drawing.
    assert page.evaluate("() => document.querySelector('#map .js-plotly-plot').__earlyMark") == "drawn before Dash"
    assert page.locator(".js-plotly-plot").count() == 1
    assert page.locator("#prerender").count() == 0
    # Its clicks reach the server's callbacks (the store map-click, read as dcc.Graph's clickData was).
    click_map_at(page, -76.5, 49.8, "all")
    wait_count(page, regions_count(shipped, ["10"]))
    assert "10 – Nord-du-Québec" in page.locator("#f-regions").inner_text()
    assert page.js_errors == []


def test_map_reached_by_a_link_is_drawn_from_the_store_and_freed_when_left(page, live_server, shipped):
    page.goto(live_server + "/fiches?lang=fr")
    page.locator("#react-entry-point .app-header").wait_for()
    assert page.locator("[data-live-map]").count() == 0
    for _ in range(2):  # there and back twice: each visit draws one map, the one left is freed
        page.locator("#react-entry-point a.nav-link[href^='/?']").first.click()
        wait_count(page, len(shipped))
        wait_polygons(page)
        assert page.locator(".js-plotly-plot").count() == 1
        page.locator("#react-entry-point a.nav-link[href^='/fiches']").first.click()
        page.locator("#react-entry-point .app-header").wait_for()
        page.wait_for_function("() => !document.querySelector('[data-live-map]')")
    page.locator("#react-entry-point a.nav-link[href^='/?']").first.click()
    wait_count(page, len(shipped))
    wait_polygons(page)
    click_map_at(page, -76.5, 49.8, "all")
    wait_count(page, regions_count(shipped, ["10"]))
    assert page.js_errors == []


def test_dash_waits_for_the_map_but_not_for_someone_reaching_for_the_page(page, live_server, shipped):
    """While the map drawn from the first response has not shown its regions (here its outlines never come),
    Dash waits before drawing the page — and starts at once when someone presses a key or taps."""
    page.add_init_script("window.maillageDashWait = 60000;")
    page.route("**/*.geojson", lambda route: None)  # the regions' outlines never come
    page.goto(live_server + "/?lang=fr", wait_until="commit")
    page.locator("#prerender [data-live-map] .js-plotly-plot").wait_for(state="attached")  # the map is on its way
    page.wait_for_timeout(1500)
    assert page.locator("#react-entry-point .app-header").count() == 0  # Dash waits for it…
    assert page.locator("#prerender .app-header").is_visible()  # … while the first response's page shows
    page.keyboard.press("Tab")  # … until someone reaches for the page
    page.locator("#react-entry-point .app-header").wait_for(timeout=10_000)
    page.locator("#f-regions").wait_for()
