"""What a page fetches ahead (Dash's layout and callbacks, plotly.js, the regions' outlines) is asked for
once its first frame is painted, each address once, on a first visit and on a visit with the scripts in
the browser's cache (maillage_dash/site/bundles.py, PRELOADER_JS)."""

from __future__ import annotations

from collections import Counter

import pytest

from maillage_dash.site import bundles

AHEAD = ("/_dash-layout", "/_dash-dependencies", bundles.PLOTLY_URL, bundles.MAPLIBRE_URL, "/geo/regions-")
# Asked for by the script in the <head>: the links it adds, and when (the page's time, in ms).
WATCH_LINKS = """
window.__ahead = [];
new MutationObserver(function (changes) {
  changes.forEach(function (c) {
    c.addedNodes.forEach(function (n) {
      // (the grid's script, prefetched at idle time by a link of the page's end, is not in the list)
      if (n.tagName === 'LINK' && /^pre(load|fetch)$/.test(n.rel) && !n.hasAttribute('data-grid-script')) {
        window.__ahead.push([n.getAttribute('href'), performance.now()]);
      }
    });
  });
}).observe(document, {subtree: true, childList: true});
window.__frame = null;
requestAnimationFrame(function () { window.__frame = performance.now(); });
"""


def requested(urls: list[str], origin: str) -> Counter:
    counts: Counter = Counter()
    for url in urls:
        path = url[len(origin) :] if url.startswith(origin) else url
        for name in AHEAD:
            if path.startswith(name):
                counts[name] += 1
    return counts


@pytest.mark.parametrize("path", ["/proximite?lang=fr&pres=Granby&rayon=50", "/?lang=fr", "/fiches?lang=en"])
def test_ahead_is_asked_for_after_the_first_frame_and_once(browser, live_server, path):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script(WATCH_LINKS)
    page = context.new_page()
    urls: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    for visit in ("first", "cached"):
        urls.clear()
        page.goto(live_server + path)
        page.wait_for_selector("main#content")
        page.wait_for_load_state("networkidle")
        ahead = page.evaluate("() => window.__ahead")
        frame = page.evaluate("() => window.__frame")
        counts = requested(urls, live_server)
        assert all(n == 1 for n in counts.values()), f"{visit} visit of {path}: asked more than once: {counts}"
        assert counts["/_dash-layout"] == 1 and counts["/_dash-dependencies"] == 1
        graphs = not path.startswith("/fiches")
        assert (counts[bundles.PLOTLY_URL] == 1) == graphs, counts
        assert (counts["/geo/regions-"] == 1) == graphs, counts
        # The links come from the script, after the first animation frame, never with the page's HTML. On a
        # page without graphs only Dash's layout and callbacks are ahead, and with the scripts cached Dash's
        # renderer may start before that frame and ask for them itself: the script then adds nothing.
        assert ahead or (visit == "cached" and not graphs), f"{visit} visit of {path}: nothing fetched ahead"
        assert frame is not None and all(t >= frame for _, t in ahead), (frame, ahead)
        if visit == "first":
            assert {href for href, _ in ahead} >= {"/_dash-layout", "/_dash-dependencies"}
    assert errors == []
    context.close()
