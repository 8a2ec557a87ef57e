"""Propose → review → publish → on the map, through HTTP, on SQLite and PostgreSQL; bad input and
faults: CSRF, HTML, throttling, a database that is down, two reviewers on one entry."""

from __future__ import annotations

import html
import re

from maillage_dash.store import entries, submissions
from maillage_dash.store.engine import Store
from tests.review.conftest import Client, proposal


def server_ctx(app):
    return app.server.extensions["maillage_server_context"]


def test_propose_review_publish_and_every_worker_shows_it(live_app):
    c = Client(live_app.server.test_client())
    live = server_ctx(live_app).directory
    before = len(live)
    sent = c.post_form("/proposer?lang=fr", proposal())
    assert sent.status_code == 303 and sent.location.startswith("/merci?ref=MA-")
    reference = re.search(r"ref=(MA-[A-Z0-9-]+)", sent.location).group(1)
    thanks = c.get(sent.location).get_data(as_text=True)
    assert reference in thanks
    assert live.refresh() is False and len(live) == before  # nothing published yet

    assert c.get("/revision").status_code == 303  # the review area needs a login
    bad = c.login(password="pas-le-bon-mot-de-passe")
    assert bad.status_code == 401 and "Courriel ou mot de passe incorrect" in bad.get_data(as_text=True)
    assert c.login().status_code == 303
    queue = c.get("/revision").get_data(as_text=True)
    assert reference in queue and ("il y a" in queue or "à l'instant" in html.unescape(queue))  # how long it has waited
    item = submissions.pending(server_ctx(live_app).store)[0]
    page = c.get(f"/revision/demande/{item.id}").get_data(as_text=True)
    assert "proposeur.secret@example.org" in page  # reviewers see who to write back to
    form = {**proposal(), "statut": "actif", "confirme_le": "", "confirme_par": "", "version": ""}
    published = c.post_form(f"/revision/demande/{item.id}", {**form, "action": "publish"})
    assert published.status_code == 303, published.get_data(as_text=True)[:2000]
    entry_id = published.location.split("/revision/fiche/")[1].split("?")[0]

    assert live.refresh() is True
    assert live.by_id(entry_id) is not None and len(live) == before + 1
    assert live.by_id(entry_id)["region"] == "15"
    history = c.get(f"/revision/fiche/{entry_id}").get_data(as_text=True)
    assert "créée" in history and reference in history
    # The submitter's email is for reviewers only: never in what the public gets.
    public = c.client.get("/_dash-layout").get_data(as_text=True) + c.get("/api/none").get_data(as_text=True)
    assert "proposeur.secret" not in public
    assert "proposeur.secret" not in str(live.by_id(entry_id).to_dict())


def test_a_correction_is_merged_field_by_field(live_app):
    c = Client(live_app.server.test_client())
    store = server_ctx(live_app).store
    target = entries.search(store, "")[0]
    page = c.get(f"/proposer/correction/{target.id}?lang=en").get_data(as_text=True)
    assert "Report a correction" in page and target.name.replace("'", "&#39;") in page
    sent = c.post_form(
        f"/proposer/correction/{target.id}?lang=en",
        {**_form_of(target.data), "description": "Corrigé (test)", "submitter_email": "org@example.org", "privacy": "y"},
    )
    assert sent.status_code == 303
    item = submissions.pending(store)[0]
    assert item.kind == "correction" and item.target_id == target.id
    c.login()
    review = c.get(f"/revision/demande/{item.id}?lang=en").get_data(as_text=True)
    assert "Corrigé (test)" in review and "<del>" in review
    merged = c.post_form(
        f"/revision/demande/{item.id}?lang=en",
        {**_form_of(target.data), "description": "Corrigé (test)", "version": str(target.version), "action": "publish"},
    )
    assert merged.status_code == 303
    after = entries.get(store, target.id)
    assert after.data["description"] == "Corrigé (test)" and after.version == target.version + 1
    assert entries.history(store, target.id)[0].action == "merge"


def test_two_reviewers_editing_one_entry_the_second_is_refused_and_keeps_its_text(live_app):
    store = server_ctx(live_app).store
    target = entries.search(store, "")[0]
    a, b = Client(live_app.server.test_client()), Client(live_app.server.test_client())
    a.login()
    b.login()
    page_a = a.get(f"/revision/fiche/{target.id}").get_data(as_text=True)
    page_b = b.get(f"/revision/fiche/{target.id}").get_data(as_text=True)
    form = {**_form_of(target.data), "version": str(target.version), "action": "save"}
    first = a.client.post(f"/revision/fiche/{target.id}", data={**form, "note_verification": "par A", "csrf_token": _tok(page_a)})
    assert first.status_code == 303
    second = b.client.post(
        f"/revision/fiche/{target.id}", data={**form, "note_verification": "par B (gardé)", "csrf_token": _tok(page_b)}
    )
    body = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Enregistrement refusé" in body and "relecture@example.org" in body and "par B (gardé)" in body
    assert entries.get(store, target.id).data["note_verification"] == "par A"


