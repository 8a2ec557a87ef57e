"""The partnership network and the links between regions (/reseau).

Who collaborates with whom (graph of services and partners, by sector), which sectors take part
in each region's collaborations and which are missing, which services serve other regions, the
flows between regions on the map, and the regions whose coverage of a type comes only from outside.
Everything follows the shared filters. The graph and the map have table equivalents below them.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from maillage_dash.i18n import t
from maillage_dash.ids import ID
from maillage_dash.network.callbacks import content, register
from maillage_dash.network.ids import NetID
from maillage_dash.network.layout import legend_key, section
from maillage_dash.routing import Page, PageContext
from maillage_dash.ui.card import copied_status
from maillage_dash.ui.filter_panel import filter_panel, summary_box
from maillage_dash.ui.graphs import graph_config as shared_graph_config

# --------------------------------------------------------------------------- content


# --------------------------------------------------------------------------- layout


def _head(parts: dict[str, Any], lang: str) -> list[Any]:
    """Title, counters, the link of this view and the table of contents."""
    return [
        html.H1(t("network.title", lang), className="h3"),
        html.P(t("network.intro", lang)),
        html.Div(parts[NetID.COUNTERS], id=NetID.COUNTERS, className="counters", **{"aria-live": "polite"}),
        # The link to this view (filters included), filled by the shared callback of the map page's button.
        html.Div(
            [
                dcc.Clipboard(
                    id=ID.SHARE,
                    title=t("app.copy_link", lang),
                    className="btn btn-outline-secondary btn-sm share copy-button",
                    content="",
                ),
                html.Span(t("app.copy_link", lang), className="small ms-1"),
                copied_status(lang),
            ],
            className="no-print mb-2",
        ),
        html.Nav(
            html.Ul(
                [
                    html.Li(html.A(t(k, lang), href=f"#{a}"))
                    for k, a in (
                        ("network.graph_title", "net-graph-sec-title"),
                        ("network.edges_title", "net-edges-sec-title"),
                        ("network.map_title", "net-map-sec-title"),
                        ("network.outside_title", "net-outside-sec-title"),
                        ("network.sectors_title", "net-sectors-sec-title"),
                    )
                ],
                className="list-inline net-toc",
            ),
            className="no-print",
            **{"aria-label": t("network.toc", lang)},
        ),
    ]


def _view_toggle(lang: str) -> html.Div:
    """List or graph: two buttons, the pressed one says which view shows. The list comes first on a
    phone, the graph on a wider screen (assets/63-reseau-vues.js sets both on arrival)."""
    buttons = [
        html.Button(
            t(key, lang),
            id=bid,
            type="button",
            className="btn btn-outline-primary btn-sm",
            **{"aria-pressed": "true" if bid == NetID.SHOW_GRAPH else "false", "aria-controls": target, "data-view": view},
        )
        for key, bid, target, view in (
            ("network.view_list", NetID.SHOW_LIST, NetID.LIST, "list"),
            ("network.view_graph", NetID.SHOW_GRAPH, "net-graph-view", "graph"),
        )
    ]
    return html.Div(
        [html.Span(t("network.view_label", lang), id="net-view-label", className="small me-2"), *buttons],
        className="net-view-toggle no-print mb-2",
        role="group",
        **{"aria-labelledby": "net-view-label"},
    )


def _sections(parts: dict[str, Any], lang: str) -> list[Any]:
    """The graph, the partnerships, the map of links between regions, outside-only coverage, sectors."""
    graph_config = shared_graph_config(lang, scrollZoom=True)
    graph_view = html.Div(
        [
            legend_key(lang),
            html.P(t("network.graph_key", lang), className="small"),
            html.Div(
                dcc.Graph(id=NetID.GRAPH, figure=parts[NetID.GRAPH], config=graph_config, className="net-graph"),
                className="map-wrap",
                role="figure",  # not "img": the graph inside has buttons (axe nested-interactive)
                **{"aria-label": t("network.graph_aria", lang)},
            ),
            html.P(html.A(t("network.graph_to_table", lang), href="#net-edges-sec-title"), className="small mt-1 no-print"),
        ],
        id="net-graph-view",
        className="net-view net-graph-view",
    )
    list_view = html.Div(parts[NetID.LIST], id=NetID.LIST, className="net-view net-list-view")
    return [
        section(
            "network.graph_title",
            lang,
            "net-graph-sec",
            _view_toggle(lang),
            html.Div([list_view, graph_view], id=NetID.VIEWS, className="net-views"),
            help_key="network.graph_help",
        ),
        section(
            "network.edges_title",
            lang,
            "net-edges-sec",
            html.Div(parts[NetID.EDGES], id=NetID.EDGES),
            help_key="network.edges_help",
        ),
        section(
            "network.map_title",
            lang,
            "net-map-sec",
            html.Div(
                dcc.Graph(id=NetID.MAP, figure=parts[NetID.MAP], config=graph_config, className="net-map fit-map"),
                className="map-wrap",
                role="figure",  # not "img": the graph inside has buttons (axe nested-interactive)
                **{"aria-label": t("network.map_aria", lang)},
            ),
            html.P(t("network.map_key", lang), className="small mt-1"),
            html.Div(parts[NetID.FLOWS], id=NetID.FLOWS),
            help_key="network.map_help",
        ),
        section(
            "network.outside_title",
            lang,
            "net-outside-sec",
            html.Div(parts[NetID.OUTSIDE], id=NetID.OUTSIDE),
            help_key="network.outside_help",
        ),
        section(
            "network.sectors_title",
            lang,
            "net-sectors-sec",
            html.Div(parts[NetID.SECTORS], id=NetID.SECTORS),
            help_key="network.sectors_help",
        ),
    ]


def render(ctx: PageContext) -> Any:
    lang = ctx.lang
    parts = content(ctx.directory, ctx.state, lang)
    body = [
        *_head(parts, lang),
        *_sections(parts, lang),
        html.P(t("network.caveat", lang), className="small text-body-secondary mt-3"),
    ]
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(filter_panel(lang, ctx.state), lg=3, className="mb-3 no-print"),
                    dbc.Col([summary_box(ctx.state, lang, "filter-summary mb-2"), *body], lg=9),
                ],
                className="mt-3 reseau",
            ),
        ]
    )


PAGE = Page(path="reseau", title_key="network.title", nav_key="network.nav", render=render, register=register)

__all__ = ["PAGE", "content"]
