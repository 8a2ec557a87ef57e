"""The page is in the layout: the first paint does not wait for the router's callback."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from maillage_dash.config import Settings
from maillage_dash.webapp import create_app
from tests.browser_helpers import wait_grid


@pytest.fixture(scope="module")
def client(shipped):
    return create_app(Settings(), directory=shipped).server.test_client()


def layout(client, referer: str | None) -> dict:
    headers = {"Referer": referer} if referer else {}
    return json.loads(client.get("/_dash-layout", headers=headers).get_data(as_text=True))


def find(node, component_id: str):
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        for value in node.get("props", {}).values():
            found = find(value, component_id)
            if found is not None:
                return found
    elif isinstance(node, list):
        for item in node:
            found = find(item, component_id)
            if found is not None:
                return found
    return None


def test_layout_holds_the_referring_page_with_its_frame_and_address(client):
    body = layout(client, "http://localhost/couverture?lang=en&region=06")
    location = find(body, "url")["props"]
    assert location["pathname"] == "/couverture" and location["search"] == "?lang=en&region=06"
    state = find(body, "filter-state")["props"]["data"]
    assert state["lang"] == "en" and "region=06" in state["query"] and state["fresh"] is True
    text = json.dumps(find(body, "page"))
    assert "Quick exit" in text  # the frame: header with the quick exit
    assert "Coverage" in text  # the page itself, in English


def test_layout_without_a_page_of_ours_leaves_it_to_the_router(client):
    for referer in (None, "http://elsewhere.example/couverture?lang=en", "javascript:alert(1)"):
        body = layout(client, referer)
        assert "pathname" not in find(body, "url")["props"]  # dcc.Location sets it, which calls the router
        assert find(body, "page")["props"].get("children") is None


def test_browser_first_load_needs_no_router_round_trip_and_a_link_one(page, live_server):
    outputs: list[str] = []

    def record(request) -> None:
        if request.method == "POST" and "_dash-update-component" in request.url:
            outputs.append(request.post_data_json["output"])

    page.on("request", record)
    page.goto(f"{live_server}/?lang=fr")
    page.wait_for_selector(".js-plotly-plot .choroplethmap, .js-plotly-plot canvas", timeout=30_000)
    wait_grid(page)
    assert not [o for o in outputs if "page.children" in o], outputs  # the page came with the layout
    assert len([o for o in outputs if o == "grid.getRowsResponse"]) == 1, outputs  # first rows asked once
    outputs.clear()
    # No white page between views: the header stays drawn while the next page comes.
    page.evaluate(
        """() => { window.__frameGaps = 0; window.__frameSamples = 0;
                   const t = setInterval(() => { window.__frameSamples++;
                     const h = document.querySelector('.app-header');
                     if (!h || h.getBoundingClientRect().height < 20) { window.__frameGaps++; }
                     // a number of samples, not a duration: a busy machine runs fewer in 3 s
                     if (window.__frameSamples >= 150) { clearInterval(t); } }, 20); }"""
    )
    page.click("a.nav-link[href^='/couverture']")
    page.wait_for_selector("#content h1", timeout=30_000)
    page.wait_for_function("() => location.pathname === '/couverture'")
    page.wait_for_function("() => window.__frameSamples > 40")
    assert page.evaluate("window.__frameGaps") == 0
    assert len([o for o in outputs if "page.children" in o]) == 1, outputs
    assert page.locator(".quick-exit").is_visible()
    assert page.js_errors == []


def test_first_response_carries_the_page_as_plain_html(client):
    html = client.get("/proximite?lang=en").get_data(as_text=True)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    static = html[html.index('<div id="prerender"') : html.index("<script", html.index('<div id="prerender"'))]
    assert '<header class="app-header">' in static and "Nearby" in static
    # The quick exit works before any script: a plain link to the neutral site.
    assert 'class="btn btn-warning btn-sm quick-exit"' in static and 'href="https://www.google.ca/"' in static
    assert 'href="tel:911"' in static  # the emergency strip's numbers can be called at once
    assert " id=" not in static.split(">", 1)[1]  # no id in the copy: the page Dash draws keeps them unique
    french = client.get("/couverture").get_data(as_text=True)
    assert '<html lang="fr">' in french and "Couverture" in french[french.index('id="prerender"') :]


def test_browser_static_copy_leaves_when_dash_has_drawn_the_page(page, live_server):
    page.goto(f"{live_server}/fiches?lang=fr")
    page.wait_for_selector("#react-entry-point .app-header", timeout=30_000)
    page.wait_for_function("() => document.getElementById('prerender') === null")
    assert page.locator(".app-header").count() == 1
    assert page.locator(".quick-exit").count() == 1


def test_nearby_results_come_with_the_page_and_its_first_response(client):
    """A phone shows the result cards and their call links before any script (the static copy), and
    the page's layout already holds them (no callback round trip)."""
    url = "/proximite?lang=fr&pres=Saint-Hyacinthe&rayon=50"
    html = client.get(url).get_data(as_text=True)
    static = html[html.index('<div id="prerender"') : html.index("<script", html.index('<div id="prerender"'))]
    assert static.count('class="near-item') >= 3
    assert 'href="tel:' in static.split('class="near-item', 1)[1]  # a card's call link
    assert "Saint-Hyacinthe" in static
    body = layout(client, "http://localhost" + url)
    results = json.dumps(find(body, "near-results"))
    assert results.count("near-item") >= 3
    unknown = client.get("/proximite?lang=en&pres=Nowhereville").get_data(as_text=True)
    assert 'id="prerender"' in unknown  # a place not found still gives a page (its message comes with it)


