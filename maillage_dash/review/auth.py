"""Reviewers' sessions (Flask-Login over Flask's signed cookie session)."""

from __future__ import annotations

from typing import Any

from flask import redirect, request
from flask_login import LoginManager, UserMixin

from maillage_dash.store import users


class Reviewer(UserMixin):
    def __init__(self, user_id: int, email: str):
        self.id = user_id
        self.email = email

    def get_id(self) -> str:
        return str(self.id)


def install(server: Any, store: Any) -> LoginManager:
    manager = LoginManager()
    manager.session_protection = "strong"
    manager.init_app(server)

    @manager.user_loader
    def load(user_id: str) -> Reviewer | None:
        if store is None or not user_id.isdigit():
            return None
        user = users.by_id(store, int(user_id))
        return Reviewer(user.id, user.email) if user is not None else None

    @manager.unauthorized_handler
    def unauthorized() -> Any:
        lang = request.args.get("lang", "fr")
        return redirect(f"/revision/connexion?lang={lang}&next={request.path}", code=303)

    return manager
