"""The home map's markers in the real browser: a marker of several services has their count drawn beside
it, its hover says how many and names them, and a click or a tap lists them all beside the table."""

from __future__ import annotations

import pytest

from maillage_dash import filters
from maillage_dash.filters import FilterState
from maillage_dash.i18n import fmt_int
from maillage_dash.map import figures
from tests.browser_fixtures import SHOTS
from tests.browser_helpers import wait_count

# The biggest marker of the services trace (data[1]), where MapLibre put it, and the count badges drawn.
BIGGEST_JS = """() => {
  const gd = document.querySelector('#map .js-plotly-plot');
  const map = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot.map;
  if (!map || !map.loaded() || map.isMoving() || !gd.data[1] || !gd.data[1].meta) { return null; }
  const trace = gd.data[1], sizes = trace.marker.size;
  let best = 0;
  sizes.forEach((s, i) => { if (s > sizes[best]) { best = i; } });
  const host = map.getContainer().getBoundingClientRect();
  const p = map.project([trace.lon[best], trace.lat[best]]);
  const badges = Array.from(gd.querySelectorAll('.map-mark-badge')).map(e => ({i: +e.dataset.point, text: e.textContent}));
  // A spot of that marker that no other marker covers (none: it is hidden), nearest its centre.
  const others = trace.lat.map((lat, j) => ({p: map.project([trace.lon[j], lat]), r: sizes[j] / 2, j: j}))
    .filter(o => o.j !== best);
  let spot = null;
  for (let d = 0; d < sizes[best] / 2 - 2 && !spot; d += 2) {
    for (let a = 0; a < 360 && !spot; a += 15) {
      const x = p.x + d * Math.cos(a * Math.PI / 180), y = p.y + d * Math.sin(a * Math.PI / 180);
      if (others.every(o => Math.hypot(o.p.x - x, o.p.y - y) > o.r + 3)) { spot = [x, y]; }
    }
  }
  const top = spot ? map.queryRenderedFeatures(spot).filter(f => f.layer.type === 'circle').map(f => f.layer.id) : [];
  return {i: best, mark: trace.meta.marks[best], spot: spot && [host.x + spot[0], host.y + spot[1]], badges: badges,
          top: top, uid: gd._fullData[1].uid, key: trace.customdata[best]};
}"""

STILL_JS = """() => {
  const gd = document.querySelector('#map .js-plotly-plot');
  const map = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot.map;
  if (!map || gd.dataset.fitKey !== 'all' || map.isMoving()) { return false; }
  const c = map.getCenter(), view = [c.lng, c.lat, map.getZoom(), gd.clientWidth].join(','), now = performance.now();
  if (window.markersTestView !== view) { window.markersTestView = view; window.markersTestSince = now; return false; }
  return now - window.markersTestSince > 1500;
}"""


@pytest.mark.parametrize(("lang", "width"), [("fr", 1920), ("en", 375)])
def test_a_marker_of_several_services_says_how_many_and_lists_them(browser, live_server, shipped, lang, width):
    phone = width < 576
    context = browser.new_context(
        viewport={"width": width, "height": 740 if phone else 1080}, has_touch=phone, is_mobile=phone, locale=f"{lang}-CA"
    )
    page = context.new_page()
    page.goto(f"{live_server}/?lang={lang}")
    wait_count(page, len(shipped))
    page.locator("#map").scroll_into_view_if_needed()
    # The map is framed to Québec for this screen, then checked and moved again for a few seconds
    # (assets/20-map-fit.js): wait until its view has stayed the same for 1.5 s.
    page.wait_for_function(STILL_JS, polling=250)
    state = page.wait_for_function(
        f"() => {{ const s = ({BIGGEST_JS})(); return s && s.badges.some(b => b.i === s.i) ? s : null; }}"
    ).json_value()
    # The count drawn is the number of services under the marker (the same grouping as the server's).
    keep = filters.mask(shipped, FilterState())
    markers = figures.markers(shipped.services[keep], lang).set_index("key")
    n = int(markers.loc[state["key"], "n"])
    assert n > 1 and state["mark"] == fmt_int(n, lang)
    assert next(b["text"] for b in state["badges"] if b["i"] == state["i"]) == fmt_int(n, lang)
    assert state["spot"], "the biggest marker is entirely under smaller ones"
    assert state["top"][0].startswith(f"plotly-trace-layer-{state['uid']}-")  # drawn above the regions there
    # Its hover (pointer or tap) says how many and names the first ones; a click or tap lists them all.
    if phone:
        page.touchscreen.tap(*state["spot"])
    else:
        page.mouse.move(*state["spot"])
        hover = page.locator("#map .hoverlayer .hovertext").first
        hover.wait_for()
        assert f"{fmt_int(n, lang)} services" in hover.text_content()  # several: the plural form
        page.mouse.click(*state["spot"])
    heading = page.locator("#detail h3").first
    heading.wait_for()
    words = "services à cet endroit" if lang == "fr" else "services at this place"
    assert heading.inner_text() == f"{fmt_int(n, lang)} {words}"
    assert page.locator("#detail li").count() == min(n, 20)
    page.locator("#map").screenshot(path=str(SHOTS / f"map-marks-{width}-{lang}.png"))
    context.close()
