"""Text normalisation shared by search, gazetteer matching and vocabulary parsing."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

import numpy as np

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—'’`´_./,()]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mont"}


def fold(value: object) -> str:
    """Lower-case, accent-free, punctuation-collapsed form of ``value`` for comparisons.

    >>> fold("  Sainte-Anne-des-Plaines ")
    'sainte anne des plaines'
    """
    if value is None:
        return ""
    return _fold(str(value))


@lru_cache(maxsize=100_000)
def _fold(text: str) -> str:
    # Names, towns and codes repeat a lot in a large directory: each distinct value is folded once.
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", text.casefold()).strip()


def _where(points: np.ndarray, test: Callable[[str], object]) -> np.ndarray:
    """``test(chr(p))`` for every code point of ``points``, asked once per distinct code point."""
    seen = np.zeros(sys.maxunicode + 1, dtype=bool)
    seen[points] = True
    distinct = np.flatnonzero(seen)
    table = np.zeros(sys.maxunicode + 1, dtype=bool)
    table[distinct] = [bool(test(chr(c))) for c in distinct.tolist()]
    return table[points]


def fold_many(values: Iterable[object]) -> list[str]:
    """``[fold(v) for v in values]``, for many long texts at once (the search text of 100,000 services).

    The accents of all the texts are removed, and each run of separators made one space, in numpy passes
    over their code points instead of Python loops per character or per text; the result is the same as
    :func:`fold`'s.
    """
    texts = ["" if v is None else str(v) for v in values]
    if not texts:
        return []
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:  # the joining character itself: fold one by one
        return [_fold(text) for text in texts]
    joined = unicodedata.normalize("NFKD", joined)
    try:
        points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate (never in a decoded file): fold one by one
        return [_fold(text) for text in texts]
    joined = points[~_where(points, unicodedata.combining)].tobytes().decode("utf-32-le").casefold()
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    separator = _where(points, _SEPARATORS.fullmatch)
    # A run of separators becomes one space (its first character kept); a run never crosses a "\x00".
    first = separator.copy()
    first[1:] &= ~separator[:-1]
    kept = np.where(separator, np.uint32(0x20), points)[~separator | first]
    return [text.strip() for text in kept.tobytes().decode("utf-32-le").split("\x00")]


def fold_place(value: object) -> str:
    """Like :func:`fold`, and expands the abbreviations « St », « Ste » and « Mt »."""
    if isinstance(value, str):
        return _fold_place_text(value)
    return _fold_place(value)


@lru_cache(maxsize=16384)  # the same municipality names come back on row after row
def _fold_place_text(value: str) -> str:
    return _fold_place(value)


def _fold_place(value: object) -> str:
    words = fold(value).split(" ")
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words if w)


def split_multi(value: object) -> list[str]:
    """Split a multi-valued cell on ``;`` (also ``|`` and line breaks), dropping blanks."""
    if value is None:
        return []
    return list(_split_text(str(value)))


@lru_cache(maxsize=16384)  # a directory repeats the same few type, sector and region lists
def _split_text(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in _MULTI.split(text) if p.strip())


_MULTI = re.compile(r"[;|\n]")


def escape_html(text: object) -> str:
    """Plotly hover labels are HTML: data text is escaped so that it stays inert."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
