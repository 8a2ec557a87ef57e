"""« En cas d'urgence » : the lines to call first, as large ``tel:`` buttons, each with its source."""

from __future__ import annotations

from typing import Any

from dash import html

from maillage_dash.emergency import EmergencyLine
from maillage_dash.i18n import t


def emergency_strip(lines: list[EmergencyLine], lang: str, *, region_known: bool) -> html.Section:
    items = []
    for line in lines:
        # When the number answers (« le soir ») stays on the button: the compact strip hides the details.
        when = line.phone.period_texts(lang)
        details = [d for d in line.phone.details(lang) if d not in when]
        items.append(
            html.Li(
                [
                    html.A(
                        [
                            html.Span(line.name(lang), className="emergency-name"),
                            html.Strong(line.phone.display_in(lang)),
                            html.Span(", ".join(when), className="emergency-when") if when else None,
                        ],
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
            html.H2(
                # The phone's compact strip (once a place is chosen) is one row that scrolls: say so.
                [t("emergency.title", lang), html.Span(t("emergency.swipe", lang, n=len(lines)), className="emergency-swipe")],
                className="h6 mb-2",
            ),
            html.Ul(items, className="emergency-list list-unstyled mb-1"),
            note,
        ],
        className="emergency-strip",
        id="emergency",
        **{"aria-label": t("emergency.title", lang)},
    )
