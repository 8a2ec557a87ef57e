"""A short bounded load test (20 simulated users for 10 s against gunicorn on loopback): zero errors.

Timings are reported, never asserted (they belong to docs/PERFORMANCE.md, measured by bench/load.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.load
def test_twenty_users_for_ten_seconds_get_no_error(tmp_path):
    out = tmp_path / "load.json"
    run = subprocess.run(
        [sys.executable, "-m", "bench.load", "--users", "20", "--duration", "10", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    print(run.stdout[-4000:], run.stderr[-2000:])
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["failures"] == 0, result["errors"]
    assert result["exceptions"] == [], result["exceptions"]  # a step that broke before its request
    assert run.returncode == 0
    names = {row["name"] for row in result["by_request"]}
    # Every kind of interaction was exercised at least once.
    for interaction in (
        "router: map page",
        "filters → state",
        "state → map",
        "state → grid block",
        "page: scripts (first visit)",
    ):
        assert interaction in names
    assert result["requests"] >= 100
