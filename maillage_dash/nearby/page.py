"""Services near a place (/proximite): municipality, postal code or the browser's position,
sorted by distance across regional borders, with a radius, details and a referral sheet."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from maillage_dash import emergency, filters
from maillage_dash.nearby import model as nearby
from maillage_dash.nearby.callbacks import NearbyHandlers, register
from maillage_dash.nearby.ids import NID
from maillage_dash.nearby.layout import fold_bar, place_option, radius_value, results_area, search_form
from maillage_dash.routing import Page, PageContext
from maillage_dash.ui.emergency import emergency_strip

# ---------------------------------------------------------------------------------- layout


def render(ctx_: PageContext) -> Any:
    lang, state = ctx_.lang, ctx_.state
    near = nearby.nearby_for(ctx_.directory, ctx_.settings.geo_dir)
    raw_place = ctx_.param("pres") or ""
    radius = radius_value(ctx_.param("rayon", str(nearby.DEFAULT_RADIUS_KM)))
    picked = [sid for sid in ctx_.params.get("choix", []) if sid in ctx_.directory.services.index]
    options: list[dict[str, Any]] = []
    value = None
    region = None
    if raw_place:
        lookup = near.finder.resolve(raw_place)
        if lookup.place is not None:
            options = [place_option(near.finder, lookup.place, lang)]
            value = lookup.place.key
            region = lookup.place.region
    page = html.Div(
        [
            html.Div(
                emergency_strip(emergency.lines_for(ctx_.directory, region), lang, region_known=bool(region)),
                id=NID.EMERGENCY,
            ),
            fold_bar(lang),
            search_form(lang, options, value, radius),
            results_area(ctx_.directory, lang, state, value, picked),
            dcc.Store(id=NID.GEO),
            dcc.Store(id=NID.PICKED, data=picked),
            dcc.Store(id=NID.PAGE_STATE),
            dcc.Store(id=NID.RAW, data=raw_place if value is None else None),
        ],
        className="near-page near-show-list" + (" has-place" if value else ""),
        id=NID.PAGE,
    )
    # The results come with the page (and so in its first, static response: a phone shows the cards
    # and their « Appeler » links before any script): the same answer the results callback gives,
    # which then skips its first call (see NearbyHandlers.results).
    store = {"query": filters.to_query(state, lang), "lang": lang}
    results, figure, message, page_state, fold, class_name = NearbyHandlers(ctx_.directory, ctx_.settings).answer(
        value, radius, store, picked, raw_place if value is None else None
    )
    fill = {
        NID.RESULTS: {"children": results},
        NID.MAP: {"figure": figure},
        NID.MESSAGE: {"children": message},
        NID.PAGE_STATE: {"data": page_state},
        NID.FOLD: {"children": fold},
    }
    for node in page._traverse():
        node_id = getattr(node, "id", None)
        for prop, prop_value in (fill.get(node_id, {}) if isinstance(node_id, str) else {}).items():
            setattr(node, prop, prop_value)
    page.className = class_name
    return page


PAGE = Page(path="proximite", title_key="near.title", nav_key="nav.nearby", render=render, register=register)

__all__ = ["PAGE"]
