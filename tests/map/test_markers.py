"""The map's markers, grouped on numpy arrays, are exactly what a pandas groupby gives (reference)."""

from __future__ import annotations

import pandas as pd
import pytest

from maillage_dash.i18n import fmt_int, t
from maillage_dash.map import figures
from maillage_dash.map.figures import GRID_DEGREES, MAX_MARKERS, _esc


def reference(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The straightforward version (one slice of the frame per group), kept as the definition."""
    located = frame[frame["lat"].notna()]
    lat, lon = located["lat"].round(5), located["lon"].round(5)
    if pd.MultiIndex.from_arrays([lat, lon]).nunique() > MAX_MARKERS:
        lat = (located["lat"] / GRID_DEGREES).round() * GRID_DEGREES
        lon = (located["lon"] / GRID_DEGREES).round() * GRID_DEGREES
    rows = []
    for (glat, glon), group in located.assign(_lat=lat.to_numpy(), _lon=lon.to_numpy()).groupby(["_lat", "_lon"], sort=False):
        names = group["nom"].head(5).tolist()
        places = sorted(set(group["municipalite"].head(20)) - {""})
        head = ", ".join(places[:3]) + ("…" if len(places) > 3 else "")
        lines = [f"<b>{_esc(head)}</b>", t("map.n_services", lang, plural=len(group), n=fmt_int(len(group), lang))]
        lines += [f"• {_esc(n)}" for n in names]
        if len(group) > len(names):
            lines.append(t("map.and_more", lang, plural=len(group) - len(names), n=fmt_int(len(group) - len(names), lang)))
        if group["confidentiel"].any():
            lines.append(t("map.confidential_note", lang))
        rows.append({"lat": glat, "lon": glon, "n": len(group), "key": f"{glat},{glon}", "text": "<br>".join(lines)})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_same_markers_as_the_reference(shipped, lang):
    pd.testing.assert_frame_equal(figures.markers(shipped.services, lang), reference(shipped.services, lang))


def test_same_markers_when_gathered_in_grid_cells(shipped, monkeypatch):
    monkeypatch.setattr(figures, "MAX_MARKERS", 3)
    import tests.map.test_markers as me

    monkeypatch.setattr(me, "MAX_MARKERS", 3)
    fast = figures.markers(shipped.services, "fr")
    assert len(fast) < shipped.services[["lat", "lon"]].round(5).drop_duplicates().shape[0]
    pd.testing.assert_frame_equal(fast, reference(shipped.services, "fr"))


def test_no_located_service(shipped):
    assert figures.markers(shipped.services.iloc[:0], "fr").empty


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_points_carry_their_count_biggest_drawn_first(shipped, lang):
    """The count drawn beside a marker (assets/22-map-labels.js) is its number of services; the biggest
    markers come first, beneath the smaller ones that plotly's hover and a tap pick where they overlap."""
    pts = figures.markers(shipped.services, lang)
    data = figures.point_data(pts, lang)
    by_key = dict(zip(pts["key"], pts["n"]))
    counts = [by_key[k] for k in data["customdata"]]
    assert counts == sorted(counts, reverse=True) and len(counts) == len(pts)
    assert data["meta"]["mark"] == "badge"
    assert data["meta"]["marks"] == [fmt_int(n, lang) if n > 1 else "" for n in counts]
    assert data["size"] == sorted(data["size"], reverse=True)


@pytest.mark.parametrize(("most", "step"), [(1, 1), (3, 1), (5, 1), (12, 3), (31, 7)])
def test_the_colour_bar_counts_in_whole_services(most, step):
    """A region count of 1 gave the bar « 0 0,5 1 »: ticks are whole services, about five of them."""
    from maillage_dash.map.figures import choropleth_data

    counts = pd.DataFrame({"total": [most, 0], "located": [most, 0], "from_outside": [0, 0]}, index=["06", "13"])
    assert choropleth_data(counts, (), "fr")["dtick"] == step
