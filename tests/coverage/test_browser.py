"""Coverage page, region profiles, presentation mode and the offline HTML export in real Chromium."""

from __future__ import annotations

import re

import pytest

from maillage_dash import schema
from maillage_dash.coverage import model as coverage
from maillage_dash.coverage.profile import build
from maillage_dash.filters import FilterState
from tests.browser_fixtures import shot
from tests.browser_helpers import type_in_dropdown

pytestmark = pytest.mark.browser

GRAPHS_DRAWN = """() => {
  const graphs = [...document.querySelectorAll('.dash-graph')];
  return graphs.length > 0 && graphs.every(g => !g.classList.contains('dash-graph--pending') && g.querySelector('.main-svg'));
}"""
# Regions MapLibre actually drew on a map's canvas.
MAP_FEATURES = """(id) => {
  const gd = document.querySelector('#' + id + ' .js-plotly-plot');
  if (!gd || !gd._fullLayout || !gd._fullLayout.map) { return -1; }
  const map = gd._fullLayout.map._subplot.map;
  if (!map || !map.loaded()) { return -1; }
  const layers = map.getStyle().layers.filter(l => l.type === 'fill').map(l => l.id);
  return map.queryRenderedFeatures({layers: layers}).length;
}"""


def features_above(page, map_id: str, n: int) -> None:
    # Functions, not expressions: Playwright evaluates an expression with eval, which the CSP forbids.
    page.wait_for_function(f"([id, n]) => ({MAP_FEATURES})(id) > n", arg=[map_id, n], timeout=60_000)


def settle(page, map_id: str | None = None) -> None:
    page.locator("main#content").wait_for()
    page.wait_for_function(GRAPHS_DRAWN, timeout=60_000)
    if map_id:
        features_above(page, map_id, 0)
    page.wait_for_timeout(500)


def no_horizontal_scroll(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


FOCUSED_OPTION = """() => {
  const o = document.activeElement && document.activeElement.closest('.dash-dropdown-option');
  return o ? o.innerText.trim() : null;
}"""


def pick(page, dropdown: str, label: str) -> None:
    """Choose ``label`` in a single dropdown with the keyboard: open it, arrow down to it, Enter."""
    page.locator(f"#{dropdown}").click()
    page.wait_for_function(FOCUSED_OPTION)
    for _ in range(20):
        if page.evaluate(FOCUSED_OPTION) == label:
            break
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(60)
    page.keyboard.press("Enter")
    page.locator(f"#{dropdown}", has_text=label).wait_for()


def matrix_rows(page) -> list[str]:
    return page.locator("#cov-table tbody th[scope=row]").all_inner_texts()


# --------------------------------------------------------------------------- /couverture


@pytest.mark.parametrize("width", [1920, 375])
def test_coverage_page_matrix_heatmap_and_gaps(browser, live_server, shipped, width):
    context = browser.new_context(viewport={"width": width, "height": 1000}, locale="fr-CA")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server + "/couverture?lang=fr")
    settle(page, "cov-map")
    result = coverage.analysis(shipped).coverage(FilterState())
    assert page.locator("h1").inner_text() == "Couverture et lacunes par région"
    assert len(matrix_rows(page)) == 17
    # Every zero cell of the matrix is marked as a gap, in colour and in words for screen readers.
    gaps = sum(len(result.gaps(r)) for r in result.regions)
    assert gaps > 0
    assert page.locator("#cov-table td.gap-cell").count() == gaps
    assert page.locator("#cov-table td.gap-cell .visually-hidden").first.inner_text().strip().startswith("— lacune")
    # The heatmap shows the same rate as the table, in French notation.
    montreal = result.cell("06", "prevention")
    rate = f"{montreal.rate:.2f}".replace(".", ",")
    heat = page.evaluate("() => document.querySelector('#cov-heatmap .js-plotly-plot').data.map(t => t.text).flat(2)")
    assert rate in heat
    assert "pas forcément aucun service" in page.locator("main").inner_text()
    assert "2026 (projection, révisée)" in page.locator("#cov-popnote").inner_text()
    assert "ligne droite" in page.locator("main").inner_text()
    assert no_horizontal_scroll(page) <= 0
    shot(page, f"10-couverture-{width}")
    assert errors == []
    context.close()


