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
from maillage_dash.audit import model as audit
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
    return html.Div([html.Div([strip, cavac_line(ctx.directory, code, state, lang)], className="presentation-hide"), page, title])


def cavac_line(directory: Directory, code: str, state: FilterState, lang: str) -> html.P:
    """The region's CAVAC (crime-victim help, in every region), or, when the directory lists none, that it
    lists none — not that there is none — with the network's provincial line as the entries give it."""
    services = directory.services
    ids = audit.region_networks(directory, code)["cavac"]
    label = html.Strong(t("profile.cavac", lang) + ("\u00a0: " if lang == "fr" else ": "))
    if ids:
        links: list[Any] = []
        for sid in ids:
            name = str(services.at[sid, "organisme"] or services.at[sid, "nom"])
            links += [", " if links else "", dcc.Link(name, href=href("", state, lang, service=sid))]
        return html.P([label, *links], className="small region-cavac")
    line = _network_line(directory)
    parts: list[Any] = [
        label,
        t("profile.no_cavac", lang),
        " ",
        dcc.Link(t("audit.title", lang), href=href("qualite", state, lang)),
        ")",
    ]
    if line is not None:
        parts += [" · ", t("profile.cavac_provincial", lang), " ", html.A(line.display_in(lang), href=line.href)]
    return html.P(parts, className="small region-cavac region-cavac-none")


def _network_line(directory: Directory) -> Any:
    """The CAVAC network's provincial line, as the CAVAC entries list it (none when no entry gives one)."""
    services = directory.services
    for sid in audit.network_members(directory)["cavac"]:
        for line in services.at[sid, "telephones"]:
            if line.provincial and line.kind == "aide":
                return line
    return None


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
