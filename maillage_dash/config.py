"""Settings built from the environment, so that tests can build any configuration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "data" / "repertoire"
GEO_DIR = ROOT / "geo"
REFERENCE_DIR = ROOT / "data" / "reference"

_TRUE = {"1", "true", "yes", "oui", "on"}


@dataclass(frozen=True)
class Settings:
    """Runtime settings of the dashboard and the command line."""

    data_dir: Path = DEFAULT_DATA_DIR
    geo_dir: Path = GEO_DIR
    default_lang: str = "fr"
    debug: bool = False
    osm_tiles_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    # Where "Quitter rapidement" / Esc sends the browser: a neutral, everyday site.
    quick_exit_url: str = "https://www.google.ca/"
    # How often each worker checks whether the published directory changed (seconds; 0: never).
    reload_seconds: float = 2.0
    # Days the contact details of a decided submission are kept before they are erased (Loi 25).
    contact_retention_days: int = 365

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Build settings from environment variables (``MAILLAGE_*``)."""
        lang = environ.get("MAILLAGE_LANG", "fr").lower()
        return cls(
            data_dir=Path(environ.get("MAILLAGE_DATA_DIR", str(DEFAULT_DATA_DIR))),
            geo_dir=Path(environ.get("MAILLAGE_GEO_DIR", str(GEO_DIR))),
            default_lang=lang if lang in ("fr", "en") else "fr",
            debug=environ.get("MAILLAGE_DEBUG", "").lower() in _TRUE,
            osm_tiles_url=environ.get("MAILLAGE_OSM_TILES_URL", cls.osm_tiles_url),
            quick_exit_url=environ.get("MAILLAGE_QUICK_EXIT_URL", cls.quick_exit_url),
            reload_seconds=_seconds(environ.get("MAILLAGE_RELOAD_SECONDS"), cls.reload_seconds),
        )


def _seconds(raw: str | None, default: float) -> float:
    try:
        return max(0.0, float(raw)) if raw else default
    except ValueError:
        return default
