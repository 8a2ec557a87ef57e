"""The Content-Security-Policy in real Chromium: every page works under it, with no violation,
and text from the data (here a made-up test directory with markup in its fields) stays text."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from maillage_dash.config import Settings
from maillage_dash.loading import load_directory
from maillage_dash.site import pages
from maillage_dash.webapp import create_app
from tests.browser_fixtures import shot
from tests.browser_helpers import type_in_dropdown, wait_count, wait_polygons
from tests.conftest import TODAY, row, write_csv

pytestmark = pytest.mark.browser

# Collects what the browser reports: CSP violations (the DOM event) and dialogs opened by scripts.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
});
"""
SCRIPT_NAME = "<script>window.__xss='nom'</script>Service piège (fictif)"
IMG_DESCRIPTION = "<img src=x onerror=\"window.__xss='img';alert('img')\"> Description piège (fictive)"


def watch(context) -> dict[str, list[str]]:
    """Start collecting CSP violations, console CSP messages, page errors and dialogs for ``context``."""
    seen: dict[str, list[str]] = {"console": [], "dialogs": [], "errors": []}
    context.add_init_script(WATCH)

    def on_page(page) -> None:
        page.on(
            "console",
            lambda msg: (
                seen["console"].append(msg.text)
                if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
                else None
            ),
        )
        page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))

    context.on("page", on_page)
    return seen


def violations(page, seen: dict[str, list[str]]) -> list[str]:
    return list(page.evaluate("window.__csp || []")) + seen["console"]


def page_urls() -> list[str]:
    """One address per registered page (so pages added later are checked too)."""
    return ["/" + path for path in pages.registry()]


@pytest.fixture(scope="module")
def trap_server(tmp_path_factory, geography):
    """A server on a made-up test directory whose text fields hold markup and script."""
    folder = tmp_path_factory.mktemp("piege")
    write_csv(
        folder,
        [
            row(id="piege", nom=SCRIPT_NAME, description=IMG_DESCRIPTION, organisme="<b onmouseover=alert(1)>Org</b> (fictif)"),
            row(id="autre", nom="Autre service (fictif)", municipalite="Québec"),
        ],
    )
    directory = load_directory(folder, geography, today=TODAY)
    app = create_app(Settings(data_dir=folder), directory=directory)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def offline(context, origin: str) -> None:
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_runs_under_the_csp_without_violation(browser, live_server, shipped, lang):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    offline(context, live_server)
    seen = watch(context)
    page = context.new_page()
    for url in page_urls():
        response = page.goto(live_server + url + f"?lang={lang}")
        assert response is not None and "script-src" in response.headers["content-security-policy"]
        page.locator("main#content").wait_for()
        page.wait_for_load_state("networkidle")
        if page.locator("#map").count():
            wait_polygons(page)
        if page.locator("#grid-slot").count():
            wait_count(page, len(shipped))
        assert violations(page, seen) == [], f"CSP violations on {url}"
    assert seen["errors"] == [] and seen["dialogs"] == []
    context.close()


def test_map_grid_dropdown_and_basemap_work_under_the_csp(browser, live_server, shipped):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    offline(context, live_server)
    seen = watch(context)
    page = context.new_page()
    page.goto(live_server + "/")
    wait_count(page, len(shipped))
    assert wait_polygons(page) >= 10
    # A dropdown opens and selects; the map and the grid follow.
    page.locator("#f-regions").click()
    type_in_dropdown(page, "Capitale")
    # Enter picks the highlighted option: wait until the typed text has narrowed the list to it.
    page.wait_for_function("() => document.querySelectorAll('[role=option]').length === 1")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_url("**region=03**")
    wait_polygons(page)
    # A click on a grid row fills the detail panel.
    page.locator(".ag-row[row-index='0'] .ag-cell").first.click()
    page.locator("#detail dl").wait_for()
    assert seen["errors"] == []
    # The basemap layer: its tiles come from the tile server's origin, allowed by the policy. Offline
    # the request fails (MapLibre says "Map error."), and the regions stay drawn.
    page.get_by_text("Fond de carte OpenStreetMap").click()
    page.wait_for_function(
        "() => { const gd = document.querySelector('#map .js-plotly-plot');"
        " return !!gd && gd.layout.map.layers && gd.layout.map.layers.length > 0; }"
    )
    assert wait_polygons(page) >= 1
    assert set(seen["errors"]) <= {"Map error."}
    assert violations(page, seen) == []
    context.close()


def test_text_from_the_data_is_rendered_inert(browser, trap_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    offline(context, trap_server)
    seen = watch(context)
    page = context.new_page()
    page.goto(trap_server + "/?q=piege")
    wait_count(page, 1)
    # The name is shown as the literal text, in the grid and in the detail panel.
    page.get_by_text(SCRIPT_NAME).first.wait_for()
    page.locator(".ag-row[row-index='0'] .ag-cell").first.click()
    detail = page.locator("#detail")
    detail.get_by_text(IMG_DESCRIPTION).wait_for()
    assert "<b onmouseover=alert(1)>Org</b>" in detail.inner_text()
    assert page.locator("#detail img, #grid img, #detail script").count() == 0
    # The map's hover label escapes it too: hover the service's point.
    page.locator("#map").hover()
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss === undefined")
    assert seen["dialogs"] == []
    # Markup in the data never reaches the CSP either: it was never parsed as HTML.
    assert violations(page, seen) == []
    shot(page, "sec-01-texte-inerte")
    context.close()
