"""First paint, measured in headless Chromium on a desktop and on a phone whose CPU is throttled 4×:
Maillage against the simplest Dash page showing the same data (``bench/naive_app.py``), and with
``--baseline REV`` against Maillage as it was at a git revision, all in the same run.

``python -m bench.first_paint [--loads 5] [--baseline REV]`` (``make bench`` runs it after ``bench.run``)
writes the section between ``<!-- first-paint:start -->`` and ``<!-- first-paint:end -->`` of
``docs/PERFORMANCE.md`` and ``bench/results/first_paint.json``.

Each app runs under gunicorn (one worker, four threads) with its own fresh instance folder (the
directory seeded from ``data/repertoire``), is loaded once to warm the server, then the apps' pages are
loaded in turn, ``--loads`` times each, every time in a new browser context (empty cache). A script
injected before the page's own records the first moment (``performance.now()``, from the navigation)
each milestone is visible; the Resource Timing entries give the critical path and the bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "PERFORMANCE.md"
RESULTS = ROOT / "bench" / "results"
START, END = "<!-- first-paint:start -->", "<!-- first-paint:end -->"
TARGETS = {"ratio": 1.5, "first_load_mb": 1.6, "response_kb": 500}
PROFILES = {
    "desktop": {"viewport": {"width": 1400, "height": 1000}, "cpu": 1},
    "phone": {"viewport": {"width": 375, "height": 740}, "cpu": 4, "has_touch": True, "is_mobile": True},
}
NEAR = "/proximite?lang=fr&pres=Saint-J%C3%A9r%C3%B4me&rayon=50"

# Milestones, checked every 50 ms by the injected script (a function of no argument, true when visible).
FRAME_JS = "() => !!document.querySelector('header.app-header, h1')"
# The live map's regions drawn by MapLibre, wherever the map is: since 2026-11-30 Maillage's home page
# draws it in the first response's static copy ([data-live-map]) before Dash, then moves it into Dash's page.
REGIONS_JS = """() => {
  const gd = document.querySelector('[data-live-map] .js-plotly-plot') || document.querySelector('#map .js-plotly-plot');
  const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  const map = sub && sub.map;
  if (!map || !map.getStyle || !map.getStyle()) { return false; }
  const layers = map.getStyle().layers.filter(l => l.type === 'fill').map(l => l.id);
  return layers.length > 0 && map.queryRenderedFeatures({layers: layers}).length > 0;
}"""
# The same in Dash's page: clicks on the map reach the server's callbacks from then on.
REGIONS_CLICKABLE_JS = REGIONS_JS.replace(
    "document.querySelector('[data-live-map] .js-plotly-plot') || document.querySelector('#map .js-plotly-plot')",
    "document.querySelector('#map .js-plotly-plot')",
)
# Dash has drawn the page: filters, buttons and clicks work (before, the first response's static copy shows).
READY_JS = "() => !!document.querySelector('#react-entry-point header.app-header, #react-entry-point h1')"
# The regions as the page's picture (maillage_dash/map/static_map.py) or, whichever comes first, drawn by
# MapLibre; the table's first row as the page's static rows or the grid's.
REGIONS_SHOWN_JS = (
    "() => { const i = document.querySelector('.map-wrap > img.map-static');"
    " if (i && i.complete && i.naturalWidth > 0 && i.offsetParent !== null) { return true; }"
    " return (" + REGIONS_JS + ")(); }"
)
# A row with text: the grid's first row is an empty stub until its data come (counted as the first row
# by this benchmark until 2026-11-29, which made the grid look 0.3 to 1.5 s sooner than it was).
GRID_ROW_JS = "() => [...document.querySelectorAll('#grid .ag-row .ag-cell')].some(c => c.textContent.trim())"
ROW_SHOWN_JS = "() => !!document.querySelector('.grid-static td') || (" + GRID_ROW_JS + ")()"
NAIVE_ROW_JS = "() => !!document.querySelector('#table td.dash-cell')"
CARD_JS = "() => !!document.querySelector('.near-item')"


@dataclass(frozen=True)
class App:
    label: str
    cwd: Path
    module: str  # gunicorn's app:server
    pages: dict[str, tuple[str, dict[str, str]]]  # page name → (path, {milestone: js})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(app: App, workdir: Path):
    """gunicorn for ``app`` on a free port, with its own instance folder; its address."""
    port = free_port()
    instance = workdir / f"{app.label}-instance"
    env = dict(
        os.environ,
        PYTHONPATH=str(app.cwd),
        MAILLAGE_INSTANCE_DIR=str(instance),
        MAILLAGE_CACHE_DIR=str(instance / "cache"),
    )
    env.pop("DATABASE_URL", None)
    cmd = [sys.executable, "-m", "gunicorn", "-w", "1", "--threads", "4", "-b", f"127.0.0.1:{port}", app.module]
    proc = subprocess.Popen(cmd, cwd=app.cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{app.label} did not start: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def wait_precompressed(url: str, timeout: float = 300) -> None:
    """Wait until Maillage serves plotly.js from its brotli copy (made once, at the first request)."""
    deadline = time.monotonic() + timeout
    for name in ("plotly.min.js", "maplibre.min.js"):
        while time.monotonic() < deadline:
            req = urllib.request.Request(
                url + "/_dash-component-suites/plotly/package_data/" + name, headers={"Accept-Encoding": "br, gzip"}
            )
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    if r.headers.get("ETag", "").endswith('-br"'):
                        break
            except urllib.error.HTTPError:  # a version without that file (a baseline): nothing to wait for
                break
            time.sleep(1)


RECORDER = """
(() => {
  const checks = %s;
  window.__marks = {};  // when each milestone was first painted
  window.__seen = {};   // when it was first in the document
  const names = Object.keys(checks);
  // Painted: the first frame after the element is in the document. A task queued from
  // requestAnimationFrame runs after that frame is drawn; while render-blocking styles load, or a
  // script holds the main thread, no frame is drawn and the mark waits too.
  const painted = (name) => requestAnimationFrame(() => setTimeout(() => { window.__marks[name] = performance.now(); }, 0));
  const check = (which) => {
    for (const name of which) {
      if (window.__seen[name] === undefined) {
        try { if (checks[name]()) { window.__seen[name] = performance.now(); painted(name); } } catch (e) {}
      }
    }
    return Object.keys(window.__seen).length === names.length;
  };
  // The document's milestones are checked at every change of the document (as the parser or React adds
  // them); the map's, drawn on a canvas, every 50 ms.
  const dom = names.filter(n => !n.startsWith('regions'));
  const watcher = new MutationObserver(() => { if (check(dom)) { watcher.disconnect(); } });
  watcher.observe(document, {childList: true, subtree: true});
  const tick = () => { if (!check(names)) { setTimeout(tick, 50); } };
  tick();
})();
"""

PATH_JS = """() => {
  const out = {html: performance.getEntriesByType('navigation')[0].responseEnd};
  const res = performance.getEntriesByType('resource');
  const ends = (test) => res.filter(r => test(r.name)).map(r => r.responseEnd);
  const end = (test) => { const e = ends(test); return e.length ? Math.max(...e) : null; };
  const first = (test) => { const e = ends(test); return e.length ? Math.min(...e) : null; };
  // The page's own script tags (not dash-ag-grid's, loaded once the map is drawn: assets/25-grid-mount.js).
  out.scripts = end(n => n.endsWith('.js') && !n.includes('plotly') && !n.includes('async-') && !n.includes('/dash_ag_grid/'));
  out.layout = end(n => n.includes('_dash-layout'));
  out.first_callback = first(n => n.includes('_dash-update-component'));
  out.plotly = end(n => n.includes('plotly'));
  out.regions_file = end(n => n.includes('.geojson'));
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  out.fcp = fcp ? fcp.startTime : null;
  const all = [performance.getEntriesByType('navigation')[0], ...res];
  out.bytes = all.reduce((s, r) => s + (r.transferSize || 0), 0);
  out.largest = Math.max(...all.map(r => r.encodedBodySize || 0));
  out.largest_name = all.reduce((a, r) => (r.encodedBodySize || 0) > (a.encodedBodySize || 0) ? r : a).name;
  return out;
}"""


def load_once(browser: Any, url: str, milestones: dict[str, str], profile: dict[str, Any]) -> dict[str, Any]:
    options = {k: v for k, v in profile.items() if k != "cpu"}
    context = browser.new_context(**options)
    try:
        page = context.new_page()
        if profile["cpu"] > 1:
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": profile["cpu"]})
        checks = "{" + ",".join(f"{json.dumps(k)}: {v}" for k, v in milestones.items()) + "}"
        page.add_init_script(RECORDER % checks)
        page.goto(url, wait_until="commit")
        try:
            page.wait_for_function(
                f"() => window.__marks && Object.keys(window.__marks).length === {len(milestones)}", timeout=240_000, polling=250
            )
        except Exception:
            page.screenshot(path=str(RESULTS / "first_paint_timeout.png"))
            raise SystemExit(f"{url}: milestones reached {page.evaluate('window.__marks')} of {list(milestones)}") from None
        marks = page.evaluate("window.__marks")
        page.wait_for_timeout(300)
        path = page.evaluate(PATH_JS)
        return {"marks": {k: round(v / 1000, 2) for k, v in marks.items()}, "path": path}
    finally:
        context.close()


def measure(apps: list[App], loads: int, workdir: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from tests.browser_fixtures import CHROMIUM, CHROMIUM_ARGS

    raw: dict[str, dict[str, dict[str, list[dict[str, Any]]]]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with _servers(apps, workdir) as urls:
            for app in apps:  # warm each server (its first requests build caches) and, for Maillage, wait for its bundles
                for path, milestones in app.pages.values():
                    load_once(browser, urls[app.label] + path, milestones, PROFILES["desktop"])
                if app.label != "naive":
                    wait_precompressed(urls[app.label])
            for i in range(loads):
                for profile_name, profile in PROFILES.items():
                    for app in apps:  # in turn, so that a busy moment of the machine hits every app
                        for page_name, (path, milestones) in app.pages.items():
                            result = load_once(browser, urls[app.label] + path, milestones, profile)
                            raw.setdefault(profile_name, {}).setdefault(app.label, {}).setdefault(page_name, []).append(result)
                            print(f"  {i + 1}/{loads} {profile_name} {app.label} {page_name}: {result['marks']}", flush=True)
        browser.close()
    return raw


@contextmanager
def _servers(apps: list[App], workdir: Path):
    from contextlib import ExitStack

    with ExitStack() as stack:
        yield {app.label: stack.enter_context(serve(app, workdir)) for app in apps}


def summarise(raw: dict[str, Any]) -> dict[str, Any]:
    """Medians of every milestone and of the critical path, per profile, app and page."""
    out: dict[str, Any] = {}
    for profile, apps in raw.items():
        for app, pages in apps.items():
            for page, runs in pages.items():
                marks = {k: round(statistics.median(r["marks"][k] for r in runs), 2) for k in runs[0]["marks"]}
                path = {}
                for k in runs[0]["path"]:
                    values = [r["path"][k] for r in runs if isinstance(r["path"].get(k), (int, float))]
                    if values:
                        path[k] = round(statistics.median(values) / (1000 if k not in ("bytes", "largest") else 1), 2)
                path["largest_name"] = runs[0]["path"].get("largest_name", "")
                out.setdefault(profile, {}).setdefault(app, {})[page] = {"marks": marks, "path": path, "loads": len(runs)}
    return out


def _fmt(v: Any) -> str:
    return "—" if v is None else f"{v:.2f}"


def markdown(summary: dict[str, Any], meta: dict[str, str], labels: list[str]) -> str:
    lines = [
        START,
        f"Measured {meta['date']} on {meta['machine']} by `python -m bench.first_paint --loads {meta['loads']}`"
        + (f" (baseline: Maillage at `{meta['baseline']}`)" if meta.get("baseline") else "")
        + ". Shipped directory, gunicorn 1 worker × 4 threads per app on loopback, a new browser context (empty "
        "cache) for every load, median of the loads, seconds from the navigation until the first frame drawn "
        "after the element is in the document (a task queued from `requestAnimationFrame`). Phone: 375 × 740, touch, "
        "Chromium's CPU throttled 4×. Naive: `bench/naive_app.py` (one plotly map of the regions and services and "
        "a dash_table of every service, in the layout, plotly.py's full plotly.js).",
        "",
        "*Premier affichage mesuré dans Chromium sans cache, médiane, en secondes depuis la navigation ; téléphone : "
        "processeur ralenti 4×.*",
        "",
    ]
    for profile in PROFILES:
        if profile in summary:
            lines += [f"#### {profile} / {'ordinateur' if profile == 'desktop' else 'téléphone'}", ""]
            lines += profile_table(summary[profile], labels)
    lines += ["#### Against the targets / Cibles", ""]
    lines += verdicts(summary)
    lines.append(END)
    return "\n".join(lines)


def profile_table(s: dict[str, Any], labels: list[str]) -> list[str]:
    """One profile's table: milestones, critical path and bytes, one column per app."""

    def value(label: str, page: str, part: str, key: str) -> Any:
        return s.get(label, {}).get(page, {}).get(part, {}).get(key)

    rows: list[tuple[str, Any]] = [
        ("page frame shown (header) / cadre affiché", lambda a: value(a, "home", "marks", "frame")),
        ("map: regions shown (picture or live map) / régions affichées", lambda a: value(a, "home", "marks", "regions_shown")),
        ("map: live map's regions drawn / carte interactive dessinée", lambda a: value(a, "home", "marks", "regions")),
        ("map: in Dash's page, clicks answered / carte cliquable", lambda a: value(a, "home", "marks", "regions_clickable")),
        ("page drawn by Dash (filters work) / page prête", lambda a: value(a, "home", "marks", "ready")),
        ("table: first row shown / première ligne affichée", lambda a: value(a, "home", "marks", "table_shown")),
        ("table: grid's first row / première ligne de la grille", lambda a: value(a, "home", "marks", "table")),
        ("nearby: first result card / première fiche « près de »", lambda a: value(a, "nearby", "marks", "card")),
    ]
    rows.append(("first contentful paint (Chromium) / premier rendu", lambda a: value(a, "home", "path", "fcp")))
    for key, name in (
        ("html", "critical path: HTML received"),
        ("scripts", "… scripts received"),
        ("layout", "… layout received"),
        ("first_callback", "… first callback answered"),
        ("plotly", "… plotly.js received"),
        ("regions_file", "… regions' outlines received"),
    ):
        rows.append((name, lambda a, key=key: value(a, "home", "path", key)))
    rows.append(("transferred on the home page (MB)", lambda a: (value(a, "home", "path", "bytes") or 0) / 2**20 or None))
    rows.append(("largest response (KB, compressed)", lambda a: (value(a, "home", "path", "largest") or 0) / 1024 or None))
    out = ["| | " + " | ".join(labels) + " |", "|---|" + "---:|" * len(labels)]
    out += [f"| {name} | " + " | ".join(_fmt(get(label)) for label in labels) + " |" for name, get in rows]
    return [*out, ""]


