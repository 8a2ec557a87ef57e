"""The map's default view: the populated south, from the gazetteer's populations."""

from __future__ import annotations

import pandas as pd

from maillage_dash import basemap


def test_populated_bounds_leave_out_the_sparse_north():
    towns = pd.DataFrame(
        {  # made-up towns for the test
            "lat": [45.0, 46.0, 47.0, 58.0],
            "lon": [-74.0, -71.0, -65.0, -70.0],
            "population": [600_000, 300_000, 99_000, 1_000],
        }
    )
    west, south, east, north = basemap.populated_bounds(towns, share=0.995)
    assert (west, south, east, north) == (-74.0, 45.0, -65.0, 47.0)  # 58° N holds 0.1 %: left out
    assert basemap.populated_bounds(towns, share=1.0)[3] == 58.0


def test_default_view_of_the_shipped_gazetteer_is_the_south_and_quebec_is_kept(shipped):
    bounds = basemap.region_bounds(shipped)
    west, south, east, north = bounds["all"]
    assert west < -79 and east > -62 and south < 45.1  # Témiscamingue to the Îles-de-la-Madeleine
    assert 49.5 < north < 51.5  # about Sept-Îles and Chibougamau, not Ivujivik
    assert bounds["quebec"][3] > 62  # the whole province stays known (Nord-du-Québec)
    assert set(bounds) >= {f"{i:02d}" for i in range(1, 18)}
