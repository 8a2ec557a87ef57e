"""Reads the directory template files (CSV or XLSX), validates every row, builds the directory.

Every problem is collected with its file, row and column; :func:`load_directory` raises
one :class:`~maillage_dash.errors.DataValidationError` carrying all of them.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from maillage_dash import schema
from maillage_dash.directory import Directory, build_directory
from maillage_dash.errors import DataValidationError
from maillage_dash.geo import Geography, assign_regions, in_quebec_box
from maillage_dash.text import fold, split_multi
from maillage_dash.validation import Problem, errors_of

SUPPORTED_SUFFIXES = (".csv", ".xlsx")
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")
_TRUE = {"oui", "o", "yes", "y", "vrai", "true", "1", "x"}
_FALSE = {"non", "n", "no", "faux", "false", "0", ""}
_REGION_HINT = re.compile(r"^(?P<name>.*?)\s*\((?P<hint>[^()]*)\)\s*$")


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


# --------------------------------------------------------------------------- one row


def _text(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip() if value is not None else ""


def _parse_number(value: str) -> float | None:
    raw = value.strip().replace("\u00a0", "").replace(" ", "")
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        number = float(raw)
    except ValueError:
        return None
    return number if np.isfinite(number) else None


def _parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    if len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
        try:  # the usual ISO date, parsed in C (strptime was a quarter of the start-up at 100,000 rows)
            return date.fromisoformat(raw)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:48] or "service"


class RowParser:
    """Turns one row of cells into a clean record, collecting every problem it finds."""

    def __init__(self, geography: Geography, today: date):
        self.geo = geography
        self.today = today

    def parse(self, file: str, row: int, cells: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
        problems: list[Problem] = []

        def problem(column: str | None, code: str, **params: object) -> None:
            problems.append(Problem(file, row, column, code, params))

        get = lambda name: _text(cells.get(name, ""))  # noqa: E731
        record: dict[str, Any] = {"fichier": file, "ligne": row}

        for name in ("nom", "organisme", "types_service"):
            if not get(name):
                problem(name, "required_value")
        record["nom"] = get("nom")
        record["organisme"] = get("organisme")

        types: list[str] = []
        for value in split_multi(get("types_service")):
            code = schema.parse_type(value)
            if code is None:
                problem("types_service", "unknown_type", value=value, known=", ".join(t.code for t in schema.SERVICE_TYPES))
            elif code not in types:
                types.append(code)
        record["types"] = tuple(types)

        sectors: list[str] = []
        for value in split_multi(get("secteurs")):
            code = schema.parse_sector(value)
            if code is None:
                problem("secteurs", "unknown_sector", value=value, known=", ".join(t.code for t in schema.SECTORS))
            elif code not in sectors:
                sectors.append(code)
        record["secteurs"] = tuple(sectors)

        ages: dict[str, float | None] = {}
        for name in ("age_min", "age_max"):
            raw = get(name)
            ages[name] = None
            if not raw:
                continue
            number = _parse_number(raw)
            if number is None or not float(number).is_integer():
                problem(name, "bad_age", value=raw)
            elif not schema.AGE_LOWEST <= number <= schema.AGE_HIGHEST:
                problem(name, "age_range", value=raw, low=schema.AGE_LOWEST, high=schema.AGE_HIGHEST)
            else:
                ages[name] = number
        if ages["age_min"] is not None and ages["age_max"] is not None and ages["age_min"] > ages["age_max"]:
            problem("age_min", "age_order", low=int(ages["age_min"]), high=int(ages["age_max"]))
        record["age_min"] = ages["age_min"]
        record["age_max"] = ages["age_max"]

        served: list[str] = []
        for value in split_multi(get("regions_desservies")):
            code = schema.parse_region(value)
            if code is None:
                problem("regions_desservies", "bad_region", value=value)
            elif code not in served:
                served.append(code)
        record["regions_desservies"] = tuple(served)

        confidential_raw = fold(get("adresse_confidentielle"))
        if confidential_raw in _TRUE:
            record["confidentiel"] = True
        elif confidential_raw in _FALSE:
            record["confidentiel"] = False
        else:
            record["confidentiel"] = False
            problem("adresse_confidentielle", "bad_bool", value=get("adresse_confidentielle"))

        self._location(get, record, problem)

        verified = cells.get("derniere_verification", "")
        record["derniere_verification"] = None
        if _text(verified):
            parsed = _parse_date(verified)
            if parsed is None:
                problem("derniere_verification", "bad_date", value=_text(verified))
            elif parsed > self.today:
                problem("derniere_verification", "future_date", value=parsed.isoformat())
            else:
                record["derniere_verification"] = parsed

        website = get("site_web")
        if website and not re.match(r"^https?://", website, re.I):
            if re.match(r"^www\.", website, re.I):
                website = "https://" + website
            else:
                problem("site_web", "bad_url", value=website)
                website = ""
        record["site_web"] = website

        for name in ("description", "description_en", "telephone", "source"):
            record[name] = get(name)
        record["partenaires"] = tuple(split_multi(get("partenaires")))
        record["langues"] = tuple(fold(v).replace(" ", "_") for v in split_multi(get("langues")))
        # The exact address of a confidential service is never kept: not in memory, not shown.
        record["adresse"] = "" if record["confidentiel"] else get("adresse")

        given_id = get("id")
        if given_id:
            if not _ID_RE.match(given_id):
                problem("id", "bad_id", value=given_id)
            record["id"] = given_id
        else:
            digest = hashlib.sha1("|".join((record["organisme"], record["nom"], get("municipalite"))).encode()).hexdigest()[:6]
            record["id"] = f"{slug(record['nom'])}-{digest}"
        return record, problems

    def _location(self, get, record: dict[str, Any], problem) -> None:  # type: ignore[no-untyped-def]
        lat_raw, lon_raw = get("latitude"), get("longitude")
        lat = _parse_number(lat_raw) if lat_raw else None
        lon = _parse_number(lon_raw) if lon_raw else None
        if lat_raw and lat is None:
            problem("latitude", "bad_coordinate", value=lat_raw)
        if lon_raw and lon is None:
            problem("longitude", "bad_coordinate", value=lon_raw)
        if bool(lat_raw) != bool(lon_raw):
            problem("latitude" if not lat_raw else "longitude", "coordinate_pair")
        exact = None
        if lat is not None and lon is not None:
            if not in_quebec_box(lon, lat):
                hint = "swapped" if in_quebec_box(lat, lon) else "plain"
                problem("latitude", f"outside_quebec_{hint}", lat=lat_raw, lon=lon_raw)
            else:
                exact = (lat, lon)

        municipality_raw = get("municipalite")
        place = None
        if municipality_raw:
            place = self._municipality(municipality_raw, problem, exact)
        elif exact is None and not (lat_raw or lon_raw):
            problem("municipalite", "required_location")

        record["municipalite"] = place.name if place else municipality_raw
        record["municipalite_lat"] = place.lat if place else None
        record["municipalite_lon"] = place.lon if place else None
        if record["confidentiel"] and place is None and exact is not None and not municipality_raw:
            problem("municipalite", "confidential_needs_municipality")
        # Where the service is shown: its municipality when the address is confidential.
        if record["confidentiel"]:
            shown = (place.lat, place.lon) if place else None
        else:
            shown = exact or ((place.lat, place.lon) if place else None)
        record["lat"], record["lon"] = shown if shown else (None, None)
        record["point_exact"] = exact is not None and not record["confidentiel"]
        # The region join uses the point shown: a confidential service is entirely at its
        # municipality's level (so its region cannot hint at the exact place either).
        record["_join"] = shown

    def _municipality(self, raw: str, problem, exact):  # type: ignore[no-untyped-def]
        name, hint = raw, None
        match = _REGION_HINT.match(raw)
        if match:
            name, hint = match.group("name"), match.group("hint")
        candidates = self.geo.gazetteer.candidates(name)
        if hint is not None:
            region = schema.parse_region(hint)
            candidates = [c for c in candidates if region and c.region == region or fold(c.mrc) == fold(hint)]
        if not candidates:
            suggestions = ", ".join(self.geo.gazetteer.suggestions(name)) or "—"
            problem("municipalite", "unknown_municipality", value=raw, suggestions=suggestions)
            return None
        located = [c for c in candidates if np.isfinite(c.lat) and np.isfinite(c.lon)]
        if not located:
            if exact is None:
                problem("municipalite", "municipality_no_point", value=raw)
            return None
        regions = sorted({c.region for c in located})
        if len(regions) > 1:
            problem(
                "municipalite",
                "ambiguous_municipality",
                value=raw,
                options=", ".join(f"{c.name} ({c.region}, {c.mrc})" for c in located),
            )
            return None
        # Twin entities (village + paroisse of one name) lie side by side: take the larger.
        return max(located, key=lambda c: c.population)


# --------------------------------------------------------------------------- whole directory


def parse_tables(
    tables: list[RawTable], geography: Geography, today: date | None = None
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Validate every row of every table; return the clean records and all problems."""
    today = today or date.today()
    parser = RowParser(geography, today)
    records: list[dict[str, Any]] = []
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
        if missing:
            if table.rows:
                problems.append(Problem(table.file, None, None, "rows_not_read", {"count": len(table.rows)}))
            continue
        for row_number, cells in table.rows:
            if not any(_text(c) for c in cells):
                continue
            if len(cells) > len(columns) and any(_text(c) for c in cells[len(columns) :]):
                problems.append(
                    Problem(table.file, row_number, None, "too_many_cells", {"count": len(cells), "expected": len(columns)})
                )
                continue
            named = {name: cells[i] for i, name in enumerate(columns) if name and i < len(cells)}
            record, row_problems = parser.parse(table.file, row_number, named)
            problems.extend(row_problems)
            record["_ok"] = not row_problems
            records.append(record)

    _join_regions(records, problems, geography)
    _check_duplicates(records, problems)
    return records, problems


