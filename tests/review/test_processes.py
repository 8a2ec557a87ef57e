"""Real server processes (gunicorn, two workers) on SQLite and PostgreSQL: a publication reaches every
worker without a restart; ``kill -9`` during a burst of submissions loses none that was acknowledged."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from maillage_dash.store import entries, submissions
from maillage_dash.store.engine import Store
from tests.conftest import row
from tests.review.conftest import proposal

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.load  # starts servers: run with the load tests (make test runs everything)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(db_url: str, tmp_path: Path, port: int, log: Path) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=db_url,
        MAILLAGE_INSTANCE_DIR=str(tmp_path / "instance"),
        MAILLAGE_CACHE_DIR=str(tmp_path / "cache"),
        MAILLAGE_SECURE_COOKIES="0",
        MAILLAGE_RELOAD_SECONDS="0.5",
        MAILLAGE_SUBMIT_LIMIT="100000/minute",
        PYTHONPATH=str(ROOT),
    )
    cmd = [sys.executable, "-m", "gunicorn", "app:server", "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sante", timeout=2) as response:
                if response.status == 200:
                    return process
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError("server did not start:\n" + log.read_text()[-3000:])


def kill9(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)  # the master and its workers, no clean shutdown
    process.wait(timeout=10)


def health(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/sante", timeout=5) as response:
        return json.loads(response.read())


def test_a_publication_reaches_every_worker_within_seconds(db_url, tmp_path, geography):
    port = free_port()
    process = start(db_url, tmp_path, port, tmp_path / "server.log")
    try:
        seen: dict[int, dict] = {}
        deadline = time.monotonic() + 90
        while len(seen) < 2 and time.monotonic() < deadline:  # both workers up (the second may still be loading)
            h = health(port)
            seen[h["pid"]] = h
            time.sleep(0.05)
        assert len(seen) == 2, seen
        before = next(iter(seen.values()))["services"]
        store = Store(db_url)
        entries.create(store, row(id="publie-en-direct"), geography, by="test")
        store.dispose()
        published_at = time.monotonic()
        updated: dict[int, float] = {}
        while len(updated) < 2 and time.monotonic() - published_at < 20:
            h = health(port)
            if h["services"] == before + 1:
                updated.setdefault(h["pid"], time.monotonic() - published_at)
        print(f"\npublication seen by each worker after (s): {sorted(round(v, 2) for v in updated.values())}")
        assert len(updated) == 2, f"workers updated: {updated}"
        assert max(updated.values()) < 10
    finally:
        kill9(process)


def _submit(port: int, n: int, acknowledged: list[str], errors: list[str], stop: threading.Event) -> None:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    for i in range(n):
        if stop.is_set():
            return
        try:
            page = opener.open(f"http://127.0.0.1:{port}/proposer", timeout=10).read().decode()
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            data = proposal(nom=f"Rafale {threading.get_ident()}-{i} (fictive)")
            body = urllib.parse.urlencode({**data, "csrf_token": token}, doseq=True).encode()
            try:
                opener.open(f"http://127.0.0.1:{port}/proposer", data=body, timeout=10)
            except urllib.error.HTTPError as exc:
                if exc.code == 303:
                    acknowledged.append(re.search(r"ref=(MA-[A-Z0-9-]+)", exc.headers["Location"]).group(1))
                else:
                    errors.append(str(exc.code))
        except (urllib.error.URLError, ConnectionError, OSError, AttributeError, http.client.HTTPException):
            return  # the server was killed under us (a response cut in the middle included)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def test_kill_9_during_a_burst_loses_no_acknowledged_submission(db_url, tmp_path):
    port = free_port()
    log = tmp_path / "server.log"
    process = start(db_url, tmp_path, port, log)
    acknowledged: list[str] = []
    errors: list[str] = []
    stop = threading.Event()
    threads = [threading.Thread(target=_submit, args=(port, 400, acknowledged, errors, stop)) for _ in range(6)]
    for th in threads:
        th.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    kill9(process)  # mid-burst: requests are in flight
    stop.set()
    for th in threads:
        th.join(timeout=30)
    assert len(acknowledged) >= 40, (len(acknowledged), errors, log.read_text()[-2000:])
    assert not errors, (errors, log.read_text()[-4000:])
    process = start(db_url, tmp_path, port, log)  # restart on the same database
    try:
        store = Store(db_url)
        kept = {s.reference for s in submissions.pending(store)}
        store.dispose()
        missing = set(acknowledged) - kept
        assert not missing, f"{len(missing)} acknowledged submission(s) lost"
        assert health(port)["database"] is True
    finally:
        kill9(process)
