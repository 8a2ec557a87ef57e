"""Load test: N simulated intervenant·es using Maillage at once, against gunicorn on loopback.

    .venv/bin/python -m bench.load [--users 100] [--duration 60] [--data-dir DIR] [--json out.json]
    .venv/bin/python -m bench.load --host http://127.0.0.1:PORT [--stop-file PATH] …   (a server already running)

Starts ``gunicorn app:server`` (as the Procfile does: 2 workers × 4 threads) on 127.0.0.1, then runs
Locust headless (as a library) with users that do what people do in the dashboard: open the page
(HTML, scripts, layout, router), set filters (filters → shared state → map → first block of the
grid), scroll or sort the grid, click a region, open a service's detail, export CSV, open another
page. Think time 1–3 s between actions. Every request is checked (status, JSON shape); any error
counts. The run stops by itself after ``--duration`` seconds (or as soon as ``--stop-file`` exists)
and prints p50/p95 per interaction. Exit code 1 if any request failed. Traffic goes to loopback only.

``bench/run.py`` times every interaction at 100,000 services while this load test runs
(``--ready-file``: made once every user has started; ``--stop-file``: the measure is done).
``--host``: load a server that is already running instead of starting one.
"""

# Locust patches the standard library with gevent: it must be imported before anything else.
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from locust import HttpUser, between, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402

from bench.dash_client import DISPATCH, DashAPI, random_filters, store_from  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ENCODINGS = {"Accept-Encoding": "gzip, deflate, br, zstd"}
PAGES: list[str] = []  # filled from the app's registry in main()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, data_dir: str | None, workers: int, threads: int, log: Path) -> subprocess.Popen:
    env = dict(os.environ)
    if data_dir:
        env["MAILLAGE_DATA_DIR"] = data_dir
    # Its own database, seeded from the files at the first start (never the developer's instance/).
    env.setdefault("MAILLAGE_INSTANCE_DIR", tempfile.mkdtemp(prefix="maillage-load-"))
    env.setdefault("MAILLAGE_CACHE_DIR", str(Path(env["MAILLAGE_INSTANCE_DIR"]) / "cache"))
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "app:server",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    # The server's log goes to a file (a pipe nobody reads would block it once full).
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))


def wait_ready(port: int, proc: subprocess.Popen, log: Path, timeout: float = 180) -> float:
    import urllib.request

    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn stopped: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_dash-layout", timeout=5) as r:
                if r.status == 200:
                    return time.monotonic() - start
        except OSError:
            time.sleep(0.25)
    raise SystemExit("gunicorn did not answer in time")


class Intervenant(HttpUser):
    """One person using the dashboard."""

    wait_time = between(1, 3)
    api: DashAPI | None = None

    def on_start(self) -> None:
        self.rng = random.Random()
        self.store: dict = {}
        self.regions: list[str] = []
        index = self.client.get("/", headers=ENCODINGS, name="page: HTML")
        # A first visit downloads the scripts (cached by the browser afterwards).
        for src in re.findall(r'src="([^"]+)"', index.text):
            self.client.get(src, headers=ENCODINGS, name="page: scripts (first visit)")
        self.client.get("/_dash-layout", headers=ENCODINGS, name="page: layout")
        deps = self.client.get("/_dash-dependencies", headers=ENCODINGS, name="page: dependencies").json()
        type(self).api = type(self).api or DashAPI(deps)
        self.render("/", "?lang=fr", name="router: map page")

    def post(self, body: dict, name: str) -> dict:
        with self.client.post(DISPATCH, json=body, headers=ENCODINGS, name=name, catch_response=True) as response:
            if response.status_code == 204:
                response.success()
                return {}
            if response.status_code == 0:
                response.failure(f"no answer: {response.error}")
                return {}
            try:
                data = response.json()
            except ValueError:
                response.failure(f"not JSON ({response.status_code})")
                return {}
            if response.status_code != 200 or "response" not in data:
                response.failure(f"status {response.status_code}")
                return {}
            response.success()
            return data

    def render(self, path: str, search: str, name: str) -> None:
        self.store = store_from(self.post(self.api.page(path, search), name), self.store)

    @task(4)
    def filter_then_map(self) -> None:
        regions, age, types, sectors, text = random_filters(self.rng)
        self.regions = regions
        data = self.post(self.api.filters(regions, age, types, sectors, text, self.store), "filters → state")
        self.store = store_from(data, self.store)
        self.post(self.api.map(self.store), "state → map")
        self.post(self.api.grid(0, self.store), "state → grid block")

    @task(2)
    def scroll_or_sort_grid(self) -> None:
        sort = self.rng.choice([[], [{"colId": "region", "sort": "asc"}], [{"colId": "ages", "sort": "desc"}]])
        start = self.rng.choice([0, 100, 200])
        data = self.post(self.api.grid(start, self.store, sort), "grid block (scroll/sort)")
        rows = data.get("response", {}).get("grid", {}).get("getRowsResponse", {}).get("rowData") or []
        if rows and self.rng.random() < 0.5:
            self.post(self.api.detail(rows[0]["id"], self.store), "detail")

    @task(2)
    def click_region(self) -> None:
        code = self.rng.choice([f"{i:02d}" for i in range(1, 18)])
        data = self.post(self.api.region_click(code, self.regions), "region click")
        new = data.get("response", {}).get("f-regions", {}).get("value")
        if isinstance(new, list):
            self.regions = new
            data = self.post(self.api.filters(new, [0, 35], [], [], "", self.store), "filters → state")
            self.store = store_from(data, self.store)
            self.post(self.api.map(self.store), "state → map")

    @task(1)
    def export_csv(self) -> None:
        self.post(self.api.export("csv", self.store), "export CSV")

    @task(2)
    def other_page(self) -> None:
        path = self.rng.choice(PAGES)
        self.render("/" + path, self.store.get("query", "?lang=fr"), name="router: other page")


