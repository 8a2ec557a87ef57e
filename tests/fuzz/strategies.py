"""Hypothesis strategies for hostile input: wrong types, unknown codes, huge lists, odd unicode, markup.

Generated data for tests only; nothing here ships."""

from __future__ import annotations

import os
from urllib.parse import quote

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from maillage_dash import schema

# Bounded: the whole fuzz suite runs in well under a minute. MAILLAGE_FUZZ_EXAMPLES=500 for a deeper run.
EXAMPLES = int(os.environ.get("MAILLAGE_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)

NASTY = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    '"><svg onload=alert(1)>',
    "{{7*7}}",
    "${jndi:ldap://x}",
    "\u202eabc",  # right-to-left override
    "e\u0301\u0301\u0301",  # stacked combining accents
    "\x00\x01\x7f",
    "\ud7ff\ufeff\uffff",
    "🏳️‍🌈👩🏽‍⚕️",
    "Montréal",
    "ÎLE-D'ORLÉANS",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "-1",
    "99999999999999999999",
    "12-17",
    "17-12",
    "-5-200",
    "0x10",
    "%",
    "%00",
    "%E9",
    "&&&",
    "==",
    "?region=06&region=06",
    "../../../etc/passwd",
    "a" * 5000,
    " ",
    "",
]
CODES = [
    *schema.REGION_CODES,
    *(t.code for t in schema.SERVICE_TYPES),
    *(s.code for s in schema.SECTORS),
    "99",
    "00",
    "1",
    "fr",
    "en",
]

text = st.one_of(st.sampled_from(NASTY), st.text(max_size=60), st.sampled_from(CODES))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    text,
)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(text, inner, max_size=4)),
    max_leaves=12,
)


@st.composite
def huge_lists(draw) -> list:
    """A long list (up to 5,000 items) of one repeated value: cheap to generate, heavy to process."""
    item = draw(st.one_of(st.sampled_from(CODES), scalars))
    return [item] * draw(st.integers(min_value=100, max_value=5000))


values = st.one_of(junk, huge_lists(), st.lists(st.sampled_from(CODES), max_size=30))
ages = st.one_of(
    st.lists(st.one_of(st.integers(min_value=-(10**12), max_value=10**12), st.floats(), text), max_size=4),
    st.tuples(st.integers(-1000, 1000), st.integers(-1000, 1000)).map(list),
    junk,
)
KEYS = ["lang", "region", "age", "type", "secteur", "q", "service", "annee", "lieu", "rayon", "code", "page", "sort", ""]


@st.composite
def queries(draw) -> str:
    """A URL query string: known keys with hostile values, repeated keys, raw and percent-encoded."""
    if draw(st.booleans()):
        return draw(st.one_of(text, st.just(""), st.just("?"), st.just("?&&=&=")))
    pairs = draw(st.lists(st.tuples(st.sampled_from(KEYS) | text, text), max_size=8))
    encode = draw(st.booleans())
    body = "&".join(f"{quote(k) if encode else k}={quote(v) if encode else v}" for k, v in pairs)
    return ("?" if draw(st.booleans()) else "") + body


@st.composite
def pathnames(draw, known: list[str]) -> str | None:
    """A path of a registered page, with extra hostile segments, or garbage."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.one_of(st.none(), text))
    base = draw(st.sampled_from(known))
    extra = draw(st.lists(st.one_of(st.sampled_from(CODES), text), max_size=3))
    return "/" + "/".join([p for p in [base, *(quote(e, safe="") for e in extra)] if p])


@st.composite
def stores(draw) -> object:
    """What the shared filter store may hold, from a well-formed one to garbage."""
    if draw(st.integers(0, 3)) == 0:
        return draw(junk)
    store = {"query": draw(queries()), "lang": draw(st.sampled_from(["fr", "en", "de", None, 5]))}
    for key in ("service", "title", "fresh"):
        if draw(st.booleans()):
            store[key] = draw(junk)
    return store


@st.composite
def grid_requests(draw) -> object:
    if draw(st.integers(0, 3)) == 0:
        return draw(junk)
    big = st.one_of(st.integers(-(10**15), 10**15), st.floats(), text, st.none())
    request: dict = {"startRow": draw(big), "endRow": draw(big)}
    if draw(st.booleans()):
        request["sortModel"] = draw(
            st.one_of(junk, st.lists(st.fixed_dictionaries({"colId": text, "sort": st.sampled_from(["asc", "desc", "x", None])})))
        )
    return request