def verdicts(summary: dict[str, Any]) -> list[str]:
    out = []
    for profile, s in summary.items():
        ours, naive = s.get("maillage", {}), s.get("naive", {})
        if not ours or not naive:
            continue
        m = ours["home"]["marks"]
        pairs = (
            (
                "map's regions shown (picture, then live map)",
                m.get("regions_shown", m["regions"]),
                naive["home"]["marks"]["regions"],
            ),
            ("live map's regions drawn", m["regions"], naive["home"]["marks"]["regions"]),
            (
                "table's first row shown (static rows, then grid)",
                m.get("table_shown", m["table"]),
                naive["home"]["marks"]["table"],
            ),
            ("grid's first row", m["table"], naive["home"]["marks"]["table"]),
            ("first nearby card (vs the naive table)", ours["nearby"]["marks"]["card"], naive["home"]["marks"]["table"]),
        )
        for name, mine, theirs in pairs:
            ratio = theirs / mine if mine else 0
            verdict = "meets" if ratio >= TARGETS["ratio"] else "MISSES"
            out.append(f"- {profile}, {name}: {mine:.2f} s vs naive {theirs:.2f} s, ×{ratio:.2f} sooner ({verdict} ≥ ×1.5).")
        mb = ours["home"]["path"]["bytes"] / 2**20
        kb = ours["home"]["path"]["largest"] / 1024
        out.append(
            f"- {profile}, first load {mb:.2f} MB on the wire ({'meets' if mb <= TARGETS['first_load_mb'] else 'MISSES'} "
            f"≤ 1.6 MB); largest response {kb:.0f} KB, `{ours['home']['path']['largest_name'].split('/')[-1].split('?')[0]}` "
            f"({'meets' if kb <= TARGETS['response_kb'] else 'MISSES'} ≤ 500 KB)."
        )
    return out


