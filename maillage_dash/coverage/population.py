"""Youth population by region, year and age group (MSSS/ISQ estimates and projections).

The file ``data/reference/population_jeunes_region.csv`` holds one row per region × year × age
group. This module reads and checks it (every problem with its line and column), and answers
two questions for the coverage views: which population group matches an age filter, and how many
people of that group live in each region in a given year. No Dash here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from maillage_dash import schema
from maillage_dash.config import REFERENCE_DIR
from maillage_dash.errors import DataValidationError
from maillage_dash.i18n import t
from maillage_dash.validation import Problem

POPULATION_FILE = REFERENCE_DIR / "population_jeunes_region.csv"
DEFAULT_GROUP = "12-25"
TOTAL_GROUP = "total"
COLUMNS = ("code_region", "annee", "type_donnee", "statut", "groupe_age", "age_min", "age_max", "population")
# How the file was made and what to keep in mind (docs/SOURCES.md, section 4), said on screen.
SOURCE_KEY = "population.source"
CAVEAT_KEYS = ("population.caveat_vintage", "population.caveat_boundaries", "population.caveat_projection_low")


@dataclass(frozen=True)
class ReferenceProblem(Problem):
    """A problem in a reference file; its message lives under ``population.problem.*``."""

    def message(self, lang: str = "fr") -> str:
        return t(f"population.problem.{self.code}", lang, **self.params)


@dataclass(frozen=True)
class AgeGroup:
    """One age group of the file: ``12-25`` is 12 to 25 years included; ``total`` has no upper bound."""

    code: str
    low: int
    high: int | None

    def contains(self, low: int, high: int) -> bool:
        return self.low <= low and (self.high is None or high <= self.high)

    def label(self, lang: str) -> str:
        if self.high is None:
            return t("population.group_total", lang)
        return t("population.group_range", lang, low=self.low, high=self.high)


@dataclass(frozen=True)
class YearInfo:
    """A year of the file and its status: estimate (revised, provisional) or projection."""

    year: int
    kind: str  # "Estimation" | "Projection", as in the file
    status: str  # "Révisée" | "Provisoire", as in the file

    @property
    def projected(self) -> bool:
        return self.kind.casefold().startswith("proj")

    def label(self, lang: str) -> str:
        key = "population.year_projection" if self.projected else "population.year_estimate"
        status = t(
            "population.status_provisional" if self.status.casefold().startswith("prov") else "population.status_revised", lang
        )
        return t(key, lang, year=self.year, status=status)


@dataclass(frozen=True)
class GroupChoice:
    """The population group used as denominator for an age filter, and why.

    ``match`` is ``default`` (no age filter: 12–25), ``exact`` (a group equals the filter),
    ``containing`` (the narrowest group containing the filter) or ``total`` (no youth group
    contains it: all ages).
    """

    group: AgeGroup
    match: str
    age: tuple[int, int] | None = None

    def note(self, lang: str) -> str | None:
        """A sentence saying how the filter and the group differ; None when they agree."""
        if self.match in ("default", "exact"):
            return None
        low, high = self.age or (0, 0)
        asked = (
            t("population.age_from", lang, low=low)
            if high >= schema.AGE_HIGHEST
            else t("population.group_range", lang, low=low, high=high)
        )
        key = "population.note_containing" if self.match == "containing" else "population.note_total"
        return t(key, lang, asked=asked, group=self.group.label(lang))


@dataclass
class PopulationTable:
    """Population by (region, year, group), read once and kept read-only."""

    values: dict[tuple[str, int, str], int]
    groups: dict[str, AgeGroup]
    years: dict[int, YearInfo]
    file: str = POPULATION_FILE.name
    warnings: list[Problem] = field(default_factory=list)

    @property
    def latest(self) -> int:
        return max(self.years)

    def year_or_latest(self, year: object) -> int:
        """``year`` when the file has it, else the most recent year."""
        try:
            wanted = int(str(year))
        except (TypeError, ValueError):
            return self.latest
        return wanted if wanted in self.years else self.latest

    def choose_group(self, age: tuple[int, int] | None) -> GroupChoice:
        """The population group matching an age filter (see :class:`GroupChoice`)."""
        default = self.groups.get(DEFAULT_GROUP) or next(iter(self.groups.values()))
        if age is None:
            return GroupChoice(default, "default")
        low, high = age
        youth = [g for g in self.groups.values() if g.high is not None]
        for group in youth:
            if (group.low, group.high) == (low, high):
                return GroupChoice(group, "exact", age)
        containing = [g for g in youth if g.contains(low, high)]
        if containing:
            best = min(containing, key=lambda g: (g.high - g.low, g.low))  # type: ignore[operator]
            return GroupChoice(best, "containing", age)
        total = self.groups.get(TOTAL_GROUP) or default
        return GroupChoice(total, "total", age)

    def by_region(self, year: int, group: str, regions: tuple[str, ...] = schema.REGION_CODES) -> np.ndarray:
        """Population of ``group`` in ``year`` for each region, as floats; ``nan`` where unknown.

        Callers turn ``nan`` into "—" with an explanation; it never reaches a screen or a file.
        """
        return np.array([float(self.values.get((code, year, group), np.nan)) for code in regions], dtype=float)


def parse_population(text: str, file: str = POPULATION_FILE.name) -> PopulationTable:
    """Check and read the population file's text; raise one error listing every problem."""
    problems: list[Problem] = []

    def add(row: int | None, column: str | None, code: str, **params: object) -> None:
        problems.append(ReferenceProblem(file, row, column, code, params))

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    for column in missing:
        add(None, column, "missing_column")
    if missing:
        raise DataValidationError(problems)

    values: dict[tuple[str, int, str], int] = {}
    groups: dict[str, AgeGroup] = {}
    years: dict[int, YearInfo] = {}
    for number, rec in enumerate(reader, start=2):
        code = schema.parse_region((rec["code_region"] or "").strip())
        if code is None:
            add(number, "code_region", "bad_region", value=rec["code_region"])
        year = _int(rec["annee"])
        if year is None or not 1900 <= year <= 2100:
            add(number, "annee", "bad_year", value=rec["annee"])
        population = _int(rec["population"])
        if population is None or population < 0:
            add(number, "population", "bad_population", value=rec["population"])
        group = (rec["groupe_age"] or "").strip()
        low = _int(rec["age_min"])
        high = _int(rec["age_max"]) if (rec["age_max"] or "").strip() else None
        if not group or low is None or (high is not None and high < low) or ((rec["age_max"] or "").strip() and high is None):
            add(number, "groupe_age", "bad_group", value=f"{group} ({rec['age_min']}–{rec['age_max']})")
            continue
        known = groups.setdefault(group, AgeGroup(group, low, high))
        if (known.low, known.high) != (low, high):
            add(number, "groupe_age", "group_bounds", value=group)
        if code is None or year is None or population is None or population < 0:
            continue
        info = YearInfo(year, (rec["type_donnee"] or "").strip(), (rec["statut"] or "").strip())
        if years.setdefault(year, info) != info:
            add(number, "type_donnee", "year_status", year=year)
        key = (code, year, group)
        if key in values:
            add(number, None, "duplicate", region=code, year=year, group=group)
        values[key] = population
    if not values and not problems:
        add(None, None, "empty")
    if problems:
        raise DataValidationError(problems)
    return PopulationTable(values=values, groups=groups, years=dict(sorted(years.items())), file=file)


