"""Callback bodies and the Flask server, exercised without a browser."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from dash import no_update
from plotly.utils import PlotlyJSONEncoder

from maillage_dash import filters
from maillage_dash.config import Settings
from maillage_dash.filters import FilterState
from maillage_dash.map.callbacks import Handlers
from maillage_dash.site.router import Router
from maillage_dash.ui import card
from maillage_dash.webapp import create_app


@pytest.fixture
def handlers(small):
    return Handlers(directory=small, settings=Settings())


@pytest.fixture
def router(small):
    return Router(directory=small, settings=Settings())


def text_of(component) -> str:
    """The component tree as the JSON the browser receives."""
    from plotly.utils import PlotlyJSONEncoder

    return json.dumps(component, cls=PlotlyJSONEncoder, ensure_ascii=False)


def test_render_page_restores_filters_and_language(router):
    page, store = router.render_page("/", "?lang=en&region=16&age=12-17&type=travail_de_rue")
    assert store["lang"] == "en" and store["query"] == "?lang=en&region=16&age=12-17&type=travail_de_rue"
    dump = text_of(page)
    assert "Matching services" in dump and "Services correspondants" not in dump
    assert '"value": ["16"]' in dump and '"value": [12, 17]' in dump


def test_render_page_reports_ignored_url_values(router):
    page, _ = router.render_page("/", "?region=99&type=%3Cscript%3E")
    dump = text_of(page)
    assert "ignorés" in dump and "<script>" in dump  # shown as text; Dash renders text inert


def test_filters_update_shared_state_then_map(handlers):
    store, summary, other = handlers.update_filters(["16"], [12, 17], [], [], "", [], [], {"lang": "fr", "query": "?lang=fr"})
    assert store["query"] == "?lang=fr&region=16&age=12-17" and store["fresh"] is False
    assert other == "?lang=en&region=16&age=12-17"
    assert "16 – Montérégie" in text_of(summary)
    fig, counters = handlers.update_map(store, [])
    counters_json = text_of(counters)
    assert '"children": "1", "id": "count-services"' in counters_json.replace('"className": "counter-value", ', "")
    patch = fig.to_plotly_json()
    assert patch["operations"], "the map is updated by a partial patch, not a whole figure"


def test_freshly_rendered_page_does_not_redraw_the_map(handlers, router):
    frame, store = router.render_page("/", "?lang=fr&region=16")
    # The page carries its figure and its counters: the first call has nothing to send.
    assert handlers.update_map(store, []) == (no_update, no_update)
    assert '"id": "count-services"' in json.dumps(frame.to_plotly_json(), cls=PlotlyJSONEncoder)
    # The controls report the same state as the URL: nothing to do.
    assert handlers.update_filters(["16"], [0, 35], [], [], "", [], [], store)[0] is no_update


def test_slider_full_span_means_no_age_filter(handlers):
    store, *_ = handlers.update_filters([], [0, 35], [], [], "", [], [], {"lang": "fr", "query": "?lang=fr&age=1-2"})
    assert store["query"] == "?lang=fr"
    store, *_ = handlers.update_filters([], [20, 35], [], [], "", [], [], {"lang": "fr"})
    assert store["query"] == "?lang=fr&age=20-120"


def test_router_unknown_path_and_pages(router):
    page, store = router.render_page("/nulle-part", "?lang=en")
    assert "Page not found" in text_of(page) and store["title"] == "Page not found"
    page, _ = router.render_page("/", "?lang=fr")
    dump = text_of(page)
    assert "Quitter rapidement" in dump and "Carte" in dump


def test_grid_pages_rows_from_server(handlers, small):
    store = {"query": "?lang=fr&age=12-17", "lang": "fr"}
    response = handlers.grid_page({"startRow": 0, "endRow": 2, "sortModel": []}, store)
    expected = filters.apply(small, FilterState(age=(12, 17)))
    assert response["rowCount"] == len(expected) == 3  # a, d, f; c states no ages and is listed apart
    assert [r["id"] for r in response["rowData"]] == list(expected.index[:2])
    desc = handlers.grid_page({"startRow": 0, "endRow": 10, "sortModel": [{"colId": "nom", "sort": "desc"}]}, store)
    assert [r["id"] for r in desc["rowData"]] == list(reversed(expected.index))


def test_region_click_toggles_region(handlers):
    click = {"points": [{"curveNumber": 0, "location": "13"}]}
    out = handlers.map_click(click, ["16"])
    assert out[0] == ["16", "13"]
    out = handlers.map_click(click, ["16", "13"])
    assert out[0] == ["16"]
    assert handlers.reset(1) == ([], [0, 35], [], [], "", [], [])
    assert all(v is no_update for v in handlers.reset(None))


def test_unstated_ages_are_counted_and_listed_apart(handlers, small):
    store = {"query": "?lang=fr&age=12-17", "lang": "fr"}
    _, counters = handlers.update_map(store, [])
    text = text_of(counters)
    assert '"children": "1", "id": "count-apart"' in text.replace('"className": "counter-value", ', "")
    apart = text_of(handlers.apart(store))
    assert "Gamma prévention" in apart and "âge non précisé" in apart and "Alpha rue" not in apart
    assert handlers.apart({"query": "?lang=fr", "lang": "fr"}) == []  # no age filter: nothing apart


def test_audience_filter_keeps_services_stating_they_serve_that_person(handlers):
    store, *_ = handlers.update_filters([], [0, 35], [], [], "", ["filles_femmes"], ["1"], {"lang": "fr"})
    assert store["query"] == "?lang=fr&public=filles_femmes&termines=1"


def test_point_click_lists_services_at_that_place(handlers, small):
    rec = small.services.loc["a"]
    detail = handlers.point_detail(f"{round(rec['lat'], 5)},{round(rec['lon'], 5)}", FilterState(), "fr")
    assert "Alpha rue" in text_of(detail)
    assert handlers.point_detail("not-a-point", FilterState(), "fr") is no_update


def test_service_detail_confidential_and_stale(handlers, small):
    dump = text_of(handlers.service_detail("b", FilterState(), "en"))
    assert "Confidential address" in dump and "123 rue" not in dump
    assert "not exist" in text_of(handlers.service_detail("nope", FilterState(), "en"))
    # Confirmed 2026-01-15: flagged only once more than 12 months have passed (dates fixed, not today's).
    rec = small.by_id("b")
    fresh = text_of(card.service_card(rec, "en", "?lang=en", today=date(2026, 11, 23)))
    old = text_of(card.service_card(rec, "en", "?lang=en", today=date(2027, 1, 16)))
    assert "Confirmed on January 15, 2026 by the organisation" in fresh
    assert "to re-check" not in fresh and "to re-check" in old


def test_download_uses_same_filters(handlers):
    out = handlers.download("csv", {"query": "?lang=fr&region=06", "lang": "fr"}, None)
    assert out["filename"].endswith(".csv")
    import base64

    text = base64.b64decode(out["content"]).decode("utf-8-sig")
    assert [line.split(";")[0] for line in text.strip().split("\r\n")[1:]] == ["c", "f"]


def test_flask_server_serves_everything_locally(small):
    app = create_app(Settings(), directory=small)
    client = app.server.test_client()
    index = client.get("/?lang=en")
    assert index.status_code == 200
    html = index.get_data(as_text=True)
    # The page's static copy (site/prerender.py) holds links to follow, not resources to load.
    start = html.index('<div id="prerender"')
    html = html[:start] + html[html.index("<script src=", start) :]
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/") for u in urls), urls
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/assets/00-bootstrap.min.css").status_code == 200
    deps = client.get("/_dash-dependencies").get_json()
    assert any("grid.getRowsResponse" in d["output"] for d in deps)


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("/", ""),
        ("/pratiques", "fiches"),
        ("/temoignages", "fiches"),
        ("/region/06", "couverture"),
        ("/fiche-reference", "proximite"),
    ],
)
def test_the_navigation_marks_the_section_of_pages_outside_it(shipped, path, section):
    handlers = Router(directory=shipped, settings=Settings())
    body, _ = handlers.render_page(path, "?lang=fr")
    dump = json.loads(json.dumps(body, cls=PlotlyJSONEncoder))
    active = []

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            ident = props.get("id")
            if isinstance(ident, dict) and ident.get("type") == "nav-link" and "active" in props.get("className", ""):
                active.append(ident["path"])
            for value in props.values() if isinstance(props, dict) else ():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(dump)
    assert active == [section]


def test_the_printed_list_gives_each_service_its_number_to_call(shipped):
    """Paper has no links: each printed line carries the help line (or reception) to call, or « — »."""
    from maillage_dash import phones

    printed = Handlers(directory=shipped, settings=Settings()).print_area(None)
    text = json.dumps(printed, default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    assert "Téléphones" in text
    numbers = [phones.help_lines(lines)[0].display for lines in shipped.services["telephones"] if phones.help_lines(lines)]
    assert len(numbers) > 10
    assert all(number in text for number in numbers)


def test_no_match_is_not_a_dead_end(router):
    """Filters that match nothing say what to do next: widen them, or the help lines (nearby page)."""
    body, _ = router.render_page("/", "?lang=fr&q=zzzzaucunservicezzzz")
    text = json.dumps(body.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    assert "counters-none" in text and "élargissez les filtres" in text and "/proximite?lang=fr" in text
    body, _ = router.render_page("/", "?lang=fr")
    assert "counters-none" not in json.dumps(body.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
