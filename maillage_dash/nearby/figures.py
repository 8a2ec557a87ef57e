"""The nearby page's map: the place, the radius and the nearest services (plotly figure dicts, no Dash)."""

from __future__ import annotations

import math
import textwrap
from typing import Any

import numpy as np

from maillage_dash import basemap, schema
from maillage_dash.basemap import regions_geojson_url
from maillage_dash.directory import Directory
from maillage_dash.i18n import fmt_int, t
from maillage_dash.memo import per_object
from maillage_dash.nearby import model as nearby
from maillage_dash.text import escape_html as _esc

PLACE_COLOUR = "#1b5e20"


CIRCLE_COLOUR = "#5b2a86"


POINT_COLOUR = "#c2185b"  # white text on it: contrast 5.9:1
SERVICE_SIZE = 22  # px; the ranks are drawn over it as a pill of the same colour (assets/22-map-labels.js)
PLACE_RING_SIZE = 40  # px: wider than the pill of two or three digits, so the ring shows around it
PLACE_RING_WIDTH = 5
HOVER_NAMES = 6  # services named in the hover of a point (all are in the list)
HOVER_WIDTH = 40  # characters per hover line: the hover fits a 375-px phone


def empty_map(directory: Directory, lang: str) -> dict[str, Any]:
    return near_map(directory, None, None, None, lang)


def _place_layers(place: nearby.Located, frame: Any, radius: float | None, label: str, lang: str) -> list[dict[str, Any]]:
    """The radius, the place as a ring beneath everything else, then the services found: one marker per
    point, labelled with the ranks of the list (« 3 », « 1–4 » when four services share the point)."""
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
    here = t("near.here_named", lang, place=label) if label else t("near.here", lang)
    # A ring (a green disc, a white one inside it), drawn before the services: one at the same point is on top.
    ring = {
        "type": "scattermap",
        "lat": [place.lat],
        "lon": [place.lon],
        "mode": "markers",
        "name": t("near.here", lang),
        "meta": {"role": "place"},
    }
    layers.append(
        {
            **ring,
            "marker": {"size": PLACE_RING_SIZE, "color": PLACE_COLOUR, "opacity": 1},
            "text": [_esc(here)],
            "hovertemplate": "%{text}<extra></extra>",
        }
    )
    layers.append({**ring, "marker": {"size": PLACE_RING_SIZE - 2 * PLACE_RING_WIDTH, "color": "#ffffff"}, "hoverinfo": "skip"})
    if frame is not None and len(frame):
        groups = service_groups(frame, place, lang)
        layers.append(
            {
                "type": "scattermap",
                "lat": [g["lat"] for g in groups],
                "lon": [g["lon"] for g in groups],
                "mode": "markers",
                "marker": {"size": SERVICE_SIZE, "color": POINT_COLOUR, "opacity": 1},
                "text": [g["text"] for g in groups],
                "customdata": [g["label"] for g in groups],
                "hovertemplate": "%{text}<extra></extra>",
                "name": t("map.services", lang),
                # The ranks drawn on the markers, offline, as text over the map (assets/22-map-labels.js).
                "meta": {"role": "services", "marks": [g["label"] for g in groups], "mark": "pill"},
            }
        )
    return layers


def ranks_label(ranks: list[int]) -> str:
    """The list's ranks of the services at one point, short: « 3 », « 1–4 », « 2, 5 », « 1–3, 7… »."""
    runs: list[list[int]] = []
    for rank in sorted(ranks):
        if runs and rank == runs[-1][1] + 1:
            runs[-1][1] = rank
        else:
            runs.append([rank, rank])
    parts = [str(a) if a == b else f"{a}–{b}" for a, b in runs]
    return ", ".join(parts[:2]) + ("…" if len(parts) > 2 else "")


def _wrap(text: str, bold: bool = False) -> str:
    """Plain text in hover lines of at most HOVER_WIDTH characters (plotly never wraps a hover), escaped."""
    lines = [_esc(line) for line in textwrap.wrap(text, HOVER_WIDTH, break_on_hyphens=False) or [""]]
    return "<br>".join(f"<b>{line}</b>" for line in lines) if bold else "<br>   ".join(lines)


def service_groups(frame: Any, place: nearby.Located, lang: str) -> list[dict[str, Any]]:
    """The ranked services gathered by point (to the metre): for each point its ranks, their label and
    the hover text that lists them, saying when the point is the municipality's and not an address."""
    lat = np.round(frame["lat"].to_numpy(dtype=float), 5)
    lon = np.round(frame["lon"].to_numpy(dtype=float), 5)
    at: dict[tuple[float, float], list[int]] = {}
    for i, key in enumerate(zip(lat.tolist(), lon.tolist())):
        at.setdefault(key, []).append(i)
    # The columns the hovers read, as lists (a pandas row per service cost more than the hover).
    columns = {
        "nom": frame["nom"].tolist(),
        "municipalite": frame["municipalite"].tolist(),
        "distance_km": frame["distance_km"].tolist(),
        "point_exact": frame["point_exact"].tolist() if "point_exact" in frame else [False] * len(frame),
    }
    groups = []
    for (glat, glon), rows in at.items():
        ranks = [i + 1 for i in rows]
        text = _hover(columns, rows, place, lang)
        groups.append({"lat": glat, "lon": glon, "ranks": ranks, "label": ranks_label(ranks), "text": text})
    return groups


