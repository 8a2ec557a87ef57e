"""One search over everything Maillage shows: services and initiatives, practice sheets, practices.

Matching is the same as the map's free-text filter (``filters.mask``): every word of the query must
appear, accent- and case-insensitive (``text.fold``). Services are searched through the shared filter
state (so "search" and the map's text filter mean the same thing); sheets and practices are searched
in the current language only, section by section, so a result can point to the section it was found in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from maillage_dash import filters, schema
from maillage_dash.content.model import Content, Document
from maillage_dash.directory import Directory
from maillage_dash.text import fold

MAX_QUERY_LENGTH = filters.MAX_QUERY_LENGTH
SNIPPET_BEFORE = 12
SNIPPET_AFTER = 22

_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"[*_`>#]+")


@dataclass(frozen=True)
class Query:
    """A checked query: its words (folded), or the reason there is nothing to search."""

    raw: str
    text: str
    words: tuple[str, ...]
    problem: str | None = None  # "empty", "too_long" or "no_words"


def parse_query(raw: object) -> Query:
    """Check user input: never raises, whatever it is (None, a number, 10 000 characters, HTML)."""
    text = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    text = text.strip()
    if not text:
        return Query(text, "", (), "empty")
    if len(text) > MAX_QUERY_LENGTH:
        return Query(text, text[:MAX_QUERY_LENGTH], (), "too_long")
    words = tuple(dict.fromkeys(w for w in fold(text).split() if w))
    if not words:
        return Query(text, text, (), "no_words")
    return Query(text, text, words)


@dataclass(frozen=True)
class Hit:
    """One result: what it is, where to go, and a short passage around the first matching word."""

    kind: str  # "service", "fiche" or "pratique"
    key: str  # service id, sector code or practice slug
    title: str
    snippet: tuple[tuple[str, bool], ...]  # (token, matched) pairs, in order
    section: str | None = None  # section id to jump to
    section_title: str | None = None
    subtitle: str = ""
    cut_before: bool = False
    cut_after: bool = False


@dataclass
class Results:
    query: Query
    services: list[Hit] = field(default_factory=list)
    services_total: int = 0
    sheets: list[Hit] = field(default_factory=list)
    practices: list[Hit] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.services_total + len(self.sheets) + len(self.practices)


def plain(markdown: str) -> str:
    """Readable text of a Markdown passage (links keep their text, marks go)."""
    text = _MARKDOWN_LINK.sub(r"\1", markdown)
    text = _MARKDOWN_MARKS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def snippet(text: str, words: tuple[str, ...]) -> tuple[tuple[tuple[str, bool], ...], bool, bool]:
    """Tokens around the first token containing a query word, each flagged when it matches."""
    tokens = text.split()
    if not tokens:
        return (), False, False
    folded = [fold(tok) for tok in tokens]
    first = next((i for i, f in enumerate(folded) if any(w in f for w in words)), 0)
    start = max(0, first - SNIPPET_BEFORE)
    end = min(len(tokens), first + SNIPPET_AFTER)
    out = tuple((tokens[i], any(w in folded[i] for w in words)) for i in range(start, end))
    return out, start > 0, end < len(tokens)


def _chunks(doc: Document) -> list[tuple[str | None, str | None, str]]:
    """(section id, section title, plain text) of a document, the title and summary first."""
    head = plain(" ".join([doc.title, doc.summary, doc.intro]))
    return [(None, None, head)] + [(s.id, s.title, plain(s.title + " " + s.body)) for s in doc.sections]


def _match_document(doc: Document, words: tuple[str, ...]) -> Hit | None:
    chunks = _chunks(doc)
    folded = [fold(text) for _, _, text in chunks]
    everything = " ".join(folded)
    if not all(w in everything for w in words):
        return None
    # The passage shown: the chunk that holds the most query words (the earliest on a tie).
    best = max(range(len(chunks)), key=lambda i: (sum(w in folded[i] for w in words), -i))
    section, section_title, text = chunks[best]
    tokens, before, after = snippet(text, words)
    return Hit(doc.kind, doc.key, doc.title, tokens, section, section_title, doc.summary, before, after)


def search_documents(docs: list[Document], query: Query) -> list[Hit]:
    if not query.words:
        return []
    hits = [h for h in (_match_document(d, query.words) for d in docs) if h is not None]
    # Title matches first, then the documents' own order.
    return sorted(hits, key=lambda h: -sum(w in fold(h.title) for w in query.words))


def search_services(
    directory: Directory, state: filters.FilterState, query: Query, lang: str, limit: int
) -> tuple[list[Hit], int]:
    if not query.words:
        return [], 0
    frame = filters.apply(directory, replace(state, text=query.text))
    hits: list[Hit] = []
    for rec in frame.head(limit).itertuples(index=False):
        description = rec.description_en if lang == "en" and rec.description_en else rec.description
        tokens, before, after = snippet(str(description or ""), query.words)
        place = f"{rec.organisme} — {rec.municipalite}" if rec.municipalite else str(rec.organisme)
        hits.append(Hit("service", str(rec.id), str(rec.nom), tokens, None, None, place, before, after))
    return hits, len(frame)


def search(
    content: Content,
    directory: Directory,
    state: filters.FilterState,
    raw: object,
    lang: str,
    *,
    service_limit: int = 25,
) -> Results:
    """Everything that matches ``raw`` in ``lang``; services also honour the other active filters."""
    query = parse_query(raw)
    results = Results(query)
    if query.problem:
        return results
    results.services, results.services_total = search_services(directory, state, query, lang, service_limit)
    sheets = [d for d in (content.sheet(term.code, lang) for term in schema.SECTORS) if d is not None]
    results.sheets = search_documents(sheets, query)
    results.practices = search_documents(content.practices_in(lang), query)
    return results
