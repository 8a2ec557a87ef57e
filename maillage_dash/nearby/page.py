"""Services near a place (/proximite): municipality, postal code or the browser's position,
sorted by distance across regional borders, with a radius, details and a referral sheet."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from maillage_dash.i18n import fmt_int, t
from maillage_dash.ids import ID
from maillage_dash.nearby import model as nearby
from maillage_dash.nearby.callbacks import register
from maillage_dash.nearby.figures import empty_map
from maillage_dash.nearby.ids import NID
from maillage_dash.nearby.layout import place_option, radius_value, sheet_href
from maillage_dash.routing import Page, PageContext
from maillage_dash.ui.filter_panel import filter_panel

# ---------------------------------------------------------------------------------- layout


def render(ctx_: PageContext) -> Any:
    lang, state = ctx_.lang, ctx_.state
    near = nearby.nearby_for(ctx_.directory, ctx_.settings.geo_dir)
    raw_place = ctx_.param("pres") or ""
    radius = radius_value(ctx_.param("rayon", str(nearby.DEFAULT_RADIUS_KM)))
    picked = [sid for sid in ctx_.params.get("choix", []) if sid in ctx_.directory.services.index]
    options: list[dict[str, Any]] = []
    value = None
    if raw_place:
        lookup = near.finder.resolve(raw_place)
        if lookup.place is not None:
            options = [place_option(near.finder, lookup.place, lang)]
            value = lookup.place.key
    radius_options = [{"label": f"{r} km", "value": str(r)} for r in nearby.RADII_KM]
    radius_options.append({"label": t("near.no_limit", lang), "value": "0"})
    search = html.Section(
        [
            html.H1(t("near.title", lang), className="h3"),
            html.P(t("near.intro", lang), className="mb-2"),
            html.Label(t("near.place_label", lang), htmlFor=NID.PLACE, className="form-label fw-semibold"),
            html.Div(
                [
                    dcc.Dropdown(
                        id=NID.PLACE,
                        options=options,
                        value=value,
                        searchable=True,
                        clearable=True,
                        placeholder=t("near.place_placeholder", lang),
                        labels={
                            "no_options_found": t("near.no_place", lang),
                            "search": t("near.place_placeholder", lang),
                            "clear_search": t("dd.clear_search", lang),
                            "clear_selection": t("dd.clear_selection", lang),
                        },
                        debounce=False,
                        className="near-place",
                    ),
                    html.Button(
                        t("near.locate", lang),
                        id=NID.LOCATE,
                        n_clicks=0,
                        className="btn btn-outline-primary",
                        title=t("near.locate_title", lang),
                    ),
                ],
                className="near-search-row",
            ),
            html.P(t("near.place_help", lang), className="form-text small mb-2"),
            html.Fieldset(
                [
                    html.Legend(t("near.radius", lang), className="form-label fs-6 fw-semibold mb-1"),
                    dcc.RadioItems(
                        id=NID.RADIUS,
                        options=radius_options,
                        value=radius,
                        inline=True,
                        inputClassName="form-check-input me-1",
                        labelClassName="form-check-label me-3",
                    ),
                ],
                className="mb-2",
            ),
            html.Div(id=NID.MESSAGE, role="status", **{"aria-live": "polite"}),
        ],
        className="near-search card card-body mb-3",
    )
    return html.Div(
        [
            search,
            dbc.Row(
                [
                    dbc.Col(filter_panel(lang, state), lg=3, className="mb-3 no-print"),
                    dbc.Col(
                        [
                            html.Div(id=ID.SUMMARY, className="filter-summary mb-2", **{"aria-live": "polite"}),
                            dbc.Row(
                                [
                                    dbc.Col(
                                        [
                                            html.Div(
                                                [
                                                    html.H2(
                                                        t("near.results", lang), className="h5 mb-0", id="near-results-title"
                                                    ),
                                                    dcc.Link(
                                                        t("near.sheet", lang, n=fmt_int(len(picked), lang)),
                                                        id=NID.SHEET,
                                                        href=sheet_href(state, lang, value, picked),
                                                        className="btn btn-primary btn-sm",
                                                    ),
                                                ],
                                                className="near-results-head",
                                            ),
                                            html.Div(id=NID.RESULTS, **{"aria-live": "polite", "aria-busy": "false"}),
                                        ],
                                        xl=6,
                                        className="order-2 order-xl-1",
                                    ),
                                    dbc.Col(
                                        html.Div(
                                            dcc.Graph(
                                                id=NID.MAP,
                                                figure=empty_map(ctx_.directory, lang),
                                                config={"displaylogo": False, "scrollZoom": True, "locale": lang},
                                                className="near-map",
                                            ),
                                            className="map-wrap",
                                            role="region",
                                            **{"aria-label": t("near.map_aria", lang)},
                                        ),
                                        xl=6,
                                        className="order-1 order-xl-2 mb-3",
                                    ),
                                ]
                            ),
                        ],
                        lg=9,
                    ),
                ]
            ),
            dcc.Store(id=NID.GEO),
            dcc.Store(id=NID.PICKED, data=picked),
            dcc.Store(id=NID.PAGE_STATE),
            dcc.Store(id=NID.RAW, data=raw_place if value is None else None),
        ],
        className="near-page",
    )


# ---------------------------------------------------------------------------------- map


# ---------------------------------------------------------------------------------- results


# ---------------------------------------------------------------------------------- callbacks


PAGE = Page(path="proximite", title_key="near.title", nav_key="nav.proximite", render=render, register=register)

__all__ = ["PAGE"]
