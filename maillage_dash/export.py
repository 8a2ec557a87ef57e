"""The directory as files: CSV, XLSX and GeoJSON bytes of a filtered table, with the filters that produced it.
One CSV writer (:func:`csv_bytes`) for every CSV Maillage writes (directory, nearby, coverage).

The dashboard and the command line both call :func:`export_bytes`, so an export from
either holds exactly the rows the same filters show.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from maillage_dash import phones, schema
from maillage_dash.config import Settings
from maillage_dash.filters import FilterState, describe
from maillage_dash.geo import ATTRIBUTION_EN, ATTRIBUTION_FR, Gazetteer
from maillage_dash.i18n import fmt_date, t

FORMATS = ("csv", "xlsx", "geojson")
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}
# OWASP CSV injection: cells beginning with these are read as formulas by spreadsheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# (template name, English key) of each exported column, in order.
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (c.name, c.en) for c in schema.TEMPLATE_COLUMNS if c.name not in ("latitude", "longitude")
) + (("region", "region"), ("latitude", "latitude"), ("longitude", "longitude"))
NUMERIC = {"age_min", "age_max", "latitude", "longitude"}


def neutralize(value: str) -> str:
    """Prefix a text cell with ``'`` when a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def headers(lang: str) -> list[str]:
    """Spreadsheet headers (CSV, XLSX): the words people read in ``lang`` (« Âge minimum », "Minimum age"),
    which the loader and the import read back (:func:`maillage_dash.schema.canonical_header`)."""
    return [schema.column_label(name, lang) for name, _ in EXPORT_COLUMNS]


def keys(lang: str) -> list[str]:
    """Property keys of the JSON files (GeoJSON, nearby JSON): the template's names, English aliases in English."""
    return [fr if lang == "fr" else en for fr, en in EXPORT_COLUMNS]


def _yes_no(flag: bool, lang: str) -> str:
    return t("common.yes", lang) if flag else t("common.no", lang)


def rows(frame: pd.DataFrame, lang: str) -> list[list[Any]]:
    """Export rows: text as ``str``, ages and coordinates as numbers (``None`` when blank)."""
    out: list[list[Any]] = []
    gazetteer = _places(Settings.from_env(os.environ).geo_dir)
    for rec in frame.itertuples(index=False):
        values = {
            "id": rec.id,
            "nom": rec.nom,
            "organisme": rec.organisme,
            "types_service": "; ".join(schema.type_label(c, lang) for c in rec.types),
            "age_min": None if pd.isna(rec.age_min) else int(rec.age_min),
            "age_max": None if pd.isna(rec.age_max) else int(rec.age_max),
            "municipalite": _municipality(rec, gazetteer),
            "regions_desservies": "; ".join(rec.regions_desservies),
            "secteurs": "; ".join(schema.sector_label(c, lang) for c in rec.secteurs),
            "partenaires": "; ".join(rec.partenaires),
            "description": rec.description,
            "description_en": rec.description_en,
            "langues": "; ".join(rec.langues),
            "adresse": rec.adresse,
            "telephones": phones.to_text(rec.telephones),
            "courriel": rec.courriel,
            "site_web": rec.site_web,
            "adresse_confidentielle": _yes_no(rec.confidentiel, lang),
            "statut": schema.term_label(schema.STATUS_LABELS, rec.statut, lang) if rec.statut else "",
            "confirme_le": rec.confirme_le.isoformat() if not pd.isna(rec.confirme_le) and rec.confirme_le else "",
            "confirme_par": schema.term_label(schema.METHOD_LABELS, rec.confirme_par, lang) if rec.confirme_par else "",
            "confirme_source": rec.confirme_source,
            "source": rec.source,
            "note_verification": rec.note_verification,
            "public_cible": "; ".join(schema.term_label(schema.AUDIENCE_LABELS, c, lang) for c in rec.public_cible),
            "region": schema.region_label(rec.region) if rec.region else "",
            # The service's own point only: a point shown at its municipality (not given, or a confidential
            # address) stays blank, as in the template, so that the file reads back as the same entry.
            "latitude": round(float(rec.lat), 6) if rec.point_exact and not pd.isna(rec.lat) else None,
            "longitude": round(float(rec.lon), 6) if rec.point_exact and not pd.isna(rec.lon) else None,
        }
        out.append([values[name] for name, _ in EXPORT_COLUMNS])
    return out


@cache
def _places(geo_dir: Path) -> Gazetteer:
    return Gazetteer.from_csv(geo_dir / "municipalites.csv")


