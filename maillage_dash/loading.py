"""Reads the directory template files (CSV or XLSX), validates every row, builds the directory.

Every problem is collected with its file, row and column; :func:`load_directory` raises
one :class:`~maillage_dash.errors.DataValidationError` carrying all of them.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from maillage_dash import bulk, schema
from maillage_dash.directory import Directory, build_directory
from maillage_dash.errors import DataValidationError
from maillage_dash.geo import Geography, assign_regions
from maillage_dash.rows import RowParser, _text
from maillage_dash.validation import Problem, errors_of

SUPPORTED_SUFFIXES = (".csv", ".xlsx")


@dataclass
class RawTable:
    """Cells of one file, with each data row's spreadsheet row number."""

    file: str
    headers: list[str]
    rows: list[tuple[int, list[Any]]]
    problems: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------- reading files


def decode_bytes(raw: bytes) -> tuple[str, str] | None:
    """Text and encoding name of a CSV file: UTF-8 (BOM or not), UTF-16 with BOM, Windows-1252."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None
    if b"\x00" in raw:
        return None
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return None


def sniff_delimiter(text: str) -> str:
    """``;``, ``,`` or tab: whichever the header line uses most (French Excel saves ``;``)."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv_bytes(raw: bytes, file: str) -> RawTable:
    decoded = decode_bytes(raw)
    if decoded is None:
        return RawTable(file, [], [], [Problem(file, None, None, "file_encoding")])
    text, _encoding = decoded
    if not text.strip():
        return RawTable(file, [], [], [Problem(file, None, None, "file_empty")])
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = list(reader)
    headers = [h.strip() for h in records[0]]
    rows = [(i + 2, rec) for i, rec in enumerate(records[1:])]
    return RawTable(file, headers, rows)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return value


def read_xlsx_bytes(raw: bytes, file: str) -> RawTable:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        return RawTable(file, [], [], [Problem(file, None, None, "file_xlsx")])
    sheet = book.worksheets[0]
    records = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    if not records or not any(str(c).strip() for c in records[0]):
        return RawTable(file, [], [], [Problem(file, None, None, "file_empty")])
    headers = [str(h).strip() for h in records[0]]
    while headers and not headers[-1]:
        headers.pop()
    rows = [(i + 2, rec) for i, rec in enumerate(records[1:])]
    return RawTable(file, headers, rows)


def read_file(path: Path) -> RawTable:
    raw = path.read_bytes()
    if path.suffix.lower() == ".xlsx":
        return read_xlsx_bytes(raw, path.name)
    return read_csv_bytes(raw, path.name)


def template_files(data_dir: Path) -> list[Path]:
    """Every ``.csv``/``.xlsx`` file of ``data_dir`` (not its sub-folders), sorted by name."""
    return sorted(
        p
        for p in data_dir.iterdir()
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(("~$", "."))
    )


# --------------------------------------------------------------------------- whole directory


# The keys of a clean record, in order: the row parser's, then the region the loader joins.
FIELDS: tuple[str, ...] = (*(key for key in bulk.RECORD_KEYS if key != "_join"), "region")


