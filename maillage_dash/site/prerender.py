"""The page as plain HTML inside the first response, shown until Dash has drawn it.

On a phone a Dash page is blank until its scripts are parsed, its layout fetched and drawn (seconds
with a slow processor). The index page therefore carries a static copy of the page the URL names —
header with navigation and the quick exit, text, links, result cards — rendered from the same Dash
components by :func:`to_html`. Links work (plain navigation), the quick exit is a plain link to the
neutral site, and phone numbers are ``tel:`` links, all before any script runs. Components that need
JavaScript (map, table, dropdowns, sliders) leave an empty box. ``assets/05-prerender.js`` removes the
copy as soon as Dash's own header is in the page (CSS hides it in the same frame).

The copy has no ``id`` attributes: the page Dash draws next keeps them unique. The stores a page names
in ``Page.embedded_stores`` are written as JSON data blocks (``<script type="application/json" data-store="ID">``)
for the page's scripts that start before Dash (the home page's live map, ``assets/07-live-map.js``).
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from html import escape
from typing import Any

from dash.development.base_component import Component
from plotly.io.json import to_json_plotly

VOID = {"br", "col", "hr", "img", "input", "meta", "link", "source", "wbr"}
ATTRIBUTES = {
    "className": "class",
    "htmlFor": "for",
    "tabIndex": "tabindex",
    "hrefLang": "hreflang",
    "colSpan": "colspan",
    "rowSpan": "rowspan",
    "dateTime": "datetime",
}
PASS = {"href", "title", "lang", "role", "target", "rel", "download", "hidden", "open", "alt", "src", "scope", "type"}
SKIP = {"Store", "Location", "Interval", "Download", "Clipboard", "Tooltip", "ConfirmDialog", "Geolocation"}
BOOTSTRAP_CLASS = {"Row": "row", "Col": "col", "Card": "card", "CardBody": "card-body", "CardHeader": "card-header"}


_EMBED: ContextVar[frozenset[str]] = ContextVar("embed", default=frozenset())


def _data_block(store_id: str, data: Any) -> str:
    # « < » escaped in the JSON (never outside a string there): no « </script> » can end the block early.
    body = to_json_plotly(data).replace("<", "\\u003c")
    return f'<script type="application/json" data-store="{escape(store_id)}">{body}</script>'


def _css_name(key: str) -> str:
    return re.sub(r"([A-Z])", r"-\1", key).lower()


def _style(style: dict[str, Any]) -> str:
    return ";".join(f"{_css_name(k)}:{v}" for k, v in style.items() if isinstance(v, (str, int, float)))


def _attributes(props: dict[str, Any], extra_class: str = "") -> str:
    out = []
    classes = " ".join(c for c in (extra_class, props.get("className") or "") if c)
    if classes:
        out.append(f'class="{escape(classes)}"')
    for key, value in props.items():
        if key in ("children", "className", "id") or value is None or value is False:
            continue
        name = ATTRIBUTES.get(key, key)
        if key == "style" and isinstance(value, dict):
            out.append(f'style="{escape(_style(value))}"')
        elif key in PASS or key in ATTRIBUTES or key.startswith(("aria-", "data-")):
            if value is True:
                out.append(name)
            elif isinstance(value, (str, int, float)):
                out.append(f'{name}="{escape(str(value))}"')
    return (" " + " ".join(out)) if out else ""


def _element(tag: str, props: dict[str, Any], extra_class: str = "") -> str:
    attrs = _attributes(props, extra_class)
    if tag in VOID:
        return f"<{tag}{attrs}>"
    children = props.get("children")
    first = props.get("data-prerender-first")
    if tag in ("ol", "ul") and isinstance(children, (list, tuple)) and isinstance(first, str) and first.isdigit():
        return f"<{tag}{attrs}>{_folded(tag, attrs, children, int(first), str(props.get('data-prerender-more') or ''))}</{tag}>"
    return f"<{tag}{attrs}>{to_html(children)}</{tag}>"


def _folded(tag: str, attrs: str, items: list[Any] | tuple[Any, ...], first: int, label: str) -> str:
    """A long list's first items, then the others folded under ``label`` (a closed ``<details>``, whose
    content the browser does not lay out: the copy's first frame comes sooner; it opens without script)."""
    rest = items[first:]
    head = to_html(items[:first])
    if not rest:
        return head
    start = f' start="{first + 1}"' if tag == "ol" else ""
    return (
        f'{head}<li class="prerender-more"><details><summary>{escape(label)}</summary>'
        f"<{tag}{attrs}{start}>{to_html(rest)}</{tag}></details></li>"
    )


def _col_classes(props: dict[str, Any]) -> str:
    """dbc.Col's grid classes, as dash-bootstrap-components writes them (``lg=9`` → ``col-lg-9``, ``width=True``
    → ``col``, ``md="auto"`` → ``col-md-auto``): the copy's columns have the widths of Dash's page (the home
    page's live map is drawn in the copy at the width it keeps)."""
    out = []
    for bp in ("width", "xs", "sm", "md", "lg", "xl", "xxl"):
        value = props.get(bp)
        if isinstance(value, dict):
            value = value.get("size")
        if value is None or value is False:
            continue
        infix = "" if bp in ("width", "xs") else f"-{bp}"
        out.append(f"col{infix}" if value is True else f"col{infix}-{value}")
    return " ".join(out) or "col"


def _box(props: dict[str, Any], extra_class: str) -> str:
    """An empty box where a component needs JavaScript (map, table, dropdown …), keeping its classes."""
    classes = " ".join(c for c in ("prerender-box", extra_class, props.get("className") or "") if c)
    return f'<div class="{escape(classes)}"></div>'


def to_html(node: Any, embed: frozenset[str] = frozenset()) -> str:
    """Static HTML of a Dash component tree (html.*, dcc.Link, a few dash-bootstrap-components); the data of
    the stores whose ids are in ``embed`` as JSON blocks."""
    if embed:
        token = _EMBED.set(embed)
        try:
            return to_html(node)
        finally:
            _EMBED.reset(token)
    if node is None or isinstance(node, bool):
        return ""
    if isinstance(node, (str, int, float)):
        return escape(str(node))
    if isinstance(node, (list, tuple)):
        return "".join(to_html(child) for child in node)
    if not isinstance(node, Component):
        return ""
    kind, namespace = node._type, node._namespace
    props = {k: v for k, v in node.to_plotly_json()["props"].items() if v is not None}  # aria-*/data-* included
    if namespace == "dash_html_components":
        if kind == "Button" and props.get("data-href"):  # the quick exit: a plain link before any script
            return _element("a", {**props, "href": props["data-href"]})
        return _element(kind.lower(), props)
    if kind == "Store" and str(props.get("id")) in _EMBED.get():
        return _data_block(str(props["id"]), props.get("data"))
    if kind in SKIP:
        return ""
    if namespace == "dash_core_components" and kind == "Link":
        return _element("a", props)
    if namespace == "dash_bootstrap_components":
        if kind == "Container":
            return _element("div", props, "container-fluid" if props.get("fluid") else "container")
        if kind == "Col":
            return _element("div", props, _col_classes(props))
        if kind in BOOTSTRAP_CLASS:
            return _element("div", props, BOOTSTRAP_CLASS[kind])
        if kind == "Alert":
            return _element("div", props, f"alert alert-{props.get('color', 'primary')}")
        if kind == "Badge":
            return _element("span", props, f"badge text-bg-{props.get('color', 'secondary')}")
    return _box(props, f"prerender-{kind.lower()}")
