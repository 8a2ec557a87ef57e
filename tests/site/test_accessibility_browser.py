"""Accessibility in real Chromium: axe-core on every registered page in both languages (no serious or
critical violation), and every filter of the map page used by keyboard alone.

axe-core is the copy bundled in the axe-playwright-python package (axe.min.js, MPL 2.0): nothing is
fetched from a CDN."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from maillage_dash import schema
from maillage_dash.site import pages
from tests.browser_fixtures import shot
from tests.browser_helpers import wait_count, wait_grid, wait_polygons

pytestmark = pytest.mark.browser

AXE = Axe()
BLOCKING = ("serious", "critical")
# WCAG 2.0/2.1/2.2 A and AA rules plus axe's best practices.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def settle(page) -> None:
    """Wait until the page body is rendered and its map and grid (when it has them) are drawn."""
    page.locator("main#content").wait_for()
    page.wait_for_load_state("networkidle")
    if page.locator("#map").count():
        wait_polygons(page)
    if page.locator("#grid-slot").count():
        wait_grid(page)
    page.wait_for_timeout(300)


def blocking(results: dict) -> list[str]:
    out = []
    for v in results["violations"]:
        if v["impact"] in BLOCKING:
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:5])
            out.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets}")
    return out


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", list(pages.registry()))
def test_no_serious_or_critical_axe_violation(browser, live_server, path, lang):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-CA" if lang == "fr" else "en-CA")
    page = context.new_page()
    page.goto(f"{live_server}/{path}?lang={lang}")
    settle(page)
    results = AXE.run(page, options=AXE_OPTIONS).response
    assert results["testEngine"]["version"].startswith("4.")
    problems = blocking(results)
    context.close()
    assert problems == [], f"/{path}?lang={lang}:\n" + "\n".join(problems)


@pytest.mark.parametrize("width", [375])
def test_no_serious_violation_on_a_phone(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="fr-CA")
    page = context.new_page()
    page.goto(f"{live_server}/")
    settle(page)
    page.get_by_role("button", name="Afficher / masquer").click()
    problems = blocking(AXE.run(page, options=AXE_OPTIONS).response)
    context.close()
    assert problems == []


def focused(page) -> dict:
    return page.evaluate(
        """() => {
        const el = document.activeElement;
        const box = el && el.closest('[id]');
        return {tag: el ? el.tagName : null, id: el ? el.id : null, owner: box ? box.id : null,
                value: el && el.value !== undefined ? String(el.value) : null, role: el ? el.getAttribute('role') : null};
    }"""
    )


def test_every_filter_is_reached_by_tab_in_order(page, live_server, shipped):
    page.goto(live_server + "/")
    wait_count(page, len(shipped))
    page.locator("body").click(position={"x": 5, "y": 5})
    owners: list[str] = []
    checkboxes: set[str] = set()
    for _ in range(120):
        page.keyboard.press("Tab")
        here = focused(page)
        if here["owner"] and (not owners or owners[-1] != here["owner"]):
            owners.append(here["owner"])
        if here["owner"] in ("f-types", "f-sectors") and here["tag"] == "INPUT":
            checkboxes.add(here["value"])
        if here["owner"] == "f-reset":
            break
    controls = ["f-regions", "f-age", "f-types", "f-sectors", "f-text", "f-basemap", "f-reset"]
    reached = [o for o in owners if o in controls]
    assert reached == controls, f"Tab order reached {owners}"
    every_box = {t.code for t in schema.SERVICE_TYPES} | {s.code for s in schema.SECTORS}
    assert checkboxes == every_box


def test_filters_work_with_the_keyboard_alone(page, live_server, shipped):
    from maillage_dash import filters
    from maillage_dash.filters import FilterState

    def expected(**kw) -> int:
        return len(filters.apply(shipped, FilterState.build(**kw)[0]))

    page.goto(live_server + "/")
    wait_count(page, len(shipped))
    # Region dropdown: focus it by Tab, open it with the arrow key, type, pick with Enter, close with Esc.
    page.locator("body").click(position={"x": 5, "y": 5})
    for _ in range(60):
        page.keyboard.press("Tab")
        if focused(page)["owner"] == "f-regions":
            break
    page.keyboard.press("ArrowDown")
    page.get_by_role("option").first.wait_for()
    page.keyboard.type("Outaouais")
    page.wait_for_function("() => document.querySelectorAll('[role=option]').length === 1")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_count(page, expected(regions=["07"]))
    assert "07 – Outaouais" in page.locator("#f-regions").inner_text()
    # A service type: Tab to its checkbox, Space ticks it.
    for _ in range(60):
        page.keyboard.press("Tab")
        here = focused(page)
        if here["owner"] == "f-types" and here["value"] == "prevention":
            break
    page.keyboard.press("Space")
    wait_count(page, expected(regions=["07"], types=["prevention"]))
    # Reset by keyboard: Tab to the button, Enter.
    for _ in range(60):
        page.keyboard.press("Tab")
        if focused(page)["owner"] == "f-reset":
            break
    page.keyboard.press("Enter")
    wait_count(page, len(shipped))
    shot(page, "a11y-01-clavier")
