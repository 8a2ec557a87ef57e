"""The simplest Dash page that shows the same thing, for the first-paint comparison (bench/first_paint.py):
the regions and every service on one plotly map, and every service in a dash_table, all in the layout,
no callback, plotly.py's full plotly.js. ``gunicorn bench.naive_app:server``. SYNTHETIC comparison only."""

from __future__ import annotations

import json

import plotly.graph_objects as go
from dash import Dash, dash_table, dcc, html

from maillage_dash.config import DEFAULT_DATA_DIR, GEO_DIR
from maillage_dash.geo import Geography
from maillage_dash.loading import load_directory

geography = Geography.load(GEO_DIR)
directory = load_directory(DEFAULT_DATA_DIR, geography)
services = directory.services
regions = json.loads(geography.regions_display.to_json())
figure = go.Figure(
    [
        go.Choroplethmap(
            geojson=regions,
            locations=[f["id"] for f in regions["features"]],
            z=[1] * len(regions["features"]),
            showscale=False,
        ),
        go.Scattermap(lat=services["lat"], lon=services["lon"], text=services["nom"], mode="markers"),
    ],
    # white-bg: no style or tiles from a server (the machine is offline, as Maillage must work).
    layout={
        "map": {"style": "white-bg", "center": {"lat": 47.5, "lon": -71.5}, "zoom": 4},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
    },
)
columns = ["nom", "organisme", "municipalite", "region"]
app = Dash(__name__)
app.layout = html.Div(
    [
        html.H1("Maillage (naive)"),
        dcc.Graph(id="map", figure=figure, style={"height": "60vh"}),
        dash_table.DataTable(
            id="table",
            columns=[{"name": c, "id": c} for c in columns],
            data=services[columns].astype(str).to_dict("records"),
            page_size=20,
            sort_action="native",
            filter_action="native",
        ),
    ]
)
server = app.server
