"""SYNTHETIC directories for benchmarks, in the import-template format (never shipped, never real).

    .venv/bin/python -m bench.generate --size 10000 [--out bench/data] [--seed 1]

Each row is a made-up service on a real municipality of the gazetteer (MAMH répertoire), picked with
a probability that grows with the population, so Montréal and Québec get many services and small
villages a few, as in a real province-wide directory. The mixes of service types, sectors, age ranges,
confidential shelters and regions served are drawn from the shipped directory (real data), so the
filters select realistic shares. Every name, organisation and source says SYNTHETIQUE: these rows must
never be mistaken for real services. About a third of the rows give coordinates near the municipality
(as an address would), the rest only the municipality name.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from maillage_dash import schema
from maillage_dash.config import DEFAULT_DATA_DIR, GEO_DIR
from maillage_dash.geo import Geography
from maillage_dash.loading import load_directory

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "data"
SIZES = (1_000, 10_000, 100_000)
HEADER = list(schema.TEMPLATE_NAMES)  # the import template's columns, in its order
LABEL = "SYNTHETIQUE"
WORDS = ["jeunes", "rue", "prévention", "écoute", "accompagnement", "femmes", "soutien", "sortie", "milieu", "concertation"]


def municipalities(geography: Geography) -> pd.DataFrame:
    """Municipalities with coordinates, named so that the template resolves each one unambiguously."""
    frame = geography.gazetteer.frame.dropna(subset=["lat", "lon"]).copy()
    per_region = frame.groupby(["key", "code_region"])["nom"].transform("size")
    frame = frame[per_region == 1]  # a name twice in one region cannot be told apart: left out
    regions_per_name = frame.groupby("key")["code_region"].transform("nunique")
    frame["template_name"] = np.where(regions_per_name > 1, frame["nom"] + " (" + frame["code_region"] + ")", frame["nom"])
    frame["weight"] = frame["population"].fillna(0).astype(float) + 200.0
    return frame.reset_index(drop=True)


def mixes(directory_dir: Path, geography: Geography) -> dict[str, list]:
    """Combinations seen in the real directory, sampled with their frequencies."""
    real = load_directory(directory_dir, geography).services
    return {
        "types": [";".join(v) for v in real["types"]],
        "sectors": [";".join(v) for v in real["secteurs"]],
        "ages": list(zip(real["age_min"].astype("object"), real["age_max"].astype("object"))),
        "served": [len(v) for v in real["regions_desservies"]],
        "confidential": [bool(v) for v in real["confidentiel"]],
    }


def rows(n: int, geography: Geography, seed: int = 1) -> list[dict[str, str]]:
    rng = np.random.default_rng(seed)
    towns = municipalities(geography)
    mix = mixes(DEFAULT_DATA_DIR, geography)
    picks = rng.choice(len(towns), size=n, p=(towns["weight"] / towns["weight"].sum()).to_numpy())
    sample = rng.integers(0, len(mix["types"]), size=n)
    codes = [f"{i:02d}" for i in range(1, 18)]
    out = []
    for i in range(n):
        town = towns.iloc[picks[i]]
        k = sample[i]
        low, high = mix["ages"][rng.integers(len(mix["ages"]))]
        types = mix["types"][k]
        confidential = "hebergement" in types.split(";")
        served = rng.choice(codes, size=min(mix["served"][rng.integers(len(mix["served"]))], 16), replace=False)
        served = [c for c in served if c != town["code_region"]]
        with_point = not confidential and rng.random() < 0.33
        jitter = rng.normal(0, 0.01, size=2)
        words = " ".join(rng.choice(WORDS, size=3, replace=False))
        out.append(
            {
                "id": f"synth-{i:06d}",
                "nom": f"Service {LABEL} {i} ({words})",
                "organisme": f"Organisme {LABEL} {i % max(1, n // 3)}",
                "types_service": types,
                "age_min": "" if pd.isna(low) else str(int(low)),
                "age_max": "" if pd.isna(high) else str(int(high)),
                "municipalite": town["template_name"],
                "latitude": f"{town['lat'] + jitter[0]:.5f}" if with_point else "",
                "longitude": f"{town['lon'] + jitter[1]:.5f}" if with_point else "",
                "regions_desservies": ";".join(sorted(served)),
                "secteurs": mix["sectors"][k],
                "partenaires": f"Partenaire {LABEL} {rng.integers(500)}" if rng.random() < 0.4 else "",
                "description": f"Donnée {LABEL} générée pour les bancs d'essai de Maillage ({words}).",
                "description_en": f"{LABEL} row generated for Maillage's benchmarks.",
                "langues": "fr" if rng.random() < 0.7 else "fr;en",
                "adresse": "",
                "telephones": "",
                "courriel": "",
                "site_web": "",
                "public_cible": ["", "filles_femmes", "tous_genres", "tous_genres;autochtones"][int(rng.integers(4))],
                "adresse_confidentielle": "oui" if confidential else "non",
                # No way to reach a made-up service: never "actif" (the loader refuses an unreachable active row).
                "statut": "a_confirmer" if rng.random() < 0.97 else "termine",
                # Within the past two years, never in the future (the loader refuses future dates).
                "confirme_le": (date.today() - timedelta(days=int(rng.integers(1, 730)))).isoformat(),
                "confirme_par": "appel",  # (a made-up call: no source address to give)
                "source": f"{LABEL} — bench/generate.py (seed {seed})",
            }
        )
    return out


def write(n: int, out_dir: Path, geography: Geography, seed: int = 1) -> Path:
    """``out_dir/synthetique-<n>/synthetique-<n>.csv``; returns the folder (a directory to load)."""
    folder = out_dir / f"synthetique-{n}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"synthetique-{n}.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows(n, geography, seed))
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write SYNTHETIC benchmark directories (template format).")
    parser.add_argument("--size", type=int, action="append", default=None, help="rows (repeat for several)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    geography = Geography.load(GEO_DIR)
    for n in args.size or SIZES:
        folder = write(n, args.out, geography, args.seed)
        regions = Counter(r["municipalite"] for r in rows(min(n, 200), geography, args.seed))
        print(f"{n} rows → {folder} (e.g. {', '.join(name for name, _ in regions.most_common(3))})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
