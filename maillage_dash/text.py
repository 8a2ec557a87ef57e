"""Text normalisation shared by search, gazetteer matching and vocabulary parsing."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—'’`´_./,()]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mont"}


def fold(value: object) -> str:
    """Lower-case, accent-free, punctuation-collapsed form of ``value`` for comparisons.

    >>> fold("  Sainte-Anne-des-Plaines ")
    'sainte anne des plaines'
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold()
    return _SEPARATORS.sub(" ", text).strip()


def fold_place(value: object) -> str:
    """Like :func:`fold`, and expands the abbreviations « St », « Ste » and « Mt »."""
    words = fold(value).split(" ")
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words if w)


def split_multi(value: object) -> list[str]:
    """Split a multi-valued cell on ``;`` (also ``|`` and line breaks), dropping blanks."""
    if value is None:
        return []
    parts = re.split(r"[;|\n]", str(value))
    return [p.strip() for p in parts if p.strip()]