def test_a_first_load_renders_its_page_once(shipped, monkeypatch):
    from maillage_dash.site.router import Router

    router = Router(shipped, Settings())
    calls: list[tuple] = []
    original = Router.render_page
    monkeypatch.setattr(Router, "render_page", lambda self, p, s: calls.append((p, s)) or original(self, p, s))
    html, lang = router.static_page("/proximite", "?lang=en&pres=Laval")
    frame, store = router.first_render("/proximite", "?lang=en&pres=Laval")  # the layout request that follows
    assert calls == [("/proximite", "?lang=en&pres=Laval")] and lang == "en" and store["lang"] == "en"
    store["query"] = "changed"  # a caller's store is its own
    assert router.first_render("/proximite", "?lang=en&pres=Laval")[1]["query"] != "changed"
    router.first_render("/proximite", "?lang=fr&pres=Laval")
    assert len(calls) == 2  # another address is rendered


def test_home_page_first_response_carries_the_live_map_figure_as_data(client):
    """The home page's map is drawn before Dash from a JSON block of the first response
    (assets/07-live-map.js): the very figure of the layout's store, and no markup can end the block."""
    html = client.get("/?lang=fr&region=06").get_data(as_text=True)
    start = html.index('<script type="application/json" data-store="map-figure">')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    assert "<" not in body  # escaped as \u003c inside the JSON strings
    embedded = json.loads(body)
    stored = find(layout(client, "http://localhost/?lang=fr&region=06"), "map-figure")["props"]["data"]
    assert embedded == stored
    assert [t["type"] for t in embedded["data"]] == ["choroplethmap", "scattermap"]
    box = re.search(r'<div class="map"[^>]*>', html[html.index('<div id="prerender"') :]).group(0)
    assert 'data-live-map=""' in box and 'data-locale="fr"' in box
    # Only the pages that ask for it carry data blocks.
    assert "data-store=" not in client.get("/proximite?lang=en").get_data(as_text=True)


def test_static_copy_data_block_cannot_be_ended_by_the_data():
    from dash import dcc

    from maillage_dash.site import prerender

    data = {"name": "</script><script>alert(1)</script><!-- x"}
    out = prerender.to_html(dcc.Store(id="s", data=data), frozenset({"s"}))
    assert out.count("</script>") == 1 and "<!--" not in out and "<script>alert" not in out
    assert json.loads(out[out.index(">") + 1 : out.rindex("</script>")]) == data
    assert prerender.to_html(dcc.Store(id="s", data=data)) == ""  # not named: no block


