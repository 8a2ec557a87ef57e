"""The detail panel of one service, and the list shown for a map point. Text from data stays text."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

import pandas as pd
from dash import dcc, html

from maillage_dash import filters, rows, schema
from maillage_dash.i18n import fmt_int, t
from maillage_dash.labels import ages_text, audience_text, confirmation_text, is_stale, status_text
from maillage_dash.links import href
from maillage_dash.phones import Phone


def place_text(rec: Any, lang: str) -> Any:
    """The town and region, and when the research note says the town is not an attested office (only
    where the service meets people, or an article's dateline), that a worker should call before going."""
    where = f"{rec['municipalite'] or '—'} ({schema.region_label(rec['region'])})"
    if not rows.town_in_doubt(rec["note_verification"]):
        return where
    return [where, html.Span([" · ", t("detail.place_doubt", lang)], className="place-doubt")]


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


def phone_list(phones: tuple[Phone, ...], lang: str) -> Any:
    """Every line, help line first, each a ``tel:`` link with its kind, hours and scope."""
    if not phones:
        return t("phone.none", lang)
    items = []
    for p in phones:
        details = p.details(lang)
        items.append(
            html.Li(
                [
                    html.Span(p.label(lang) + " : " if lang == "fr" else p.label(lang) + ": ", className="phone-kind"),
                    html.A(p.display_in(lang), href=p.href, className="phone-link phone-link-" + p.kind),
                    html.Span(" (" + ", ".join(details) + ")", className="small text-body-secondary") if details else None,
                ],
                className="phone-line phone-" + p.kind,
            )
        )
    return html.Ul(items, className="list-unstyled mb-0")


def status_mark(status: str, lang: str) -> Any:
    """A visible mark for a service to be confirmed or ended (nothing for an active one)."""
    if status == "actif":
        return None
    colour = "text-bg-warning" if status == "a_confirmer" else "text-bg-secondary"
    return html.P(
        [html.Span(status_text(status, lang), className=f"badge {colour} me-2"), t(f"status.mark.{status}", lang)],
        className="small status-mark",
    )


def unreachable_note(rec: pd.Series, lang: str) -> html.P:
    """No confirmed way to reach the service: the help lines to call instead, one tap away (the nearby
    page for its town shows 911, the region's DPJ line and the provincial lines)."""
    lines = href("proximite", filters.FilterState(), lang, pres=rec["municipalite"] or None)
    return html.P(
        [t("contact.unreachable", lang), " ", dcc.Link(t("contact.unreachable_link", lang), href=lines)],
        className="small alert alert-warning py-1 px-2",
    )


def confirmation_block(rec: pd.Series, lang: str, today: date) -> list[Any]:
    block: list[Any] = [confirmation_text(rec["confirme_le"], rec["confirme_par"], lang)]
    if is_stale(rec["confirme_le"], today):
        block.append(html.Span(t("confirmed.stale", lang), className="badge text-bg-warning ms-2"))
    if rec["confirme_source"]:
        source = html.A(t("confirmed.source", lang), href=rec["confirme_source"], target="_blank", rel="noopener noreferrer")
        block += [" — ", source]
    return block


def copied_status(lang: str) -> html.Span:
    """Where « Lien copié » shows (and is read out) after a copy button is pressed (assets/47-copied.js)."""
    return html.Span(
        "", className="copied-status small ms-2", role="status", **{"aria-live": "polite", "data-text": t("app.copied", lang)}
    )


def service_card(rec: pd.Series, lang: str, link: str, today: date | None = None) -> html.Article:
    today = today or date.today()
    description = rec["description_en"] if lang == "en" and rec["description_en"] else rec["description"]
    note = None
    if lang == "en" and not rec["description_en"] and rec["description"]:
        note = html.P(t("detail.french_only", lang), className="small text-body-secondary")
    reachable = bool(rec["telephones"] or rec["site_web"] or rec["courriel"])
    if rec["confidentiel"]:
        # « contactez l'organisme » only when there is a way to (otherwise the note above says what to do).
        help_text = t("detail.confidential_help" if reachable else "detail.confidential_point", lang)
        where = [html.Strong(t("detail.confidential", lang)), html.Br(), help_text]
    else:
        where = rec["adresse"] or "—"
    served = [schema.region_label(c) for c in rec["regions_desservies"]]
    items = (
        _row(t("contact.phones", lang), phone_list(rec["telephones"], lang))
        + _row(t("detail.website", lang), _links(rec["site_web"]) if rec["site_web"] else "—")
        + (_row(t("contact.email", lang), html.A(rec["courriel"], href="mailto:" + rec["courriel"])) if rec["courriel"] else [])
        + _row(t("detail.organisation", lang), rec["organisme"])
        + _row(t("detail.types", lang), ", ".join(schema.type_label(c, lang) for c in rec["types"]))
        + _row(t("detail.ages", lang), ages_text(rec["age_min"], rec["age_max"], lang))
        + _row(t("detail.audience", lang), audience_text(rec["public_cible"], lang))
        + _row(t("detail.place", lang), place_text(rec, lang))
        + _row(t("detail.served", lang), ", ".join(served) if served else t("detail.served_none", lang))
        + _row(t("detail.sectors", lang), _sector_links(rec["secteurs"], lang, link) or "—")
        + _row(t("detail.partners", lang), ", ".join(rec["partenaires"]) or "—")
        + _row(t("detail.languages", lang), ", ".join(schema.language_label(c, lang) for c in rec["langues"]) or "—")
        + _row(t("detail.address", lang), where)
        + _row(t("detail.status", lang), status_text(rec["statut"], lang))
        + _row(t("detail.confirmed", lang), confirmation_block(rec, lang, today))
        + (_row(t("detail.note", lang), rec["note_verification"]) if rec["note_verification"] else [])
        + _row(t("detail.source", lang), _links(rec["source"]))
    )
    return html.Article(
        [
            html.H3(rec["nom"], className="h5"),
            status_mark(rec["statut"], lang),
            None if reachable else unreachable_note(rec, lang),
            html.P(description or "—", className="description"),
            note,
            html.Dl(items, className="row small mb-2"),
            html.Div(
                [
                    dcc.Clipboard(
                        content=link, title=t("detail.copy_link", lang), className="btn btn-outline-secondary btn-sm copy-button"
                    ),
                    html.Span(t("detail.copy_link", lang), className="small ms-1"),
                    copied_status(lang),
                    # A full page load: the form is served by the server, outside the dashboard.
                    html.A(
                        t("contribute.card_link", lang),
                        href=f"/proposer/correction/{quote(str(rec['id']), safe='')}?lang={lang}",
                        className="btn btn-link btn-sm ms-2 correction-link",
                    ),
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
                    ", ".join(schema.type_label(c, lang) for c in rec.types)
                    + " · "
                    + ages_text(rec.age_min, rec.age_max, lang)
                    + ("" if rec.statut == "actif" else " · " + status_text(rec.statut, lang)),
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
            html.P(t("map.and_more", lang, plural=more, n=fmt_int(more, lang)), className="small") if more else None,
        ]
    )
