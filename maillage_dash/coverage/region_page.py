"""/region/<code> — a region's profile (fiche régionale) for a concertation committee's meeting.

Key figures, a map of the region and its neighbours, its gaps by service type and age band, a
comparison with the neighbouring regions (adjacency from the polygons), accessibility, and the
services serving it. ``?presentation=1`` shows it for a projected screen (large type, the map
across the screen, minimal chrome); it prints cleanly; "Exporter en HTML" downloads the same
profile as one self-contained file that opens offline (see :mod:`maillage_dash.report`).

The body is built by :func:`body` from a :class:`~maillage_dash.profile.RegionProfile`; the HTML
export renders the same components, so screen and file cannot drift apart.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html
from flask import Response, request

from maillage_dash import emergency, schema
from maillage_dash.config import Settings
from maillage_dash.coverage import model as coverage
from maillage_dash.coverage import report
from maillage_dash.coverage import tables as tables
from maillage_dash.coverage.ids import CovID
from maillage_dash.coverage.profile import build
from maillage_dash.coverage.profile_layout import body
from maillage_dash.directory import Directory
from maillage_dash.filters import FilterState, from_query
from maillage_dash.i18n import norm_lang, t
from maillage_dash.ids import ID
from maillage_dash.links import href
from maillage_dash.routing import Page, PageContext
from maillage_dash.ui.emergency import emergency_strip

EXPORT_ROUTE = "/export/region/<code>.html"
# The document's language and title (the shared callback that sets them runs on the map page only).


def export_href(code: str, state: FilterState, lang: str, year: int) -> str:
    from maillage_dash.filters import to_query

    return f"/export/region/{code}.html{to_query(state, lang)}&{urlencode({'annee': year})}"


# --------------------------------------------------------------------------- pieces


def not_found(ctx: PageContext, raw: str) -> Any:
    lang = ctx.lang
    return html.Div(
        [
            html.H1(t("profile.unknown_title", lang), className="h3 mt-3"),
            html.P(t("profile.unknown_text", lang, value=raw[:40])),
            html.Ul(
                [
                    html.Li(dcc.Link(schema.region_label(c), href=href(f"region/{c}", ctx.state, lang)))
                    for c in schema.REGION_CODES
                ]
            ),
        ]
    )


def render(ctx: PageContext) -> Any:
    lang, state = ctx.lang, ctx.state
    raw = ctx.path[0] if ctx.path else ""
    code = schema.parse_region(raw) if raw else None
    if code is None:
        return not_found(ctx, raw)
    analysis = coverage.analysis(ctx.directory)
    year = analysis.population.year_or_latest(ctx.param("annee"))
    presentation = ctx.param("presentation") in ("1", "oui", "true")
    p = build(analysis, code, state, year)
    link = lambda c: href(f"region/{c}", state, lang)  # noqa: E731
    service_link = lambda sid: href("", state, lang, service=sid)  # noqa: E731
    extra = {"annee": year} if ctx.param("annee") else {}
    # A client-side link: the frame stays, only the page body is drawn again (no reload on a projector).
    toggle = (
        dcc.Link(
            t("profile.presentation_exit", lang),
            href=href(f"region/{code}", state, lang, **extra),
            className="btn btn-outline-secondary btn-sm",
        )
        if presentation
        else dcc.Link(
            t("profile.presentation", lang),
            href=href(f"region/{code}", state, lang, presentation=1, **extra),
            className="btn btn-outline-primary btn-sm",
        )
    )
    actions = html.Div(
        [
            dcc.Link(t("profile.back", lang), href=href("couverture", state, lang), className="me-2 presentation-hide"),
            dcc.Link(
                t("profile.on_map", lang),
                href=href("", FilterState(regions=(code,)), lang),
                className="me-2 presentation-hide",
            ),
            toggle,
            html.A(
                t("profile.export_html", lang),
                href=export_href(code, p.state, lang, year),
                className="btn btn-outline-primary btn-sm presentation-hide",
                id="profile-export",
                download=True,
                title=t("profile.export_html_title", lang),
            ),
        ],
        className="profile-actions no-print",
    )
    title = dcc.Store(id=CovID.PROFILE_TITLE, data=t("profile.title", lang, region=schema.region_label(code)))
    page = body(
        p, lang, directory=ctx.directory, link=link, service_link=service_link, actions=actions, presentation=presentation
    )
    strip = emergency_strip(emergency.lines_for(ctx.directory, code), lang, region_known=True)
    return html.Div([html.Div(strip, className="presentation-hide"), page, title])


def export_response(directory: Directory, code: str, query: bytes | str, year: str | None = None) -> Response:
    """``/export/region/NN.html?<filters>&annee=…``: the profile as one self-contained HTML file."""
    raw = query.decode("utf-8", "replace") if isinstance(query, bytes) else query
    state, lang, _rejected = from_query(raw)
    lang = norm_lang(lang)
    region = schema.parse_region(code)
    if region is None:
        return Response(t("profile.cli_bad_region", lang, value=code[:40]), status=404, mimetype="text/plain; charset=utf-8")
    analysis = coverage.analysis(directory)
    document = report.region_html(analysis, region, state, lang, year=analysis.population.year_or_latest(year))
    name = report.filename(region, lang)
    return Response(
        document.encode("utf-8"),
        mimetype="text/html",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def register(app: Dash, directory: Directory, settings: Settings) -> None:
    coverage.analysis(directory)

    app.clientside_callback(
        ClientsideFunction("maillage", "profileTitle"),
        Output(CovID.PROFILE_TITLE, "modified_timestamp"),
        Input(ID.STATE, "data"),
        State(CovID.PROFILE_TITLE, "data"),
    )

    def _export(code: str) -> Response:
        return export_response(directory, code, request.query_string, request.args.get("annee"))

    app.server.add_url_rule(EXPORT_ROUTE, endpoint="region_export", view_func=_export)


PAGE = Page(path="region", title_key="profile.page_title", render=render, register=register, nav=False, nav_parent="couverture")
