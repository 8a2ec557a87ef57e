"""The network page's pieces: counters, the accessible tables (partnerships, links between regions,
regions served only from outside, sectors by region), the legend. No callbacks."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from maillage_dash import filters, schema
from maillage_dash.directory import Directory
from maillage_dash.i18n import count_text, fmt_int, t
from maillage_dash.links import href
from maillage_dash.network import model as network
from maillage_dash.network.figures import SECTOR_STYLE, sector_name

MAX_ROWS = 500  # rows of the list of partnerships shown (and printed); the rest is counted
MAX_LIST = 300  # services of the list view (the graph as a list); the rest is counted


ALL_OTHERS = len(schema.REGION_CODES) - 1


def counters(counts: dict[str, int], serving: int, outside_regions: int, lang: str) -> list[Any]:
    items = [
        (counts["services"], "network.count_services", "net-count-services"),
        (counts["partners"], "network.count_partners", "net-count-partners"),
        (counts["links"], "network.count_links", "net-count-links"),
        (counts["cross_links"], "network.count_cross", "net-count-cross"),
        (serving, "network.count_serving", "net-count-serving"),
        (outside_regions, "network.count_outside", "net-count-outside"),
    ]
    return [
        html.Div(
            [html.Span(fmt_int(n, lang), className="counter-value", id=cid), html.Span(t(key, lang), className="counter-label")],
            className="counter",
        )
        for n, key, cid in items
    ]


def _service_link(data: dict[str, Any], state: filters.FilterState, lang: str) -> Any:
    if data["kind"] != network.SERVICE:
        return data["label"]
    return dcc.Link(data["label"], href=href("", state, lang, service=data["service_id"]))


def _sectors_text(data: dict[str, Any], lang: str, *, as_partner: bool) -> str:
    codes = network.partner_sectors(data) if as_partner else tuple(data["sectors"])
    if not codes:
        return t("network.sector_unknown", lang)
    text = ", ".join(schema.sector_label(c, lang) for c in codes)
    return text + (" " + t("network.deduced_mark", lang) if data.get("sectors_deduced") else "")


def _table(head: list[str], rows: list[list[Any]], caption: str, lang: str, *, matrix: bool = False) -> html.Div:
    """An accessible table. On phones a list-like table becomes one card per row (each value led by
    its column name, from ``data-label``), so the explicit roles keep it a table for screen readers;
    a matrix keeps its grid and scrolls sideways in a region reachable by keyboard."""
    colon = " : " if lang == "fr" else ": "
    table = html.Table(
        [
            html.Caption(caption, className="visually-hidden" if matrix else None),
            html.Thead(html.Tr([html.Th(h, scope="col", role="columnheader") for h in head], role="row"), role="rowgroup"),
            html.Tbody(
                [
                    html.Tr(
                        [html.Th(r[0], scope="row", role="rowheader", **{"data-label": head[0] + colon})]
                        + [html.Td(c, role="cell", **{"data-label": h + colon}) for h, c in zip(head[1:], r[1:])],
                        role="row",
                    )
                    for r in rows
                ],
                role="rowgroup",
            ),
        ],
        className="table table-sm align-top net-table " + ("net-matrix" if matrix else "net-stack"),
        role="table",
    )
    if not matrix:
        return html.Div(table, className="net-table-wrap")
    return html.Div(table, className="table-responsive net-scroll", tabIndex="0", role="region", **{"aria-label": caption})


def edges_table(sub: Any, state: filters.FilterState, lang: str) -> list[Any]:
    """The graph as a table: one row per partnership, then the services without any partner listed."""
    rows = network.edge_rows(sub)
    body = []
    for item in rows.head(MAX_ROWS).itertuples(index=False):
        first, second = sub.nodes[item.service], sub.nodes[item.partner]
        where = schema.region_label(first["region"]) if first["region"] else "—"
        kind = (
            t("network.partner_in_directory", lang) if second["kind"] == network.SERVICE else t("network.partner_outside", lang)
        )
        if second["kind"] == network.SERVICE and second["region"]:
            kind += f" ({schema.region_label(second['region'])})"
        body.append(
            [
                _service_link(first, state, lang),
                where,
                _service_link(second, state, lang),
                _sectors_text(second, lang, as_partner=True),
                kind,
            ]
        )
    out: list[Any] = []
    if len(rows):
        out.append(
            _table(
                [
                    t(k, lang)
                    for k in (
                        "network.col_service",
                        "network.col_region",
                        "network.col_partner",
                        "network.col_partner_sector",
                        "network.col_partner_kind",
                    )
                ],
                body,
                count_text("network.edges_caption", len(rows), lang),
                lang,
            )
        )
        if len(rows) > MAX_ROWS:
            out.append(
                html.P(
                    t("network.edges_more", lang, shown=fmt_int(MAX_ROWS, lang), n=fmt_int(len(rows), lang)), className="small"
                )
            )
    else:
        out.append(html.P(t("network.edges_none", lang)))
    alone = sorted(
        (d for n, d in sub.nodes(data=True) if d["kind"] == network.SERVICE and d.get("matches") and sub.degree(n) == 0),
        key=lambda d: d["label"].casefold(),
    )
    if alone:
        out.append(html.H3(t("network.alone_title", lang, n=fmt_int(len(alone), lang)), className="h6 mt-3"))
        out.append(
            html.Ul(
                [
                    html.Li([_service_link(d, state, lang), f" — {schema.region_label(d['region'])}" if d["region"] else ""])
                    for d in alone
                ],
                className="net-alone",
            )
        )
    return out


def _partner_item(sub: Any, node: str, state: filters.FilterState, lang: str) -> html.Li:
    data = sub.nodes[node]
    where = t("network.list_in_directory", lang) if data["kind"] == network.SERVICE else t("network.list_named_only", lang)
    return html.Li([_service_link(data, state, lang), html.Span(f" — {_sectors_text(data, lang, as_partner=True)} · {where}")])


def partner_list(sub: Any, state: filters.FilterState, lang: str) -> list[Any]:
    """The graph as a list people read on a phone: each matching service (its organisation and region
    under its name) with its partners, each partner's sector and whether the directory lists it."""
    groups = network.partner_groups(sub)
    if not groups:
        return [html.P(t("network.list_none", lang))]
    items = []
    for node, partners in groups[:MAX_LIST]:
        data = sub.nodes[node]
        about = [data["organisation"]] if data["organisation"] and data["organisation"] != data["label"] else []
        about += [schema.region_label(data["region"])] if data["region"] else []
        items.append(
            html.Li(
                [
                    html.P(html.Strong(_service_link(data, state, lang)), className="mb-0"),
                    html.P(" · ".join(about), className="small text-body-secondary mb-1") if about else None,
                    html.P(t("network.list_partners", lang, n=fmt_int(len(partners), lang)), className="small mb-0"),
                    html.Ul([_partner_item(sub, p, state, lang) for p in partners], className="net-list-partners"),
                ],
                className="net-list-item",
            )
        )
    caption = count_text("network.list_caption", len(groups), lang)
    out: list[Any] = [
        html.P(caption, className="small fw-semibold mb-1", id="net-list-caption"),
        html.Ul(items, className="net-list", **{"aria-labelledby": "net-list-caption"}),
    ]
    if len(groups) > MAX_LIST:
        out.append(
            html.P(t("network.list_more", lang, shown=fmt_int(MAX_LIST, lang), n=fmt_int(len(groups), lang)), className="small")
        )
    return out


