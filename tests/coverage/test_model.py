"""Coverage matrix, population groups and accessibility on a hand-built fixture with known answers.

The fixture is synthetic test data (three square regions side by side, five municipalities, three
services), laid out in EPSG:32198 metres so that every distance is exact and computed by hand:

    region 06: x 0–100 km      region 13: x 100–200 km      region 16: x 200–300 km   (y 0–100 km)
    M1 (06) x=20  pop 1000     M3 (13) x=150 pop 2000       M4 (16) x=280 pop 4000
    M2 (06) x=80  pop 3000                                  M5 (16) x=260 pop 0 (not populated)
    S1 rue (06) x=20           S2 hébergement (13) x=150,   S3 rue+prévention (16) x=250, ages 12–17
                               also serves 16
"""

from __future__ import annotations

import json
import math
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import box

from maillage_dash import schema
from maillage_dash.coverage import export as coverage_export
from maillage_dash.coverage import format as coverage_format
from maillage_dash.coverage.accessibility import AccessModel
from maillage_dash.coverage.model import Analysis, adjacency
from maillage_dash.coverage.population import load_population, parse_population
from maillage_dash.directory import PUBLIC_COLUMNS, build_directory
from maillage_dash.errors import DataValidationError
from maillage_dash.filters import FilterState
from maillage_dash.geo import Gazetteer, Geography
from maillage_dash.text import fold_place

X0, Y0 = -300_000.0, 200_000.0  # where the fixture sits in EPSG:32198 (southern Québec)
KM = 1000.0
_TO_LONLAT = Transformer.from_crs("EPSG:32198", "EPSG:4326", always_xy=True)


def lonlat(x_km: float, y_km: float = 50.0) -> tuple[float, float]:
    return _TO_LONLAT.transform(X0 + x_km * KM, Y0 + y_km * KM)


def regions_frame() -> gpd.GeoDataFrame:
    boxes = {"06": (0, 100), "13": (100, 200), "16": (200, 300)}
    frame = gpd.GeoDataFrame(
        {"code": list(boxes), "nom": [schema.REGIONS[c] for c in boxes]},
        geometry=[box(X0 + a * KM, Y0, X0 + b * KM, Y0 + 100 * KM) for a, b in boxes.values()],
        crs="EPSG:32198",
    ).to_crs("EPSG:4326")
    return frame.set_index("code", drop=False)


MUNICIPALITIES = [  # name, region, x km, population
    ("Municipalité Un (fictive)", "06", 20, 1000),
    ("Municipalité Deux (fictive)", "06", 80, 3000),
    ("Municipalité Trois (fictive)", "13", 150, 2000),
    ("Municipalité Quatre (fictive)", "16", 280, 4000),
    ("Municipalité Cinq (fictive)", "16", 260, 0),
]


def gazetteer() -> Gazetteer:
    rows = []
    for i, (name, region, x, pop) in enumerate(MUNICIPALITIES):
        lon, lat = lonlat(x)
        rows.append(
            {"mcode": f"9{i:04d}", "nom": name, "code_region": region, "lat": lat, "lon": lon, "population": pop, "nom_mrc": ""}
        )
    frame = pd.DataFrame(rows)
    frame["key"] = frame["nom"].map(fold_place)
    return Gazetteer(frame)


def record(sid: str, types: tuple[str, ...], region: str, x: float, **extra: object) -> dict[str, object]:
    lon, lat = lonlat(x)
    base: dict[str, object] = {c: "" for c in PUBLIC_COLUMNS}
    base.update(
        id=sid,
        nom=f"Service {sid} (fictif)",
        organisme="Organisme test (fictif)",
        types=types,
        age_min=None,
        age_max=None,
        region=region,
        regions_desservies=(),
        secteurs=("communautaire",),
        partenaires=(),
        langues=("fr",),
        confidentiel=False,
        confirme_le=date(2026, 1, 15),
        statut="actif",
        public_cible=(),
        telephones=(),
        lat=lat,
        lon=lon,
        point_exact=True,
        fichier="test.csv",
        ligne=2,
    )
    base.update(extra)
    return base


POPULATION_CSV = """code_region,nom_region,annee,type_donnee,statut,groupe_age,age_min,age_max,population
06,Montréal,2021,Projection,Révisée,12-25,12,25,4000
13,Laval,2021,Projection,Révisée,12-25,12,25,1000
16,Montérégie,2021,Projection,Révisée,12-25,12,25,8000
06,Montréal,2026,Projection,Révisée,12-25,12,25,5000
13,Laval,2026,Projection,Révisée,12-25,12,25,0
06,Montréal,2026,Projection,Révisée,12-17,12,17,2000
13,Laval,2026,Projection,Révisée,12-17,12,17,500
06,Montréal,2026,Projection,Révisée,18-25,18,25,3000
06,Montréal,2026,Projection,Révisée,0-11,0,11,2500
06,Montréal,2026,Projection,Révisée,total,0,,20000
"""


