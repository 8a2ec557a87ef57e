"""The living directory's server side, wired into the app: sessions and their secret, CSRF settings,
rate limits, the server-rendered templates, the public contribution pages and the review area."""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from dash import Dash
from flask import Response, jsonify
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import generate_csrf
from jinja2 import ChoiceLoader, FileSystemLoader

from maillage_dash.config import Settings
from maillage_dash.contribute import views as contribute_views
from maillage_dash.exchange import api
from maillage_dash.exchange import views as exchange_views
from maillage_dash.i18n import t
from maillage_dash.review import auth as review_auth
from maillage_dash.review import views as review_views
from maillage_dash.site import pages
from maillage_dash.store.engine import instance_dir
from maillage_dash.ui.server import TEMPLATES, ServerContext

log = logging.getLogger(__name__)
_TRUE = {"1", "true", "yes", "oui", "on"}
_FALSE = {"0", "false", "no", "non", "off"}


def secret_key(environ: Mapping[str, str]) -> str:
    """``MAILLAGE_SECRET_KEY``, else a random key kept in the instance folder (readable by the owner
    only), the same for every worker and across restarts, so sessions survive them.

    Workers start together: the key is written to a private temporary file first, then published under
    its name with a hard link, which fails if another worker published first — so no worker ever reads a
    half-written (empty) key. (An empty key made sessions fail with a 500 in a fresh-clone run.)"""
    if environ.get("MAILLAGE_SECRET_KEY"):
        return environ["MAILLAGE_SECRET_KEY"]
    folder = instance_dir(environ)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secret_key"
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".secret_key-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(secrets.token_hex(32))
            os.chmod(tmp, 0o600)
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another worker published its key first: use that one
        finally:
            os.unlink(tmp)
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it, a new key will be made")
    return key


def nav_items(lang: str, current: str) -> list[dict[str, Any]]:
    items = [
        {"href": f"/{page.path}?lang={lang}", "label": t(page.nav_key or page.title_key, lang), "current": False}
        for page in pages.registry().values()
        if page.nav
    ]
    for path, key in (("/proposer", "live.nav_propose"), ("/temoigner", "live.nav_testify")):
        items.append({"href": f"{path}?lang={lang}", "label": t(key, lang), "current": current.startswith(path)})
    if current.startswith("/revision"):
        items.append({"href": f"/revision?lang={lang}", "label": t("review.queue_title", lang), "current": True})
    return items


def install(app: Dash, settings: Settings, store: Any, directory: Any, environ: Mapping[str, str]) -> ServerContext:
    server = app.server
    if not server.config.get("SECRET_KEY"):
        server.config["SECRET_KEY"] = secret_key(environ)
    secure = (environ.get("MAILLAGE_SECURE_COOKIES") or "").lower()
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Secure cookies unless told otherwise (plain http on a local machine, tests).
        SESSION_COOKIE_SECURE=secure not in _FALSE,
        SESSION_COOKIE_NAME="maillage_session",
        REMEMBER_COOKIE_SECURE=secure not in _FALSE,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        WTF_CSRF_TIME_LIMIT=8 * 3600,  # a form filled slowly on a phone is still accepted
        WTF_I18N_ENABLED=False,  # WTForms' own French and English messages
    )
    limiter = Limiter(
        get_remote_address,
        app=server,
        storage_uri=environ.get("MAILLAGE_RATELIMIT_STORAGE", "memory://"),
        default_limits=[],
        headers_enabled=True,
    )
    server.jinja_env.globals["csrf_token"] = generate_csrf  # the small forms (sign out) written by hand
    server.jinja_loader = ChoiceLoader([server.jinja_loader, FileSystemLoader(str(Path(TEMPLATES)))])  # type: ignore[list-item]
    ctx = ServerContext(
        store=store,
        directory=directory,
        settings=settings,
        limiter=limiter,
        nav=nav_items,
        submit_limit=environ.get("MAILLAGE_SUBMIT_LIMIT", "5/minute;40/hour"),
        login_limit=environ.get("MAILLAGE_LOGIN_LIMIT", "10/minute;50/hour"),
        api_limit=environ.get("MAILLAGE_API_LIMIT", "120/minute"),
    )
    review_auth.install(server, store)
    server.register_blueprint(contribute_views.blueprint(ctx))
    server.register_blueprint(review_views.blueprint(ctx))
    server.register_blueprint(api.blueprint(ctx))
    server.register_blueprint(exchange_views.blueprint(ctx, environ))
    server.extensions["maillage_server_context"] = ctx

    def health() -> Response:
        """What this worker serves: its data version and number of services (for probes and tests)."""
        served = getattr(directory, "version", None)
        body = {"pid": os.getpid(), "data_version": served, "services": len(directory), "database": None}
        if store is not None:
            body["database"] = store.ping()
        response = jsonify(body)
        response.headers["Cache-Control"] = "no-store"
        return response

    server.add_url_rule("/sante", endpoint="health", view_func=health)
    return ctx
