"""Plotly figures. No Dash imports: ``*_figure(...)`` (a ``go.Figure`` or its plain dict) and the data they draw.

The map uses MapLibre traces (``Choroplethmap``, ``Scattermap``) on the ``white-bg`` style,
which needs no network: the regions and the points are our own layers. A street basemap
is an optional raster layer below them; if its tile server is unreachable the map stays
drawn.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from maillage_dash import basemap, schema
from maillage_dash.basemap import regions_geojson_url
from maillage_dash.directory import Directory, serves_col
from maillage_dash.i18n import fmt_int, t
from maillage_dash.text import escape_html as _esc

# Beyond this many distinct locations, points are gathered into grid cells so that the
# map's payload stays bounded whatever the size of the directory.
MAX_MARKERS = 2_000
GRID_DEGREES = 0.25
# Blues (ColorBrewer, sequential: more services = darker, so the order reads by lightness alone, also
# with protanopia, deuteranopia or tritanopia); zero gets its own light grey, kept clearly apart from
# the lightest blue; points in ColorBrewer's dark orange, the hue farthest from the blues for every
# common colour-vision deficiency. Checked by tests/map/test_colour_vision.py (Machado 2009 simulation).
ZERO_COLOUR = "#f2f2f2"
COLOURSCALE = [
    [0.0, ZERO_COLOUR],
    [1e-9, "#c6dbef"],
    [0.35, "#6baed6"],
    [0.7, "#2171b5"],
    [1.0, "#08306b"],
]
POINT_COLOUR = "#d95f02"


def region_counts(directory: Directory, keep: np.ndarray) -> pd.DataFrame:
    """Per region: services located there, services serving it from elsewhere, and the total."""
    frame = directory.services
    own = frame["region"].to_numpy()[keep]
    # Column by column (selecting a list of columns copies a new frame each time).
    serving_all = [np.count_nonzero(frame[serves_col(code)].to_numpy() & keep) for code in schema.REGION_CODES]
    codes, located_counts = np.unique(own.astype(str), return_counts=True)
    located_by_code = dict(zip(codes.tolist(), located_counts.tolist()))
    rows = []
    for code, serving in zip(schema.REGION_CODES, serving_all):
        located = int(located_by_code.get(code, 0))
        rows.append({"code": code, "located": located, "from_outside": int(serving) - located, "total": int(serving)})
    return pd.DataFrame(rows).set_index("code")


MAP_COLUMNS = ("lat", "lon", "nom", "municipalite", "confidentiel", "organisme")


def map_rows(services: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """The matching services with only the columns the map and its counters read.

    ``services[keep]`` copies all ~60 columns of every matching row (~10 ms at 100,000 services);
    the map needs six."""
    return pd.DataFrame({c: services[c].to_numpy()[keep] for c in MAP_COLUMNS}, index=services.index[keep])


def markers(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One marker per shown location (or per grid cell when locations are too many).

    Grouping works on plain numpy arrays (not on slices of the wide services frame): at 100,000
    services the map of an unfiltered view has a few thousand cells to label.
    """
    located_mask = frame["lat"].notna().to_numpy()
    if not located_mask.any():
        return pd.DataFrame(columns=["lat", "lon", "n", "key", "text"])
    raw_lat = frame["lat"].to_numpy()[located_mask]
    raw_lon = frame["lon"].to_numpy()[located_mask]
    lat, lon = np.round(raw_lat, 5), np.round(raw_lon, 5)
    codes, uniques = _factorize_pairs(lat, lon)
    if len(uniques) > MAX_MARKERS:
        lat = np.round(raw_lat / GRID_DEGREES) * GRID_DEGREES
        lon = np.round(raw_lon / GRID_DEGREES) * GRID_DEGREES
        codes, uniques = _factorize_pairs(lat, lon)
    names = frame["nom"].to_numpy()[located_mask]
    towns = frame["municipalite"].to_numpy()[located_mask]
    secret = frame["confidentiel"].to_numpy()[located_mask]
    order = np.argsort(codes, kind="stable")  # groups in order of first appearance, rows in frame order
    groups = np.split(order, np.flatnonzero(np.diff(codes[order])) + 1)
    count_text: dict[int, str] = {}  # Babel formatting is slow: once per distinct number

    def number(n: int) -> str:
        if n not in count_text:
            count_text[n] = fmt_int(n, lang)
        return count_text[n]

    # The messages once per distinct number (t() per marker cost ~30 ms for 2,000 markers).
    said: dict[tuple[str, int], str] = {}

    def message(key: str, n: int) -> str:
        if (key, n) not in said:
            said[key, n] = t(key, lang, plural=n, n=number(n))
        return said[key, n]

    confidential = t("map.confidential_note", lang)
    rows = []
    for code, rows_of in enumerate(groups):
        glat, glon = uniques[code]
        size = len(rows_of)
        shown = names[rows_of[:5]].tolist()
        places = sorted(set(towns[rows_of[:20]].tolist()) - {""})
        head = ", ".join(places[:3]) + ("…" if len(places) > 3 else "")
        lines = [f"<b>{_esc(head)}</b>", message("map.n_services", size)]
        lines += [f"• {_esc(n)}" for n in shown]
        if size > len(shown):
            lines.append(message("map.and_more", size - len(shown)))
        if secret[rows_of].any():
            lines.append(confidential)
        rows.append({"lat": glat, "lon": glon, "n": size, "key": f"{glat},{glon}", "text": "<br>".join(lines)})
    return pd.DataFrame(rows)


