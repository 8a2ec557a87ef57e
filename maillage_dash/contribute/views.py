"""The public pages: ``/proposer``, ``/proposer/correction/<id>``, ``/temoigner``, ``/merci``,
``/confidentialite``. Each submission is validated like a directory file, kept in the database (one
transaction) and only then acknowledged with a reference number; on any error the form comes back
with everything typed and the reason beside each field."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, redirect, request
from sqlalchemy.exc import SQLAlchemyError

from maillage_dash import schema
from maillage_dash.contribute.forms import ErasureForm, TestimonyForm
from maillage_dash.entryform import EMAIL, PUBLIC_FIELDS, ProposalForm
from maillage_dash.i18n import t
from maillage_dash.rows import is_yes
from maillage_dash.store import entries, submissions
from maillage_dash.ui.server import ServerContext, lang_of, render, unavailable

FIELD_LABELS = (*schema.TEMPLATE_NAMES, "submitter_name", "submitter_email", "message", "privacy")


def labels(lang: str) -> dict[str, str]:
    return {name: t(f"field.{name}", lang) for name in (*FIELD_LABELS, *TESTIMONY_FIELDS, "reference")}


TESTIMONY_FIELDS = ("role_auteur", "secteur", "region", "langue", "texte", "signature", "consent", "no_youth")


def _meta(lang: str) -> dict[str, Any]:
    return {"locales": [lang, "fr"]}


def blueprint(ctx: ServerContext) -> Blueprint:
    bp = Blueprint("contribute", __name__, template_folder="templates")

    def proposal_page(entry_id: str | None = None, *, throttled: bool = False) -> Response:
        if ctx.store is None:
            return unavailable(ctx)
        lang = lang_of(ctx.settings)
        target = None
        if entry_id is not None:
            try:
                target = entries.get(ctx.store, entry_id)
            except SQLAlchemyError:
                return unavailable(ctx)
            if target is None:
                abort(404)
        form = ProposalForm(meta=_meta(lang)).setup(lang, PUBLIC_FIELDS)
        loose: list[str] = []
        status = 200
        if request.method == "GET" and target is not None:
            cells = dict(target.data)
            if schema_true(cells.get("adresse_confidentielle")):
                cells["adresse"] = ""  # a shelter's address is never sent to a browser
            form.fill(cells)
        if request.method == "POST":
            if throttled:
                form.validate()
                loose.append(t("form.throttled", lang))
                status = 429
            else:
                loose, ok = check_proposal(ctx, form, lang)
                if ok:
                    cells = form.cells()
                    cells["statut"] = "a_confirmer"  # a reviewer confirms before anything says « actif »
                    if schema_true(cells.get("adresse_confidentielle")):
                        cells["adresse"] = ""
                    try:
                        reference = submissions.submit(
                            ctx.store,
                            "correction" if target is not None else "entry",
                            cells,
                            submitter_name=(form.submitter_name.data or "").strip(),
                            submitter_email=(form.submitter_email.data or "").strip(),
                            message=(form.message.data or "").strip(),
                            lang=lang,
                            target=target,
                        )
                    except SQLAlchemyError:
                        loose = [t("form.db_down", lang)]
                        status = 503
                    else:
                        return redirect(f"/merci?ref={reference}&lang={lang}", code=303)
                else:
                    status = 400
        title = t("contribute.correct_title" if target is not None else "contribute.propose_title", lang)
        return render(
            ctx,
            "contribute/propose.html",
            lang=lang,
            title=title,
            status=status,
            form=form,
            loose=loose,
            labels=labels(lang),
            target=target,
        )

    limited = ctx.limiter.limit(
        ctx.submit_limit,
        methods=["POST"],
        deduct_when=_kept,
        on_breach=lambda _limit: proposal_page(request.view_args.get("entry_id"), throttled=True),
    )
    bp.add_url_rule("/proposer", "propose", limited(proposal_page), methods=["GET", "POST"])
    bp.add_url_rule("/proposer/correction/<entry_id>", "correct", limited(proposal_page), methods=["GET", "POST"])

    def testimony_page(*, throttled: bool = False) -> Response:
        if ctx.store is None:
            return unavailable(ctx)
        lang = lang_of(ctx.settings)
        form = TestimonyForm(meta=_meta(lang)).setup(lang)
        loose: list[str] = []
        status = 200
        if request.method == "GET":
            form.langue.data = lang
        if request.method == "POST":
            ok = form.validate()
            loose.extend(csrf_problem(form, lang))
            email = (form.submitter_email.data or "").strip()
            if email and not EMAIL.match(email):
                form.submitter_email.errors = [*form.submitter_email.errors, t("problem.bad_email", lang, value=email)]
                ok = False
            if throttled:
                loose.append(t("form.throttled", lang))
                status = 429
            elif ok:
                data = {
                    "role_auteur": (form.role_auteur.data or "").strip(),
                    "secteur": form.secteur.data,
                    "region": form.region.data,
                    "langue": form.langue.data,
                    "texte": (form.texte.data or "").strip(),
                    "signature": (form.signature.data or "").strip(),
                    "date": date.today().isoformat(),
                    "consentement": {
                        "obtenu": "oui",
                        "comment": t("testimony.consent_record", "fr", day=date.today().isoformat()),
                    },
                }
                try:
                    reference = submissions.submit(ctx.store, "testimony", data, submitter_email=email, lang=lang)
                except SQLAlchemyError:
                    loose = [t("form.db_down", lang)]
                    status = 503
                else:
                    return redirect(f"/merci?ref={reference}&lang={lang}&kind=testimony", code=303)
            else:
                status = 400
        return render(
            ctx,
            "contribute/testimony.html",
            lang=lang,
            title=t("testimony.title", lang),
            status=status,
            form=form,
            loose=loose,
            labels=labels(lang),
        )

    limited_testimony = ctx.limiter.limit(
        ctx.submit_limit, methods=["POST"], deduct_when=_kept, on_breach=lambda _l: testimony_page(throttled=True)
    )
    bp.add_url_rule("/temoigner", "testify", limited_testimony(testimony_page), methods=["GET", "POST"])

    @bp.route("/merci")
    def thanks() -> Response:
        lang = lang_of(ctx.settings)
        reference = (request.args.get("ref") or "")[:20]
        kind = request.args.get("kind", "entry")
        return render(
            ctx, "contribute/thanks.html", lang=lang, title=t("contribute.thanks_title", lang), reference=reference, kind=kind
        )

    def privacy_page(*, throttled: bool = False) -> Response:
        lang = lang_of(ctx.settings)
        form = ErasureForm(meta=_meta(lang))
        loose: list[str] = []
        done = None
        status = 200
        if request.method == "POST":
            if ctx.store is None:
                return unavailable(ctx)
            ok = form.validate()
            loose.extend(csrf_problem(form, lang))
            if throttled:
                loose.append(t("form.throttled", lang))
                status = 429
            elif ok:
                try:
                    done = submissions.submit(
                        ctx.store,
                        "erasure",
                        {"reference": (form.reference.data or "").strip().upper()},
                        submitter_email=(form.submitter_email.data or "").strip(),
                        lang=lang,
                    )
                except SQLAlchemyError:
                    loose = [t("form.db_down", lang)]
                    status = 503
            else:
                status = 400
        return render(
            ctx,
            "contribute/privacy.html",
            lang=lang,
            title=t("privacy.title", lang),
            status=status,
            form=form,
            loose=loose,
            done=done,
            labels=labels(lang),
        )

    limited_privacy = ctx.limiter.limit(
        ctx.submit_limit, methods=["POST"], deduct_when=_kept, on_breach=lambda _l: privacy_page(throttled=True)
    )
    bp.add_url_rule("/confidentialite", "privacy", limited_privacy(privacy_page), methods=["GET", "POST"])
    return bp


def schema_true(value: Any) -> bool:
    return is_yes(value)


def csrf_problem(form: Any, lang: str) -> list[str]:
    if "csrf_token" in form and form.csrf_token.errors:
        form.csrf_token.errors = []
        return [t("form.expired", lang)]
    return []


def check_proposal(ctx: ServerContext, form: ProposalForm, lang: str) -> tuple[list[str], bool]:
    """WTForms' checks, then the directory's own validation of the row; problems on their fields."""
    ok = form.validate()
    loose = csrf_problem(form, lang)
    email = (form.submitter_email.data or "").strip()
    if email and not EMAIL.match(email):
        form.submitter_email.errors = [*form.submitter_email.errors, t("problem.bad_email", lang, value=email)]
        ok = False
    cells = form.cells()
    cells["statut"] = "actif"  # what it would be once confirmed: it must then be reachable
    _record, problems = entries.validate_row(cells, ctx.geography, date.today())
    # A field WTForms already refused (empty required field) is not reported twice. Read before the
    # « no way to reach » note is put on the phones: that note hid the phone number's own error.
    refused = {name for name in form.data if name in form and form[name].errors}
    # A phone that was given but cannot be read says so itself; « give at least one way to reach it » beside
    # it would say no phone was given.
    phone_unread = any(p.column == "telephones" and p.severity == "error" for p in problems)
    for problem in problems:
        if problem.code == "active_unreachable":
            if not phone_unread:
                form.telephones.errors = [*form.telephones.errors, t("form.error.unreachable", lang)]
            ok = False
    others = [p for p in problems if p.code != "active_unreachable" and p.severity == "error"]
    others = [p for p in others if not (p.column and p.column in refused)]
    loose.extend(form.attach(others, lang))
    return loose, ok and not others and not loose


def _kept(response: Response) -> bool:
    """Only a kept submission counts against the sending limit: a person correcting what the form refused
    (errors named field by field) is not throttled for it."""
    return response.status_code in (302, 303)
