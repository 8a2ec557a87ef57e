"""Practice sheets, good collaboration practices and testimonials: Markdown files kept in ``data/``.

Coordinators edit these files without touching code. Each file has a YAML front matter (split by
python-frontmatter, parsed by PyYAML's safe loader) and a Markdown body cut into sections by
level-2 headings that carry an explicit id, ``## Rôle {#role}``, so that a French file and its
English twin can be checked for the same sections.

``load(root)`` never raises for a content problem: it returns every document it could read and a
list of :class:`ContentProblem` (file, line, field, plain-language message in fr and en). A file with
an error is left out, so one broken sheet shows a message on its page instead of stopping the app.
``shipped()`` is the content of the repository's ``data/`` folder, read once per process.

``python -m maillage_dash.content [--lang en] [--data-dir DIR]`` prints the same report and exits 1
when there is an error.
"""

from __future__ import annotations

import argparse
import csv
import logging
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from maillage_dash import schema
from maillage_dash.config import DEFAULT_DATA_DIR, ROOT
from maillage_dash.content.reader import (
    _FILE_NAME,
    _SLUG,
    ContentProblem,
    Document,
    _File,
    _has_errors,
    _markdown_files,
    _name_parts,
    _shown,
)
from maillage_dash.i18n import LANGS, count_text, t
from maillage_dash.store import submissions

log = logging.getLogger(__name__)

CONTENT_DIR = ROOT / "data"
SHEET_SECTIONS: tuple[str, ...] = ("role", "can", "cannot", "share", "refer")
PRACTICE_SECTIONS: tuple[str, ...] = ("what", "why", "conditions", "adapt")


@dataclass
class Content:
    """Everything that was read, and every problem found while reading it."""

    sheets: dict[tuple[str, str], Document] = field(default_factory=dict)
    practices: dict[tuple[str, str], Document] = field(default_factory=dict)
    testimonials: list[Document] = field(default_factory=list)
    problems: list[ContentProblem] = field(default_factory=list)

    def sheet(self, sector: str, lang: str) -> Document | None:
        return self.sheets.get((sector, lang))

    def practice(self, slug: str, lang: str) -> Document | None:
        return self.practices.get((slug, lang))

    def practices_in(self, lang: str) -> list[Document]:
        return sorted((d for (_, lg), d in self.practices.items() if lg == lang), key=lambda d: d.key)

    def practice_keys(self) -> list[str]:
        return sorted({key for key, _ in self.practices})

    def problems_of(self, *files: str) -> list[ContentProblem]:
        return [p for p in self.problems if p.file in files]


# --------------------------------------------------------------------------- reading one file


# --------------------------------------------------------------------------- the three kinds


def _read_sheet(path: Path, root: Path) -> tuple[Document | None, list[ContentProblem]]:
    reader = _File(path, _shown(path, root))
    parts = _name_parts(reader, path, re.compile(r"^[a-z_]+$"), "<secteur>.fr.md / <secteur>.en.md")
    if parts is None or not reader.read():
        return None, reader.problems
    key, lang = parts
    if key not in schema.SECTOR_LABELS:
        reader.problem("unknown_sector", None, "secteur", value=key, known=", ".join(schema.SECTOR_LABELS))
        return None, reader.problems
    declared = reader.text("secteur")
    if declared and declared != key:
        reader.problem("sector_mismatch", reader.line_of("secteur"), "secteur", value=declared, expected=key)
    title, summary = reader.text("titre", limit=160), reader.text("resume")
    reviewed, sources = reader.day("derniere_revision"), reader.sources()
    reader.unknown_fields({"secteur", "titre", "resume", "derniere_revision", "sources"})
    intro, sections = reader.split_body(SHEET_SECTIONS)
    if _has_errors(reader.problems):
        return None, reader.problems
    doc = Document("fiche", key, lang, reader.shown, title, summary, reviewed, sources, intro, sections)
    return doc, reader.problems