def _regions_list(codes: tuple[str, ...], lang: str) -> str:
    if len(codes) >= ALL_OTHERS:
        return t("network.all_other_regions", lang, n=fmt_int(len(codes), lang))
    return ", ".join(schema.region_label(c) for c in codes)


def flows_block(flow_totals: Any, serving: Any, cross: Any, sub: Any, state: filters.FilterState, lang: str) -> list[Any]:
    out: list[Any] = [html.H3(t("network.flows_title", lang), className="h6")]
    if len(flow_totals):
        rows = []
        for row in flow_totals.itertuples(index=False):
            types = ", ".join(
                f"{schema.type_label(c, lang)} ({fmt_int(n, lang)})"
                for c, n in sorted(row.by_type.items(), key=lambda kv: [x.code for x in schema.SERVICE_TYPES].index(kv[0]))
            )
            rows.append(
                [schema.region_label(row.origin), schema.region_label(row.destination), fmt_int(row.services, lang), types]
            )
        out.append(
            _table(
                [
                    t(k, lang)
                    for k in ("network.col_origin", "network.col_destination", "network.col_services", "network.col_types")
                ],
                rows,
                count_text("network.flows_caption", len(flow_totals), lang),
                lang,
            )
        )
    else:
        out.append(html.P(t("network.flows_none", lang)))
    out.append(html.H3(t("network.serving_title", lang), className="h6 mt-3"))
    if len(serving):
        rows = [
            [
                dcc.Link(r.nom, href=href("", state, lang, service=r.id)),
                r.organisme,
                schema.region_label(r.region) if r.region else "—",
                _regions_list(r.others, lang),
            ]
            for r in serving.itertuples(index=False)
        ]
        out.append(
            _table(
                [
                    t(k, lang)
                    for k in ("network.col_service", "network.col_organisation", "network.col_region", "network.col_served")
                ],
                rows,
                count_text("network.serving_caption", len(serving), lang),
                lang,
            )
        )
    else:
        out.append(html.P(t("network.serving_none", lang)))
    out.append(html.H3(t("network.cross_title", lang), className="h6 mt-3"))
    if len(cross):
        rows = []
        for row in cross.itertuples(index=False):
            pairs = html.Ul(
                [html.Li(f"{sub.nodes[a]['label']} ↔ {sub.nodes[b]['label']}") for a, b in row.pairs], className="mb-0 ps-3"
            )
            rows.append([f"{schema.region_label(row.a)} ↔ {schema.region_label(row.b)}", fmt_int(row.links, lang), pairs])
        out.append(
            _table(
                [t(k, lang) for k in ("network.col_regions", "network.col_links", "network.col_pairs")],
                rows,
                count_text("network.cross_caption", len(cross), lang),
                lang,
            )
        )
    else:
        out.append(html.P(t("network.cross_none", lang)))
    return out


