"""Which database, opening it, and bringing its schema up to date (Alembic).

``DATABASE_URL`` (or ``MAILLAGE_DATABASE_URL``) names it; without one, a SQLite file in the instance
folder (``instance/maillage.sqlite3``, or ``MAILLAGE_INSTANCE_DIR``), created on first use. A
``postgresql://`` address is opened with psycopg 3.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event, select, text, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from maillage_dash.config import ROOT
from maillage_dash.store.models import DataVersion

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def instance_dir(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("MAILLAGE_INSTANCE_DIR") or ROOT / "instance")


def database_url(environ: Mapping[str, str]) -> str:
    """The database named by the environment, else the embedded SQLite file of the instance folder."""
    url = environ.get("DATABASE_URL") or environ.get("MAILLAGE_DATABASE_URL") or ""
    if not url:
        return f"sqlite:///{instance_dir(environ) / 'maillage.sqlite3'}"
    # Heroku-style and plain addresses: use psycopg 3, the driver Maillage installs.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def now() -> datetime:
    return datetime.now(UTC)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    # WAL: readers never wait for the writer; FULL: a commit is on disk before it is acknowledged.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def stamp_of(row: DataVersion | None) -> str:
    """« version@moment » of the ``data_version`` row (``0@`` before anything was published)."""
    if row is None:
        return "0@"
    return f"{row.value}@{row.changed_at.isoformat() if row.changed_at else ''}"


class Store:
    """A database holding the directory; thread-safe (one engine, a session per unit of work)."""

    def __init__(self, url: str):
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, object] = {"future": True}
        if not self.is_sqlite:
            kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args={"connect_timeout": 5})
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Store:
        return cls(database_url(environ))

    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    # ------------------------------------------------------------------ schema

    # Alembic is imported when a schema is read or changed, not when the app merely starts on a current one.
    def alembic_config(self) -> Config:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` (``alembic upgrade head``); nothing to do when it is there."""
        from alembic import command

        config = self.alembic_config()
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    def downgrade(self, revision: str) -> None:
        from alembic import command

        config = self.alembic_config()
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, revision)

    def revision(self) -> str | None:
        """The schema's revision in the database (the ``alembic_version`` table), None when empty."""
        from sqlalchemy import inspect

        with self.engine.connect() as connection:
            if "alembic_version" not in inspect(connection).get_table_names():
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def head(self) -> str | None:
        """The newest revision of ``migrations/versions`` (read from the files, without Alembic)."""
        import re

        revisions, parents = set(), set()
        for path in (MIGRATIONS / "versions").glob("*.py"):
            source = path.read_text(encoding="utf-8")
            found = re.search(r'^revision = "([^"]+)"', source, re.M)
            down = re.search(r'^down_revision = "([^"]+)"', source, re.M)
            if found:
                revisions.add(found.group(1))
            if down:
                parents.add(down.group(1))
        heads = sorted(revisions - parents)
        return heads[0] if len(heads) == 1 else None

    def is_current(self) -> bool:
        return self.revision() == self.head()

    # ------------------------------------------------------------------ units of work

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back if it raises."""
        with self._sessions() as session, session.begin():
            yield session

    def data_version(self) -> int:
        """The number bumped by every change of published data (cheap: one row by primary key)."""
        with self.engine.connect() as connection:
            value = connection.execute(text("SELECT value FROM data_version WHERE id = 1")).scalar()
        return int(value or 0)

    def data_stamp(self) -> str:
        """The data version with the moment it was reached: a database seeded again, or restored from a
        copy, can reach the same number with other rows; the moment tells them apart (snapshot keys)."""
        with self.session() as session:
            return stamp_of(session.get(DataVersion, 1))

    @staticmethod
    def bump(session: Session) -> None:
        """Move the data version, inside the caller's transaction."""
        changed = session.execute(
            update(DataVersion).where(DataVersion.id == 1).values(value=DataVersion.value + 1, changed_at=now())
        )
        if changed.rowcount == 0:  # type: ignore[attr-defined]
            session.add(DataVersion(id=1, value=1, changed_at=now()))
        session.flush()

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(select(1))
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        self.engine.dispose()


__all__ = ["Store", "database_url", "instance_dir", "now"]
