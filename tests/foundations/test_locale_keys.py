"""Every message key written literally in the code exists in both languages (a renamed or mistyped key
would show the bare key to a user)."""

from __future__ import annotations

import ast
from pathlib import Path

from maillage_dash.i18n import catalogue

PACKAGE = Path(__file__).resolve().parents[2] / "maillage_dash"
KEY_ARGS = {"title_key", "nav_key", "help_key", "label_key"}


def literal_keys() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name == "t" and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.add((str(path.relative_to(PACKAGE)), node.args[0].value))
            for kw in node.keywords:
                if kw.arg in KEY_ARGS and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    found.add((str(path.relative_to(PACKAGE)), kw.value.value))
    return found


def test_every_literal_key_is_in_both_languages():
    keys = literal_keys()
    assert len(keys) > 300  # the scan finds the code's messages
    fr, en = catalogue("fr"), catalogue("en")
    missing = sorted((where, key) for where, key in keys if key not in fr or key not in en)
    assert missing == [], missing


def test_plural_forms_follow_each_languages_rule():
    """« 0 service », « 1 service », « 2 services » in French; "0 services", "1 service" in English."""
    from maillage_dash.i18n import t

    said = {(lang, n): t("print.count", lang, plural=n, n=n) for lang in ("fr", "en") for n in (0, 1, 2)}
    assert said == {
        ("fr", 0): "0 service.",
        ("fr", 1): "1 service.",
        ("fr", 2): "2 services.",
        ("en", 0): "0 services.",
        ("en", 1): "1 service.",
        ("en", 2): "2 services.",
    }
    assert t("print.count", "fr", n=3) == "3 services."  # no number given: the general form


def test_the_filter_summary_agrees_in_gender_and_says_one_age_once():
    from maillage_dash.filters import FilterState, describe

    fr = dict(describe(FilterState(), "fr"))
    assert (fr["Régions"], fr["Âge"], fr["Types de service"], fr["Secteurs"]) == ("toutes", "tous", "tous", "tous")
    assert dict(describe(FilterState(age=(15, 15)), "fr"))["Âge"] == "15 ans"
    assert dict(describe(FilterState(age=(12, 17)), "en"))["Age"] == "12 to 17 years"