def test_coverage_page_reacts_to_the_shared_filters_and_its_own_controls(page, live_server, shipped):
    page.goto(live_server + "/couverture?lang=fr")
    settle(page, "cov-map")
    # A type in the shared filter panel becomes the only column.
    page.locator("#f-types input[value=hebergement]").check()
    page.wait_for_function("() => document.querySelectorAll('#cov-table thead th.type-col').length === 1")
    page.wait_for_url(re.compile(r"/couverture\?lang=fr&type=hebergement$"))  # the address follows the filters
    # A region picked in the shared panel becomes the only row; links keep the filters.
    page.locator("#f-regions").click()
    type_in_dropdown(page, "Laval")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.querySelectorAll('#cov-table tbody tr').length === 1")
    assert matrix_rows(page) == ["13 – Laval"]
    # The year selector changes the population used.
    page.get_by_label("2019 (estimation provisoire)").check()
    page.locator("#cov-popnote").get_by_text(re.compile("2019")).wait_for()
    page.wait_for_url(re.compile(r"region=13&type=hebergement&annee=2019$"))
    caption = page.locator("#cov-table caption").inner_text()
    assert "(2019)" in caption
    expected = coverage.analysis(shipped).coverage(FilterState(regions=("13",), types=("hebergement",)), 2019)
    population = page.locator("#cov-table tbody td").nth(2).inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert population == f"{expected.population['13']:,}".replace(",", " ")
    # An age range with no exact population group: the page says which group it used.
    page.goto(live_server + "/couverture?lang=fr&age=13-16")
    settle(page)
    assert "le plus proche qui le contient, 12 à 17 ans" in page.locator("#cov-popnote").inner_text()
    # Downloads carry the same filters.
    href = page.locator("#cov-dl-csv").get_attribute("href")
    assert href.startswith("/export/couverture.csv?") and "age=13-16" in href and "annee=2026" in href


def test_coverage_download_equals_the_cli(page, live_server, shipped, tmp_path):
    from maillage_dash.cli import main

    page.goto(live_server + "/couverture?lang=fr&age=12-17&type=prevention")
    settle(page)
    with page.expect_download() as info:
        page.locator("#cov-dl-csv").click()
    download = info.value
    assert download.suggested_filename.startswith("maillage-couverture-") and download.suggested_filename.endswith(".csv")
    out = tmp_path / "cli.csv"
    assert main(["coverage", "--age", "12-17", "--type", "prevention", "-o", str(out)], environ={}) == 0
    assert open(download.path(), "rb").read() == out.read_bytes()


def test_gap_map_and_accessibility_follow_the_chosen_type(page, live_server, shipped):
    page.goto(live_server + "/couverture?lang=en")
    settle(page, "cov-map")
    pick(page, "cov-access-type", "Shelter and housing")
    page.locator("#cov-access caption").get_by_text("“Shelter and housing”").wait_for()
    analysis = coverage.analysis(shipped)
    result = analysis.coverage(FilterState(types=("hebergement",)))
    farthest = analysis.access.deserts(result.access, "hebergement").iloc[0]
    assert page.locator("#cov-deserts tbody th").first.inner_text() == farthest["nom"]
    assert "straight line" in page.locator("#cov-deserts thead").inner_text()
    # The gap map: every region is drawn, and the regions with a gap are the orange ones.
    pick(page, "cov-map-type", "Alternative justice")
    page.wait_for_function(
        "() => document.querySelector('#cov-map .js-plotly-plot').data[0].customdata[0].includes('Alternative justice')"
    )
    features_above(page, "cov-map", 9)


