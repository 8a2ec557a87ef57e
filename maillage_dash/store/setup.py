"""Getting a database ready to serve: schema up to date, seeded from the template files when it holds
no entry yet, an account from the environment when one is given. Safe when several workers start
together (one at a time: a file lock for SQLite, an advisory lock on PostgreSQL)."""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from maillage_dash.errors import DataValidationError
from maillage_dash.geo import Geography
from maillage_dash.store import entries, users
from maillage_dash.store.engine import Store
from maillage_dash.validation import errors_of

log = logging.getLogger(__name__)
LOCK_ID = 7_346_210  # PostgreSQL advisory lock of Maillage's start-up


@contextmanager
def exclusive(store: Store) -> Iterator[None]:
    """One process at a time in the block (per database)."""
    if store.is_sqlite:
        database = make_url(store.url).database or ""
        lock_path = Path(database + ".lock") if database and database != ":memory:" else None
        if lock_path is None:
            yield
            return
        with lock_path.open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        return
    with store.engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": LOCK_ID})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": LOCK_ID})
            connection.commit()


def prepare(
    store: Store, data_dir: Path, geography: Geography | Callable[[], Geography], environ: Mapping[str, str]
) -> entries.SeedResult | None:
    """Schema to head; seed when empty (raises DataValidationError when the files do not validate);
    the environment's account. Returns the seeding's result when it seeded."""
    seeded = None
    with exclusive(store):
        if not store.is_current():  # reading the revision is cheap; running Alembic is not
            store.upgrade()
        if entries.count(store) == 0:
            geo = geography() if callable(geography) else geography  # loaded only when it is needed
            seeded = entries.seed_from_folder(store, data_dir, geo, by="seed")
            if errors_of(seeded.problems):
                raise DataValidationError(seeded.problems)
            log.info("database seeded with %s entries from %s", seeded.added, data_dir)
        email, password = environ.get("MAILLAGE_ADMIN_EMAIL", ""), environ.get("MAILLAGE_ADMIN_PASSWORD", "")
        if email and password:
            try:
                users.add(store, email, password, replace=True)
            except users.AccountError as exc:
                log.error("MAILLAGE_ADMIN_EMAIL account not made: %s", exc.code)
    return seeded