def _hover(columns: dict[str, list[Any]], rows: list[int], place: nearby.Located, lang: str) -> str:
    """« 4 services à Saint-Jérôme (position de la municipalité) », the distance, then the services by rank."""
    names_of = columns["nom"]
    first = rows[0]
    town = str(columns["municipalite"][first] or "—")
    where = nearby.distance_text(float(columns["distance_km"][first]), place, lang)
    exact = [bool(columns["point_exact"][i]) for i in rows]
    names = [_wrap(f"{i + 1}. {names_of[i]}") for i in rows[:HOVER_NAMES]]
    if len(rows) == 1:
        note = [] if exact[0] else [t("near.town_point", lang)]
        return "<br>".join([_wrap(f"{first + 1}. {names_of[first]}", bold=True), _wrap(f"{town} — {where}"), *note])
    if all(exact):
        head = [_wrap(t("near.group_address", lang, n=fmt_int(len(rows), lang), town=town), bold=True)]
    else:  # no address: the gazetteer's point of their municipality, shared by all of them
        head = [_wrap(t("near.group_town", lang, n=fmt_int(len(rows), lang), town=town), bold=True)]
        head.append(_esc(t("near.group_town_note", lang)))
    lines = [*head, _esc(where), *names]
    if len(rows) > HOVER_NAMES:
        lines.append(t("near.more_in_list", lang, plural=len(rows) - HOVER_NAMES, n=fmt_int(len(rows) - HOVER_NAMES, lang)))
    return "<br>".join(lines)


def near_map(
    directory: Directory, place: nearby.Located | None, frame: Any, radius: float | None, lang: str, *, label: str = ""
) -> dict[str, Any]:
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
    labels = basemap.place_labels(directory)
    if place is not None:
        data += _place_layers(place, frame, radius, label, lang)
        center = {"lat": place.lat, "lon": place.lon}
        reach = radius or (float(frame["distance_km"].max()) if frame is not None and len(frame) else 50.0)
        zoom = zoom_for(place.lat, max(reach, 5.0))
        labels = labels + local_towns(directory, place, max(reach, 5.0), {label["t"] for label in labels})
    layout = {
        "map": {"style": "white-bg", "center": center, "zoom": zoom},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "showlegend": False,
        "paper_bgcolor": "white",
        "hoverlabel": {"bgcolor": "white", "font": {"size": 13}, "align": "left"},
        "meta": {"labels": labels},  # region and town names (assets/22-map-labels.js)
    }
    return {"data": data, "layout": layout}


LOCAL_TOWNS = 15  # names of the most populous municipalities around the place, for finding one's way


@per_object
def _towns_measured(gazetteer: Any) -> tuple[Any, np.ndarray, np.ndarray]:
    """The populated municipalities, by population, with their points in the distances' projection
    (EPSG:32198, as every distance of the nearby search): projected once per gazetteer."""
    towns = gazetteer.frame.dropna(subset=["lat", "lon", "population"]).sort_values("population", ascending=False)
    x, y = nearby.to_measure(towns["lon"].to_numpy(dtype=float), towns["lat"].to_numpy(dtype=float))
    return towns, np.asarray(x), np.asarray(y)


def local_towns(directory: Directory, place: nearby.Located, reach_km: float, named: set[str]) -> list[dict[str, Any]]:
    """The most populous municipalities within ``reach_km`` of the place, as map labels shown at every
    zoom: at 50 km around Gaspé the map showed a circle and a marker over a blank region, no place names
    (the province-wide list names only the 40 biggest towns)."""
    towns, x, y = _towns_measured(directory.geography.gazetteer)
    px, py = place.xy()
    km = np.hypot(x - px, y - py) / 1000.0
    near = towns[(km <= reach_km * 1.2) & ~towns["nom"].isin(named).to_numpy()].head(LOCAL_TOWNS)
    return [
        {"t": str(n), "y": round(float(lat), 4), "x": round(float(lon), 4), "k": "v", "z": 0, "c": str(c)}
        for n, lat, lon, c in zip(near["nom"], near["lat"], near["lon"], near["code_region"])
    ]


def zoom_for(lat: float, radius_km: float, pixels: float = 420.0) -> float:
    """The map zoom at which a circle of ``radius_km`` fits in about ``pixels`` (MapLibre: 512-px tiles)."""
    metres_per_pixel = 2 * radius_km * 1000 / pixels
    return max(2.5, min(12.0, math.log2(78271.517 * math.cos(math.radians(lat)) / metres_per_pixel)))