def _factorize_pairs(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Group ids of (lat, lon) pairs in order of first appearance, and the pairs themselves."""
    # Both are multiples of 1e-5 degree: one int64 per pair hashes far faster than a MultiIndex.
    key = np.round(lat * 1e5).astype(np.int64) * 100_000_000 + np.round(lon * 1e5).astype(np.int64)
    codes, _ = pd.factorize(key)
    first = np.unique(codes, return_index=True)[1]
    return codes, list(zip(lat[first].tolist(), lon[first].tolist()))


def choropleth_data(counts: pd.DataFrame, selected: tuple[str, ...], lang: str) -> dict[str, Any]:
    """Values of the region trace that change with the filters (used for full figures and patches)."""
    hover = []
    columns = (counts.index, counts["total"].tolist(), counts["located"].tolist(), counts["from_outside"].tolist())
    for code, total, located, outside in zip(*columns):
        hover.append(
            "<b>"
            + _esc(schema.region_label(str(code)))
            + "</b><br>"
            + t("map.region_total", lang, plural=total, n=fmt_int(total, lang))
            + "<br>"
            + t("map.region_located", lang, plural=located, n=fmt_int(located, lang))
            + "<br>"
            + t("map.region_outside", lang, n=fmt_int(outside, lang))
        )
    zmax = max(1, int(counts["total"].max()))
    return {
        "z": counts["total"].tolist(),
        "text": hover,
        "zmax": zmax,
        # Whole numbers on the colour bar: with few services plotly's own ticks read « 0 0,5 1 ».
        "dtick": max(1, -(-zmax // 5)),
        "line_width": [3.5 if c in selected else 0.8 for c in counts.index],
        "line_colour": ["#111111" if c in selected else "#6b6b6b" for c in counts.index],
    }


def _regions_trace(directory: Directory, counts: pd.DataFrame, values: dict[str, Any], lang: str) -> dict[str, Any]:
    """The regions coloured by the number of matching services that serve them."""
    return {
        "type": "choroplethmap",
        "geojson": regions_geojson_url(directory),
        "locations": list(counts.index),
        "z": values["z"],
        "zmin": 0,
        "zmax": values["zmax"],
        "colorscale": COLOURSCALE,
        "marker": {"opacity": 0.75, "line": {"width": values["line_width"], "color": values["line_colour"]}},
        "text": values["text"],
        "hovertemplate": "%{text}<extra></extra>",
        "colorbar": {
            "title": {"text": t("map.colorbar", lang), "side": "top"},
            "dtick": values["dtick"],
            "orientation": "h",
            "thickness": 10,
            "len": 200,
            "lenmode": "pixels",
            # Top right, over Labrador (outside Québec): bottom left it hid the south, where most
            # services are, on a phone. Below plotly's buttons (always shown on a touch screen, they
            # covered the bar's title): 36 px from the top whatever the map's height. Place names move
            # out from under it (assets/22-map-labels.js).
            "x": 0.99,
            "xanchor": "right",
            "y": 1,
            "yanchor": "top",
            "ypad": 36,
            "bgcolor": "rgba(255,255,255,0.85)",
        },
        "name": t("map.regions", lang),
    }


def _points_trace(pts: pd.DataFrame, lang: str) -> dict[str, Any]:
    """The services' places (gathered by place, or by grid cell beyond MAX_MARKERS places); a marker of
    several services has their count drawn beside it (``meta.marks``, assets/22-map-labels.js)."""
    data = point_data(pts, lang)
    return {
        "type": "scattermap",
        "lat": data["lat"],
        "lon": data["lon"],
        "text": data["text"],
        "customdata": data["customdata"],
        "mode": "markers",
        "marker": {"size": data["size"], "color": POINT_COLOUR, "opacity": 0.85},
        "hovertemplate": "%{text}<extra></extra>",
        "name": t("map.services", lang),
        "showlegend": False,
        "meta": data["meta"],
    }


def map_figure(
    directory: Directory,
    keep: np.ndarray,
    frame: pd.DataFrame,
    selected: tuple[str, ...],
    lang: str,
    *,
    basemap_url: str | None = None,
    counts: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Regions coloured by matching services, and the services' locations as points.

    A plain figure dict: plotly's validation of ``go.Figure`` copied and checked every one of the
    thousands of hover texts on each page (~100 ms at 100,000 services). The tests validate the same
    dict with ``go.Figure(...)`` (tests/map/test_colour_vision.py, tests/foundations/test_security.py)."""
    counts = region_counts(directory, keep) if counts is None else counts  # (the page's counters use them too)
    values = choropleth_data(counts, selected, lang)
    pts = markers(frame, lang)
    regions = _regions_trace(directory, counts, values, lang)
    points = _points_trace(pts, lang)
    layers = []
    if basemap_url:
        layers.append(
            {"sourcetype": "raster", "source": [basemap_url], "below": "traces", "sourceattribution": "© OpenStreetMap"}
        )
    layout = {
        "map": {"style": "white-bg", "layers": layers, "fitbounds": "locations"},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "uirevision": "map",
        "hoverlabel": {"bgcolor": "white", "font": {"size": 14}},
        "paper_bgcolor": "white",
        "meta": {"labels": basemap.place_labels(directory)},  # region and town names, drawn in the browser
    }
    return {"data": [regions, points], "layout": layout}


def _sizes(pts: pd.DataFrame) -> list[float]:
    return [round(9 + 5 * math.sqrt(n - 1), 1) for n in pts["n"]] if len(pts) else []


def count_marks(pts: pd.DataFrame, lang: str) -> list[str]:
    """The count drawn beside each marker: « 3 » where three services share the point, nothing for one."""
    counts = [int(n) for n in pts["n"].tolist()] if len(pts) else []
    texts = {n: fmt_int(n, lang) if n > 1 else "" for n in set(counts)}  # Babel once per distinct number
    return [texts[n] for n in counts]


def point_data(pts: pd.DataFrame, lang: str) -> dict[str, Any]:
    """The points trace's arrays, the biggest markers first: drawn first, they lie beneath the smaller ones
    near them, which is also the one plotly's hover and a tap pick where two overlap (it prefers the
    smaller), so what shows on top is what a tap opens, and a big marker stays reachable around them."""
    if len(pts):
        pts = pts.iloc[np.argsort(-pts["n"].to_numpy(), kind="stable")]
    return {
        "lat": pts["lat"].tolist(),
        "lon": pts["lon"].tolist(),
        "text": pts["text"].tolist(),
        "customdata": pts["key"].tolist(),
        "size": _sizes(pts),
        "meta": {"marks": count_marks(pts, lang), "mark": "badge"},
    }


def map_update(
    counts: pd.DataFrame, frame: pd.DataFrame, selected: tuple[str, ...], lang: str, basemap_url: str | None
) -> dict[tuple[Any, ...], Any]:
    """The parts of :func:`map_figure` that a new filter state changes, as ``{path: value}``: the
    callback sends only these (a partial update) instead of the whole figure."""
    values = choropleth_data(counts, selected, lang)
    pts = point_data(markers(frame, lang), lang)
    layers = (
        [{"sourcetype": "raster", "source": [basemap_url], "below": "traces", "sourceattribution": "© OpenStreetMap"}]
        if basemap_url
        else []
    )
    return {
        ("data", 0, "z"): values["z"],
        ("data", 0, "zmax"): values["zmax"],
        ("data", 0, "colorbar", "dtick"): values["dtick"],
        ("data", 0, "text"): values["text"],
        ("data", 0, "marker", "line", "width"): values["line_width"],
        ("data", 0, "marker", "line", "color"): values["line_colour"],
        ("data", 1, "lat"): pts["lat"],
        ("data", 1, "lon"): pts["lon"],
        ("data", 1, "text"): pts["text"],
        ("data", 1, "customdata"): pts["customdata"],
        ("data", 1, "marker", "size"): pts["size"],
        ("data", 1, "meta"): pts["meta"],
        ("layout", "map", "layers"): layers,
    }