def summary(env: Environment) -> dict:
    rows = []
    for (name, method), entry in sorted(env.stats.entries.items()):
        rows.append(
            {
                "name": name,
                "method": method,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "p50_ms": entry.get_response_time_percentile(0.5),
                "p95_ms": entry.get_response_time_percentile(0.95),
                "max_ms": round(entry.max_response_time or 0),
                "avg_bytes": round(entry.avg_content_length or 0),
            }
        )
    total = env.stats.total
    return {
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": round(total.total_rps, 1),
        "p50_ms": total.get_response_time_percentile(0.5),
        "p95_ms": total.get_response_time_percentile(0.95),
        "errors": [f"{e.method} {e.name}: {e.error} ×{e.occurrences}" for e in env.stats.errors.values()],
        # A simulated person's step that failed before sending its request (an exception in the task, such
        # as a callback the client no longer finds) counts nowhere in the statistics above: listed here.
        "exceptions": [
            f"{row['msg']} ×{row['count']}\n{row['traceback'][-1500:]}"
            for row in (env.runner.exceptions.values() if env.runner is not None else [])
        ],
        "by_request": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load after all users started")
    parser.add_argument("--spawn-rate", type=float, default=None, help="users started per second (default: all in 5 s)")
    parser.add_argument("--data-dir", default=None, help="directory files to serve (default: the shipped directory)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument("--host", default=None, help="load this running server (http://127.0.0.1:PORT) instead of starting one")
    parser.add_argument("--stop-file", type=Path, default=None, help="stop as soon as this file exists (before --duration)")
    parser.add_argument("--ready-file", type=Path, default=None, help="made once every user has started")
    args = parser.parse_args(argv)
    if args.host and not args.host.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise SystemExit("--host: loopback only (http://127.0.0.1:PORT)")

    from maillage_dash.site import pages

    PAGES[:] = list(pages.registry())
    log = Path(tempfile.mkdtemp(prefix="maillage-load-")) / "gunicorn.log"
    server = None
    try:
        if args.host:
            host, startup = args.host.rstrip("/"), 0.0
        else:
            port = free_port()
            server = start_gunicorn(port, args.data_dir, args.workers, args.threads, log)
            host, startup = f"http://127.0.0.1:{port}", wait_ready(port, server, log)
        env = Environment(user_classes=[Intervenant], host=host, events=events)
        runner = env.create_local_runner()
        rate = args.spawn_rate or max(1.0, args.users / 5)
        runner.start(args.users, spawn_rate=rate)
        gevent.spawn_later(args.duration + args.users / rate, runner.quit)
        if args.stop_file:
            gevent.spawn(_quit_when_present, args.stop_file, runner)
        if args.ready_file:
            gevent.spawn_later(args.users / rate + 1, args.ready_file.touch)
        runner.greenlet.join()
        result = summary(env)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    result.update(
        {
            "users": args.users,
            "duration_s": args.duration,
            "gunicorn": f"{args.workers} workers × {args.threads} threads" if not args.host else f"running server {args.host}",
            "startup_s": round(startup, 2),
            "data_dir": args.data_dir or ("the running server's" if args.host else "shipped directory"),
            "date": datetime.now().isoformat(timespec="minutes"),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}",
        }
    )
    print(report(result))
    server_log = log.read_text(errors="replace") if log.exists() else ""
    if result["failures"] and server_log.strip():
        print("server log (end):\n" + server_log[-3000:])
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return 1 if result["failures"] or result["exceptions"] else 0


def _quit_when_present(path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """Stop the users once ``path`` exists (the caller's measurement is done)."""
    while not path.exists():
        gevent.sleep(0.5)
    runner.quit()


def report(result: dict) -> str:
    lines = [
        f"{result['users']} users × {result['duration_s']:.0f} s, gunicorn {result['gunicorn']}, data: {result['data_dir']}",
        f"requests {result['requests']}, failures {result['failures']}, {result['rps']} req/s, "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms",
        "",
        "| request | count | failures | p50 ms | p95 ms | max ms | bytes (avg) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["by_request"]:
        lines.append(
            f"| {row['method']} {row['name']} | {row['requests']} | {row['failures']} | {row['p50_ms']} | "
            f"{row['p95_ms']} | {row['max_ms']} | {row['avg_bytes']} |"
        )
    lines += [f"error: {e}" for e in result["errors"]]
    lines += [f"exception in a simulated person's step: {e}" for e in result.get("exceptions", [])]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
