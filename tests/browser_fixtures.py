"""A live Maillage server on loopback and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from maillage_dash.config import Settings
from maillage_dash.webapp import create_app

CHROMIUM = os.environ.get("MAILLAGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).parent / "screenshots"
# The first response carries a static copy of the page (maillage_dash/site/prerender.py), removed once
# Dash has drawn the page. The tests drive the Dash page: after a navigation that loads a document,
# they wait for the copy to be gone (tests/site/test_first_paint.py tests the copy itself).
STATIC_GONE = "() => !document.getElementById('prerender')"


def _after_load(method):
    def wrapped(self, *args, **kwargs):
        response = method(self, *args, **kwargs)
        if kwargs.get("wait_until") != "commit":
            self.wait_for_function(STATIC_GONE, timeout=60_000)
        return response

    wrapped.__wrapped__ = method
    return wrapped


def _wait_for_the_dash_page_after_loads() -> None:
    from playwright.sync_api import Page

    for name in ("goto", "reload", "go_back", "go_forward"):
        method = getattr(Page, name)
        if not hasattr(method, "__wrapped__"):
            setattr(Page, name, _after_load(method))


_wait_for_the_dash_page_after_loads()


@pytest.fixture(scope="session")
def live_server(shipped):
    app = create_app(Settings(), directory=shipped)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian Chromium not found at {CHROMIUM}: run `make browser` (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="fr-CA")
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page


def shot(page, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
