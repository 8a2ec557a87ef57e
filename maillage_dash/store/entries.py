"""Published entries: seeded from the template files, written back to them, validated exactly like the
files on every save, edited with a version check (no lost update) and kept with every earlier version.

An entry's ``data`` is its template row as typed (column → text): the same validation
(:class:`maillage_dash.rows.RowParser`) reads it, the same messages report on it, and
:func:`export_folder` writes it back to files that ``validate --data-dir`` accepts.
"""

from __future__ import annotations

import csv
import io
import json
import operator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from maillage_dash import schema
from maillage_dash.directory import Directory, build_directory
from maillage_dash.errors import DataValidationError
from maillage_dash.geo import Geography
from maillage_dash.loading import (
    RawTable,
    check_directory,
    collection_paused,
    parse_tables,
    read_file,
    read_tables,
    template_files,
)
from maillage_dash.rows import slug
from maillage_dash.store.engine import Store, now, stamp_of
from maillage_dash.store.models import DataVersion, Entry, EntryHistory
from maillage_dash.validation import WARNING_CODES, Problem, errors_of

NEW_FILE = "contributions.csv"  # where entries created in the app are written back
COLUMNS = schema.TEMPLATE_NAMES
OPTIONAL_WHEN_EMPTY = ("latitude", "longitude")  # left out of a written file when no row uses them
STALE_DAYS = 365


class Conflict(Exception):
    """The entry changed since the editor opened it (``current`` is its newest version)."""

    def __init__(self, current: Entry | None):
        super().__init__("conflict")
        self.current = current


class Invalid(Exception):
    """The row does not pass the directory's validation; ``problems`` say where and why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("invalid")
        self.problems = problems


def clean_row(cells: dict[str, Any]) -> dict[str, str]:
    """Every template column, as text (``None`` → empty), nothing else."""
    return {name: "" if cells.get(name) is None else str(cells.get(name)).strip() for name in COLUMNS}


def validate_row(
    cells: dict[str, Any], geography: Geography, today: date, *, file: str = "formulaire", row: int = 2
) -> tuple[dict[str, Any], list[Problem]]:
    """The clean record of one row and its problems (region joined), as the loader would see them."""
    table = RawTable(file, list(COLUMNS), [(row, [cells.get(name, "") for name in COLUMNS])])
    records, problems = parse_tables([table], geography, today)
    record = records[0] if records else {}
    return record, [p for p in problems if not (p.code.startswith("legacy_") or p.code == "unknown_column")]


# --------------------------------------------------------------------------- reading


def tables(session: Session) -> list[RawTable]:
    """Every published entry as template tables, one per file, in file order (plain rows, not ORM
    objects: building 100,000 of those took seconds at every start without a snapshot)."""
    by_file: dict[str, list[Any]] = {}
    every_column = operator.itemgetter(*COLUMNS)
    # At the driver's level: SQLAlchemy's per-row processing of a JSON column doubled the time at 100k.
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        # Sorted here: SQLite sorted the rows with their data through a temporary file (twice as long).
        # Its text order (BINARY) is the order of code points, Python's; the three keys are never NULL.
        found = connection.exec_driver_sql('SELECT "file", "position", "id", "data" FROM entries').all()
        found.sort(key=operator.itemgetter(0, 1, 2))
        rows = [(file, data) for file, _position, _id, data in found]
    else:  # the database's collation decides the order of names
        rows = connection.exec_driver_sql('SELECT "file", "data" FROM entries ORDER BY "file", "position", "id"').all()
    # A few thousand rows at a time: each is decoded and its cells taken while still in the processor's
    # cache, and the decoded entries do not all stay in memory at once.
    for start in range(0, len(rows), _CHUNK):
        part = rows[start : start + _CHUNK]
        decoded = _decoded([data for _, data in part])
        try:  # an entry holds every column (clean_row): its cells in one C call
            cells: list[Any] = list(map(every_column, decoded))
        except KeyError:
            cells = [[data.get(name, "") for name in COLUMNS] for data in decoded]
        for (file, _), row in zip(part, cells):
            by_file.setdefault(file, []).append(row)
    return [RawTable(file, list(COLUMNS), list(zip(range(2, len(rows) + 2), rows))) for file, rows in by_file.items()]


_CHUNK = 5000


def _decoded(values: list[Any]) -> list[Any]:
    """The entries' data: JSON text (SQLite) decoded as one JSON array (one ``json.loads`` per row was
    a tenth of a cold start); already decoded (PostgreSQL) kept."""
    if all(isinstance(v, str) for v in values):
        decoded = json.loads("[" + ",".join(values) + "]")
        if len(decoded) == len(values):
            return decoded
    return [json.loads(v) if isinstance(v, str | bytes) else v for v in values]


def load_directory(store: Store, geography: Geography, today: date | None = None) -> tuple[Directory, int]:
    """The validated in-memory directory of the published entries, and the data version it reflects."""
    directory, version, _ = load_directory_stamped(store, geography, today)
    return directory, version


def load_directory_stamped(store: Store, geography: Geography, today: date | None = None) -> tuple[Directory, int, str]:
    """:func:`load_directory`, with the version's stamp (:meth:`Store.data_stamp`) read in the same transaction."""
    today = today or date.today()
    with collection_paused():
        with store.session() as session:  # one transaction: the version and the rows agree
            row = session.get(DataVersion, 1)
            data_version = row.value if row else 0
            stamp = stamp_of(row)
            found = tables(session)
        records, problems = read_tables(found, geography, today)
        if errors_of(problems):
            raise DataValidationError(problems)
        files = [t.file for t in found]
        return build_directory(records, geography, warnings=problems, files=files), data_version, stamp


