"""The network page's two views in real headless Chromium: on a phone (375 px, touch) the list of services
and their partners comes first and a tap shows the graph; on a wide screen (1920 px) the graph comes
first. Both switch by keyboard too. In the graph, the drawn names never cover each other and stay inside
the plot."""

from __future__ import annotations

import numpy as np
import pytest
from axe_playwright_python.sync_playwright import Axe

from maillage_dash.network import model as network
from tests.browser_fixtures import SHOTS, shot
from tests.network.test_browser import expected, wait_counts

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "has_touch": True, "is_mobile": True}
WIDE = {"viewport": {"width": 1920, "height": 1080}}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}
# The drawn names of the graph: the box of each one's text (SVG), whether it is shown, and the plot area.
LABELS_JS = """() => {
  const gd = document.querySelector('#net-graph .js-plotly-plot');
  if (!gd || !gd._fullLayout || !gd._fullLayout._size || !gd.clientWidth) { return null; }
  const s = gd._fullLayout._size, b = gd.getBoundingClientRect();
  const area = {left: b.left + s.l, top: b.top + s.t, right: b.left + s.l + s.w, bottom: b.top + s.t + s.h};
  const labels = [...gd.querySelectorAll('g.annotation')].map(g => {
    const box = g.getBoundingClientRect(), text = g.querySelector('text').getBoundingClientRect();
    return {text: g.textContent, shown: getComputedStyle(g).visibility !== 'hidden',
            box: {left: box.left, top: box.top, right: box.right, bottom: box.bottom},
            glyphs: {left: text.left, top: text.top, right: text.right, bottom: text.bottom}};
  });
  return {area: area, labels: labels};
}"""
# True once the names are settled: at least one shown, none covering another, all inside the plot.
LABELS_SETTLED_JS = (
    "() => { const d = (" + LABELS_JS + ")(); if (!d) { return false; }"
    " const shown = d.labels.filter(l => l.shown); if (!shown.length) { return false; }"
    " const over = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;"
    " const inside = l => l.box.left >= d.area.left && l.box.right <= d.area.right"
    "   && l.box.top >= d.area.top && l.box.bottom <= d.area.bottom;"
    " return shown.every(inside) && shown.every((a, i) => shown.every((b, j) => i === j || !over(a.box, b.box))); }"
)


def groups_count(shipped) -> int:
    sub = network.view(network.network(shipped), shipped, np.ones(len(shipped), bool))
    return len(network.partner_groups(sub))


def open_page(browser, live_server, shipped, device: dict, lang: str):
    context = browser.new_context(**device, locale="fr-CA" if lang == "fr" else "en-CA")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server}/reseau?lang={lang}")
    wait_counts(page, expected(shipped))
    page.wait_for_function("() => document.getElementById('net-views').hasAttribute('data-view')")
    return context, page, errors


def pressed(page) -> dict[str, str]:
    return {
        "list": page.locator("#net-show-list").get_attribute("aria-pressed"),
        "graph": page.locator("#net-show-graph").get_attribute("aria-pressed"),
    }


def check_labels(page, *, at_least: int) -> list[str]:
    """Wait for the names to settle, then check them one by one: no two overlap, each inside the plot."""
    page.wait_for_function(LABELS_SETTLED_JS, timeout=15_000)
    data = page.evaluate(LABELS_JS)
    area = data["area"]
    shown = [label for label in data["labels"] if label["shown"]]
    assert len(shown) >= at_least, [label["text"] for label in shown]
    for i, a in enumerate(shown):
        box, glyphs = a["box"], a["glyphs"]
        assert area["left"] <= box["left"] and box["right"] <= area["right"], (a["text"], box, area)
        assert area["top"] <= box["top"] and box["bottom"] <= area["bottom"], (a["text"], box, area)
        assert box["left"] <= glyphs["left"] and glyphs["right"] <= box["right"] + 0.5  # the text is whole in its box
        for b in shown[i + 1 :]:
            apart = (
                a["box"]["right"] <= b["box"]["left"]
                or b["box"]["right"] <= a["box"]["left"]
                or a["box"]["bottom"] <= b["box"]["top"]
                or b["box"]["bottom"] <= a["box"]["top"]
            )
            assert apart, (a["text"], b["text"])
    return [label["text"] for label in shown]


