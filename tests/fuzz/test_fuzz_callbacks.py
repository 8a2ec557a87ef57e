"""Every callback body, and every page through the router, driven with hostile input (hypothesis).

The property: nothing raises, and whatever comes back can be sent to the browser (Dash serialises it
with plotly's JSON encoder) without NaN, Infinity or a traceback in it."""

from __future__ import annotations

import json

import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict
from hypothesis import given, settings
from hypothesis import strategies as st
from plotly.utils import PlotlyJSONEncoder

from maillage_dash import export, filters
from maillage_dash.config import Settings
from maillage_dash.ids import ID
from maillage_dash.map.callbacks import Handlers
from maillage_dash.map.ids import MapID
from maillage_dash.site import pages
from maillage_dash.site.router import Router
from tests.fuzz.strategies import FUZZ, ages, grid_requests, junk, pathnames, queries, stores, text, values


class ShortHandlers(Handlers):
    def __repr__(self) -> str:  # hypothesis prints the arguments of a failing example: keep it short
        return "Handlers(shipped directory)"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))


class ShortRouter(Router):
    def __repr__(self) -> str:
        return "Router(shipped directory)"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))


@pytest.fixture(scope="module")
def handlers(shipped):
    return ShortHandlers(directory=shipped, settings=Settings())


@pytest.fixture(scope="module")
def router(shipped):
    return ShortRouter(directory=shipped, settings=Settings())


def sendable(result: object) -> str:
    """What Dash would send: plotly's JSON, strict (a NaN or infinite number raises), no traceback.

    (The words "NaN" or "Infinity" typed by a user may be echoed back as text, e.g. in the notice
    listing the values that were ignored: that is text, not a number.)"""
    dump = json.dumps(result, cls=PlotlyJSONEncoder, allow_nan=False)
    assert "Traceback (most recent call last)" not in dump
    return dump


def in_callback(prop_id: str, value: object = None):
    """Run the next call as if Dash had triggered it from ``prop_id``."""
    return context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop_id, "value": value}]))


PAGE_PATHS = list(pages.registry())


@FUZZ
@given(pathname=pathnames(PAGE_PATHS), search=st.one_of(queries(), st.none(), text))
def test_router_renders_every_page_from_any_url(router, pathname, search):
    body, store = router.render_page(pathname, search)
    assert store["lang"] in ("fr", "en")
    assert store["query"].startswith("?lang=")
    dump = sendable(body)
    assert "quick-exit" in dump  # the shell (and its quick exit) is always there


@FUZZ
@given(path=st.sampled_from(PAGE_PATHS), search=queries())
def test_every_registered_page_renders_with_hostile_filters(router, path, search):
    body, _ = router.render_page("/" + path, search)
    sendable(body)


@FUZZ
@given(
    regions=values,
    age=ages,
    types=values,
    sectors=values,
    text_=st.one_of(text, junk),
    audience=values,
    ended=st.one_of(values, junk),
    store=stores(),
)
def test_filter_controls_to_state(handlers, regions, age, types, sectors, text_, audience, ended, store):
    result = handlers.update_filters(regions, age, types, sectors, text_, audience, ended, store)
    sendable([r for r in result if r is not handlers_no_update()])


def handlers_no_update():
    from dash import no_update

    return no_update


@FUZZ
@given(store=stores(), basemap=st.one_of(values, st.just(["osm"])), trigger=st.sampled_from([ID.STATE, ID.BASEMAP, "x"]))
def test_state_to_map(handlers, store, basemap, trigger):
    token = in_callback(f"{trigger}.data")
    try:
        fig, counters = handlers.update_map(store, basemap)
    finally:
        context_value.reset(token)
    sendable(counters)
    if fig is not handlers_no_update():
        sendable(fig.to_plotly_json())


@FUZZ
@given(request=grid_requests(), store=stores())
def test_grid_pages(handlers, request, store):
    response = handlers.grid_page(request, store)
    assert len(response["rowData"]) <= 1000 and response["rowCount"] >= len(response["rowData"])
    assert response["rowCount"] <= len(handlers.directory)
    sendable(response)


@FUZZ
@given(
    trigger=st.one_of(st.sampled_from([MapID.MAP, ID.RESET, None]), junk),
    click=st.one_of(
        junk,
        st.fixed_dictionaries(
            {"points": st.lists(st.fixed_dictionaries({"curveNumber": junk, "location": junk, "customdata": junk}), max_size=2)}
        ),
    ),
    regions=values,
)
def test_map_clicks_and_reset(handlers, trigger, click, regions):
    sendable([r for r in handlers.map_click(click, regions) if r is not handlers_no_update()])
    sendable([r for r in handlers.reset(trigger) if r is not handlers_no_update()])


@FUZZ
@given(
    trigger=st.sampled_from([MapID.GRID, MapID.SELECTED, ID.STATE]),
    rows=st.one_of(junk, st.lists(st.fixed_dictionaries({"id": junk}), max_size=2)),
    selected=st.one_of(junk, st.fixed_dictionaries({"point": st.one_of(junk, st.just("45.5,-73.5"), st.just("nan,inf"))})),
    store=stores(),
)
def test_detail_panel(handlers, trigger, rows, selected, store):
    token = in_callback(f"{trigger}.data", rows)
    try:
        result = handlers.detail(rows, selected, store)
    finally:
        context_value.reset(token)
    if result is not handlers_no_update():
        sendable(result)


@settings(FUZZ, max_examples=max(5, FUZZ.max_examples // 3))  # an Excel file per example: fewer
@given(fmt=st.sampled_from(export.FORMATS), store=stores(), request=grid_requests())
def test_exports(handlers, fmt, store, request):
    result = handlers.download(fmt, store, request)
    assert result["content"] and result["filename"].endswith("." + fmt)


@FUZZ
@given(store=stores())
def test_print_area(handlers, store):
    sendable(handlers.print_area(store))


@FUZZ
@given(search=st.one_of(queries(), junk))
def test_url_query_round_trip(search):
    """Whatever the URL, the state parsed from it survives a round trip through the URL."""
    state, lang, _ = filters.from_query(search if isinstance(search, str) else None)
    again, lang2, rejected = filters.from_query(filters.to_query(state, lang or "fr"))
    assert again == state and rejected == []
