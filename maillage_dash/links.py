"""Links between pages that keep the filters and the language (``href``)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from maillage_dash import filters


def href(path: str, state: filters.FilterState, lang: str, **extra: object) -> str:
    """A link to page ``path`` (e.g. ``"region/06"``) that keeps the filters and the language."""
    url = "/" + "/".join(quote(p) for p in path.strip("/").split("/") if p)
    query = filters.to_query(state, lang)
    more = {k: v for k, v in extra.items() if v not in (None, "")}
    if more:
        query += "&" + urlencode(more, doseq=True)
    return url + query
