"""Counts in the server-rendered pages (Jinja's ``t(key, plural=n, …)``) agree with their number, in French
(0 and 1 singular) and in English (1 singular), never with « (s) »."""

from __future__ import annotations

import html
import re

from maillage_dash.store import submissions
from tests.review.conftest import Client, proposal


def server_ctx(app):
    return app.server.extensions["maillage_server_context"]


def page_text(c: Client, url: str) -> str:
    response = c.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def agrees(text: str, singular: str, plural: str, lang: str) -> int:
    """The number said before ``singular`` or ``plural`` (once in ``text``), checked against its form."""
    found = re.findall(rf"(\d[\d\u00a0\u202f ,]*) ({re.escape(singular)}|{re.escape(plural)})(?!\w)", text)
    assert len(found) == 1, (singular, found)
    number, form = found[0]
    n = int(re.sub(r"\D", "", number))
    one = n in (0, 1) if lang == "fr" else n == 1
    assert form == (singular if one else plural), (n, form)
    return n


def test_the_review_queue_counts_requests_and_entries_to_confirm(live_app):
    c = Client(live_app.server.test_client())
    assert c.login().status_code == 303
    store = server_ctx(live_app).store
    for n in (0, 1, 2):
        if n:
            submissions.submit(store, "entry", proposal(), submitter_email="test@example.org")
        fr, en = page_text(c, "/revision?lang=fr"), page_text(c, "/revision?lang=en")
        assert agrees(fr, "demande en attente", "demandes en attente", "fr") == n
        assert agrees(en, "request waiting", "requests waiting", "en") == n
        assert agrees(fr, "fiche à reconfirmer", "fiches à reconfirmer", "fr") == agrees(
            en, "entry to confirm again", "entries to confirm again", "en"
        )
        assert "(s)" not in fr + en
    assert "1 demande en attente" not in fr and "2 demandes en attente" in fr and "2 requests waiting" in en
    fr, en = page_text(c, "/revision/fraicheur?lang=fr"), page_text(c, "/revision/fraicheur?lang=en")
    assert agrees(fr, "fiche non confirmée", "fiches non confirmées", "fr") == agrees(
        en, "entry not confirmed", "entries not confirmed", "en"
    )
    assert "(s)" not in fr + en


def test_the_form_says_how_many_things_to_fix(live_app):
    c = Client(live_app.server.test_client())
    for lang, singular, plural in (("fr", "chose à corriger", "choses à corriger"), ("en", "thing to fix", "things to fix")):
        sent = c.post_form(f"/proposer?lang={lang}", {**proposal(), "nom": "", "organisme": "", "lang": lang})
        text = html.unescape(sent.get_data(as_text=True))
        assert agrees(text, singular, plural, lang) >= 2 and "(s)" not in text
        sent = c.post_form(f"/proposer?lang={lang}", {**proposal(), "nom": "", "lang": lang})
        assert agrees(html.unescape(sent.get_data(as_text=True)), singular, plural, lang) == 1


def test_a_request_just_sent_is_said_just_now():
    """Not « il y a 0 min »."""
    from datetime import UTC, datetime, timedelta

    from maillage_dash.review.views import age_text

    now = datetime.now(UTC)
    assert age_text(now, "fr") == "à l'instant" and age_text(now, "en") == "just now"
    assert age_text(now - timedelta(minutes=5), "fr") == "il y a 5 min"