def _read_practice(path: Path, root: Path) -> tuple[Document | None, list[ContentProblem]]:
    reader = _File(path, _shown(path, root))
    parts = _name_parts(reader, path, _SLUG, "<identifiant>.fr.md / <identifiant>.en.md")
    if parts is None or not reader.read():
        return None, reader.problems
    key, lang = parts
    title, summary = reader.text("titre", limit=160), reader.text("resume")
    initiatives: list[str] = []
    for item, line in reader.items("initiatives"):
        value = str(item).strip()
        if not value or not re.match(r"^[A-Za-z0-9._-]{1,80}$", value):
            reader.problem("bad_initiative", line, "initiatives", value=value[:40])
        elif value not in initiatives:
            initiatives.append(value)
    meta = {
        "initiatives": initiatives,
        "secteurs": reader.sectors("secteurs"),
        "regions": reader.regions("regions"),
        "lines": {"initiatives": reader.item_lines.get("initiatives", [])},
    }
    reviewed, sources = reader.day("derniere_revision"), reader.sources()
    reader.unknown_fields({"titre", "resume", "initiatives", "secteurs", "regions", "derniere_revision", "sources"})
    intro, sections = reader.split_body(PRACTICE_SECTIONS)
    if _has_errors(reader.problems):
        return None, reader.problems
    return Document(
        "pratique", key, lang, reader.shown, title, summary, reviewed, sources, intro, sections, meta
    ), reader.problems


def _read_testimonial(path: Path, root: Path) -> tuple[Document | None, list[ContentProblem]]:
    reader = _File(path, _shown(path, root))
    if not _SLUG.match(path.stem):
        reader.problem("bad_name", None, expected="<identifiant>.md")
        return None, reader.problems
    if not reader.read():
        return None, reader.problems
    role = reader.text("role_auteur", limit=120)
    sectors = reader.sectors("secteur")
    regions = reader.regions("region")
    when = reader.day("date")
    lang = reader.text("langue")
    if lang and lang not in LANGS:
        reader.problem("bad_lang", reader.line_of("langue"), "langue", value=lang[:10])
    consent = reader.meta.get("consentement")
    obtained = isinstance(consent, dict) and (
        consent.get("obtenu") is True or str(consent.get("obtenu")).lower() in ("oui", "yes")
    )
    how = str(consent.get("comment") or "").strip() if isinstance(consent, dict) else ""
    if not obtained or not how:
        reader.problem("consent", reader.line_of("consentement") if "consentement" in reader.lines else 1, "consentement")
    source = reader.text("source", required=False)
    reader.unknown_fields({"role_auteur", "secteur", "region", "date", "langue", "consentement", "source"})
    intro, sections = reader.split_body(None)
    if _has_errors(reader.problems):
        return None, reader.problems
    meta = {"role": role, "secteur": sectors[0] if sectors else "", "region": regions[0] if regions else "", "source": source}
    body = "\n\n".join([intro] + [f"## {s.title}\n\n{s.body}" for s in sections]).strip()
    return Document("temoignage", path.stem, lang, reader.shown, role, "", when, (), body, (), meta), reader.problems


# --------------------------------------------------------------------------- checks across files


def _twins(docs: dict[tuple[str, str], Document], shown: dict[tuple[str, str], str], problems: list[ContentProblem]) -> None:
    """Both languages exist and agree on their sections (and, for practices, links and tags)."""
    for key in sorted({k for k, _ in shown}):
        for lang in LANGS:
            if (key, lang) not in shown:
                other = next(lg for lg in LANGS if (key, lg) in shown)
                problems.append(
                    ContentProblem(
                        shown[(key, other)], None, None, "missing_translation", {"lang": lang, "expected": f"{key}.{lang}.md"}
                    )
                )
        fr, en = docs.get((key, "fr")), docs.get((key, "en"))
        if fr is None or en is None:
            continue
        if fr.section_ids() != en.section_ids():
            detail = f"fr : {', '.join(fr.section_ids())} / en : {', '.join(en.section_ids())}"
            problems.append(ContentProblem(en.file, None, None, "section_mismatch", {"other": fr.file, "detail": detail}))
        for name in ("initiatives", "secteurs", "regions"):
            if name in fr.meta and sorted(fr.meta[name]) != sorted(en.meta[name]):
                problems.append(
                    ContentProblem(
                        en.file,
                        None,
                        name,
                        "meta_mismatch",
                        {"other": fr.file, "here": ", ".join(en.meta[name]), "there": ", ".join(fr.meta[name])},
                    )
                )


def check_initiatives(content: Content, known_ids: Iterable[str], directory_name: str) -> list[ContentProblem]:
    """Problems for practices that link to an initiative absent from the directory."""
    known = set(known_ids)
    out: list[ContentProblem] = []
    for doc in content.practices.values():
        lines = doc.meta.get("lines", {}).get("initiatives", [])
        for i, sid in enumerate(doc.meta.get("initiatives", [])):
            if sid not in known:
                line = lines[i] if i < len(lines) else None
                out.append(
                    ContentProblem(doc.file, line, "initiatives", "unknown_initiative", {"value": sid, "file": directory_name})
                )
    return out


