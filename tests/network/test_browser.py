"""The partnership network page (/reseau) in real headless Chromium: what a user sees and does."""

from __future__ import annotations

import re

import pytest

from maillage_dash import filters
from maillage_dash.filters import FilterState
from maillage_dash.i18n import fmt_int
from maillage_dash.network import flows as network_flows
from maillage_dash.network import model as network
from tests.browser_fixtures import shot
from tests.browser_helpers import type_in_dropdown

pytestmark = pytest.mark.browser

# Table rows of the partnership list (the graph's text equivalent).
EDGE_ROWS_JS = "() => document.querySelectorAll('#net-edges table tbody tr').length"
# Line features MapLibre rendered on the canvas for the traces called `name` (arcs or straight lines).
MAP_LINES_JS = """(name) => {
  const gd = document.querySelector('#net-map .js-plotly-plot');
  if (!gd || !gd._fullLayout || !gd._fullLayout.map) { return -1; }
  const map = gd._fullLayout.map._subplot.map;
  if (!map || !map.getStyle() || !map.isStyleLoaded()) { return -1; }
  const uids = gd._fullData.filter(d => d.type === 'scattermap' && d.mode === 'lines' && d.name === name).map(d => d.uid);
  const layers = map.getStyle().layers.filter(l => l.type === 'line' && uids.some(u => l.id.includes(u))).map(l => l.id);
  if (!layers.length) { return 0; }
  return map.queryRenderedFeatures({layers: layers}).length;
}"""
FLOWS_FR = "Services desservant d'autres régions (arcs)"
PARTNERS_FR = "Partenariats entre régions (traits droits)"


def expected(shipped, **kw) -> dict[str, int]:
    """What the page should show for these filters, computed by the same functions."""
    state, _ = FilterState.build(**kw)
    keep = filters.mask(shipped, state)
    sub = network.view(network.network(shipped), shipped, keep)
    counts = network.summary(sub)
    counts["nodes"] = sub.number_of_nodes()
    counts["serving"] = len(network_flows.serving_elsewhere(shipped, keep))
    counts["outside_regions"] = int(network_flows.outside_only(shipped, keep, state.types)["region"].nunique())
    return counts


def wait_counts(page, counts: dict[str, int], timeout: float = 30_000) -> None:
    """Wait until the counters and the drawn graph show ``counts``."""
    page.wait_for_function(
        """(want) => {
            const read = id => { const el = document.getElementById(id); return el ? el.textContent.replace(/\\s/g, '') : null; };
            return read('net-count-services') === want.services && read('net-count-partners') === want.partners
                && read('net-count-links') === want.links && read('net-count-cross') === want.cross
                && document.querySelectorAll('#net-graph g.points path.point').length === want.nodes;
        }""",
        arg={
            "services": str(counts["services"]),
            "partners": str(counts["partners"]),
            "links": str(counts["links"]),
            "cross": str(counts["cross_links"]),
            "nodes": counts["nodes"],
        },
        timeout=timeout,
    )


def wait_ready(page) -> None:
    """Wait until the shared filter callback has run once (it writes the summary of the filters)."""
    page.wait_for_function("() => (document.getElementById('filter-summary') || {}).textContent", timeout=30_000)


def wait_map_lines(page, name: str, timeout: float = 30_000) -> int:
    # The count is read inside the wait: the style reloads for a moment when the map is fitted.
    handle = page.wait_for_function(
        f"() => {{ const n = ({MAP_LINES_JS})({name!r}); return n > 0 ? n : false; }}", timeout=timeout
    )
    return int(handle.json_value())


def test_graph_map_and_tables_are_drawn(page, live_server, shipped):
    page.goto(live_server + "/reseau")
    want = expected(shipped)
    assert want["services"] == len(shipped) and want["links"] > 0 and want["cross_links"] > 0
    wait_counts(page, want)
    assert page.locator("h1").inner_text() == "Réseau de partenariats et liens entre régions"
    assert page.locator("#net-count-serving").inner_text() == fmt_int(want["serving"], "fr")
    assert page.locator("#net-count-outside").inner_text() == fmt_int(want["outside_regions"], "fr")
    # The graph's text equivalent: one row per partnership.
    assert page.evaluate(EDGE_ROWS_JS) == want["links"]
    # Both kinds of links drawn on the map, on the offline white-bg style.
    assert wait_map_lines(page, FLOWS_FR) > 0
    assert wait_map_lines(page, PARTNERS_FR) > 0
    assert page.evaluate("document.querySelector('#net-map .js-plotly-plot')._fullLayout.map.style") == "white-bg"
    # The map was fitted to the links (not left at plotly's 0,0).
    page.wait_for_function("() => document.querySelector('#net-map .js-plotly-plot')._fullLayout.map.zoom > 3")
    # The nav shows this page as the current one.
    assert page.locator(".main-nav .active").inner_text().startswith("Réseau")
    # Per region: every region listed, a missing sector said in words.
    sectors = page.locator("#net-sectors table")
    assert sectors.locator("tbody tr").count() == 17
    assert sectors.get_by_text("absent", exact=True).count() > 0
    shot(page, "reseau-01-fr-1400")
    assert page.js_errors == []


