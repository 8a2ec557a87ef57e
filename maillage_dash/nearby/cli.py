"""``python -m maillage_dash nearby PLACE``: the nearest matching services with their distance, as CSV or
JSON (the same search as the nearby page; services with unstated ages or audience are counted apart)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from maillage_dash import filters
from maillage_dash.cliargs import add_filter_flags
from maillage_dash.config import Settings
from maillage_dash.directory import Directory
from maillage_dash.i18n import t
from maillage_dash.nearby import export as nearby_export
from maillage_dash.nearby import model as nearby


def add_parser(sub: argparse._SubParsersAction, lang: str) -> None:  # type: ignore[type-arg]
    near = sub.add_parser("nearby", help=t("cli.nearby", lang))
    near.add_argument("place", help=t("cli.place", lang))
    near.add_argument("--data-dir", type=Path, default=None, help=t("cli.data_dir", lang))
    add_filter_flags(near, lang)
    near.add_argument("--radius", default=str(nearby.DEFAULT_RADIUS_KM), help=t("cli.radius", lang))
    near.add_argument("--limit", type=int, default=20, help=t("cli.limit", lang))
    near.add_argument("--format", choices=("csv", "json"), default="csv", help=t("cli.format_nearby", lang))
    near.add_argument("-o", "--output", type=Path, default=None, help=t("cli.output_optional", lang))


def run(args: argparse.Namespace, directory: Directory, settings: Settings, state: filters.FilterState, lang: str) -> int:
    """``nearby PLACE``: the nearest matching services with their distance, as CSV or JSON."""
    near = nearby.nearby_for(directory, settings.geo_dir)
    lookup = near.finder.resolve(args.place)
    if lookup.place is None:
        message = t(lookup.message or "near.no_place", lang, **(lookup.values or {}))
        if lookup.suggestions:
            message += " " + t("near.suggestions", lang, names=", ".join(near.finder.label(p, lang) for p in lookup.suggestions))
        print(t("cli.place_not_found", lang, message=message), file=sys.stderr)
        return 2
    if lookup.message:
        print(t(lookup.message, lang, **(lookup.values or {})), file=sys.stderr)
    limit = max(1, min(int(args.limit), 10_000))
    frame, apart_frame = near.with_apart(lookup.place, state, nearby.parse_radius(args.radius), limit, apart_limit=1)
    apart = apart_frame.attrs["total"]
    if apart:  # services whose ages or public are not stated: said apart, never mixed with the results
        print(t("cli.nearby_apart", lang, plural=apart, n=apart), file=sys.stderr)
    content = nearby_export.nearby_bytes(
        frame, args.format, lang, near.finder.label(lookup.place, lang), lookup.place.approximate
    )
    if args.output is None:
        sys.stdout.write(content.decode("utf-8-sig"))
        return 0
    args.output.write_bytes(content)
    print(t("cli.nearby_done", lang, plural=len(frame), count=len(frame), path=str(args.output)), file=sys.stderr)
    return 0
