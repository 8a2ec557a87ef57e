"""The nearest services as a file (CSV or JSON): the directory export's columns, distance first."""

from __future__ import annotations

import json

import pandas as pd

from maillage_dash.export import csv_bytes, headers, keys, numeric_columns, rows
from maillage_dash.i18n import t


def nearby_bytes(frame: pd.DataFrame, fmt: str, lang: str, place: str, approximate: bool) -> bytes:
    """The nearest services (``frame`` has ``distance_km``) as CSV or JSON, nearest first.

    The distance column comes first, in km with one decimal; the other columns are those of
    :func:`export_bytes`, so a spreadsheet user finds the same headers (readable words in the CSV,
    the template's names as JSON keys).
    """
    dist_header = "distance_km"
    data = rows(frame, lang)
    distances = [round(float(d), 1) for d in frame["distance_km"]]
    if fmt == "json":
        payload = {
            "lieu" if lang == "fr" else "place": place,
            "distance_approximative" if lang == "fr" else "approximate_distance": approximate,
            "services": [{dist_header: d, **dict(zip(keys(lang), row))} for d, row in zip(distances, data)],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
    records = ([f"{d:.1f}", *row] for d, row in zip(distances, data))
    return csv_bytes([f"{t('sheet.distance', lang)} (km)", *headers(lang)], records, [True, *numeric_columns()], lang)
