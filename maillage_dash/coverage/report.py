"""A region's profile as one self-contained HTML file that opens offline, and as PDF (command line).

The file holds everything it needs: the CSS inline (Bootstrap and the coverage styles shipped in
``assets/``), the map as an inline SVG drawn from the region polygons (shapely, EPSG:32198), the
chart with plotly.js inlined from the installed ``plotly`` package. Nothing is fetched from a network
or a CDN. (A MapLibre map does not draw from a ``file://`` page in Chromium, so the file's map is SVG.)

The content is the same Dash layout as the page (``profile_layout.body``), turned into HTML by
:func:`to_html`; text is escaped with MarkupSafe.

PDF and PNG: :func:`html_to_file` prints that file with Playwright driving Debian's Chromium
(``/usr/bin/chromium``, or ``MAILLAGE_CHROMIUM``), offline. Playwright is a test dependency
(``requirements-dev.txt``); without it or without Chromium the command says so and writes nothing.
kaleido 1.5 (plotly's image export) also drives a Chrome (it finds Debian's Chromium offline), but it
renders one figure at a time, not a page, so it brings nothing more here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import plotly.io as pio
import shapely
from markupsafe import Markup, escape

from maillage_dash import schema
from maillage_dash.config import ROOT
from maillage_dash.coverage.ids import CovID
from maillage_dash.coverage.model import Analysis
from maillage_dash.coverage.profile import build
from maillage_dash.coverage.profile_layout import body, when
from maillage_dash.directory import Directory
from maillage_dash.filters import FilterState
from maillage_dash.geo import ATTRIBUTION_EN, ATTRIBUTION_FR, MEASURE_CRS
from maillage_dash.i18n import t
from maillage_dash.text import fold

STYLESHEETS = ("00-bootstrap.min.css", "50-couverture.css")
REPORT_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1d1d3a; }
:root { --maillage-ink: #1d1d3a; --maillage-accent: #5b2a86; }
.report-header { border-bottom: 3px solid #5b2a86; margin-bottom: 1rem; padding: .75rem 0 .5rem; }
.report-header .brand { font-size: 1.5rem; font-weight: 700; color: #5b2a86; margin: 0; }
.report-footer { border-top: 1px solid #ccc; margin-top: 2rem; padding-top: .75rem; font-size: .85rem; color: #444; }
.profile h2 { font-size: 1.25rem; margin-top: 1.5rem; }
.svg-map { width: 100%; height: auto; border: 1px solid #ccc; border-radius: .375rem; background: #fff; }
.svg-map .region-label { font: 600 13px system-ui, sans-serif; fill: #1d1d3a; }
.svg-map .region-label { paint-order: stroke; stroke: #fff; stroke-width: 3px; }
@media print { .report-header { border-bottom-width: 2px; } a { color: inherit; text-decoration: none; } }
"""
_ATTRS = {"className": "class", "htmlFor": "for", "colSpan": "colspan", "rowSpan": "rowspan", "tabIndex": "tabindex"}
_SKIP = {"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "id_", "key", "loading_state", "setProps"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}


# --------------------------------------------------------------------------- Dash layout → HTML


def to_html(node: Any, graphs: Mapping[str, str] | None = None) -> str:
    """HTML of a Dash layout made of ``html.*``, ``dcc.Link``, ``dcc.Graph`` and ``dbc.Row/Col/Alert``.

    ``graphs`` replaces the graph with that id by the given HTML (the SVG map). Any other component
    raises ``TypeError``: an export must not silently lose a part of the page.
    """
    graphs = graphs or {}
    if node is None or node is False:
        return ""
    if isinstance(node, (list, tuple)):
        return "".join(to_html(child, graphs) for child in node)
    if isinstance(node, (str, int, float)):
        return str(escape(str(node)))
    if not hasattr(node, "to_plotly_json"):
        raise TypeError(f"no HTML export for {type(node).__name__}")
    spec = node.to_plotly_json()  # set props only, wildcard aria-*/data-* included
    kind, namespace, props = spec["type"], spec["namespace"], spec["props"]
    children = props.get("children")
    if namespace == "dash_html_components":
        return _element(kind.lower(), props, to_html(children, graphs))
    if namespace == "dash_core_components" and kind == "Link":
        return _element("a", props, to_html(children, graphs))
    if namespace == "dash_core_components" and kind == "Graph":
        gid = str(props.get("id", ""))
        if gid in graphs:
            return graphs[gid]
        figure = props.get("figure") or {}
        inner = pio.to_html(
            figure,
            include_plotlyjs=False,
            full_html=False,
            config={"displaylogo": False, "showSendToCloud": False, "responsive": True},
        )
        return _element("div", {"className": props.get("className", "") + " export-graph"}, inner, raw=True)
    if namespace == "dash_bootstrap_components":
        if kind == "Row":
            return _element("div", {"className": "row " + props.get("className", "")}, to_html(children, graphs))
        if kind == "Col":
            classes = ["col-12"] + [f"col-{bp}-{props[bp]}" for bp in ("sm", "md", "lg", "xl") if isinstance(props.get(bp), int)]
            return _element("div", {"className": " ".join([*classes, props.get("className", "")])}, to_html(children, graphs))
        if kind == "Alert":
            classes = f"alert alert-{props.get('color', 'info')} {props.get('className', '')}"
            return _element("div", {"className": classes, "role": "alert"}, to_html(children, graphs))
    raise TypeError(f"no HTML export for {namespace}.{kind}")


def _element(tag: str, props: Mapping[str, Any], inner: str, raw: bool = False) -> str:
    attrs = []
    for key, value in props.items():
        if key in _SKIP or value is None or value is False:
            continue
        name = _ATTRS.get(key, key)
        if key == "style" and isinstance(value, Mapping):
            value = "; ".join(f"{k}: {v}" for k, v in value.items())
        if value is True:
            attrs.append(f" {escape(name)}")
        elif isinstance(value, (str, int, float)):
            attrs.append(f' {escape(name)}="{escape(str(value))}"')
    open_tag = f"<{tag}{''.join(attrs)}>"
    if tag in _VOID:
        return open_tag
    return f"{open_tag}{inner}</{tag}>"


# --------------------------------------------------------------------------- the map as SVG


def _ring_path(coords: np.ndarray) -> str:
    return "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + " Z"


def _service_dots(services: Any, project: Any, width: int, height: int) -> list[str]:
    """The services' places as SVG circles (one per place, larger with more services), names in the title."""
    dots: list[str] = []
    located = services[services["lat"].notna()]
    if len(located):
        import geopandas as gpd

        points = gpd.GeoSeries(gpd.points_from_xy(located["lon"], located["lat"]), crs="EPSG:4326").to_crs(MEASURE_CRS)
        xy = project(np.column_stack([points.x, points.y]))
        groups: dict[tuple[int, int], list[str]] = {}
        for (x, y), nom in zip(xy, located["nom"]):
            groups.setdefault((int(round(x)), int(round(y))), []).append(str(nom))
        for (x, y), names in groups.items():
            if 0 <= x <= width and 0 <= y <= height:
                r = 5 + 3 * np.sqrt(len(names) - 1)
                dots.append(
                    f'<circle cx="{x}" cy="{y}" r="{r:.1f}" fill="#c2185b" fill-opacity="0.9" stroke="#fff" stroke-width="1">'
                    f"<title>{escape(chr(10).join(names))}</title></circle>"
                )
    return dots


def svg_map(directory: Directory, code: str, neighbours: tuple[str, ...], services: Any, lang: str, width: int = 900) -> str:
    """The region (dark), its neighbours (light) and the other regions in view, with the locations
    of the services serving it, as an inline SVG in EPSG:32198 (Québec Lambert)."""
    regions = directory.geography.regions_display.to_crs(MEASURE_CRS)
    shown = [code, *neighbours]
    minx, miny, maxx, maxy = regions.loc[shown].total_bounds
    pad = 0.04 * max(maxx - minx, maxy - miny)
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    scale = width / (maxx - minx)
    height = int(round((maxy - miny) * scale))
    view = shapely.box(minx, miny, maxx, maxy)

    def project(xy: np.ndarray) -> np.ndarray:
        return np.column_stack([(xy[:, 0] - minx) * scale, (maxy - xy[:, 1]) * scale])

    paths, labels = [], []
    for region_code, geom in zip(regions.index, regions.geometry):
        clipped = shapely.intersection(geom, view).simplify(1.0 / scale)
        if clipped.is_empty:
            continue
        parts = []
        for polygon in getattr(clipped, "geoms", [clipped]):
            if polygon.geom_type != "Polygon":
                continue
            parts.append(_ring_path(project(np.asarray(polygon.exterior.coords))))
            parts += [_ring_path(project(np.asarray(ring.coords))) for ring in polygon.interiors]
        if not parts:
            continue
        fill, stroke, width_px = ("#eeeeee", "#9a9a9a", 0.8)
        if region_code == code:
            fill, stroke, width_px = ("#5b2a86", "#222222", 2.5)
        elif region_code in neighbours:
            fill, stroke, width_px = ("#c9b3dd", "#444444", 1.2)
        name = schema.region_label(str(region_code))
        paths.append(
            f'<path d="{" ".join(parts)}" fill="{fill}" fill-opacity="0.6" stroke="{stroke}" stroke-width="{width_px}" '
            f'fill-rule="evenodd"><title>{escape(name)}</title></path>'
        )
        if region_code in shown:
            point = shapely.intersection(geom, view).representative_point()
            x, y = project(np.array([[point.x, point.y]]))[0]
            label = escape(schema.REGIONS[str(region_code)])
            labels.append(f'<text class="region-label" x="{x:.0f}" y="{y:.0f}" text-anchor="middle">{label}</text>')

    dots = _service_dots(services, project, width, height)
    title = t("profile.map_aria", lang, region=schema.region_label(code))
    return (
        f'<svg class="svg-map" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<rect width="{width}" height="{height}" fill="#fbfbfd"/>{"".join(paths)}{"".join(dots)}{"".join(labels)}</svg>'
    )


# --------------------------------------------------------------------------- the document


@cache
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


@cache
def _stylesheets() -> str:
    return "\n".join((ROOT / "assets" / name).read_text(encoding="utf-8") for name in STYLESHEETS) + REPORT_CSS


def filename(code: str, lang: str, now: datetime | None = None) -> str:
    stem = "maillage-fiche-regionale" if lang == "fr" else "maillage-region-profile"
    slug = fold(schema.REGIONS[code]).replace(" ", "-")
    return f"{stem}-{code}-{slug}-{(now or datetime.now()).date().isoformat()}.html"


def region_html(
    analysis: Analysis, code: str, state: FilterState, lang: str, *, year: object = None, now: datetime | None = None
) -> str:
    """The profile of region ``code`` as one HTML document that needs no network."""
    profile = build(analysis, code, state, year, now)
    directory = analysis.directory
    layout = body(profile, lang, directory=directory)
    graphs = {CovID.PROFILE_MAP: svg_map(directory, code, profile.neighbours, profile.services, lang)}
    content = to_html(layout, graphs)
    title = t("profile.title", lang, region=schema.region_label(code))
    generated = when(profile.generated, lang)
    attribution = ATTRIBUTION_FR if lang == "fr" else ATTRIBUTION_EN
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} — Maillage</title>"
        '<meta name="generator" content="Maillage">'
        f'<meta name="date" content="{profile.generated.isoformat(timespec="seconds")}">'
        f"<style>{Markup(_stylesheets())}</style>"
        f"<script>{Markup(_plotly_js())}</script>"
        "</head><body>"
        '<div class="container-fluid" style="max-width: 1400px">'
        f'<header class="report-header"><p class="brand">Maillage</p>'
        f'<p class="mb-0 small">{escape(t("profile.export_header", lang, date=generated))}</p></header>'
        f"<main>{content}</main>"
        f'<footer class="report-footer"><p>{escape(t("profile.export_footer", lang, date=generated))}</p>'
        f"<p>{escape(attribution)}</p><p>{escape(t('footer.about', lang))}</p></footer>"
        "</div></body></html>"
    )


