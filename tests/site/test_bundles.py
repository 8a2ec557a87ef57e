"""What the browser downloads first: Maillage's plotly.js, no dash_table, precompressed bundles."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import time

import brotli
import pytest
from plotly.offline import get_plotlyjs_version

from maillage_dash.config import Settings
from maillage_dash.site import bundles
from maillage_dash.webapp import create_app


@pytest.fixture(scope="module")
def client(shipped, tmp_path_factory):
    cache = tmp_path_factory.mktemp("bundles")  # one compression for the module
    app = create_app(Settings(), directory=shipped, environ={"MAILLAGE_BUNDLE_CACHE": str(cache)})
    return app.server.test_client(), cache


def scripts(html: str) -> list[str]:
    return [line for line in html.split("\n") if "<script src=" in line]


def ahead(html: str) -> list[list[str]]:
    """The page's list of what to fetch once its first frame is painted (rel, address, kind)."""
    found = re.search(r'<script type="application/json" id="maillage-preloads">(.*?)</script>', html)
    assert found, "the page has its list of what to fetch ahead"
    return json.loads(found.group(1))


def test_index_leaves_out_dash_table_and_preloads_plotly_on_graph_pages(client):
    c, _ = client
    home = c.get("/").get_data(as_text=True)
    assert scripts(home), "the page has its scripts"
    assert not [s for s in scripts(home) if "dash_table" in s]
    # Nothing is fetched ahead by the <head> itself: the list is asked for after the first frame.
    assert not re.search(r'<link rel="pre(load|fetch)"[^>]*href="[^"]*(plotly|_dash-layout|async-)', home)
    assert ["preload", bundles.PLOTLY_URL, "script"] in ahead(home)
    assert ["preload", bundles.MAPLIBRE_URL, "script"] in ahead(home)
    assert f"<script>{bundles.PRELOADER_JS}</script>" in home
    coverage = c.get("/couverture").get_data(as_text=True)
    assert ["preload", bundles.PLOTLY_URL, "script"] in ahead(coverage)
    assert any("async-graph.js" in x[1] for x in ahead(coverage))
    assert not any("async-graph.js" in x[1] for x in ahead(home))  # no dcc.Graph on the home page
    sheets = c.get("/fiches?lang=en").get_data(as_text=True)
    # No graph on the practice sheets: no script to fetch early, only the layout and the callbacks Dash's
    # renderer asks for on every page.
    assert ahead(sheets) == [["preload", "/_dash-layout", "fetch"], ["preload", "/_dash-dependencies", "fetch"]]
    assert ahead(home)[:2] == ahead(sheets)


