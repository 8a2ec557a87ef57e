"""The map dashboard: filters, regions and services on the map, the table, exports and details."""

from __future__ import annotations

from typing import Any

from maillage_dash import filters
from maillage_dash.i18n import t
from maillage_dash.map import callbacks, figures, layout, model, static_map, table
from maillage_dash.map.ids import MapID
from maillage_dash.routing import Page, PageContext

# What the grid asks for first (its name column is sorted ascending), and how many of those rows the
# page draws before the grid is ready (about what its 460 px show).
FIRST_REQUEST = {"startRow": 0, "endRow": 12, "sortModel": table.FIRST_SORT}


def render(ctx: PageContext) -> Any:
    keep, apart = filters.masks(ctx.directory, ctx.state)
    frame = figures.map_rows(ctx.directory.services, keep)
    counts = figures.region_counts(ctx.directory, keep)
    figure = figures.map_figure(ctx.directory, keep, frame, ctx.state.regions, ctx.lang, counts=counts)
    counters = layout.counters(frame, counts, len(ctx.directory), ctx.lang, int(apart.sum()))
    positions = model.grid_orders(ctx.directory).positions(ctx.state, FIRST_REQUEST["sortModel"], keep)
    first = table.page_of_positions(ctx.directory.services, positions, FIRST_REQUEST, ctx.lang)["rowData"]
    picture = static_map.picture(ctx.directory, ctx.state, ctx.lang, t("map.aria", ctx.lang))
    return layout.page(ctx.lang, ctx.state, ctx.directory, figure, first, picture, counters)


PAGE = Page(
    path="",
    title_key="map.title",
    nav_key="nav.map",
    render=render,
    register=callbacks.register,
    embedded_stores=(MapID.FIGURE.value,),  # the live map drawn before Dash (assets/07-live-map.js)
)
