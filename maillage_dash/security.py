"""HTTP hardening of the Flask server under Dash: security headers, compression, errors without tracebacks.

``install(app, settings)`` is called once by ``webapp.create_app`` after every callback is registered
(the Content-Security-Policy lists the hashes of Dash's inline scripts, which the clientside callbacks
add).

What the policy allows, and why (checked in headless Chromium by ``tests/site/test_security_browser.py``,
which fails on any CSP violation reported by the browser):

- scripts: our own origin and the hashes of Dash's inline scripts (``app.csp_hashes()``: the renderer
  start-up line and one per clientside callback). No ``'unsafe-inline'``, no ``'unsafe-eval'``: Dash's
  production bundles, plotly.js's MapLibre traces and AG Grid's community build run without ``eval``.
  Dash's *development* bundles do use ``eval``; they are only served with ``MAILLAGE_DEBUG=1``, and the
  policy then adds ``'unsafe-eval'``.
- styles: ``'unsafe-inline'`` is needed: plotly.js and MapLibre insert ``<style>`` elements at run time
  and React components set ``style`` attributes; style injection cannot run scripts.
- workers and images: MapLibre starts its workers from ``blob:`` URLs and decodes tiles into ``blob:``
  images; plotly's toolbar icons are ``data:`` URIs.
- the optional street basemap: the tile server's origin (``Settings.osm_tiles_url``) for images and
  fetches, and nothing else outside.
- no framing (``frame-ancestors 'none'``), no plugins, forms and ``<base>`` only to our origin.

Referrer: ``same-origin`` — neither the tile server nor the quick-exit site learns the page a person
came from. ``Permissions-Policy`` keeps geolocation for our own pages (the "nearby" search) and turns
off the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from dash import Dash
from dash.exceptions import DependencyException
from flask import Response, request
from flask_compress import Compress
from werkzeug.exceptions import HTTPException

from maillage_dash.config import Settings
from maillage_dash.ids import ID

log = logging.getLogger(__name__)

PERMISSIONS_POLICY = (
    "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "hid=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), "
    "browsing-topics=()"
)
ERROR_TEXT = {
    400: "Requête invalide. / Invalid request.",
    404: "Page introuvable. / Page not found.",
    405: "Méthode non permise. / Method not allowed.",
    413: "Requête trop grande. / Request too large.",
    500: "Erreur du serveur : l'incident est consigné. / Server error: it has been logged.",
}
# A callback request is a few kilobytes; a block of the grid or a map click well under 100 KB.
MAX_REQUEST_BYTES = 1_000_000
DISPATCH = "/_dash-update-component"


class BundleCache:
    """flask-compress cache that keeps only the compressed script bundles of ``/_dash-component-suites/``
    and the regions' outlines of ``/geo/``.

    Those files never change for a given URL (Dash, and basemap.REGIONS_ROUTE, put a fingerprint in it),
    so each is compressed once per algorithm instead of once per visitor (plotly.js alone is 4.6 MB). Every other response is
    compressed afresh: its key is empty and never stored. At most ``limit`` entries, so made-up URLs
    cannot fill the memory.
    """

    PREFIX = ("/_dash-component-suites/", "/geo/", "/assets-bundle/")

    def __init__(self, limit: int = 96) -> None:
        self.limit = limit
        self.data: dict[str, bytes] = {}

    @classmethod
    def key(cls, req: Any) -> str:
        return req.full_path if req.path.startswith(cls.PREFIX) else ""

    def get(self, key: str) -> bytes | None:
        return None if key.endswith(";") else self.data.get(key)

    def set(self, key: str, value: bytes) -> None:
        if not key.endswith(";") and (key in self.data or len(self.data) < self.limit):
            self.data[key] = value


def tile_origin(url: str) -> str | None:
    """``https://tile.openstreetmap.org`` from a tile URL template; None when it is not http(s)."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(script_hashes: list[str], settings: Settings, *, dev_bundles: bool = False) -> str:
    """The Content-Security-Policy header value (see the module docstring for each source)."""
    tiles = tile_origin(settings.osm_tiles_url)
    extra = [tiles] if tiles else []
    directives: dict[str, list[str]] = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes, *(["'unsafe-eval'"] if dev_bundles else [])],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *extra],
        "connect-src": ["'self'", *extra],
        "font-src": ["'self'", "data:"],
        "worker-src": ["'self'", "blob:"],
        "child-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


# What Dash's own components ever send for these properties. Anything else did not come from our
# pages in a browser: the request is refused (400) before a callback sees it.
SCALAR = (str, int, float, bool, type(None))
PROPERTY_TYPES: dict[str, tuple[type, ...]] = {
    "pathname": (str, type(None)),
    "search": (str, type(None)),
    "hash": (str, type(None)),
    "href": (str, type(None)),
    "n_clicks": (int, type(None)),
    "n_clicks_timestamp": (int, type(None)),
    "search_value": (str, type(None)),
    "clickData": (dict, type(None)),
    "hoverData": (dict, type(None)),
    "selectedData": (dict, type(None)),
    "relayoutData": (dict, type(None)),
    "getRowsRequest": (dict, type(None)),
    "selectedRows": (list, type(None)),
    "value": (*SCALAR, list),  # inputs, dropdowns, checklists, sliders: a scalar or a list of scalars
}
STATE_STORE = (ID.STATE.value, "data")  # the shared filter state is always an object
# Stores whose data is always an object: the shared state, and those a capability names (object_store).
OBJECT_STORES = {STATE_STORE}


