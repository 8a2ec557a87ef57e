"""The whole living-directory flow in headless Chromium: propose (keyboard only) → sign in → publish →
on the map, in French at 375 px and in English at 1920 px, axe-clean on every page of the way."""

from __future__ import annotations

import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.serving import make_server

from maillage_dash.config import Settings
from maillage_dash.store import users
from maillage_dash.store.engine import Store
from maillage_dash.webapp import create_app
from tests.browser_fixtures import shot
from tests.browser_helpers import GRID_COUNT_JS
from tests.review.conftest import PASSWORD, REVIEWER
from tests.site.test_accessibility_browser import AXE_OPTIONS, blocking

pytestmark = pytest.mark.browser
AXE = Axe()


@pytest.fixture
def db_server(tmp_path):
    """A server on a fresh SQLite database (seeded from data/repertoire), cookies as in production."""
    store = Store(f"sqlite:///{tmp_path / 'maillage.sqlite3'}")
    env = {"MAILLAGE_INSTANCE_DIR": str(tmp_path / "instance"), "MAILLAGE_CACHE_DIR": str(tmp_path / "cache")}
    app = create_app(Settings(reload_seconds=0.3), store=store, environ=env)
    users.add(store, REVIEWER, PASSWORD)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    store.dispose()


def tab_to(page, element_id: str, limit: int = 200) -> None:
    """Press Tab until the element with ``element_id`` has the focus (keyboard only, as a person would)."""
    for _ in range(limit):
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} never reached with Tab")


def type_into(page, element_id: str, text: str) -> None:
    tab_to(page, element_id)
    page.keyboard.type(text)


def tick(page, element_id: str) -> None:
    tab_to(page, element_id)
    page.keyboard.press("Space")


def axe_clean(page, where: str) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # buttons' colour transitions (0.15 s) finished before contrast is measured
    problems = blocking(AXE.run(page, options=AXE_OPTIONS).response)
    assert problems == [], f"{where}:\n" + "\n".join(problems)


WORDS = {
    "fr": {"send": "Envoyer la proposition", "login": "Se connecter", "publish": "Publier", "ref": "Numéro de référence"},
    "en": {"send": "Send the proposal", "login": "Sign in", "publish": "Publish", "ref": "Reference number"},
}


@pytest.mark.parametrize("lang, width", [("fr", 375), ("en", 1920)])
def test_propose_sign_in_publish_and_see_it_on_the_map(browser, db_server, lang, width):
    words = WORDS[lang]
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": 800 if phone else 1080}, has_touch=phone, is_mobile=phone, locale=f"{lang}-CA"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    name = f"Halte test navigateur {lang} {width} (fictive)"

    page.goto(f"{db_server}/proposer?lang={lang}")
    axe_clean(page, "/proposer")
    # Keyboard only: Tab from field to field, type, Space to tick, Enter to send.
    type_into(page, "nom", name)
    type_into(page, "organisme", "Organisme test (fictif)")
    tick(page, "types_service-1")
    type_into(page, "age_min", "14")
    type_into(page, "age_max", "21")
    type_into(page, "municipalite", "Saint-Jérôme")
    type_into(page, "telephones", "aide: 450 555-0199 (24/7)")
    type_into(page, "submitter_email", "navigateur@example.org")
    tick(page, "privacy")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # nothing wider than the screen
    shot(page, f"live-propose-{lang}-{width}")
    page.keyboard.press("Enter")  # sends the form from a checkbox, as browsers do
    page.get_by_text(words["ref"]).wait_for()
    reference = page.locator("#reference").inner_text()
    assert reference.startswith("MA-")
    axe_clean(page, "/merci")

    page.goto(f"{db_server}/revision?lang={lang}")
    page.locator("#email").wait_for()
    axe_clean(page, "/revision/connexion")
    type_into(page, "email", REVIEWER)
    type_into(page, "password", PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("link", name=reference).wait_for()
    axe_clean(page, "/revision")
    page.get_by_role("link", name=reference).focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name=words["publish"]).wait_for()
    axe_clean(page, "/revision/demande")
    shot(page, f"live-review-{lang}-{width}")
    page.get_by_role("button", name=words["publish"]).focus()
    page.keyboard.press("Enter")
    page.locator("#saved").wait_for()
    axe_clean(page, "/revision/fiche")

    # On the map of the dashboard within seconds (the worker follows the data version).
    for _ in range(30):
        page.goto(f"{db_server}/?lang={lang}&q={name.replace(' ', '+')}")
        page.locator("#grid .ag-row").first.wait_for(timeout=15_000)
        if page.evaluate(GRID_COUNT_JS) == 1:
            break
        page.wait_for_timeout(500)
    assert page.evaluate(GRID_COUNT_JS) == 1
    assert page.locator("#grid").get_by_text(name).count() >= 1
    shot(page, f"live-on-map-{lang}-{width}")
    assert errors == []
    context.close()