def test_the_script_that_fetches_ahead_is_allowed_by_the_content_security_policy(client):
    c, _ = client
    response = c.get("/proximite")
    digest = base64.b64encode(hashlib.sha256(bundles.PRELOADER_JS.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response.headers["Content-Security-Policy"]


def test_plotly_address_serves_the_partial_bundle_of_the_same_version(client):
    c, _ = client
    response = c.get(bundles.PLOTLY_URL, headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    body = response.get_data()
    assert body == bundles.PLOTLY_BUNDLE.read_bytes()
    assert f"plotly.js v{get_plotlyjs_version()} (Maillage partial bundle".encode() in body[:300]
    assert len(body) < 0.7 * 4_700_000  # the full plotly.js is 4.7 MB
    etag = response.headers["ETag"]
    again = c.get(bundles.PLOTLY_URL, headers={"Accept-Encoding": "identity", "If-None-Match": etag})
    assert again.status_code == 304
    assert (bundles.PLOTLY_BUNDLE.parent / "plotly-maillage.LICENSE.txt").read_text().startswith("MIT License")


def test_bundles_are_served_precompressed_once_ready(client):
    c, cache = client
    home = c.get("/").get_data(as_text=True)  # the first request starts the compression
    script = next(s for s in scripts(home) if "dash_core_components.v" in s).split('src="')[1].split('"')[0]
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        response = c.get(script, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
        if response.headers.get("Content-Encoding") == "br" and response.headers.get("ETag", "").endswith('-br"'):
            break
        time.sleep(0.5)
    else:
        pytest.fail("the bundle was never served from its brotli 11 copy")
    assert "immutable" in response.headers["Cache-Control"]  # fingerprinted address
    plain = c.get(script, headers={"Accept-Encoding": "identity"}).get_data()
    assert brotli.decompress(response.get_data()) == plain
    old = c.get(script, headers={"Accept-Encoding": "gzip"})
    assert old.headers["Content-Encoding"] == "gzip" and gzip.decompress(old.get_data()) == plain
    assert list(cache.glob("*.br")), "kept on disk for the next start"
    assert not list(cache.glob("*dash_table*")) and not list(cache.glob("*mathjax*"))


def test_unknown_script_address_is_still_refused(client):
    c, _ = client
    assert c.get("/_dash-component-suites/dash/dcc/nope.v1m1.js").status_code == 404
    assert c.get("/_dash-component-suites/plotly/../../etc/passwd").status_code in (404, 400)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br, zstd", ["br", "gzip"]),
        ("gzip", ["gzip"]),
        ("br;q=0, gzip;q=0.5", ["gzip"]),
        ("", []),
        ("*", ["br", "gzip"]),
    ],
)
def test_accept_encoding(header, expected):
    assert bundles.accepted(header) == expected


def test_requests_arriving_together_at_a_new_worker_wait_for_dash_s_set_up(shipped, tmp_path, monkeypatch):
    """A worker's first requests arrive together (the kill -9 burst test, CI): Dash's set-up registers
    the script paths while another request lists them to start the compression. That request got a
    500 once; the set-up is slowed down here so that the overlap happens every time."""
    from dash import Dash

    real = Dash._collect_and_register_resources
    registering = [0]  # set-ups registering script paths right now

    def slow(self, resources, include_async=True, url_attr="src"):  # type: ignore[no-untyped-def]
        registering[0] += 1
        try:
            time.sleep(0.05)  # a slow machine: the other first requests arrive meanwhile
            return real(self, resources, include_async, url_attr)
        finally:
            registering[0] -= 1

    monkeypatch.setattr(Dash, "_collect_and_register_resources", slow)
    app = create_app(Settings(), directory=shipped, environ={"MAILLAGE_BUNDLE_CACHE": str(tmp_path)})
    seen_during_set_up: list[int] = []
    listed = bundles.bundle_files

    def listing(a):  # type: ignore[no-untyped-def]
        seen_during_set_up.append(registering[0])
        return listed(a)

    monkeypatch.setattr(bundles, "bundle_files", listing)
    import threading

    codes: list[int] = []

    def first(path: str) -> None:
        codes.append(app.server.test_client().get(path).status_code)

    threads = [threading.Thread(target=first, args=(p,)) for p in ["/", "/fiches", "/couverture", "/proximite", "/"] * 2]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert codes == [200] * len(threads), codes
    assert seen_during_set_up == [0], "the scripts are listed once, after Dash's set-up"


def test_grid_script_is_not_run_with_the_page_but_given_to_the_grid_loader(client):
    """dash-ag-grid's script leaves the page's scripts (the grid is mounted after the map is drawn, and
    assets/25-grid-mount.js loads it then): the page names it in a prefetch link, and it is served."""
    c, _ = client
    home = c.get("/").get_data(as_text=True)
    assert not [s for s in scripts(home) if "/dash_ag_grid/" in s]
    found = re.findall(r'<link rel="prefetch" href="([^"]+)" as="script" data-grid-script>', home)
    assert len(found) == 1 and "/dash_ag_grid/dash_ag_grid." in found[0], found
    assert c.get(found[0]).status_code == 200
    assert "dash_ag_grid/async-community.js" in home  # its chunk, prefetched too, not preloaded
    assert not re.search(r'rel="preload" href="[^"]*async-community', home)


def test_page_runs_regenerator_runtime_instead_of_babel_polyfill(client):
    """Dash's renderer and dcc need the global regeneratorRuntime, not the rest of babel-polyfill: the page
    loads regenerator-runtime alone, first, from our own file (its licence beside it)."""
    c, _ = client
    listed = scripts(c.get("/fiches?lang=en").get_data(as_text=True))
    assert not [s for s in listed if "polyfill" in s]
    assert f'<script src="{bundles.REGENERATOR_URL}"></script>' == listed[0].strip()
    body = c.get(bundles.REGENERATOR_URL, headers={"Accept-Encoding": "identity"}).get_data()
    assert body == bundles.REGENERATOR_BUNDLE.read_bytes() and b"regeneratorRuntime = runtime" in body
    assert (bundles.STATIC / "regenerator-runtime.LICENSE.txt").read_text().startswith("MIT License")
