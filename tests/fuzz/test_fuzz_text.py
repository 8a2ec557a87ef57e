"""The fast batch fold used when loading large directories gives exactly what ``fold`` gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from maillage_dash.text import fold, fold_many
from tests.fuzz.strategies import FUZZ, NASTY

texts = st.one_of(st.none(), st.text(), st.sampled_from(NASTY), st.integers())


@FUZZ
@given(values=st.lists(texts, max_size=20))
def test_fold_many_equals_fold(values):
    assert fold_many(values) == [fold(v) for v in values]


def test_fold_many_examples():
    values = ["ÎLE-D'ORLÉANS", "Straße", None, "e\u0301\u0301x", "a\x00b", "\ud800"]
    assert fold_many(values) == [fold(v) for v in values]
    assert fold_many(["Saint-Jean-sur-Richelieu"]) == ["saint jean sur richelieu"]
