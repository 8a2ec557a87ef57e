"""Bulk import in headless Chromium: upload, report, preview, cancel, confirm — axe-clean."""

from __future__ import annotations

import pytest

from tests.browser_fixtures import shot
from tests.conftest import row
from tests.exchange.test_import import csv_bytes
from tests.review.conftest import PASSWORD, REVIEWER
from tests.review.test_browser import axe_clean, db_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def sign_in(page, server: str) -> None:
    page.goto(f"{server}/revision/connexion")
    page.locator("#email").fill(REVIEWER)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Demandes à réviser").wait_for()


def upload(page, server: str, tmp_path, name: str, body: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(body)
    page.goto(f"{server}/revision/import")
    page.locator("#file").set_input_files(str(path))
    page.get_by_role("button", name="Envoyer et vérifier").click()
    page.get_by_role("heading", name="Aperçu de l'import").wait_for(timeout=30_000)


def test_upload_report_preview_cancel_and_confirm(browser, db_server, tmp_path):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-CA")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, db_server)
    page.goto(f"{db_server}/revision/import")
    axe_clean(page, "/revision/import")

    bad = csv_bytes([row(id="mauvais-test", municipalite="Nulle-Part-du-Test", age_min="40", age_max="12")])
    upload(page, db_server, tmp_path, "mauvais.csv", bad)
    assert page.locator("#import-errors tbody tr").count() >= 2
    assert page.get_by_role("button", name="Confirmer l'import").count() == 0  # nothing can be written
    axe_clean(page, "/revision/import (errors)")
    shot(page, "import-errors-1280")

    good = csv_bytes([row(id="navigateur-import", nom="Service importé par le navigateur (fictif)")], delimiter=";")
    upload(page, db_server, tmp_path, "region.csv", good)
    page.get_by_role("heading", name="Nouvelles fiches (1)").wait_for()
    axe_clean(page, "/revision/import (preview)")
    shot(page, "import-preview-1280")
    page.get_by_role("button", name="Annuler").click()
    page.get_by_text("Import annulé").wait_for()

    upload(page, db_server, tmp_path, "region.csv", good)
    page.get_by_role("button", name="Confirmer l'import").click()
    page.locator("#import-done").wait_for()
    assert "1 créée, 0 changée, 0 marquée terminée." in page.locator("#import-done").inner_text()
    assert errors == []
    context.close()


def test_import_page_on_a_phone(browser, db_server):  # noqa: F811
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True, locale="fr-CA")
    page = context.new_page()
    sign_in(page, db_server)
    page.goto(f"{db_server}/revision/import")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    axe_clean(page, "/revision/import at 375 px")
    context.close()