def object_store(store_id: str) -> None:
    """Refuse any value but an object (or nothing) for this store's data: a store that the page's scripts
    write (the home page's live map writes its clicks, assets/07-live-map.js)."""
    OBJECT_STORES.add((str(store_id), "data"))


def _valid_value(component_id: Any, prop: str, value: Any) -> bool:
    if isinstance(component_id, str) and (component_id, prop) in OBJECT_STORES:  # (a dict id: unhashable)
        return isinstance(value, (dict, type(None)))
    allowed = PROPERTY_TYPES.get(prop)
    if allowed is None:
        return True
    if not isinstance(value, allowed):
        return False
    if prop == "value" and isinstance(value, list):
        return all(isinstance(v, SCALAR) for v in value)
    return True


def _valid_dispatch_body(body: Any, app: Dash) -> bool:
    """True when a callback request has the shape Dash's renderer sends, for a known callback."""
    if not isinstance(body, dict):
        return False
    output = body.get("output")
    # Clientside callbacks are in the map too, but run in the browser: only server callbacks are posted.
    if not isinstance(output, str) or "callback" not in app.callback_map.get(output, {}):
        return False
    for key in ("inputs", "state"):
        items = body.get(key, [])
        if not isinstance(items, list):
            return False
        for item in items:
            entries = item if isinstance(item, list) else [item]
            for entry in entries:
                if not isinstance(entry, dict) or "id" not in entry or not isinstance(entry.get("property"), str):
                    return False
                if not _valid_value(entry["id"], entry["property"], entry.get("value")):
                    return False
    outputs = body.get("outputs")
    if outputs is not None and not _outputs_match(output, outputs):
        return False
    changed = body.get("changedPropIds", [])
    return isinstance(changed, list) and all(isinstance(c, str) for c in changed)


def _outputs_match(key: str, outputs: Any) -> bool:
    """The request's output description has the shape of the callback's outputs: one description per
    output of a multi-output callback; a list for an ``ALL`` pattern output, one object otherwise.
    (A malformed one made Dash raise InvalidCallbackReturnValue, a 500, found by the fuzz tests.)"""
    multi = key.startswith("..") and key.endswith("..")
    parts = key[2:-2].split("...") if multi else [key]
    specs = outputs if multi else [outputs]
    if not isinstance(specs, list) or len(specs) != len(parts):
        return False
    for part, spec in zip(parts, specs):
        wildcard_list = '["ALL"]' in part or '["ALLSMALLER"]' in part
        if not isinstance(spec, list if wildcard_list else dict):
            return False
    return True


def _plain(status: int) -> Response:
    text = ERROR_TEXT.get(status) or ERROR_TEXT[500 if status >= 500 else 400]
    return Response(text + "\n", status=status, mimetype="text/plain")


def _install_compression(server: Any) -> None:
    """Compressed answers; the script bundles compressed once per algorithm and kept (BundleCache)."""
    # zstd and brotli are cheap enough per request for the 4 MB plotly bundle; gzip for older clients.
    server.config.setdefault("COMPRESS_ALGORITHM", ["zstd", "br", "gzip"])
    server.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["zstd", "br", "deflate"])
    server.config.setdefault("COMPRESS_MIN_SIZE", 500)
    server.config.setdefault("COMPRESS_CACHE_BACKEND", BundleCache)
    server.config.setdefault("COMPRESS_CACHE_KEY", BundleCache.key)
    compress = Compress(server)
    compress.compress_mimetypes_set.add("application/geo+json")  # the regions' outlines (basemap.REGIONS_ROUTE)
    server.extensions["maillage_compress"] = compress


def install(app: Dash, settings: Settings, environ: Mapping[str, str] | None = None) -> None:
    """Add security headers, compression and traceback-free errors to ``app.server``."""
    server = app.server
    environ = environ or {}
    # No secret is written in the code: a deployment that adds sessions sets MAILLAGE_SECRET_KEY.
    if environ.get("MAILLAGE_SECRET_KEY"):
        server.config["SECRET_KEY"] = environ["MAILLAGE_SECRET_KEY"]
    server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    server.config["PROPAGATE_EXCEPTIONS"] = False

    _install_compression(server)

    hashes = list(app.csp_hashes())
    policies: dict[bool, str] = {}

    def policy() -> str:
        dev = bool(getattr(app, "_dev_tools", {}).get("serve_dev_bundles"))
        if dev not in policies:
            # Clientside callbacks registered after start-up (none today) would be added here.
            hashes.extend(h for h in app.csp_hashes() if h not in hashes)
            policies[dev] = content_security_policy(hashes, settings, dev_bundles=dev)
        return policies[dev]

    @server.before_request
    def _check_dispatch() -> Response | None:
        if request.path == DISPATCH and request.method == "POST":
            body = request.get_json(silent=True)
            if not _valid_dispatch_body(body, app):
                return _plain(400)
        return None

    @server.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        if exc.response is not None:  # a page made for this error (a form shown again when throttled)
            return exc.response
        return _plain(exc.code or 500)

    @server.errorhandler(DependencyException)
    def _unknown_script(exc: DependencyException) -> Response:
        # Dash raises this for a script path it never registered (/_dash-component-suites/…): a bad
        # address, not a server fault.
        return _plain(404)

    @server.errorhandler(Exception)
    def _server_error(exc: Exception) -> Response:
        # The traceback goes to the server's log, never to the browser.
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _plain(500)

    @server.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy())
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


__all__ = ["content_security_policy", "install", "tile_origin"]
