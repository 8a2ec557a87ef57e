"""Server-rendered pages (proposals, testimonies, review): the context they share and how they are
rendered in Maillage's frame (``templates/base.html``: skip link, header, language, quick exit)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Response, make_response, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from maillage_dash.config import Settings
from maillage_dash.i18n import norm_lang, t

TEMPLATES = Path(__file__).with_name("templates")


@dataclass
class ServerContext:
    """What the server-rendered views work with. ``store`` is None when the app serves a fixed
    directory without a database (then these pages say they are not available)."""

    store: Any
    directory: Any
    settings: Settings
    limiter: Any
    nav: Callable[[str, str], list[dict[str, Any]]]  # (lang, current path) → the header's links
    submit_limit: str = "5/minute;40/hour"
    login_limit: str = "10/minute;50/hour"
    api_limit: str = "120/minute"

    @property
    def geography(self) -> Any:
        return self.directory.geography


def lang_of(settings: Settings) -> str:
    raw = request.args.get("lang")
    if not raw:
        try:
            raw = request.form.get("lang")
        except RequestEntityTooLarge:  # the page that refuses it still speaks the right language
            raw = None
    return norm_lang(raw or settings.default_lang)


def other_lang_url(lang: str) -> str:
    other = "en" if lang == "fr" else "fr"
    args = {k: v for k, v in request.args.items() if k != "lang"}
    args["lang"] = other
    return request.path + "?" + urlencode(args)


def render(ctx: ServerContext, template: str, *, lang: str, title: str, status: int = 200, **values: Any) -> Response:
    """``template`` in the frame, in ``lang``; never cached (forms, personal data of reviewers)."""
    html = render_template(
        template,
        lang=lang,
        other_lang="en" if lang == "fr" else "fr",
        other_lang_url=other_lang_url(lang),
        title=title,
        t=lambda key, **kw: t(key, lang, **kw),
        nav_items=ctx.nav(lang, request.path),
        quick_exit_url=ctx.settings.quick_exit_url,
        retention=ctx.settings.contact_retention_days,
        **values,
    )
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def unavailable(ctx: ServerContext) -> Response:
    lang = lang_of(ctx.settings)
    return render(ctx, "unavailable.html", lang=lang, title=t("live.unavailable_title", lang), status=503)


__all__ = ["TEMPLATES", "ServerContext", "lang_of", "other_lang_url", "render", "unavailable"]
