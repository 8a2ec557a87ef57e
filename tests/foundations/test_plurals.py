"""A counted message agrees with its number by the language's plural rule (French: 0 and 1 singular;
English: 1 singular), never with « (s) »: the catalogues, then each capability's messages as it writes them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from maillage_dash.filters import FilterState
from maillage_dash.i18n import LANGS, catalogue, count_text, t
from maillage_dash.loading import load_directory
from maillage_dash.validation import Problem, report
from tests.conftest import HEADER, row, write_csv

# « service(s) », « écrit(e) », "address(es)", "entry(ies)", « précise(nt) »: a plural left to the reader
IN_PARENTHESES = re.compile(r"\w\((?:s|e|es|x|ies|nt)\)")

# Counted messages once written with « (s) »: each is now one form per plural category, in both languages.
COUNTED = (
    "api.bad_filter",
    "cli.exported",
    "cli.nearby_apart",
    "cli.nearby_done",
    "cli.rejected",
    "content.problems",
    "content.sector_services",
    "coverage.cli_written",
    "exchange.confidential_dropped",
    "exchange.errors_title",
    "exchange.hsds_written",
    "exchange.more",
    "exchange.more_errors",
    "exchange.warnings_title",
    "footer.warnings",
    "form.problems",
    "network.and_more",
    "network.cross_caption",
    "network.edges_caption",
    "network.flows_caption",
    "network.graph_degree",
    "network.list_caption",
    "network.map_flow_n",
    "network.map_partnerships_n",
    "network.outside_caption",
    "network.serving_caption",
    "problem.rows_not_read",
    "review.age_days",
    "review.entries_count",
    "review.freshness_intro",
    "review.queue_count",
    "review.stale_count",
    "search.summary",
)


def dump(component: Any) -> str:
    return json.dumps(
        component, default=lambda o: o.to_plotly_json() if hasattr(o, "to_plotly_json") else str(o), ensure_ascii=False
    )


def forms(value: str | dict[str, str]) -> list[str]:
    return list(value.values()) if isinstance(value, dict) else [value]


def test_no_message_leaves_the_plural_in_parentheses():
    """No exception: ``dd.selected_count`` (« {num_selected} sélectionnées ») is plural only because the region
    list (Dash 4's dropdown) shows that count from two selected regions on."""
    found = [
        (lang, key, text)
        for lang in LANGS
        for key, value in catalogue(lang).items()
        for text in forms(value)
        if "(s)" in text or IN_PARENTHESES.search(text)
    ]
    assert found == []


def test_plural_forms_are_one_and_other_with_the_same_parameters():
    placeholders = re.compile(r"\{(\w+)\}")
    for lang in LANGS:
        for key, value in catalogue(lang).items():
            if isinstance(value, dict):
                assert set(value) == {"one", "other"}, (lang, key)
                assert set(placeholders.findall(value["one"])) == set(placeholders.findall(value["other"])), (lang, key)
    for key in COUNTED:
        assert isinstance(catalogue("fr")[key], dict) and isinstance(catalogue("en")[key], dict), key


def test_the_region_count_of_the_dropdown_is_plural():
    assert t("dd.selected_count", "fr") == "{num_selected} sélectionnées"


@pytest.mark.parametrize(
    ("key", "params", "said"),
    [
        ("network.edges_caption", {}, ("partenariat des services", "partenariats des services", "partnerships of the")),
        (
            "network.list_caption",
            {},
            ("service ou initiative qui correspond", "services ou initiatives qui correspondent", "services or"),
        ),
        ("network.outside_caption", {}, ("région dont", "régions dont", "regions where")),
        ("network.cross_caption", {}, ("paire de régions", "paires de régions", "pairs of regions")),
        ("network.flows_caption", {}, ("lien d'une région", "liens d'une région", "links from")),
        ("network.serving_caption", {}, ("service dont la fiche", "services dont la fiche", "services whose")),
        ("review.queue_count", {}, ("demande en attente", "demandes en attente", "requests waiting")),
        ("search.summary", {}, ("résultat pour", "résultats pour", "results for")),
        ("footer.warnings", {}, ("avertissement dans", "avertissements dans", "warnings in")),
        ("cli.rejected", {"values": "x"}, ("Valeur de filtre non reconnue", "Valeurs de filtre non reconnues", "Filter values")),
        ("api.bad_filter", {"values": "x"}, ("valeur de filtre illisible", "valeurs de filtre illisibles", "filter values")),
        (
            "exchange.confidential_dropped",
            {},
            ("adresse confidentielle non gardée", "adresses confidentielles non gardées", "addresses"),
        ),
        (
            "cli.nearby_apart",
            {},
            ("autre service dans le rayon ne précise pas", "autres services dans le rayon ne précisent pas", "do not"),
        ),
    ],
)
def test_zero_one_two_take_each_languages_form(key, params, said):
    """French says the singular for 0 and 1; English only for 1."""
    one, other, en_other = said
    fr = [t(key, "fr", plural=n, n=n, **params) for n in (0, 1, 2)]
    en = [t(key, "en", plural=n, n=n, **params) for n in (0, 1, 2)]
    assert one in fr[0] and one in fr[1] and other in fr[2] and other not in fr[1]
    assert en_other in en[0] and en_other not in en[1] and en_other in en[2]


def test_count_text_groups_the_number_and_picks_the_form():
    assert [count_text("count.errors", n, "fr") for n in (0, 1, 2, 1234)] == [
        "0 erreur",
        "1 erreur",
        "2 erreurs",
        "1\u00a0234 erreurs",
    ]
    assert [count_text("count.errors", n, "en") for n in (0, 1, 2, 1234)] == ["0 errors", "1 error", "2 errors", "1,234 errors"]


def problems(errors: int, warnings: int) -> list[Problem]:
    return [Problem("test.csv", 2 + i, "nom", "required_value") for i in range(errors)] + [
        Problem("test.csv", None, "x", "unknown_column", severity="warning") for _ in range(warnings)
    ]


@pytest.mark.parametrize(
    ("lang", "n", "said"),
    [
        ("fr", 0, "0 erreur, 0 avertissement."),
        ("fr", 1, "1 erreur, 1 avertissement."),
        ("fr", 2, "2 erreurs, 2 avertissements."),
        ("en", 0, "0 errors, 0 warnings."),
        ("en", 1, "1 error, 1 warning."),
        ("en", 2, "2 errors, 2 warnings."),
    ],
)
def test_validation_summary(lang, n, said):
    text = report(problems(n, n), lang)
    assert text.splitlines()[-1] == said and "(s)" not in text


def test_a_file_not_read_says_how_many_rows():
    def said(count: int, lang: str) -> str:
        return Problem("test.csv", None, None, "rows_not_read", {"count": count}).message(lang)

    assert said(1, "fr") == "1 ligne de ce fichier n'a pas été lue, faute de colonnes obligatoires."
    assert said(2, "fr") == "les 2 lignes de ce fichier n'ont pas été lues, faute de colonnes obligatoires."
    assert said(1, "en") == "1 row of this file was not read because required columns are missing."
    assert said(2, "en") == "the 2 rows of this file were not read because required columns are missing."


def test_content_summary():
    from maillage_dash.content.model import report as content_report
    from maillage_dash.content.reader import ContentProblem

    one = [ContentProblem("fiche.md", 1, None, "x", {}), ContentProblem("fiche.md", 2, None, "x", {}, severity="warning")]
    assert content_report(one, "fr").splitlines()[-1] == "1 erreur, 1 avertissement dans les fiches, pratiques et témoignages."
    assert content_report([], "en") == "0 errors, 0 warnings in the practice sheets, practices and testimonials."


@pytest.mark.parametrize(
    ("lang", "counts", "said"),
    [
        ("fr", (0, 0), "0 point trompeur à corriger, 0 point à vérifier."),
        ("fr", (1, 2), "1 point trompeur à corriger, 2 points à vérifier."),
        ("fr", (2, 1), "2 points trompeurs à corriger, 1 point à vérifier."),
        ("en", (0, 0), "0 misleading points to fix, 0 points to check."),
        ("en", (1, 2), "1 misleading point to fix, 2 points to check."),
        ("en", (2, 1), "2 misleading points to fix, 1 point to check."),
    ],
)
def test_audit_summary(lang, counts, said):
    from maillage_dash.audit import cli as audit_cli

    assert audit_cli.summary(*counts, lang) == said


@pytest.mark.parametrize("n", [1, 2])
def test_cli_validate_and_export_lines(tmp_path, capsys, n):
    from maillage_dash.cli import main

    data = tmp_path / "data"
    data.mkdir()
    write_csv(data, [row(id=f"t{i}") for i in range(n)])
    services = "1 service" if n == 1 else "2 services"
    assert main(["validate", "--data-dir", str(data)], environ={}) == 0
    assert capsys.readouterr().out.strip() == f"Données valides : {services} dans 1 fichier de {data}."
    assert main(["--lang", "en", "validate", "--data-dir", str(data)], environ={}) == 0
    assert capsys.readouterr().out.strip() == f"Data valid: {services} in 1 file of {data}."

    out = tmp_path / "out.csv"
    export = ["export", "--format", "csv", "--data-dir", str(data), "-o", str(out)]
    assert main(export, environ={}) == 0
    assert capsys.readouterr().out.strip() == ("1 service écrit" if n == 1 else "2 services écrits") + f" dans {out}."
    assert main(["--lang", "en", *export], environ={}) == 0
    assert capsys.readouterr().out.strip() == f"{services} written to {out}."

    bad = ["99", "98"][:n]
    assert main(export + [a for b in bad for a in ("--region", b)], environ={}) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("Valeur de filtre non reconnue : 99." if n == 1 else "Valeurs de filtre non reconnues : 99, 98.")


def test_exchange_summary_and_done():
    from maillage_dash.exchange import importing

    counts = {"new": 0, "changed": 1, "unchanged": 2, "absent": 1, "errors": 1, "warnings": 2}
    assert (
        importing.summary_text(counts, "fr")
        == "0 nouvelle, 1 changée, 2 inchangées, 1 absente du fichier ; 1 erreur, 2 avertissements."
    )
    assert importing.summary_text(counts, "en") == "0 new, 1 changed, 2 unchanged, 1 missing from the file; 1 error, 2 warnings."
    more = {"new": 2, "changed": 0, "unchanged": 1, "absent": 2, "errors": 0, "warnings": 1}
    assert importing.counts_text(more, "fr") == "2 nouvelles, 0 changée, 1 inchangée, 2 absentes du fichier"
    assert (
        importing.done_text(importing.Outcome(1, 0, 2), "fr")
        == "Import fait en une transaction : 1 créée, 0 changée, 2 marquées terminées."
    )
    assert (
        importing.done_text(importing.Outcome(2, 1, 0), "fr")
        == "Import fait en une transaction : 2 créées, 1 changée, 0 marquée terminée."
    )
    assert (
        importing.done_text(importing.Outcome(1, 0, 2), "en")
        == "Imported in one transaction: 1 created, 0 changed, 2 marked as ended."
    )


@pytest.mark.parametrize("n", [1, 2])
def test_footer_warnings(tmp_path, geography, n):
    from maillage_dash.ui.shell import footer

    write_csv(tmp_path, [row()], header=HEADER + ["colonne_inconnue_un", "colonne_inconnue_deux"][:n])
    directory = load_directory(tmp_path, geography)
    fr, en = dump(footer("fr", directory)), dump(footer("en", directory))
    if n == 1:
        assert "1 avertissement dans les fichiers du répertoire" in fr and "1 warning in the directory files" in en
    else:
        assert "2 avertissements dans les fichiers du répertoire" in fr and "2 warnings in the directory files" in en
    assert "(s)" not in fr + en


@pytest.mark.parametrize(
    ("n", "fr", "en"),
    [(0, "0 résultat pour", "0 results for"), (1, "1 résultat pour", "1 result for"), (2, "2 résultats pour", "2 results for")],
)
def test_search_summary(n, fr, en):
    from maillage_dash.content import search
    from maillage_dash.content.search_page import results_view

    results = search.Results(query=search.parse_query("fugue"), services_total=n)
    assert f'"{fr}"' in dump(results_view(results, FilterState(), "fr"))
    assert f'"{en}"' in dump(results_view(results, FilterState(), "en"))


def network_texts(folder: Path, geography, rows: list[dict[str, str]], lang: str) -> str:
    from maillage_dash.network.callbacks import content

    write_csv(folder, rows)
    return dump(content(load_directory(folder, geography), FilterState(), lang))


def test_network_captions_agree_with_their_count(tmp_path, geography):
    a = row(id="a", organisme="Organisme A test", municipalite="Montréal", partenaires="Organisme B test")
    b = row(id="b", organisme="Organisme B test", municipalite="Québec", regions_desservies="06")
    one_fr = network_texts(tmp_path, geography, [a, b], "fr")
    one_en = network_texts(tmp_path, geography, [a, b], "en")
    for said in (
        "2 services ou initiatives qui correspondent aux filtres, avec leurs partenaires",
        "1 partenariat des services qui correspondent aux filtres",
        "1 lien d'une région d'origine vers une région desservie",
        "1 service dont la fiche indique d'autres régions desservies",
        "1 paire de régions reliées par au moins un partenariat",
    ):
        assert said in one_fr
    for said in (
        "2 services or initiatives matching the filters, with their partners",
        "1 partnership of the services matching the filters",
        "1 link from a region of origin to a region served",
        "1 service whose entry lists other regions served",
        "1 pair of regions joined by at least one partnership",
    ):
        assert said in one_en
    c = row(
        id="c", organisme="Organisme C test", municipalite="Lévis", regions_desservies="06;03", partenaires="Organisme A test"
    )
    two_fr = network_texts(tmp_path, geography, [a, b, c], "fr")
    two_en = network_texts(tmp_path, geography, [a, b, c], "en")
    for said in (
        "3 services ou initiatives",
        "2 partenariats des services",
        "3 liens d'une région",
        "2 services dont la fiche",
        "2 paires de régions",
    ):
        assert said in two_fr
    for said in (
        "3 services or initiatives",
        "2 partnerships of the services",
        "3 links from",
        "2 services whose",
        "2 pairs of regions",
    ):
        assert said in two_en
    assert "(s)" not in one_fr + one_en + two_fr + two_en
