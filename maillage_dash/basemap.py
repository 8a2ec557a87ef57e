"""The regions' outlines that every map of every page draws, served once as a fingerprinted GeoJSON
file, and each region's bounds for the browser's fit. No Dash here."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from maillage_dash.directory import Directory
from maillage_dash.memo import per_object


def regions_geojson(directory: Directory, digits: int = 4) -> dict[str, Any]:
    """The display regions as GeoJSON with coordinates rounded (smaller payload)."""
    return _geojson_of(directory.geography, digits)


def _geojson_of(geography: Any, digits: int = 4) -> dict[str, Any]:
    raw = json.loads(geography.regions_display[["code", "nom", "geometry"]].to_json())

    def rnd(coords: Any) -> Any:
        if isinstance(coords[0], (int, float)):
            return [round(coords[0], digits), round(coords[1], digits)]
        return [rnd(c) for c in coords]

    for feature in raw["features"]:
        feature["geometry"]["coordinates"] = rnd(feature["geometry"]["coordinates"])
        feature.pop("bbox", None)
        feature["id"] = feature["properties"]["code"]
    raw.pop("bbox", None)
    return raw


# The regions' outlines are the same in every map of every page: the browser fetches them once from
# this address (the name carries a digest of the content, so it is cached for good and changes when the
# geography does) instead of receiving ~400 KB of coordinates inside each figure.
REGIONS_ROUTE = "/geo/regions-<digest>.geojson"


def regions_geojson_file(directory: Directory) -> tuple[str, bytes]:
    """(digest, bytes) of the regions' GeoJSON, built once per geography."""
    return _regions_file(directory.geography)


@per_object
def _regions_file(geography: Any) -> tuple[str, bytes]:
    body = json.dumps(_geojson_of(geography), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(body).hexdigest()[:16], body


def regions_geojson_url(directory: Directory) -> str:
    """Where the browser fetches the regions' GeoJSON (see :data:`REGIONS_ROUTE`)."""
    digest, _ = regions_geojson_file(directory)
    return REGIONS_ROUTE.replace("<digest>", digest)


POPULATED_SHARE = 0.995  # the default view frames where this share of Québec's population lives


def region_bounds(directory: Directory) -> dict[str, list[float]]:
    """[west, south, east, north] of each region, of all Québec ("quebec") and of the view shown when
    no region is chosen ("all"): the populated south (:func:`populated_bounds`). Nord-du-Québec stays
    reachable by zooming out or by choosing it."""
    regions = directory.geography.regions_display
    out = {code: [round(float(v), 4) for v in geom.bounds] for code, geom in zip(regions.index, regions.geometry)}
    out["quebec"] = [round(float(v), 4) for v in regions.total_bounds]
    out["all"] = populated_bounds(directory.geography.gazetteer.frame)
    return out


def populated_bounds(towns: Any, share: float = POPULATED_SHARE) -> list[float]:
    """[west, south, east, north] of the municipalities south of the latitude under which ``share`` of
    the population lives (MAMH populations): from Témiscamingue to the Îles-de-la-Madeleine, and north
    to about Sept-Îles and Chibougamau, instead of Québec up to Ivujivik (62° N) where a phone's map
    showed the south as a thin strip."""
    towns = towns.dropna(subset=["lat", "lon", "population"]).sort_values("lat")
    cumulative = towns["population"].cumsum() / towns["population"].sum()
    north = float(towns["lat"][cumulative >= share].iloc[0])
    south = towns[towns["lat"] <= north]
    west, east = float(south["lon"].min()), float(south["lon"].max())
    return [round(west, 4), round(float(south["lat"].min()), 4), round(east, 4), round(north, 4)]


TOWNS_LABELLED = 40  # the biggest municipalities get a label (shown from a zoom where they fit)


def place_labels(directory: Directory) -> list[dict[str, Any]]:
    """Names drawn on every map, offline (assets/22-map-labels.js places them as text over the map):
    the 17 regions at a point inside each, and the biggest municipalities (MAMH population) with the
    zoom from which each shows. Compact keys: t (text), y/x (lat/lon), k (``r`` region, ``v`` town), z,
    c (the region's code, for a map that draws only some regions).
    A region also has ``a``: other points inside it, further south, as [lon, lat] pairs, for a view that
    shows only its southern part (« Côte-Nord » on a wide screen, whose first point is above the map)."""
    return _labels_of(directory.geography)


def _southern_points(geometry: Any) -> list[list[float]]:
    """Points inside ``geometry``'s southern half and southern quarter (by latitude), each inside the
    region itself: where a view cut at the north still shows the region, its name can stay on it."""
    from shapely.geometry import box

    west, south, east, north = geometry.bounds
    out: list[list[float]] = []
    for share in (0.5, 0.25):
        part = geometry.intersection(box(west, south, east, south + (north - south) * share))
        if part.is_empty:
            continue
        point = part.representative_point()
        pair = [round(point.x, 4), round(point.y, 4)]
        if pair not in out:
            out.append(pair)
    return out


@per_object
def _labels_of(geography: Any) -> list[dict[str, Any]]:
    from maillage_dash.schema import REGIONS

    out: list[dict[str, Any]] = []
    regions = geography.regions_display
    for code, geometry in zip(regions["code"], regions.geometry):
        point = geometry.representative_point()
        label = {
            "t": REGIONS.get(str(code), str(code)),
            "y": round(point.y, 4),
            "x": round(point.x, 4),
            "k": "r",
            "z": 0,
            "c": str(code),
        }
        others = _southern_points(geometry)
        if others:
            label["a"] = others
        out.append(label)
    towns = geography.gazetteer.frame.dropna(subset=["lat", "lon", "population"])
    towns = towns.sort_values("population", ascending=False).head(TOWNS_LABELLED)
    for rank, (name, lat, lon, region) in enumerate(zip(towns["nom"], towns["lat"], towns["lon"], towns["code_region"])):
        # The largest ones from a province-wide view, the others as one zooms in.
        z = 5 if rank < 8 else 6.5
        out.append({"t": str(name), "y": round(float(lat), 4), "x": round(float(lon), 4), "k": "v", "z": z, "c": str(region)})
    return out
