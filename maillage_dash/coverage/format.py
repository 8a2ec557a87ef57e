"""Coverage values as text, per language: "—" for what cannot be computed, never ``nan``/``inf``.

Shared by the coverage page, the region profile and its HTML export, so that a number reads the
same on screen, on paper and in the file taken to a meeting.
"""

from __future__ import annotations

import math
from functools import lru_cache

from babel.numbers import format_percent

from maillage_dash.i18n import fmt_int, fmt_num, norm_lang, t

DASH = "—"
_LOCALES = {"fr": "fr_CA", "en": "en_CA"}


def _ok(value: float | None) -> bool:
    return value is not None and math.isfinite(float(value))


def rate(value: float | None, lang: str) -> str:
    """Services per 10,000: two decimals (« 0,36 »); "—" when unknown."""
    return fmt_num(float(value), lang, 2) if _ok(value) else DASH  # type: ignore[arg-type]


def share(value: float | None, lang: str) -> str:
    """A 0–1 share as a whole percentage (« 87 % », "87%"); "—" when unknown."""
    if not _ok(value):
        return DASH
    number = float(value)  # type: ignore[arg-type]
    return _percent(number, repr(number), norm_lang(lang))


@lru_cache(maxsize=4096)  # the matrix writes each share in its cell and in its hover
def _percent(number: float, _written: str, lang: str) -> str:
    """Babel's percentage of ``number`` (``_written``, its ``repr``, tells -0.0 from 0.0)."""
    return format_percent(number, locale=_LOCALES[lang])


def count(value: int | float | None, lang: str) -> str:
    return fmt_int(value, lang) if _ok(value) else DASH  # type: ignore[arg-type]


def km(value: float | None, lang: str) -> str:
    """A distance in whole kilometres (« 1 774 km »); "—" when there is no such service at all."""
    if not _ok(value):
        return DASH
    return t("coverage.km", lang, km=fmt_int(round(float(value)), lang))  # type: ignore[arg-type]


def note(code: str, lang: str) -> str:
    """Why a value is "—" (or why a zero is a gap), in words."""
    return t(f"coverage.note.{code}", lang)


__all__ = ["DASH", "count", "km", "note", "rate", "share"]
