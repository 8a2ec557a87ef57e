"""Benchmark of the nearest-services query (issue 7): server-side time per query at 1k/10k/100k.

    .venv/bin/python -m bench.nearby_bench [--sizes 1000 10000 100000] [--queries 300]

The directories are SYNTHETIC (generated here, never shipped): services placed on real
municipalities of the gazetteer (weighted by population, jittered by up to ~2 km), with a mix
of service types and age ranges. Each query picks a real municipality and a random filter
state, then runs what the page and the CLI run (`Nearby.services`: filter mask, STRtree radius
search, ranking) — and, for comparison, a naive full scan (distance to every service with
pyproj's geodesic, then a sort). Results are printed as a Markdown table for docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from datetime import date

import numpy as np
from pyproj import Geod

from maillage_dash import filters, schema
from maillage_dash.config import GEO_DIR
from maillage_dash.directory import build_directory
from maillage_dash.geo import Geography
from maillage_dash.nearby import model as nearby

GEOD = Geod(ellps="GRS80")


def synthetic_records(geography: Geography, n: int, seed: int = 1) -> list[dict]:
    """``n`` SYNTHETIC services on real municipalities (for benchmarks only)."""
    rng = np.random.default_rng(seed)
    towns = geography.gazetteer.frame.dropna(subset=["lat", "lon"])
    weights = towns["population"].fillna(0).to_numpy(float) + 50.0
    picks = rng.choice(len(towns), size=n, p=weights / weights.sum())
    codes = [term.code for term in schema.SERVICE_TYPES]
    sectors = [term.code for term in schema.SECTORS]
    ages = [(12, 17), (12, 25), (14, 21), (16, 30), (18, 35), (None, None), (12, None)]
    records = []
    for i, t in enumerate(picks):
        town = towns.iloc[t]
        low, high = ages[rng.integers(len(ages))]
        records.append(
            {
                "id": f"synth-{i}",
                "nom": f"Service synthétique {i}",
                "organisme": f"Organisme synthétique {i % 5000}",
                "types": tuple(rng.choice(codes, size=rng.integers(1, 4), replace=False)),
                "age_min": low,
                "age_max": high,
                "municipalite": str(town["nom"]),
                "region": str(town["code_region"]),
                "regions_desservies": (),
                "secteurs": tuple(rng.choice(sectors, size=rng.integers(1, 3), replace=False)),
                "partenaires": (),
                "description": "Donnée synthétique de banc d'essai.",
                "description_en": "",
                "langues": ("fr",),
                "adresse": "",
                "telephones": (),
                "courriel": "",
                "site_web": "",
                "confidentiel": False,
                "public_cible": (),
                "statut": "a_confirmer",
                "confirme_le": None,
                "confirme_par": "",
                "confirme_source": "",
                "note_verification": "",
                "source": "SYNTHETIQUE (bench)",
                "lat": float(town["lat"]) + rng.normal(0, 0.01),
                "lon": float(town["lon"]) + rng.normal(0, 0.014),
                "point_exact": True,
                "fichier": "synthetique.csv",
                "ligne": i + 2,
            }
        )
    return records


def naive(directory, place: nearby.Located, state, radius_km, limit):
    """Without the index or projection: geodesic distance to every service, then filter and sort."""
    frame = directory.services
    keep = filters.mask(directory, state)
    lon = frame["lon"].to_numpy(float)
    lat = frame["lat"].to_numpy(float)
    _, _, metres = GEOD.inv(np.full(len(lon), place.lon), np.full(len(lat), place.lat), lon, lat)
    km = metres / 1000
    ok = keep & ((km <= radius_km) if radius_km else True)
    order = np.argsort(km[ok], kind="stable")[:limit]
    return frame[ok].iloc[order]


def run(sizes: list[int], queries: int) -> str:
    geography = Geography.load(GEO_DIR)
    finder = nearby.PlaceFinder.from_geo_dir(GEO_DIR, geography.gazetteer, geography.regions_full)
    rng = np.random.default_rng(42)
    towns = geography.gazetteer.frame.dropna(subset=["lat"])
    lines = [
        f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"{date.today().isoformat()}; {queries} queries per size (random municipality, radius among "
        f"{', '.join(map(str, nearby.RADII_KM))} km or none, random type/age filters, 50 results).",
        "",
        "| services | index build (ms) | Maillage p50 (ms) | p95 (ms) | naive p50 (ms) | naive p95 (ms) | speed-up p95 |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        directory = build_directory(synthetic_records(geography, n), geography)
        near = nearby.Nearby(directory, finder)
        t0 = time.perf_counter()
        _ = near.index
        build_ms = (time.perf_counter() - t0) * 1000
        ours, theirs = [], []
        for _q in range(queries):
            town = towns.iloc[rng.integers(len(towns))]
            place = finder.from_key(f"m:{town['mcode']}")
            radius = [*nearby.RADII_KM, None][rng.integers(len(nearby.RADII_KM) + 1)]
            types = [] if rng.random() < 0.4 else [schema.SERVICE_TYPES[rng.integers(len(schema.SERVICE_TYPES))].code]
            age = None if rng.random() < 0.5 else "12-17"
            state, _ = filters.FilterState.build(types=types, age=age)
            t0 = time.perf_counter()
            near.services(place, state, radius, nearby.DEFAULT_LIMIT)
            ours.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            naive(directory, place, state, radius, nearby.DEFAULT_LIMIT)
            theirs.append((time.perf_counter() - t0) * 1000)

        def p(values, q):
            return statistics.quantiles(values, n=100)[q - 1]

        lines.append(
            f"| {n:,} | {build_ms:.0f} | {p(ours, 50):.1f} | {p(ours, 95):.1f} | {p(theirs, 50):.1f} | "
            f"{p(theirs, 95):.1f} | ×{p(theirs, 95) / p(ours, 95):.1f} |"
        )
        print(lines[-1], flush=True)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    print(run(args.sizes, args.queries))


if __name__ == "__main__":
    main()
