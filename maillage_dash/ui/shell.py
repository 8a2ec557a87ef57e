"""The frame around every page: skip link, header (brand, navigation, language, print, quick exit),
the page body, and the footer with the data date and the attribution of the geographic sources."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from maillage_dash import filters
from maillage_dash.directory import Directory
from maillage_dash.geo import ATTRIBUTION_EN, ATTRIBUTION_FR
from maillage_dash.i18n import fmt_date, fmt_int, t
from maillage_dash.ids import ID
from maillage_dash.links import href
from maillage_dash.memo import per_object
from maillage_dash.routing import Page


def nav(lang: str, state: filters.FilterState, active: str | None, pages: Mapping[str, Page]) -> html.Nav:
    items = []
    shown = pages.get(active) if active is not None else None
    section = shown.nav_parent if shown is not None and shown.nav_parent else active
    for page in pages.values():
        if not page.nav:
            continue
        current = page.path == section
        items.append(
            html.Li(
                # dcc.Link (client-side navigation) takes no aria-current: say it in hidden text.
                dcc.Link(
                    [t(page.nav_key or page.title_key, lang)]
                    + ([html.Span(t("nav.current", lang), className="visually-hidden")] if current else []),
                    href=href(page.path, state, lang),
                    id={"type": "nav-link", "path": page.path},
                    className="nav-link" + (" active" if current else ""),
                ),
                className="nav-item",
            )
        )
    # The contribution pages are served by the server (forms): plain links, a full page load.
    for path, key in (("/proposer", "live.nav_propose"), ("/temoigner", "live.nav_testify")):
        items.append(html.Li(html.A(t(key, lang), href=f"{path}?lang={lang}", className="nav-link"), className="nav-item"))
    return html.Nav(html.Ul(items, className="nav main-nav"), **{"aria-label": t("nav.label", lang)})


def header(
    lang: str, state: filters.FilterState, active: str | None, quick_exit_url: str, pages: Mapping[str, Page], extra: str = ""
) -> html.Header:
    other = "en" if lang == "fr" else "fr"
    return html.Header(
        dbc.Container(
            [
                html.Div(
                    [
                        dcc.Link(html.Span("Maillage", className="brand"), href=href("", state, lang), className="brand-link"),
                        html.P(t("app.tagline", lang), className="tagline"),
                    ],
                    className="brand-block",
                ),
                html.Div(
                    [
                        html.A(
                            t("app.other_lang", lang),
                            id=ID.LANG_LINK,
                            href=filters.to_query(state, other) + extra,
                            lang=other,
                            hrefLang=other,
                            className="btn btn-outline-light btn-sm",
                            title=t("app.other_lang_title", lang),
                        ),
                        html.Button(t("app.print", lang), id=ID.PRINT, className="btn btn-light btn-sm", n_clicks=0),
                        html.Button(
                            t("exit.button", lang),
                            id=ID.QUICK_EXIT,
                            className="btn btn-warning btn-sm quick-exit",
                            title=t("exit.title", lang),
                            **{"data-href": quick_exit_url},
                        ),
                    ],
                    className="header-actions",
                    role="group",
                    **{"aria-label": t("app.actions", lang)},
                ),
                nav(lang, state, active, pages),
            ],
            fluid=True,
            className="header-inner",
        ),
        className="app-header",
    )


@per_object
def newest_verification(services: Any) -> Any:
    """The most recent confirmation date of the directory (once per directory, not per page)."""
    verified = [d for d in services["confirme_le"] if d and not pd.isna(d)]
    return max(verified) if verified else None


def footer(lang: str, directory: Directory) -> html.Footer:
    files = ", ".join(directory.files)
    latest = newest_verification(directory.services)
    newest = fmt_date(latest, lang) if latest else "—"
    return html.Footer(
        [
            html.P(t("footer.data", lang, n=fmt_int(len(directory), lang), files=files, date=newest)),
            html.P(
                [
                    t("footer.gaps", lang),
                    " ",
                    dcc.Link(t("audit.footer_link", lang), href=f"/qualite?lang={lang}", id="footer-audit"),
                ]
            ),
            html.Details(
                [html.Summary(t("footer.warnings", lang, plural=len(directory.warnings), n=len(directory.warnings)))]
                + [html.P(w.render(lang), className="mb-1") for w in directory.warnings]
            )
            if directory.warnings
            else None,
            html.P(ATTRIBUTION_FR if lang == "fr" else ATTRIBUTION_EN),
            html.P(t("footer.about", lang)),
            html.P(
                [
                    t("live.footer", lang),
                    " ",
                    html.A(t("live.nav_propose_long", lang), href=f"/proposer?lang={lang}"),
                    " · ",
                    html.A(t("privacy.title", lang), href=f"/confidentialite?lang={lang}"),
                ],
                className="no-print",
            ),
            html.P(
                [
                    t("exchange.open_data", lang),
                    " ",
                    html.A("JSON", href=f"/api/export/hsds.json?lang={lang}", download="maillage-hsds.json"),
                    " · ",
                    html.A(t("exchange.tabular", lang), href=f"/api/export/hsds-tabulaire.zip?lang={lang}"),
                    " · ",
                    html.A("API", href=f"/api/?lang={lang}"),
                ],
                className="no-print",
            ),
            html.P(t("exit.footer", lang), className="no-print"),
        ],
        className="app-footer small text-body-secondary",
    )


def shell(
    body: Any,
    *,
    lang: str,
    state: filters.FilterState,
    directory: Directory,
    active: str | None,
    quick_exit_url: str,
    pages: Mapping[str, Page],
    notice: str | None = None,
    extra: str = "",
) -> html.Div:
    """``body`` inside the common frame. ``extra`` is the page's own query (``&annee=2024``)."""
    return html.Div(
        [
            html.A(t("app.skip", lang), href="#content", className="visually-hidden-focusable skip-link"),
            header(lang, state, active, quick_exit_url, pages, extra),
            dbc.Container(
                [
                    dbc.Alert(notice, color="warning", id=ID.NOTICE, is_open=True, dismissable=True, className="mt-3")
                    if notice
                    else html.Div(id=ID.NOTICE),
                    html.Main(body, id="content", tabIndex="-1"),
                    footer(lang, directory),
                ],
                fluid=True,
                className="main",
                id="main",
            ),
        ],
        lang=lang,
    )
