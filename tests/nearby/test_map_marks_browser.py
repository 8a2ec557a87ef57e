"""The nearby map in the real browser: services that share a point (their municipality's, for want of an
address) are one marker with the list's ranks drawn on it (« 1–4 »), above the searched place's ring, so
none hides under the place; a tap (375 px, touch) or a hover (1920 px) lists them, in the page's language."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest
from PIL import Image

from maillage_dash.text import fold_place
from tests.browser_fixtures import SHOTS, shot

# What the drawn map shows: the traces' marks, the pills drawn over the map and where their markers are,
# and which layer MapLibre rendered on top at each service marker's centre.
MAP_JS = """() => {
  const gd = document.querySelector('#near-map .js-plotly-plot');
  const map = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot.map;
  if (!map || !map.loaded() || map.isMoving()) { return null; }
  const services = gd._fullData.find(t => t.meta && t.meta.role === 'services');
  const place = gd._fullData.filter(t => t.meta && t.meta.role === 'place');
  if (!services) { return null; }
  const input = gd.data[services.index];
  const host = map.getContainer().getBoundingClientRect();
  const pills = Array.from(gd.querySelectorAll('.map-mark-pill')).map(e => {
    const r = e.getBoundingClientRect();
    return {text: e.textContent, i: +e.dataset.point, x: r.x + r.width / 2, y: r.y + r.height / 2, w: r.width, h: r.height,
            colour: getComputedStyle(e).backgroundColor};
  });
  const labels = Array.from(gd.querySelectorAll('.map-label')).map(e => {
    const r = e.getBoundingClientRect(); return {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom, text: e.textContent};
  });
  const points = input.lat.map((lat, i) => {
    const p = map.project([input.lon[i], lat]);
    const inside = p.x >= 0 && p.y >= 0 && p.x <= host.width && p.y <= host.height;
    const top = inside ? map.queryRenderedFeatures([p.x, p.y]).filter(f => f.layer.type === 'circle') : [];
    return {x: host.x + p.x, y: host.y + p.y, inside: inside, top: top.length ? top[0].layer.id : null,
            under: top.map(f => f.layer.id)};
  });
  return {marks: services.meta.marks, uid: services.uid, placeUids: place.map(t => t.uid),
          placeAt: map.project([place[0].lon[0], place[0].lat[0]]), pills: pills, labels: labels, points: points,
          host: {x: host.x, y: host.y, w: host.width, h: host.height}};
}"""

CASES = [
    # lang, width, place in the address, what the hover of the place's point begins with
    ("fr", 1920, "Saint-J%C3%A9r%C3%B4me", "4 services à Saint-Jérôme (position de la municipalité)"),
    ("en", 1920, "Montr%C3%A9al", "31 services in Montréal (the municipality's point)"),
    ("fr", 375, "Saint-Hyacinthe", "3 services à Saint-Hyacinthe (position de la municipalité)"),
    ("en", 375, "Laval", "6 services in Laval (the municipality's point)"),
    ("fr", 375, "Qu%C3%A9bec", "12 services à Québec (position de la municipalité)"),
]
SHOWN = 6  # services named in a hover (maillage_dash/nearby/figures.py HOVER_NAMES)


def squeeze(text: str) -> str:
    """Text without its spaces: the hover wraps long names over several lines."""
    return re.sub(r"\s+", "", text)


def expand(label: str) -> list[int]:
    """« 1–4, 7 » → [1, 2, 3, 4, 7]."""
    out: list[int] = []
    for part in label.split(", "):
        a, _, b = part.partition("–")
        out += list(range(int(a), int(b or a) + 1))
    return out


def colour_near(pixel: tuple[int, ...], hex_colour: str, tolerance: int = 40) -> bool:
    target = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return all(abs(int(c) - t) <= tolerance for c, t in zip(pixel[:3], target))


def drawn(page) -> dict:
    """The map's state once its marks are drawn where its markers are (the map at rest)."""
    # Inlined, not passed to eval(): the page's Content-Security-Policy forbids eval.
    handle = page.wait_for_function(
        f"""() => {{ const s = ({MAP_JS})(); const ok = !!s && s.pills.length > 0 &&
            s.pills.length === s.marks.filter((m, i) => s.points[i].inside).length &&
            s.pills.every(p => Math.abs(p.x - s.points[p.i].x) < 1.5 && Math.abs(p.y - s.points[p.i].y) < 1.5);
            return ok ? s : null; }}"""
    )
    return handle.json_value()


