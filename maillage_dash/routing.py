"""What a page is (:class:`Page`) and what it is rendered with (:class:`PageContext`).

Each capability declares its pages (``PAGE = Page(...)``); ``maillage_dash.site.pages`` lists them in
navigation order and the router (``maillage_dash.site.router``) renders the one a URL names.

The filter state (regions, ages, types, sectors, text) is shared by every page: it lives in the URL
query and in the ``ID.STATE`` store, so a committee that filtered the map sees the same filters on
the coverage page, and a link copied from any page reopens the same view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from maillage_dash import filters

if TYPE_CHECKING:
    from dash import Dash

    from maillage_dash.config import Settings
    from maillage_dash.directory import Directory


@dataclass(frozen=True)
class PageContext:
    """Everything a page needs to render, from the URL and the loaded data."""

    directory: Directory
    settings: Settings
    lang: str
    state: filters.FilterState
    path: tuple[str, ...] = ()  # segments after the page's own: ("06",) for /region/06
    params: dict[str, list[str]] = field(default_factory=dict)  # the whole parsed query string

    def param(self, name: str, default: str | None = None, *aliases: str) -> str | None:
        """The first value of ``name`` (or of an older alias of it) in the query string."""
        for key in (name, *aliases):
            values = self.params.get(key)
            if values:
                return values[0]
        return default


@dataclass(frozen=True)
class Page:
    path: str  # first URL segment: "" for the map, "couverture", "region", …
    title_key: str  # i18n key of the page's title (navigation, <title>)
    render: Callable[[PageContext], Any]
    register: Callable[[Dash, Directory, Settings], None] | None = None
    nav: bool = True  # listed in the header navigation
    nav_key: str | None = None  # i18n key of the (short) navigation label; title_key when None
    nav_parent: str | None = None  # a page outside the navigation: the entry shown as current for it
    # dcc.Store ids whose data the first response carries as JSON blocks, for the page's scripts that start
    # before Dash (maillage_dash/site/prerender.py): the home page's live map figure.
    embedded_stores: tuple[str, ...] = ()
