"""The toolbar every graph of Maillage shares (plotly.js's ``config``), in the page's language."""

from __future__ import annotations

from typing import Any


def graph_config(lang: str, **extra: Any) -> dict[str, Any]:
    """No plotly logo, no selection tools (nothing here acts on a selection), and no « Share chart… »:
    plotly.js 4 shows it by default and it sends the figure to an outside server. ``locale`` gives the
    toolbar's French labels (assets/30-plotly-fr.js). The home map's own copy is in assets/07-live-map.js."""
    return {
        "displaylogo": False,
        "showSendToCloud": False,
        "locale": "fr" if lang == "fr" else "en",
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
        **extra,
    }
