"""The directory in a database: seeding, writing back, validation, versions, history — on SQLite and
PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import inspect

from maillage_dash.config import DEFAULT_DATA_DIR
from maillage_dash.loading import check_directory
from maillage_dash.store import entries, submissions
from maillage_dash.store.models import Base
from maillage_dash.validation import errors_of
from tests.conftest import row, write_csv

TODAY = date(2026, 11, 23)


def test_schema_made_by_migrations_matches_the_models(store):
    tables = set(inspect(store.engine).get_table_names()) - {"alembic_version"}
    assert tables == set(Base.metadata.tables)
    for name, table in Base.metadata.tables.items():
        columns = {c["name"] for c in inspect(store.engine).get_columns(name)}
        assert columns == set(table.columns.keys()), name


def test_seed_is_idempotent_and_the_round_trip_is_byte_for_byte(store, geography, tmp_path):
    first = entries.seed_from_folder(store, DEFAULT_DATA_DIR, geography, by="test")
    records, problems, files = check_directory(DEFAULT_DATA_DIR, geography)
    assert first.added == len(records) > 100 and first.present == 0
    again = entries.seed_from_folder(store, DEFAULT_DATA_DIR, geography, by="test")
    assert again.added == 0 and again.present == len(records)
    assert entries.count(store) == len(records)
    assert store.data_version() == 1  # the second run changed nothing
    written = entries.export_folder(store, tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(files)
    for path in written:
        assert path.read_bytes() == (DEFAULT_DATA_DIR / path.name).read_bytes(), path.name
    again_records, again_problems, _ = check_directory(tmp_path / "out", geography)
    assert not errors_of(again_problems) and len(again_records) == len(records)


def test_files_with_errors_seed_nothing(store, geography, tmp_path):
    write_csv(tmp_path, [row(id="ok"), row(id="bad", municipalite="Nulle-Part-du-Test")])
    result = entries.seed_from_folder(store, tmp_path, geography, by="test")
    assert result.added == 0 and errors_of(result.problems)
    assert entries.count(store) == 0


def test_directory_built_from_the_database_equals_the_files(store, geography, shipped):
    entries.seed_from_folder(store, DEFAULT_DATA_DIR, geography, by="test")
    directory, version = entries.load_directory(store, geography)
    assert version == 1
    assert sorted(directory.services.index) == sorted(shipped.services.index)
    a = directory.services.sort_index()[["nom", "region", "statut", "age_min", "telephones"]]
    b = shipped.services.sort_index()[["nom", "region", "statut", "age_min", "telephones"]]
    assert a.equals(b)


def test_create_validates_like_a_file_and_records_history(store, geography):
    with pytest.raises(entries.Invalid) as bad:
        entries.create(store, row(id="", municipalite="Nulle-Part-du-Test"), geography, by="a@x.org", today=TODAY)
    assert {p.column for p in bad.value.problems} == {"municipalite"}
    entry = entries.create(store, row(id="", nom="Service <b>test</b> (fictif)"), geography, by="a@x.org", today=TODAY)
    assert entry.version == 1 and entry.region == "16" and entry.data["id"] == entry.id
    assert entry.data["nom"] == "Service <b>test</b> (fictif)"  # stored as text, never interpreted
    assert store.data_version() == 1
    (h,) = entries.history(store, entry.id)
    assert (h.action, h.version, h.changed_by, h.previous) == ("create", 1, "a@x.org", None)


def test_second_save_from_the_same_version_is_refused(store, geography):
    entry = entries.create(store, row(id="svc"), geography, by="a", today=TODAY)
    entries.save(store, "svc", {**entry.data, "nom": "Premier (fictif)"}, geography, expected_version=1, by="a", today=TODAY)
    with pytest.raises(entries.Conflict) as conflict:
        entries.save(store, "svc", {**entry.data, "nom": "Second (fictif)"}, geography, expected_version=1, by="b", today=TODAY)
    assert conflict.value.current.version == 2 and conflict.value.current.updated_by == "a"
    assert entries.get(store, "svc").name == "Premier (fictif)"


def test_concurrent_saves_one_wins_one_is_refused(store, geography):
    entry = entries.create(store, row(id="svc"), geography, by="a", today=TODAY)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def edit(name: str) -> None:
        barrier.wait()
        try:
            entries.save(store, "svc", {**entry.data, "nom": name}, geography, expected_version=1, by=name, today=TODAY)
            outcomes.append("saved")
        except entries.Conflict:
            outcomes.append("refused")

    threads = [threading.Thread(target=edit, args=(f"Édition {i} (fictif)",)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert entries.get(store, "svc").version == 2
    assert len(entries.history(store, "svc")) == 2


def test_restore_makes_a_new_version_equal_to_the_old_one(store, geography):
    entry = entries.create(store, row(id="svc", nom="Avant (fictif)"), geography, by="a", today=TODAY)
    entries.save(store, "svc", {**entry.data, "nom": "Après (fictif)"}, geography, expected_version=1, by="a", today=TODAY)
    first = entries.history(store, "svc")[-1]
    restored = entries.restore(store, "svc", first.id, geography, by="b", expected_version=2)
    assert restored.version == 3 and restored.name == "Avant (fictif)"
    actions = [h.action for h in entries.history(store, "svc")]
    assert actions == ["restore", "edit", "create"]


def test_confirm_and_end_and_the_freshness_list(store, geography):
    entries.create(store, row(id="old", confirme_le="2024-05-01"), geography, by="a", today=TODAY)
    entries.create(store, row(id="never", confirme_le="", confirme_par="", statut="a_confirmer"), geography, by="a", today=TODAY)
    entries.create(store, row(id="fresh", confirme_le="2026-10-01"), geography, by="a", today=TODAY)
    assert [e.id for e in entries.stale(store, TODAY)] == sorted(["never", "old"], key=lambda i: entries.get(store, i).name)
    entries.confirm(store, "never", geography, on=TODAY, method="appel", source="", by="b", expected_version=1, today=TODAY)
    confirmed = entries.get(store, "never")
    assert confirmed.confirmed_on == TODAY and confirmed.status == "actif" and confirmed.data["confirme_par"] == "appel"
    entries.end(store, "old", geography, by="b", expected_version=1, note="fermé (test)")
    assert entries.get(store, "old").status == "termine"
    assert entries.stale(store, TODAY) == []


def test_approving_a_proposal_is_one_transaction(store, geography, monkeypatch):
    reference = submissions.submit(store, "entry", row(id=""), submitter_email="x@example.org")
    item = submissions.pending(store)[0]
    assert item.reference == reference
    # A failure after the entry is written (here: the data version) must leave nothing half-done.
    from maillage_dash.store import engine

    def boom(_session):
        raise RuntimeError("crash in the middle of the approval")

    monkeypatch.setattr(engine.Store, "bump", staticmethod(boom))
    with pytest.raises(RuntimeError):
        submissions.approve_entry(store, item.id, row(id=""), geography, by="r", today=TODAY)
    assert entries.count(store) == 0
    assert submissions.get(store, item.id).status == "pending"
    monkeypatch.undo()
    entry = submissions.approve_entry(store, item.id, row(id=""), geography, by="r", today=TODAY)
    assert submissions.get(store, item.id).status == "approved" and entries.count(store) == 1
    assert entries.history(store, entry.id)[0].submission_id == item.id
    with pytest.raises(submissions.Decided):
        submissions.approve_entry(store, item.id, row(id=""), geography, by="r2", today=TODAY)


def test_a_confidential_address_is_never_stored(store, geography):
    entry = entries.create(
        store, row(id="abri", adresse="123 rue Secrète", adresse_confidentielle="oui"), geography, by="a", today=TODAY
    )
    assert entry.data["adresse"] == "" and entries.history(store, "abri")[0].data["adresse"] == ""


def test_a_confirmation_without_its_source_is_refused_now_yet_an_older_one_still_loads(store, geography):
    """« Confirmé par le site de l'organisme » needs the page's address: saving one without it is refused
    (the field named); an entry stored before the rule still loads, with a warning a coordinator sees."""
    entries.create(store, row(id="kept"), geography, by="a", today=TODAY)
    with pytest.raises(entries.Invalid) as refused:
        entries.confirm(
            store, "kept", geography, on=TODAY, method="site_organisme", source="", by="b", expected_version=1, today=TODAY
        )
    assert [(p.column, p.code) for p in refused.value.problems] == [("confirme_source", "source_needed")]
    with store.session() as session:  # as an entry saved before the rule: no address
        stored = session.get(entries.Entry, "kept")
        stored.data = {**stored.data, "confirme_source": ""}
    directory, _version = entries.load_directory(store, geography, TODAY)
    assert "kept" in directory.services.index
    assert [p.code for p in directory.warnings if p.code == "source_needed"] == ["source_needed"]
