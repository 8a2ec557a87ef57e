"""``python -m maillage_dash audit``: the directory's risks, row by row, with what to do.

Exit code 1 when something misleading is left (see :mod:`maillage_dash.audit.model`), or with
``--strict`` when anything at all is left to check."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from maillage_dash.audit import model
from maillage_dash.directory import Directory
from maillage_dash.i18n import count_text, fmt_date, t


def add_parser(sub: argparse._SubParsersAction, lang: str) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("audit", help=t("audit.cli_help", lang), description=t("audit.cli_description", lang))
    parser.add_argument("--data-dir", type=Path, default=None, help=t("cli.data_dir", lang))
    parser.add_argument("--format", choices=("text", "json"), default="text", help=t("audit.cli_format", lang))
    parser.add_argument("--strict", action="store_true", help=t("audit.cli_strict", lang))
    parser.add_argument("-o", "--output", type=Path, default=None, help=t("cli.output_optional", lang))


def detail(f: model.Finding, lang: str) -> str:
    """What the finding points at, in the reader's language: a region's missing network, a date as the
    language writes it (« 4 mars 2025 »)."""
    if f.risk == "region_without_network":
        return t("audit.network." + f.detail, lang)
    if f.risk == "stale_confirmation":
        try:
            return fmt_date(date.fromisoformat(f.detail), lang)
        except ValueError:
            return f.detail
    return f.detail


def render_text(findings: list[model.Finding], lang: str) -> str:
    lines: list[str] = []
    for risk, level in model.RISKS:
        group = [f for f in findings if f.risk == risk]
        if not group:
            continue
        tag = t("audit.level." + level, lang)
        lines.append(f"\n== {tag} — {t('audit.risk.' + risk, lang)} ({len(group)})")
        lines.append("   " + t("audit.todo." + risk, lang))
        colon, (lq, rq) = (" : ", ("« ", " »")) if lang == "fr" else (": ", ("“", "”"))
        for f in group:
            if not f.file:  # a region, not a row
                lines.append(f"   - {t('audit.region', lang)} {f.service_id} {lq}{f.name}{rq}{colon}{detail(f, lang)}")
                continue
            where = t("audit.where", lang, file=f.file, row=f.row)
            lines.append(f"   - {f.service_id} {lq}{f.name}{rq} ({where})" + (f"{colon}{detail(f, lang)}" if f.detail else ""))
    counts = model.counts(findings)
    action = sum(n for risk, n in counts.items() if model.LEVEL[risk] == model.ACTION)
    check = sum(n for risk, n in counts.items() if model.LEVEL[risk] == model.CHECK)
    lines.append("\n" + summary(action, check, lang))
    return "\n".join(lines).lstrip("\n")


def summary(action: int, check: int, lang: str) -> str:
    """« 2 points trompeurs à corriger, 1 point à vérifier. », each count in its plural form."""
    action_text, check_text = count_text("audit.count_action", action, lang), count_text("audit.count_check", check, lang)
    return t("audit.summary", lang, action=action_text, check=check_text)


def render_json(findings: list[model.Finding], lang: str) -> str:
    return json.dumps(
        [
            {
                "risk": f.risk,
                "level": f.level,
                "what": t("audit.risk." + f.risk, lang),
                "todo": t("audit.todo." + f.risk, lang),
                "id": f.service_id,
                "name": f.name,
                "file": f.file,
                "row": f.row,
                "detail": detail(f, lang),
            }
            for f in findings
        ],
        ensure_ascii=False,
        indent=2,
    )


def run(args: argparse.Namespace, directory: Directory, lang: str) -> int:
    findings = model.audit(directory)
    text = render_json(findings, lang) if args.format == "json" else render_text(findings, lang)
    if args.output is None:
        sys.stdout.write(text + "\n")
    else:
        args.output.write_text(text + "\n", encoding="utf-8")
        print(t("audit.written", lang, path=str(args.output)))
    if model.needs_action(findings) or (args.strict and findings):
        return 1
    return 0