def _join_regions(records: list[dict[str, Any]], problems: list[Problem], geography: Geography) -> None:
    joinable = [r for r in records if r["_join"] is not None]
    lat = np.array([r["_join"][0] for r in joinable], dtype=float)
    lon = np.array([r["_join"][1] for r in joinable], dtype=float)
    codes = assign_regions(lon, lat, geography.regions_full)
    for record, code in zip(joinable, codes):
        record["region"] = code
        if not code:
            problems.append(
                Problem(
                    record["fichier"],
                    record["ligne"],
                    "latitude",
                    "outside_quebec_plain",
                    {"lat": record["_join"][0], "lon": record["_join"][1]},
                )
            )
            record["_ok"] = False
    for record in records:
        record.setdefault("region", "")
        del record["_join"]


def _check_duplicates(records: list[dict[str, Any]], problems: list[Problem]) -> None:
    first: dict[str, dict[str, Any]] = {}
    for record in records:
        previous = first.get(record["id"])
        if previous is None:
            first[record["id"]] = record
            continue
        problems.append(
            Problem(
                record["fichier"],
                record["ligne"],
                "id",
                "duplicate_id",
                {"value": record["id"], "file": previous["fichier"], "row": previous["ligne"]},
            )
        )
        record["_ok"] = False


def check_directory(
    data_dir: Path, geography: Geography, today: date | None = None
) -> tuple[list[dict[str, Any]], list[Problem], list[str]]:
    """Read and validate every template file of ``data_dir``; nothing is raised."""
    if not data_dir.is_dir():
        return [], [Problem(str(data_dir), None, None, "no_data_dir")], []
    files = template_files(data_dir)
    if not files:
        return [], [Problem(str(data_dir), None, None, "no_files")], []
    tables = [read_file(p) for p in files]
    records, problems = parse_tables(tables, geography, today)
    return records, problems, [p.name for p in files]


def load_directory(data_dir: Path, geography: Geography, today: date | None = None) -> Directory:
    """The validated directory of ``data_dir``; raises DataValidationError listing every problem."""
    records, problems, files = check_directory(data_dir, geography, today)
    if errors_of(problems):
        raise DataValidationError(problems)
    return build_directory(records, geography, warnings=problems, files=files)
