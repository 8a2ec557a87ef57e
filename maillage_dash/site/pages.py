"""Every page of Maillage, in navigation order, and the page a URL path names.

This is the top floor: it is the one place that imports every capability's page.
"""

from __future__ import annotations

from functools import cache

from maillage_dash.audit import page as audit_page
from maillage_dash.content import practices_page, search_page, sheets_page, testimonials_page
from maillage_dash.coverage import page as coverage_page
from maillage_dash.coverage import region_page
from maillage_dash.map import page as map_page
from maillage_dash.nearby import page as nearby_page
from maillage_dash.nearby import referral_page
from maillage_dash.network import page as network_page
from maillage_dash.routing import Page

# Order = order in the navigation bar.
PAGES: tuple[Page, ...] = (
    map_page.PAGE,
    nearby_page.PAGE,
    sheets_page.PAGE,
    practices_page.PAGE,
    testimonials_page.PAGE,
    coverage_page.PAGE,
    referral_page.PAGE,
    network_page.PAGE,
    search_page.PAGE,
    region_page.PAGE,  # /region/<code>, not in the navigation
    audit_page.PAGE,  # /qualite, linked from the footer
)


@cache
def registry() -> dict[str, Page]:
    """``{path: Page}`` in navigation order."""
    pages: dict[str, Page] = {}
    for page in PAGES:
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
