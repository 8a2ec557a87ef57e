"""Reviewers' accounts. Passwords are hashed with Werkzeug's scrypt (never stored or logged in clear);
an account is made by ``python -m maillage_dash user add EMAIL`` (password from standard input or
``MAILLAGE_USER_PASSWORD``) or at start-up from ``MAILLAGE_ADMIN_EMAIL`` + ``MAILLAGE_ADMIN_PASSWORD``."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from maillage_dash.store.engine import Store, now
from maillage_dash.store.models import User

MIN_PASSWORD = 12
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Compared against when the account does not exist, so that a wrong email costs as long as a wrong
# password: Werkzeug's hash of "maillage-dummy-password" with its default method, written out once
# (hashing it at import was 0.1 s of every start-up; tests/review checks it is still that method's hash).
_DUMMY = (
    "scrypt:32768:8:1$3S1bfbPBKXVClh8g$244da05445f20f85d5191c0d9de66109a0ca3d0189415a11408335d5f8fe8654"
    "12ac473cd9b6ea91165b452b28e9b9dc7a8d461cbba4247cabb8d0a47f69e4c5"
)


class AccountError(ValueError):
    """``code`` names the problem (an i18n key under ``review.account.``)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def normal(email: str) -> str:
    return email.strip().lower()


def add(store: Store, email: str, password: str, *, replace: bool = False) -> User:
    """Create an account (or set a new password with ``replace``)."""
    email = normal(email)
    if not _EMAIL.match(email):
        raise AccountError("bad_email")
    if len(password) < MIN_PASSWORD:
        raise AccountError("short_password")
    with store.session() as session:
        user = session.scalar(select(User).where(User.email == email))
        if user is not None and not replace:
            raise AccountError("exists")
        if user is None:
            user = User(email=email, active=True, created_at=now(), password_hash="")
            session.add(user)
        user.password_hash = generate_password_hash(password)
        user.active = True
        return user


def authenticate(store: Store, email: str, password: str) -> User | None:
    """The active account with this email and password, else None (in about the same time either way)."""
    with store.session() as session:
        user = session.scalar(select(User).where(User.email == normal(email)))
        if user is None or not user.active:
            check_password_hash(_DUMMY, password)
            return None
        if not check_password_hash(user.password_hash, password):
            return None
        user.last_login_at = now()
        return user


def by_id(store: Store, user_id: int) -> User | None:
    with store.session() as session:
        user = session.get(User, user_id)
        return user if user is not None and user.active else None


def deactivate(store: Store, email: str) -> bool:
    with store.session() as session:
        user = session.scalar(select(User).where(User.email == normal(email)))
        if user is None:
            return False
        user.active = False
        return True


def emails(store: Store) -> list[tuple[str, bool]]:
    with store.session() as session:
        return [(u.email, u.active) for u in session.scalars(select(User).order_by(User.email))]


def count(store: Store) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(User)) or 0)
