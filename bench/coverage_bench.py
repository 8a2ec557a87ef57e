"""Benchmark of the coverage views (issue 4): start-up cache and per-request time at 47 to 100k services.

    .venv/bin/python -m bench.coverage_bench [--sizes 1000 10000 100000] [--queries 40]

The shipped directory (47 real services) is measured first; the larger directories are SYNTHETIC
(``bench.nearby_bench.synthetic_records``: made-up services on real municipalities, weighted by
population, never shipped). Each query is a random filter state (ages, sectors, a type or not) —
what a person changes on /couverture — and runs what the page runs: ``Analysis.coverage`` (filter
mask, counts by one matrix product, population group, accessibility: one ``sjoin_nearest`` per type
and a PySAL ``access`` 2SFCA, uncached the first time a set of matching services is seen), then the
same state again (cached), then a region profile (``profile.build``). Figures printed as Markdown
for docs/COUVERTURE.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from datetime import date

import numpy as np

from maillage_dash import filters, schema
from maillage_dash.config import DEFAULT_DATA_DIR, GEO_DIR
from maillage_dash.coverage.model import Analysis
from maillage_dash.coverage.population import load_population
from maillage_dash.coverage.profile import build
from maillage_dash.directory import build_directory
from maillage_dash.geo import Geography
from maillage_dash.loading import load_directory

from .nearby_bench import synthetic_records


def _random_state(rng: np.random.Generator) -> filters.FilterState:
    ages = [None, "12-17", "18-25", "13-16", "0-11", "12-25", "20-35"]
    sectors = [term.code for term in schema.SECTORS]
    state, _ = filters.FilterState.build(
        age=ages[rng.integers(len(ages))],
        sectors=[] if rng.random() < 0.5 else [sectors[rng.integers(len(sectors))]],
        types=[] if rng.random() < 0.6 else [schema.SERVICE_TYPES[rng.integers(len(schema.SERVICE_TYPES))].code],
        # A search word present in a random share of synthetic names keeps the sets of matching services varied.
        text="" if rng.random() < 0.5 else str(rng.integers(10)),
    )
    return state


def _p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def run(sizes: list[int], queries: int) -> str:
    geography = Geography.load(GEO_DIR)
    population = load_population()
    rng = np.random.default_rng(4)
    lines = [
        f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"{date.today().isoformat()}; {queries} random filter states per size.",
        "",
        "| services | start-up cache (ms) | 2SFCA pairs | first request p50 (ms) | p95 (ms) | repeated p50 (ms) "
        "| profile p50 (ms) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    directories = [("47 (shipped)", lambda: load_directory(DEFAULT_DATA_DIR, geography))]
    directories += [(f"{n:,}", lambda n=n: build_directory(synthetic_records(geography, n), geography)) for n in sizes]
    for label, make in directories:
        directory = make()
        t0 = time.perf_counter()
        analysis = Analysis(directory, population)
        startup = (time.perf_counter() - t0) * 1000
        first, again, profiles = [], [], []
        for _ in range(queries):
            state = _random_state(rng)
            t0 = time.perf_counter()
            analysis.coverage(state)
            first.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            analysis.coverage(state)
            again.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            build(analysis, schema.REGION_CODES[rng.integers(17)], state)
            profiles.append((time.perf_counter() - t0) * 1000)
        lines.append(
            f"| {label} | {startup:.0f} | {len(analysis.access.pairs):,} | {_p(first, 50):.0f} | {_p(first, 95):.0f} | "
            f"{_p(again, 50):.1f} | {_p(profiles, 50):.0f} |"
        )
        print(lines[-1], flush=True)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args()
    print(run(args.sizes, args.queries))


if __name__ == "__main__":
    main()
