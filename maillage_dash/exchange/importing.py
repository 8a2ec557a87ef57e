"""Bulk import with a preview: what a file would change (new, changed field by field, unchanged, and
entries of the same organisations that the file does not hold), then everything in one transaction —
or nothing. A file with any error writes nothing; absent entries are ended only when ticked one by one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from maillage_dash.exchange.reading import Source
from maillage_dash.geo import Geography
from maillage_dash.i18n import count_text, t
from maillage_dash.loading import parse_tables
from maillage_dash.store import entries
from maillage_dash.store.engine import Store
from maillage_dash.store.models import Entry
from maillage_dash.store.submissions import Change, changes
from maillage_dash.text import fold
from maillage_dash.validation import Problem, errors_of


@dataclass
class Item:
    id: str
    name: str
    organisation: str
    file: str
    row: int
    cells: dict[str, str]
    version: int | None = None  # of the entry it changes
    changes: list[Change] = field(default_factory=list)


@dataclass
class Absent:
    id: str
    name: str
    organisation: str
    version: int


@dataclass
class Plan:
    source: Source
    problems: list[Problem]
    new: list[Item] = field(default_factory=list)
    changed: list[Item] = field(default_factory=list)
    unchanged: list[Item] = field(default_factory=list)
    absent: list[Absent] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(errors_of(self.problems))

    @property
    def rows(self) -> int:
        return len(self.new) + len(self.changed) + len(self.unchanged)


def plan(store: Store, source: Source, geography: Geography, today: date | None = None) -> Plan:
    """What importing ``source`` would do; nothing is written."""
    records, problems = parse_tables(source.tables, geography, today or date.today())
    problems = source.problems + problems + _formula_cells(source)
    by_file = {t.file: t for t in source.tables}
    with store.session() as session:
        existing = {e.id: e for e in session.scalars(select(Entry))}
    result = Plan(source, problems)
    in_file: set[str] = set()
    organisations: set[str] = set()
    for record in records:
        if not record.get("_ok", False):
            continue
        cells = entries.cells_of(by_file[record["fichier"]], record["ligne"])
        cells["id"] = record["id"]
        if record.get("confidentiel"):
            cells["adresse"] = ""
        item = Item(record["id"], record["nom"], record["organisme"], record["fichier"], record["ligne"], cells)
        in_file.add(record["id"])
        organisations.add(fold(record["organisme"]))
        current = existing.get(record["id"])
        if current is None:
            result.new.append(item)
            continue
        item.version = current.version
        raw = [c for c in changes({**current.data, "id": record["id"]}, cells) if c.column != "id"]
        item.changes = _meaningful(raw, current.data, record, geography, today or date.today()) if raw else []
        (result.changed if item.changes else result.unchanged).append(item)
    for entry in existing.values():
        if entry.id not in in_file and fold(entry.organisation) in organisations and entry.status != "termine":
            result.absent.append(Absent(entry.id, entry.name, entry.organisation, entry.version))
    result.absent.sort(key=lambda a: (fold(a.organisation), fold(a.name)))
    return result


# What each template column becomes in a validated record: two cells that read the same are no change.
_READ_AS = {
    "types_service": ("types",),
    "adresse_confidentielle": ("confidentiel",),
    "latitude": ("lat", "point_exact"),
    "longitude": ("lon", "point_exact"),
    "municipalite": ("municipalite", "region"),
}


def _meaningful(
    raw: list[Change], current: dict[str, Any], record: dict[str, Any], geography: Geography, today: date
) -> list[Change]:
    """The cell changes that change what the directory says (not a reordering of phones, spacing…)."""
    before, _problems = entries.validate_row({**current, "id": record["id"]}, geography, today)
    out = []
    for change in raw:
        keys = _READ_AS.get(change.column, (change.column,))
        if any(_norm(before.get(k)) != _norm(record.get(k)) for k in keys):
            out.append(change)
    return out


def _norm(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return tuple(sorted(map(str, value)))
    if isinstance(value, str):
        return ";".join(part.strip() for part in value.split(";") if part.strip())
    if isinstance(value, float):
        return round(value, 4)
    return value


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _formula_cells(source: Source) -> list[Problem]:
    """Cells a spreadsheet would run as formulas: kept as plain text (never run), said once each."""
    out = []
    for table in source.tables:
        for number, cells in table.rows:
            for header, cell in zip(table.headers, cells):
                text = "" if cell is None else str(cell)
                if text.startswith(FORMULA_START) and not _is_number(text):
                    out.append(Problem(table.file, number, header, "formula_cell", {"value": text[:40]}, severity="warning"))
    return out


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ".").replace(" ", ""))
        return True
    except ValueError:
        return False


@dataclass
class Outcome:
    created: int
    changed: int
    ended: int


def apply(
    store: Store, result: Plan, geography: Geography, *, by: str, end: set[str] | None = None, today: date | None = None
) -> Outcome:
    """Write the plan in one transaction (a conflict or an error rolls everything back). Raises
    ``entries.Invalid`` when the plan was refused, ``entries.Conflict`` when an entry changed since."""
    if result.refused:
        raise entries.Invalid(errors_of(result.problems))
    end = set(end or ())
    unknown = end - {a.id for a in result.absent}
    if unknown:
        raise entries.Conflict(None)
    note = f"import {result.source.name}"
    target_file = _file_name(result.source.name)
    with store.session() as session:
        for item in result.new:
            entries.create(
                store, item.cells, geography, by=by, today=today, note=note, session=session, file=target_file, action="import"
            )
        for item in result.changed:
            entries.save(
                store,
                item.id,
                item.cells,
                geography,
                expected_version=item.version or -1,
                by=by,
                action="import",
                today=today,
                note=note,
                session=session,
            )
        for absent in result.absent:
            if absent.id in end:
                entries.end(
                    store,
                    absent.id,
                    geography,
                    by=by,
                    expected_version=absent.version,
                    note=f"absent de {result.source.name}",
                    session=session,
                )
    return Outcome(len(result.new), len(result.changed), len(end))


def _file_name(name: str) -> str:
    """The template file new entries are written back to: the import's own name, as a CSV."""
    stem = Path(name).stem or "import"
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in fold(stem))[:60].strip("-") or "import"
    return f"{safe}.csv"


def summary(result: Plan) -> dict[str, Any]:
    return {
        "new": len(result.new),
        "changed": len(result.changed),
        "unchanged": len(result.unchanged),
        "absent": len(result.absent),
        "errors": len(errors_of(result.problems)),
        "warnings": len([p for p in result.problems if p.severity != "error"]),
    }


def counts_text(counts: dict[str, Any], lang: str) -> str:
    """« 2 nouvelles, 1 changée, 0 inchangée, 1 absente du fichier » from ``summary``, each count in its plural form."""
    return t(
        "exchange.counts",
        lang,
        **{k: count_text(f"exchange.count_{k}", counts[k], lang) for k in ("new", "changed", "unchanged", "absent")},
    )


def summary_text(counts: dict[str, Any], lang: str) -> str:
    """The plan's counts then its errors and warnings (the command line's summary)."""
    errors, warnings = count_text("count.errors", counts["errors"], lang), count_text("count.warnings", counts["warnings"], lang)
    return t("exchange.summary", lang, counts=counts_text(counts, lang), errors=errors, warnings=warnings)


def done_text(outcome: Outcome, lang: str) -> str:
    """« Import fait en une transaction : 1 créée, 0 changée, 2 marquées terminées. »"""
    said = {k: count_text(f"exchange.count_{k}", getattr(outcome, k), lang) for k in ("created", "changed", "ended")}
    return t("exchange.done", lang, **said)
