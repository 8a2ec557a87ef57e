"""A fresh database per test, on SQLite and on PostgreSQL.

PostgreSQL comes from ``MAILLAGE_TEST_POSTGRES_URL`` (``make test`` installs and starts a server with
``tests/postgres_setup.sh``); each test gets its own database, dropped afterwards. Without a server
the PostgreSQL cases are skipped — unless ``MAILLAGE_REQUIRE_POSTGRES=1`` (as ``make test`` sets), then
they fail: CI never passes without having run them."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from maillage_dash.store.engine import Store, database_url

BACKENDS = ["sqlite", "postgresql"]


def postgres_admin_url() -> str | None:
    url = os.environ.get("MAILLAGE_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("MAILLAGE_REQUIRE_POSTGRES") == "1":
            pytest.fail("MAILLAGE_REQUIRE_POSTGRES=1 but MAILLAGE_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL server (set MAILLAGE_TEST_POSTGRES_URL, or run `make test`)")
    return database_url({"DATABASE_URL": url})


def new_database_url(backend: str, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'maillage.sqlite3'}"
        return
    admin = postgres_admin_url()
    name = "maillage_t_" + secrets.token_hex(4)
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        _drop(engine, name)
        engine.dispose()


def _drop(engine, name: str) -> None:  # type: ignore[no-untyped-def]
    """Drop a test database. A server process of another role (autovacuum) may still be in it for a
    moment, and this role may not end it: wait and try again; a database left behind is said, not fatal."""
    import time
    import warnings

    from sqlalchemy.exc import DBAPIError

    for _ in range(20):
        try:
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError:
            time.sleep(0.5)
    warnings.warn(f"test database {name} could not be dropped", stacklevel=1)


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> Iterator[str]:
    yield from new_database_url(request.param, tmp_path)


@pytest.fixture
def store(db_url) -> Iterator[Store]:
    s = Store(db_url)
    s.upgrade()
    yield s
    s.dispose()