@pytest.fixture(scope="module")
def tiny_geo() -> Geography:
    regions = regions_frame()
    return Geography(regions_full=regions, regions_display=regions, gazetteer=gazetteer())


@pytest.fixture(scope="module")
def tiny(tiny_geo):
    records = [
        record("s1", ("travail_de_rue",), "06", 20, age_min=12, age_max=25, confirme_le=date(2025, 3, 1)),
        record("s2", ("hebergement",), "13", 150, regions_desservies=("16",)),
        record("s3", ("travail_de_rue", "prevention"), "16", 250, age_min=12, age_max=17, confirme_le=None),
    ]
    return build_directory(records, tiny_geo)


@pytest.fixture(scope="module")
def analysis(tiny):
    return Analysis(tiny, parse_population(POPULATION_CSV))


# --------------------------------------------------------------------------- population groups


def test_age_filter_picks_the_matching_population_group():
    table = parse_population(POPULATION_CSV)
    assert table.latest == 2026
    assert table.choose_group(None).group.code == "12-25" and table.choose_group(None).note("fr") is None
    exact = table.choose_group((12, 17))
    assert (exact.group.code, exact.match, exact.note("fr")) == ("12-17", "exact", None)
    inside = table.choose_group((13, 16))
    assert (inside.group.code, inside.match) == ("12-17", "containing")
    assert "13 à 16 ans" in inside.note("fr") and "12 à 17 ans" in inside.note("fr")
    assert "13 to 16 years" in inside.note("en")
    wide = table.choose_group((30, 120))
    assert (wide.group.code, wide.match) == ("total", "total")
    assert "30 ans et plus" in wide.note("fr") and "tous âges" in wide.note("fr")


def test_bad_population_file_lists_every_problem_with_line_and_column():
    bad = (
        POPULATION_CSV
        + "99,Nulle part,2026,Projection,Révisée,12-25,12,25,10\n06,Montréal,2026,Projection,Révisée,12-25,12,25,-4\n"
    )
    bad += "06,Montréal,20x6,Projection,Révisée,12-25,12,25,10\n"
    with pytest.raises(DataValidationError) as info:
        parse_population(bad)
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {(12, "code_region"), (13, "population"), (14, "annee")}
    messages = [p.render("fr") for p in info.value.problems]
    assert any("ligne 12, colonne « code_region »" in m and "« 99 » inconnu" in m for m in messages)
    assert any("row 13" in p.render("en") and "“-4”" in p.render("en") for p in info.value.problems)


def test_duplicate_row_and_missing_column_are_reported():
    with pytest.raises(DataValidationError) as info:
        parse_population(POPULATION_CSV + "06,Montréal,2026,Projection,Révisée,12-25,12,25,5000\n")
    assert [(p.row, p.code) for p in info.value.problems] == [(12, "duplicate")]
    with pytest.raises(DataValidationError) as info:
        parse_population("code_region,annee,population\n06,2026,1\n")
    assert {p.column for p in info.value.problems} == {"type_donnee", "statut", "groupe_age", "age_min", "age_max"}


# --------------------------------------------------------------------------- the matrix


def test_counts_rates_and_gaps_by_hand(analysis):
    result = analysis.coverage(FilterState())
    assert result.year.year == 2026 and result.choice.group.code == "12-25"
    rue, heb, prev = (result.cell("06", c) for c in ("travail_de_rue", "hebergement", "prevention"))
    assert (rue.count, rue.population, rue.rate) == (1, 5000, pytest.approx(2.0))  # 1 / 5000 × 10 000
    assert heb.count == 0 and heb.gap and heb.rate == 0.0
    assert prev.gap
    # s2 is in 13 and serves 16: it counts for both.
    assert result.cell("13", "hebergement").count == 1 and result.cell("16", "hebergement").count == 1
    assert result.cell("16", "travail_de_rue").count == 1
    # Laval has a population of 0 in 2026, Montérégie no row at all: counts, but no rate and a reason.
    laval = result.cell("13", "hebergement")
    assert laval.rate is None and laval.notes == ("zero_population",)
    monteregie = result.cell("16", "travail_de_rue")
    assert (monteregie.population, monteregie.rate, monteregie.notes) == (None, None, ("no_population",))
    # Every region and type is there; 06 has gaps in every type but one.
    assert len(result.records()) == 17 * 9
    assert "hebergement" in result.gaps("06") and "travail_de_rue" not in result.gaps("06")