def write_doc(section: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip() + "\n\n### First paint against a naive page / Premier affichage\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--baseline", help="also measure Maillage at this git revision (a temporary worktree)")
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args(argv)
    home = {
        "frame": FRAME_JS,
        "ready": READY_JS,
        "regions": REGIONS_JS,
        "regions_clickable": REGIONS_CLICKABLE_JS,
        "regions_shown": REGIONS_SHOWN_JS,
        "table": GRID_ROW_JS,
        "table_shown": ROW_SHOWN_JS,
    }
    maillage_pages = {"home": ("/?lang=fr", home), "nearby": (NEAR, {"frame": FRAME_JS, "card": CARD_JS})}
    apps = [
        App("maillage", ROOT, "app:server", maillage_pages),
        App(
            "naive",
            ROOT,
            "bench.naive_app:server",
            {
                "home": (
                    "/",
                    {
                        "frame": FRAME_JS,
                        "ready": READY_JS,
                        "regions": REGIONS_JS,
                        "regions_clickable": REGIONS_JS,
                        "regions_shown": REGIONS_JS,
                        "table": NAIVE_ROW_JS,
                        "table_shown": NAIVE_ROW_JS,
                    },
                )
            },
        ),
    ]
    workdir = Path(tempfile.mkdtemp(prefix="maillage-first-paint-"))
    worktree = None
    try:
        if args.baseline:
            worktree = workdir / "baseline"
            subprocess.run(["git", "worktree", "add", "--detach", str(worktree), args.baseline], cwd=ROOT, check=True)
            apps.insert(1, App("before", worktree, "app:server", maillage_pages))
        raw = measure(apps, args.loads, workdir)
    finally:
        if worktree is not None:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, check=False)
        shutil.rmtree(workdir, ignore_errors=True)
    summary = summarise(raw)
    import platform

    meta = {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()} Linux, {os.cpu_count()} CPU, Python {platform.python_version()}",
        "loads": str(args.loads),
        "baseline": args.baseline or "",
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "first_paint.json").write_text(json.dumps({"meta": meta, "summary": summary, "raw": raw}, indent=1))
    section = markdown(summary, meta, [a.label for a in apps])
    print(section)
    if not args.no_doc:
        write_doc(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
