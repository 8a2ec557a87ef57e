"""Plotly figures of the coverage views. No Dash imports.

Zero cells (gaps: none listed) are orange, values blue (ColorBrewer, colour-blind safe: blue and
orange stay apart for the common colour vision deficiencies), unknown values grey with "—".
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from maillage_dash import schema
from maillage_dash.basemap import place_labels, region_bounds, regions_geojson_url
from maillage_dash.coverage import format as fmt
from maillage_dash.coverage.model import SHARE_RADIUS_KM, Coverage
from maillage_dash.directory import Directory
from maillage_dash.i18n import t
from maillage_dash.text import escape_html as _esc
from maillage_dash.ui.graphs import graph_config

GAP_COLOUR = "#f1a340"
UNKNOWN_COLOUR = "#bdbdbd"
BLUES = ["#deebf7", "#9ecae1", "#4292c6", "#08306b"]
SCALE = [[0.0, GAP_COLOUR], [1e-9, BLUES[0]], [0.35, BLUES[1]], [0.7, BLUES[2]], [1.0, BLUES[3]]]
REGION_COLOUR = "#5b2a86"
NEIGHBOUR_COLOUR = "#c9b3dd"
POINT_COLOUR = "#c2185b"
MEASURES = ("rate", "count", "share")


def _wrap(label: str, width: int = 14) -> str:
    """Break a long axis label on spaces so that columns stay narrow."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def measure_value(result: Coverage, region: str, type_code: str, measure: str) -> float | None:
    cell = result.cell(region, type_code)
    if measure == "count":
        return float(cell.count)
    if measure == "share":
        return cell.share.get(SHARE_RADIUS_KM)
    return cell.rate


def measure_text(value: float | None, measure: str, lang: str) -> str:
    if measure == "count":
        return fmt.count(value, lang)
    if measure == "share":
        return fmt.share(value, lang)
    return fmt.rate(value, lang)


def measure_title(result: Coverage, measure: str, lang: str) -> str:
    if measure == "count":
        return t("coverage.measure_count", lang)
    if measure == "share":
        return t("coverage.measure_share", lang, radius=SHARE_RADIUS_KM)
    return t("coverage.measure_rate_group", lang, group=result.choice.group.label(lang), year=result.year.year)


def hover(result: Coverage, region: str, type_code: str, lang: str) -> str:
    cell = result.cell(region, type_code)
    lines = [
        f"<b>{_esc(schema.region_label(region))}</b> — {_esc(schema.type_label(type_code, lang))}",
        t("coverage.hover_count", lang, plural=cell.count, n=fmt.count(cell.count, lang)),
        t("coverage.hover_rate", lang, rate=fmt.rate(cell.rate, lang), group=result.choice.group.label(lang)),
        t("coverage.hover_share", lang, share=fmt.share(cell.share.get(SHARE_RADIUS_KM), lang), radius=SHARE_RADIUS_KM),
    ]
    if cell.gap:
        lines.append(f"<i>{_esc(fmt.note('gap', lang))}</i>")
    lines += [f"<i>{_esc(fmt.note(code, lang))}</i>" for code in cell.notes]
    return "<br>".join(lines)


def _unknown_spec(unknown: np.ndarray, xs: list[str], ys: list[str], hovers: list[list[str]]) -> dict[str, Any]:
    """Grey cells with "—" where a value cannot be computed (never NaN on screen): ``go.Heatmap``'s arguments."""
    return dict(
        z=[[1.0 if u else None for u in row] for row in unknown],
        x=xs,
        y=ys,
        colorscale=[[0, UNKNOWN_COLOUR], [1, UNKNOWN_COLOUR]],
        showscale=False,
        xgap=2,
        ygap=2,
        text=[[fmt.DASH if u else "" for u in row] for row in unknown],
        texttemplate="%{text}",
        textfont={"size": 13},
        customdata=hovers,
        hovertemplate="%{customdata}<extra></extra>",
    )


def _unknown_layer(unknown: np.ndarray, xs: list[str], ys: list[str], hovers: list[list[str]]) -> go.Heatmap:
    """Grey cells with "—" where a value cannot be computed (never NaN on screen)."""
    return go.Heatmap(**_unknown_spec(unknown, xs, ys, hovers))


