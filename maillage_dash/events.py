"""Small helpers every capability's callbacks share: what fired, and the shared state from its store."""

from __future__ import annotations

from typing import Any

from dash import ctx
from dash.exceptions import MissingCallbackContextException

from maillage_dash import filters
from maillage_dash.i18n import norm_lang


def triggered_id() -> Any:
    """The id of the input that fired the running callback (None outside a callback, as in tests)."""
    try:
        return ctx.triggered_id
    except MissingCallbackContextException:
        return None


def state_from_store(store: dict[str, Any] | None) -> tuple[filters.FilterState, str]:
    """The filter state and language kept in the ``ID.STATE`` store (garbage from a client → defaults)."""
    store = store if isinstance(store, dict) else {}
    state, lang, _ = filters.from_query(store.get("query"))
    return state, norm_lang(lang or store.get("lang"))
