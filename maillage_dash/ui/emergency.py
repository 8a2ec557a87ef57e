"""« En cas d'urgence » : the lines to call first, as large ``tel:`` buttons, each with its source."""

from __future__ import annotations

from typing import Any

from dash import html

from maillage_dash.emergency import EmergencyLine
from maillage_dash.i18n import t


def emergency_strip(lines: list[EmergencyLine], lang: str, *, region_known: bool) -> html.Section:
    items = []
    for line in lines:
        details = line.phone.details(lang)
        items.append(
            html.Li(
                [
                    html.A(
                        [html.Span(line.name(lang), className="emergency-name"), html.Strong(line.phone.display_in(lang))],
                        href=line.phone.href,
                        className="btn emergency-call" + (" emergency-911" if line.key == "urgence-911" else ""),
                    ),
                    html.Span(
                        [
                            *(f"{d} · " for d in details),
                            html.A(t("emergency.source", lang), href=line.source, target="_blank", rel="noopener noreferrer"),
                        ],
                        className="small emergency-details",
                    ),
                ],
                className="emergency-line",
            )
        )
    note: Any = None if region_known else html.P(t("emergency.choose_place", lang), className="small mb-0")
    return html.Section(
        [
            html.H2(t("emergency.title", lang), className="h6 mb-2"),
            html.Ul(items, className="emergency-list list-unstyled mb-1"),
            note,
        ],
        className="emergency-strip",
        id="emergency",
        **{"aria-label": t("emergency.title", lang)},
    )
