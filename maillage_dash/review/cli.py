"""``python -m maillage_dash user add EMAIL [--replace] | list | remove EMAIL``.

The password is read from ``MAILLAGE_USER_PASSWORD`` or standard input (hidden when it is a
terminal), never from an argument (arguments show in the process list and the shell's history)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Mapping

from maillage_dash.i18n import t
from maillage_dash.store import users
from maillage_dash.store.engine import Store
from maillage_dash.store.setup import exclusive


def add_parser(sub: argparse._SubParsersAction, lang: str) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("user", help=t("user.help", lang), description=t("user.description", lang))
    actions = parser.add_subparsers(dest="user_command", required=True)
    add = actions.add_parser("add", help=t("user.add", lang))
    add.add_argument("email")
    add.add_argument("--replace", action="store_true", help=t("user.replace", lang))
    actions.add_parser("list", help=t("user.list", lang))
    remove = actions.add_parser("remove", help=t("user.remove", lang))
    remove.add_argument("email")


def read_password(environ: Mapping[str, str]) -> str:
    if environ.get("MAILLAGE_USER_PASSWORD"):
        return environ["MAILLAGE_USER_PASSWORD"]
    if sys.stdin.isatty():
        return getpass.getpass("Mot de passe / Password: ")
    return sys.stdin.readline().rstrip("\r\n")


def run(args: argparse.Namespace, environ: Mapping[str, str], lang: str) -> int:
    store = Store.from_env(environ)
    try:
        with exclusive(store):
            store.upgrade()
        if args.user_command == "add":
            password = read_password(environ)
            if not password:
                print(t("review.account.no_password", lang), file=sys.stderr)
                return 1
            try:
                user = users.add(store, args.email, password, replace=args.replace)
            except users.AccountError as exc:
                print(t(f"review.account.{exc.code}", lang), file=sys.stderr)
                return 1
            print(t("review.account.added", lang, email=user.email))
            return 0
        if args.user_command == "list":
            for email, active in users.emails(store):
                print(
                    f"{email}\t{'actif' if active else 'inactif'}"
                    if lang == "fr"
                    else f"{email}\t{'active' if active else 'inactive'}"
                )
            return 0
        if args.user_command == "remove":
            if users.deactivate(store, args.email):
                print(t("review.account.removed", lang, email=users.normal(args.email)))
                return 0
            print(t("review.account.unknown", lang, email=users.normal(args.email)), file=sys.stderr)
            return 1
    finally:
        store.dispose()
    return 2
