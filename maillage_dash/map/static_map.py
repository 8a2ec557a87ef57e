"""The map's regions as a plain SVG picture, drawn with the page before any script has run.

On a phone the interactive map (plotly.js and MapLibre: 3 MB of script, then the regions' outlines) is
drawn seconds after the page. Meanwhile the page shows this picture in the map's place: the same regions,
coloured by the same numbers with the same colour scale and opacity, their outlines as thin and as dark,
framed exactly as ``assets/20-map-fit.js`` frames the live map (Web Mercator, the chosen regions or the
populated south, 92 % of the box). ``assets/23-map-static.js`` hides it for good once MapLibre has drawn
the regions. Markers, names and the colour bar come with the live map.

The picture is served at ``/geo/carte.svg?<the page's filters>&v=<data version>`` and is an ``<img>``
(same address in the page's static copy and in the page Dash draws: fetched and decoded once).
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

import plotly.colors as pc
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from maillage_dash import basemap, filters
from maillage_dash.directory import Directory
from maillage_dash.map import figures

ROUTE = "/geo/carte.svg"
WORLD = 512.0  # MapLibre's world at zoom 0, in pixels: the live map's units
FIT = 0.92  # the share of the box the fitted regions take (assets/20-map-fit.js)


def _merc(lat: float) -> float:
    r = math.radians(max(-85.0, min(85.0, lat)))
    return math.log(math.tan(math.pi / 4 + r / 2))


def _x(lon: float) -> float:
    return (lon + 180.0) / 360.0 * WORLD


def _y(lat: float) -> float:
    return (1.0 - _merc(lat) / math.pi) / 2.0 * WORLD


def view(directory: Directory, regions: tuple[str, ...]) -> tuple[float, float, float, float, tuple[float, ...]]:
    """(x, y, width, height) of the SVG viewBox in world pixels, and the [w, s, e, n] it frames."""
    all_bounds = basemap.region_bounds(directory)
    chosen = [all_bounds[c] for c in regions if c in all_bounds] or [all_bounds["all"]]
    w = min(b[0] for b in chosen)
    s = min(b[1] for b in chosen)
    e = max(b[2] for b in chosen)
    n = max(b[3] for b in chosen)
    width = (_x(e) - _x(w)) / FIT
    height = (_y(s) - _y(n)) / FIT
    cx, cy = (_x(w) + _x(e)) / 2, (_y(n) + _y(s)) / 2
    return cx - width / 2, cy - height / 2, width, height, (w, s, e, n)


def _path(geometry: BaseGeometry, digits: int) -> str:
    parts = []
    polygons = getattr(geometry, "geoms", [geometry])
    for polygon in polygons:
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = [(round(_x(lon), digits), round(_y(lat), digits)) for lon, lat in ring.coords]
            if len(coords) < 3:
                continue
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in coords) + "Z")
    return "".join(parts)


def _colour(value: float, zmax: float) -> str:
    share = 0.0 if zmax <= 0 else max(0.0, min(1.0, value / zmax))
    return pc.sample_colorscale(figures.COLOURSCALE, [share])[0]


def svg(directory: Directory, state: filters.FilterState, lang: str) -> str:
    """The picture of the regions for these filters."""
    keep = filters.mask(directory, state)
    counts = figures.region_counts(directory, keep)
    values = figures.choropleth_data(counts, state.regions, lang)
    x0, y0, width, height, (w, s, e, n) = view(directory, state.regions)
    # Detail to the size of a pixel on a wide screen (1/2000 of the framed width), and only what can show.
    tolerance = (e - w) / FIT / 2000
    margin = (e - w) / FIT
    frame = box(w - margin, s - margin, e + margin, n + margin)
    digits = max(1, min(6, int(-math.log10(width / 4000)) + 1))
    regions = directory.geography.regions_display
    shapes: list[tuple[float, str]] = []
    for code, z, line_width, line_colour in zip(counts.index, values["z"], values["line_width"], values["line_colour"]):
        if code not in regions.index:
            continue
        geometry = regions.geometry[code].intersection(frame).simplify(tolerance, preserve_topology=True)
        d = _path(geometry, digits)
        if d:
            shapes.append(
                (
                    line_width,
                    f'<path d="{d}" fill="{_colour(z, values["zmax"])}" fill-opacity="0.75" stroke="{line_colour}" '
                    f'stroke-width="{line_width}" vector-effect="non-scaling-stroke"/>',
                )
            )
    # The chosen regions' thick outlines on top, as the live map draws them (a stable sort).
    shapes.sort(key=lambda shape: shape[0])
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{x0:.{digits}f} {y0:.{digits}f} {width:.{digits}f} {height:.{digits}f}" '
        'preserveAspectRatio="xMidYMid meet" stroke-linejoin="round">'
        f'<rect x="{x0:.{digits}f}" y="{y0:.{digits}f}" width="{width:.{digits}f}" height="{height:.{digits}f}" '
        'fill="white"/>' + "".join(path for _, path in shapes) + "</svg>"
    )


def url(directory: Directory, state: filters.FilterState, lang: str) -> str:
    """The picture's address for these filters (the data version in it: a publication changes it)."""
    query = filters.to_query(state, lang).lstrip("?")
    version = getattr(directory, "version", None)
    tail = urlencode({"v": version if version is not None else basemap.regions_geojson_file(directory)[0]})
    return f"{ROUTE}?{query}&{tail}" if query else f"{ROUTE}?{tail}"


def picture(directory: Directory, state: filters.FilterState, lang: str, alt: str) -> Any:
    """The ``<img>`` of the picture, for the map's box."""
    from dash import html

    return html.Img(src=url(directory, state, lang), alt=alt, className="map-static", **{"aria-hidden": "true"})
