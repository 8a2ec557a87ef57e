"""The entry page's « Confirmer que le service existe » panel, posted with the names the page itself
renders (a browser sends what the HTML says): a dated confirmation read in a document gives its address;
refused input names the field and is kept."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

from maillage_dash.store import entries
from tests.review.conftest import Client


class _Forms(HTMLParser):
    """Each <form>'s fields (name → value) and its buttons' actions."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"fields": {}, "actions": []})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("checkbox", "radio"):
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self.forms[-1]["fields"][a["name"]] = ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.forms[-1]["fields"].setdefault(a["name"], "")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1]["fields"][self._select] = a.get("value") or ""
        elif tag == "button" and a.get("value"):
            self.forms[-1]["actions"].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def confirm_form(page: str) -> dict:
    parser = _Forms()
    parser.feed(page)
    return next(f["fields"] for f in parser.forms if "confirm" in f["actions"])


def test_the_confirm_panel_confirms_with_a_dated_source_and_names_what_is_missing(live_app):
    store = live_app.server.extensions["maillage_server_context"].store
    c = Client(live_app.server.test_client())
    c.login()
    target = entries.stale(store, date.today())[0]
    url = f"/revision/fiche/{target.id}?lang=fr"
    fields = confirm_form(c.get(url).get_data(as_text=True))
    assert {"confirm-on", "confirm-method", "confirm-source", "confirm-note"} <= fields.keys(), fields
    read_on = (date.today() - timedelta(days=3)).isoformat()

    # A website read, with no address: refused, the field named, what was typed kept.
    refused = c.client.post(url, data={**fields, "confirm-on": read_on, "confirm-method": "site_organisme", "action": "confirm"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "adresse de la source manquante" in text
    assert f'value="{read_on}"' in text and entries.get(store, target.id).confirmed_on == target.confirmed_on

    fields = confirm_form(text)
    done = c.client.post(
        url,
        data={
            **fields,
            "confirm-on": read_on,
            "confirm-method": "site_organisme",
            "confirm-source": "https://source-fictive.qc.ca/a-propos",
            "action": "confirm",
        },
    )
    assert done.status_code == 303, done.get_data(as_text=True)[:2000]
    confirmed = entries.get(store, target.id)
    assert confirmed.confirmed_on == date.fromisoformat(read_on) and confirmed.data["confirme_par"] == "site_organisme"
    assert confirmed.data["confirme_source"] == "https://source-fictive.qc.ca/a-propos"