def test_html_is_stored_as_text_and_shown_inert(live_app):
    c = Client(live_app.server.test_client())
    sent = c.post_form(
        "/proposer", proposal(nom="<script>alert(1)</script> Halte (fictive)", message="<img src=x onerror=alert(1)>")
    )
    assert sent.status_code == 303
    item = submissions.pending(server_ctx(live_app).store)[0]
    assert item.data["nom"].startswith("<script>")
    c.login()
    page = c.get(f"/revision/demande/{item.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_errors_name_the_field_and_keep_everything_typed(live_app):
    c = Client(live_app.server.test_client())
    typed = proposal(municipalite="Nulle-Part-du-Test", age_min="40", age_max="12", courriel="", telephones="", site_web="")
    typed["description"] = "Un long texte tapé au téléphone (test)."
    response = c.post_form("/proposer?lang=fr", typed)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nulle-Part-du-Test" in body and "Un long texte tapé au téléphone (test)." in body
    assert 'aria-invalid="true"' in body and 'id="municipalite-error"' in body
    assert "Donnez au moins un moyen public de joindre le service" in body
    assert submissions.pending(server_ctx(live_app).store) == []
    # Without the form's token: refused, said, and nothing lost.
    bare = c.client.post("/proposer?lang=en", data=proposal())
    text = bare.get_data(as_text=True)
    assert bare.status_code == 400 and "This form expired" in text and "Halte-jeunesse test (fictive)" in text


def test_a_database_that_is_down_says_so_and_keeps_the_text(live_app):
    ctx = server_ctx(live_app)
    c = Client(live_app.server.test_client())
    page = c.get("/proposer").get_data(as_text=True)
    real = ctx.store
    ctx.store = Store("postgresql+psycopg://nobody:nothing@127.0.0.1:1/none")  # nothing listens on port 1
    try:
        response = c.client.post("/proposer", data={**proposal(description="Texte à garder (test)"), "csrf_token": _tok(page)})
    finally:
        ctx.store.dispose()
        ctx.store = real
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "La base de données ne répond pas" in body and "Texte à garder (test)" in body


def test_repeated_submissions_are_throttled_with_a_message(db_url, tmp_path):
    from maillage_dash.config import Settings
    from maillage_dash.webapp import create_app
    from tests.review.conftest import environ_for

    store = Store(db_url)
    app = create_app(Settings(reload_seconds=0), store=store, environ=environ_for(tmp_path, MAILLAGE_SUBMIT_LIMIT="2/minute"))
    c = Client(app.server.test_client())
    # Refused submissions (an error to correct) do not count: a person fixing the form is not throttled.
    refused = [c.post_form("/proposer", proposal(nom=f"Halte {i} (fictive)", age_min="abc")).status_code for i in range(3)]
    assert refused == [400, 400, 400]
    codes = [c.post_form("/proposer", proposal(nom=f"Halte {i} (fictive)")).status_code for i in range(3)]
    assert codes == [303, 303, 429]
    page = c.get("/proposer").get_data(as_text=True)
    last = c.client.post("/proposer", data={**proposal(nom="Halte gardée (fictive)"), "csrf_token": _tok(page)})
    assert last.status_code == 429 and "Trop d'envois" in html.unescape(last.get_data(as_text=True))
    assert "Halte gardée (fictive)" in last.get_data(as_text=True)
    assert len(submissions.pending(store)) == 2
    store.dispose()


def test_oversized_bodies_are_refused(live_app):
    c = live_app.server.test_client()
    assert c.post("/proposer", data={"description": "x" * 2_000_000}).status_code == 413


def test_testimony_is_published_only_after_review(live_app):
    from maillage_dash.content import model as content

    ctx = server_ctx(live_app)
    c = Client(live_app.server.test_client())
    text = "Nous avons appelé l'équipe de la région voisine et la jeune a été accueillie le soir même (texte de test)."
    missing = c.post_form(
        "/temoigner",
        {"role_auteur": "Intervenante (test)", "secteur": "communautaire", "region": "13", "langue": "fr", "texte": text},
    )
    assert missing.status_code == 400 and text in html.unescape(
        missing.get_data(as_text=True)
    )  # consent not ticked: kept, refused
    sent = c.post_form(
        "/temoigner",
        {
            "role_auteur": "Intervenante (test)",
            "secteur": "communautaire",
            "region": "13",
            "langue": "fr",
            "texte": text,
            "consent": "y",
            "no_youth": "y",
        },
    )
    assert sent.status_code == 303 and "kind=testimony" in sent.location
    assert not [d for d in content.web_testimonials(ctx.store) if text in d.intro]
    item = submissions.pending(ctx.store)[0]
    c.login()
    published = c.post_form(
        f"/revision/demande/{item.id}",
        {
            "role_auteur": "Intervenante (test)",
            "secteur": "communautaire",
            "region": "13",
            "langue": "fr",
            "texte": text,
            "action": "publish",
        },
    )
    assert published.status_code == 303
    docs = [d for d in content.web_testimonials(ctx.store) if text in d.intro]
    assert len(docs) == 1 and docs[0].meta["secteur"] == "communautaire"
    # Shown on /temoignages and beside the community sector's practice sheet, as plain text.
    from maillage_dash import filters
    from maillage_dash.config import Settings
    from maillage_dash.content import sheets_page, testimonials_page
    from maillage_dash.routing import PageContext

    page = PageContext(ctx.directory, Settings(), "fr", filters.FilterState())
    assert text in str(testimonials_page.render(page))
    sheet = PageContext(ctx.directory, Settings(), "fr", filters.FilterState(), ("communautaire",))
    assert "Intervenante (test)" in str(sheets_page.render(sheet))


def test_erasure_request_erases_the_contact(live_app):
    ctx = server_ctx(live_app)
    c = Client(live_app.server.test_client())
    sent = c.post_form("/proposer", proposal())
    reference = re.search(r"ref=(MA-[A-Z0-9-]+)", sent.location).group(1)
    asked = c.post_form("/confidentialite", {"reference": reference, "submitter_email": "proposeur.secret@example.org"})
    assert asked.status_code == 200 and "Votre demande est enregistrée" in asked.get_data(as_text=True)
    request_item = [s for s in submissions.pending(ctx.store) if s.kind == "erasure"][0]
    c.login()
    page = c.get(f"/revision/demande/{request_item.id}").get_data(as_text=True)
    assert "Le courriel de la demande est celui de l'envoi" in html.unescape(page)
    done = c.post_form(f"/revision/demande/{request_item.id}", {"action": "erase"})
    assert done.status_code == 303
    original = submissions.by_reference(ctx.store, reference)
    assert original.submitter_email == "" and original.submitter_name == ""


def test_session_cookie_is_secure_httponly_and_samesite(db_url, tmp_path):
    from maillage_dash.config import Settings
    from maillage_dash.webapp import create_app

    env = {"MAILLAGE_INSTANCE_DIR": str(tmp_path / "i"), "MAILLAGE_CACHE_DIR": str(tmp_path / "c")}
    store = Store(db_url)
    app = create_app(Settings(reload_seconds=0), store=store, environ=env)
    response = app.server.test_client().get("/proposer", base_url="https://localhost")
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("maillage_session=")]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    store.dispose()