def count(store: Store) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(Entry)) or 0)


def get(store: Store, entry_id: str) -> Entry | None:
    with store.session() as session:
        return session.get(Entry, entry_id)


def history(store: Store, entry_id: str) -> list[EntryHistory]:
    """Every version of an entry, newest first."""
    with store.session() as session:
        return list(
            session.scalars(select(EntryHistory).where(EntryHistory.entry_id == entry_id).order_by(EntryHistory.id.desc()))
        )


def search(store: Store, query: str, limit: int = 200) -> list[Entry]:
    """Entries whose name, organisation or id contains ``query`` (any case), by name."""
    with store.session() as session:
        stmt = select(Entry).order_by(Entry.name, Entry.id).limit(limit)
        if query:
            like = f"%{query.lower()}%"
            stmt = stmt.where(
                func.lower(Entry.name).like(like) | func.lower(Entry.organisation).like(like) | func.lower(Entry.id).like(like)
            )
        return list(session.scalars(stmt))


def stale(store: Store, today: date, days: int = STALE_DAYS) -> list[Entry]:
    """Entries still running (not ended) whose newest confirmation is older than ``days`` or missing,
    by region then name: the work list of whoever keeps the directory fresh."""
    limit = today - timedelta(days=days)
    with store.session() as session:
        query = (
            select(Entry)
            .where(Entry.status != "termine")
            .where((Entry.confirmed_on.is_(None)) | (Entry.confirmed_on < limit))
            .order_by(Entry.region, Entry.name, Entry.id)
        )
        return list(session.scalars(query))


# --------------------------------------------------------------------------- writing


def _apply(entry: Entry, cells: dict[str, str], record: dict[str, Any]) -> None:
    entry.data = cells
    entry.name = record["nom"][:400]
    entry.organisation = record["organisme"][:400]
    entry.region = record.get("region", "") or ""
    entry.status = record["statut"]
    entry.confirmed_on = record.get("confirme_le")


def _record(
    session: Session,
    entry: Entry,
    action: str,
    by: str,
    previous: dict[str, str] | None,
    note: str = "",
    submission_id: int | None = None,
) -> None:
    session.flush()  # the entry's new version number
    session.add(
        EntryHistory(
            entry_id=entry.id,
            version=entry.version,
            action=action,
            data=dict(entry.data),
            previous=previous,
            changed_at=now(),
            changed_by=by,
            note=note,
            submission_id=submission_id,
        )
    )


def _checked(cells: dict[str, Any], geography: Geography, today: date, file: str) -> tuple[dict[str, str], dict[str, Any]]:
    clean = clean_row(cells)
    record, problems = validate_row(clean, geography, today, file=file)
    if errors_of(problems) or any(p.code in WARNING_CODES for p in problems):  # (read when stored, not saved now)
        raise Invalid(problems)
    if record.get("confidentiel"):
        clean["adresse"] = ""  # a shelter's street address is never kept, not even in the database
    return clean, record


