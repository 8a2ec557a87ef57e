"""The coverage matrix as CSV or JSON bytes, for the command line and the coverage page.

Same conventions as :mod:`maillage_dash.export`: UTF-8 with BOM; in French ``;`` between cells and a
decimal comma (French Excel), in English ``,`` and a point; text cells that a spreadsheet would
read as a formula are neutralised. A value that cannot be computed is an empty cell (``null`` in
JSON) with its reason in the ``note`` column: never ``nan`` or ``inf``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from maillage_dash import schema
from maillage_dash.coverage import population
from maillage_dash.coverage.model import SHARE_RADIUS_KM, Coverage
from maillage_dash.export import csv_bytes
from maillage_dash.filters import describe
from maillage_dash.geo import ATTRIBUTION_EN, ATTRIBUTION_FR
from maillage_dash.i18n import t

FORMATS = ("csv", "json")
MIME = {"csv": "text/csv", "json": "application/json"}
# (key, French header, English header); numbers are written with the language's decimal mark.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("region_code", "code_region", "region_code"),
    ("region", "region", "region"),
    ("type_code", "code_type", "type_code"),
    ("type", "type", "type"),
    ("count", "nombre_services", "services"),
    ("population", "population_jeunes", "youth_population"),
    ("rate", "taux_par_10000", "rate_per_10000"),
    ("share_50km", "part_population_50km_pct", "share_population_50km_pct"),
    ("age_group", "groupe_age", "age_group"),
    ("year", "annee", "year"),
    ("status", "statut_donnees", "data_status"),
    ("note", "remarque", "note"),
)
NUMERIC = {"count", "population", "rate", "share_50km", "year"}


def note_text(code: str, lang: str) -> str:
    return t(f"coverage.note.{code}", lang)


def rows(result: Coverage, lang: str) -> list[dict[str, Any]]:
    """One dict per region × type; ``None`` where a value cannot be computed (see ``note``)."""
    out = []
    group = result.choice.group.label(lang)
    status = result.year.label(lang)
    group_note = result.choice.note(lang)  # the age filter and the population group differ
    for cell in result.records():
        share = cell.share.get(SHARE_RADIUS_KM)
        notes = [note_text(code, lang) for code in cell.notes]
        if cell.gap:
            notes.insert(0, note_text("gap", lang))
        if group_note and cell.rate is not None:
            notes.append(group_note)
        out.append(
            {
                "region_code": cell.region,
                "region": schema.REGIONS[cell.region],
                "type_code": cell.type,
                "type": schema.type_label(cell.type, lang),
                "count": cell.count,
                "population": cell.population,
                "rate": None if cell.rate is None else round(cell.rate, 4),
                "share_50km": None if share is None else round(share * 100, 1),
                "age_group": group,
                "year": result.year.year,
                "status": status,
                "note": " ".join(notes),
            }
        )
    return out


def metadata(result: Coverage, lang: str, now: datetime) -> dict[str, Any]:
    return {
        "title": t("coverage.export_title", lang),
        "generated": now.isoformat(timespec="seconds"),
        "filters": dict(describe(result.state, lang)),
        "population": {
            "group": result.choice.group.label(lang),
            "group_note": result.choice.note(lang),
            "year": result.year.year,
            "status": result.year.label(lang),
            "source": population.source_text(lang),
            "caveats": population.caveats(lang, result.year),
        },
        "definitions": [t(key, lang, radius=SHARE_RADIUS_KM) for key in DEFINITION_KEYS],
        "attribution": ATTRIBUTION_FR if lang == "fr" else ATTRIBUTION_EN,
    }


DEFINITION_KEYS = ("coverage.def_count", "coverage.def_rate", "coverage.def_share", "coverage.def_gap")


def _csv(result: Coverage, lang: str, now: datetime) -> bytes:
    header = [fr if lang == "fr" else en for _, fr, en in COLUMNS]
    records = ([rec[key] for key, _, _ in COLUMNS] for rec in rows(result, lang))
    return csv_bytes(header, records, [key in NUMERIC for key, _, _ in COLUMNS], lang)


def _json(result: Coverage, lang: str, now: datetime) -> bytes:
    document = {"metadata": metadata(result, lang, now), "rows": rows(result, lang)}
    # allow_nan=False: a NaN or an infinity anywhere is a bug, not a value to write.
    return json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")


def coverage_bytes(result: Coverage, fmt: str, lang: str, now: datetime | None = None) -> bytes:
    """The matrix as a ``csv`` or ``json`` file."""
    now = now or datetime.now()
    if fmt == "csv":
        return _csv(result, lang, now)
    if fmt == "json":
        return _json(result, lang, now)
    raise ValueError(f"unknown coverage format {fmt!r}; expected one of {', '.join(FORMATS)}")


def filename(fmt: str, lang: str, now: datetime | None = None) -> str:
    stem = "maillage-couverture" if lang == "fr" else "maillage-coverage"
    return f"{stem}-{(now or datetime.now()).date().isoformat()}.{fmt}"


__all__ = ["COLUMNS", "FORMATS", "coverage_bytes", "filename", "rows"]
