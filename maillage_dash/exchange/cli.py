"""``python -m maillage_dash import PATH [--dry-run] [--end ID …]`` and
``python -m maillage_dash hsds export --format json|tabular [--data-dir FOLDER] -o PATH``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

from maillage_dash.config import Settings
from maillage_dash.errors import DataValidationError
from maillage_dash.exchange import importing, package, reading
from maillage_dash.geo import Geography
from maillage_dash.i18n import t
from maillage_dash.loading import load_directory
from maillage_dash.store import entries
from maillage_dash.store.engine import Store
from maillage_dash.store.setup import exclusive
from maillage_dash.validation import report


def add_parsers(sub: argparse._SubParsersAction, lang: str) -> None:  # type: ignore[type-arg]
    imp = sub.add_parser("import", help=t("exchange.cli_import", lang), description=t("exchange.cli_import_description", lang))
    imp.add_argument("path", type=Path, help=t("exchange.cli_path", lang))
    imp.add_argument("--dry-run", action="store_true", help=t("exchange.cli_dry_run", lang))
    imp.add_argument("--end", nargs="+", default=[], metavar="ID", help=t("exchange.cli_end", lang))
    imp.add_argument("--by", default="import (ligne de commande)", help=t("exchange.cli_by", lang))
    h = sub.add_parser("hsds", help=t("exchange.cli_hsds", lang))
    actions = h.add_subparsers(dest="hsds_command", required=True)
    exp = actions.add_parser("export", help=t("exchange.cli_hsds_export", lang))
    exp.add_argument("--format", choices=("json", "tabular"), required=True)
    exp.add_argument("--data-dir", type=Path, default=None, help=t("exchange.cli_hsds_data_dir", lang))
    exp.add_argument("-o", "--output", type=Path, required=True, help=t("exchange.cli_hsds_output", lang))


def print_plan(result: importing.Plan, lang: str) -> None:
    if result.problems:
        print(report(result.problems, lang), file=sys.stderr)
    source = result.source
    if source.mapped:
        print(t("exchange.mapped_cli", lang, plural=len(source.mapped), n=len(source.mapped)))
        for key, n in sorted(source.mapped.items()):
            print(f"  {key} ({n})")
    if source.unmapped:
        print(t("exchange.unmapped_title", lang, file=str(reading.MAPPING_FILE.name)))
        for key, n in sorted(source.unmapped.items()):
            print(f"  {key} ({n})")
    if source.confidential:
        print(t("exchange.confidential_dropped", lang, plural=len(source.confidential), n=len(source.confidential)))
    counts = importing.summary(result)
    print(importing.summary_text(counts, lang))
    for item in result.new:
        print(
            f"  + {item.id} « {item.name} » ({item.file}:{item.row})"
            if lang == "fr"
            else f'  + {item.id} "{item.name}" ({item.file}:{item.row})'
        )
    for item in result.changed:
        print(f"  ~ {item.id} « {item.name} »" if lang == "fr" else f'  ~ {item.id} "{item.name}"')
        for change in item.changes:
            print(f"      {change.column}: {change.before[:80] or '—'} → {change.after[:80] or '—'}")
    for absent in result.absent:
        print(t("exchange.absent_line", lang, id=absent.id, name=absent.name))


def run_import(args: argparse.Namespace, settings: Settings, environ: Mapping[str, str], lang: str) -> int:
    geography = Geography.load(settings.geo_dir)
    source = reading.read_path(args.path, geography)
    store = Store.from_env(environ)
    try:
        with exclusive(store):
            store.upgrade()
        result = importing.plan(store, source, geography)
        print_plan(result, lang)
        if result.refused:
            print(t("exchange.refused", lang), file=sys.stderr)
            return 1
        if args.dry_run:
            print(t("exchange.dry_run_done", lang))
            return 0
        try:
            outcome = importing.apply(store, result, geography, by=args.by, end=set(args.end))
        except entries.Conflict:
            print(t("exchange.conflict", lang), file=sys.stderr)
            return 1
        print(importing.done_text(outcome, lang))
        return 0
    finally:
        store.dispose()


def run_hsds(args: argparse.Namespace, settings: Settings, environ: Mapping[str, str], lang: str) -> int:
    geography = Geography.load(settings.geo_dir)
    if args.data_dir is not None:
        try:
            directory = load_directory(args.data_dir, geography)
        except DataValidationError as exc:
            print(report(exc.problems, lang), file=sys.stderr)
            return 1
    else:
        store = Store.from_env(environ)
        try:
            with exclusive(store):
                store.upgrade()
            directory, _version = entries.load_directory(store, geography)
        finally:
            store.dispose()
    frame = directory.services  # ended services too: HSDS says « defunct », and other directories keep history
    if args.format == "json":
        args.output.write_bytes(package.json_bytes(frame, lang))
    else:
        package.write_tabular(frame, args.output, lang)
    print(t("exchange.hsds_written", lang, plural=len(frame), n=len(frame), path=str(args.output)))
    return 0
