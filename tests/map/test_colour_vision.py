"""The map colours stay readable with the common colour-vision deficiencies.

Each colour is simulated as seen with protanopia, deuteranopia and tritanopia (Machado, Oliveira &
Fernandes 2009, severity 1, applied in linear sRGB), blended with the white page at the opacity the
figure uses, and compared in CIELAB:
- the sequential scale (more services = darker) keeps its order by lightness alone, with clear steps;
- "no service listed" stays distinct from "one service";
- the service points stand out from every region colour.
Categorical colours (network sectors) never carry meaning alone: each sector also has its own symbol.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from maillage_dash import filters
from maillage_dash.filters import FilterState
from maillage_dash.map import figures

MACHADO = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]),
}
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
WHITE = np.array([0.95047, 1.0, 1.08883])
MIN_STEP_L = 10.0  # lightness between two successive stops of a sequential scale
MIN_DELTA_E = 10.0  # "none" against "a few"
MIN_POINT_DELTA_E = 20.0  # points against the regions under them


def to_linear(hex_colour: str, opacity: float = 1.0) -> np.ndarray:
    rgb = np.array([int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]) / 255
    rgb = opacity * rgb + (1 - opacity) * 1.0  # over the white page
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def lab(hex_colour: str, vision: str, opacity: float = 1.0) -> np.ndarray:
    linear = np.clip(MACHADO[vision] @ to_linear(hex_colour, opacity), 0, 1)
    xyz = (SRGB_TO_XYZ @ linear) / WHITE
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, vision: str, opacity: float = 1.0) -> float:
    return float(np.linalg.norm(lab(a, vision, opacity) - lab(b, vision, opacity)))


@pytest.fixture(scope="module")
def map_traces(shipped):
    keep = filters.mask(shipped, FilterState())
    fig = go.Figure(figures.map_figure(shipped, keep, shipped.services[keep], (), "fr"))  # validated by plotly
    return fig.data[0], fig.data[1]


@pytest.mark.parametrize("vision", list(MACHADO))
def test_region_scale_is_ordered_by_lightness(map_traces, vision):
    regions, _ = map_traces
    opacity = regions.marker.opacity
    stops = [colour for position, colour in regions.colorscale if position > 0]
    lightness = [lab(c, vision, opacity)[0] for c in stops]
    steps = -np.diff(lightness)
    assert (steps >= MIN_STEP_L).all(), f"{vision}: lightness {np.round(lightness, 1)}"


@pytest.mark.parametrize("vision", list(MACHADO))
def test_no_service_is_distinct_from_a_few(map_traces, vision):
    regions, _ = map_traces
    (_, zero), (_, lowest) = regions.colorscale[0], regions.colorscale[1]
    assert delta_e(zero, lowest, vision, regions.marker.opacity) >= MIN_DELTA_E


@pytest.mark.parametrize("vision", list(MACHADO))
def test_points_stand_out_from_every_region_colour(map_traces, vision):
    regions, points = map_traces
    for _, colour in regions.colorscale:
        opacity = regions.marker.opacity
        # The point is drawn over the region: compare with the region as it appears on the page.
        seen = lab(colour, vision, opacity)
        point = lab(points.marker.color, vision, points.marker.opacity or 1.0)
        assert float(np.linalg.norm(seen - point)) >= MIN_POINT_DELTA_E, (vision, colour)


def test_categorical_colours_are_never_the_only_cue():
    from maillage_dash.network import figures as network_figures

    symbols = [symbol for _, symbol in network_figures.SECTOR_STYLE.values()]
    assert len(set(symbols)) == len(symbols)


@pytest.mark.parametrize("vision", list(MACHADO))
def test_coverage_gaps_stand_apart_from_values(vision):
    from maillage_dash.coverage import figures as coverage_figures

    for colour in coverage_figures.BLUES:
        assert delta_e(coverage_figures.GAP_COLOUR, colour, vision) >= MIN_DELTA_E
