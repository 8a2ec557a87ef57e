"""A whole table validated column by column: the records and problems of :class:`~maillage_dash.rows.RowParser`
run row by row, in a fraction of the time (100,000 rows at a cold start).

Each column is read once over all the rows: its texts are gathered, its distinct values are parsed once
each — by the very functions the row parser calls (``rows.read_*``, ``RowParser._codes``, ``_ages``,
``_date``, ``_location``) — and the results are spread back over the rows with numpy. A directory
repeats the same few types, sectors, regions, ages, towns and dates on row after row, so the work
follows the number of distinct values, not of cells.

The problems come out in the row parser's order: row after row, and within a row in the order
``RowParser.parse`` finds them (the checks below run in that order and append to each row's list).
``RowParser`` stays the reference, used for a single row (the entry form, a saved entry);
``tests/foundations/test_vectorised_validation.py`` compares the two on every kind of input.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from maillage_dash import rows as rowlib
from maillage_dash import schema
from maillage_dash.geo import QC_BOUNDS
from maillage_dash.rows import RowParser
from maillage_dash.text import fold, split_multi
from maillage_dash.validation import Problem

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


def _texts(cells: Sequence[Any]) -> tuple[np.ndarray, bool]:
    """``rows._text`` of every cell as an object array, and whether every cell was text (then it is
    plain ``str.strip``, which refuses anything else)."""
    try:
        return np.fromiter(map(str.strip, cells), dtype=object, count=len(cells)), True
    except TypeError:
        return np.fromiter(map(rowlib._text, cells), dtype=object, count=len(cells)), False


def _factorize(*columns: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Codes (one per row) and the distinct values (a tuple per row when several columns are given)."""
    if len(columns) == 1:
        codes, uniques = pd.factorize(columns[0])
        return codes, list(uniques)
    index: dict[tuple[Any, ...], int] = {}
    codes = np.fromiter((index.setdefault(key, len(index)) for key in zip(*columns)), dtype=np.int64, count=len(columns[0]))
    return codes, list(index)


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

    def per_value(self, columns: Sequence[np.ndarray], parse: Callable[..., Any], rows: np.ndarray | None = None) -> np.ndarray:
        """``parse(*values, problem)`` once per distinct value (tuple) of ``columns`` (over ``rows``, else all);
        the value of each of those rows, its problems recorded."""
        if rows is not None:
            columns = [c[rows] for c in columns]
        codes, uniques = _factorize(*columns)
        values: list[Any] = []
        found: list[Found] = []
        for unique in uniques:
            items: Found = []
            args = unique if len(columns) > 1 else (unique,)
            values.append(parse(*args, _collector(items)))
            found.append(items)
        bad = np.fromiter(map(bool, found), dtype=bool, count=len(found))
        if bad.any():
            hit = np.flatnonzero(bad[codes])
            positions = hit if rows is None else rows[hit]
            for position, code in zip(positions.tolist(), codes[hit].tolist()):
                self.by_row.setdefault(position, []).extend(found[code])
        return _objects(values)[codes] if len(values) else np.empty(0, dtype=object)


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
    texts: dict[int, np.ndarray] = {}
    all_text: dict[int, bool] = {}
    for j in named.values():
        texts[j], all_text[j] = _texts(by_column[j])

    # Blank rows are skipped (each column looks only at the rows with no text so far); a row with
    # text beyond the last header is reported, not read.
    empty = np.arange(len(cell_lists))
    for j in [*named.values(), *(j for j in range(full) if j not in texts)]:
        if not len(empty):
            break
        column = texts[j][empty] if j in texts else _texts([by_column[j][i] for i in empty.tolist()])[0]
        empty = empty[~column.astype(bool)]
    filled = np.ones(len(cell_lists), dtype=bool)
    filled[empty] = False
    too_many = np.zeros(len(cell_lists), dtype=bool)
    for i in np.flatnonzero(filled & (lengths > width)).tolist():
        too_many[i] = any(rowlib._text(c) for c in table_rows[i][1][width:])
    kept = np.flatnonzero(filled & ~too_many)
    n = len(kept)
    everything = n == len(cell_lists)
    blank = np.full(n, "", dtype=object)

    def text(name: str) -> np.ndarray:
        if name not in named:
            return blank
        return texts[named[name]] if everything else texts[named[name]][kept]

    checks = _Checks()
    every = np.arange(n)

    # ---- the order of RowParser.parse
    for name in ("nom", "organisme", "types_service"):
        checks.add(every[text(name) == ""], [(name, "required_value", {})])
    nom, organisme = text("nom"), text("organisme")

    def codes(column: str, parse: Any, unknown: str) -> Callable[..., tuple[str, ...]]:
        return lambda value, problem: RowParser._codes(value, column, parse, unknown, problem)

    types = checks.per_value([text("types_service")], codes("types_service", schema.parse_type, "unknown_type"))
    sectors = checks.per_value([text("secteurs")], codes("secteurs", schema.parse_sector, "unknown_sector"))
    ages = checks.per_value(
        [text("age_min"), text("age_max")],
        lambda low, high, problem: RowParser._ages({"age_min": low, "age_max": high}.__getitem__, problem),
    )
    served = checks.per_value(
        [
            text("regions_desservies"),
        ],
        codes("regions_desservies", schema.parse_region, "bad_region"),
    )
    confidential = checks.per_value([text("adresse_confidentielle")], rowlib.read_confidential).astype(bool)

    municipality = text("municipalite")
    place = _location(checks, parser, text("latitude"), text("longitude"), municipality, confidential)

    # _trust
    audiences = checks.per_value([text("public_cible")], codes("public_cible", schema.parse_audience, "unknown_audience"))
    status = checks.per_value([text("statut")], rowlib.read_status)
    confirmed = _dates(checks, parser, "confirme_le", named, by_column, texts, all_text, kept, None)
    if "derniere_verification" in named:  # older files, read when confirme_le gives no date
        j = named["derniere_verification"]
        undated = np.fromiter((value is None for value in confirmed), dtype=bool, count=n)
        older = np.flatnonzero(undated & (lengths[kept] > j))
        confirmed[older] = _dates(checks, parser, "derniere_verification", named, by_column, texts, all_text, kept, older)
    method = checks.per_value([text("confirme_par")], rowlib.read_method)
    source = checks.per_value([text("confirme_source")], rowlib.read_source)
    lines = checks.per_value([text("telephones"), text("telephone")], rowlib.read_phones)
    email = checks.per_value([text("courriel")], rowlib.read_email)

    website = checks.per_value([text("site_web")], rowlib.read_website)
    reachable = np.fromiter(map(bool, lines), dtype=bool, count=n) | (website != "") | (email != "")
    checks.add(every[(status == "actif") & ~reachable], [("statut", "active_unreachable", {})])
    partners = checks.per_value([text("partenaires")], lambda value, _problem: tuple(split_multi(value)))
    languages = checks.per_value(
        [text("langues")], lambda value, _problem: tuple(fold(v).replace(" ", "_") for v in split_multi(value))
    )
    address = np.where(confidential, "", text("adresse"))

    ids = text("id").copy()
    given = ids != ""
    if not _all_good_ids(ids[given]):
        checks.per_value([ids], lambda value, problem: rowlib.check_id(value, problem), rows=every[given])
    for i in every[~given].tolist():
        ids[i] = rowlib.default_id(organisme[i], nom[i], municipality[i])

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
        confidential.tolist(),
        *place,
        audiences.tolist(),
        status.tolist(),
        confirmed.tolist(),
        method.tolist(),
        source.tolist(),
        lines.tolist(),
        email.tolist(),
        website.tolist(),
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
        for column, code, params in checks.by_row[int(position_of[i])]:
            problems.append(Problem(file, number, column, code, dict(params)))
    return columns_out, problems


