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
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from maillage_dash import schema
from maillage_dash.config import DEFAULT_DATA_DIR, ROOT
from maillage_dash.i18n import LANGS, t
from maillage_dash.validation import Problem

CONTENT_DIR = ROOT / "data"
FICHE_SECTIONS: tuple[str, ...] = ("role", "can", "cannot", "share", "refer")
PRATIQUE_SECTIONS: tuple[str, ...] = ("what", "why", "conditions", "adapt")

_HEADING = re.compile(r"^#{1,6}\s")
_H2 = re.compile(r"^##\s+(?P<title>.*?)\s*(?:\{#(?P<id>[^}]*)\})?\s*$")
_SECTION_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_FILE_NAME = re.compile(r"^(?P<key>[a-z0-9_-]+)\.(?P<lang>[a-z]{2})\.md$")
# An HTML tag or comment; an autolink such as <https://…> is not one (':' right after the name).
_HTML = re.compile(r"<!--|<\s*/?\s*[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
_SAFE_TARGET = re.compile(r"^(https?://|mailto:|/|#)", re.IGNORECASE)


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, but dates stay text: they are checked here, with the field and line."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class ContentProblem(Problem):
    """A problem in a content file. ``row`` is the line number of the file, ``column`` the field."""

    def message(self, lang: str = "fr") -> str:
        return t(f"content.problem.{self.code}", lang, **self.params)

    def where(self, lang: str = "fr") -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(t("content.where.line", lang, line=self.row))
        if self.column:
            parts.append(t("content.where.field", lang, field=self.column))
        return ", ".join(parts)


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    body: str  # Markdown, without the heading
    line: int  # line of the heading in the file


@dataclass(frozen=True)
class Document:
    """One file: a practice sheet, a practice or a testimonial, in one language."""

    kind: str  # "fiche", "pratique" or "temoignage"
    key: str  # sector code, practice slug or testimonial slug
    lang: str
    file: str  # path shown in messages, relative to the repository
    title: str
    summary: str
    reviewed: date | None
    sources: tuple[Source, ...]
    intro: str  # Markdown before the first section
    sections: tuple[Section, ...]
    meta: dict[str, Any] = field(default_factory=dict)

    def section_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections)


@dataclass
class Content:
    """Everything that was read, and every problem found while reading it."""

    fiches: dict[tuple[str, str], Document] = field(default_factory=dict)
    pratiques: dict[tuple[str, str], Document] = field(default_factory=dict)
    temoignages: list[Document] = field(default_factory=list)
    problems: list[ContentProblem] = field(default_factory=list)

    def fiche(self, sector: str, lang: str) -> Document | None:
        return self.fiches.get((sector, lang))

    def pratique(self, slug: str, lang: str) -> Document | None:
        return self.pratiques.get((slug, lang))

    def pratiques_in(self, lang: str) -> list[Document]:
        return sorted((d for (_, lg), d in self.pratiques.items() if lg == lang), key=lambda d: d.key)

    def pratique_keys(self) -> list[str]:
        return sorted({key for key, _ in self.pratiques})

    def problems_of(self, *files: str) -> list[ContentProblem]:
        return [p for p in self.problems if p.file in files]


# --------------------------------------------------------------------------- reading one file