def test_year_selector_and_region_rows(analysis):
    result = analysis.coverage(FilterState(regions=("16", "06")), year=2021)
    assert result.regions == ("16", "06")
    assert result.cell("16", "travail_de_rue").rate == pytest.approx(1 / 8000 * 10_000)
    assert result.cell("06", "travail_de_rue").rate == pytest.approx(1 / 4000 * 10_000)
    # A year the file does not have falls back to the most recent.
    assert analysis.coverage(FilterState(), year="1999").year.year == 2026


def test_filters_apply_but_types_are_columns(analysis):
    result = analysis.coverage(FilterState(types=("prevention", "travail_de_rue"), age=(18, 25)))
    assert result.types == ("prevention", "travail_de_rue")
    # s3 (12–17) does not overlap 18–25: Montérégie's street work becomes a gap.
    assert result.cell("16", "travail_de_rue").count == 0
    assert result.choice.group.code == "18-25"
    assert result.cell("06", "travail_de_rue").rate == pytest.approx(1 / 3000 * 10_000)
    # The region filter picks rows; a region's count does not depend on which others are chosen.
    both = analysis.coverage(FilterState(regions=("13", "16")))
    assert both.cell("16", "hebergement").count == analysis.coverage(FilterState(regions=("16",))).cell("16", "hebergement").count


def test_region_info_counts_entries_and_verification_dates(analysis):
    info = analysis.info
    assert (info["06"].located, info["06"].serving, info["06"].latest) == (1, 1, date(2025, 3, 1))
    # 16's own entry (s3) has no date; s2, located in 13 and serving 16, gives 13 its date, not 16 (a line
    # serving every region would otherwise give each region the same « latest confirmation »).
    assert (info["16"].located, info["16"].serving, info["16"].undated, info["16"].latest) == (1, 2, 1, None)
    assert info["13"].latest == date(2026, 1, 15)
    assert (info["01"].serving, info["01"].latest) == (0, None)


def test_age_bands_of_a_region(analysis):
    bands = {b["group"].code: b for b in analysis.age_bands(FilterState(), "06")}
    assert list(bands) == ["0-11", "12-17", "18-25"]
    assert bands["12-17"]["counts"]["travail_de_rue"] == 1 and bands["12-17"]["population"] == 2000
    assert bands["12-17"]["rates"]["travail_de_rue"] == pytest.approx(5.0)
    bands16 = {b["group"].code: b for b in analysis.age_bands(FilterState(), "16")}
    assert bands16["12-17"]["counts"]["travail_de_rue"] == 1 and bands16["18-25"]["counts"]["travail_de_rue"] == 0
    assert bands16["12-17"]["population"] is None and bands16["12-17"]["rates"]["travail_de_rue"] is None


def test_a_service_whose_ages_are_not_stated_counts_in_no_band_but_apart(analysis):
    """s2 (hébergement, in 13, serving 16) states no ages: in no band of 16, in its own column."""
    bands16 = analysis.age_bands(FilterState(), "16")
    assert all(b["counts"]["hebergement"] == 0 for b in bands16)
    assert analysis.age_unknown(FilterState(), "16")["hebergement"] == 1
    assert analysis.age_unknown(FilterState(), "13") == {t: int(t == "hebergement") for t in analysis.type_codes}
    assert sum(analysis.age_unknown(FilterState(), "06").values()) == 0  # s1 states its ages
    # Filters other than age still apply: a type filter is the matrix's axis, a sector one is not.
    assert analysis.age_unknown(FilterState(age=(12, 17)), "16")["hebergement"] == 1


# --------------------------------------------------------------------------- accessibility


def test_nearest_distances_are_straight_lines_in_lambert(tiny, tiny_geo):
    model = AccessModel(tiny, tiny_geo)
    assert list(model.municipalities["nom"]) == [m[0] for m in MUNICIPALITIES[:4]]  # M5 has no population
    result = model.result(np.ones(len(tiny), dtype=bool))
    rue, heb, prev = (model.type_codes.index(c) for c in ("travail_de_rue", "hebergement", "prevention"))
    np.testing.assert_allclose(result.distance_km[:, rue], [0, 60, 100, 30], atol=1e-3)
    np.testing.assert_allclose(result.distance_km[:, heb], [130, 70, 0, 130], atol=1e-3)
    np.testing.assert_allclose(result.distance_km[:, prev], [230, 170, 100, 30], atol=1e-3)
    assert np.isinf(result.distance_km[:, model.type_codes.index("ligne_ecoute")]).all()


