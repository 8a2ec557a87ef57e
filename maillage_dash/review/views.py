"""The review area, ``/revision``: log in, the queue, one submission, the entries, one entry (edit,
confirm, end, history, restore), the freshness work list. Every page needs a reviewer's session and
every form carries a CSRF token; saving an entry that changed since it was opened is refused."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from flask import Blueprint, Response, abort, redirect, request, session
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError

from maillage_dash import schema
from maillage_dash.entryform import REVIEW_FIELDS, EntryForm
from maillage_dash.i18n import count_text, fmt_date, fmt_int, t
from maillage_dash.phones import parse_phones
from maillage_dash.review.auth import Reviewer
from maillage_dash.review.forms import ActionForm, ConfirmForm, LoginForm, TestimonyReviewForm
from maillage_dash.rows import _parse_date, is_yes
from maillage_dash.store import entries, submissions, users
from maillage_dash.store.submissions import changes
from maillage_dash.text import split_multi
from maillage_dash.ui.server import ServerContext, lang_of, render, unavailable


def _meta(lang: str) -> dict[str, Any]:
    return {"locales": [lang, "fr"]}


def age_text(when: datetime | None, lang: str) -> str:
    """« il y a 3 jours » / "3 days ago" (hours under a day)."""
    if when is None:
        return "—"
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = max(0, (datetime.now(UTC) - when).total_seconds())
    if seconds < 60:
        return t("review.age_now", lang)
    if seconds < 3600:
        return t("review.age_minutes", lang, n=fmt_int(seconds // 60, lang))
    if seconds < 86400:
        return t("review.age_hours", lang, n=fmt_int(seconds // 3600, lang))
    return count_text("review.age_days", seconds // 86400, lang)


def field_labels(lang: str) -> dict[str, str]:
    return {name: t(f"field.{name}", lang) for name in (*schema.TEMPLATE_NAMES, "version", "reason")}


def when_text(when: datetime | None, lang: str) -> str:
    if when is None:
        return "—"
    local = when.astimezone() if when.tzinfo else when
    return f"{fmt_date(local.date(), lang)} {local:%H:%M}"


def blueprint(ctx: ServerContext) -> Blueprint:
    bp = Blueprint("review", __name__, url_prefix="/revision", template_folder="templates")

    def page(template: str, title_key: str, status: int = 200, **values: Any) -> Response:
        lang = lang_of(ctx.settings)
        return render(
            ctx,
            template,
            lang=lang,
            title=t(title_key, lang, **values.pop("title_params", {})),
            status=status,
            labels=field_labels(lang),
            age_text=lambda w: age_text(w, lang),
            when_text=lambda w: when_text(w, lang),
            fmt_date=lambda d: fmt_date(d, lang) if d else t("review.never", lang),
            shown=lambda column, value: shown_value(column, value, lang),
            reviewer=getattr(current_user, "email", None),
            **values,
        )

    def who() -> str:
        return str(current_user.email)

    # ------------------------------------------------------------------ session

    def login_page(*, throttled: bool = False) -> Response:
        if ctx.store is None:
            return unavailable(ctx)
        lang = lang_of(ctx.settings)
        form = LoginForm(meta=_meta(lang))
        message = None
        status = 200
        if request.method == "GET":
            form.next.data = request.args.get("next", "")
        elif throttled:
            message, status = t("review.login_throttled", lang), 429
        elif form.validate():
            try:
                user = users.authenticate(ctx.store, form.email.data, form.password.data)
            except SQLAlchemyError:
                user, message, status = None, t("form.db_down", lang), 503
            if user is not None:
                session.clear()
                login_user(Reviewer(user.id, user.email))
                session.permanent = True
                target = form.next.data or ""
                safe = target.startswith("/revision") and "//" not in target and "\\" not in target
                return redirect((target if safe else "/revision") + f"?lang={lang}", code=303)
            if message is None:
                message, status = t("review.login_failed", lang), 401
        else:
            message, status = (t("form.expired", lang) if form.csrf_token.errors else t("review.login_failed", lang)), 400
        form.password.data = ""
        return page("review/login.html", "review.login_title", status=status, form=form, message=message)

    limited_login = ctx.limiter.limit(ctx.login_limit, methods=["POST"], on_breach=lambda _l: login_page(throttled=True))
    bp.add_url_rule("/connexion", "login", limited_login(login_page), methods=["GET", "POST"])

    @bp.route("/deconnexion", methods=["POST"])
    def logout() -> Response:
        lang = lang_of(ctx.settings)
        form = ActionForm(meta=_meta(lang))
        if form.validate():
            logout_user()
            session.clear()
        return redirect(f"/?lang={lang}", code=303)

    # ------------------------------------------------------------------ queue

    @bp.route("")
    @login_required
    def queue() -> Response:
        if ctx.store is None:
            return unavailable(ctx)
        items = submissions.pending(ctx.store)
        recent = submissions.recent_decisions(ctx.store, 15)
        stale_count = len(entries.stale(ctx.store, date.today()))
        return page(
            "review/queue.html",
            "review.queue_title",
            items=items,
            recent=recent,
            stale_count=stale_count,
            action=ActionForm(meta=_meta(lang_of(ctx.settings))),
            summary=_summary,
        )

    @bp.route("/demande/<int:submission_id>", methods=["GET", "POST"])
    @login_required
    def submission(submission_id: int) -> Response:
        if ctx.store is None:
            return unavailable(ctx)
        lang = lang_of(ctx.settings)
        item = submissions.get(ctx.store, submission_id)
        if item is None:
            abort(404)
        if item.kind == "testimony":
            return _testimony(item, lang)
        if item.kind == "erasure":
            return _erasure(item, lang)
        return _entry_submission(item, lang)

    def _entry_submission(item: Any, lang: str) -> Response:
        target = entries.get(ctx.store, item.target_id) if item.target_id else None
        form = EntryForm(meta=_meta(lang)).setup(lang, REVIEW_FIELDS)
        reject_form = ActionForm(meta=_meta(lang), prefix="reject")
        loose: list[str] = []
        status = 200
        if request.method == "GET":
            base = dict(target.data) if target is not None else {}
            # A correction proposes the public fields; the trust fields stay the entry's own.
            proposed = {**base, **{k: v for k, v in item.data.items() if k in entries.COLUMNS and k not in _TRUST}}
            if target is None:
                proposed.setdefault("statut", "a_confirmer")
            form.fill(proposed)
            form.version.data = str(target.version) if target is not None else ""
        elif item.status != "pending":
            loose.append(t("review.already_decided", lang))
            status = 409
        elif request.form.get("action") == "reject":
            if reject_form.validate() and (reject_form.reason.data or "").strip():
                try:
                    submissions.reject(ctx.store, item.id, by=who(), reason=(reject_form.reason.data or "").strip())
                except submissions.Decided:
                    loose.append(t("review.already_decided", lang))
                    status = 409
                else:
                    return redirect(f"/revision?lang={lang}&done={item.reference}", code=303)
            else:
                reject_form.reason.errors = [t("review.reason_needed", lang)]
                status = 400
            form.fill(item.data)
        else:
            if form.validate():
                cells = form.cells()
                try:
                    if target is None:
                        entry = submissions.approve_entry(ctx.store, item.id, cells, ctx.geography, by=who())
                    else:
                        entry = submissions.merge_correction(
                            ctx.store, item.id, cells, ctx.geography, by=who(), expected_version=int(form.version.data or -1)
                        )
                except entries.Invalid as exc:
                    loose.extend(form.attach(exc.problems, lang))
                    status = 400
                except entries.Conflict as exc:
                    loose.append(_conflict_text(exc, lang))
                    status = 409
                except submissions.Decided:
                    loose.append(t("review.already_decided", lang))
                    status = 409
                else:
                    return redirect(f"/revision/fiche/{entry.id}?lang={lang}&published=1", code=303)
            else:
                if form.csrf_token.errors:
                    loose.append(t("form.expired", lang))
                status = 400
        diff = changes(target.data, item.data) if target is not None else []
        diff = [c for c in diff if c.column not in _TRUST]
        return page(
            "review/submission.html",
            "review.submission_title",
            status=status,
            title_params={"reference": item.reference},
            item=item,
            target=target,
            form=form,
            reject_form=reject_form,
            loose=loose,
            diff=diff,
            moved=target is not None and item.target_version is not None and target.version != item.target_version,
        )

    def _testimony(item: Any, lang: str) -> Response:
        form = TestimonyReviewForm(meta=_meta(lang)).setup(lang)
        loose: list[str] = []
        status = 200
        if request.method == "GET":
            for name in ("role_auteur", "secteur", "region", "langue", "texte", "signature"):
                form[name].data = item.data.get(name, "")
        elif item.status != "pending":
            loose.append(t("review.already_decided", lang))
            status = 409
        elif form.validate():
            try:
                if request.form.get("action") == "reject":
                    if not (form.reason.data or "").strip():
                        form.reason.errors = [t("review.reason_needed", lang)]
                        status = 400
                    else:
                        submissions.reject(ctx.store, item.id, by=who(), reason=(form.reason.data or "").strip())
                        return redirect(f"/revision?lang={lang}&done={item.reference}", code=303)
                else:
                    data = {**item.data}
                    for name in ("role_auteur", "secteur", "region", "langue", "texte", "signature"):
                        data[name] = (form[name].data or "").strip()
                    submissions.publish_testimony(ctx.store, item.id, data, by=who())
                    return redirect(f"/revision?lang={lang}&done={item.reference}", code=303)
            except submissions.Decided:
                loose.append(t("review.already_decided", lang))
                status = 409
        else:
            if form.csrf_token.errors:
                loose.append(t("form.expired", lang))
            status = 400
        return page(
            "review/testimony.html",
            "review.submission_title",
            status=status,
            title_params={"reference": item.reference},
            item=item,
            form=form,
            loose=loose,
        )

    def _erasure(item: Any, lang: str) -> Response:
        form = ActionForm(meta=_meta(lang))
        asked = submissions.by_reference(ctx.store, str(item.data.get("reference", "")))
        matches = asked is not None and asked.submitter_email.strip().lower() == item.submitter_email.strip().lower()
        loose: list[str] = []
        if request.method == "POST" and item.status == "pending" and form.validate():
            try:
                if request.form.get("action") == "erase" and asked is not None:
                    submissions.erase_contact(ctx.store, asked.id, by=who())
                    submissions.erase_contact(ctx.store, item.id, by=who())
                    submissions.close(ctx.store, item.id, by=who())
                else:
                    submissions.reject(ctx.store, item.id, by=who(), reason=(form.reason.data or "").strip() or "—")
                    submissions.erase_contact(ctx.store, item.id, by=who())
            except submissions.Decided:
                loose.append(t("review.already_decided", lang))
            else:
                return redirect(f"/revision?lang={lang}&done={item.reference}", code=303)
        return page(
            "review/erasure.html",
            "review.submission_title",
            title_params={"reference": item.reference},
            item=item,
            asked=asked,
            matches=matches,
            form=form,
            loose=loose,
        )

    # ------------------------------------------------------------------ entries

    @bp.route("/fiches")
    @login_required
    def entry_list() -> Response:
        if ctx.store is None:
            return unavailable(ctx)
        query = (request.args.get("q") or "").strip()[:100]
        found = entries.search(ctx.store, query)
        return page("review/entries.html", "review.entries_title", found=found, query=query)

    @bp.route("/fiche/<entry_id>", methods=["GET", "POST"])
    @login_required
    def entry(entry_id: str) -> Response:
        if ctx.store is None:
            return unavailable(ctx)
        lang = lang_of(ctx.settings)
        current = entries.get(ctx.store, entry_id)
        if current is None:
            abort(404)
        form = EntryForm(meta=_meta(lang)).setup(lang, REVIEW_FIELDS)
        confirm_form = ConfirmForm(meta=_meta(lang), prefix="confirm").setup(lang)
        end_form = ActionForm(meta=_meta(lang), prefix="end")
        loose: list[str] = []
        conflict = None
        status = 200
        action = request.form.get("action", "")
        if request.method == "GET":
            form.fill(current.data)
            form.version.data = str(current.version)
        elif action == "save":
            if form.validate():
                try:
                    entries.save(
                        ctx.store, entry_id, form.cells(), ctx.geography, expected_version=_int(form.version.data), by=who()
                    )
                    return redirect(f"/revision/fiche/{entry_id}?lang={lang}&saved=1", code=303)
                except entries.Invalid as exc:
                    loose.extend(form.attach(exc.problems, lang))
                    status = 400
                except entries.Conflict as exc:
                    conflict = exc.current
                    loose.append(_conflict_text(exc, lang))
                    status = 409
            else:
                if form.csrf_token.errors:
                    loose.append(t("form.expired", lang))
                status = 400
        else:
            form.fill(current.data)
            form.version.data = str(current.version)
            target_form = confirm_form if action == "confirm" else end_form
            if target_form.validate():
                try:
                    if action == "confirm":
                        on = _parse_date(confirm_form.on.data)
                        if on is None or on > date.today():
                            confirm_form.on.errors = [t("problem.bad_date", lang, value=confirm_form.on.data)]
                            status = 400
                        else:
                            entries.confirm(
                                ctx.store,
                                entry_id,
                                ctx.geography,
                                on=on,
                                method=confirm_form.method.data,
                                source=(confirm_form.source.data or "").strip(),
                                by=who(),
                                expected_version=_int(confirm_form.version.data),
                                note=(confirm_form.note.data or "").strip(),
                            )
                            return redirect(_back(entry_id, lang), code=303)
                    elif action == "end":
                        entries.end(
                            ctx.store,
                            entry_id,
                            ctx.geography,
                            by=who(),
                            expected_version=_int(end_form.version.data),
                            note=(end_form.reason.data or "").strip(),
                        )
                        return redirect(f"/revision/fiche/{entry_id}?lang={lang}&saved=1", code=303)
                except entries.Invalid as exc:
                    loose.extend(p.render(lang) for p in exc.problems)
                    status = 400
                except entries.Conflict as exc:
                    loose.append(_conflict_text(exc, lang))
                    status = 409
            else:
                loose.append(t("form.expired", lang) if target_form.csrf_token.errors else t("review.action_invalid", lang))
                status = 400
        confirm_form.version.data = str(current.version)
        end_form.version.data = str(current.version)
        if not confirm_form.on.data:
            confirm_form.on.data = date.today().isoformat()
        return page(
            "review/entry.html",
            "review.entry_title",
            status=status,
            title_params={"name": current.name},
            entry=current,
            form=form,
            confirm_form=confirm_form,
            end_form=end_form,
            restore_form=ActionForm(meta=_meta(lang), prefix="restore"),
            loose=loose,
            conflict=conflict,
            conflict_diff=changes(conflict.data, form.cells()) if conflict is not None else [],
            history=history_rows(entry_id),
            saved=request.args.get("saved") or request.args.get("published"),
        )

    @bp.route("/fiche/<entry_id>/restaurer/<int:history_id>", methods=["POST"])
    @login_required
    def restore(entry_id: str, history_id: int) -> Response:
        lang = lang_of(ctx.settings)
        form = ActionForm(meta=_meta(lang), prefix="restore")
        if not form.validate():
            abort(400)
        try:
            entries.restore(ctx.store, entry_id, history_id, ctx.geography, by=who(), expected_version=_int(form.version.data))
        except entries.Conflict:
            return redirect(f"/revision/fiche/{entry_id}?lang={lang}&conflict=1", code=303)
        except entries.Invalid:
            return redirect(f"/revision/fiche/{entry_id}?lang={lang}&invalid=1", code=303)
        return redirect(f"/revision/fiche/{entry_id}?lang={lang}&saved=1", code=303)

    def history_rows(entry_id: str) -> list[dict[str, Any]]:
        return [{"h": h, "changes": changes(h.previous or {}, h.data)} for h in entries.history(ctx.store, entry_id)]

    # ------------------------------------------------------------------ freshness

    @bp.route("/fraicheur")
    @login_required
    def freshness() -> Response:
        if ctx.store is None:
            return unavailable(ctx)
        lang = lang_of(ctx.settings)
        found = entries.stale(ctx.store, date.today())
        rows = []
        for item in found:
            lines, _problems = parse_phones(item.data.get("telephones", "")) if item.data.get("telephones") else ((), [])
            rows.append({"entry": item, "phones": lines})
        form = ConfirmForm(meta=_meta(lang), prefix="confirm").setup(lang)
        confirmed = entries.get(ctx.store, request.args.get("confirmed", "")) if request.args.get("confirmed") else None
        return page(
            "review/freshness.html",
            "review.freshness_title",
            rows=rows,
            confirmed=confirmed,
            next_id=request.args.get("next", ""),
            method_label=lambda code: schema.term_label(schema.METHOD_LABELS, code, lang) if code else "—",
            today=date.today().isoformat(),
            form=form,
            phone_text=lambda p: t("review.phone_line", lang, kind=p.label(lang), number=p.display_in(lang)),
            region_label=schema.region_label,
        )

    return bp


_TRUST = ("statut", "confirme_le", "confirme_par", "confirme_source", "note_verification", "latitude", "longitude", "id")


def _int(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return -1


def _back(entry_id: str, lang: str) -> str:
    target = request.form.get("back", "")
    if target == "freshness":  # back to the list, where the next entry is, with a word of what was saved
        after = re.sub(r"[^A-Za-z0-9_.\-]", "", request.form.get("next", ""))[:80]
        return f"/revision/fraicheur?lang={lang}&confirmed={entry_id}&next={after}#confirmed-msg"
    return f"/revision/fiche/{entry_id}?lang={lang}&saved=1"


def _conflict_text(exc: entries.Conflict, lang: str) -> str:
    if exc.current is None:
        return t("review.conflict_gone", lang)
    return t(
        "review.conflict",
        lang,
        who=exc.current.updated_by,
        when=when_text(exc.current.updated_at, lang),
        version=exc.current.version,
    )


def _summary(item: Any) -> str:
    data = item.data or {}
    if item.kind == "testimony":
        return f"{data.get('role_auteur', '')} — {schema.region_label(str(data.get('region', '')))}"
    if item.kind == "erasure":
        return str(data.get("reference", ""))
    return f"{data.get('nom', '')} — {data.get('organisme', '')} ({data.get('municipalite', '')})"


_CODED: dict[str, Any] = {
    "types_service": schema.type_label,
    "secteurs": schema.sector_label,
    "langues": schema.language_label,
    "public_cible": lambda code, lang: schema.term_label(schema.AUDIENCE_LABELS, code, lang),
    "statut": lambda code, lang: schema.term_label(schema.STATUS_LABELS, code, lang),
    "confirme_par": lambda code, lang: schema.term_label(schema.METHOD_LABELS, code, lang),
    "regions_desservies": lambda code, _lang: schema.region_label(code),
}


def shown_value(column: str, value: Any, lang: str) -> str:
    """A stored cell as a reviewer reads it: labels for codes, dates as the language writes them, « oui »
    or « non »; « — » when empty."""
    text = str(value or "").strip()
    if not text:
        return "—"
    if column in _CODED:
        return ", ".join(_CODED[column](part, lang) for part in split_multi(text))
    if column == "confirme_le":
        parsed = _parse_date(text)
        return fmt_date(parsed, lang) if parsed else text
    if column == "adresse_confidentielle":
        return t("review.yes" if is_yes(text) else "review.no", lang)
    return text
