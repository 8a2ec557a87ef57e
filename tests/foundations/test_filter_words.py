"""Issue 15, the words searched for (``filters.WordMatches``): the rows holding each word, found once
over every row and kept per word, filter exactly as ``in`` on the rows still kept, word after word
(``filters.text_mask_by_rows``, the way before), alone and with every other filter, in both masks."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest

from maillage_dash import filters
from maillage_dash.filters import FilterState

TEXTS = ["jeunes", "rue", "Montréal", "MONTREAL", "saint jean", "hébergement jeunes", "zzz-nulle-part", "a", "é", "  ", "l'", "-"]
STATES = [
    FilterState(),
    FilterState(regions=("06", "16"), types=("prevention",)),
    FilterState(age=(12, 17)),
    FilterState(age=(18, 35), audience=("filles_femmes",)),
    FilterState(sectors=("communautaire",), ended=True),
]


def _plain_masks(directory, state: FilterState) -> tuple[np.ndarray, np.ndarray]:
    """``filters.masks`` with the words applied the way before."""
    frame = directory.services
    bare = replace(state, text="")
    strict = filters.text_mask_by_rows(frame, filters._mask(directory, bare, unknown_ok=False), state.text)
    if state.age is None and not state.audience:
        return strict, np.zeros(len(frame), dtype=bool)
    loose = filters.text_mask_by_rows(frame, filters._mask(directory, bare, unknown_ok=True), state.text)
    return strict, loose & ~strict


@pytest.mark.parametrize("kept", [filters.WORDS_KEPT, 1])
def test_word_matches_filter_as_in_on_the_kept_rows(shipped, kept, monkeypatch):
    """Kept words or a memory of one word (every other word found again): the same masks."""
    monkeypatch.setattr(filters, "WORDS_KEPT", kept)
    filters._word_matches.cache_clear()
    for state, text in itertools.product(STATES, TEXTS):
        asked = replace(state, text=text)
        for _ in range(2):  # the second time from memory
            strict, apart = filters.masks(shipped, asked)
            expected_strict, expected_apart = _plain_masks(shipped, asked)
            assert np.array_equal(strict, expected_strict), (state, text)
            assert np.array_equal(apart, expected_apart), (state, text)
            assert np.array_equal(filters.mask(shipped, asked), expected_strict)
    filters._word_matches.cache_clear()


def test_kept_rows_are_read_only_and_not_changed_by_filtering(shipped):
    words = filters._word_matches(shipped.services)
    found = words.rows_with("jeunes")
    before = found.copy()
    with pytest.raises(ValueError):
        found[0] = not found[0]
    filters.mask(shipped, FilterState(regions=("06",), text="jeunes"))
    assert np.array_equal(words.rows_with("jeunes"), before)
    assert words.rows_with("jeunes") is found


def test_at_most_words_kept():
    words = filters.WordMatches(np.array(["abc", "bcd", "cde"], dtype=object), kept=2)
    assert words.rows_with("b").tolist() == [True, True, False]
    assert words.rows_with("c").tolist() == [True, True, True]
    assert words.rows_with("d").tolist() == [False, True, True]
    assert list(words._rows) == ["c", "d"]
    assert words.rows_with("zz").tolist() == [False, False, False]