def pill_box(page) -> dict:
    """The first pill's box; the marks are drawn again after every redraw of the figure, so a box read
    while they are replaced is None: read again once a pill is there."""
    pill = page.locator("#near-map .map-mark-pill").first
    for _ in range(10):
        pill.wait_for(state="visible")
        box = pill.bounding_box()
        if box is not None:
            return box
    raise AssertionError("no stable pill on the map")


def open_map(browser, live_server, lang: str, width: int, place: str, radius: int = 10):
    phone = width < 576
    context = browser.new_context(
        viewport={"width": width, "height": 740 if phone else 1080},
        has_touch=phone,
        is_mobile=phone,
        locale="fr-CA" if lang == "fr" else "en-CA",
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server}/proximite?lang={lang}&pres={place}&rayon={radius}")
    page.wait_for_selector(".near-item")
    if phone:  # the list comes first on a phone: one tap shows the map
        page.locator("#near-view").get_by_text("Carte" if lang == "fr" else "Map", exact=True).tap()
        page.locator("#near-map").wait_for(state="visible")
        # The map was laid out while hidden: wait for its resize to the shown size (assets/15-clientside.js).
        page.wait_for_function(
            """() => { const gd = document.querySelector('#near-map .js-plotly-plot');
                       const map = gd && gd._fullLayout.map && gd._fullLayout.map._subplot.map;
                       return !!map && gd.clientWidth > 0 && map.getCanvas().clientWidth === map.getContainer().clientWidth
                           && map.getContainer().clientWidth === gd.clientWidth; }"""
        )
    return context, page, errors


