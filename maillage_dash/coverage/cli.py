"""``python -m maillage_dash coverage`` and ``profile``: the coverage matrix and a region's profile as files.

Registered by :mod:`maillage_dash.cli`; they use the same functions as the dashboard.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from maillage_dash import schema
from maillage_dash.cliargs import add_filter_flags
from maillage_dash.coverage import export as coverage_export
from maillage_dash.coverage import model as coverage
from maillage_dash.directory import Directory
from maillage_dash.errors import DataValidationError
from maillage_dash.filters import FilterState
from maillage_dash.i18n import t
from maillage_dash.validation import report


def _common(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--data-dir", type=Path, default=None, help=t("cli.data_dir", lang))
    add_filter_flags(parser, lang, region=False)
    parser.add_argument("--year", "--annee", default=None, dest="year", help=t("coverage.cli_year", lang))
    parser.add_argument("-o", "--output", type=Path, required=True, help=t("cli.output", lang))


def add_parsers(sub: argparse._SubParsersAction, lang: str) -> None:  # type: ignore[type-arg]
    cov = sub.add_parser("coverage", help=t("coverage.cli_help", lang), description=t("coverage.cli_description", lang))
    cov.add_argument("--format", choices=coverage_export.FORMATS, default="csv", help=t("coverage.cli_format", lang))
    cov.add_argument("--region", action="append", default=[], help=t("cli.region", lang))
    _common(cov, lang)

    prof = sub.add_parser("profile", help=t("profile.cli_help", lang), description=t("profile.cli_description", lang))
    prof.add_argument("region_code", metavar="REGION", help=t("profile.cli_region", lang))
    prof.add_argument("--format", choices=("html", "pdf", "png"), default="html", help=t("profile.cli_format", lang))
    prof.set_defaults(region=[])
    _common(prof, lang)


def _year(analysis: coverage.Analysis, value: str | None, lang: str) -> int | None:
    """The year asked for, or None (with a message on stderr) when the file does not have it."""
    if value is None:
        return analysis.population.latest
    years = analysis.population.years
    try:
        year = int(value)
    except ValueError:
        year = -1
    if year not in years:
        print(t("coverage.cli_bad_year", lang, value=value, years=", ".join(str(y) for y in years)), file=sys.stderr)
        return None
    return year


def run(args: argparse.Namespace, directory: Directory, state: FilterState, lang: str) -> int:
    """Write the matrix (``coverage``) or the region profile (``profile``) to ``args.output``."""
    try:
        analysis = coverage.analysis(directory)
    except DataValidationError as exc:  # the population file: every problem, with its line and column
        print(report(exc.problems, lang), file=sys.stderr)
        return 1
    year = _year(analysis, args.year, lang)
    if year is None:
        return 2
    if args.command == "coverage":
        result = analysis.coverage(state, year)
        args.output.write_bytes(coverage_export.coverage_bytes(result, args.format, lang))
        rows = len(result.records())
        print(t("coverage.cli_written", lang, plural=rows, rows=rows, path=str(args.output)))
        return 0

    code = schema.parse_region(args.region_code)
    if code is None:
        print(t("profile.cli_bad_region", lang, value=args.region_code), file=sys.stderr)
        return 2
    from maillage_dash.coverage import report as profile_report

    html = profile_report.region_html(analysis, code, state, lang, year=year)
    if args.format == "html":
        args.output.write_text(html, encoding="utf-8")
    else:
        problem = profile_report.html_to_file(html, args.output, args.format)
        if problem:
            print(t("profile.cli_no_pdf", lang, reason=problem), file=sys.stderr)
            return 1
    print(t("profile.cli_written", lang, region=schema.region_label(code), path=str(args.output)))
    return 0


__all__ = ["add_parsers", "run"]
