"""Coverage page and region profile without a browser: callbacks, download routes, the HTML export,
and "—" with its reason wherever a value cannot be computed (screen and file)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from html import unescape

import plotly
import pytest

from maillage_dash.config import Settings
from maillage_dash.coverage import model as coverage
from maillage_dash.coverage import page as couverture
from maillage_dash.coverage import region_page as region
from maillage_dash.coverage import report
from maillage_dash.coverage.model import Analysis
from maillage_dash.coverage.population import parse_population
from maillage_dash.filters import FilterState
from maillage_dash.loading import load_directory
from maillage_dash.routing import PageContext
from maillage_dash.webapp import create_app
from tests.conftest import TODAY, row, write_csv

UNDEFINED = re.compile(r"\b(nan|NaN|inf|Infinity|None)\b")


@pytest.fixture(scope="module")
def client(shipped):
    return create_app(Settings(), directory=shipped).server.test_client()


def visible_html(component) -> str:
    return unescape(report.to_html(component))


def page_json(component) -> str:
    return json.dumps(component.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def visible_text(component) -> str:
    """The text a person reads: the HTML export of the layout without its tags and scripts."""
    html = report.to_html(component)
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


# --------------------------------------------------------------------------- routes


def test_coverage_download_route(client):
    response = client.get("/export/couverture.json?lang=en&age=12-17&region=10&annee=2021")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    document = json.loads(response.data)
    assert document["metadata"]["population"]["year"] == 2021
    assert [r["region_code"] for r in document["rows"]] == ["10"] * 9
    assert client.get("/export/couverture.xls?lang=fr").status_code == 404


def test_region_export_route(client):
    response = client.get("/export/region/07.html?lang=en&secteur=policier")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert re.search(
        r'filename="maillage-region-profile-07-outaouais-\d{4}-\d{2}-\d{2}\.html"', response.headers["Content-Disposition"]
    )
    html = response.data.decode("utf-8")
    assert "<h1>07 – Outaouais — region profile</h1>" in html
    assert "Sectors: Police" in html
    assert '<svg class="svg-map"' in html
    unknown = client.get("/export/region/42.html?lang=fr")
    assert unknown.status_code == 404 and "Région « 42 » inconnue" in unknown.data.decode("utf-8")


# --------------------------------------------------------------------------- callbacks


def test_matrix_callback_follows_state_year_and_measure(shipped):
    view = couverture.CoverageView(shipped)
    store = {"query": "?lang=en&region=06&type=prevention", "lang": "en", "fresh": False}
    note, figure, table, csv_href, json_href = view.on_matrix(store, 2016, "count")
    heatmap = figure["data"][-1]  # the figure as Dash sends it (coverage.figures.heatmap_plain)
    assert heatmap["y"] == ["06 – Montréal"] and heatmap["x"] == ["Prevention"]
    expected = coverage.analysis(shipped).coverage(FilterState(regions=("06",), types=("prevention",)), 2016)
    assert heatmap["text"] == [[str(expected.cell("06", "prevention").count)]]
    assert "2016" in visible_text(note)
    assert csv_href == "/export/couverture.csv?lang=en&region=06&type=prevention&annee=2016"
    assert json_href.startswith("/export/couverture.json?")
    assert "/region/06?lang=en&region=06&type=prevention&annee=2016" in visible_html(table)
    # Just rendered with this very state: nothing to send again.
    fresh = {**store, "fresh": True}
    assert all(v is couverture.no_update for v in view.on_matrix(fresh, 2016, "count"))


def test_access_callback_lists_deserts_of_the_chosen_type(shipped):
    view = couverture.CoverageView(shipped)
    table, deserts = view.on_access({"query": "?lang=fr&region=09", "lang": "fr", "fresh": False}, "aide_victimes")
    text = page_json(deserts)
    assert "Aide aux victimes" in text and "09 – Côte-Nord" in text
    assert "10 – Nord-du-Québec" not in text  # deserts among the chosen regions only


# --------------------------------------------------------------------------- "—" with a reason, never NaN


POPULATION_WITHOUT_LAVAL = """code_region,nom_region,annee,type_donnee,statut,groupe_age,age_min,age_max,population
06,Montréal,2026,Projection,Révisée,12-25,12,25,360246
06,Montréal,2026,Projection,Révisée,12-17,12,17,127370
"""


def test_region_without_population_shows_dashes_with_reasons(shipped):
    analysis = Analysis(shipped, parse_population(POPULATION_WITHOUT_LAVAL))
    profile = region.build(analysis, "13", FilterState(), now=datetime(2026, 11, 23, 10, 0))
    body = region.body(profile, "fr", directory=shipped)
    text = visible_text(body)
    assert "—" in text
    assert "Population inconnue pour cette région, cette année et ce groupe d'âge" in text
    assert not UNDEFINED.search(text)
    assert "nan" not in page_json(body).replace("intervenant", "").replace("financ", "")


def test_html_export_of_a_region_without_population(shipped):
    analysis = Analysis(shipped, parse_population(POPULATION_WITHOUT_LAVAL))
    html = report.region_html(analysis, "13", FilterState(age=(12, 17)), "en", now=datetime(2026, 11, 23, 10, 0))
    body = html[html.index("<body>") :]
    text = unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", body, flags=re.S)))
    assert "Population unknown for this region, year and age group: no rate." in text
    assert not UNDEFINED.search(text)
    assert "November 23, 2026 at 10:00" in text  # the export states its date


def test_coverage_page_for_an_empty_selection_never_divides_by_zero(shipped):
    ctx = PageContext(shipped, Settings(), "en", FilterState(text="zzzz-no-such-service", age=(40, 120)), (), {})
    text = visible_text_of_page(couverture.render(ctx))
    assert "No “Street outreach” service matches the filters anywhere in Québec" in text
    assert "No youth group of the population file contains “40 years and over”" in text
    assert not UNDEFINED.search(text)


def visible_text_of_page(component) -> str:
    # The page holds Dash controls the export does not render: read the JSON's strings instead.
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', page_json(component))
    return " ".join(json.loads(f'"{s}"') for s in strings)


def test_html_export_refuses_an_unknown_component():
    from dash import dcc

    with pytest.raises(TypeError, match="dash_core_components.Dropdown"):
        report.to_html(dcc.Dropdown(options=[]))


def test_region_page_names_its_cavac_or_says_none_is_listed(client, tmp_path, geography):
    """Every region has a CAVAC: its page names the region's entries; where the directory lists none it says
    « none listed », not « none exists », with the network's toll-free line as the CAVAC entries give it and
    the audit page."""
    laval = client.get("/region/13?lang=fr").get_data(as_text=True)
    cavac = re.search(r'<p class="small region-cavac">(.*?)</p>', laval)
    assert cavac and "service=cavac-laval" in unescape(cavac.group(1)) and "(CAVAC) de Laval" in unescape(cavac.group(1))
    gim = client.get("/region/11?lang=en").get_data(as_text=True)  # placed where its workers meet victims
    cavac = re.search(r'<p class="small region-cavac">(.*?)</p>', gim)
    assert cavac and "service=cavac-gaspesie-iles-de-la-madeleine" in unescape(cavac.group(1))
    # A directory with a CAVAC in Laval only: Gaspésie–Îles-de-la-Madeleine's page says none is listed.
    rows = [
        row(
            id="cavac-laval",
            organisme="CAVAC de Laval (fictif)",
            municipalite="Laval",
            telephones="aide: 1 866 532-2822 (provinciale)",
        )
    ]
    write_csv(tmp_path, rows)
    directory = load_directory(tmp_path, geography, today=TODAY)
    none = region.cavac_line(directory, "11", FilterState(), "en")
    assert none.className == "small region-cavac region-cavac-none"
    markup = json.dumps(none.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    assert "none listed in Maillage for this region" in markup and "1 866 532-2822" in markup
    assert "tel:+18665322822" in markup and "/qualite?lang=en" in markup
    assert region.cavac_line(directory, "13", FilterState(), "en").className == "small region-cavac"
