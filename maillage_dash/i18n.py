"""Translations (``locales/*.json``) and locale-aware number and date formatting (Babel)."""

from __future__ import annotations

import json
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
_LOCALES = {"fr": "fr_CA", "en": "en_CA"}
_DIR = Path(__file__).with_name("locales")


def norm_lang(lang: object) -> str:
    """``fr`` or ``en``; anything else falls back to French."""
    return lang if lang in LANGS else DEFAULT_LANG  # type: ignore[return-value]


@cache
def catalogue(lang: str) -> dict[str, str | dict[str, str]]:
    """All messages of one language: ``<lang>.json`` merged with every ``<namespace>.<lang>.json``.

    Each feature keeps its messages in its own namespace file; a key defined twice is an error.
    """
    messages: dict[str, str | dict[str, str]] = {}
    for path in [_DIR / f"{lang}.json", *sorted(_DIR.glob(f"*.{lang}.json"))]:
        with path.open(encoding="utf-8") as fh:
            part = json.load(fh)
        clash = sorted(set(part) & set(messages))
        if clash:
            raise ValueError(f"{path.name}: message key(s) already defined elsewhere: {', '.join(clash)}")
        messages.update(part)
    return messages


def t(key: str, lang: str = DEFAULT_LANG, /, plural: float | None = None, **params: object) -> str:
    """Message ``key`` in ``lang`` (French when missing there), with ``{params}`` filled in.

    A message may be plural forms, ``{"one": "{n} service", "other": "{n} services"}``: ``plural`` (the
    number itself; ``{n}`` is usually given formatted) picks the form by the language's CLDR rule
    (French says « 0 service », « 1 service », « 2 services »; English "0 services")."""
    lang = norm_lang(lang)
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANG).get(key) or key
    if isinstance(text, dict):
        text = text.get(_plural_form(lang, plural)) or text["other"]
    return text.format(**params) if params else text


def count_text(key: str, n: int | float, lang: str) -> str:
    """``n`` with the locale's grouping in the plural form of message ``key`` that fits it (« 0 erreur »,
    « 2 erreurs », "0 errors"): the counted fragments a sentence with several counts is made of."""
    return t(key, lang, plural=n, n=fmt_int(n, lang))


@lru_cache(maxsize=4096)
def _plural_form(lang: str, count: float | None) -> str:
    return "other" if count is None else Locale.parse(_LOCALES[lang]).plural_form(abs(count))


@lru_cache(maxsize=8192)  # Babel's formatting costs ~0.1 ms; maps and tables format the same counts again and again
def fmt_int(n: int | float, lang: str) -> str:
    """Whole number with the locale's grouping (« 1 234 » in French, "1,234" in English)."""
    return format_decimal(int(n), locale=_LOCALES[norm_lang(lang)])


def fmt_num(x: float, lang: str, digits: int = 1) -> str:
    """Decimal number with the locale's separators (« 12,5 » in French)."""
    try:  # remembered per value as written (``repr``: -0.0 is « -0,0 », 0.0 « 0,0 », yet they are equal keys)
        return _fmt_num(x, repr(x), norm_lang(lang), digits)
    except TypeError:  # a value that cannot be a key: Babel says what it says of it
        return _format_num(x, lang, digits)


@lru_cache(maxsize=8192, typed=True)  # a coverage matrix writes each of its rates twice (cell and hover)
def _fmt_num(x: float, _written: str, lang: str, digits: int) -> str:
    return _format_num(x, lang, digits)


def _format_num(x: float, lang: str, digits: int) -> str:
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(x, format=pattern, locale=_LOCALES[norm_lang(lang)])


def fmt_date(d: date | None, lang: str, fmt: str = "long") -> str:
    """Date in words (« 23 novembre 2026 », "November 23, 2026"); "—" when unknown."""
    if d is None:
        return "—"
    return format_date(d, format=fmt, locale=_LOCALES[norm_lang(lang)])
