"""The detail panel of one service, and the list shown for a map point. Text from data stays text."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from dash import dcc, html

from maillage_dash import filters, schema
from maillage_dash.i18n import fmt_date, fmt_int, t
from maillage_dash.links import href
from maillage_dash.map.table import ages_text

STALE_AFTER_DAYS = 365


def _row(label: str, value: Any) -> list[Any]:
    return [html.Dt(label, className="col-12"), html.Dd(value, className="col-12 mb-1")]


def _links(text: str) -> list[Any]:
    out: list[Any] = []
    for part in [p.strip() for p in text.split(";") if p.strip()]:
        if part.startswith(("http://", "https://")):
            out.append(html.A(part, href=part, target="_blank", rel="noopener noreferrer", className="d-block text-break"))
        else:
            out.append(html.Span(part, className="d-block"))
    return out or ["—"]


def _sector_links(codes: list[str], lang: str, link: str) -> list[Any]:
    """Each sector of the service, linked to its practice sheet (/fiches/<sector>), filters kept."""
    state, _, _ = filters.from_query(link.partition("?")[2])  # the link is "?lang=…" or "/path?lang=…"
    out: list[Any] = []
    for code in codes:
        if out:
            out.append(", ")
        out.append(
            dcc.Link(
                [schema.sector_label(code, lang), html.Span(t("content.sheet_suffix", lang), className="visually-hidden")],
                href=href(f"fiches/{code}", state, lang),
                title=t("content.sheet_title", lang, sector=schema.sector_label(code, lang)),
                className="sector-sheet-link",
            )
        )
    return out


def service_card(rec: pd.Series, lang: str, link: str, today: date | None = None) -> html.Article:
    today = today or date.today()
    description = rec["description_en"] if lang == "en" and rec["description_en"] else rec["description"]
    note = None
    if lang == "en" and not rec["description_en"] and rec["description"]:
        note = html.P(t("detail.french_only", lang), className="small text-body-secondary")
    verified = rec["derniere_verification"]
    verified_block: list[Any] = [fmt_date(verified, lang)]
    if verified is None or (today - verified).days > STALE_AFTER_DAYS:
        verified_block.append(html.Span(t("detail.stale", lang), className="badge text-bg-warning ms-2"))
    if rec["confidentiel"]:
        where = [html.Strong(t("detail.confidential", lang)), html.Br(), t("detail.confidential_help", lang)]
    else:
        where = rec["adresse"] or "—"
    served = [schema.region_label(c) for c in rec["regions_desservies"]]
    phone = rec["telephone"]
    items = (
        _row(t("detail.organisation", lang), rec["organisme"])
        + _row(t("detail.types", lang), ", ".join(schema.type_label(c, lang) for c in rec["types"]))
        + _row(t("detail.ages", lang), ages_text(rec["age_min"], rec["age_max"], lang))
        + _row(t("detail.place", lang), f"{rec['municipalite'] or '—'} ({schema.region_label(rec['region'])})")
        + _row(t("detail.served", lang), ", ".join(served) if served else t("detail.served_none", lang))
        + _row(t("detail.sectors", lang), _sector_links(rec["secteurs"], lang, link) or "—")
        + _row(t("detail.partners", lang), ", ".join(rec["partenaires"]) or "—")
        + _row(t("detail.languages", lang), ", ".join(schema.language_label(c, lang) for c in rec["langues"]) or "—")
        + _row(t("detail.address", lang), where)
        + _row(
            t("detail.phone", lang),
            html.A(phone, href="tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")) if phone else "—",
        )
        + _row(t("detail.website", lang), _links(rec["site_web"]) if rec["site_web"] else "—")
        + _row(t("detail.verified", lang), verified_block)
        + _row(t("detail.source", lang), _links(rec["source"]))
    )
    return html.Article(
        [
            html.H3(rec["nom"], className="h5"),
            html.P(description or "—", className="description"),
            note,
            html.Dl(items, className="row small mb-2"),
            html.Div(
                [
                    dcc.Clipboard(content=link, title=t("detail.copy_link", lang), className="btn btn-outline-secondary btn-sm"),
                    html.Span(t("detail.copy_link", lang), className="small ms-1"),
                ],
                className="no-print",
            ),
        ],
        className="service-card",
    )


def point_list(frame: pd.DataFrame, lang: str, links: dict[str, str], limit: int = 20) -> html.Div:
    items = [
        html.Li(
            [
                html.Strong(rec.nom),
                html.Span(f" — {rec.organisme}"),
                html.Br(),
                html.Span(
                    ", ".join(schema.type_label(c, lang) for c in rec.types) + " · " + ages_text(rec.age_min, rec.age_max, lang),
                    className="small",
                ),
                html.Br(),
                html.A(t("detail.open", lang), href=links[rec.id], className="small"),
            ],
            className="mb-2",
        )
        for rec in frame.head(limit).itertuples(index=False)
    ]
    more = len(frame) - min(limit, len(frame))
    return html.Div(
        [
            html.H3(t("detail.at_point", lang, n=fmt_int(len(frame), lang)), className="h6"),
            html.Ul(items, className="list-unstyled"),
            html.P(t("map.and_more", lang, n=fmt_int(more, lang)), className="small") if more else None,
        ]
    )
