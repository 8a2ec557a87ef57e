"""Content documents and how one file is read: a Markdown file with a YAML front matter, its fields,
sections and links, every problem with its line (:class:`ContentProblem`). The loader in model.py
gathers them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from maillage_dash import schema
from maillage_dash.i18n import LANGS, t
from maillage_dash.validation import Problem

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


def parse_front(front: str) -> tuple[Any, Any]:
    """The front matter's node tree (for the line of each field) and its data, composed once then
    constructed from that tree, what ``yaml.compose`` then ``yaml.load`` of the same text gave (the
    text was parsed twice, most of the content's start-up time)."""
    parser = _Loader(front)
    try:
        node = parser.get_single_node()
        return node, parser.construct_document(node) if node is not None else None
    finally:
        parser.dispose()


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
            node, data = parse_front(front)
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
