"""``python -m maillage_dash db upgrade|init|export|status|purge-contacts`` (all honour ``DATABASE_URL``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

from maillage_dash.config import Settings
from maillage_dash.geo import Geography
from maillage_dash.i18n import count_text, t
from maillage_dash.store import entries, submissions
from maillage_dash.store.engine import Store
from maillage_dash.store.setup import exclusive
from maillage_dash.validation import errors_of, report


def add_parser(sub: argparse._SubParsersAction, lang: str) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("db", help=t("db.help", lang), description=t("db.description", lang))
    actions = parser.add_subparsers(dest="db_command", required=True)
    actions.add_parser("upgrade", help=t("db.upgrade", lang))
    init = actions.add_parser("init", help=t("db.init", lang))
    init.add_argument("--data-dir", type=Path, default=None, help=t("cli.data_dir", lang))
    export = actions.add_parser("export", help=t("db.export", lang))
    export.add_argument("-o", "--output", type=Path, required=True, help=t("db.export_output", lang))
    actions.add_parser("status", help=t("db.status", lang))
    purge = actions.add_parser("purge-contacts", help=t("db.purge", lang))
    purge.add_argument("--days", type=int, default=None, help=t("db.purge_days", lang))


def run(args: argparse.Namespace, settings: Settings, environ: Mapping[str, str], lang: str) -> int:
    store = Store.from_env(environ)
    try:
        if args.db_command == "upgrade":
            with exclusive(store):
                store.upgrade()
            print(t("db.upgraded", lang, url=store.display_url(), revision=store.revision()))
            return 0
        with exclusive(store):
            store.upgrade()
        if args.db_command == "init":
            data_dir = args.data_dir or settings.data_dir
            result = entries.seed_from_folder(store, data_dir, Geography.load(settings.geo_dir), by="db init")
            if errors_of(result.problems):
                print(report(result.problems, lang), file=sys.stderr)
                return 1
            added, present = (
                count_text("db.count_added", result.added, lang),
                count_text("db.count_present", result.present, lang),
            )
            print(t("db.seeded", lang, added=added, present=present, folder=str(data_dir), url=store.display_url()))
            return 0
        if args.db_command == "export":
            written = entries.export_folder(store, args.output)
            written_text, files_text = (
                count_text("db.count_written", entries.count(store), lang),
                count_text("count.files", len(written), lang),
            )
            print(t("db.exported", lang, entries=written_text, files=files_text, folder=str(args.output)))
            return 0
        if args.db_command == "status":
            counts = submissions.counts(store)
            print(
                t(
                    "db.state",
                    lang,
                    url=store.display_url(),
                    revision=store.revision(),
                    version=store.data_version(),
                    entries=entries.count(store),
                    pending=counts.get("pending", 0),
                )
            )
            return 0
        if args.db_command == "purge-contacts":
            days = args.days if args.days is not None else settings.contact_retention_days
            n = submissions.purge_contacts(store, older_than_days=days)
            submissions_text, days_text = count_text("db.count_purged", n, lang), count_text("count.days", days, lang)
            print(t("db.purged", lang, submissions=submissions_text, days=days_text))
            return 0
    finally:
        store.dispose()
    return 2
