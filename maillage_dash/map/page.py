"""The map dashboard: filters, regions and services on the map, the table, exports and details."""

from __future__ import annotations

from typing import Any

from maillage_dash import filters
from maillage_dash.map import callbacks, figures, layout
from maillage_dash.routing import Page, PageContext


def render(ctx: PageContext) -> Any:
    keep = filters.mask(ctx.directory, ctx.state)
    frame = figures.map_rows(ctx.directory.services, keep)
    figure = figures.map_figure(ctx.directory, keep, frame, ctx.state.regions, ctx.lang)
    return layout.page(ctx.lang, ctx.state, ctx.directory, figure)


PAGE = Page(path="", title_key="map.title", nav_key="nav.map", render=render, register=callbacks.register)
