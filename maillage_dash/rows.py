"""One row of a template file → a clean record, with every problem found in it (file, row, column).

The fields that tell a worker whether to trust a row — ages, who is served, status, the newest
confirmation, the ways to reach the service — have their meaning written in ``docs/CHAMPS.md``.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import Any

import numpy as np

from maillage_dash import phones, schema
from maillage_dash.geo import Geography, in_quebec_box
from maillage_dash.text import fold, split_multi
from maillage_dash.validation import Problem, severity_of

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")
_IDS_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}(?:\n[A-Za-z0-9][A-Za-z0-9_.\-]{0,79})*")  # many, one a line
_TRUE = {"oui", "o", "yes", "y", "vrai", "true", "1", "x"}
_FALSE = {"non", "n", "no", "faux", "false", "0", ""}


# How a research note says the town is not the organisation's attested office (docs/CHAMPS.md,
# ``note_verification``): the card, the nearby list, the referral sheet and the audit all read it.
TOWN_DOUBT = re.compile(
    r"siège (non|pas)|municipalité (non|retenue|déduite)|ville (non|déduite)|déduit|point de service|"
    r"n'est pas nécessairement le siège|town (is )?(not|inferred|uncertain)",
    re.I,
)


def town_in_doubt(note: Any) -> bool:
    """Whether a row's research note says its town is not an attested office (it may be where the
    service meets people, or the dateline of an article): shown beside the town, counted by the audit."""
    return bool(TOWN_DOUBT.search(_text(note)))


def is_yes(value: Any) -> bool:
    """A yes/no cell (« oui », "yes", "x", …) read as the loader reads ``adresse_confidentielle``."""
    return fold(_text(value)) in _TRUE


_REGION_HINT = re.compile(r"^(?P<name>.*?)\s*\((?P<hint>[^()]*)\)\s*$")
# The accepted values, named in the message about an unknown one.
_KNOWN = {
    "types_service": ", ".join(t.code for t in schema.SERVICE_TYPES),
    "secteurs": ", ".join(t.code for t in schema.SECTORS),
    "public_cible": ", ".join(a.code for a in schema.AUDIENCES),
}
_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[a-z]{2,}$", re.I)


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


# --------------------------------------------------------------------------- one cell at a time
# Each reads the text of a cell (or two), reports through ``problem(column, code, **params)`` and returns
# the clean value. The row parser calls them once per row; the column-wise validation
# (:mod:`maillage_dash.bulk`) once per distinct value of a column.


def read_confidential(raw: str, problem: Any) -> bool:
    """``adresse_confidentielle``: yes / no (blank = no)."""
    folded = fold(raw)
    if folded in _TRUE:
        return True
    if folded not in _FALSE:
        problem("adresse_confidentielle", "bad_bool", value=raw)
    return False


def read_website(website: str, problem: Any) -> str:
    """``site_web``: an http(s) address; « www.… » gets ``https://``; anything else is reported and dropped."""
    if website and not re.match(r"^https?://", website, re.I):
        if re.match(r"^www\.", website, re.I):
            return "https://" + website
        problem("site_web", "bad_url", value=website)
        return ""
    return website


def read_status(raw: str, problem: Any) -> str:
    """``statut``: blank or unknown = to be confirmed (unknown reported)."""
    status = schema.parse_status(raw) if raw else "a_confirmer"
    if status is None:
        problem("statut", "unknown_status", value=raw, known=", ".join(s.code for s in schema.STATUSES))
        status = "a_confirmer"
    return status


def read_method(raw: str, problem: Any) -> str:
    """``confirme_par``: how the newest confirmation was obtained ("" when blank or unknown)."""
    method = schema.parse_method(raw) if raw else ""
    if method is None:
        problem("confirme_par", "unknown_method", value=raw, known=", ".join(m.code for m in schema.CONFIRMATION_METHODS))
        method = ""
    return method


def read_source(source: str, problem: Any) -> str:
    """``confirme_source``: an http(s) address or nothing."""
    if source and not re.match(r"^https?://", source, re.I):
        problem("confirme_source", "bad_url", value=source)
        return ""
    return source


def check_sourced(method: str, source: str, problem: Any) -> None:
    """A confirmation read in a document (site, report, article…) says where: ``confirme_source``."""
    if method in schema.SOURCED_METHODS and not source:
        problem("confirme_source", "source_needed")


def read_phones(telephones: str, telephone: str, problem: Any) -> tuple[phones.Phone, ...]:
    """``telephones``, else the older ``telephone`` column (bare numbers, taken as reception lines)."""
    lines: tuple[phones.Phone, ...] = ()
    if telephones:
        lines, found = phones.parse_phones(telephones)
        for code, params in found:
            problem("telephones", code, **params)
    elif telephone:
        lines, found = phones.parse_phones(telephone, default_kind="accueil")
        for code, params in found:
            problem("telephone", code, **params)
    return lines


def read_email(email: str, problem: Any) -> str:
    """``courriel``: one plausible address or nothing."""
    if email and not _EMAIL.match(email):
        problem("courriel", "bad_email", value=email)
        return ""
    return email


