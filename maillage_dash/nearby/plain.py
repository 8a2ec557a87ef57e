"""Dash components written directly as what Dash sends for them: ``{"props", "type", "namespace"}``.

The nearby answer holds fifty to seventy result cards of about twenty components each. Building them
as Dash component objects (each constructor checks its arguments) and then turning every object back
into a dict for JSON (once per component, through plotly's encoder) was most of the answer's time at
100,000 services. A card written as plain dicts is the same JSON, encoded by the C encoder alone.

:func:`el` takes the component class and the arguments its constructor would take, and gives the dict
Dash's ``to_plotly_json`` gives for that component: the explicitly given properties, ``children``
always for a component that has it (``None`` when not given), ``aria-*`` and ``data-*`` as given.
:func:`to_component` turns such a tree back into Dash components (the page's first render needs
them: its static HTML copy is written from components), and ``tests/nearby/test_plain_cards.py``
checks that both ways give the same JSON.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html
from dash.development.base_component import Component

_MODULES = {"dash_html_components": html, "dash_core_components": dcc, "dash_bootstrap_components": dbc}
_MISSING = object()


@functools.cache
def _has_children(cls: type[Component]) -> bool:
    return "children" in inspect.signature(cls.__init__).parameters


def el(cls: type[Component], children: Any = _MISSING, **props: Any) -> dict[str, Any]:
    """``cls(children, **props)`` as the dict Dash sends for it (no argument checks: the tests do them)."""
    if _has_children(cls):
        props["children"] = None if children is _MISSING else children
    elif children is not _MISSING:
        raise TypeError(f"{cls.__name__} has no children")
    return {"props": props, "type": cls._type, "namespace": cls._namespace}


def is_node(value: Any) -> bool:
    return isinstance(value, dict) and value.keys() == {"props", "type", "namespace"}


def to_component(node: Any) -> Any:
    """The Dash components a plain tree stands for (components and other values inside it kept)."""
    if isinstance(node, list):
        return [to_component(child) for child in node]
    if isinstance(node, tuple):
        return tuple(to_component(child) for child in node)
    if not is_node(node):
        return node
    cls = getattr(_MODULES[node["namespace"]], node["type"])
    props = dict(node["props"])
    children = props.pop("children", _MISSING)
    if children is _MISSING:
        return cls(**props)
    return cls(to_component(children), **props)


def from_component(node: Any) -> Any:
    """A component tree as plain dicts (what Dash's encoder would make of it)."""
    if isinstance(node, (list, tuple)):
        return [from_component(child) for child in node]
    if not isinstance(node, Component):
        return node
    as_json = node.to_plotly_json()
    props = dict(as_json["props"])
    if "children" in props:
        props["children"] = from_component(props["children"])
    return {"props": props, "type": as_json["type"], "namespace": as_json["namespace"]}


__all__ = ["el", "from_component", "is_node", "to_component"]
