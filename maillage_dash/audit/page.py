"""/qualite — the coordinators' page: every entry by risk, with what to do (same list as ``audit``)."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from maillage_dash.audit import cli, model
from maillage_dash.i18n import fmt_int, t
from maillage_dash.links import href
from maillage_dash.routing import Page, PageContext


def group(risk: str, level: str, found: list[model.Finding], ctx: PageContext) -> html.Details:
    lang = ctx.lang
    rows = [
        html.Tr(
            [
                html.Td(
                    [
                        dcc.Link(f.name, href=href("", ctx.state, lang, service=f.service_id)),
                        " · ",
                        # the entry's page for signed-in coordinators (confirm, correct, end), where the fix is made
                        html.A(t("audit.edit", lang), href=f"/revision/fiche/{f.service_id}?lang={lang}", className="audit-edit"),
                    ]
                )
                if f.file
                else html.Td(dcc.Link(f.name, href=href(f"region/{f.service_id}", ctx.state, lang))),
                html.Td(t("audit.where", lang, file=f.file, row=f.row) if f.file else "—"),
                html.Td(cli.detail(f, lang) or "—", className="text-break"),
            ]
        )
        for f in found
    ]
    tag = t("audit.level." + level, lang)
    return html.Details(
        [
            html.Summary(
                [
                    html.Span(tag, className="badge me-2 " + ("text-bg-danger" if level == model.ACTION else "text-bg-warning")),
                    f"{t('audit.risk.' + risk, lang)} ({fmt_int(len(found), lang)})",
                ]
            ),
            html.P(t("audit.todo." + risk, lang), className="small mt-2"),
            html.Table(
                [
                    html.Thead(html.Tr([html.Th(t("audit.col." + c, lang)) for c in ("id", "where", "detail")])),
                    html.Tbody(rows),
                ],
                className="table table-sm small",
            ),
        ],
        className="audit-group print-open mb-2",  # opened for printing (assets/45-print.js)
        open=level == model.ACTION,
        id=f"audit-{risk}",
    )


def render(ctx: PageContext) -> Any:
    lang = ctx.lang
    found = model.audit(ctx.directory)
    counts = model.counts(found)
    action = sum(n for risk, n in counts.items() if model.LEVEL[risk] == model.ACTION)
    check = sum(n for risk, n in counts.items() if model.LEVEL[risk] == model.CHECK)
    groups = [group(risk, level, [f for f in found if f.risk == risk], ctx) for risk, level in model.RISKS if counts[risk]]
    return html.Div(
        [
            html.H1(t("audit.title", lang), className="h3 mt-3"),
            html.P(t("audit.intro", lang)),
            html.P(cli.summary(action, check, lang), id="audit-summary"),
            *(groups or [html.P(t("audit.none", lang))]),
        ],
        className="audit-page",
    )


PAGE = Page(path="qualite", title_key="audit.title", nav_key="audit.nav", render=render, nav=False)