def create(
    store: Store,
    cells: dict[str, Any],
    geography: Geography,
    *,
    by: str,
    today: date | None = None,
    note: str = "",
    submission_id: int | None = None,
    session: Session | None = None,
    file: str = NEW_FILE,
    action: str = "create",
) -> Entry:
    """Publish a new entry (validated; its id made unique); one transaction with its history and the
    data version, or the caller's transaction when ``session`` is given. ``file``: the template file it
    is written back to."""
    today = today or date.today()
    clean, record = _checked(cells, geography, today, file)

    def work(s: Session) -> Entry:
        base = clean["id"] or record["id"] or slug(record["nom"])
        entry_id, n = base, 1
        while s.get(Entry, entry_id) is not None:
            n += 1
            entry_id = f"{base}-{n}"
        clean["id"] = entry_id  # written out, so that later edits of the name keep the same id
        s.flush()  # entries added earlier in this transaction count for the position
        position = s.scalar(select(func.coalesce(func.max(Entry.position), -1)).where(Entry.file == file)) + 1
        entry = Entry(id=entry_id, file=file, position=position, updated_at=now(), updated_by=by)
        _apply(entry, clean, record)
        s.add(entry)
        _record(s, entry, action, by, None, note, submission_id)
        store.bump(s)
        return entry

    if session is not None:
        return work(session)
    with store.session() as s:
        return work(s)


def save(
    store: Store,
    entry_id: str,
    cells: dict[str, Any],
    geography: Geography,
    *,
    expected_version: int,
    by: str,
    action: str = "edit",
    today: date | None = None,
    note: str = "",
    submission_id: int | None = None,
    session: Session | None = None,
) -> Entry:
    """Replace an entry's row, if nobody saved it since ``expected_version`` (else :class:`Conflict`)."""
    today = today or date.today()

    def work(s: Session) -> Entry:
        entry = s.get(Entry, entry_id, with_for_update=not store.is_sqlite)
        if entry is None:
            raise Conflict(None)
        if entry.version != expected_version:
            s.expunge(entry)  # kept readable after the rollback
            raise Conflict(entry)
        clean, record = _checked({**cells, "id": entry_id}, geography, today, entry.file)
        previous = dict(entry.data)
        if previous == clean:
            return entry
        _apply(entry, clean, record)
        entry.updated_at, entry.updated_by = now(), by
        try:
            _record(s, entry, action, by, previous, note, submission_id)  # the UPDATE … WHERE version = expected
        except StaleDataError as exc:  # another save committed between our read and our write
            raise Conflict(None) from exc
        store.bump(s)
        return entry

    if session is not None:
        return work(session)
    try:
        with store.session() as s:
            return work(s)
    except Conflict as exc:
        if exc.current is None:
            raise Conflict(get(store, entry_id)) from exc
        raise


def confirm(
    store: Store,
    entry_id: str,
    geography: Geography,
    *,
    on: date,
    method: str,
    source: str,
    by: str,
    expected_version: int,
    note: str = "",
    today: date | None = None,
) -> Entry:
    """Record that the service was confirmed running on ``on`` (how, and the source); a service
    « à confirmer » becomes « actif »."""
    entry = get(store, entry_id)
    if entry is None:
        raise Conflict(None)
    cells = dict(entry.data)
    cells.update(confirme_le=on.isoformat(), confirme_par=method, confirme_source=source)
    if cells.get("statut", "") in ("", "a_confirmer", "à confirmer"):
        cells["statut"] = "actif"
    return save(
        store, entry_id, cells, geography, expected_version=expected_version, by=by, action="confirm", today=today, note=note
    )


def end(
    store: Store,
    entry_id: str,
    geography: Geography,
    *,
    by: str,
    expected_version: int,
    note: str,
    session: Session | None = None,
) -> Entry:
    """Mark a service ended: it stays in the data (history, coverage over time), off the map."""
    entry = session.get(Entry, entry_id) if session is not None else get(store, entry_id)
    if entry is None:
        raise Conflict(None)
    cells = {**entry.data, "statut": "termine"}
    return save(
        store, entry_id, cells, geography, expected_version=expected_version, by=by, action="end", note=note, session=session
    )


def restore(store: Store, entry_id: str, history_id: int, geography: Geography, *, by: str, expected_version: int) -> Entry:
    """Make an earlier version the current one again (a new version: nothing is erased)."""
    with store.session() as session:
        old = session.get(EntryHistory, history_id)
    if old is None or old.entry_id != entry_id:
        raise Conflict(None)
    return save(
        store,
        entry_id,
        dict(old.data),
        geography,
        expected_version=expected_version,
        by=by,
        action="restore",
        note=f"v{old.version}",
    )