def parse_tables(
    tables: list[RawTable], geography: Geography, today: date | None = None, *, by_columns: bool | None = None
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Validate every row of every table; return the clean records and all problems.

    A table of several rows is validated column by column (:func:`maillage_dash.bulk.parse_rows`), a
    single row (the entry form, a saved entry) row by row (:func:`parse_rows`, the reference): both give
    the same records and problems in the same order. ``by_columns`` forces one way (the tests compare them).
    """
    columns, problems = read_tables(tables, geography, today, by_columns=by_columns)
    return bulk.as_records(columns, FIELDS), problems


def read_tables(
    tables: list[RawTable], geography: Geography, today: date | None = None, *, by_columns: bool | None = None
) -> tuple[dict[str, list[Any]], list[Problem]]:
    """:func:`parse_tables`'s records as columns (a list per key of ``FIELDS``), as
    :func:`~maillage_dash.directory.build_directory` takes them without making 100,000 dicts."""
    today = today or date.today()
    parser = RowParser(geography, today)
    records: dict[str, list[Any]] = {key: [] for key in bulk.RECORD_KEYS}
    problems: list[Problem] = []
    for table in tables:
        problems.extend(table.problems)
        if not table.headers:
            continue
        columns: list[str | None] = []
        seen: dict[str, str] = {}
        for header in table.headers:
            name = schema.canonical_header(header) if header else None
            if header and name is None:
                problems.append(Problem(table.file, 1, header, "unknown_column", severity="warning"))
            if name in seen:
                problems.append(Problem(table.file, 1, header, "duplicate_column", {"first": seen[name]}))
                name = None
            elif name:
                seen[name] = header
            columns.append(name)
        missing = [c for c in schema.REQUIRED_COLUMNS if c not in seen and c != "municipalite"]
        if "municipalite" not in seen and not {"latitude", "longitude"} <= seen.keys():
            missing.append("municipalite")
        for name in missing:
            problems.append(Problem(table.file, 1, name, "missing_column"))
        problems.extend(_legacy_notices(table.file, seen.keys()))
        if missing:
            if table.rows:
                problems.append(Problem(table.file, None, None, "rows_not_read", {"count": len(table.rows)}))
            continue
        if len(table.rows) > 1 if by_columns is None else by_columns:
            table_records, table_problems = bulk.parse_rows(table.file, columns, table.rows, parser)
        else:
            rows, table_problems = parse_rows(table.file, columns, table.rows, parser)
            table_records = bulk.as_columns(rows)
        # A problem names the column as the file's header says it (« Âge minimum », "Minimum age"), not by
        # the template's technical name, when the file used another.
        renamed = {name: header for name, header in seen.items() if header != name}
        if renamed:
            table_problems = [replace(p, column=renamed[p.column]) if p.column in renamed else p for p in table_problems]
        for key, values in table_records.items():
            if records[key]:
                records[key].extend(values)
            else:  # the first table's lists, not a copy of them
                records[key] = values
        problems.extend(table_problems)

    _join_regions(records, problems, geography)
    _check_duplicates(records, problems)
    return records, problems


def parse_rows(
    file: str, columns: list[str | None], rows: list[tuple[int, list[Any]]], parser: RowParser
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The records and problems of a table's rows, one row after the other (``columns``: the template
    name of each header, or None). Blank rows are skipped; a row with text beyond the headers is reported."""
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for row_number, cells in rows:
        if not any(_text(c) for c in cells):
            continue
        if len(cells) > len(columns) and any(_text(c) for c in cells[len(columns) :]):
            problems.append(Problem(file, row_number, None, "too_many_cells", {"count": len(cells), "expected": len(columns)}))
            continue
        named = {name: cells[i] for i, name in enumerate(columns) if name and i < len(cells)}
        record, row_problems = parser.parse(file, row_number, named)
        problems.extend(row_problems)
        record["_ok"] = not row_problems
        records.append(record)
    return records, problems


def _legacy_notices(file: str, columns: Any) -> list[Problem]:
    """What an older template file makes the loader assume, said once per file (warnings)."""
    out = []
    if "statut" not in columns:
        out.append(Problem(file, 1, "statut", "legacy_status", severity="warning"))
    if "telephone" in columns and "telephones" not in columns:
        out.append(Problem(file, 1, "telephone", "legacy_phone", severity="warning"))
    if "derniere_verification" in columns and "confirme_le" not in columns:
        out.append(Problem(file, 1, "derniere_verification", "legacy_verified", severity="warning"))
    return out


def _join_regions(records: dict[str, list[Any]], problems: list[Problem], geography: Geography) -> None:
    """The region of each record's shown point (``_join``, then dropped); a point in no region is refused."""
    points = records.pop("_join")
    # Each distinct point joined once: every service shown at its municipality shares that point. A code
    # per record into the distinct points (None, no point, among them), in one pass of a dict: a missing
    # key gets the number of keys so far.
    index: defaultdict[Any, int] = defaultdict()
    index.default_factory = index.__len__
    which = np.fromiter(map(index.__getitem__, points), dtype=np.int64, count=len(points))
    distinct = list(index)
    placed = [k for k, point in enumerate(distinct) if point is not None]
    codes = np.full(len(distinct), "", dtype=object)
    if placed:
        lat = np.array([distinct[k][0] for k in placed], dtype=float)
        lon = np.array([distinct[k][1] for k in placed], dtype=float)
        codes[placed] = assign_regions(lon, lat, geography.regions_full)
    outside = [k for k in placed if not codes[k]]
    if outside:
        files, rows, ok = records["fichier"], records["ligne"], records["_ok"]
        for i in np.flatnonzero(np.isin(which, outside)).tolist():
            lat_i, lon_i = points[i]
            problems.append(Problem(files[i], rows[i], "latitude", "outside_quebec_plain", {"lat": lat_i, "lon": lon_i}))
            ok[i] = False
    records["region"] = codes[which].tolist()


def _check_duplicates(records: dict[str, list[Any]], problems: list[Problem]) -> None:
    ids = records["id"]
    again = np.flatnonzero(pd.Series(ids, dtype=object).duplicated().to_numpy())  # later uses of an id
    if not len(again):
        return
    first: dict[str, int] = {}
    for i, value in enumerate(ids):
        first.setdefault(value, i)
    files, rows, ok = records["fichier"], records["ligne"], records["_ok"]
    for i in again.tolist():
        value = ids[i]
        j = first[value]
        problems.append(Problem(files[i], rows[i], "id", "duplicate_id", {"value": value, "file": files[j], "row": rows[j]}))
        ok[i] = False


def check_directory(
    data_dir: Path, geography: Geography, today: date | None = None
) -> tuple[list[dict[str, Any]], list[Problem], list[str]]:
    """Read and validate every template file of ``data_dir``; nothing is raised."""
    records, problems, files = _check_columns(data_dir, geography, today)
    return bulk.as_records(records, FIELDS), problems, files


def _check_columns(
    data_dir: Path, geography: Geography, today: date | None = None
) -> tuple[dict[str, list[Any]], list[Problem], list[str]]:
    """:func:`check_directory` with the records as columns."""
    if not data_dir.is_dir():
        return {key: [] for key in FIELDS}, [Problem(str(data_dir), None, None, "no_data_dir")], []
    files = template_files(data_dir)
    if not files:
        return {key: [] for key in FIELDS}, [Problem(str(data_dir), None, None, "no_files")], []
    tables = [read_file(p) for p in files]
    records, problems = read_tables(tables, geography, today)
    return records, problems, [p.name for p in files]


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a directory is read and built: the millions of
    objects made then (cells, records, frames) are garbage to nobody, yet the collector went through
    them again and again — a tenth of a cold start at 100,000 services. Set back as it was after, the
    objects made meanwhile moved to the oldest generation (``freeze`` then ``unfreeze``: a move, no
    scan): the collector still frees them if they become cyclic garbage, but the first collections
    after the pause do not go through them all one more time (another 0.4 s at 100,000)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def load_directory(data_dir: Path, geography: Geography, today: date | None = None) -> Directory:
    """The validated directory of ``data_dir``; raises DataValidationError listing every problem."""
    with collection_paused():
        records, problems, files = _check_columns(data_dir, geography, today)
        if errors_of(problems):
            raise DataValidationError(problems)
        return build_directory(records, geography, warnings=problems, files=files)
