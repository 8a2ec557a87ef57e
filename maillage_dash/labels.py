"""How a service's facts are written for people, in French and English: its ages, who it serves,
its status and its newest confirmation. One wording for cards, tables, exports and the command line."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from maillage_dash import schema
from maillage_dash.i18n import fmt_date, t

STALE_AFTER_DAYS = 365  # a confirmation older than this is flagged


def ages_text(age_min: Any, age_max: Any, lang: str) -> str:
    """« 12 à 17 ans », « 14 ans et plus », « tous âges » (only when a source says so: ``0`` and
    blank), or « âge non précisé » — never "all ages" for ages nobody stated."""
    low = None if pd.isna(age_min) else int(age_min)
    high = None if pd.isna(age_max) else int(age_max)
    if low is None and high is None:
        return t("ages.unknown", lang)
    if low in (None, schema.AGE_LOWEST) and high is None:
        return t("ages.all", lang)
    if low is None or low == schema.AGE_LOWEST:
        return t("ages.upto", lang, high=high)
    if high is None:
        return t("ages.from", lang, low=low)
    return t("ages.range", lang, low=low, high=high)


def audience_text(codes: Any, lang: str) -> str:
    """Who the service says it serves, or « public non précisé »."""
    if not codes:
        return t("audience.unknown", lang)
    return ", ".join(schema.term_label(schema.AUDIENCE_LABELS, c, lang) for c in codes)


def status_text(code: str, lang: str) -> str:
    return schema.term_label(schema.STATUS_LABELS, code, lang)


def is_stale(confirmed: date | None, today: date) -> bool:
    """No dated confirmation, or one older than :data:`STALE_AFTER_DAYS`."""
    return confirmed is None or pd.isna(confirmed) or (today - confirmed).days > STALE_AFTER_DAYS


def confirmation_text(confirmed: date | None, method: str, lang: str) -> str:
    """« Confirmé le 4 mars 2026 par un article de presse » / « Date de confirmation inconnue »."""
    how = schema.term_label(schema.METHOD_LABELS, method, lang) if method else ""
    if confirmed is None or pd.isna(confirmed):
        return t("confirmed.unknown_date_how", lang, how=how) if how else t("confirmed.unknown", lang)
    when = fmt_date(confirmed, lang)
    return t("confirmed.on_by", lang, date=when, how=how) if how else t("confirmed.on", lang, date=when)
