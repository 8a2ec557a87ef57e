"""The map dashboard: filters, regions and services on the map, the table, exports and details."""

from __future__ import annotations

from typing import Any

from .. import figures, filters
from ..components import layout
from . import Page, PageContext


def render(ctx: PageContext) -> Any:
    keep = filters.mask(ctx.directory, ctx.state)
    frame = figures.map_rows(ctx.directory.services, keep)
    figure = figures.map_figure(ctx.directory, keep, frame, ctx.state.regions, ctx.lang)
    return layout.page(ctx.lang, ctx.state, ctx.directory, figure)


# The dashboard's callbacks live in ``callbacks.py`` (registered for every app), as they came first.
PAGE = Page(path="", title_key="carte.title", nav_key="nav.carte", render=render)