def load(root: Path = CONTENT_DIR) -> Content:
    """Read ``root/fiches``, ``root/pratiques`` and ``root/temoignages``; never raises for bad content."""
    content = Content()
    shown: dict[tuple[str, str], str] = {}
    for path in _markdown_files(root / "fiches"):
        doc, problems = _read_sheet(path, root)
        content.problems += problems
        match = _FILE_NAME.match(path.name)
        if match:
            shown[(match.group("key"), match.group("lang"))] = _shown(path, root)
        if doc is not None:
            content.sheets[(doc.key, doc.lang)] = doc
    for term in schema.SECTORS:
        for lang in LANGS:
            if (term.code, lang) not in shown:
                expected = _shown(root / "fiches" / f"{term.code}.{lang}.md", root)
                content.problems.append(ContentProblem(expected, None, None, "missing_fiche", {"value": term.code}))
    _twins(content.sheets, {k: v for k, v in shown.items() if k[0] in schema.SECTOR_LABELS}, content.problems)

    shown = {}
    for path in _markdown_files(root / "pratiques"):
        doc, problems = _read_practice(path, root)
        content.problems += problems
        match = _FILE_NAME.match(path.name)
        if match:
            shown[(match.group("key"), match.group("lang"))] = _shown(path, root)
        if doc is not None:
            content.practices[(doc.key, doc.lang)] = doc
    _twins(content.practices, shown, content.problems)

    for path in _markdown_files(root / "temoignages"):
        doc, problems = _read_testimonial(path, root)
        content.problems += problems
        if doc is not None:
            content.testimonials.append(doc)
    content.testimonials.sort(key=lambda d: d.reviewed or date.min, reverse=True)
    return content


@cache
def shipped() -> Content:
    """The repository's content, read once per process (the files are read-only while serving)."""
    return load(CONTENT_DIR)


def web_testimonials(store: Any) -> list[Document]:
    """Testimonies sent through the form and published by a reviewer (newest first); none without a
    database, or when it does not answer (the files' testimonies still show)."""
    if store is None:
        return []
    try:
        rows = submissions.testimonies(store)
    except SQLAlchemyError:
        log.warning("published testimonies not read: the database does not answer", exc_info=True)
        return []
    docs = []
    for row in rows:
        data = row.data or {}
        try:
            when = date.fromisoformat(str(data.get("date", ""))[:10])
        except ValueError:
            when = row.published_at.date()
        lang = data.get("langue") if data.get("langue") in LANGS else "fr"
        meta = {
            "role": str(data.get("role_auteur", "")),
            "secteur": str(data.get("secteur", "")),
            "region": str(data.get("region", "")),
            "source": "",
            "signature": str(data.get("signature", "")),
            "plain": True,  # typed in a form: shown as plain paragraphs, never as Markdown
        }
        docs.append(Document("temoignage", row.id, lang, "web", meta["role"], "", when, (), str(data.get("texte", "")), (), meta))
    return docs


def all_testimonials(store: Any) -> list[Document]:
    """The files' testimonies and the published web ones, newest first."""
    docs = shipped().testimonials + web_testimonials(store)
    return sorted(docs, key=lambda d: d.reviewed or date.min, reverse=True)


def directory_ids(data_dir: Path = DEFAULT_DATA_DIR) -> list[str]:
    """The ``id`` column of every CSV of a directory folder (for checking practices without a map)."""
    ids: list[str] = []
    for path in sorted(Path(data_dir).glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            ids += [row.get("id", "").strip() for row in csv.DictReader(fh)]
    return [i for i in ids if i]


def report(problems: list[ContentProblem], lang: str) -> str:
    lines = [p.render(lang) for p in sorted(problems, key=lambda p: (p.severity != "error", p.file, p.row or 0))]
    errors = sum(p.severity == "error" for p in problems)
    said = {
        "errors": count_text("count.errors", errors, lang),
        "warnings": count_text("count.warnings", len(problems) - errors, lang),
    }
    lines.append(t("content.summary", lang, **said))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m maillage_dash.content", description=t("content.cli.description", "fr"))
    parser.add_argument("--lang", choices=LANGS, default="fr")
    parser.add_argument("--data-dir", type=Path, default=CONTENT_DIR, help="data/ (fiches/, pratiques/, temoignages/)")
    args = parser.parse_args(argv)
    content = load(args.data_dir)
    problems = content.problems + check_initiatives(content, directory_ids(), _shown(DEFAULT_DATA_DIR, CONTENT_DIR))
    print(report(problems, args.lang), file=sys.stderr if problems else sys.stdout)
    return 1 if _has_errors(problems) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