def axe_problems(page) -> list[str]:
    results = Axe().run(page, options=AXE_OPTIONS).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page, locator: str, name: str) -> None:
    page.locator(locator).scroll_into_view_if_needed()
    page.evaluate("(sel) => document.querySelector(sel).scrollIntoView({block: 'start', behavior: 'instant'})", locator)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_phone_shows_the_list_first_and_a_tap_shows_the_graph(browser, live_server, shipped, lang):
    context, page, errors = open_page(browser, live_server, shipped, PHONE, lang)
    views = page.locator("#net-views")
    assert views.get_attribute("data-view") == "list"
    assert page.locator("#net-list-view").is_visible() and not page.locator("#net-graph-view").is_visible()
    assert pressed(page) == {"list": "true", "graph": "false"}
    # The list: each service with a partner, its partners under it, in the page's language.
    items = page.locator("#net-list-view .net-list > li")
    assert items.count() == groups_count(shipped) > 10
    first = items.first.inner_text()
    assert ("Partenaires (" if lang == "fr" else "Partners (") in first
    assert (
        ("répertorié" in first or "nommé seulement" in first)
        if lang == "fr"
        else ("in the directory" in first or "named only" in first)
    )
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"horizontal scroll of {overflow}px"
    assert axe_problems(page) == []
    screenshot(page, "#net-graph-sec-title", f"reseau-10-liste-375-{lang}")

    # A tap shows the graph, sized to the phone's width, with names that fit.
    page.tap("#net-show-graph")
    page.wait_for_function("() => document.getElementById('net-views').dataset.view === 'graph'")
    assert pressed(page) == {"list": "false", "graph": "true"}
    assert not page.locator("#net-list-view").is_visible()
    page.wait_for_function("() => document.querySelector('#net-graph .main-svg').getBoundingClientRect().width > 300")
    check_labels(page, at_least=1)
    assert axe_problems(page) == []
    screenshot(page, "#net-graph", f"reseau-11-graphe-375-{lang}")

    # And back to the list.
    page.tap("#net-show-list")
    page.wait_for_function("() => document.getElementById('net-views').dataset.view === 'list'")
    assert page.locator("#net-list-view").is_visible() and pressed(page)["list"] == "true"
    assert errors == []
    context.close()


def test_phone_views_switch_by_keyboard(browser, live_server, shipped):
    context, page, errors = open_page(browser, live_server, shipped, PHONE, "fr")
    page.locator("#net-show-list").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "net-show-graph"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('net-views').dataset.view === 'graph'")
    assert pressed(page) == {"list": "false", "graph": "true"}
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "net-show-list"
    page.keyboard.press("Space")
    page.wait_for_function("() => document.getElementById('net-views').dataset.view === 'list'")
    assert page.locator("#net-list-view").is_visible()
    assert errors == []
    context.close()


def test_wide_screen_shows_the_graph_first_with_names_that_fit(browser, live_server, shipped):
    context, page, errors = open_page(browser, live_server, shipped, WIDE, "fr")
    assert page.locator("#net-views").get_attribute("data-view") == "graph"
    assert page.locator("#net-graph-view").is_visible() and not page.locator("#net-list-view").is_visible()
    assert pressed(page) == {"list": "false", "graph": "true"}
    names = check_labels(page, at_least=3)
    assert len(names) == len(set(names))
    screenshot(page, "#net-graph-sec-title", "reseau-12-graphe-1920")
    # Zoomed in, the names are placed again: still apart and inside.
    page.evaluate("() => Plotly.relayout(document.querySelector('#net-graph .js-plotly-plot'), {'xaxis.range': [-0.4, 0.4]})")
    check_labels(page, at_least=1)
    page.evaluate("() => Plotly.relayout(document.querySelector('#net-graph .js-plotly-plot'), {'xaxis.autorange': true})")
    # The list by keyboard (Enter), then the graph again by a click.
    page.locator("#net-show-list").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('net-views').dataset.view === 'list'")
    assert page.locator("#net-list-view .net-list > li").count() == groups_count(shipped)
    screenshot(page, "#net-graph-sec-title", "reseau-13-liste-1920")
    page.locator("#net-show-graph").click()
    page.wait_for_function("() => document.getElementById('net-views').dataset.view === 'graph'")
    check_labels(page, at_least=3)
    assert errors == []
    context.close()


def test_print_shows_the_chosen_view_without_the_buttons(browser, live_server, shipped):
    context, page, errors = open_page(browser, live_server, shipped, PHONE, "fr")
    page.emulate_media(media="print")
    assert not page.locator(".net-view-toggle").is_visible()
    assert page.locator("#net-list-view").is_visible()
    pdf = page.pdf(format="Letter")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    shot(page, "reseau-14-impression-liste-375")
    assert errors == []
    context.close()
