"""The pages of Maillage: a registry, the context a page is rendered with, and links between pages.

A page is a module of this package exposing ``PAGE = Page(...)``; list it in ``PAGE_MODULES``.
The router (``callbacks.Handlers.render_page``) finds the page from the first segment of the URL
path, renders its body with a :class:`PageContext`, and wraps it in the shell
(``components.shell``: header, navigation, language switch, quick exit, footer).

The filter state (regions, ages, types, sectors, text) is shared by every page: it lives in the URL
query and in the ``ID.STATE`` store, so a committee that filtered the map sees the same filters on
the coverage page, and a link copied from any page reopens the same view.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from .. import filters

if TYPE_CHECKING:
    from dash import Dash

    from ..config import Settings
    from ..directory import Directory

# Order = order in the navigation bar.
PAGE_MODULES: tuple[str, ...] = (
    "carte",
    "proximite",
    "fiches",
    "pratiques",
    "temoignages",
    "couverture",
    "reference",
    "reseau",
    "recherche",
    "region",  # /region/<code>, not in the navigation
)


@dataclass(frozen=True)
class PageContext:
    """Everything a page needs to render, from the URL and the loaded data."""

    directory: Directory
    settings: Settings
    lang: str
    state: filters.FilterState
    path: tuple[str, ...] = ()  # segments after the page's own: ("06",) for /region/06
    params: dict[str, list[str]] = field(default_factory=dict)  # the whole parsed query string

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.params.get(name)
        return values[0] if values else default


@dataclass(frozen=True)
class Page:
    path: str  # first URL segment: "" for the map, "couverture", "region", …
    title_key: str  # i18n key of the page's title (navigation, <title>)
    render: Callable[[PageContext], Any]
    register: Callable[[Dash, Directory, Settings], None] | None = None
    nav: bool = True  # listed in the header navigation
    nav_key: str | None = None  # i18n key of the (short) navigation label; title_key when None
    nav_parent: str | None = None  # a page outside the navigation: the entry shown as current for it


@cache
def registry() -> dict[str, Page]:
    """``{path: Page}`` in navigation order."""
    pages: dict[str, Page] = {}
    for name in PAGE_MODULES:
        page: Page = importlib.import_module(f"{__name__}.{name}").PAGE
        if page.path in pages:
            raise ValueError(f"two pages claim the path /{page.path}")
        pages[page.path] = page
    return pages


def resolve(pathname: str | None) -> tuple[Page | None, tuple[str, ...]]:
    """The page for a URL path and the remaining segments; ``(None, …)`` when no page matches."""
    parts = tuple(p for p in (pathname or "/").split("/") if p)
    pages = registry()
    if not parts:
        return pages.get(""), ()
    return pages.get(parts[0]), parts[1:]


def href(path: str, state: filters.FilterState, lang: str, **extra: object) -> str:
    """A link to page ``path`` (e.g. ``"region/06"``) that keeps the filters and the language."""
    url = "/" + "/".join(quote(p) for p in path.strip("/").split("/") if p)
    query = filters.to_query(state, lang)
    more = {k: v for k, v in extra.items() if v not in (None, "")}
    if more:
        query += "&" + urlencode(more, doseq=True)
    return url + query


__all__ = ["PAGE_MODULES", "Page", "PageContext", "href", "registry", "resolve"]
