"""Security headers, compression, debug and secrets, and errors without tracebacks (Flask test client)."""

from __future__ import annotations

import logging
import re

import pytest

from maillage_dash import security
from maillage_dash.config import Settings
from maillage_dash.webapp import create_app

BROWSER_ENCODING = {"Accept-Encoding": "gzip, deflate, br, zstd"}


@pytest.fixture(scope="module")
def app(shipped):
    return create_app(Settings(), directory=shipped)


@pytest.fixture
def client(app):
    return app.server.test_client()


def csp_of(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_every_response_carries_the_security_headers(client):
    for path in ("/", "/_dash-layout", "/_dash-dependencies", "/assets/10-maillage.css", "/nulle-part"):
        response = client.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "geolocation=(self)" in response.headers["Permissions-Policy"]
        assert "camera=()" in response.headers["Permissions-Policy"]
        csp = csp_of(response)
        assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]


def test_csp_allows_our_scripts_only_by_hash_and_never_eval(app, client):
    csp = csp_of(client.get("/"))
    scripts = csp["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    # Every inline script of the page (renderer, clientside callbacks) is listed by its hash.
    assert set(app.csp_hashes()) <= set(scripts)
    page = client.get("/").get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page)
    assert len(inline) == len(app.csp_hashes())
    # MapLibre's workers and the optional basemap's tiles.
    assert "blob:" in csp["worker-src"]
    assert "https://tile.openstreetmap.org" in csp["img-src"] and "https://tile.openstreetmap.org" in csp["connect-src"]
    assert csp["default-src"] == ["'self'"]


def test_dev_bundles_alone_get_unsafe_eval():
    policy = security.content_security_policy(["'sha256-x'"], Settings(), dev_bundles=True)
    assert "'unsafe-eval'" in policy
    assert "'unsafe-eval'" not in security.content_security_policy([], Settings())
    assert security.tile_origin("javascript:alert(1)") is None
    assert "tiles.example.org" in security.content_security_policy(
        [], Settings(osm_tiles_url="https://tiles.example.org/{z}/{x}/{y}.png")
    )


def test_responses_are_compressed(client):
    page = client.get("/", headers=BROWSER_ENCODING)
    assert page.headers["Content-Encoding"] in ("zstd", "br", "gzip")
    script = re.search(
        r'(?:src|href)="(/_dash-component-suites/dash_ag_grid/dash_ag_grid[^"]+)"', client.get("/").get_data(as_text=True)
    )
    assert script
    raw = client.get(script.group(1))
    packed = client.get(script.group(1), headers=BROWSER_ENCODING)
    assert packed.headers["Content-Encoding"] in ("zstd", "br")
    assert len(packed.get_data()) < len(raw.get_data()) / 2
    gzip_only = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert gzip_only.headers["Content-Encoding"] == "gzip"


def test_debug_is_off_unless_asked_and_secrets_are_never_in_the_code(app, shipped, tmp_path):
    assert Settings.from_env({}).debug is False
    assert Settings.from_env({"MAILLAGE_DEBUG": "1"}).debug is True
    assert app.server.debug is False
    env = {"MAILLAGE_SECRET_KEY": "from-the-environment"}
    assert create_app(Settings(), directory=shipped, environ=env).server.config["SECRET_KEY"] == "from-the-environment"
    # Without one: a random key made once in the instance folder, private to its owner, kept across restarts.
    first = create_app(Settings(), directory=shipped, environ={"MAILLAGE_INSTANCE_DIR": str(tmp_path / "a")})
    again = create_app(Settings(), directory=shipped, environ={"MAILLAGE_INSTANCE_DIR": str(tmp_path / "a")})
    other = create_app(Settings(), directory=shipped, environ={"MAILLAGE_INSTANCE_DIR": str(tmp_path / "b")})
    key = first.server.config["SECRET_KEY"]
    assert len(key) >= 64 and key == again.server.config["SECRET_KEY"] != other.server.config["SECRET_KEY"]
    assert (tmp_path / "a" / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "body",
    [
        "garbage",
        "[]",
        "{}",
        '{"output": "nope.children"}',
        '{"output": 5, "inputs": []}',
        '{"output": "page.children", "inputs": "x"}',
        '{"output": "page.children", "inputs": [5]}',
        '{"output": "page.children", "inputs": [{"id": "url"}]}',
    ],
)
def test_garbage_callback_requests_get_400_without_traceback(client, body):
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "Invalid request" in text and "Requête invalide" in text


