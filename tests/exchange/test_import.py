"""Bulk import through the command line and the review area, and the read-only API."""

from __future__ import annotations

import csv
import html
import io
import json
import re

from maillage_dash.cli import main
from maillage_dash.config import Settings
from maillage_dash.exchange import importing, package, reading
from maillage_dash.schema import TEMPLATE_NAMES
from maillage_dash.store import entries
from maillage_dash.store.engine import Store
from maillage_dash.webapp import create_app
from tests.conftest import row
from tests.review.conftest import Client, environ_for


def ctx_of(app):
    return app.server.extensions["maillage_server_context"]


def csv_bytes(rows, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(TEMPLATE_NAMES), delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def test_plan_shows_new_changed_unchanged_and_absent_then_applies_in_one_transaction(live_app, geography):
    store = ctx_of(live_app).store
    calacs = [e for e in entries.search(store, "") if e.file == "calacs.csv"]
    first, second, third = calacs[0], calacs[1], calacs[2]
    rows = [
        {**first.data, "description": "Nouvelle description (test)"},
        dict(second.data),
        row(id="nouveau-test", organisme=first.organisation, nom="Nouveau point de service (fictif)"),
    ]
    source = reading.read_bytes(csv_bytes(rows, delimiter=";", encoding="utf-8-sig"), "region.csv", geography)
    plan = importing.plan(store, source, geography)
    assert [i.id for i in plan.new] == ["nouveau-test"]
    assert [(i.id, [c.column for c in i.changes]) for i in plan.changed] == [(first.id, ["description"])]
    assert [i.id for i in plan.unchanged] == [second.id]
    assert third.id not in {a.id for a in plan.absent} or third.organisation == first.organisation
    absent_ids = {a.id for a in plan.absent}
    version = store.data_version()
    outcome = importing.apply(store, plan, geography, by="test", end=set(list(absent_ids)[:1]))
    assert (outcome.created, outcome.changed, outcome.ended) == (1, 1, min(1, len(absent_ids)))
    assert entries.get(store, first.id).data["description"] == "Nouvelle description (test)"
    assert entries.get(store, "nouveau-test").file == "region.csv"
    assert store.data_version() > version


def test_a_file_with_one_error_writes_nothing_and_a_conflict_rolls_back(live_app, geography):
    store = ctx_of(live_app).store
    target = entries.search(store, "")[0]
    bad = csv_bytes([row(id="ok-test"), row(id="mauvais", municipalite="Nulle-Part-du-Test")])
    plan = importing.plan(store, reading.read_bytes(bad, "mauvais.csv", geography), geography)
    assert plan.refused and [p.column for p in plan.problems if p.severity == "error"] == ["municipalite"]
    before = entries.count(store)
    try:
        importing.apply(store, plan, geography, by="test")
    except entries.Invalid:
        pass
    assert entries.count(store) == before
    # A plan made before someone else saved an entry: the whole import is refused.
    plan = importing.plan(
        store,
        reading.read_bytes(
            csv_bytes([row(id="autre-test"), {**target.data, "description": "import (test)"}]), "f.csv", geography
        ),
        geography,
    )
    entries.save(
        store, target.id, {**target.data, "note_verification": "entre-temps"}, geography, expected_version=target.version, by="x"
    )
    try:
        importing.apply(store, plan, geography, by="test")
        raise AssertionError("the import should have been refused")
    except entries.Conflict:
        pass
    assert entries.get(store, "autre-test") is None and entries.count(store) == before


def test_formula_cells_and_html_are_kept_as_text(live_app, geography):
    store = ctx_of(live_app).store
    raw = csv_bytes([row(id="formule-test", nom='=HYPERLINK("http://x") <b>gras</b> (fictif)')])
    plan = importing.plan(store, reading.read_bytes(raw, "f.csv", geography), geography)
    (warning,) = [p for p in plan.problems if p.code == "formula_cell"]
    assert warning.column == "nom" and warning.row == 2 and "gardée comme texte" in warning.message("fr")
    importing.apply(store, plan, geography, by="test")
    assert entries.get(store, "formule-test").data["nom"].startswith("=HYPERLINK")


def test_upload_preview_confirm_and_cancel_through_http(live_app):
    c = Client(live_app.server.test_client())
    c.login()
    page = c.get("/revision/import").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    raw = csv_bytes([row(id="televerse-test", nom="Service téléversé <i>x</i> (fictif)")])
    sent = c.client.post(
        "/revision/import",
        data={"csrf_token": token, "file": (io.BytesIO(raw), "region.csv")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 303
    preview_url = sent.location
    preview = c.get(preview_url).get_data(as_text=True)
    assert "Nouvelles fiches (1)" in preview and "&lt;i&gt;x&lt;/i&gt;" in preview
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', preview).group(1)
    cancelled = c.client.post(preview_url, data={"csrf_token": token, "action": "cancel"})
    assert cancelled.status_code == 303 and c.get(preview_url).status_code == 404
    store = ctx_of(live_app).store
    assert entries.get(store, "televerse-test") is None
    sent = c.client.post(
        "/revision/import",
        data={"csrf_token": token, "file": (io.BytesIO(raw), "region.csv")},
        content_type="multipart/form-data",
    )
    done = c.client.post(sent.location, data={"csrf_token": token, "action": "confirm"})
    assert done.status_code == 200 and "1 créée, 0 changée, 0 marquée terminée." in html.unescape(done.get_data(as_text=True))
    assert entries.get(store, "televerse-test") is not None


def test_a_200_mb_upload_is_refused_with_a_message(live_app):
    c = Client(live_app.server.test_client())
    c.login()
    page = c.get("/revision/import").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    huge = io.BytesIO(b"0" * (200 * 2**20))
    response = c.client.post(
        "/revision/import", data={"csrf_token": token, "file": (huge, "enorme.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 413 and "Fichier trop gros" in response.get_data(as_text=True)


def test_import_needs_a_reviewer(live_app):
    assert live_app.server.test_client().get("/revision/import").status_code == 303


def test_command_line_import_dry_run_and_real(live_app, geography, tmp_path, db_url, capsys):
    store = ctx_of(live_app).store
    (tmp_path / "f.csv").write_bytes(csv_bytes([row(id="cli-test")]))
    env = {**environ_for(tmp_path), "DATABASE_URL": db_url}
    assert main(["import", str(tmp_path / "f.csv"), "--dry-run"], env) == 0
    assert (
        "1 nouvelle, 0 changée, 0 inchangée, 0 absente du fichier ; 0 erreur, 0 avertissement." in capsys.readouterr().out
        and entries.get(store, "cli-test") is None
    )
    assert main(["import", str(tmp_path / "f.csv")], env) == 0
    assert entries.get(store, "cli-test") is not None
    (tmp_path / "bad.json").write_text("[1, 2", encoding="utf-8")
    assert main(["--lang", "en", "import", str(tmp_path / "bad.json")], env) == 1
    assert "unreadable JSON, line 1" in capsys.readouterr().err
    out = tmp_path / "export.json"
    assert main(["hsds", "export", "--format", "json", "-o", str(out)], env) == 0
    body = json.loads(out.read_text(encoding="utf-8"))
    assert body["total_items"] == entries.count(store)
    assert not [s for s in body["contents"] if package.validation_errors(s)]


def test_api_filters_paging_confidentiality_and_errors(live_app):
    c = live_app.server.test_client()
    everything = c.get("/api/services?per_page=200").get_json()
    assert everything["total_items"] == len(ctx_of(live_app).directory)
    assert len(everything["contents"]) == min(200, everything["total_items"])
    pages = c.get("/api/services?per_page=50&page=2").get_json()
    assert pages["page_number"] == 2 and not pages["first_page"] and pages["size"] == 50
    shelters = c.get("/api/services?type=hebergement&region=06&per_page=200").get_json()["contents"]
    assert shelters and all(any(a["taxonomy_term"]["code"] == "type:hebergement" for a in s["attributes"]) for s in shelters)
    for s in everything["contents"]:
        if any(a["link_type"] == "confidential_address" for a in s["attributes"]):
            assert s["service_at_locations"][0]["location"]["addresses"] == []
    english = c.get("/api/services?lang=en&per_page=1").get_json()["contents"][0]
    assert any(a["taxonomy_term"]["language"] == "eng" for a in english["attributes"])
    one = everything["contents"][0]
    assert c.get(f"/api/services/{one['id']}").get_json()["id"] == one["id"]
    assert c.get("/api/services/inconnu").status_code == 404
    bad = c.get("/api/services?per_page=1000")
    assert bad.status_code == 400 and "per_page" in bad.get_json()["message"]
    assert c.get("/api/services?region=99&lang=en").get_json()["message"] == "filter value that cannot be read: 99."
    orgs = c.get("/api/organizations?per_page=5").get_json()
    assert orgs["size"] == 5 and all(o["services"] for o in orgs["contents"])


def test_api_is_rate_limited(db_url, tmp_path):
    store = Store(db_url)
    app = create_app(Settings(reload_seconds=0), store=store, environ=environ_for(tmp_path, MAILLAGE_API_LIMIT="3/minute"))
    c = app.server.test_client()
    codes = [c.get("/api/services?per_page=1").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    store.dispose()


def test_hsds_downloads_follow_the_filters(live_app):
    import zipfile

    c = live_app.server.test_client()
    body = json.loads(c.get("/api/export/hsds.json?region=13").get_data())
    assert 0 < body["total_items"] < len(ctx_of(live_app).directory)
    archive = zipfile.ZipFile(io.BytesIO(c.get("/api/export/hsds-tabulaire.zip?region=13").get_data()))
    assert "datapackage.json" in archive.namelist() and "services.csv" in archive.namelist()
    services = archive.read("services.csv").decode().strip().splitlines()
    assert len(services) == body["total_items"] + 1