def test_proposing_on_a_phone_by_touch_keeps_text_on_error(browser, db_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True, locale="fr-CA")
    page = context.new_page()
    page.goto(f"{db_server}/proposer")
    page.locator("#nom").tap()
    page.keyboard.type("Nom gardé (fictif)")
    page.locator("#municipalite").tap()
    page.keyboard.type("Nulle-Part-du-Test")
    page.get_by_role("button", name="Envoyer la proposition").tap()
    page.locator("#form-problems").wait_for()
    assert page.locator("#nom").input_value() == "Nom gardé (fictif)"
    assert page.locator("#municipalite").input_value() == "Nulle-Part-du-Test"
    assert page.locator("#municipalite").get_attribute("aria-invalid") == "true"
    # The list of problems has the focus (a screen reader reads it; a keyboard goes on from it).
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'form-problems'")
    shot(page, "live-propose-errors-375")
    axe_clean(page, "/proposer with errors")
    context.close()


def test_a_wrong_phone_is_named_even_when_no_way_to_reach_is_valid(browser, db_server):
    """Phone, email and site all wrong: the phone's own error is said at once (it was hidden behind
    « give at least one public way to reach the service » until the next submit)."""
    page = browser.new_page(locale="fr-CA")
    page.goto(f"{db_server}/proposer")
    page.locator("#telephones").fill("aide: 418 368 123")
    page.locator("#courriel").fill("info@exemple")
    page.locator("#site_web").fill("exemple.org")
    page.get_by_role("button", name="Envoyer la proposition").click()
    page.locator("#form-problems").wait_for()
    text = page.locator("#form-problems").inner_text()
    assert "418 368 123" in text, text
    assert "nom@organisme.org" in text, text
    # The phone was given: no « give at least one way to reach it » beside its own error.
    assert "Donnez au moins un moyen public" not in text, text
    page.close()


def test_enter_in_a_field_publishes_nothing_and_a_refusal_without_reason_says_where(browser, tmp_path):
    """Publishing is pressing « Publier »: Enter in a text field of the request sends nothing. Refusing
    with no reason puts a message at the top, with the focus, that leads to the reason's field."""
    from maillage_dash.store import submissions
    from tests.review.conftest import proposal

    store = Store(f"sqlite:///{tmp_path / 'maillage.sqlite3'}")
    env = {"MAILLAGE_INSTANCE_DIR": str(tmp_path / "instance"), "MAILLAGE_CACHE_DIR": str(tmp_path / "cache")}
    app = create_app(Settings(reload_seconds=0.3), store=store, environ=env)
    users.add(store, REVIEWER, PASSWORD)
    data = {k: v for k, v in proposal().items() if not k.startswith("submitter") and k not in ("message", "privacy")}
    data = {k: ";".join(v) if isinstance(v, list) else v for k, v in data.items()}
    reference = submissions.submit(store, "entry", data, submitter_email="x@example.org")
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        page = context.new_page()
        page.goto(f"{base}/revision?lang=fr")
        page.fill("#email", REVIEWER)
        page.fill("#password", PASSWORD)
        page.keyboard.press("Enter")
        page.get_by_role("link", name=reference).click()
        page.locator("#organisme").wait_for()
        request_url = page.url
        page.locator("#organisme").click()
        page.keyboard.type(" Inc")
        page.keyboard.press("Enter")
        page.wait_for_timeout(800)
        assert page.url == request_url and submissions.by_reference(store, reference).status == "pending"
        page.get_by_role("button", name="Refuser").click()
        page.locator("#form-problems").wait_for()
        assert page.evaluate("() => document.activeElement.id") == "form-problems"
        page.locator("#form-problems a").click()
        assert page.evaluate("() => document.activeElement.id") == "reject-reason"
        assert submissions.by_reference(store, reference).status == "pending"
        shot(page, "review-refuse-without-reason")
        context.close()
    finally:
        server.shutdown()
        store.dispose()