def html_to_file(document: str, path: Path, fmt: str = "pdf") -> str | None:
    """Print ``document`` to a PDF (A4) or a full-page PNG at ``path`` with Playwright and Debian's
    Chromium, offline (the browser context refuses every request).

    Returns None when done, else the reason it could not be done (in English, for the message).
    """
    chromium = os.environ.get("MAILLAGE_CHROMIUM", "/usr/bin/chromium")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "Playwright is not installed (pip install -r requirements-dev.txt)"
    if not Path(chromium).exists():
        return f"Chromium not found at {chromium} (apt-get install chromium, or set MAILLAGE_CHROMIUM)"
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=args)
            context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900}, device_scale_factor=1.5)
            page = context.new_page()
            page.set_content(document, wait_until="load")
            page.wait_for_function(
                "() => [...document.querySelectorAll('.export-graph')].every(g => g.querySelector('.main-svg'))"
            )
            if fmt == "png":
                page.screenshot(path=str(path), full_page=True)
            else:
                page.emulate_media(media="print")
                margin = {"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"}
                page.pdf(path=str(path), format="A4", print_background=True, margin=margin)
            browser.close()
    except PlaywrightError as exc:
        return f"Chromium could not print the profile: {str(exc).splitlines()[0]}"
    return None


__all__ = ["filename", "html_to_file", "region_html", "svg_map", "to_html"]