def _heatmap_spec(
    result: Coverage, measure: str, lang: str, presentation: bool
) -> tuple[dict[str, Any], dict[str, Any] | None, dict[str, Any]]:
    """What :func:`heatmap_figure` draws: the heatmap's and the grey layer's ``go.Heatmap`` arguments
    (no grey layer when every value is known) and the layout's."""
    measure = measure if measure in MEASURES else "rate"
    values = [[measure_value(result, r, c, measure) for c in result.types] for r in result.regions]
    z = np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float)
    finite = z[np.isfinite(z)]
    zmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    if measure == "share":
        zmax = 1.0
    text = [[measure_text(v, measure, lang) for v in row] for row in values]
    hovers = [[hover(result, r, c, lang) for c in result.types] for r in result.regions]
    xs = [_wrap(schema.type_label(c, lang), 12) for c in result.types]
    ys = [schema.region_label(r) for r in result.regions]
    heatmap = dict(
        z=[[None if not np.isfinite(v) else float(v) for v in row] for row in z],
        x=xs,
        y=ys,
        zmin=0,
        zmax=zmax,
        colorscale=SCALE,
        xgap=2,
        ygap=2,
        text=text,
        texttemplate="%{text}",
        textfont={"size": 18 if presentation else 13},
        customdata=hovers,
        hovertemplate="%{customdata}<extra></extra>",
        colorbar={
            "title": {"text": measure_title(result, measure, lang), "side": "top"},
            "orientation": "h",
            "thickness": 10,
            "len": 0.5,
            "x": 0,
            "xanchor": "left",
            "y": -0.02,
            "yanchor": "top",
        },
    )
    # Unknown cells: a grey layer under the heatmap's holes, with "—" written by the heatmap text.
    unknown = ~np.isfinite(z)
    layer = _unknown_spec(unknown, xs, ys, hovers) if unknown.any() else None
    layout = dict(
        height=max(300, (44 if presentation else 34) * len(result.regions) + (260 if presentation else 190)),
        margin={"l": 10, "r": 10, "t": 130 if presentation else 90, "b": 100 if presentation else 80},
        xaxis={"side": "top", "tickangle": 0, "fixedrange": True, "tickfont": {"size": 18 if presentation else 11}},
        yaxis={"autorange": "reversed", "fixedrange": True, "automargin": True, "tickfont": {"size": 18 if presentation else 12}},
        font={"size": 18 if presentation else 12},
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel={"bgcolor": "white", "font": {"size": 14}},
    )
    return heatmap, layer, layout


def heatmap_figure(result: Coverage, measure: str, lang: str, *, presentation: bool = False) -> go.Figure:
    """Regions (rows) × service types (columns); zero cells orange, unknown cells grey "—". In
    presentation mode (a projector) every text is 18 px or more."""
    heatmap, layer, layout = _heatmap_spec(result, measure, lang, presentation)
    fig = go.Figure(go.Heatmap(**heatmap))
    if layer is not None:
        fig.add_trace(go.Heatmap(**layer))
        fig.data = (fig.data[1], fig.data[0])  # grey layer below, seen through the holes
    fig.update_layout(**layout)
    return fig


def heatmap_plain(result: Coverage, measure: str, lang: str, *, presentation: bool = False) -> dict[str, Any]:
    """:func:`heatmap_figure` as the plain dict that Dash sends (``Figure.to_plotly_json()``: the same
    JSON, key for key and in the same order), made without plotly's figure objects, whose checking of
    every property was most of the matrix's time on a new filter state."""
    heatmap, layer, layout = _heatmap_spec(result, measure, lang, presentation)
    traces = [layer, heatmap] if layer is not None else [heatmap]
    return {
        "data": [{**_in_plotly_order(trace), "type": "heatmap"} for trace in traces],
        "layout": {"template": _template(), **_in_update_order(layout)},
    }


def _in_plotly_order(spec: dict[str, Any]) -> dict[str, Any]:
    """A trace's properties in the order its plotly constructor writes them: by name, at every level."""
    return {key: _in_plotly_order(value) if isinstance(value, dict) else value for key, value in sorted(spec.items())}