def test_population_shares_within_radius_count_across_borders(tiny, tiny_geo):
    model = AccessModel(tiny, tiny_geo)
    result = model.result(np.ones(len(tiny), dtype=bool))
    rue = model.type_codes.index("travail_de_rue")
    i06, i13, i16 = (schema.REGION_CODES.index(c) for c in ("06", "13", "16"))
    share50 = model.shares(result, 50)
    assert share50[i06, rue] == pytest.approx(1000 / 4000)
    assert share50[i13, rue] == 0.0 and share50[i16, rue] == 1.0
    share100 = model.shares(result, 100)
    assert share100[i06, rue] == 1.0 and share100[i13, rue] == 1.0  # M3 is exactly 100 km from S3, in 16
    assert math.isnan(share50[schema.REGION_CODES.index("01"), rue])  # no populated municipality
    assert model.population_beyond(result, 50)[i06, rue] == 3000


def test_two_step_floating_catchment_by_hand(tiny, tiny_geo):
    model = AccessModel(tiny, tiny_geo)
    result = model.result(np.ones(len(tiny), dtype=bool))
    assert result.fca_available
    rue = model.type_codes.index("travail_de_rue")
    # Supply sits at each service's nearest populated municipality: S1 at M1, S3 at M4 (30 km).
    # M1's 50 km catchment holds M1 only (M2 is 60 km away): 1/1000. M4's holds M4 (4000): 1/4000.
    np.testing.assert_allclose(result.fca[:, rue], [1 / 1000, 0, 0, 1 / 4000])
    by_region = model.region_fca(result)
    assert by_region[schema.REGION_CODES.index("06"), rue] == pytest.approx((1000 * (1 / 1000)) / 4000 * 100_000)
    assert by_region[schema.REGION_CODES.index("16"), rue] == pytest.approx(25.0)  # per 100,000
    assert by_region[schema.REGION_CODES.index("13"), rue] == 0.0
    # One type at a time (what the accessibility table asks for) gives the same column.
    np.testing.assert_allclose(model.region_fca(result, rue), by_region[:, rue])


def test_deserts_are_the_farthest_municipalities(tiny, tiny_geo):
    model = AccessModel(tiny, tiny_geo)
    result = model.result(np.ones(len(tiny), dtype=bool))
    deserts = model.deserts(result, "hebergement", n=3)
    assert list(deserts["nom"]) == ["Municipalité Quatre (fictive)", "Municipalité Un (fictive)", "Municipalité Deux (fictive)"]
    assert list(deserts["population"]) == [4000, 1000, 3000]
    only06 = model.deserts(result, "hebergement", regions=("06",))
    assert list(only06["distance_km"].round(3)) == [130.0, 70.0]


def test_results_follow_the_filters_and_are_cached(tiny, tiny_geo):
    model = AccessModel(tiny, tiny_geo)
    no_s1 = np.array([False, True, True])
    first = model.result(no_s1)
    assert model.result(no_s1.copy()) is first
    rue = model.type_codes.index("travail_de_rue")
    np.testing.assert_allclose(first.distance_km[:, rue], [230, 170, 100, 30], atol=1e-3)


def test_adjacency_from_polygons(tiny):
    near = adjacency(tiny)
    assert near["06"] == ("13",) and near["13"] == ("06", "16") and near["16"] == ("13",)


# --------------------------------------------------------------------------- nothing undefined on screen or in files


def _assert_clean(text: str) -> None:
    """No cell or value of an export spells an undefined number."""
    import re

    tokens = set(re.split(r"[;,\r\n\"\s:\[\]{}]+", text.lower()))
    assert not tokens & {"nan", "inf", "-inf", "infinity", "-infinity", "none"}


def test_empty_directory_gives_zeros_and_dashes_never_nan(tiny_geo):
    empty = build_directory([], tiny_geo)
    analysis = Analysis(empty, parse_population(POPULATION_CSV))
    result = analysis.coverage(FilterState(age=(13, 16)))
    assert result.matching == 0 and all(c.count == 0 and c.gap for c in result.records())
    for cell in result.records():
        assert cell.rate is None or math.isfinite(cell.rate)
        assert all(v is None or math.isfinite(v) for v in cell.share.values())
    for lang in ("fr", "en"):
        text = coverage_export.coverage_bytes(result, "csv", lang).decode("utf-8-sig")
        _assert_clean(text)
        document = json.loads(coverage_export.coverage_bytes(result, "json", lang))
        assert document["rows"][0]["rate"] is None and document["rows"][0]["note"]
    deserts = analysis.access.deserts(result.access, "hebergement")
    assert coverage_format.km(deserts["distance_km"].iloc[0], "fr") == "—"


