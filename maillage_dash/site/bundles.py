"""What the browser downloads first, and how small: Maillage's own plotly.js, no unused bundle, and
script bundles compressed once at the best level.

- **plotly.js**: plotly.py ships the full plotly.js (4.7 MB, every trace type); Dash's graphs load it
  from ``/_dash-component-suites/plotly/package_data/plotly.min.js`` when the first graph appears.
  That address answers with ``static/plotly-maillage.min.js`` instead: the same plotly.js version with
  only the trace types Maillage draws (scatter, scattermap, choroplethmap, bar, heatmap), 3.0 MB,
  built reproducibly from the npm registry by ``tools/plotly/`` (MIT licence beside it).
- **dash_table** is loaded by every Dash page and used by none of ours: :class:`MaillageDash` leaves
  its script tag out.
- **preload**: on the pages that draw a graph, plotly.js is asked for as soon as the page's first frame is
  painted (not with it: see :data:`PRELOADER_JS`), so it downloads beside the other scripts instead of
  after the first callbacks; so are Dash's layout and callbacks on every page.
- **precompression**: every script of ``/_dash-component-suites/`` is compressed once with brotli at
  level 11 (and gzip 9 for older browsers) by a background thread at start-up, kept on disk under the
  cache folder by content digest (a restart or a second worker reuses it). Until a file is ready,
  flask-compress answers as before (zstd 3, compressed once and kept in memory).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import logging
import mimetypes
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import brotli
from dash import Dash
from dash.fingerprint import check_fingerprint
from flask import Response, abort, request

from maillage_dash.config import ROOT

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
PLOTLY_BUNDLE = STATIC / "plotly-maillage.min.js"
PLOTLY_URL = "/_dash-component-suites/plotly/package_data/plotly.min.js"
# MapLibre, which plotly.js's map traces draw with, in its own file: plotly-maillage.min.js loads it from
# beside itself (tools/plotly/entry.js), and it is preloaded on the pages with maps.
MAPLIBRE_BUNDLE = STATIC / "maplibre-maillage.min.js"
MAPLIBRE_URL = "/_dash-component-suites/plotly/package_data/maplibre.min.js"
# Dash's renderer and dcc call the global ``regeneratorRuntime`` that babel-polyfill 7 (core-js 2 and
# regenerator-runtime, 0.1 to 0.2 s to run on the throttled phone) defines: the page gets
# regenerator-runtime 0.14.1 alone (npm, MIT, regenerator-runtime.LICENSE.txt). The browsers that draw
# MapLibre's maps have everything core-js 2 adds.
REGENERATOR_BUNDLE = STATIC / "regenerator-runtime.js"
REGENERATOR_URL = "/_dash-component-suites/dash/deps/regenerator-runtime@0.14.1.js"
OWN_BUNDLES = {PLOTLY_URL: PLOTLY_BUNDLE, MAPLIBRE_URL: MAPLIBRE_BUNDLE, REGENERATOR_URL: REGENERATOR_BUNDLE}
SUITES = "/_dash-component-suites/"
# What the browser fetches ahead (``<link rel=preload|prefetch>``) is asked for once the first frame is
# painted, not by the ``<head>``: in the same run of 8 alternating loads on the desktop, the nearby page's
# first card came 0.37 s → 0.29 s, since the ahead-of-time downloads (2 MB of scripts to decompress and
# compile, the layout to build) no longer shared the two processors with the first layout. The list is
# a data block of the page (``PRELOADS_ID``); this script, the same on every page (its hash is in the
# content security policy, :meth:`MaillageDash.csp_hashes`), adds the links after the first frame, or
# after 1.5 s if no frame comes (a page opened in a background tab). Dash's layout and callbacks are not
# asked for again if Dash's renderer already has (its scripts in the browser's cache run before the
# first frame): the renderer's own request would not use a later preload.
PRELOADS_ID = "maillage-preloads"
PRELOADER_JS = (
    "(function () {"
    f" var data = document.getElementById('{PRELOADS_ID}'), done = false;"
    " if (!data) { return; }"
    " function go() {"
    "  if (done) { return; } done = true;"
    "  JSON.parse(data.textContent).forEach(function (x) {"
    "   if (x[1].indexOf('/_dash-') >= 0 && window.renderer) { return; }"
    "   var link = document.createElement('link');"
    "   link.rel = x[0]; link.href = x[1]; link.as = x[2];"
    "   if (x[2] === 'fetch') { link.crossOrigin = 'anonymous'; }"
    "   document.head.appendChild(link);"
    "  });"
    " }"
    " requestAnimationFrame(function () { setTimeout(go, 0); });"
    " setTimeout(go, 1500);"
    "})();"
)
# First URL segment of the pages whose first screen draws a plotly graph.
GRAPH_PAGES = ("", "couverture", "region", "reseau", "proximite")
ENCODINGS = ("br", "gzip")


def cache_dir(environ: Mapping[str, str]) -> Path:
    """Where the compressed copies are kept: ``MAILLAGE_BUNDLE_CACHE``, else ``.cache/bundles`` of the
    project. Not under ``MAILLAGE_CACHE_DIR``: they depend only on the installed packages (named by
    content digest), so every instance on the machine shares them."""
    return Path(environ.get("MAILLAGE_BUNDLE_CACHE") or ROOT / ".cache" / "bundles")


class MaillageDash(Dash):
    """Dash without the unused dash_table bundle, with plotly.js preloaded on the pages with graphs, and a
    first-request set-up that other requests wait for."""

    _setup_lock = threading.Lock()
    _setup_done = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Dash's renderer starts when the page's scripts say so (window.maillageStartDash,
        # assets/07-live-map.js): on the home page, once the live map drawn from the first response
        # shows its regions — Dash drawing the page would otherwise hold the processor before the map's
        # first frame. Without that function (a page of Dash's own), at once as before. The CSP's hash
        # is made from this same text (``csp_hashes``).
        start = self.renderer.replace("var renderer =", "window.renderer =", 1)
        self.renderer = f"(window.maillageStartDash || function (go) {{ go(); }})(function () {{ {start} }});"

    def _setup_server(self) -> None:
        # Dash runs its set-up (registering every script path, validating the layout, collecting the
        # callbacks) in a before_request hook at a worker's first request, and marks it done when it
        # *starts*: requests arriving together on other threads went on while it was half done. One
        # of them listing the registered scripts while the set-up added to them got a 500 (« dictionary
        # changed size during iteration ») in a CI run of the kill -9 burst test. Now they wait for it.
        if self._setup_done:
            return
        with self._setup_lock:
            if not self._setup_done:
                super()._setup_server()
                self._setup_done = True

    def _generate_scripts_html(self) -> str:
        html = super()._generate_scripts_html()
        return self._bundle_assets(self._page_scripts(html), "js")

    @staticmethod
    def _page_scripts(html: str) -> str:
        """regenerator-runtime alone instead of babel-polyfill (``REGENERATOR_URL``); and dash-ag-grid's
        script (1.3 MB, 280 KB with brotli; 0.2 s to run on the throttled phone) is not
        run with the page: the grid is mounted after the map is drawn, and assets/25-grid-mount.js loads
        the script then, from the address this ``<link>`` gives (fetched ahead at idle time, ``prefetch``,
        so that it is in the browser's cache when needed)."""
        out = []
        for line in html.split("\n"):
            found = re.search(r'<script src="([^"]*/dash_ag_grid/dash_ag_grid\.[^"]*\.js)"', line)
            if re.search(r'<script src="[^"]*/dash/deps/polyfill@', line):
                out.append(f'<script src="{REGENERATOR_URL}"></script>')
            elif found:
                out.append(f'<link rel="prefetch" href="{found.group(1)}" as="script" data-grid-script>')
            else:
                out.append(line)
        return "\n".join(out)

    def _generate_css_dist_html(self) -> str:
        return self._bundle_assets(super()._generate_css_dist_html(), "css")

    _asset_bundles: dict[str, AssetBundle]

    def _bundle_assets(self, html: str, kind: str) -> str:
        """The page's own styles (or scripts) of ``assets/`` as one file instead of one request each (8
        style sheets, 17 scripts): a browser opens 6 connections to a server, so the first paint waited
        for the last of the render-blocking style sheets. Same files, same order. Not with Dash's hot
        reload, which replaces the files one by one."""
        lines = [line for line in html.split("\n") if "/dash_table/" not in line]
        if getattr(self, "_dev_tools", {}).get("hot_reload"):
            return "\n".join(lines)
        prefix = f"{self.config.requests_pathname_prefix}assets/"
        attr = 'href="' if kind == "css" else 'src="'
        files, urls, first = [], [], None
        kept = []
        for line in lines:
            start = line.find(attr + prefix)
            if start >= 0 and line.rstrip().endswith(("></script>", ">")):
                url = line[start + len(attr) + len(prefix) :].split('"', 1)[0]
                rel = url.split("?", 1)[0]
                if rel.endswith(f".{kind}") and "/" not in rel:
                    files.append(Path(self.config.assets_folder) / rel)
                    urls.append(url)  # with Dash's fingerprint (?m=<modification time>)
                    if first is None:
                        first = len(kept)
                        kept.append("")
                    continue
            kept.append(line)
        if first is None:
            return "\n".join(lines)
        bundles_ = self.__dict__.setdefault("_asset_bundles", {})
        bundle = AssetBundle.of(files, kind, tuple(urls))
        bundles_[bundle.name] = bundle
        href = f"{self.config.requests_pathname_prefix}{ASSET_BUNDLE_ROUTE.strip('/')}/{bundle.name}"
        kept[first] = f'<link rel="stylesheet" href="{href}">' if kind == "css" else f'<script src="{href}"></script>'
        return "\n".join(kept)

    # Set by webapp.create_app: (path, query) → (static HTML of the page, its language).
    prerender: Callable[[str, str], tuple[str, str]] | None = None

    # Set by webapp.create_app: the address of the regions' outlines every map fetches.
    regions_url: Callable[[], str] | None = None

    def preloads(self, page: str) -> list[tuple[str, str, str]]:
        """What a page with graphs will ask for once Dash has drawn it, asked for ahead instead (rel, address,
        kind): plotly.js (run as soon as the page is painted, assets/06-plotly-early.js), the chunks of the
        graph, the drop-downs and sliders and the table, and the regions' outlines."""
        links = [("preload", url, "script") for url in (PLOTLY_URL, MAPLIBRE_URL)]
        # The home page's map is drawn by plotly.js itself (assets/07-live-map.js), not by Dash's graph.
        chunks = [] if page == "" else ["dash/dcc/async-graph.js"]
        if page in ("", "couverture", "reseau", "proximite"):
            chunks += ["dash/dcc/async-dropdown.js", "dash/dcc/async-slider.js"]
        links += [("preload", f"{SUITES}{c}", "script") for c in chunks]
        if page == "":  # the grid's code, needed once the map is drawn: fetched at idle time
            links.append(("prefetch", f"{SUITES}dash_ag_grid/async-community.js", "script"))
        if self.regions_url is not None:  # fetched by plotly.js (same origin, no credentials sent)
            links.append(("preload", self.regions_url(), "fetch"))
        return links

    def layout_preloads(self) -> list[tuple[str, str, str]]:
        """Dash's renderer asks for the layout and the callbacks only once all its scripts have run (0.8 s
        on a desktop, 2 s and more on a phone): both are asked for ahead instead, and the renderer's
        requests (same address, same origin, same credentials) are served from these."""
        prefix = self.config.requests_pathname_prefix
        return [("preload", f"{prefix}{name}", "fetch") for name in ("_dash-layout", "_dash-dependencies")]

    def ahead(self, page: str) -> str:
        """The page's list of what to fetch ahead, and the script that asks for it after the first frame."""
        links = self.layout_preloads() + (self.preloads(page) if page in GRAPH_PAGES else [])
        block = json.dumps([list(x) for x in links]).replace("<", "\\u003c")
        return f'<script type="application/json" id="{PRELOADS_ID}">{block}</script>\n<script>{PRELOADER_JS}</script>\n'

    def csp_hashes(self, hash_algorithm: str = "sha256") -> list[str]:
        own = base64.b64encode(getattr(hashlib, hash_algorithm)(PRELOADER_JS.encode("utf-8")).digest()).decode()
        return [*super().csp_hashes(hash_algorithm), f"'{hash_algorithm}-{own}'"]

    def interpolate_index(self, **kwargs: Any) -> str:
        page = request.path.strip("/").split("/", 1)[0] if request else ""
        # The style sheet first: it holds the first frame back, and the server answers in the order asked.
        kwargs["css"] = kwargs.get("css", "") + self.ahead(page)
        lang = None
        if self.prerender is not None and request:
            try:
                query = request.query_string.decode("utf-8", "replace")
                static, lang = self.prerender(request.path, f"?{query}" if query else "")
                kwargs["app_entry"] = kwargs.get("app_entry", "") + f'<div id="prerender" class="prerender">{static}</div>'
            except Exception:  # the static copy is a bonus: the page still comes without it
                log.exception("pre-rendering %s failed", request.path)
        html = super().interpolate_index(**kwargs)
        if lang and lang != "fr":
            html = html.replace('<html lang="fr">', f'<html lang="{lang}">', 1)
        return html


ASSET_BUNDLE_ROUTE = "/assets-bundle/"


class AssetBundle:
    """Files of ``assets/`` joined in their order, named by the digest of their content."""

    _made: dict[tuple[Any, ...], AssetBundle] = {}
    _lock = threading.Lock()

    def __init__(self, body: bytes, kind: str) -> None:
        self.body = body
        self.kind = kind
        self.name = f"maillage-{hashlib.sha256(body).hexdigest()[:16]}.{kind}"

    @classmethod
    def of(cls, files: list[Path], kind: str, fingerprints: tuple[str, ...]) -> AssetBundle:
        """``fingerprints``: the files' addresses as Dash wrote them (their modification time in them), so
        a page asks for no file system call; a changed file gives a new bundle."""
        key = (kind, fingerprints)
        with cls._lock:
            made = cls._made.get(key)
            if made is None:
                parts = []
                for f in files:
                    text = f.read_bytes().rstrip()
                    # a script ending without « ; » must not run into the next one
                    parts.append(b"/* " + f.name.encode() + b" */\n" + text + (b"\n;" if kind == "js" else b""))
                made = cls._made[key] = cls(b"\n".join(parts) + b"\n", kind)
            return made


def accepted(header: str | None) -> list[str]:
    """The encodings of ``ENCODINGS`` an Accept-Encoding header allows, best first (q=0 refuses)."""
    allowed = {}
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        allowed[name.strip().lower()] = q
    return [e for e in ENCODINGS if allowed.get(e, allowed.get("*", 0.0)) > 0]


class Precompressed:
    """Compressed copies of static files, made once at the best level and kept on disk."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache
        self.ready: dict[Path, dict[str, Path]] = {}  # source file → {encoding: compressed file}
        self.digests: dict[Path, str] = {}
        self.bodies: dict[Path, bytes] = {}  # compressed file → its bytes
        self._lock = threading.Lock()

    def digest(self, path: Path) -> str:
        if path not in self.digests:
            self.digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()[:24]
        return self.digests[path]

    def _target(self, path: Path, encoding: str) -> Path:
        return self.cache / f"{path.name}.{self.digest(path)}.{encoding}"

    def collect(self, path: Path) -> bool:
        """Mark ``path`` ready when all its compressed copies are on disk."""
        targets = {e: self._target(path, e) for e in ENCODINGS}
        if all(t.exists() for t in targets.values()):
            with self._lock:
                self.ready[path] = targets
            return True
        return False

    def prepare(self, files: Iterable[Path]) -> None:
        """Compress every file not already on disk (slow: ~5 s of CPU per MB at brotli 11). One process
        at a time (a lock file), so workers starting together compress each file once."""
        import fcntl

        self.cache.mkdir(parents=True, exist_ok=True)
        with open(self.cache / "precompress.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            for path in files:
                for encoding in ENCODINGS:
                    target = self._target(path, encoding)
                    if target.exists():
                        continue
                    raw = path.read_bytes()
                    body = brotli.compress(raw, quality=11) if encoding == "br" else gzip.compress(raw, 9, mtime=0)
                    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
                    tmp.write_bytes(body)
                    os.replace(tmp, target)  # whole or absent

    def start(self, files: list[Path]) -> threading.Thread | None:
        """Serve what is already compressed; compress the rest in a separate process (brotli 11 would
        hold this worker's interpreter for seconds), then serve it too."""
        missing = [f for f in files if not self.collect(f)]
        if not missing:
            return None

        def run() -> None:
            try:
                self.cache.mkdir(parents=True, exist_ok=True)
                subprocess.run(
                    [sys.executable, "-m", "maillage_dash.site.bundles", str(self.cache), *map(str, missing)],
                    check=True,
                    stdout=subprocess.DEVNULL,
                    timeout=600,
                )
            except (OSError, subprocess.SubprocessError):  # flask-compress keeps answering
                log.warning("script bundles could not be precompressed into %s", self.cache, exc_info=True)
            for path in missing:
                self.collect(path)

        thread = threading.Thread(target=run, name="maillage-precompress", daemon=True)
        thread.start()
        return thread

    def compressed(self, path: Path, header: str | None) -> tuple[str, bytes] | None:
        """The best compressed copy the header accepts, read from disk once and then kept in memory
        (a few MB for every bundle in both encodings)."""
        with self._lock:
            done = self.ready.get(path)
        if not done:
            return None
        for encoding in accepted(header):
            if encoding in done:
                file = done[encoding]
                body = self.bodies.get(file)
                if body is None:
                    body = self.bodies.setdefault(file, file.read_bytes())
                return encoding, body
        return None


def suite_file(app: Dash, url_path: str) -> tuple[Path, bool] | None:
    """The file behind a ``/_dash-component-suites/<package>/<path>`` address Dash would serve, and
    whether the address carries a fingerprint; None for anything Dash never registered."""
    package, _, fingerprinted = url_path[len(SUITES) :].partition("/")
    path_in_pkg, has_fingerprint = check_fingerprint(fingerprinted)
    if path_in_pkg not in app.registered_paths.get(package, ()) or package not in sys.modules:
        return None
    module = sys.modules[package]
    base = Path(module.__file__ or "").parent
    path = (base / path_in_pkg).resolve()
    if base.resolve() not in path.parents or not path.is_file():
        return None
    return path, has_fingerprint


def _respond(path: Path, body: bytes, encoding: str | None, has_fingerprint: bool, etag: str) -> Response:
    if request.headers.get("If-None-Match") == f'"{etag}"':
        return Response(status=304, headers={"ETag": f'"{etag}"'})
    mimetype = mimetypes.types_map.get(path.suffix, "application/octet-stream")
    response = Response(body, mimetype=mimetype)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["ETag"] = f'"{etag}"'
    # A fingerprinted address never changes; plotly.js's plain address is checked again (ETag).
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable" if has_fingerprint else "no-cache"
    return response


def bundle_files(app: Dash) -> list[Path]:
    """The scripts worth precompressing: plotly.js first, then every registered script of Dash and its
    component libraries (not source maps, not MathJax, which no page of Maillage uses)."""
    files = [PLOTLY_BUNDLE, MAPLIBRE_BUNDLE, REGENERATOR_BUNDLE]
    for package, paths in list(app.registered_paths.items()):
        for rel in sorted(list(paths)):
            if not rel.endswith(".js") or any(skip in rel for skip in ("mathjax", "dash_table", "enterprise", "polyfill@")):
                continue
            found = suite_file(app, f"{SUITES}{package}/{rel}")
            if found and found[0] not in files:
                files.append(found[0])
    return files


def install(app: Dash, cache: Path, *, precompress: bool = True) -> Precompressed:
    """Serve Maillage's plotly.js and the precompressed bundles; compress them in the background once
    Dash has registered its scripts (at the first request)."""
    store = Precompressed(cache)
    started = threading.Lock()

    def asset_bundle(name: str) -> Response:
        bundle = getattr(app, "_asset_bundles", {}).get(name)
        if bundle is None:
            abort(404)
        mimetype = "text/css" if bundle.kind == "css" else "application/javascript"
        response = Response(bundle.body, mimetype=mimetype)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"  # named by its content
        return response

    app.server.add_url_rule(ASSET_BUNDLE_ROUTE + "<name>", endpoint="maillage_asset_bundle", view_func=asset_bundle)

    @app.server.before_request
    def _bundles() -> Response | None:
        if precompress and started.acquire(blocking=False):  # once, never released
            store.start(bundle_files(app))
        if request.method not in ("GET", "HEAD") or not request.path.startswith(SUITES):
            return None
        if request.path in OWN_BUNDLES:
            path, has_fingerprint = OWN_BUNDLES[request.path], False
        else:
            found = suite_file(app, request.path)
            if found is None:
                return None  # Dash answers (404 for an unknown script)
            path, has_fingerprint = found
        done = store.compressed(path, request.headers.get("Accept-Encoding"))
        if done is not None:
            encoding, body = done
            return _respond(path, body, encoding, has_fingerprint, f"{store.digest(path)}-{encoding}")
        if path in OWN_BUNDLES.values():  # not compressed yet: flask-compress compresses the plain file
            return _respond(path, path.read_bytes(), None, has_fingerprint, store.digest(path))
        return None

    return store


if __name__ == "__main__":  # python -m maillage_dash.site.bundles CACHE FILE… (started by Precompressed.start)
    Precompressed(Path(sys.argv[1])).prepare([Path(f) for f in sys.argv[2:]])