def _in_update_order(spec: dict[str, Any]) -> dict[str, Any]:
    """Layout properties in the order ``update_layout`` writes them: at every level, the nested objects
    first, then the plain values, each in the order given."""
    nested = {key: _in_update_order(value) for key, value in spec.items() if isinstance(value, dict)}
    return {**nested, **{key: value for key, value in spec.items() if not isinstance(value, dict)}}


_TEMPLATES: dict[str, str] = {}


def _template() -> dict[str, Any]:
    """The default plotly template as a new figure carries it (made once per template name, as JSON
    text: each figure gets its own copy, read back in a fraction of a deep copy's time)."""
    import plotly.io as pio

    name = str(pio.templates.default)
    if name not in _TEMPLATES:
        _TEMPLATES[name] = json.dumps(go.Figure().to_plotly_json()["layout"].get("template", {}))
    return json.loads(_TEMPLATES[name])


def fit_view(directory: Directory, codes: Sequence[str], width: int = 800, height: int = 500) -> dict[str, Any]:
    """``map`` layout framing ``codes``: centre and zoom for a ``width`` × ``height`` map, and the
    bounds in ``meta.fit`` that the browser (assets/21-fit-bounds.js) refits to the real size."""
    bounds = region_bounds(directory)
    boxes = [bounds[c] for c in codes if c in bounds] or [bounds["all"]]
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    dx = max((east - west) / 360, 1e-6)
    dy = max((merc(north) - merc(south)) / (2 * math.pi), 1e-6)
    zoom = max(1.0, min(math.log2(min(width / (dx * 512), height / (dy * 512)) * 0.92), 10.0))
    yc = (merc(north) + merc(south)) / 2
    lat = math.degrees(2 * math.atan(math.exp(yc)) - math.pi / 2)
    return {
        "map": {"style": "white-bg", "center": {"lon": (west + east) / 2, "lat": lat}, "zoom": zoom},
        "meta": {
            "fit": [round(west, 4), round(south, 4), round(east, 4), round(north, 4)],
            # Region and town names (assets/22-map-labels.js), of the regions drawn only (others' names
            # floated over blank space), the first region's name first: a name is left out when it would
            # cover one drawn before, and a region page's own name lost to its neighbour's.
            "labels": sorted(
                (label for label in place_labels(directory) if not codes or label["c"] in codes),
                key=lambda label: not (codes and label["k"] == "r" and label["c"] == codes[0]),
            ),
        },
    }