def test_formatting_never_shows_nan_or_infinity():
    for value in (None, float("nan"), float("inf"), -float("inf")):
        assert coverage_format.rate(value, "fr") == "—"
        assert coverage_format.share(value, "en") == "—"
        assert coverage_format.km(value, "fr") == "—"
        assert coverage_format.count(value, "fr") == "—"
    assert coverage_format.rate(0.355, "fr") == "0,36" and coverage_format.rate(0.355, "en") == "0.36"
    assert coverage_format.share(0.8712, "fr") == "87\u00a0%" and coverage_format.share(0.8712, "en") == "87%"
    assert coverage_format.km(1773.76, "fr") == "1\u00a0774 km"


def test_export_rows_by_hand(analysis):
    result = analysis.coverage(FilterState(regions=("06", "13"), types=("travail_de_rue",)))
    text = coverage_export.coverage_bytes(result, "csv", "fr").decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0].startswith("code_region;region;code_type;type;nombre_services;population_jeunes;taux_par_10000")
    assert lines[1].startswith("06;Montréal;travail_de_rue;Travail de rue;1;5000;2,0;25,0;12 à 25 ans;2026;")
    assert lines[2].startswith("13;Laval;travail_de_rue;Travail de rue;0;0;;0,0;")
    assert "Population nulle" in lines[2] and "Aucun service de ce type" in lines[2]
    english = coverage_export.coverage_bytes(result, "csv", "en").decode("utf-8-sig").split("\r\n")
    assert english[1].startswith("06,Montréal,travail_de_rue,Street outreach,1,5000,2.0,25.0,12 to 25 years,2026,")


# --------------------------------------------------------------------------- the shipped data


def test_shipped_rates_match_the_population_file(shipped):
    import csv

    from maillage_dash.coverage.population import POPULATION_FILE

    with POPULATION_FILE.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    youth_2026 = {r["code_region"]: int(r["population"]) for r in rows if r["annee"] == "2026" and r["groupe_age"] == "12-25"}
    assert len(youth_2026) == 17
    analysis = Analysis(shipped, load_population())
    result = analysis.coverage(FilterState())
    services = shipped.services
    for region in schema.REGION_CODES:
        serving = (services["region"] == region) | services["regions_desservies"].map(lambda v, r=region: r in v)
        for type_code in result.types:
            expected = int((serving & services["types"].map(lambda v, c=type_code: c in v)).sum())
            cell = result.cell(region, type_code)
            assert cell.count == expected, (region, type_code)
            assert cell.population == youth_2026[region]
            assert cell.rate == pytest.approx(expected / youth_2026[region] * 10_000)
    # Montréal, 12–17 in 2019 (an estimate): straight from the file as well.
    m2019 = next(int(r["population"]) for r in rows if (r["code_region"], r["annee"], r["groupe_age"]) == ("06", "2019", "12-17"))
    teen = analysis.coverage(FilterState(age=(12, 17), regions=("06",)), year=2019)
    assert teen.population["06"] == m2019 and not teen.year.projected


def test_shipped_adjacency_makes_geographic_sense(shipped):
    near = adjacency(shipped)
    assert set(near["06"]) == {"13", "14", "15", "16"}
    assert set(near["13"]) == {"06", "14", "15"}
    assert "05" in near["16"] and "17" in near["16"] and "06" in near["16"]
    assert near["11"] == ("01", "09")
    assert all(code in near[other] for code, others in near.items() for other in others)  # symmetric


def test_nearest_distances_equal_a_plain_sjoin_nearest_on_every_matching_service(shipped):
    """The per-type query on distinct points is an optimisation: the definition is GeoPandas'
    sjoin_nearest from every populated municipality to every matching service of the type."""
    model = AccessModel(shipped, shipped.geography)
    rng = np.random.default_rng(4)
    for keep in (np.ones(len(shipped), dtype=bool), rng.random(len(shipped)) < 0.5, rng.random(len(shipped)) < 0.2):
        got = model.result(keep).distance_km
        positions = model.services["pos"].to_numpy()
        for j in range(len(model.type_codes)):
            wanted = keep[positions] & model.types[positions, j]
            if not wanted.any():
                assert np.isinf(got[:, j]).all()
                continue
            joined = gpd.sjoin_nearest(
                model.municipalities[["geometry"]], model.services.loc[wanted, ["geometry"]], how="left", distance_col="m"
            )
            expected = joined.groupby(level=0)["m"].min().sort_index().to_numpy() / 1000.0
            np.testing.assert_allclose(got[:, j], expected, rtol=0, atol=1e-9)
