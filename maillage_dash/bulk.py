"""A whole table validated column by column: the records and problems of :class:`~maillage_dash.rows.RowParser`
run row by row, in a fraction of the time (100,000 rows at a cold start).

Each column is read once over all the rows: its cells are told apart (a code per row into the column's
distinct values), each distinct value is parsed once — by the very functions the row parser calls
(``rows.read_*``, ``RowParser._codes``, ``_ages``, ``_date``, ``_municipality``; the coordinates by
``rows._parse_number`` and the Québec box on numpy arrays) — and the results are spread back over the
rows through the codes. A directory repeats the same few types, sectors, regions, ages, towns and dates
on row after row, so the work follows the number of distinct values, not of cells.

The problems come out in the row parser's order: row after row, and within a row in the order
``RowParser.parse`` finds them (the checks below run in that order and append to each row's list).
``RowParser`` stays the reference, used for a single row (the entry form, a saved entry);
``tests/foundations/test_vectorised_validation.py`` compares the two on every kind of input.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from maillage_dash import rows as rowlib
from maillage_dash import schema
from maillage_dash.geo import QC_BOUNDS
from maillage_dash.rows import RowParser
from maillage_dash.text import fold, split_multi
from maillage_dash.validation import Problem, severity_of

# The keys of a record, in the order RowParser.parse sets them (then ``_ok``, set by the loader).
RECORD_KEYS = (
    "fichier",
    "ligne",
    "nom",
    "organisme",
    "types",
    "secteurs",
    "age_min",
    "age_max",
    "regions_desservies",
    "confidentiel",
    "municipalite",
    "municipalite_lat",
    "municipalite_lon",
    "lat",
    "lon",
    "point_exact",
    "_join",
    "public_cible",
    "statut",
    "confirme_le",
    "confirme_par",
    "confirme_source",
    "telephones",
    "courriel",
    "site_web",
    "description",
    "description_en",
    "source",
    "note_verification",
    "partenaires",
    "langues",
    "adresse",
    "id",
    "_ok",
)
_LOCATION_KEYS = ("municipalite", "municipalite_lat", "municipalite_lon", "lat", "lon", "point_exact", "_join")

Found = list[tuple[str | None, str, dict[str, object]]]  # (column, code, params) of one distinct value


def _objects(values: Sequence[Any]) -> np.ndarray:
    """A 1-D object array of ``values`` (tuples stay elements, never become a second dimension)."""
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        out[i] = value
    return out


def _texts(cells: Sequence[Any], *, shared: bool = False) -> np.ndarray:
    """``rows._text`` of every cell, as an object array (plain ``str.strip`` when every cell is text).
    ``shared``: equal texts are one object (a column whose values repeat: a directory kept in memory
    and its snapshot hold each once)."""
    if shared:
        same: dict[Any, Any] = {}
        try:
            raw = list(map(same.setdefault, cells, cells))
        except TypeError:  # an unhashable cell
            raw = None
        if raw is not None and all(type(value) is str for value in same):
            stripped = {value: value.strip() for value in same}
            return np.fromiter(map(stripped.__getitem__, raw), dtype=object, count=len(raw))
    try:
        return np.fromiter(map(str.strip, cells), dtype=object, count=len(cells))
    except TypeError:
        return np.fromiter(map(rowlib._text, cells), dtype=object, count=len(cells))


@dataclass
class _Coded:
    """The values of some rows as a code per row into their distinct values."""

    codes: np.ndarray
    values: list[Any]

    @classmethod
    def of_cells(cls, cells: Sequence[Any]) -> tuple[_Coded, bool]:
        """The texts (``rows._text``) of ``cells``, and whether every cell was text. Text cells are told
        apart first, and each distinct one stripped once; other cells (a spreadsheet's numbers and dates:
        1, 1.0 and True are equal keys) are made text first."""
        # Each cell's code in one pass of a dict, in C: a missing key gets the number of keys so far, so
        # the codes and the order of the distinct cells are ``pandas.factorize``'s (first seen first).
        # Telling apart 100,000 distinct string objects of a few values with pandas was slower.
        index: defaultdict[Any, int] = defaultdict()
        index.default_factory = index.__len__
        try:
            codes = np.fromiter(map(index.__getitem__, cells), dtype=np.int64, count=len(cells))
        except TypeError:  # an unhashable cell
            codes = None
        # Text cells only: a dict holds 1, 1.0 and True (a spreadsheet's cells) as one key.
        if codes is not None and all(type(value) is str for value in index):
            return cls(codes, [value.strip() for value in index]), True
        codes, distinct = pd.factorize(np.fromiter(map(rowlib._text, cells), dtype=object, count=len(cells)))
        return cls(codes, list(distinct)), False

    @classmethod
    def of_flags(cls, flags: np.ndarray) -> _Coded:
        return cls(flags.astype(np.int64), [False, True])

    def take(self, rows: np.ndarray) -> _Coded:
        return _Coded(self.codes[rows], self.values)

    def per_row(self) -> np.ndarray:
        return _objects(self.values)[self.codes] if self.values else np.empty(len(self.codes), dtype=object)

    def where(self, test: Callable[[Any], bool]) -> np.ndarray:
        """Whether ``test`` holds, row by row (asked once per distinct value)."""
        return np.fromiter(map(test, self.values), dtype=bool, count=len(self.values))[self.codes]


def _combined(columns: Sequence[_Coded]) -> _Coded:
    """One code per distinct combination of the columns' values (a tuple of them)."""
    if len(columns) == 1:
        return _Coded(columns[0].codes, [(value,) for value in columns[0].values])
    codes = columns[0].codes
    for column in columns[1:]:
        codes, _ = pd.factorize(codes * max(1, len(column.values)) + column.codes)
    first = np.zeros(int(codes.max()) + 1 if len(codes) else 0, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # the first row of each combination
    return _Coded(codes, [tuple(c.values[c.codes[row]] for c in columns) for row in first.tolist()])


def _collector(found: Found) -> Callable[..., None]:
    """A ``problem(column, code, **params)`` callback of the row parser that appends to ``found``."""

    def problem(column: str | None, code: str, **params: object) -> None:
        found.append((column, code, params))

    return problem


class _Checks:
    """The problems of the kept rows, each row's list in the row parser's order."""

    def __init__(self) -> None:
        self.by_row: dict[int, Found] = {}

    def add(self, positions: np.ndarray, found: Found | Callable[[int], Found]) -> None:
        for position in positions.tolist():
            items = found(position) if callable(found) else found
            self.by_row.setdefault(position, []).extend(items)

    def coded(self, columns: Sequence[_Coded], parse: Callable[..., Any], rows: np.ndarray | None = None) -> _Coded:
        """``parse(*values, problem)`` once per distinct combination of the columns' values (over ``rows``,
        else all), as codes into the results; the problems recorded for each row concerned."""
        combined = _combined([c.take(rows) if rows is not None else c for c in columns])
        results: list[Any] = []
        found: list[Found] = []
        for args in combined.values:
            items: Found = []
            results.append(parse(*args, _collector(items)))
            found.append(items)
        bad = np.fromiter(map(bool, found), dtype=bool, count=len(found))
        if bad.any():
            hit = np.flatnonzero(bad[combined.codes])
            positions = hit if rows is None else rows[hit]
            for position, code in zip(positions.tolist(), combined.codes[hit].tolist()):
                self.by_row.setdefault(position, []).extend(found[code])
        return _Coded(combined.codes, results)

    def per_value(self, columns: Sequence[_Coded], parse: Callable[..., Any], rows: np.ndarray | None = None) -> np.ndarray:
        """:meth:`coded`, row by row."""
        return self.coded(columns, parse, rows).per_row()


# Columns only read as text, never parsed: stripped, not told apart.
_TEXT_ONLY = frozenset({"id", "nom", "organisme", "description", "description_en", "source", "note_verification", "adresse"})
_UNIQUE = frozenset({"id", "nom"})  # every row's own: not worth making equal texts one object


def parse_rows(
    file: str, columns: list[str | None], table_rows: list[tuple[int, Sequence[Any]]], parser: RowParser
) -> tuple[dict[str, list[Any]], list[Problem]]:
    """The records (as columns: a list per key of ``RECORD_KEYS``) and problems of a table's rows
    (``columns``: the template name of each header, or None), exactly as the loader's row-by-row loop
    with ``parser`` gives them, blank rows skipped."""
    if not table_rows:
        return {key: [] for key in RECORD_KEYS}, []
    width = len(columns)
    numbers = [number for number, _ in table_rows]
    cell_lists = [cells for _, cells in table_rows]
    lengths = np.fromiter(map(len, cell_lists), dtype=np.int64, count=len(cell_lists))
    full = max(width, int(lengths.max()))
    if not (lengths == full).all():  # short rows: missing cells read as blank, as ``cells.get(name, "")``
        cell_lists = [c if len(c) == full else [*c, *([""] * (full - len(c)))] for c in cell_lists]
    by_column = list(zip(*cell_lists)) if full else []

    named = {name: j for j, name in enumerate(columns) if name}
    texts: dict[str, np.ndarray] = {}
    coded: dict[str, _Coded] = {}
    all_text: dict[str, bool] = {}
    for name, j in named.items():
        if name in _TEXT_ONLY:
            texts[name] = _texts(by_column[j], shared=name not in _UNIQUE)
        else:
            coded[name], all_text[name] = _Coded.of_cells(by_column[j])

    # Blank rows are skipped (each column looks only at the rows with no text so far); a row with
    # text beyond the last header is reported, not read.
    empty = np.arange(len(cell_lists))
    for j in [*named.values(), *(j for j in range(full) if j >= width or columns[j] is None)]:
        if not len(empty):
            break
        name = columns[j] if j < width else None
        if name in texts:
            present = texts[name][empty].astype(bool)
        elif name in coded:
            present = coded[name].take(empty).where(bool)
        else:
            present = _texts([by_column[j][i] for i in empty.tolist()]).astype(bool)
        empty = empty[~present]
    filled = np.ones(len(cell_lists), dtype=bool)
    filled[empty] = False
    too_many = np.zeros(len(cell_lists), dtype=bool)
    for i in np.flatnonzero(filled & (lengths > width)).tolist():
        too_many[i] = any(rowlib._text(c) for c in table_rows[i][1][width:])
    kept = np.flatnonzero(filled & ~too_many)
    n = len(kept)
    everything = n == len(cell_lists)
    blank = _Coded(np.zeros(n, dtype=np.int64), [""])

    def column(name: str) -> _Coded:
        """The kept rows of a told-apart column (a blank one when the table does not have it)."""
        if name not in coded:
            return blank
        return coded[name] if everything else coded[name].take(kept)

    def text(name: str) -> np.ndarray:
        """The kept rows' text of a column."""
        if name in texts:
            return texts[name] if everything else texts[name][kept]
        return column(name).per_row()

    checks = _Checks()
    every = np.arange(n)

    # ---- the order of RowParser.parse
    nom, organisme = text("nom"), text("organisme")
    checks.add(every[nom == ""], [("nom", "required_value", {})])
    checks.add(every[organisme == ""], [("organisme", "required_value", {})])
    checks.add(every[column("types_service").where(lambda v: v == "")], [("types_service", "required_value", {})])

    def codes(name: str, parse: Any, unknown: str) -> Callable[..., tuple[str, ...]]:
        return lambda value, problem: RowParser._codes(value, name, parse, unknown, problem)

    types = checks.per_value([column("types_service")], codes("types_service", schema.parse_type, "unknown_type"))
    sectors = checks.per_value([column("secteurs")], codes("secteurs", schema.parse_sector, "unknown_sector"))
    ages = checks.per_value(
        [column("age_min"), column("age_max")],
        lambda low, high, problem: RowParser._ages({"age_min": low, "age_max": high}.__getitem__, problem),
    )
    served = checks.per_value([column("regions_desservies")], codes("regions_desservies", schema.parse_region, "bad_region"))
    confidential = checks.coded([column("adresse_confidentielle")], rowlib.read_confidential)
    secret = confidential.where(bool)

    municipality = column("municipalite")
    place = _location(checks, parser, column("latitude"), column("longitude"), municipality, secret)

    # _trust
    audiences = checks.per_value([column("public_cible")], codes("public_cible", schema.parse_audience, "unknown_audience"))
    status = checks.coded([column("statut")], rowlib.read_status)
    confirmed = _dates(checks, parser, "confirme_le", column, all_text, by_column, named, kept, None)
    if "derniere_verification" in named:  # older files, read when confirme_le gives no date
        j = named["derniere_verification"]
        undated = np.fromiter((value is None for value in confirmed), dtype=bool, count=n)
        older = np.flatnonzero(undated & (lengths[kept] > j))
        confirmed[older] = _dates(checks, parser, "derniere_verification", column, all_text, by_column, named, kept, older)
    method = checks.per_value([column("confirme_par")], rowlib.read_method)
    source = checks.per_value([column("confirme_source")], rowlib.read_source)
    given = text("confirme_source")  # (a bad address is said once, not also as missing)
    unsourced = np.fromiter((m in schema.SOURCED_METHODS and not s for m, s in zip(method, given)), dtype=bool, count=n)
    checks.add(every[unsourced], [("confirme_source", "source_needed", {})])
    lines = checks.coded([column("telephones"), column("telephone")], rowlib.read_phones)
    email = checks.coded([column("courriel")], rowlib.read_email)

    website = checks.coded([column("site_web")], rowlib.read_website)
    reachable = lines.where(bool) | website.where(bool) | email.where(bool)
    checks.add(every[status.where(lambda v: v == "actif") & ~reachable], [("statut", "active_unreachable", {})])
    partners = checks.per_value([column("partenaires")], lambda value, _problem: tuple(split_multi(value)))
    languages = checks.per_value(
        [column("langues")], lambda value, _problem: tuple(fold(v).replace(" ", "_") for v in split_multi(value))
    )
    address = np.where(secret, "", text("adresse"))

    ids = text("id").copy()
    given = ids != ""
    if not _all_good_ids(ids[given]):
        checks.per_value([_Coded(*pd.factorize(ids))], lambda value, problem: rowlib.check_id(value, problem), every[given])
    if not given.all():
        towns = municipality.per_row()
        for i in every[~given].tolist():
            ids[i] = rowlib.default_id(organisme[i], nom[i], towns[i])

    # ---- records and problems, row after row
    ok = np.ones(n, dtype=bool)
    ok[list(checks.by_row)] = False
    ages_low, ages_high = zip(*ages.tolist()) if n else ((), ())
    values = [
        [file] * n,
        [numbers[i] for i in kept.tolist()],
        nom.tolist(),
        organisme.tolist(),
        types.tolist(),
        sectors.tolist(),
        ages_low,
        ages_high,
        served.tolist(),
        secret.tolist(),
        *place,
        audiences.tolist(),
        status.per_row().tolist(),
        confirmed.tolist(),
        method.tolist(),
        source.tolist(),
        lines.per_row().tolist(),
        email.per_row().tolist(),
        website.per_row().tolist(),
        text("description").tolist(),
        text("description_en").tolist(),
        text("source").tolist(),
        text("note_verification").tolist(),
        partners.tolist(),
        languages.tolist(),
        address.tolist(),
        ids.tolist(),
        ok.tolist(),
    ]
    columns_out = dict(zip(RECORD_KEYS, map(list, values)))

    problems: list[Problem] = []
    position_of = np.full(len(cell_lists), -1, dtype=np.int64)
    position_of[kept] = np.arange(n)
    for i in sorted({*kept[list(checks.by_row)].tolist(), *np.flatnonzero(too_many).tolist()}):
        number = numbers[i]
        if too_many[i]:
            params = {"count": int(lengths[i]), "expected": width}
            problems.append(Problem(file, number, None, "too_many_cells", params))
            continue
        for name, code, params in checks.by_row[int(position_of[i])]:
            problems.append(Problem(file, number, name, code, dict(params), severity=severity_of(code)))
    return columns_out, problems


def _dates(
    checks: _Checks,
    parser: RowParser,
    name: str,
    column: Callable[[str], _Coded],
    all_text: dict[str, bool],
    by_column: list[tuple[Any, ...]],
    named: dict[str, int],
    kept: np.ndarray,
    rows: np.ndarray | None,
) -> np.ndarray:
    """The dates of column ``name`` (over ``rows`` of the kept rows, else all), read by ``RowParser._date``
    from the cell itself (a spreadsheet gives date cells, not text)."""
    count = len(kept) if rows is None else len(rows)
    if name not in named:
        return np.full(count, None, dtype=object)
    parse = lambda value, problem: parser._date(name, value, problem)  # noqa: E731
    if all_text[name]:  # text cells: _date reads the stripped text exactly as the cell
        return checks.per_value([column(name)], parse, rows)
    cells = _objects(by_column[named[name]])[kept]
    positions = np.arange(len(kept)) if rows is None else rows
    out = np.empty(count, dtype=object)
    for k, position in enumerate(positions.tolist()):
        found: Found = []
        out[k] = parse(cells[position], _collector(found))
        if found:
            checks.by_row.setdefault(position, []).extend(found)
    return out


def _location(
    checks: _Checks, parser: RowParser, lat_text: _Coded, lon_text: _Coded, town: _Coded, secret: np.ndarray
) -> list[list[Any]]:
    """``RowParser._location`` over whole columns: the record's place fields (in ``_LOCATION_KEYS``
    order, one list each) and the problems, in the order ``_location`` reports them."""
    n = len(town.codes)
    every = np.arange(n)
    has_lat, has_lon = lat_text.where(bool), lon_text.where(bool)

    def numbers(texts: _Coded) -> np.ndarray:
        return _numbers(texts.values)[texts.codes]

    lat, lon = numbers(lat_text), numbers(lon_text)
    lat_ok, lon_ok = ~np.isnan(lat), ~np.isnan(lon)
    lat_raw, lon_raw = lat_text.values, lon_text.values
    lat_codes, lon_codes = lat_text.codes, lon_text.codes
    checks.add(every[has_lat & ~lat_ok], lambda i: [("latitude", "bad_coordinate", {"value": lat_raw[lat_codes[i]]})])
    checks.add(every[has_lon & ~lon_ok], lambda i: [("longitude", "bad_coordinate", {"value": lon_raw[lon_codes[i]]})])
    checks.add(every[has_lat != has_lon], lambda i: [("latitude" if not has_lat[i] else "longitude", "coordinate_pair", {})])
    both = lat_ok & lon_ok
    lon_min, lat_min, lon_max, lat_max = QC_BOUNDS
    inside = both & (lon_min <= lon) & (lon <= lon_max) & (lat_min <= lat) & (lat <= lat_max)
    swapped = (lon_min <= lat) & (lat <= lon_max) & (lat_min <= lon) & (lon <= lat_max)

    def outside(i: int) -> Found:
        hint = "swapped" if swapped[i] else "plain"
        return [("latitude", f"outside_quebec_{hint}", {"lat": lat_raw[lat_codes[i]], "lon": lon_raw[lon_codes[i]]})]

    checks.add(every[both & ~inside], outside)
    exact = inside

    # The municipality, once per distinct name (and whether the row has an exact point).
    has_town = town.where(bool)
    named_rows = every[has_town]
    places = checks.coded(
        [town, _Coded.of_flags(exact)],
        lambda name, pinned, problem: parser._municipality(name, problem, (0.0, 0.0) if pinned else None),
        rows=named_rows,
    )
    found = np.zeros(n, dtype=bool)
    found[named_rows] = places.where(lambda p: p is not None)
    checks.add(every[~has_town & ~exact & ~has_lat & ~has_lon], [("municipalite", "required_location", {})])
    checks.add(every[secret & ~found & exact & ~has_town], [("municipalite", "confidential_needs_municipality", {})])

    # The place's name and point, row by row (None where no place was found).
    town_name = town.per_row()
    town_lat = np.full(n, None, dtype=object)
    town_lon = np.full(n, None, dtype=object)
    which = places.codes[found[named_rows]]
    rows_found = named_rows[found[named_rows]]
    town_name[rows_found] = _objects([p.name if p else None for p in places.values])[which]
    town_lat[rows_found] = _objects([p.lat if p else None for p in places.values])[which]
    town_lon[rows_found] = _objects([p.lon if p else None for p in places.values])[which]
    # Where the service is shown: its municipality when the address is confidential.
    shown_exact = exact & ~secret
    shown_lat = np.where(shown_exact, lat, np.nan).astype(object)
    shown_lon = np.where(shown_exact, lon, np.nan).astype(object)
    by_town = ~shown_exact & found
    shown_lat[by_town] = town_lat[by_town]
    shown_lon[by_town] = town_lon[by_town]
    shown = shown_exact | by_town
    shown_lat[~shown] = None
    shown_lon[~shown] = None
    lat_list, lon_list = shown_lat.tolist(), shown_lon.tolist()
    join = [(a, b) if s else None for a, b, s in zip(lat_list, lon_list, shown.tolist())]
    return [town_name.tolist(), town_lat.tolist(), town_lon.tolist(), lat_list, lon_list, shown_exact.tolist(), join]


def _numbers(texts: list[Any]) -> np.ndarray:
    """``rows._parse_number`` of each text (``nan`` for a blank or a refused one). Texts that are plain
    numbers (no space, no-break space or comma: nothing ``_parse_number`` rewrites) are read by ``float``
    in one C loop, as ``_parse_number`` reads them; any other text, or a text ``float`` refuses, sends all
    of them through ``_parse_number``."""
    if all(type(t) is str for t in texts):
        joined = "\n".join(texts)
        if " " not in joined and "," not in joined and "\u00a0" not in joined:
            try:
                out = np.fromiter(map(float, [t or "nan" for t in texts]), dtype=float, count=len(texts))
            except ValueError:
                pass
            else:
                out[~np.isfinite(out)] = np.nan  # _parse_number refuses nan and infinities
                return out
    parsed = [rowlib._parse_number(t) if t else None for t in texts]
    return np.array([np.nan if v is None else v for v in parsed], dtype=float)


def as_columns(records: list[dict[str, Any]], keys: Sequence[str] = RECORD_KEYS) -> dict[str, list[Any]]:
    """The records of the row parser as columns (one list per key)."""
    return {key: [record[key] for record in records] for key in keys}


def as_records(columns: dict[str, list[Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """Columns back to records (dicts keyed in the order of ``keys``)."""
    return [dict(zip(keys, row)) for row in zip(*(columns[key] for key in keys))]


def _all_good_ids(ids: np.ndarray) -> bool:
    """Whether every given id is well formed (``rows.check_id``), in one regular-expression pass over
    all of them; False sends each distinct id through ``check_id``."""
    if not len(ids):
        return True
    joined = "\n".join(ids.tolist())
    if joined.count("\n") != len(ids) - 1:  # an id holding a line break
        return False
    return rowlib._IDS_RE.fullmatch(joined) is not None