def test_keyboard_from_the_matrix_to_a_region_profile(page, live_server):
    page.goto(live_server + "/couverture?lang=fr&age=12-17")
    settle(page)
    link = page.locator("#cov-table tbody th a", has_text="Lanaudière")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/region/14\?lang=fr&age=12-17"))
    page.locator("h1", has_text="14 – Lanaudière — fiche régionale").wait_for()


# --------------------------------------------------------------------------- /region/NN


@pytest.mark.parametrize("width", [1920, 375])
def test_region_profile(browser, live_server, shipped, width):
    context = browser.new_context(viewport={"width": width, "height": 1000}, locale="fr-CA")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server + "/region/16?lang=fr")
    settle(page, "profile-map")
    profile = build(coverage.analysis(shipped), "16", FilterState())
    assert page.locator("h1").inner_text() == "16 – Montérégie — fiche régionale"
    figures = page.locator(".key-figures").inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert f"{profile.coverage.population['16']:,}".replace(",", " ") in figures
    assert f"{profile.covered} / 9" in figures
    # Neighbours from the polygons, each with its row and its own profile link.
    neighbours = page.locator(".profile table").nth(1).locator("tbody th[scope=row]").all_inner_texts()
    assert neighbours == [schema.region_label(c) for c in ("16", *profile.neighbours)]
    assert set(profile.neighbours) == {"05", "06", "14", "15", "17"}
    # Gaps by type and age band: three bands, zero cells flagged.
    bands = page.locator(".profile table").first
    assert bands.locator("thead").inner_text().count("ans") >= 3
    assert bands.locator("td.gap-cell").count() == sum(1 for b in profile.bands for n in b["counts"].values() if n == 0)
    assert page.locator(".profile-services > li").count() == len(profile.services)
    # The map drew the region and its neighbours (read once the map has stopped moving).
    features_above(page, "profile-map", 0)
    assert no_horizontal_scroll(page) <= 0
    shot(page, f"11-fiche-16-{width}")
    assert errors == []
    context.close()


def test_presentation_mode(browser, live_server):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-CA")
    page = context.new_page()
    page.goto(live_server + "/region/09?lang=fr")
    settle(page, "profile-map")
    h1_size = "() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"
    normal_h1 = page.evaluate(h1_size)
    page.get_by_role("link", name="Mode présentation").click()
    page.wait_for_url(re.compile(r"presentation=1"))
    page.locator(".profile.presentation").wait_for()
    settle(page, "profile-map")
    assert page.evaluate(h1_size) > normal_h1 * 1.3
    assert not page.locator(".main-nav").is_visible()
    assert not page.locator(".tagline").is_visible()
    assert page.locator("#quick-exit").is_visible()  # the safety exit stays
    map_box = page.locator("#profile-map").bounding_box()
    assert map_box["width"] > 1800 and map_box["height"] > 0.75 * 1080
    shot(page, "12-fiche-09-presentation-1920")
    page.get_by_role("link", name="Quitter le mode présentation").click()
    page.wait_for_function("() => !document.querySelector('.profile.presentation') && document.querySelector('.profile')")
    assert page.locator(".main-nav").is_visible()
    context.close()


def test_profile_prints_without_chrome(page, live_server):
    page.goto(live_server + "/region/13?lang=fr")
    settle(page, "profile-map")
    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")  # what a real print does first
    page.locator(".profile-actions").wait_for(state="hidden")
    assert not page.locator(".main-nav").is_visible()
    assert page.locator(".key-figures").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]
    shot(page, "13-fiche-13-impression")