def check_id(given_id: str, problem: Any) -> None:
    """A given ``id``: letters, digits, ``_ . -``, at most 80 characters."""
    if not _ID_RE.match(given_id):
        problem("id", "bad_id", value=given_id)


def default_id(organisme: str, nom: str, municipalite: str) -> str:
    """The id of a row that gives none: its name's slug and a digest of organisation, name and town."""
    digest = hashlib.sha1("|".join((organisme, nom, municipalite)).encode()).hexdigest()[:6]
    return f"{slug(nom)}-{digest}"


class RowParser:
    """Turns one row of cells into a clean record, collecting every problem it finds."""

    def __init__(self, geography: Geography, today: date):
        self.geo = geography
        self.today = today

    def parse(self, file: str, row: int, cells: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
        problems: list[Problem] = []

        def problem(column: str | None, code: str, **params: object) -> None:
            problems.append(Problem(file, row, column, code, params, severity=severity_of(code)))

        get = lambda name: _text(cells.get(name, ""))  # noqa: E731
        record: dict[str, Any] = {"fichier": file, "ligne": row}

        for name in ("nom", "organisme", "types_service"):
            if not get(name):
                problem(name, "required_value")
        record["nom"] = get("nom")
        record["organisme"] = get("organisme")

        record["types"] = self._codes(get("types_service"), "types_service", schema.parse_type, "unknown_type", problem)
        record["secteurs"] = self._codes(get("secteurs"), "secteurs", schema.parse_sector, "unknown_sector", problem)
        record["age_min"], record["age_max"] = self._ages(get, problem)
        record["regions_desservies"] = self._codes(
            get("regions_desservies"), "regions_desservies", schema.parse_region, "bad_region", problem
        )
        record["confidentiel"] = read_confidential(get("adresse_confidentielle"), problem)

        self._location(get, record, problem)

        self._trust(get, cells, record, problem)

        record["site_web"] = read_website(get("site_web"), problem)

        for name in ("description", "description_en", "source", "note_verification"):
            record[name] = get(name)
        self._reachability(record, problem)
        record["partenaires"] = tuple(split_multi(get("partenaires")))
        record["langues"] = tuple(fold(v).replace(" ", "_") for v in split_multi(get("langues")))
        # The exact address of a confidential service is never kept: not in memory, not shown.
        record["adresse"] = "" if record["confidentiel"] else get("adresse")

        given_id = get("id")
        if given_id:
            check_id(given_id, problem)
            record["id"] = given_id
        else:
            record["id"] = default_id(record["organisme"], record["nom"], get("municipalite"))
        return record, problems

    @staticmethod
    def _codes(text: str, column: str, parse: Any, unknown: str, problem: Any) -> tuple[str, ...]:
        """The codes of a multi-valued cell (types, sectors, regions, people served), each unknown value reported."""
        out: list[str] = []
        for value in split_multi(text):
            code = parse(value)
            if code is None:
                problem(column, unknown, value=value, known=_KNOWN.get(column, ""))
            elif code not in out:
                out.append(code)
        return tuple(out)

    @staticmethod
    def _ages(get: Any, problem: Any) -> tuple[float | None, float | None]:
        """Stated ages (whole years within the bounds, minimum not above maximum); blank stays None."""
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
        low, high = ages["age_min"], ages["age_max"]
        if low is not None and high is not None and low > high:
            problem("age_min", "age_order", low=int(low), high=int(high))
        return low, high

    def _date(self, column: str, value: Any, problem) -> date | None:  # type: ignore[no-untyped-def]
        if not _text(value):
            return None
        parsed = _parse_date(value)
        if parsed is None:
            problem(column, "bad_date", value=_text(value))
        elif parsed > self.today:
            problem(column, "future_date", value=parsed.isoformat())
        else:
            return parsed
        return None

    def _trust(self, get, cells: dict[str, Any], record: dict[str, Any], problem) -> None:  # type: ignore[no-untyped-def]
        """Who is served, status, newest confirmation, phones and email."""
        record["public_cible"] = self._codes(
            get("public_cible"), "public_cible", schema.parse_audience, "unknown_audience", problem
        )
        record["statut"] = read_status(get("statut"), problem)

        confirmed = self._date("confirme_le", cells.get("confirme_le", ""), problem)
        if confirmed is None and "derniere_verification" in cells:  # older files
            confirmed = self._date("derniere_verification", cells.get("derniere_verification", ""), problem)
        record["confirme_le"] = confirmed
        record["confirme_par"] = read_method(get("confirme_par"), problem)
        record["confirme_source"] = read_source(get("confirme_source"), problem)
        check_sourced(record["confirme_par"], get("confirme_source"), problem)  # (a bad address is said once)
        record["telephones"] = read_phones(get("telephones"), get("telephone"), problem)
        record["courriel"] = read_email(get("courriel"), problem)

    def _reachability(self, record: dict[str, Any], problem) -> None:  # type: ignore[no-untyped-def]
        """An active entry can be reached: a phone, a website or a public email."""
        if record["statut"] == "actif" and not (record["telephones"] or record["site_web"] or record["courriel"]):
            problem("statut", "active_unreachable")

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
