"""HSDS 3.0 out and in: schema-valid exports, a round trip that changes nothing, confidentiality both
ways, the official examples, and bad files."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from frictionless import validate

from maillage_dash.exchange import hsds, package, reading
from maillage_dash.loading import parse_tables
from maillage_dash.validation import errors_of

HSDS_EXAMPLES = Path(__file__).with_name("hsds_examples")  # copies of ../shared/hsds/examples (README there)
COMPARED = (
    "nom",
    "organisme",
    "types",
    "age_min",
    "age_max",
    "public_cible",
    "municipalite",
    "region",
    "regions_desservies",
    "secteurs",
    "partenaires",
    "description",
    "description_en",
    "langues",
    "adresse",
    "telephones",
    "courriel",
    "site_web",
    "confidentiel",
    "statut",
    "confirme_le",
    "confirme_par",
    "confirme_source",
    "source",
    "note_verification",
    "lat",
    "lon",
    "point_exact",
)


def records_of(source, geography):
    records, problems = parse_tables(source.tables, geography)
    assert errors_of(problems) == [], [p.render("en") for p in errors_of(problems)][:5]
    return {r["id"]: r for r in records}


def test_json_export_is_schema_valid_and_a_page(shipped):
    body = json.loads(package.json_bytes(shipped.services))
    assert set(body) == {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}
    assert body["total_items"] == len(shipped) == len(body["contents"])
    invalid = {s["name"]: package.validation_errors(s) for s in body["contents"] if package.validation_errors(s)}
    assert invalid == {}


def test_the_validator_does_catch_an_invalid_service(shipped):
    service = hsds.service_object(shipped.services.iloc[0])
    service["status"] = "ouvert"
    del service["name"]
    errors = package.validation_errors(service)
    assert any("status" in e for e in errors) and any("name" in e for e in errors)


def test_tabular_export_is_a_valid_frictionless_package(shipped, tmp_path):
    package.write_tabular(shipped.services, tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, [(t.name, e.message) for t in report.tasks for e in t.errors][:5]
    services = list(__import__("csv").DictReader((tmp_path / "services.csv").open(encoding="utf-8")))
    assert len(services) == len(shipped)


@pytest.mark.parametrize("form", ["json", "tabular"])
def test_round_trip_changes_nothing(shipped, geography, tmp_path, form):
    if form == "json":
        source = reading.read_bytes(package.json_bytes(shipped.services), "maillage.json", geography)
    else:
        package.write_tabular(shipped.services, tmp_path / "pkg")
        source = reading.read_path(tmp_path / "pkg", geography)
    assert source.unmapped == {} and source.problems == []
    assert source.confidential == set()  # Maillage's own export holds no shelter's address: none « not kept »
    back = records_of(source, geography)
    assert set(back) == set(shipped.services.index)
    for service_id, rec in shipped.services.iterrows():
        for column in COMPARED:
            before, after = rec[column], back[service_id][column]
            if column in ("lat", "lon"):
                assert after == pytest.approx(before, abs=1e-4), (service_id, column)
            elif column in ("age_min", "age_max"):
                assert (None if pd.isna(before) else int(before)) == (None if after is None else int(after)), (service_id, column)
            elif column == "telephones":
                assert len(before) == len(after) and set(before) == set(after), (service_id, column)
            else:
                assert before == after, (service_id, column, before, after)


def test_a_shelter_leaves_and_enters_with_its_municipality_only(shipped, geography):
    shelters = shipped.services[shipped.services["confidentiel"]]
    assert len(shelters) > 0
    for _, rec in shelters.iterrows():
        service = hsds.service_object(rec)
        location = service["service_at_locations"][0]["location"]
        assert location["addresses"] == []
        place = geography.gazetteer.candidates(rec["municipalite"])[0]
        assert (location["latitude"], location["longitude"]) == (round(place.lat, 5), round(place.lon, 5))
        assert not [a for a in service["attributes"] if a["link_type"] == "address"]
    # A package that carries a shelter's street address and exact point: only the municipality is kept.
    service = hsds.service_object(shelters.iloc[0])
    location = service["service_at_locations"][0]["location"]
    location["addresses"] = [
        {
            "id": hsds.uid("x"),
            "address_1": "123 rue Secrète",
            "city": location["name"],
            "state_province": "QC",
            "postal_code": "G1K 1A1",
            "country": "CA",
            "address_type": "physical",
        }
    ]
    location["latitude"], location["longitude"] = 46.81234, -71.20567
    source = reading.read_bytes(json.dumps([service]).encode(), "abri.json", geography)
    (record,) = records_of(source, geography).values()
    assert record["adresse"] == "" and record["confidentiel"] and not record["point_exact"]
    assert "123 rue" not in json.dumps(source.tables[0].rows)
    assert len(source.confidential) == 1  # the one address the package held is said « not kept »


def test_official_examples_are_read_with_a_report(geography):
    single = reading.read_path(HSDS_EXAMPLES / "service_full.json", geography)
    assert single.unmapped and not single.mapped  # the examples' terms are placeholders ("code", "name")
    records, problems = parse_tables(single.tables, geography)
    codes = {p.code for p in errors_of(problems)}
    assert "outside_quebec_plain" in codes  # MyCity is not in Québec: refused, with the reason
    tabular = reading.read_path(HSDS_EXAMPLES / "csv", geography)
    assert tabular.kind == "hsds-tabular" and tabular.tables and tabular.tables[0].rows
    old = reading.read_path(HSDS_EXAMPLES / "hsds-1.1-all_resources", geography)
    assert [p.code for p in old.problems] == ["hsds_version"]
    assert "HSDS 3.0" in old.problems[0].message("fr")


def test_bad_files_get_clear_messages(geography, shipped):
    broken = reading.read_bytes(b'{"contents": [ {"id": 1,, }', "x.json", geography)
    assert broken.problems[0].code == "hsds_json" and broken.problems[0].params["line"] == 1
    assert "colonne" in broken.problems[0].message("fr")
    shape = reading.read_bytes(b'{"hello": "world"}', "x.json", geography)
    assert shape.problems[0].code == "hsds_shape"
    service = hsds.service_object(shipped.services.iloc[0])
    twice = reading.read_bytes(json.dumps([service, service]).encode(), "twice.json", geography)
    assert [p.code for p in twice.problems] == ["hsds_duplicate_id"]
    png = reading.read_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "photo.png", geography)
    assert png.problems[0].code == "file_kind"
    big = reading.read_bytes(b"x" * (reading.MAX_BYTES + 1), "huge.csv", geography)
    assert big.problems[0].code == "file_too_big"


def test_zip_bombs_and_crowded_zips_are_refused(geography):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", "{}")
        archive.writestr("services.csv", b"0" * (reading.MAX_BYTES + 10))  # a few KB compressed
    assert len(buffer.getvalue()) < 200_000
    bomb = reading.read_bytes(buffer.getvalue(), "bombe.zip", geography)
    assert [p.code for p in bomb.problems] == ["zip_too_big"]
    crowded = io.BytesIO()
    with zipfile.ZipFile(crowded, "w") as archive:
        for i in range(reading.MAX_FILES + 1):
            archive.writestr(f"f{i}.csv", "a")
    assert [p.code for p in reading.read_bytes(crowded.getvalue(), "plein.zip", geography).problems] == ["zip_too_many"]
    assert [p.code for p in reading.read_bytes(b"PK\x03\x04garbage", "faux.zip", geography).problems] == ["zip_bad"]
