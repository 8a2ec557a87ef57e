"""The referral sheet (/fiche-reference): the chosen services with their contacts, to print or save
as PDF and hand to a youth or a colleague. Nothing about the youth is asked for or kept."""

from __future__ import annotations

from datetime import date
from typing import Any

from dash import dcc, html

from maillage_dash import rows, schema
from maillage_dash.i18n import fmt_date, t
from maillage_dash.labels import ages_text, audience_text, status_text
from maillage_dash.links import href
from maillage_dash.nearby import model as nearby
from maillage_dash.routing import Page, PageContext
from maillage_dash.ui.card import confirmation_block, phone_list

MAX_SERVICES = 60


def _item(rec: Any, lang: str, distance: str | None, today: date) -> html.Li:
    if rec["confidentiel"]:
        where = t("sheet.confidential", lang, town=rec["municipalite"] or "—")
    else:
        where = ", ".join(x for x in (rec["adresse"], rec["municipalite"]) if x) or "—"
        if rows.town_in_doubt(rec["note_verification"]):
            where += " — " + t("detail.place_doubt", lang)
    sites = [p.strip() for p in str(rec["site_web"]).split(";") if p.strip()]
    lines = [
        (t("detail.organisation", lang), rec["organisme"]),
        (t("detail.types", lang), ", ".join(schema.type_label(c, lang) for c in rec["types"])),
        (t("detail.ages", lang), ages_text(rec["age_min"], rec["age_max"], lang)),
        (t("detail.address", lang), where),
        (t("detail.audience", lang), audience_text(rec["public_cible"], lang)),
        (t("contact.phones", lang), phone_list(rec["telephones"], lang)),
        (t("detail.website", lang), [html.A(s, href=s, className="d-block text-break") for s in sites] if sites else "—"),
        (t("detail.status", lang), status_text(rec["statut"], lang)),
        # The same words as the card: « à revérifier » when older than 12 months (a printed sheet outlives the screen).
        (t("detail.confirmed", lang), confirmation_block(rec, lang, today)),
    ]
    if distance:
        lines.insert(3, (t("sheet.distance", lang), distance))
    return html.Li(
        [
            html.H2(rec["nom"], className="h5 mb-1"),
            html.Dl(
                [part for label, value in lines for part in (html.Dt(label), html.Dd(value))],
                className="sheet-dl mb-0",
            ),
        ],
        className="sheet-item",
    )


def render(ctx: PageContext) -> Any:
    lang, state = ctx.lang, ctx.state
    services = ctx.directory.services
    today = date.today()
    wanted = list(dict.fromkeys(ctx.params.get("ids", [])))[:MAX_SERVICES]
    known = [sid for sid in wanted if sid in services.index]
    unknown = [sid for sid in wanted if sid not in services.index]
    place = None
    raw_place = ctx.param("pres")
    distances: dict[str, str] = {}
    if raw_place:
        near = nearby.nearby_for(ctx.directory, ctx.settings.geo_dir)
        place = near.finder.resolve(raw_place).place
        if place is not None and known:
            frame = near.services(place, state.__class__(), None, None)
            for sid, km in zip(frame["id"], frame["distance_km"]):
                if sid in known:
                    distances[sid] = nearby.distance_text(float(km), place, lang)
            known.sort(key=lambda sid: float(frame.loc[sid, "distance_km"]))
    back = href("proximite", state, lang, pres=raw_place, choix=known)
    body: list[Any] = [
        html.Div(
            [
                dcc.Link(t("sheet.back", lang), href=back, className="btn btn-outline-secondary btn-sm"),
                html.Button(t("sheet.print", lang), className="btn btn-primary btn-sm js-print", n_clicks=0, id="sheet-print"),
            ],
            className="d-flex gap-2 mb-3 no-print",
        ),
        html.H1(t("sheet.title", lang), className="h3"),
        html.P(t("sheet.date", lang, date=fmt_date(today, lang)), className="mb-1"),
        html.P(
            t("sheet.from", lang, place=nearby.nearby_for(ctx.directory, ctx.settings.geo_dir).finder.label(place, lang))
            if place
            else "",
            className="mb-1",
        ),
        html.P(t("sheet.privacy", lang), className="small text-body-secondary"),
    ]
    if unknown:
        body.append(
            html.P(t("sheet.unknown", lang, ids=", ".join(u[:40] for u in unknown)), className="alert alert-warning py-2")
        )
    if not known:
        body.append(html.P(t("sheet.empty", lang), className="alert alert-info"))
    else:
        body.append(html.Ol([_item(services.loc[sid], lang, distances.get(sid), today) for sid in known], className="sheet-list"))
    body.append(html.P(t("sheet.footer", lang), className="small mt-3"))
    return html.Article(body, className="referral-sheet")


PAGE = Page(path="fiche-reference", title_key="sheet.title", render=render, nav=False, nav_parent="proximite")
