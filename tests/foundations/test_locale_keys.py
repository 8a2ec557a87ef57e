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