def load_population(path: Path = POPULATION_FILE) -> PopulationTable:
    """Read the population file at ``path``."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise DataValidationError([ReferenceProblem(path.name, None, None, "missing_file", {})]) from exc
    except UnicodeDecodeError as exc:
        raise DataValidationError([ReferenceProblem(path.name, None, None, "encoding", {})]) from exc
    return parse_population(text, path.name)


def _int(value: str | None) -> int | None:
    raw = (value or "").strip().replace("\u00a0", "").replace(" ", "")
    if not raw:
        return None
    try:
        number = float(raw)
    except ValueError:
        return None
    return int(number) if np.isfinite(number) and number.is_integer() else None


def source_text(lang: str) -> str:
    return t(SOURCE_KEY, lang)


def caveats(lang: str, year: YearInfo | None = None) -> list[str]:
    """The population file's caveats in words; the chosen year's status first."""
    out = []
    if year is not None:
        out.append(
            t("population.caveat_year_projection" if year.projected else "population.caveat_year_estimate", lang, year=year.year)
        )
    out += [t(key, lang) for key in CAVEAT_KEYS]
    return out


__all__ = [
    "DEFAULT_GROUP",
    "POPULATION_FILE",
    "AgeGroup",
    "GroupChoice",
    "PopulationTable",
    "YearInfo",
    "caveats",
    "load_population",
    "parse_population",
    "source_text",
]
