"""Bulk import in the browser (reviewers only): ``/revision/import`` — upload a template CSV/XLSX, an HSDS
JSON or a zipped HSDS package; see the validation report and a preview of what would change; confirm
(everything in one transaction) or cancel (nothing written). The uploaded file waits in the instance
folder between the preview and the decision, under a random name, and is deleted either way."""

from __future__ import annotations

import json
import re
import secrets
from datetime import date
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, redirect, request
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.exceptions import RequestEntityTooLarge

from maillage_dash.exchange import importing, reading
from maillage_dash.i18n import fmt_int, t
from maillage_dash.store import entries
from maillage_dash.store.engine import instance_dir
from maillage_dash.ui.server import ServerContext, lang_of, render, unavailable
from maillage_dash.validation import errors_of

UPLOAD_LIMIT = reading.MAX_BYTES
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class UploadForm(FlaskForm):
    """The token only: the file comes as ``request.files['file']``."""


def blueprint(ctx: ServerContext, environ: Any) -> Blueprint:
    bp = Blueprint("exchange", __name__, url_prefix="/revision/import", template_folder="templates")
    folder = instance_dir(environ) / "imports"

    def page(template: str, title_key: str, status: int = 200, **values: Any) -> Response:
        lang = lang_of(ctx.settings)
        return render(
            ctx,
            template,
            lang=lang,
            title=t(title_key, lang),
            status=status,
            reviewer=getattr(current_user, "email", None),
            fmt_int=lambda n: fmt_int(n, lang),
            labels={n: t(f"field.{n}", lang) for n in entries.COLUMNS},
            limit_mb=UPLOAD_LIMIT // 2**20,
            **values,
        )

    @bp.before_request
    def bigger_uploads() -> None:
        request.max_content_length = UPLOAD_LIMIT + 2**20  # the file plus the form around it

    @bp.route("", methods=["GET", "POST"])
    @login_required
    def upload() -> Response:
        if ctx.store is None:
            return unavailable(ctx)
        lang = lang_of(ctx.settings)
        if request.method == "GET":
            form = UploadForm(meta={"locales": [lang, "fr"]})
            return page("exchange/upload.html", "exchange.upload_title", form=form, message=None)
        try:
            form = UploadForm(meta={"locales": [lang, "fr"]})  # reads the request's body
            ok = form.validate()
            uploaded = request.files.get("file")
        except RequestEntityTooLarge:
            form = UploadForm(formdata=None, meta={"locales": [lang, "fr"]})
            return page(
                "exchange/upload.html",
                "exchange.upload_title",
                413,
                form=form,
                message=t("exchange.too_big", lang, limit=UPLOAD_LIMIT // 2**20),
            )
        if not ok:
            return page("exchange/upload.html", "exchange.upload_title", 400, form=form, message=t("form.expired", lang))
        if uploaded is None or not uploaded.filename:
            return page("exchange/upload.html", "exchange.upload_title", 400, form=form, message=t("exchange.no_file", lang))
        raw = uploaded.read(UPLOAD_LIMIT + 1)
        if len(raw) > UPLOAD_LIMIT:
            return page(
                "exchange/upload.html",
                "exchange.upload_title",
                413,
                form=form,
                message=t("exchange.too_big", lang, limit=UPLOAD_LIMIT // 2**20),
            )
        token = secrets.token_urlsafe(24)
        folder.mkdir(parents=True, exist_ok=True)
        name = Path(uploaded.filename).name[:120] or "import"
        (folder / f"{token}.bin").write_bytes(raw)
        (folder / f"{token}.json").write_text(json.dumps({"name": name, "by": str(current_user.email)}), encoding="utf-8")
        return redirect(f"/revision/import/{token}?lang={lang}", code=303)

    def load(token: str) -> tuple[str, bytes] | None:
        if not _TOKEN.match(token):
            return None
        data, meta = folder / f"{token}.bin", folder / f"{token}.json"
        if not data.is_file() or not meta.is_file():
            return None
        return json.loads(meta.read_text(encoding="utf-8"))["name"], data.read_bytes()

    def forget(token: str) -> None:
        for suffix in (".bin", ".json"):
            (folder / f"{token}{suffix}").unlink(missing_ok=True)

    @bp.route("/<token>", methods=["GET", "POST"])
    @login_required
    def preview(token: str) -> Response:
        if ctx.store is None:
            return unavailable(ctx)
        lang = lang_of(ctx.settings)
        found = load(token)
        if found is None:
            abort(404)
        name, raw = found
        source = reading.read_bytes(raw, name, ctx.geography)
        result = importing.plan(ctx.store, source, ctx.geography, date.today())
        form = UploadForm(meta={"locales": [lang, "fr"]})
        message = None
        status = 200
        if request.method == "POST":
            if not form.validate():
                message, status = t("form.expired", lang), 400
            elif request.form.get("action") == "cancel":
                forget(token)
                return redirect(f"/revision/import?lang={lang}&cancelled=1", code=303)
            elif result.refused:
                message, status = t("exchange.refused", lang), 400
            else:
                try:
                    outcome = importing.apply(
                        ctx.store, result, ctx.geography, by=str(current_user.email), end=set(request.form.getlist("end"))
                    )
                except entries.Conflict:
                    message, status = t("exchange.conflict", lang), 409
                except entries.Invalid:
                    message, status = t("exchange.refused", lang), 400
                else:
                    forget(token)
                    done = importing.done_text(outcome, lang)
                    return page("exchange/done.html", "exchange.done_title", message=done)
        errors = errors_of(result.problems)
        return page(
            "exchange/preview.html",
            "exchange.preview_title",
            status,
            form=form,
            token=token,
            name=name,
            result=result,
            errors=errors,
            warnings=[p for p in result.problems if p.severity != "error"],
            counts=importing.counts_text(importing.summary(result), lang),
            message=message,
        )

    return bp
