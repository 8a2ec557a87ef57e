"""« En cas d'urgence »: which lines, in which order, from which data (shipped directory and reference file)."""

from __future__ import annotations

import json

from maillage_dash import emergency
from maillage_dash.config import Settings
from maillage_dash.site.router import Router


def dump(component) -> str:
    return json.dumps(component.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)


def test_the_reference_lines_parse_and_name_their_source():
    lines = {line.key: line for line in emergency.reference_lines()}
    assert set(lines) == {"urgence-911", "info-social-811", "sos-violence-conjugale"}
    assert lines["urgence-911"].phone.href == "tel:911"
    assert all(line.source.startswith("http") for line in lines.values())


def test_911_first_then_the_regions_dpj_line_then_provincial_help(shipped):
    lines = emergency.lines_for(shipped, "15")
    keys = [line.key for line in lines]
    assert keys[0] == "urgence-911"
    dpj = lines[1]
    rec = shipped.by_id(dpj.service_id)
    assert rec is not None and rec["region"] == "15" and dpj.phone.kind == "signalement_dpj"
    assert {"tel-jeunes", "info-aide-violence-sexuelle", "info-social-811", "sos-violence-conjugale"} <= set(keys)
    # Without a region there is no DPJ line (the strip says to choose a place).
    assert not any(line.phone.kind == "signalement_dpj" for line in emergency.lines_for(shipped, None))


def test_a_shared_territory_lists_each_dpj_that_serves_it(shipped):
    dpj = [line for line in emergency.lines_for(shipped, "10") if line.phone.kind == "signalement_dpj"]
    assert len(dpj) >= 2  # Nord-du-Québec: the Cree territory's DPJ and those of the neighbouring regions


def test_the_nearby_page_and_the_region_profile_show_the_strip(shipped):
    router = Router(directory=shipped, settings=Settings())
    body, _ = router.render_page("/proximite", "?lang=fr&pres=Saint-J%C3%A9r%C3%B4me")
    text = dump(body)
    laurentides = emergency.lines_for(shipped, "15")[1]
    assert "En cas d'urgence" in text and "tel:911" in text and laurentides.phone.href in text
    body, _ = router.render_page("/region/13", "?lang=en")
    text = dump(body)
    assert "In an emergency" in text and emergency.lines_for(shipped, "13")[1].phone.href in text


def test_a_dpj_with_daytime_and_evening_numbers_shows_both_said_so_in_both_languages(shipped):
    """Gaspésie–Îles-de-la-Madeleine: the source gives one number for the day and one for the evening; the
    strip shows both, each with when it answers, and the button is in English on English pages."""
    from maillage_dash.ui.emergency import emergency_strip

    dpj = [line for line in emergency.lines_for(shipped, "11") if line.phone.kind == "signalement_dpj"]
    assert [line.phone.periods for line in dpj] == [("jour",), ("soir",)]
    fr, en = dump(emergency_strip(dpj, "fr", region_known=True)), dump(emergency_strip(dpj, "en", region_known=True))
    assert "le jour" in fr and "le soir" in fr and "daytime" in en and "evenings" in en
    assert "Report to youth protection (DPJ) — Gaspésie" in en and "Signalement à la DPJ" not in en