def test_an_unexpected_error_is_logged_not_shown(shipped):
    logged: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: logged.append(record.getMessage() + str(record.exc_info[1]))  # type: ignore[method-assign]
    logging.getLogger("maillage_dash.security").addHandler(handler)
    server = create_app(Settings(), directory=shipped).server

    @server.route("/__boom")
    def boom():  # a route that fails, to see what the browser would get
        raise RuntimeError("secret internals")

    response = server.test_client().get("/__boom")
    assert response.status_code == 500
    logging.getLogger("maillage_dash.security").removeHandler(handler)
    assert any("secret internals" in line for line in logged)  # in the server's log
    text = response.get_data(as_text=True)
    assert "secret internals" not in text and "Traceback" not in text and "Server error" in text


def test_script_bundles_are_compressed_once_other_responses_every_time(app, client):
    page = client.get("/").get_data(as_text=True)
    bundle = re.search(r'(?:src|href)="(/_dash-component-suites/dash_ag_grid/dash_ag_grid[^"]+)"', page).group(1)
    # A browser that takes zstd only: the brotli/gzip copies made at start-up (tests/site/test_bundles.py)
    # do not fit, flask-compress compresses it once and keeps it.
    first = client.get(bundle, headers={"Accept-Encoding": "zstd"})
    second = client.get(bundle, headers={"Accept-Encoding": "zstd"})
    assert first.get_data() == second.get_data() and first.headers["Content-Encoding"] == "zstd"
    cache = app.server.extensions["maillage_compress"].cache
    assert isinstance(cache, security.BundleCache)
    assert any(bundle in key for key in cache.data)
    assert not any("_dash-layout" in key or key.endswith(";") for key in cache.data)


def test_regions_outline_is_one_cached_compressed_file_that_every_map_points_to(app, client, shipped):
    import gzip
    import json

    import plotly.graph_objects as go

    from maillage_dash.map import figures
    from maillage_dash.nearby import figures as nearby_figures

    url = figures.regions_geojson_url(shipped)
    assert re.fullmatch(r"/geo/regions-[0-9a-f]{16}\.geojson", url)
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["Content-Encoding"] == "gzip"
    body = json.loads(gzip.decompress(response.get_data()))
    assert sorted(f["id"] for f in body["features"]) == [f"{i:02d}" for i in range(1, 18)]
    # The figures carry the address, not the coordinates.
    assert nearby_figures.empty_map(shipped, "fr")["data"][0]["geojson"] == url
    keep = shipped.services["id"].notna().to_numpy()
    fig = go.Figure(figures.map_figure(shipped, keep, shipped.services, (), "fr"))  # a valid figure for plotly
    assert fig.data[0].geojson == url
    # Another digest (an old page after the geography changed) is not served.
    assert client.get("/geo/regions-0000000000000000.geojson").status_code == 404


def test_workers_starting_together_share_one_complete_session_key(tmp_path):
    """The key file is published whole (temporary file + hard link): many processes racing at start-up
    all read the same, non-empty key — an empty key made sessions fail in a fresh-clone run."""
    import subprocess
    import sys

    code = (
        "import sys; from maillage_dash.site.live import secret_key; "
        f"print(secret_key({{'MAILLAGE_INSTANCE_DIR': {str(tmp_path / 'i')!r}}}))"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) for _ in range(8)]
    keys = {p.communicate(timeout=120)[0].strip() for p in procs}
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert (tmp_path / "i" / "secret_key").stat().st_mode & 0o777 == 0o600
    assert not list((tmp_path / "i").glob(".secret_key-*"))  # no temporary file left behind