@pytest.mark.parametrize(("lang", "width", "place", "first_line"), CASES)
def test_services_at_the_place_are_one_numbered_marker_above_the_place(browser, live_server, lang, width, place, first_line):
    context, page, errors = open_map(browser, live_server, lang, width, place)
    state = drawn(page)
    # The numbers on the markers are the list's ranks, each once: a card is matched to its marker.
    ranks = [int(r) for r in page.locator("#near-results .near-list:not(.near-apart) .near-rank").all_inner_texts()]
    assert ranks == list(range(1, len(ranks) + 1))
    on_map = sorted(r for label in state["marks"] for r in expand(label))
    assert on_map == ranks, (state["marks"], ranks)
    assert sorted(p["text"] for p in state["pills"]) == sorted(state["marks"])
    # At 10 km every result is at the place's own point: one marker, numbered 1–n, where the ring is.
    assert state["marks"] == [f"1–{len(ranks)}"]
    pill = state["pills"][0]
    point = state["points"][pill["i"]]
    assert abs(pill["x"] - point["x"]) < 1.5 and abs(pill["y"] - point["y"]) < 1.5
    assert pill["colour"] == "rgb(194, 24, 91)"  # the list's rank colour (#c2185b)
    ring = (state["host"]["x"] + state["placeAt"]["x"], state["host"]["y"] + state["placeAt"]["y"])
    assert abs(ring[0] - point["x"]) < 1 and abs(ring[1] - point["y"]) < 1  # the very same point
    # MapLibre drew the service marker on top, the place's ring beneath it; no place name covers the pill.
    for p in state["points"]:
        if p["inside"]:
            assert p["top"].startswith(f"plotly-trace-layer-{state['uid']}-"), p
    assert any(f"plotly-trace-layer-{uid}-" in layer for uid in state["placeUids"] for layer in point["under"])
    for label in state["labels"]:
        box = (pill["x"] - pill["w"] / 2, pill["y"] - pill["h"] / 2, pill["x"] + pill["w"] / 2, pill["y"] + pill["h"] / 2)
        assert not (label["x0"] < box[2] and label["x1"] > box[0] and label["y0"] < box[3] and label["y1"] > box[1]), label
    # The pixels: the pill's colour at its centre and the green ring showing above it.
    graph = page.locator("#near-map")
    graph.scroll_into_view_if_needed()
    drawn(page)
    # Both boxes in Playwright's coordinates (a phone's page may be zoomed: not getBoundingClientRect's).
    box, mark = graph.bounding_box(), pill_box(page)
    assert box["x"] <= mark["x"] and mark["x"] + mark["width"] <= box["x"] + box["width"]  # whole, not cut by the edge
    assert box["y"] <= mark["y"] and mark["y"] + mark["height"] <= box["y"] + box["height"]
    image = Image.open(io.BytesIO(graph.screenshot())).convert("RGB")
    scale = image.width / box["width"]
    cx, cy, half = mark["x"] + mark["width"] / 2 - box["x"], mark["y"] + mark["height"] / 2 - box["y"], 24
    pixels = [
        image.getpixel((round((cx + dx) * scale), round((cy + dy) * scale)))
        for dx in range(-half, half)
        for dy in range(-half, half)
    ]
    above = [image.getpixel((round(cx * scale), round((cy - dy) * scale))) for dy in range(12, half)]
    assert sum(colour_near(p, "#c2185b") for p in pixels) > 100, "no rank pill drawn"
    assert any(colour_near(p, "#1b5e20") for p in above), "the place's ring is hidden"
    # A tap (phone) or the pointer (desktop) on the marker lists its services, in the page's language.
    at = (mark["x"] + mark["width"] / 2, mark["y"] + mark["height"] / 2)
    page.touchscreen.tap(*at) if width < 576 else page.mouse.move(*at)
    hover = page.locator("#near-map .hoverlayer .hovertext")
    hover.first.wait_for()
    text = squeeze(hover.first.text_content())
    assert text.startswith(squeeze(first_line)), text
    names = page.locator("#near-results .near-list:not(.near-apart) .near-name").all_inner_texts()
    for rank, name in list(enumerate(names, start=1))[:SHOWN]:
        assert squeeze(f"{rank}. {name}") in text, (name, text)
    if len(names) > SHOWN:
        more = (
            f"… et {len(names) - SHOWN} autre{'s' if len(names) - SHOWN > 1 else ''} : voir la liste"
            if lang == "fr"
            else f"… and {len(names) - SHOWN} more: see the list"
        )
        assert squeeze(more) in text
    key = page.locator(".near-map-key").inner_text()
    assert ("Lieu choisi" if lang == "fr" else "Chosen place") in key
    name = fold_place(unquote(place)).replace(" ", "-")
    shot(page, f"near-marks-{name}-{width}-{lang}")
    page.locator("#near-map").screenshot(path=str(SHOTS / f"near-marks-{name}-{width}-{lang}-map.png"))
    assert errors == []
    context.close()


def test_wider_radius_numbers_every_point_and_prints(browser, live_server):
    """Saint-Jérôme at 50 km: several points (Mirabel, Laval, Montréal…), each numbered with its ranks;
    the numbers stay in print."""
    context, page, errors = open_map(browser, live_server, "fr", 1920, "Saint-J%C3%A9r%C3%B4me", radius=50)
    state = drawn(page)
    assert len(state["marks"]) >= 4
    ranks = [int(r) for r in page.locator("#near-results .near-list:not(.near-apart) .near-rank").all_inner_texts()]
    assert sorted(r for label in state["marks"] for r in expand(label)) == ranks
    assert state["marks"][0] == "1–4"  # nearest first: the four at Saint-Jérôme's own point
    for p in state["points"]:
        if p["inside"]:
            assert p["top"].startswith(f"plotly-trace-layer-{state['uid']}-"), p
    page.emulate_media(media="print")
    assert page.locator("#near-map .map-mark-pill").first.is_visible()
    assert page.locator(".near-map-key").is_visible()
    page.locator("#near-map").screenshot(path=str(SHOTS / "near-marks-saint-jerome-50-impression-map.png"))
    assert errors == []
    context.close()