def as_columns(records: list[dict[str, Any]], keys: Sequence[str] = RECORD_KEYS) -> dict[str, list[Any]]:
    """The records of the row parser as columns (one list per key)."""
    return {key: [record[key] for record in records] for key in keys}


def as_records(columns: dict[str, list[Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """Columns back to records (dicts keyed in the order of ``keys``)."""
    return [dict(zip(keys, row)) for row in zip(*(columns[key] for key in keys))]


def _dates(
    checks: _Checks,
    parser: RowParser,
    name: str,
    named: dict[str, int],
    by_column: list[tuple[Any, ...]],
    texts: dict[int, np.ndarray],
    all_text: dict[int, bool],
    kept: np.ndarray,
    rows: np.ndarray | None,
) -> np.ndarray:
    """The dates of column ``name`` (over ``rows`` of the kept rows, else all), read by ``RowParser._date``
    from the cell itself (a spreadsheet gives date cells, not text)."""
    count = len(kept) if rows is None else len(rows)
    if name not in named:
        return np.full(count, None, dtype=object)
    j = named[name]
    parse = lambda value, problem: parser._date(name, value, problem)  # noqa: E731
    if all_text[j]:  # text cells: _date reads the stripped text exactly as the cell
        return checks.per_value([texts[j][kept]], parse, rows=rows)
    cells = _objects(by_column[j])[kept]
    positions = np.arange(len(kept)) if rows is None else rows
    out = np.empty(count, dtype=object)
    for k, position in enumerate(positions.tolist()):
        found: Found = []
        out[k] = parse(cells[position], _collector(found))
        if found:
            checks.by_row.setdefault(position, []).extend(found)
    return out


def _all_good_ids(ids: np.ndarray) -> bool:
    """Whether every given id is well formed (``rows.check_id``), in one regular-expression pass over
    all of them; False sends each distinct id through ``check_id``."""
    if not len(ids):
        return True
    joined = "\n".join(ids.tolist())
    if joined.count("\n") != len(ids) - 1:  # an id holding a line break
        return False
    return rowlib._IDS_RE.fullmatch(joined) is not None


def _location(
    checks: _Checks,
    parser: RowParser,
    lat_text: np.ndarray,
    lon_text: np.ndarray,
    town: np.ndarray,
    secret: np.ndarray,
) -> list[Any]:
    """``RowParser._location`` over whole columns: the record's place fields (in ``_LOCATION_KEYS``
    order, one list each) and the problems, in the order ``_location`` reports them."""
    n = len(town)
    every = np.arange(n)
    has_lat, has_lon = lat_text != "", lon_text != ""

    def numbers(texts: np.ndarray) -> np.ndarray:
        codes, uniques = _factorize(texts)
        values = [np.nan if (v := rowlib._parse_number(t) if t else None) is None else v for t in uniques]
        return np.asarray(values, dtype=float)[codes] if len(values) else np.empty(0)

    lat, lon = numbers(lat_text), numbers(lon_text)
    lat_ok, lon_ok = ~np.isnan(lat), ~np.isnan(lon)
    checks.add(every[has_lat & ~lat_ok], lambda i: [("latitude", "bad_coordinate", {"value": lat_text[i]})])
    checks.add(every[has_lon & ~lon_ok], lambda i: [("longitude", "bad_coordinate", {"value": lon_text[i]})])
    checks.add(every[has_lat != has_lon], lambda i: [("latitude" if not has_lat[i] else "longitude", "coordinate_pair", {})])
    both = lat_ok & lon_ok
    lon_min, lat_min, lon_max, lat_max = QC_BOUNDS
    inside = both & (lon_min <= lon) & (lon <= lon_max) & (lat_min <= lat) & (lat <= lat_max)
    swapped = (lon_min <= lat) & (lat <= lon_max) & (lat_min <= lon) & (lon <= lat_max)

    def outside(i: int) -> Found:
        hint = "swapped" if swapped[i] else "plain"
        return [("latitude", f"outside_quebec_{hint}", {"lat": lat_text[i], "lon": lon_text[i]})]

    checks.add(every[both & ~inside], outside)
    exact = inside

    # The municipality, once per distinct name (and whether the row has an exact point).
    has_town = town != ""
    named_rows = every[has_town]
    places = checks.per_value(
        [town, exact],
        lambda name, pinned, problem: parser._municipality(name, problem, (0.0, 0.0) if pinned else None),
        rows=named_rows,
    )
    place = np.full(n, None, dtype=object)
    place[named_rows] = places
    checks.add(every[~has_town & ~exact & ~has_lat & ~has_lon], [("municipalite", "required_location", {})])
    found = np.fromiter((p is not None for p in place), dtype=bool, count=n)
    checks.add(every[secret & ~found & exact & ~has_town], [("municipalite", "confidential_needs_municipality", {})])

    town_name = town.copy()
    town_lat = np.full(n, None, dtype=object)
    town_lon = np.full(n, None, dtype=object)
    for i in every[found].tolist():
        town_name[i], town_lat[i], town_lon[i] = place[i].name, place[i].lat, place[i].lon
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
