"""Migrations: from an empty database to head, from the previous schema (with data) to head, and back."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from maillage_dash.store import entries
from maillage_dash.store.engine import Store


def test_empty_database_to_head_and_back(db_url):
    store = Store(db_url)
    assert store.revision() is None
    store.upgrade()
    assert store.revision() == store.head() == "0002_review"
    store.downgrade("base")
    assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
    store.upgrade()
    assert store.is_current()
    store.dispose()


def test_previous_schema_with_data_upgrades_without_loss(db_url, geography):
    store = Store(db_url)
    store.upgrade("0001_entries")
    assert "submissions" not in inspect(store.engine).get_table_names()
    now = datetime(2026, 11, 1, tzinfo=UTC)
    cells = {
        "id": "ancien",
        "nom": "Service d'avant (fictif)",
        "organisme": "Organisme (fictif)",
        "types_service": "prevention",
        "municipalite": "Rimouski",
        "site_web": "https://example.org",
        "statut": "actif",
    }
    with store.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO entries (id, file, position, data, name, organisation, region, status, confirmed_on, version, "
                "updated_at, updated_by) VALUES ('ancien', 'vieux.csv', 0, :data, 'Service d''avant (fictif)', "
                "'Organisme (fictif)', '01', 'actif', NULL, 1, :now, 'avant')"
            ),
            {"data": __import__("json").dumps(cells), "now": now},
        )
        connection.execute(
            text(
                "INSERT INTO entry_history (entry_id, version, action, data, previous, changed_at, changed_by, note) "
                "VALUES ('ancien', 1, 'seed', :data, NULL, :now, 'avant', '')"
            ),
            {"data": __import__("json").dumps(cells), "now": now},
        )
        connection.execute(text("INSERT INTO data_version (id, value, changed_at) VALUES (1, 1, :now)"), {"now": now})
    store.upgrade()
    assert store.is_current()
    kept = entries.get(store, "ancien")
    assert kept.data == cells and kept.version == 1
    (history,) = entries.history(store, "ancien")
    assert history.submission_id is None and history.action == "seed"
    directory, version = entries.load_directory(store, geography)
    assert version == 1 and directory.by_id("ancien")["region"] == "01"
    store.dispose()


def test_the_quick_head_and_revision_agree_with_alembic(db_url):
    """Start-up reads the head from the migration files and the revision from ``alembic_version``
    without importing Alembic; both must say what Alembic says."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    store = Store(db_url)
    assert store.head() == ScriptDirectory.from_config(store.alembic_config()).get_current_head()
    store.upgrade("0001_entries")
    with store.engine.connect() as connection:
        assert store.revision() == MigrationContext.configure(connection).get_current_revision() == "0001_entries"
    assert not store.is_current()
    store.upgrade()
    assert store.is_current()
    store.dispose()