def outside_table(outside: Any, directory: Directory, state: filters.FilterState, lang: str) -> list[Any]:
    if not len(outside):
        return [html.P(t("network.outside_none", lang))]
    services = directory.services
    rows = []
    for code, group in outside.groupby("region", sort=True):
        items = []
        for row in group.itertuples(index=False):
            providers = [dcc.Link(services.at[sid, "nom"], href=href("", state, lang, service=sid)) for sid in row.ids[:5]]
            joined: list[Any] = []
            for i, link in enumerate(providers):
                joined += ([", "] if i else []) + [link]
            if len(row.ids) > 5:
                joined.append(" " + count_text("network.and_more", len(row.ids) - 5, lang))
            origins = ", ".join(schema.region_label(c) for c in row.origins)
            items.append(
                html.Li(
                    [html.Strong(schema.type_label(row.type, lang)), " — ", *joined, f" ({t('network.from', lang)} {origins})"]
                )
            )
        rows.append([schema.region_label(code), fmt_int(len(group), lang), html.Ul(items, className="mb-0 ps-3")])
    return [
        _table(
            [t(k, lang) for k in ("network.col_region", "network.col_n_types", "network.col_outside_types")],
            rows,
            count_text("network.outside_caption", len(rows), lang),
            lang,
        )
    ]


def sectors_table(table: Any, lang: str) -> list[Any]:
    head = [t("network.col_region", lang), t("network.col_services_here", lang)]
    head += [t(f"network.sector_short.{term.code}", lang) for term in schema.SECTORS]
    head += [t("network.col_missing", lang)]
    rows = []
    for code, row in table.iterrows():
        services = t("network.services_split", lang, n=fmt_int(row["services"], lang), local=fmt_int(row["local"], lang))
        cells: list[Any] = [schema.region_label(str(code)), services]
        if row["services"] == 0:
            cells += [html.Span("—", className="net-none")] * len(schema.SECTORS)
            cells.append(html.Em(t("network.no_service", lang)))
            rows.append(cells)
            continue
        for term in schema.SECTORS:
            n, local = int(row[term.code]), int(row[f"local:{term.code}"])
            if n == 0:
                cells.append(html.Span(t("network.missing", lang), className="net-missing"))
            elif local == 0:
                cells.append(
                    html.Span([fmt_int(n, lang), " ", html.Small(t("network.outside_only_mark", lang))], className="net-outside")
                )
            else:
                cells.append(fmt_int(n, lang))
        missing = ", ".join(t(f"network.sector_short.{c}", lang) for c in row["missing"]) or t("network.none_missing", lang)
        cells.append(missing)
        rows.append(cells)
    return [_table(head, rows, t("network.sectors_caption", lang), lang, matrix=True)]


def region_hover(directory: Directory, cross: Any, flow_totals: Any, outside: Any, lang: str) -> dict[str, str]:
    from html import escape

    out: dict[str, str] = {}
    for code in schema.REGION_CODES:
        sent = flow_totals[flow_totals["origin"] == code]
        came = flow_totals[flow_totals["destination"] == code]
        links = int(cross[(cross["a"] == code) | (cross["b"] == code)]["links"].sum()) if len(cross) else 0
        only = outside[outside["region"] == code]
        lines = [
            f"<b>{escape(schema.region_label(code))}</b>",
            t("network.hover_out", lang, n=fmt_int(len(sent), lang)),
            t("network.hover_in", lang, n=fmt_int(len(came), lang)),
            t("network.hover_links", lang, n=fmt_int(links, lang)),
        ]
        if len(only):
            lines.append(escape(t("network.hover_only", lang, types=", ".join(schema.type_label(c, lang) for c in only["type"]))))
        out[code] = "<br>".join(lines)
    return out


def legend_key(lang: str) -> html.Ul:
    """The graph's key in words and shapes, for print and for anyone who cannot tell the colours apart."""
    shapes = {
        "circle": "●",
        "square": "■",
        "diamond": "◆",
        "triangle-up": "▲",
        "pentagon": "⬟",
        "star": "★",
        "x": "✕",
    }
    items = []
    for code, (colour, symbol) in SECTOR_STYLE.items():
        items.append(
            html.Li(
                [
                    html.Span(shapes[symbol], className="net-key-shape", style={"color": colour}, **{"aria-hidden": "true"}),
                    " ",
                    sector_name(code, lang),
                ]
            )
        )
    return html.Ul(items, className="net-key list-inline small mb-1", **{"aria-label": t("network.legend_sectors", lang)})


def section(title_key: str, lang: str, sid: str, *children: Any, help_key: str | None = None) -> html.Section:
    return html.Section(
        [html.H2(t(title_key, lang), className="h5", id=f"{sid}-title")]
        + ([html.P(t(help_key, lang), className="small text-body-secondary")] if help_key else [])
        + list(children),
        className="net-section mt-3",
        **{"aria-labelledby": f"{sid}-title"},
    )