def _municipality(rec: Any, gazetteer: Gazetteer) -> str:
    """The municipality as the template writes it: « Saint-Lambert (16) » when its name alone is that of
    places in two regions (the loader would refuse it as ambiguous), the plain name otherwise."""
    name = str(rec.municipalite or "")
    places = [p for p in gazetteer.candidates(name) if np.isfinite(p.lat)]
    if not name or len({p.region for p in places}) < 2 or pd.isna(rec.lat):
        return name
    nearest = min(places, key=lambda p: (p.lat - float(rec.lat)) ** 2 + (p.lon - float(rec.lon)) ** 2)
    return f"{name} ({nearest.region})"


def csv_bytes(header: Sequence[str], records: Iterable[Sequence[Any]], numeric: Sequence[bool], lang: str) -> bytes:
    """A CSV file that opens right in Excel in ``lang``: UTF-8 with BOM; in French ";" between cells
    and a decimal comma (English: "," and "."); numbers stay numbers, text cells are neutralised
    (formula injection); an empty cell for ``None``. ``numeric[i]`` says whether column ``i`` is a number.
    Used by every CSV export (directory, nearby services, coverage matrix)."""
    delimiter, decimal = (";", ",") if lang == "fr" else (",", ".")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(list(header))
    for row in records:
        writer.writerow(
            [
                "" if value is None else str(value).replace(".", decimal) if is_number else neutralize(str(value))
                for value, is_number in zip(row, numeric)
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def numeric_columns() -> list[bool]:
    return [name in NUMERIC for name, _ in EXPORT_COLUMNS]


def _csv(frame: pd.DataFrame, lang: str) -> bytes:
    return csv_bytes(headers(lang), rows(frame, lang), numeric_columns(), lang)


def _xlsx(frame: pd.DataFrame, lang: str, state: FilterState, now: datetime) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = t("export.sheet_services", lang)
    sheet.append(headers(lang))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(frame, lang):
        sheet.append(
            [v if v is None or isinstance(v, (int, float)) else neutralize(ILLEGAL_CHARACTERS_RE.sub("", v)) for v in row]
        )
    sheet.freeze_panes = "A2"
    for index, (name, _) in enumerate(EXPORT_COLUMNS, start=1):
        width = 60 if name in ("description", "description_en", "source") else 22
        sheet.column_dimensions[get_column_letter(index)].width = width

    info = book.create_sheet(t("export.sheet_filters", lang))
    info.append([t("export.title", lang)])
    info["A1"].font = Font(bold=True, size=14)
    info.append([t("export.date", lang), fmt_date(now.date(), lang)])
    info.append([t("export.count", lang), len(frame)])
    for label, value in describe(state, lang):
        info.append([label, neutralize(value)])
    info.append([t("export.attribution", lang), ATTRIBUTION_FR if lang == "fr" else ATTRIBUTION_EN])
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _geojson(frame: pd.DataFrame, lang: str, state: FilterState, now: datetime) -> bytes:
    names = keys(lang)
    features = []
    for row, lat, lon in zip(rows(frame, lang), frame["lat"], frame["lon"]):
        props = dict(zip(names, row))
        props.pop(names[-1]), props.pop(names[-2])
        # Where the map shows the service (its municipality when the address is confidential or not given).
        geometry = None if pd.isna(lat) or pd.isna(lon) else {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    collection = {
        "type": "FeatureCollection",
        "features": features,
        "maillage": {
            "generated": now.isoformat(timespec="seconds"),
            "filters": dict(describe(state, lang)),
            "count": len(features),
            "attribution": ATTRIBUTION_FR if lang == "fr" else ATTRIBUTION_EN,
        },
    }
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")


def export_bytes(frame: pd.DataFrame, fmt: str, lang: str, state: FilterState, now: datetime | None = None) -> bytes:
    """The filtered ``frame`` as a file in ``fmt`` (csv, xlsx or geojson)."""
    now = now or datetime.now()
    if fmt == "csv":
        return _csv(frame, lang)
    if fmt == "xlsx":
        return _xlsx(frame, lang, state, now)
    if fmt == "geojson":
        return _geojson(frame, lang, state, now)
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")


def filename(fmt: str, lang: str, today: date | None = None) -> str:
    today = today or date.today()
    stem = "maillage-services" if lang == "en" else "maillage-repertoire"
    return f"{stem}-{today.isoformat()}.{fmt}"


__all__: Sequence[str] = ("FORMATS", "MIME", "export_bytes", "filename", "neutralize")