class _File:
    """Reads one Markdown file, remembering where each front-matter field and line came from."""

    def __init__(self, path: Path, shown: str) -> None:
        self.path = path
        self.shown = shown
        self.problems: list[ContentProblem] = []
        self.meta: dict[str, Any] = {}
        self.lines: dict[str, int] = {}  # field -> line of its key
        self.item_lines: dict[str, list[int]] = {}  # list field -> line of each item
        self.body = ""
        self.body_line = 1

    def problem(self, code: str, line: int | None = None, column: str | None = None, severity: str = "error", **params: Any):
        self.problems.append(ContentProblem(self.shown, line, column, code, dict(params), severity))

    def read(self) -> bool:
        try:
            text = self.path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.problem("encoding", error=str(exc)[:120])
            return False
        except OSError as exc:
            self.problem("unreadable", error=exc.strerror or str(exc))
            return False
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        handler = frontmatter.YAMLHandler()
        if not handler.detect(text):
            self.problem("no_front_matter", line=1)
            return False
        try:
            front, body = handler.split(text)
        except ValueError:
            self.problem("no_front_matter", line=1)
            return False
        # The front matter starts on the rest of line 1 (after "---"): YAML line n is file line n + 1.
        try:
            node = yaml.compose(front, Loader=_Loader)
            data = handler.load(front, Loader=_Loader)
        except (yaml.YAMLError, ValueError) as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            self.problem("yaml", line=line, error=str(detail)[:160])
            return False
        if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
            self.problem("front_matter_not_mapping", line=2)
            return False
        for key_node, value_node in node.value:
            name = str(key_node.value)
            self.lines[name] = key_node.start_mark.line + 1
            if isinstance(value_node, yaml.SequenceNode):
                self.item_lines[name] = [item.start_mark.line + 1 for item in value_node.value]
        self.meta = {str(k): v for k, v in data.items()}
        self.body = body
        self.body_line = text[: len(text) - len(body)].count("\n") + 1
        return True

    # ---- fields
    def line_of(self, name: str) -> int:
        return self.lines.get(name, 1)

    def text(self, name: str, *, required: bool = True, limit: int = 300) -> str:
        value = self.meta.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem("required", self.line_of(name) if name in self.lines else 1, name)
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.problem("not_text", self.line_of(name), name)
            return ""
        value = str(value).strip()
        if len(value) > limit:
            self.problem("too_long", self.line_of(name), name, limit=limit)
            return value[:limit]
        return value

    def day(self, name: str, *, required: bool = True) -> date | None:
        value = self.meta.get(name)
        if value is None or value == "":
            if required:
                self.problem("required", self.line_of(name) if name in self.lines else 1, name)
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.problem("bad_date", self.line_of(name), name, value=str(value)[:40])
            return None

    def items(self, name: str, *, required: bool = True) -> list[tuple[Any, int]]:
        """A list field as (item, line) pairs; a single value is accepted as a list of one."""
        value = self.meta.get(name)
        if value is None or value == "" or value == []:
            if required:
                self.problem("required", self.line_of(name) if name in self.lines else 1, name)
            return []
        if not isinstance(value, list):
            value = [value]
        lines = self.item_lines.get(name) or [self.line_of(name)] * len(value)
        return list(zip(value, lines))

    def sources(self) -> tuple[Source, ...]:
        out: list[Source] = []
        for item, line in self.items("sources"):
            if isinstance(item, str) and item.strip():
                item = {"titre": item}
            if not isinstance(item, dict) or not str(item.get("titre") or "").strip():
                self.problem("bad_source", line, "sources")
                continue
            url = str(item.get("url") or "").strip() or None
            if url and not url.lower().startswith(("http://", "https://")):
                self.problem("bad_url", line, "sources", value=url[:80])
                continue
            out.append(Source(str(item["titre"]).strip(), url))
        return tuple(out)

    def sectors(self, name: str) -> list[str]:
        out: list[str] = []
        for item, line in self.items(name):
            code = schema.parse_sector(str(item))
            if code is None:
                self.problem("unknown_sector", line, name, value=str(item)[:40], known=", ".join(schema.SECTOR_LABELS))
            elif code not in out:
                out.append(code)
        return out

    def regions(self, name: str) -> list[str]:
        out: list[str] = []
        for item, line in self.items(name):
            raw = f"{item:02d}" if isinstance(item, int) and not isinstance(item, bool) else str(item)
            code = schema.parse_region(raw)
            if code is None:
                self.problem("unknown_region", line, name, value=raw[:40])
            elif code not in out:
                out.append(code)
        return out

    def unknown_fields(self, known: Iterable[str]) -> None:
        for name in self.meta:
            if name not in known:
                self.problem("unknown_field", self.line_of(name), name, severity="warning")

    # ---- body
    def split_body(self, required: Sequence[str] | None) -> tuple[str, tuple[Section, ...]]:
        """(intro, sections) of the Markdown body; checks headings, HTML and links on the way."""
        intro: list[str] = []
        sections: list[Section] = []
        current: list[str] = intro
        head: tuple[str, str, int] | None = None
        seen: dict[str, int] = {}
        fenced = False
        for offset, line in enumerate(self.body.split("\n")):
            number = self.body_line + offset
            if line.lstrip().startswith("```"):
                fenced = not fenced
            if not fenced:
                self._check_line(line, number)
            match = _H2.match(line) if not fenced and line.startswith("## ") else None
            if match is None:
                if not fenced and _HEADING.match(line) and line.startswith("# "):
                    self.problem("top_heading", number)
                current.append(line)
                continue
            title, sid = match.group("title").strip(), (match.group("id") or "").strip()
            if not sid or not _SECTION_ID.match(sid):
                self.problem("bad_heading", number, value=line[:60])
                current.append(line)
                continue
            if sid in seen:
                self.problem("duplicate_section", number, value=sid, first=seen[sid])
            seen[sid] = number
            if head is not None:
                sections.append(Section(head[0], head[1], "\n".join(current).strip(), head[2]))
            head = (sid, title, number)
            current = []
        if head is not None:
            sections.append(Section(head[0], head[1], "\n".join(current).strip(), head[2]))
        if required is not None:
            missing = [s for s in required if s not in seen]
            if missing:
                self.problem("missing_sections", self.body_line, missing=", ".join(missing))
        if not sections and not "\n".join(intro).strip():
            self.problem("empty_body", self.body_line)
        return "\n".join(intro).strip(), tuple(sections)

    def _check_line(self, line: str, number: int) -> None:
        tag = _HTML.search(line)
        if tag:
            self.problem("raw_html", number, value=tag.group(0)[:40])
        for target in _LINK_TARGET.findall(line):
            if target and not _SAFE_TARGET.match(target):
                self.problem("unsafe_link", number, value=target[:60])


