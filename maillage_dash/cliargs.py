"""The filter options every command shares (``--region``, ``--age``, ``--type``, ``--secteur``,
``--public``, ``--termines``, ``--q``), written once, and the filter state they mean."""

from __future__ import annotations

import argparse

from maillage_dash import filters
from maillage_dash.i18n import t


def add_filter_flags(parser: argparse.ArgumentParser, lang: str, *, region: bool = True) -> None:
    if region:
        parser.add_argument("--region", action="append", default=[], help=t("cli.region", lang))
    parser.add_argument("--age", default=None, help=t("cli.age", lang))
    parser.add_argument("--type", action="append", default=[], help=t("cli.type", lang))
    parser.add_argument("--secteur", "--sector", action="append", default=[], dest="sector", help=t("cli.sector", lang))
    parser.add_argument("--public", "--audience", action="append", default=[], dest="audience", help=t("cli.audience", lang))
    parser.add_argument("--termines", "--ended", action="store_true", dest="ended", help=t("cli.ended", lang))
    parser.add_argument("--q", default="", help=t("cli.text", lang))


def state_from_args(args: argparse.Namespace) -> tuple[filters.FilterState, list[str]]:
    """The filter state of the parsed options, and the values that were not understood."""
    return filters.FilterState.build(
        regions=getattr(args, "region", None) or None,
        age=args.age,
        types=args.type or None,
        sectors=args.sector or None,
        text=args.q,
        audience=args.audience or None,
        ended="1" if args.ended else None,
    )
