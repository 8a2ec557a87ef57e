"""The directory as files: CSV, XLSX and GeoJSON bytes of a filtered table, with the filters that produced it.
One CSV writer (:func:`csv_bytes`) for every CSV Maillage writes (directory, nearby, coverage).

The dashboard and the command line both call :func:`export_bytes`, so an export from
either holds exactly the rows the same filters show.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd

from maillage_dash import phones, schema
from maillage_dash.filters import FilterState, describe
from maillage_dash.geo import ATTRIBUTION_EN, ATTRIBUTION_FR
from maillage_dash.i18n import fmt_date, t

FORMATS = ("csv", "xlsx", "geojson")
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}
# OWASP CSV injection: cells beginning with these are read as formulas by spreadsheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# (template name, English header) of each exported column, in order.
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (c.name, c.en) for c in schema.TEMPLATE_COLUMNS if c.name not in ("latitude", "longitude")
) + (("region", "region"), ("latitude", "latitude"), ("longitude", "longitude"))
NUMERIC = {"age_min", "age_max", "latitude", "longitude"}


def neutralize(value: str) -> str:
    """Prefix a text cell with ``'`` when a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def headers(lang: str) -> list[str]:
    return [fr if lang == "fr" else en for fr, en in EXPORT_COLUMNS]


def _yes_no(flag: bool, lang: str) -> str:
    return t("common.yes", lang) if flag else t("common.no", lang)


def rows(frame: pd.DataFrame, lang: str) -> list[list[Any]]:
    """Export rows: text as ``str``, ages and coordinates as numbers (``None`` when blank)."""
    out: list[list[Any]] = []
    for rec in frame.itertuples(index=False):
        values = {
            "id": rec.id,
            "nom": rec.nom,
            "organisme": rec.organisme,
            "types_service": "; ".join(schema.type_label(c, lang) for c in rec.types),
            "age_min": None if pd.isna(rec.age_min) else int(rec.age_min),
            "age_max": None if pd.isna(rec.age_max) else int(rec.age_max),
            "municipalite": rec.municipalite,
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
            "statut": rec.statut,
            "confirme_le": rec.confirme_le.isoformat() if not pd.isna(rec.confirme_le) and rec.confirme_le else "",
            "confirme_par": rec.confirme_par,
            "confirme_source": rec.confirme_source,
            "source": rec.source,
            "note_verification": rec.note_verification,
            "public_cible": "; ".join(rec.public_cible),
            "region": schema.region_label(rec.region) if rec.region else "",
            "latitude": None if pd.isna(rec.lat) else round(float(rec.lat), 6),
            "longitude": None if pd.isna(rec.lon) else round(float(rec.lon), 6),
        }
        out.append([values[name] for name, _ in EXPORT_COLUMNS])
    return out


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
    keys = headers(lang)
    features = []
    for row in rows(frame, lang):
        props = dict(zip(keys, row))
        lon, lat = props.pop(keys[-1]), props.pop(keys[-2])
        geometry = None if lat is None or lon is None else {"type": "Point", "coordinates": [lon, lat]}
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
