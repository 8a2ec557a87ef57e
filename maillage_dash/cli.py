"""Command line: ``python -m maillage_dash validate|export``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import cli_coverage, export, filters
from .config import Settings
from .errors import DataValidationError
from .geo import Geography
from .i18n import t
from .loading import check_directory, load_directory
from .validation import errors_of, report


def _parser(lang: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m maillage_dash", description=t("cli.description", lang))
    parser.add_argument("--lang", choices=("fr", "en"), default=None, help=t("cli.lang", lang))
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help=t("cli.validate", lang))
    validate.add_argument("--data-dir", type=Path, default=None, help=t("cli.data_dir", lang))

    exp = sub.add_parser("export", help=t("cli.export", lang))
    exp.add_argument("--format", choices=export.FORMATS, required=True)
    exp.add_argument("--data-dir", type=Path, default=None, help=t("cli.data_dir", lang))
    exp.add_argument("--region", action="append", default=[], help=t("cli.region", lang))
    exp.add_argument("--age", default=None, help=t("cli.age", lang))
    exp.add_argument("--type", action="append", default=[], help=t("cli.type", lang))
    exp.add_argument("--secteur", "--sector", action="append", default=[], dest="sector", help=t("cli.sector", lang))
    exp.add_argument("--q", default="", help=t("cli.text", lang))
    exp.add_argument("-o", "--output", type=Path, required=True, help=t("cli.output", lang))
    cli_coverage.add_parsers(sub, lang)  # coverage, profile
    return parser


def main(argv: Sequence[str] | None = None, environ: dict[str, str] | None = None) -> int:
    environ = dict(os.environ if environ is None else environ)
    settings = Settings.from_env(environ)
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = settings.default_lang
    if "--lang" in argv[:-1]:
        lang = argv[argv.index("--lang") + 1] if argv[argv.index("--lang") + 1] in ("fr", "en") else lang
    args = _parser(lang).parse_args(argv)
    lang = args.lang or lang
    data_dir = args.data_dir or settings.data_dir
    geography = Geography.load(settings.geo_dir)

    if args.command == "validate":
        records, problems, files = check_directory(data_dir, geography)
        if errors_of(problems):
            print(report(problems, lang), file=sys.stderr)
            return 1
        if problems:
            print(report(problems, lang), file=sys.stderr)
        print(t("cli.valid", lang, count=len(records), files=len(files), folder=str(data_dir)))
        return 0

    try:
        directory = load_directory(data_dir, geography)
    except DataValidationError as exc:
        print(report(exc.problems, lang), file=sys.stderr)
        return 1
    state, rejected = filters.FilterState.build(
        regions=args.region or None, age=args.age, types=args.type or None, sectors=args.sector or None, text=args.q
    )
    if rejected:
        print(t("cli.rejected", lang, values=", ".join(rejected)), file=sys.stderr)
        return 2
    if args.command in ("coverage", "profile"):
        return cli_coverage.run(args, directory, state, lang)
    frame = filters.apply(directory, state)
    args.output.write_bytes(export.export_bytes(frame, args.format, lang, state))
    print(t("cli.exported", lang, count=len(frame), path=str(args.output)))
    return 0