# --------------------------------------------------------------------------- files


@dataclass
class SeedResult:
    added: int
    present: int
    problems: list[Problem]


def seed_from_folder(store: Store, data_dir: Path, geography: Geography, *, by: str, today: date | None = None) -> SeedResult:
    """Add the entries of the template files that the database does not hold yet (by id): running it
    twice adds nothing the second time. Files with errors add nothing (the problems are returned)."""
    records, problems, _files = check_directory(data_dir, geography, today)
    if errors_of(problems):
        return SeedResult(0, 0, problems)
    raw = {t.file: t for t in _raw_tables(data_dir)}
    added = present = 0
    with store.session() as session:
        known = set(session.scalars(select(Entry.id)))
        positions: dict[str, int] = {}
        for record in records:
            if record["id"] in known:
                present += 1
                continue
            table = raw[record["fichier"]]
            cells = cells_of(table, record["ligne"])
            position = positions.get(record["fichier"], 0)
            positions[record["fichier"]] = position + 1
            stamp = now()
            entry = Entry(id=record["id"], file=record["fichier"], position=position, updated_at=stamp, updated_by=by, version=1)
            _apply(entry, cells, record)
            session.add(entry)
            # One flush at the end, not one per entry: 100,000 entries seed in seconds, not minutes.
            session.add(
                EntryHistory(
                    entry_id=entry.id,
                    version=1,
                    action="seed",
                    data=dict(cells),
                    previous=None,
                    changed_at=stamp,
                    changed_by=by,
                    note=f"{record['fichier']}:{record['ligne']}",
                )
            )
            known.add(record["id"])
            added += 1
        if added:
            store.bump(session)
    return SeedResult(added, present, problems)


def _raw_tables(data_dir: Path) -> list[RawTable]:
    return [read_file(p) for p in template_files(data_dir)]


def cells_of(table: RawTable, line: int) -> dict[str, str]:
    """The template cells of row ``line`` of ``table`` (rows found through an index made once per table)."""
    index = getattr(table, "_maillage_rows", None)
    if index is None:
        index = {number: cells for number, cells in table.rows}
        table._maillage_rows = index  # type: ignore[attr-defined]
    cells = index.get(line)
    if cells is None:
        return clean_row({})
    columns = [schema.canonical_header(h) if h else None for h in table.headers]
    named: dict[str, Any] = {}
    for i, name in enumerate(columns):
        if name and i < len(cells):
            named[name] = cells[i]
    # Older files: what the loader assumed (and said in a notice) is written out in the new columns.
    if not _plain(named.get("telephones")) and _plain(named.get("telephone")):
        numbers = [n.strip() for n in _plain(named["telephone"]).split(";") if n.strip()]
        named["telephones"] = "; ".join(f"accueil: {n}" for n in numbers)
    if not _plain(named.get("confirme_le")) and _plain(named.get("derniere_verification")):
        named["confirme_le"] = named["derniere_verification"]
    return clean_row({k: _plain(v) for k, v in named.items()})


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()[:10]
    return str(value)


def file_bytes(entries: list[Entry]) -> bytes:
    """One template file (UTF-8, ``,``), the rows in their order; unused coordinate columns left out."""
    used = [n for n in COLUMNS if n not in OPTIONAL_WHEN_EMPTY or any(e.data.get(n) for e in entries)]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(used)
    for entry in entries:
        writer.writerow([entry.data.get(n, "") for n in used])
    return buffer.getvalue().encode("utf-8")


def export_folder(store: Store, folder: Path) -> list[Path]:
    """Write the published directory back to template files in ``folder`` (one per file of origin)."""
    folder.mkdir(parents=True, exist_ok=True)
    with store.session() as session:
        by_file: dict[str, list[Entry]] = {}
        for entry in session.scalars(select(Entry).order_by(Entry.file, Entry.position, Entry.id)):
            by_file.setdefault(entry.file, []).append(entry)
    written = []
    for file, entries in by_file.items():
        name = Path(file).name if Path(file).suffix.lower() == ".csv" else Path(file).stem + ".csv"
        path = folder / name
        path.write_bytes(file_bytes(entries))
        written.append(path)
    return written


__all__ = [
    "Conflict",
    "Invalid",
    "SeedResult",
    "clean_row",
    "confirm",
    "create",
    "end",
    "export_folder",
    "get",
    "history",
    "load_directory",
    "restore",
    "save",
    "seed_from_folder",
    "stale",
    "tables",
    "validate_row",
]