# --------------------------------------------------------------------------- the three kinds


def _shown(path: Path, root: Path) -> str:
    base = root.parent if root.name == "data" else root
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def _markdown_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.name.lower() != "readme.md")


def _name_parts(reader: _File, path: Path, pattern: re.Pattern[str], expected: str) -> tuple[str, str] | None:
    match = _FILE_NAME.match(path.name)
    if match is None or match.group("lang") not in LANGS or not pattern.match(match.group("key")):
        reader.problem("bad_name", None, expected=expected)
        return None
    return match.group("key"), match.group("lang")


def _has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def _read_fiche(path: Path, root: Path) -> tuple[Document | None, list[ContentProblem]]:
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
    intro, sections = reader.split_body(FICHE_SECTIONS)
    if _has_errors(reader.problems):
        return None, reader.problems
    doc = Document("fiche", key, lang, reader.shown, title, summary, reviewed, sources, intro, sections)
    return doc, reader.problems


def _read_pratique(path: Path, root: Path) -> tuple[Document | None, list[ContentProblem]]:
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
    intro, sections = reader.split_body(PRATIQUE_SECTIONS)
    if _has_errors(reader.problems):
        return None, reader.problems
    return Document(
        "pratique", key, lang, reader.shown, title, summary, reviewed, sources, intro, sections, meta
    ), reader.problems


def _read_temoignage(path: Path, root: Path) -> tuple[Document | None, list[ContentProblem]]:
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
    for doc in content.pratiques.values():
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
        doc, problems = _read_fiche(path, root)
        content.problems += problems
        match = _FILE_NAME.match(path.name)
        if match:
            shown[(match.group("key"), match.group("lang"))] = _shown(path, root)
        if doc is not None:
            content.fiches[(doc.key, doc.lang)] = doc
    for term in schema.SECTORS:
        for lang in LANGS:
            if (term.code, lang) not in shown:
                expected = _shown(root / "fiches" / f"{term.code}.{lang}.md", root)
                content.problems.append(ContentProblem(expected, None, None, "missing_fiche", {"value": term.code}))
    _twins(content.fiches, {k: v for k, v in shown.items() if k[0] in schema.SECTOR_LABELS}, content.problems)

    shown = {}
    for path in _markdown_files(root / "pratiques"):
        doc, problems = _read_pratique(path, root)
        content.problems += problems
        match = _FILE_NAME.match(path.name)
        if match:
            shown[(match.group("key"), match.group("lang"))] = _shown(path, root)
        if doc is not None:
            content.pratiques[(doc.key, doc.lang)] = doc
    _twins(content.pratiques, shown, content.problems)

    for path in _markdown_files(root / "temoignages"):
        doc, problems = _read_temoignage(path, root)
        content.problems += problems
        if doc is not None:
            content.temoignages.append(doc)
    content.temoignages.sort(key=lambda d: d.reviewed or date.min, reverse=True)
    return content


@cache
def shipped() -> Content:
    """The repository's content, read once per process (the files are read-only while serving)."""
    return load(CONTENT_DIR)


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
    lines.append(t("content.summary", lang, errors=errors, warnings=len(problems) - errors))
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
