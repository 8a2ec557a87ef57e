"""What the home page shows before its scripts have run: the regions as a picture and the table's first
rows (maillage_dash/map/static_map.py, map/layout.static_rows), and how they give way to the live map and
grid without a jump."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from maillage_dash.config import Settings
from maillage_dash.map import figures, static_map
from maillage_dash.webapp import create_app

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def client(shipped, tmp_path_factory):
    app = create_app(Settings(), directory=shipped, environ={"MAILLAGE_BUNDLE_CACHE": str(tmp_path_factory.mktemp("b"))})
    return app.server.test_client()


def picture_of(client, query: str) -> ET.Element:
    response = client.get(f"/geo/carte.svg?{query}")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    return ET.fromstring(response.get_data(as_text=True))


def test_first_response_carries_the_picture_and_the_first_rows(client, shipped):
    html = client.get("/?lang=fr&type=hebergement").get_data(as_text=True)
    copy = html[html.index('<div id="prerender"') :]
    src = re.search(r'<img [^>]*class="map-static"[^>]*>', copy).group(0)
    assert 'src="/geo/carte.svg?lang=fr&amp;type=hebergement&amp;v=' in src
    assert 'aria-hidden="true"' in src and 'alt="' in src
    rows = re.search(r'<div class="grid-static" aria-hidden="true"><table[^>]*>(.*?)</table>', copy).group(1)
    names = re.findall(r"<tr><td>(.*?)</td>", rows)
    assert 0 < len(names) <= 12
    shelters = shipped.services[shipped.services["types"].apply(lambda ts: "hebergement" in ts)]
    assert set(n.replace("&#x27;", "'").replace("&amp;", "&") for n in names) <= set(shelters["nom"])


def test_picture_colours_regions_by_their_count_with_the_map_s_scale(client, shipped):
    svg = picture_of(client, "lang=fr&type=hebergement")
    paths = svg.findall(f"{SVG}path")
    assert len(paths) >= 10  # the regions in the populated south's frame
    fills = {p.get("fill") for p in paths}
    # Some regions have no shelter listed: the map's grey; the most served one: the scale's end.
    import numpy as np

    from maillage_dash import filters

    state, _ = filters.FilterState.build(types=["hebergement"])
    counts = figures.region_counts(shipped, filters.mask(shipped, state))["total"]
    assert (counts == 0).any() and (counts > 0).any()
    grey = static_map._colour(0, int(counts.max()))
    assert grey == "rgb(242, 242, 242)" and grey in fills  # ZERO_COLOUR #f2f2f2
    assert static_map._colour(int(counts.max()), int(counts.max())) in fills  # the darkest blue, #08306b
    assert all(p.get("fill-opacity") == "0.75" for p in paths)
    assert np.isclose(float(paths[0].get("stroke-width")), 0.8)


def test_chosen_region_is_outlined_and_framed(client):
    svg = picture_of(client, "lang=fr&region=06")
    thick = [p for p in svg.findall(f"{SVG}path") if p.get("stroke-width") == "3.5"]
    assert len(thick) == 1 and thick[0].get("stroke") == "#111111"
    x, y, w, h = (float(v) for v in svg.get("viewBox").split())
    everything = picture_of(client, "lang=fr")
    assert w < float(everything.get("viewBox").split()[2]) / 20  # Montréal, not the whole south


@pytest.mark.parametrize(
    "query", ["region=99", "age=abc", "type=%00", "lang=xx&region=06&region=06", "v=1&v=2", "q=" + "é" * 500, ""]
)
def test_picture_address_refuses_nothing_and_never_fails(client, query):
    svg = picture_of(client, query)
    assert svg.tag == f"{SVG}svg"


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/?lang=fr", "/?lang=en&region=06", "/?lang=fr&region=10&region=09"])
def test_picture_shows_what_the_live_map_then_shows_in_the_same_frame(page, live_server, path):
    page.goto(live_server + path)
    page.wait_for_function("() => !!document.querySelector('.map-wrap > .map-static[data-done]')", timeout=60_000)
    page.wait_for_timeout(800)  # the fit's checks after the first drawing
    view = page.evaluate(
        """async () => {
          const img = document.querySelector('.map-wrap > .map-static');
          const text = await (await fetch(img.src)).text();
          const [x, y, w, h] = text.match(/viewBox="([^"]+)"/)[1].split(' ').map(Number);
          const gd = document.querySelector('#map .js-plotly-plot');
          const map = gd._fullLayout.map._subplot.map;
          const box = gd.getBoundingClientRect();
          const scale = Math.min(box.width / w, box.height / h);
          const lon = (x + w / 2) / 512 * 360 - 180;
          const my = Math.PI * (1 - 2 * (y + h / 2) / 512);
          const lat = (2 * Math.atan(Math.exp(my)) - Math.PI / 2) * 180 / Math.PI;
          const c = map.getCenter();
          return {pictureZoom: Math.log2(scale), mapZoom: map.getZoom(), lon, lat, mapLon: c.lng, mapLat: c.lat,
                  hidden: getComputedStyle(img).display === 'none'};
        }"""
    )
    assert view["hidden"], "the picture gives way to the live map"
    assert abs(view["pictureZoom"] - view["mapZoom"]) < 0.05, view
    assert abs(view["lon"] - view["mapLon"]) < 0.05 and abs(view["lat"] - view["mapLat"]) < 0.05, view
    assert page.js_errors == []


@pytest.mark.browser
def test_first_rows_are_the_grid_s_and_stay_hidden_once_it_shows_them(page, live_server, shipped):
    page.goto(live_server + "/?lang=fr")
    page.wait_for_function("() => !!document.querySelector('.grid-wrap > .grid-static[data-done]')", timeout=60_000)
    static = page.evaluate(
        "() => [...document.querySelectorAll('.grid-static tbody tr')].map(tr => [...tr.cells].map(td => td.textContent))"
    )
    grid = page.evaluate(
        """(n) => {
          const api = window.dash_ag_grid.getApi('grid');
          const cols = api.getColumnDefs().map(c => c.field);
          const out = [];
          for (let i = 0; i < n; i++) { const d = api.getDisplayedRowAtIndex(i).data; out.push(cols.map(f => d[f])); }
          return out;
        }""",
        len(static),
    )
    assert len(static) == 12 and static == grid
    assert page.evaluate("getComputedStyle(document.querySelector('.grid-static')).display") == "none"
    page.get_by_label("Hébergement").check()  # the grid empties and fills again: the first state's rows stay away
    page.wait_for_timeout(1500)
    assert page.evaluate("getComputedStyle(document.querySelector('.grid-static')).display") == "none"
    assert page.js_errors == []