def test_first_response_shows_the_view_summary_and_the_counters(client, shipped):
    """The summary line and the map's counters are in the page itself (not only in the first callbacks'
    answers): the first response's copy shows them, and nothing moves down when Dash draws the page."""
    from maillage_dash import filters
    from maillage_dash.filters import FilterState

    html = client.get("/?lang=fr&region=06").get_data(as_text=True)
    static = html[html.index('<div id="prerender"') : html.index("<script src=", html.index('<div id="prerender"'))]
    assert "Régions : " in static and "06 – Montréal" in static
    state, _ = FilterState.build(regions=["06"])
    shown = int(filters.mask(shipped, state).sum())
    counters = re.search(r'<div class="counters"[^>]*>(.*?)</div></div></div>', static).group(1)
    assert f'<span class="counter-value">{shown}</span>' in counters
    assert f"(sur {len(shipped)})" in counters
    for page in ("/couverture?lang=en", "/reseau?lang=en", "/proximite?lang=en"):
        copy = client.get(page).get_data(as_text=True)
        assert '<span class="fw-semibold me-1">View:</span>' in copy[copy.index('<div id="prerender"') :], page


def test_static_copy_columns_have_the_widths_of_dash_s_page():
    """dbc.Col's sizes become bootstrap's classes in the copy, as dash-bootstrap-components writes them: the
    copy's columns are as wide as the page's (the live map is drawn in the copy at the width it keeps)."""
    import dash_bootstrap_components as dbc

    from maillage_dash.site import prerender

    assert prerender.to_html(dbc.Col("x", lg=9, className="mb-3")) == '<div class="col-lg-9 mb-3">x</div>'
    assert prerender.to_html(dbc.Col("y")) == '<div class="col">y</div>'
    assert (
        prerender.to_html(dbc.Col("z", width=12, md="auto", xl={"size": 8})) == '<div class="col-12 col-md-auto col-xl-8">z</div>'
    )


def main_cards(node) -> int:
    """Items of the nearby page's main result list in a layout (not the list apart)."""
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("className") == "near-list list-unstyled":
            return len(props.get("children") or [])
        return max([main_cards(v) for v in props.values()] or [0])
    if isinstance(node, list):
        return max([main_cards(v) for v in node] or [0])
    return 0


def test_nearby_copy_folds_the_cards_after_the_first_ones(client):
    """A long result list: the first response's copy shows its first cards and folds the others under « See
    the N other services » (a closed <details>, not laid out; it opens without script); Dash's page has them
    all, unfolded."""
    from maillage_dash.nearby.layout import COPY_CARDS

    for lang, place, label in (
        ("fr", "Saint-J%C3%A9r%C3%B4me&rayon=50", "Voir les {n} autres services"),
        ("en", "Saint-Hyacinthe&rayon=5", "See the {n} other services"),
    ):
        url = f"/proximite?lang={lang}&pres={place}"
        html = client.get(url).get_data(as_text=True)
        start = html.index('<div id="prerender"')
        static = html[start : html.index("<script src=", start)]
        total = main_cards(layout(client, "http://localhost" + url))
        assert total > 0
        main_list = static[static.index('<ol class="near-list list-unstyled"') :]
        shown = main_list[: main_list.index("<details>") if "<details>" in main_list else main_list.index("</ol>")]
        assert shown.count('<li class="near-item') == min(total, COPY_CARDS)
        assert main_list.count('<li class="near-item') >= total  # every card is in the copy, some folded
        if total > COPY_CARDS:
            assert f"<summary>{label.format(n=total - COPY_CARDS)}</summary>" in unescape(static)
            assert f'start="{COPY_CARDS + 1}"' in main_list
        else:
            assert "prerender-more" not in static
    assert main_cards(layout(client, "http://localhost/proximite?lang=fr&pres=Saint-J%C3%A9r%C3%B4me&rayon=50")) > COPY_CARDS
