"""Shared fixtures. Test data written here is made up for tests and says so; it never ships."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from maillage_dash.config import DEFAULT_DATA_DIR, GEO_DIR
from maillage_dash.geo import Geography
from maillage_dash.loading import load_directory
from maillage_dash.schema import TEMPLATE_NAMES

# The live server and headless Chromium fixtures of the browser tests (tests/<capability>/test_browser*.py).
pytest_plugins = ["tests.browser_fixtures"]

TODAY = date(2026, 11, 23)
HEADER = list(TEMPLATE_NAMES)  # the template's own columns, from the schema


@pytest.fixture(scope="session")
def geography() -> Geography:
    return Geography.load(GEO_DIR)


@pytest.fixture(scope="session")
def shipped(geography):
    return load_directory(DEFAULT_DATA_DIR, geography)


def row(**values: str) -> dict[str, str]:
    """A valid template row (synthetic test data), overridden by ``values``."""
    base = {
        "id": "t1",
        "nom": "Service test (fictif)",
        "organisme": "Organisme test (fictif)",
        "types_service": "prevention",
        "age_min": "12",
        "age_max": "25",
        "municipalite": "Saint-Hyacinthe",
        "latitude": "",
        "longitude": "",
        "regions_desservies": "",
        "secteurs": "communautaire",
        "partenaires": "",
        "description": "Donnée de test générée.",
        "langues": "fr",
        "adresse": "",
        "telephones": "",
        "site_web": "https://example.org/test",
        "adresse_confidentielle": "non",
        "statut": "actif",
        "confirme_le": "2026-01-15",
        "confirme_par": "site_organisme",
        "confirme_source": "https://source-fictive.qc.ca/confirmation",
        "source": "tests",
    }
    base.update(values)
    return base


def write_csv(
    folder: Path,
    rows: list[dict[str, str]],
    *,
    name: str = "test.csv",
    delimiter: str = ",",
    encoding: str = "utf-8",
    header: list[str] | None = None,
) -> Path:
    header = header or HEADER
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header, delimiter=delimiter, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path = folder / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.fixture
def small_dir(tmp_path: Path) -> Path:
    """Six synthetic services with known regions, ages, types and sectors."""
    rows = [
        row(
            id="a",
            nom="Alpha rue",
            types_service="travail_de_rue",
            age_min="12",
            age_max="17",
            municipalite="Saint-Hyacinthe",
            secteurs="communautaire;policier",
        ),
        row(
            id="b",
            nom="Bêta hébergement",
            types_service="hebergement",
            age_min="18",
            age_max="25",
            municipalite="Québec",
            adresse="123 rue Secrète",
            adresse_confidentielle="oui",
            latitude="46.8",
            longitude="-71.2",
        ),
        row(
            id="c",
            nom="Gamma prévention",
            types_service="prevention;accompagnement",
            age_min="",
            age_max="",
            municipalite="Montréal",
            regions_desservies="13;15",
            secteurs="scolaire",
        ),
        row(
            id="d",
            nom="Delta suivi",
            types_service="suivi_psychosocial",
            age_min="15",
            age_max="",
            municipalite="Lévis",
            secteurs="sante_services_sociaux",
        ),
        row(
            id="e",
            nom="Epsilon =SUM(A1)",
            types_service="concertation",
            age_min="",
            age_max="11",
            municipalite="Drummondville",
            telephones="accueil: +1 819 555-0000",
            secteurs="justice",
        ),
        row(
            id="f",
            nom="Zêta coordonnées",
            types_service="travail_de_rue",
            age_min="12",
            age_max="25",
            municipalite="",
            latitude="45.5017",
            longitude="-73.5673",
            secteurs="communautaire",
        ),
    ]
    write_csv(tmp_path, rows)
    return tmp_path


@pytest.fixture
def small(small_dir: Path, geography):
    return load_directory(small_dir, geography, today=TODAY)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that drives the real browser carries the ``browser`` mark (``-m "not browser"`` skips them)."""
    for item in items:
        if {"browser", "live_server", "page", "context"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