def _tok(html: str) -> str:
    from tests.review.conftest import token

    return token(html)


def _form_of(data: dict) -> dict:
    """A template row as the entry form posts it (multi-valued fields as lists of codes)."""
    from maillage_dash import schema
    from maillage_dash.entryform import EntryForm  # noqa: F401
    from maillage_dash.text import split_multi

    parsers = {
        "types_service": schema.parse_type,
        "secteurs": schema.parse_sector,
        "public_cible": schema.parse_audience,
        "regions_desservies": schema.parse_region,
        "langues": lambda v: v.strip().lower() if v.strip().lower() in schema.LANGUAGES else None,
    }
    out: dict = {}
    for name, value in data.items():
        if name in parsers:
            out[name] = [c for c in (parsers[name](v) for v in split_multi(value)) if c]
        elif name == "adresse_confidentielle":
            if str(value).strip().lower() in ("oui", "yes", "true", "1", "x"):
                out[name] = "y"
        elif name == "confirme_par":
            out[name] = schema.parse_method(value) or "" if value else ""
        elif name == "statut":
            out[name] = schema.parse_status(value) or "a_confirmer"
        else:
            out[name] = value
    return out


def test_freshness_list_confirms_in_one_step_and_history_restores(live_app):
    from datetime import date

    store = server_ctx(live_app).store
    c = Client(live_app.server.test_client())
    c.login()
    stale = entries.stale(store, date.today())
    assert stale, "the shipped directory has entries not confirmed for 12 months"
    target = stale[0]
    page = c.get("/revision/fraicheur").get_data(as_text=True)
    assert target.name.replace("'", "&#39;") in page and 'href="tel:' in page
    done = c.client.post(f"/revision/fiche/{target.id}", data=_from_freshness(page, target, "appel"))
    assert done.status_code == 303 and done.location.startswith("/revision/fraicheur")
    # Back on the list: a word of what was saved, where the next entry is (the place in the list is kept).
    back = html.unescape(c.get(done.location).get_data(as_text=True))
    note = re.search(r'<div class="alert alert-success" role="status" id="confirmed-msg"[^>]*>(.*?)</div>', back, re.S)
    assert note and target.name in note.group(1) and "un appel" in note.group(1)
    confirmed = entries.get(store, target.id)
    assert confirmed.confirmed_on == date.today() and confirmed.data["confirme_par"] == "appel"
    assert target.id not in {e.id for e in entries.stale(store, date.today())}
    # The history shows the confirmation; going back to the first version is one button.
    entry_page = c.get(f"/revision/fiche/{target.id}").get_data(as_text=True)
    assert "confirmée" in entry_page
    first = entries.history(store, target.id)[-1]
    restored = c.client.post(
        f"/revision/fiche/{target.id}/restaurer/{first.id}",
        data={"restore-csrf_token": _tok_prefixed(entry_page, "restore"), "restore-version": str(confirmed.version)},
    )
    assert restored.status_code == 303
    assert entries.get(store, target.id).data == first.data
    assert [h.action for h in entries.history(store, target.id)][:2] == ["restore", "confirm"]