def test_a_filter_changes_the_counts(page, live_server, shipped):
    page.goto(live_server + "/reseau")
    wait_counts(page, expected(shipped))
    wait_ready(page)
    # By keyboard: focus the « Scolaire » sector box and tick it with Space.
    box = page.locator("#f-sectors input[value=scolaire]")
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    school = expected(shipped, sectors=["scolaire"])
    assert school["services"] < len(shipped)
    wait_counts(page, school)
    assert "secteur=scolaire" in page.url
    assert page.evaluate(EDGE_ROWS_JS) == school["links"]
    # Then a region, typed in the dropdown and picked with the keyboard.
    page.locator("#f-regions").click()
    type_in_dropdown(page, "Laval")
    page.wait_for_function("() => document.querySelectorAll('[role=option]').length === 1")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    both = expected(shipped, sectors=["scolaire"], regions=["13"])
    assert both["services"] < school["services"]
    wait_counts(page, both)
    assert "region=13" in page.url
    shot(page, "reseau-02-scolaire-laval")
    # The same address opened afresh shows the same figures.
    page.goto(page.url)
    wait_counts(page, both)
    assert page.js_errors == []


def test_no_match_says_so(page, live_server, shipped):
    page.goto(live_server + "/reseau?q=zzzzzz-aucun")
    wait_counts(page, {"services": 0, "partners": 0, "links": 0, "cross_links": 0, "nodes": 0})
    page.get_by_text("Aucun service ne correspond aux filtres.").wait_for()
    assert page.get_by_text("Aucun partenariat n'est inscrit").count() == 1
    body = page.locator("body").inner_text()
    assert "NaN" not in body and "Infinity" not in body
    assert page.js_errors == []


def test_english(page, live_server, shipped):
    page.goto(live_server + "/reseau?lang=en&type=ligne_ecoute")
    wait_counts(page, expected(shipped, types=["ligne_ecoute"]))
    assert page.locator("h1").inner_text() == "Partnership network and links between regions"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator(".main-nav .active").inner_text().startswith("Network")
    body = page.locator("#content").inner_text()
    assert "Liste des partenariats" not in body and "List of partnerships" in body
    assert "Coverage that comes only from outside" in body
    wait_map_lines(page, "Services serving other regions (arcs)")
    shot(page, "reseau-03-english")


def test_keyboard_reaches_the_text_equivalents(page, live_server, shipped):
    page.goto(live_server + "/reseau")
    wait_counts(page, expected(shipped))
    # Tab from the top of the page to the section link « Liste des partenariats », then Enter.
    page.locator("body").focus()
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.textContent") == "Liste des partenariats":
            break
    else:
        pytest.fail("the link to the list of partnerships is not reachable with Tab")
    page.keyboard.press("Enter")
    # The focus moves to the section's heading, which scrolls to the top of the window.
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'net-edges-sec-title'")
    assert page.evaluate("location.hash") == "#net-edges-sec-title"
    page.wait_for_function(
        "() => { const top = document.getElementById('net-edges-sec-title').getBoundingClientRect().top;"
        " return top >= 0 && top < 200; }"
    )
    # The page was not rendered again by the address change: the counters are still there.
    assert page.locator("#net-count-links").inner_text() == fmt_int(expected(shipped)["links"], "fr")
    # The sector matrix scrolls sideways in a region that takes the keyboard focus.
    region = page.locator("#net-sectors .net-scroll")
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-label")
    # Links in the tables open the service's details on the map page, filters kept.
    first = page.locator("#net-edges tbody tr").first.locator("a").first
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/\?lang=fr.*service="))
    page.locator("#detail article").wait_for()


@pytest.mark.parametrize("width", [375, 1920])
def test_small_and_large_screens(browser, live_server, shipped, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-CA")
    page = context.new_page()
    page.goto(live_server + "/reseau")
    wait_counts(page, expected(shipped))
    wait_map_lines(page, FLOWS_FR)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"horizontal scroll of {overflow}px at {width}px"
    if width == 375:  # a phone shows the list first (tests/network/test_browser_views.py): show the graph
        page.locator("#net-show-graph").click()
        page.wait_for_function("() => document.querySelector('#net-graph .main-svg').getBoundingClientRect().width > 300")
    graph = page.locator("#net-graph").bounding_box()
    assert graph["width"] > 0.8 * min(width, 1200) - 60 and graph["height"] >= 300
    # On a phone the partnership list is one card per row, each value led by its column's name.
    display = page.evaluate("getComputedStyle(document.querySelector('#net-edges tbody tr')).display")
    assert display == ("block" if width == 375 else "table-row")
    page.locator("#net-graph").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(shot_path(f"reseau-04-graphe-{width}")))
    page.locator("#net-map").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(shot_path(f"reseau-05-carte-{width}")))
    page.locator("#net-edges").scroll_into_view_if_needed()
    page.screenshot(path=str(shot_path(f"reseau-06-liste-{width}")))
    context.close()


def test_print(page, live_server, shipped):
    page.goto(live_server + "/reseau?region=16")
    wait_counts(page, expected(shipped, regions=["16"]))
    wait_map_lines(page, FLOWS_FR)
    page.emulate_media(media="print")
    assert not page.locator("#filters").is_visible()
    assert not page.locator("#quick-exit").is_visible()
    assert page.locator("#net-graph").is_visible() and page.locator("#net-map").is_visible()
    assert page.locator("#net-sectors table").is_visible()
    pdf = page.pdf(format="Letter")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    shot(page, "reseau-07-impression")


def shot_path(name: str):
    from tests.browser_fixtures import SHOTS

    SHOTS.mkdir(exist_ok=True)
    return SHOTS / f"{name}.png"
