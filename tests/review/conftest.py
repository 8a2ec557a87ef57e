"""A database-backed app per test (SQLite and PostgreSQL), a reviewer account, and a client helper
that reads CSRF tokens the way a browser would (from the page's form)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from maillage_dash.config import Settings
from maillage_dash.store import users
from maillage_dash.store.engine import Store
from maillage_dash.webapp import create_app
from tests.store.conftest import new_database_url  # noqa: F401  (same databases as the store tests)

PASSWORD = "un-mot-de-passe-de-test"
REVIEWER = "relecture@example.org"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    yield from new_database_url(request.param, tmp_path)


def environ_for(tmp_path, **extra: str) -> dict[str, str]:
    return {
        "MAILLAGE_INSTANCE_DIR": str(tmp_path / "instance"),
        "MAILLAGE_CACHE_DIR": str(tmp_path / "cache"),
        "MAILLAGE_SECURE_COOKIES": "0",  # the test client speaks plain http
        **extra,
    }


@pytest.fixture
def live_app(db_url, tmp_path):
    store = Store(db_url)
    app = create_app(Settings(reload_seconds=0), store=store, environ=environ_for(tmp_path))
    users.add(store, REVIEWER, PASSWORD)
    yield app
    store.dispose()


def token(html: str, prefix: str = "") -> str:
    name = f"{prefix}-csrf_token" if prefix else "csrf_token"
    found = re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]+)"', html) or re.search(
        rf'type="hidden" name="{re.escape(name)}" value="([^"]+)"', html
    )
    assert found, f"no {name} in the page"
    return found.group(1)


@dataclass
class Client:
    client: Any

    def get(self, url: str) -> Any:
        return self.client.get(url)

    def post_form(self, url: str, data: dict[str, Any], prefix: str = "", page: str | None = None) -> Any:
        html = self.client.get(page or url).get_data(as_text=True)
        return self.client.post(url, data={**data, (f"{prefix}-csrf_token" if prefix else "csrf_token"): token(html, prefix)})

    def login(self, email: str = REVIEWER, password: str = PASSWORD) -> Any:
        return self.post_form("/revision/connexion", {"email": email, "password": password})


def proposal(**values: str) -> dict[str, Any]:
    """What a person types in /proposer (made-up test data, says so)."""
    data: dict[str, Any] = {
        "nom": "Halte-jeunesse test (fictive)",
        "organisme": "Organisme test (fictif)",
        "types_service": ["hebergement", "prevention"],
        "age_min": "14",
        "age_max": "21",
        "public_cible": ["filles_femmes"],
        "municipalite": "Saint-Jérôme",
        "telephones": "aide: 450 555-0199 (24/7)",
        "courriel": "info@example.org",
        "description": "Description de test (fictive).",
        "submitter_name": "Personne test",
        "submitter_email": "proposeur.secret@example.org",
        "message": "Message de test",
        "privacy": "y",
    }
    data.update(values)
    return data
