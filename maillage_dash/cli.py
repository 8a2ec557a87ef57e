"""Command line: ``python -m maillage_dash validate|export|nearby|coverage|profile|audit|db|user|import|hsds``."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from maillage_dash import export, filters
from maillage_dash.audit import cli as cli_audit
from maillage_dash.cliargs import add_filter_flags, state_from_args
from maillage_dash.config import Settings
from maillage_dash.coverage import cli as cli_coverage
from maillage_dash.errors import DataValidationError
from maillage_dash.exchange import cli as exchange_cli
from maillage_dash.geo import Geography
from maillage_dash.i18n import count_text, t
from maillage_dash.loading import check_directory, load_directory
from maillage_dash.nearby import cli as nearby_cli
from maillage_dash.review import cli as user_cli
from maillage_dash.store import cli as store_cli
from maillage_dash.validation import errors_of, report


def _parser(lang: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m maillage_dash", description=t("cli.description", lang))
    parser.add_argument("--lang", choices=("fr", "en"), default=None, help=t("cli.lang", lang))
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help=t("cli.validate", lang))
    validate.add_argument("--data-dir", type=Path, default=None, help=t("cli.data_dir", lang))

    exp = sub.add_parser("export", help=t("cli.export", lang))
    exp.add_argument("--format", choices=export.FORMATS, required=True)
    exp.add_argument("--data-dir", type=Path, default=None, help=t("cli.data_dir", lang))
    add_filter_flags(exp, lang)
    exp.add_argument("-o", "--output", type=Path, required=True, help=t("cli.output", lang))
    cli_coverage.add_parsers(sub, lang)  # coverage, profile
    cli_audit.add_parser(sub, lang)

    nearby_cli.add_parser(sub, lang)
    store_cli.add_parser(sub, lang)
    exchange_cli.add_parsers(sub, lang)  # import, hsds
    user_cli.add_parser(sub, lang)
    return parser


_ERRNO_WORDS = ("ENOENT", "EISDIR", "ENOTDIR", "EACCES", "EROFS", "ENOSPC")


def main(argv: Sequence[str] | None = None, environ: dict[str, str] | None = None) -> int:
    """Run one command; the exit code is 0 (done), 1 (bad data, or a file that cannot be used), 2 (bad arguments)."""
    try:
        return _main(argv, environ)
    except OSError as exc:  # an output folder that does not exist, a file open elsewhere, a full disk…
        argv = list(sys.argv[1:] if argv is None else argv)
        lang = Settings.from_env(dict(os.environ if environ is None else environ)).default_lang
        if "--lang" in argv[:-1] and argv[argv.index("--lang") + 1] in ("fr", "en"):
            lang = argv[argv.index("--lang") + 1]
        name = errno.errorcode.get(exc.errno or 0, "")
        reason = t(f"robust.errno.{name}", lang) if name in _ERRNO_WORDS else t("robust.errno.other", lang, code=name or exc)
        print(t("robust.io_error", lang, path=exc.filename or "?", reason=reason), file=sys.stderr)
        return 1


def _main(argv: Sequence[str] | None, environ: dict[str, str] | None) -> int:
    environ = dict(os.environ if environ is None else environ)
    settings = Settings.from_env(environ)
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = settings.default_lang
    if "--lang" in argv[:-1]:
        lang = argv[argv.index("--lang") + 1] if argv[argv.index("--lang") + 1] in ("fr", "en") else lang
    args = _parser(lang).parse_args(argv)
    lang = args.lang or lang
    if args.command == "db":
        return store_cli.run(args, settings, environ, lang)
    if args.command == "user":
        return user_cli.run(args, environ, lang)
    if args.command == "import":
        return exchange_cli.run_import(args, settings, environ, lang)
    if args.command == "hsds":
        return exchange_cli.run_hsds(args, settings, environ, lang)
    data_dir = args.data_dir or settings.data_dir
    geography = Geography.load(settings.geo_dir)

    if args.command == "validate":
        records, problems, files = check_directory(data_dir, geography)
        if errors_of(problems):
            print(report(problems, lang), file=sys.stderr)
            return 1
        if problems:
            print(report(problems, lang), file=sys.stderr)
        services, n_files = count_text("count.services", len(records), lang), count_text("count.files", len(files), lang)
        print(t("cli.valid", lang, services=services, files=n_files, folder=str(data_dir)))
        return 0

    try:
        directory = load_directory(data_dir, geography)
    except DataValidationError as exc:
        print(report(exc.problems, lang), file=sys.stderr)
        return 1
    if args.command == "audit":
        return cli_audit.run(args, directory, lang)
    state, rejected = state_from_args(args)
    if rejected:
        print(t("cli.rejected", lang, plural=len(rejected), values=", ".join(rejected)), file=sys.stderr)
        return 2
    if args.command in ("coverage", "profile"):
        return cli_coverage.run(args, directory, state, lang)
    if args.command == "nearby":
        return nearby_cli.run(args, directory, settings, state, lang)
    frame = filters.apply(directory, state)
    args.output.write_bytes(export.export_bytes(frame, args.format, lang, state))
    print(t("cli.exported", lang, plural=len(frame), count=len(frame), path=str(args.output)))
    return 0
