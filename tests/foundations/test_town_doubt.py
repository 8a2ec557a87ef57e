"""A town the research note doubts (not an attested office: where the service meets people, an article's
dateline) is said beside the town wherever a worker reads where to go: the card, the nearby list, the
referral sheet; the audit counts it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from maillage_dash import filters, rows
from maillage_dash.audit import model as audit
from maillage_dash.config import Settings
from maillage_dash.loading import load_directory
from maillage_dash.nearby import model as nearby
from maillage_dash.nearby.layout import results_view
from maillage_dash.site.router import Router
from maillage_dash.ui.card import service_card
from tests.conftest import TODAY, row, write_csv


def markup(component) -> str:
    return json.dumps(component.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)


@pytest.fixture(scope="module")
def doubted(tmp_path_factory, geography):
    folder = tmp_path_factory.mktemp("doubt")
    write_csv(
        folder,
        [
            row(
                id="doubt", nom="Service au palais (fictif)", note_verification="Siège non confirmé : ville du palais de justice."
            ),
            row(id="sure", nom="Service au bureau (fictif)", note_verification="Deux sources datées."),
        ],
    )
    return load_directory(folder, geography, today=TODAY)


@pytest.mark.parametrize(
    ("note", "doubt"),
    [
        ("Siège non confirmé : municipalité de l'article.", True),
        ("Ville déduite de l'en-tête d'un communiqué.", True),
        ("Town inferred from a press release.", True),
        ("Deux sources datées ; numéro relu sur le site.", False),
        ("", False),
        (None, False),
    ],
)
def test_the_note_says_when_the_town_is_not_an_attested_office(note, doubt):
    assert rows.town_in_doubt(note) is doubt


@pytest.mark.parametrize(
    ("lang", "words"),
    [("fr", "bureau non confirmé dans cette ville"), ("en", "office in this town not confirmed")],
)
def test_the_card_says_to_call_before_going(doubted, lang, words):
    services = doubted.services
    assert words in markup(service_card(services.loc["doubt"], lang, "", date(2026, 11, 29)))
    assert words not in markup(service_card(services.loc["sure"], lang, "", date(2026, 11, 29)))


def test_the_nearby_list_and_the_referral_sheet_say_it_too(doubted):
    near = nearby.nearby_for(doubted, Settings().geo_dir)
    place = near.finder.resolve("Saint-Hyacinthe").place
    view, frame = results_view(near, place, filters.FilterState(), 50.0, "fr", [], plain=True)
    text = json.dumps(view, ensure_ascii=False)
    assert set(frame.index) == {"doubt", "sure"} and text.count("ville à confirmer") == 1
    router = Router(directory=doubted, settings=Settings())
    sheet, _ = router.render_page("/fiche-reference", "?lang=en&ids=doubt&ids=sure")
    assert markup(sheet).count("office in this town not confirmed") == 1


def test_the_audit_counts_the_same_rows(doubted):
    findings = audit.audit(doubted, date(2026, 11, 29))
    assert {f.service_id for f in findings if f.risk == "town_uncertain"} == {"doubt"}
