"""Small helpers that read the page the way a user sees it (through the grid's and the map's APIs)."""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeout

GRID_COUNT_JS = """() => {
  let api = null;
  try { api = window.dash_ag_grid && window.dash_ag_grid.getApi('grid'); } catch (e) { return -1; }
  if (!api) { return -1; }
  // The infinite row model knows the total from the server's answer (rowCount) while only the first
  // block is loaded: wait for the first row's data, then read the total the grid shows.
  const n = api.getDisplayedRowCount();
  const first = api.getDisplayedRowAtIndex(0);
  if (n > 0 && (!first || !first.data)) { return -1; }
  return n;
}"""

GRID_IDS_JS = """() => {
  const ids = [];
  window.dash_ag_grid.getApi('grid').forEachNode(node => { if (node.data) { ids.push(node.data.id); } });
  return ids;
}"""

# Number of region polygons MapLibre actually rendered on the canvas.
POLYGONS_JS = """() => {
  const gd = document.querySelector('#map .js-plotly-plot');
  if (!gd || !gd._fullLayout || !gd._fullLayout.map) { return -1; }
  const map = gd._fullLayout.map._subplot.map;
  if (!map || !map.getStyle()) { return -1; }
  const layers = map.getStyle().layers.filter(l => l.type === 'fill').map(l => l.id);
  const feats = map.queryRenderedFeatures({layers: layers});
  return new Set(feats.map(f => f.properties && f.properties.code || f.id)).size || feats.length;
}"""


def wait_count(page, expected: int, timeout: float = 15_000) -> None:
    """Wait until the services counter and the grid both show ``expected`` rows."""
    # The grid counter is inlined, not eval'ed: the page's Content-Security-Policy forbids eval.
    page.wait_for_function(
        """(expected) => {
            const el = document.getElementById('count-services');
            if (!el || el.textContent.replace(/\\s/g, '') !== String(expected)) { return false; }
            return ("""
        + GRID_COUNT_JS
        + """)() === expected;
        }""",
        arg=expected,
        timeout=timeout,
    )


GRID_ROW_JS = "() => [...document.querySelectorAll('#grid .ag-row .ag-cell')].some(c => c.textContent.trim())"


def wait_grid(page, timeout: float = 30_000) -> None:
    """Wait until the grid is mounted (after the map is drawn: assets/25-grid-mount.js) and shows a row
    with text (its first row is an empty stub until the data come)."""
    page.wait_for_function(GRID_ROW_JS, timeout=timeout)


def grid_count(page) -> int:
    return page.evaluate(GRID_COUNT_JS)


def wait_polygons(page, timeout: float = 15_000) -> int:
    # A function, not an expression: Playwright evaluates an expression with eval at each poll,
    # which the page's Content-Security-Policy forbids.
    page.wait_for_function(f"() => ({POLYGONS_JS})() > 0", timeout=timeout)
    return page.evaluate(POLYGONS_JS)


def type_in_dropdown(page, text: str, delay: float = 0, *, filtered: bool = True) -> None:
    """Type into an opened Dash dropdown the way a person does.

    Dash 4's dropdown takes the first key on its button and moves the focus to its search box on the
    next animation frame; a key pressed before that frame is lost (seen under load: "js 1a1" for
    "j2s 1a1"). A person sees the search box open before typing on: wait for it the same way."""
    page.keyboard.type(text[0])
    page.wait_for_function("() => !!document.activeElement && document.activeElement.matches('.dash-dropdown-search')")
    page.keyboard.type(text[1:], delay=delay)
    # A person reads the box before pressing Enter, and retypes when a key was lost (under load the
    # search box can still drop one): wait until it holds the whole text, else select all and retype.
    for _ in range(3):
        try:
            page.wait_for_function(
                "(typed) => !!document.activeElement && document.activeElement.value === typed", arg=text, timeout=4_000
            )
            if filtered:
                # … and reads the list once it holds only what matches: Enter before that picked whichever
                # option was highlighted in the unfiltered list (a CI run chose 11 for « Montérégie »).
                page.wait_for_function(
                    """(typed) => { const o = Array.from(document.querySelectorAll('.dash-dropdown-options [role=option]'));
                       return o.length > 0 && o.every(e => e.textContent.toLowerCase().includes(typed.toLowerCase())); }""",
                    arg=text,
                    timeout=4_000,
                )
            return
        except PlaywrightTimeout:
            page.keyboard.press("Control+A")
            page.keyboard.type(text, delay=max(delay, 30))
    raise AssertionError(f"the dropdown's search box never held {text!r}")