def gap_map_figure(directory: Directory, result: Coverage, type_code: str, lang: str) -> go.Figure:
    """Regions coloured by the rate per 10,000 for one type; gaps orange, unknown grey."""
    known, unknown = [], []
    for region in result.regions:
        (unknown if result.cell(region, type_code).rate is None else known).append(region)
    geojson = regions_geojson_url(directory)
    fig = go.Figure()
    rates = [result.cell(r, type_code).rate or 0.0 for r in known]
    fig.add_trace(
        go.Choroplethmap(
            geojson=geojson,
            locations=known,
            z=rates,
            zmin=0,
            zmax=max([*rates, 1e-6]),
            colorscale=SCALE,
            marker={"opacity": 0.85, "line": {"width": 0.8, "color": "#555555"}},
            customdata=[hover(result, r, type_code, lang) for r in known],
            hovertemplate="%{customdata}<extra></extra>",
            colorbar={
                "title": {"text": t("coverage.map_colorbar", lang, group=result.choice.group.label(lang)), "side": "top"},
                "orientation": "h",
                "thickness": 10,
                "len": 0.4,
                "x": 0.01,
                "xanchor": "left",
                "y": 0.01,
                "yanchor": "bottom",
                "bgcolor": "rgba(255,255,255,0.85)",
            },
            name=t("coverage.map_regions", lang),
        )
    )
    if unknown:
        fig.add_trace(
            go.Choroplethmap(
                geojson=geojson,
                locations=unknown,
                z=[1] * len(unknown),
                colorscale=[[0, UNKNOWN_COLOUR], [1, UNKNOWN_COLOUR]],
                showscale=False,
                marker={"opacity": 0.85, "line": {"width": 0.8, "color": "#555555"}},
                customdata=[hover(result, r, type_code, lang) for r in unknown],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    fig.update_layout(
        **fit_view(directory, result.regions),
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        paper_bgcolor="white",
        hoverlabel={"bgcolor": "white", "font": {"size": 14}},
    )
    return fig


def region_map_figure(directory: Directory, code: str, neighbours: Sequence[str], services: pd.DataFrame, lang: str) -> go.Figure:
    """One region (dark) and its neighbours (light), with the locations of the services serving it."""
    geojson = regions_geojson_url(directory)
    shown = [code, *neighbours]
    fig = go.Figure(
        go.Choroplethmap(
            geojson=geojson,
            locations=shown,
            z=[1.0] + [0.0] * len(neighbours),
            zmin=0,
            zmax=1,
            colorscale=[[0, NEIGHBOUR_COLOUR], [1, REGION_COLOUR]],
            showscale=False,
            marker={"opacity": 0.55, "line": {"width": [3] + [1] * len(neighbours), "color": "#222222"}},
            text=[
                f"<b>{_esc(schema.region_label(c))}</b><br>"
                + (t("profile.map_this_region", lang) if c == code else t("profile.map_neighbour", lang))
                for c in shown
            ],
            hovertemplate="%{text}<extra></extra>",
            name=t("coverage.map_regions", lang),
        )
    )
    located = services[services["lat"].notna()]
    if len(located):
        groups = located.groupby([located["lat"].round(4), located["lon"].round(4)], sort=False)
        lat, lon, text, size = [], [], [], []
        for (glat, glon), group in groups:
            lat.append(float(glat))
            lon.append(float(glon))
            names = [f"• {_esc(n)}" for n in group["nom"].head(6)]
            more = [t("map.and_more", lang, plural=len(group) - 6, n=len(group) - 6)] if len(group) > 6 else []
            place = _esc(str(group["municipalite"].iloc[0]))
            text.append("<br>".join([f"<b>{place}</b>", *names, *more]))
            size.append(10 + 4 * float(np.sqrt(len(group) - 1)))
        fig.add_trace(
            go.Scattermap(
                lat=lat,
                lon=lon,
                mode="markers",
                marker={"size": size, "color": POINT_COLOUR, "opacity": 0.9},
                text=text,
                hovertemplate="%{text}<extra></extra>",
                name=t("map.services", lang),
                showlegend=False,
            )
        )
    fig.update_layout(
        **fit_view(directory, shown),
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        paper_bgcolor="white",
        hoverlabel={"bgcolor": "white", "font": {"size": 14}},
    )
    return fig


def comparison_figure(
    rows: Sequence[tuple[str, Sequence[float | None]]], types: Sequence[str], lang: str, title: str, font_size: int = 12
) -> go.Figure:
    """Grouped horizontal bars: one series per row (this region, its neighbours, Québec), one group per type.

    ``None`` values are left out (no bar) and labelled "—". ``title`` names the measure (x axis).
    """
    fig = go.Figure()
    palette = [REGION_COLOUR, "#e08214", "#4292c6", "#7f7f7f"]
    labels = [_wrap(schema.type_label(c, lang), 22) for c in types]
    for i, (name, values) in enumerate(rows):
        fig.add_trace(
            go.Bar(
                y=labels,
                x=[0.0 if v is None else float(v) for v in values],
                orientation="h",
                name=name,
                marker={"color": palette[i % len(palette)]},
                text=[fmt.rate(v, lang) for v in values],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y}<br>" + _esc(name) + " : %{text}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        height=int((110 + 56 * len(types)) * font_size / 12),
        font={"size": font_size},
        margin={"l": 10, "r": 50, "t": 45, "b": 10},
        xaxis={"title": {"text": _wrap(title, 36)}, "fixedrange": True, "rangemode": "tozero", "side": "bottom"},
        yaxis={"autorange": "reversed", "fixedrange": True, "automargin": True},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        separators=", " if lang == "fr" else ".,",
    )
    return fig


def config(lang: str) -> dict[str, Any]:
    """Plotly config for these figures: no logo, French toolbar labels in French."""
    return graph_config(lang)


__all__ = ["MEASURES", "comparison_figure", "config", "gap_map_figure", "heatmap_figure", "region_map_figure"]