def _from_freshness(page: str, target, method: str) -> dict:
    """What the freshness list's « Confirmé aujourd'hui » posts for ``target``."""
    from datetime import date

    return {
        "confirm-csrf_token": _tok_prefixed(page, "confirm"),
        "confirm-version": str(target.version),
        "confirm-on": date.today().isoformat(),
        "confirm-method": method,
        "back": "freshness",
        "action": "confirm",
    }


def _tok_prefixed(html: str, prefix: str) -> str:
    from tests.review.conftest import token

    return token(html, prefix)


def test_the_proposal_page_says_how_to_correct_an_existing_entry(live_app):
    """The footer's « Proposer une initiative ou une correction » lands on the new-initiative form: it says
    where corrections are made (the entry's own « Signaler une correction », filled in)."""
    c = Client(live_app.server.test_client())
    for lang, words in (("fr", "Signaler une correction"), ("en", "Report a correction")):
        page = html.unescape(c.get(f"/proposer?lang={lang}").get_data(as_text=True))
        how = re.search(r'<p class="small" id="correct-how">(.*?)</p>', page, re.S)
        assert how and words in how.group(1) and f'href="/?lang={lang}"' in how.group(1)


def test_a_document_confirmation_from_the_freshness_list_needs_its_address(live_app):
    """From the list, « le site de l'organisme » with no address is refused on the entry's page (the field
    named, the way back kept); with the address it is saved and the list says so."""
    from datetime import date

    store = server_ctx(live_app).store
    c = Client(live_app.server.test_client())
    c.login()
    target = entries.stale(store, date.today())[1]
    page = c.get("/revision/fraicheur").get_data(as_text=True)
    assert 'name="confirm-source"' in page
    base = {**_from_freshness(page, target, "site_organisme"), "next": ""}
    refused = c.client.post(f"/revision/fiche/{target.id}", data=base)
    text = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400 and "adresse de la source manquante" in text
    assert 'name="back" value="freshness"' in text
    done = c.client.post(f"/revision/fiche/{target.id}", data={**base, "confirm-source": "https://source-fictive.qc.ca/"})
    assert done.status_code == 303 and done.location.startswith("/revision/fraicheur")
    assert entries.get(store, target.id).data["confirme_source"] == "https://source-fictive.qc.ca/"


def test_a_correction_shows_only_real_changes_in_words(live_app):
    """Types given in another order are not a change; codes are shown as the words people read."""
    from maillage_dash.review.views import shown_value

    before = {"types_service": "travail_de_rue;accompagnement;prevention", "age_max": "25", "statut": "a_confirmer"}
    after = {"types_service": "prevention; travail_de_rue;accompagnement", "age_max": "21", "statut": "actif"}
    assert [(c.column, c.before, c.after) for c in submissions.changes(before, after)] == [
        ("age_max", "25", "21"),
        ("statut", "a_confirmer", "actif"),
    ]
    assert shown_value("types_service", "travail_de_rue;prevention", "fr") == "Travail de rue, Prévention"
    assert shown_value("statut", "a_confirmer", "en") == "To be confirmed"
    assert shown_value("confirme_le", "2025-03-04", "fr") == "4 mars 2025"
    assert shown_value("public_cible", "", "fr") == "—"
