"""Layout pieces shared by the sheets, practices, testimonials and search pages. No logic here.

Markdown is rendered by ``dcc.Markdown`` (bundled with Dash, served locally) with raw HTML turned off;
the loader already refuses HTML and unsafe links, so a file can only produce plain formatted text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from maillage_dash import filters, schema
from maillage_dash.content.model import ContentProblem, Document
from maillage_dash.i18n import fmt_date, t
from maillage_dash.links import href

BODY_ID = "content-body"  # the page body of a sheet or practice (its rendering triggers the scroll to #section)
SCROLL_STORE = "content-scroll"
# On these pages, keeps the address bar, <html lang> and the tab title in step with the shared state
# (the shell's own sync listens on the map page only).
SYNC_STORE = "content-sync"


def sync_store() -> dcc.Store:
    return dcc.Store(id=SYNC_STORE)


_FR_THIN = re.compile(r" ([;!?])")


def typography(text: str, lang: str) -> str:
    """French spacing: no line break before « ; : ! ? » or inside « guillemets »."""
    if lang != "fr" or not text:
        return text
    text = _FR_THIN.sub("\u202f\\1", text)
    return text.replace(" :", "\u00a0:").replace("« ", "«\u00a0").replace(" »", "\u00a0»")


def quoted(value: str, lang: str) -> list[Any]:
    """A value typed by someone, in quotes and in its own element (never mixed into a message)."""
    if lang == "fr":
        return ["\u00a0«\u00a0", html.Strong(value), "\u00a0»"]
    return [" \u201c", html.Strong(value), "\u201d"]


def markdown(text: str, lang: str = "en", **kwargs: Any) -> dcc.Markdown:
    return dcc.Markdown(typography(text, lang), dangerously_allow_html=False, className="content-md", **kwargs)


def breadcrumb(items: Sequence[tuple[str, str | None]], lang: str) -> html.Nav:
    """``[(label, href or None for the current page), …]``."""
    crumbs = []
    for label, target in items:
        if target is None:
            crumbs.append(html.Li(label, className="breadcrumb-item active", **{"aria-current": "page"}))
        else:
            crumbs.append(html.Li(dcc.Link(label, href=target), className="breadcrumb-item"))
    return html.Nav(
        html.Ol(crumbs, className="breadcrumb mb-2"), className="mt-3 no-print", **{"aria-label": t("content.breadcrumb", lang)}
    )


def disclaimer(doc: Document, lang: str) -> dbc.Alert:
    return dbc.Alert(
        [
            html.Strong(t("content.disclaimer.title", lang) + " "),
            t("content.disclaimer.text", lang, date=fmt_date(doc.reviewed, lang)),
        ],
        color="info",
        className="small disclaimer",
    )


def toc(doc: Document, lang: str) -> html.Nav:
    entries = [html.Li(html.A(s.title, href=f"#{s.id}")) for s in doc.sections]
    entries.append(html.Li(html.A(t("content.sources", lang), href="#sources")))
    return html.Nav(
        [
            html.H2(t("content.toc", lang), className="h6 text-uppercase text-body-secondary"),
            html.Ol(entries, className="toc-list"),
        ],
        className="content-toc",
        **{"aria-label": t("content.toc", lang)},
    )


def sections(doc: Document) -> list[Any]:
    out: list[Any] = [markdown(doc.intro, doc.lang)] if doc.intro else []
    for section in doc.sections:
        title = html.H2(typography(section.title, doc.lang), className="h4")
        out.append(html.Section([title, markdown(section.body, doc.lang)], id=section.id, className="content-section"))
    return out


def sources(doc: Document, lang: str) -> html.Section:
    items = []
    for src in doc.sources:
        if src.url:
            items.append(
                html.Li(
                    [
                        src.title,
                        " — ",
                        html.A(src.url, href=src.url, target="_blank", rel="noopener noreferrer", className="text-break"),
                    ]
                )
            )
        else:
            items.append(html.Li(src.title))
    return html.Section(
        [html.H2(t("content.sources", lang), className="h4"), html.Ol(items, className="small sources-list")],
        id="sources",
        className="content-section",
    )


def problems_box(problems: Iterable[ContentProblem], lang: str, *, open_: bool = False) -> html.Details | None:
    problems = list(problems)
    if not problems:
        return None
    return html.Details(
        [
            html.Summary(t("content.problems", lang, plural=len(problems), n=len(problems))),
            html.Ul([html.Li(p.render(lang)) for p in problems], className="small mb-0"),
        ],
        open=open_,
        className="alert alert-warning content-problems",
    )


def sector_links(codes: Iterable[str], state: filters.FilterState, lang: str) -> list[Any]:
    """Links to the sheet of each sector, separated by commas."""
    out: list[Any] = []
    for code in codes:
        if out:
            out.append(", ")
        out.append(dcc.Link(schema.sector_label(code, lang), href=href(f"fiches/{code}", state, lang)))
    return out


def region_list(codes: Iterable[str]) -> str:
    return ", ".join(schema.region_label(c) for c in codes)


def other_language(doc_key: str, kind: str, state: filters.FilterState, lang: str) -> dcc.Link:
    other = "en" if lang == "fr" else "fr"
    return dcc.Link(html.Span(t("content.read_other", lang), lang=other), href=href(f"{kind}/{doc_key}", state, other))