def test_html_export_opens_offline(browser, page, live_server, shipped, tmp_path):
    page.goto(live_server + "/region/10?lang=fr&age=12-17")
    settle(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Exporter en HTML").click()
    download = info.value
    assert re.fullmatch(r"maillage-fiche-regionale-10-nord-du-quebec-\d{4}-\d{2}-\d{2}\.html", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    html = path.read_text(encoding="utf-8")
    # Everything inline: no script, stylesheet or image is loaded from anywhere.
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=", html)

    # Open the file with every network request refused: it must need none.
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, offline=True)
    asked: list[str] = []

    def refuse(route):
        if route.request.url.startswith("file:"):
            return route.continue_()
        asked.append(route.request.url)
        return route.abort("internetdisconnected")

    context.route("**/*", refuse)
    offline = context.new_page()
    errors: list[str] = []
    offline.on("pageerror", lambda exc: errors.append(str(exc)))
    offline.goto(path.as_uri())
    offline.wait_for_function("() => document.querySelector('.export-graph .main-svg')")
    assert asked == [] and errors == []
    assert offline.locator("h1").inner_text() == "10 – Nord-du-Québec — fiche régionale"
    assert offline.locator("svg.svg-map path").count() >= 1 + len(coverage.analysis(shipped).adjacency["10"])
    text = offline.locator("body").inner_text()
    assert "Âge : 12 à 17 ans" in text
    assert "MSSS / Institut de la statistique du Québec" in text and "BDGA" in text  # sources
    assert re.search(r"exportée le \d+ \w+ \d{4} à \d+ h \d+", text)  # date
    assert "12 à 17 ans" in offline.locator(".key-figures").inner_text()
    shot(offline, "14-export-html-hors-ligne")
    context.close()


def test_profile_of_an_unknown_region_lists_the_regions(page, live_server):
    page.goto(live_server + "/region/42?lang=en")
    page.get_by_role("heading", name="Unknown region").wait_for()
    assert page.locator("main li a").count() == 17


def test_profile_cli_writes_a_pdf_and_a_png(tmp_path):
    """The command line prints the same file to PDF and PNG with Playwright and Debian's Chromium (in
    its own process: Playwright's sync API does not nest inside the browser these tests drive)."""
    import subprocess
    import sys

    for fmt in ("pdf", "png"):
        out = tmp_path / f"fiche.{fmt}"
        done = subprocess.run(
            [sys.executable, "-m", "maillage_dash", "profile", "11", "--format", fmt, "-o", str(out)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert "Gaspésie" in done.stdout
        data = out.read_bytes()
        if fmt == "pdf":
            assert data.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 2
        else:
            assert data.startswith(b"\x89PNG") and len(data) > 100_000


@pytest.mark.parametrize("query", ["?lang=fr", "?lang=en&presentation=1"])
def test_profile_has_no_serious_axe_violation(browser, live_server, query):
    """The shared axe test visits /region without a code; this one checks a real profile."""
    from tests.site.test_accessibility_browser import AXE, AXE_OPTIONS, blocking

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(live_server + "/region/06" + query)
    settle(page, "profile-map")
    problems = blocking(AXE.run(page, options=AXE_OPTIONS).response)
    context.close()
    assert problems == []


SMALL_TEXT_JS = """() => {
  const out = [];
  const walk = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walk.nextNode())) {
    const t = n.textContent.trim(); if (!t) continue;
    const el = n.parentElement; const r = el.getBoundingClientRect(); if (!r.width || !r.height) continue;
    const cs = getComputedStyle(el); if (cs.visibility === 'hidden') continue;
    if (parseFloat(cs.fontSize) < 18) out.push(t.slice(0, 40) + ' (' + cs.fontSize + ')');
  }
  return out; }"""


@pytest.mark.parametrize("path", ["/couverture", "/region/06"])
def test_presentation_mode_is_readable_from_the_back_of_the_room_without_a_reload(browser, live_server, path):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-CA")
    page = context.new_page()
    page.goto(f"{live_server}{path}?lang=fr")
    page.get_by_role("link", name="Mode présentation").wait_for()
    page.evaluate("() => { window.__sameDocument = true; }")
    page.get_by_role("link", name="Mode présentation").click()
    page.wait_for_selector(".presentation")
    page.wait_for_timeout(1500)  # the figures redraw at their presentation size
    assert page.evaluate("() => window.__sameDocument === true"), "the page was reloaded"
    small = page.evaluate(SMALL_TEXT_JS)
    assert small == [], small[:10]
    shot(page, f"presentation{path.replace('/', '-')}-1920")
    context.close()
