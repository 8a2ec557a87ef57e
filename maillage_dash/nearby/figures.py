"""The nearby page's map: the place, the radius and the nearest services (plotly figure dicts, no Dash)."""

from __future__ import annotations

import math
from typing import Any

from maillage_dash import basemap, schema
from maillage_dash.basemap import regions_geojson_url
from maillage_dash.directory import Directory
from maillage_dash.i18n import fmt_int, t
from maillage_dash.nearby import model as nearby
from maillage_dash.text import escape_html as _esc

PLACE_COLOUR = "#1b5e20"


CIRCLE_COLOUR = "#5b2a86"


POINT_COLOUR = "#c2185b"


def empty_map(directory: Directory, lang: str) -> dict[str, Any]:
    return near_map(directory, None, None, None, lang)


def _place_layers(place: nearby.Located, frame: Any, radius: float | None, lang: str) -> list[dict[str, Any]]:
    """The radius drawn around the place, the services found (numbered as in the list), the place."""
    layers: list[dict[str, Any]] = []
    if radius:
        lon, lat = nearby.circle_lonlat(place, radius)
        layers.append(
            {
                "type": "scattermap",
                "lat": lat,
                "lon": lon,
                "mode": "lines",
                "line": {"color": CIRCLE_COLOUR, "width": 2},
                "hoverinfo": "skip",
                "name": t("near.radius_line", lang, km=fmt_int(radius, lang)),
            }
        )
    if frame is not None and len(frame):
        texts = [
            f"{i + 1}. {_esc(n)}<br>{_esc(m)} — {nearby.distance_text(d, place, lang)}"
            for i, (n, m, d) in enumerate(zip(frame["nom"], frame["municipalite"], frame["distance_km"]))
        ]
        layers.append(
            {
                "type": "scattermap",
                "lat": [float(v) for v in frame["lat"]],
                "lon": [float(v) for v in frame["lon"]],
                "mode": "markers",
                "marker": {"size": 11, "color": POINT_COLOUR, "opacity": 0.85},
                "text": texts,
                "hovertemplate": "%{text}<extra></extra>",
                "name": t("map.services", lang),
            }
        )
    layers.append(
        {
            "type": "scattermap",
            "lat": [place.lat],
            "lon": [place.lon],
            "mode": "markers",
            "marker": {"size": 16, "color": PLACE_COLOUR},
            "text": [t("near.here", lang)],
            "hovertemplate": "%{text}<extra></extra>",
            "name": t("near.here", lang),
        }
    )
    return layers


def near_map(directory: Directory, place: nearby.Located | None, frame: Any, radius: float | None, lang: str) -> dict[str, Any]:
    """The nearby map as a plain plotly figure dict (built without plotly's validation, which
    deep-copied the regions' GeoJSON on every answer)."""
    codes = list(schema.REGION_CODES)
    data: list[dict[str, Any]] = [
        {
            "type": "choroplethmap",
            "geojson": regions_geojson_url(directory),
            "locations": codes,
            "z": [0] * len(codes),
            "colorscale": [[0, "#f4f1f8"], [1, "#f4f1f8"]],
            "showscale": False,
            "marker": {"line": {"width": 1, "color": "#7a6a8a"}},
            "text": [schema.region_label(c) for c in codes],
            "hovertemplate": "%{text}<extra></extra>",
            "name": t("map.regions", lang),
        }
    ]
    center = {"lat": 52.5, "lon": -71.5}
    zoom = 3.3
    if place is not None:
        data += _place_layers(place, frame, radius, lang)
        center = {"lat": place.lat, "lon": place.lon}
        reach = radius or (float(frame["distance_km"].max()) if frame is not None and len(frame) else 50.0)
        zoom = zoom_for(place.lat, max(reach, 5.0))
    layout = {
        "map": {"style": "white-bg", "center": center, "zoom": zoom},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "showlegend": False,
        "paper_bgcolor": "white",
        "hoverlabel": {"bgcolor": "white", "font": {"size": 14}},
        "meta": {"labels": basemap.place_labels(directory)},  # region and town names (assets/22-map-labels.js)
    }
    return {"data": data, "layout": layout}


def zoom_for(lat: float, radius_km: float, pixels: float = 420.0) -> float:
    """The map zoom at which a circle of ``radius_km`` fits in about ``pixels`` (MapLibre: 512-px tiles)."""
    metres_per_pixel = 2 * radius_km * 1000 / pixels
    return max(2.5, min(12.0, math.log2(78271.517 * math.cos(math.radians(lat)) / metres_per_pixel)))
