"""A spreadsheet exported with the headers people read (French or English, CSV or Excel) imports back
as the same entries; the HSDS files keep HSDS's own field names."""

from __future__ import annotations

import csv
import io
import json

import pytest

from maillage_dash import export, schema
from maillage_dash.exchange import importing, package, reading
from maillage_dash.filters import FilterState


def ctx_of(app):
    return app.server.extensions["maillage_server_context"]


@pytest.mark.parametrize(("lang", "fmt"), [("fr", "csv"), ("en", "xlsx"), ("fr", "xlsx"), ("en", "csv")])
def test_exported_spreadsheet_imports_back_unchanged(live_app, shipped, geography, lang, fmt):
    store = ctx_of(live_app).store
    data = export.export_bytes(shipped.services, fmt, lang, FilterState())
    source = reading.read_bytes(data, export.filename(fmt, lang))
    assert source.kind == "template" and source.tables[0].headers[1] == schema.column_label("nom", lang)
    plan = importing.plan(store, source, geography)
    assert not plan.refused, [p.render("en") for p in plan.problems][:5]
    assert [i.id for i in plan.new] == []
    assert [(i.id, [c.column for c in i.changes]) for i in plan.changed] == []
    assert len(plan.unchanged) == len(shipped) and plan.absent == []


def test_hsds_files_keep_hsds_field_names(shipped):
    """The readable headers are for spreadsheets only: HSDS files are read by machines that expect HSDS's names."""
    for name, raw in package.tabular_files(shipped.services).items():
        if not name.endswith(".csv"):
            continue
        fields = [f["name"] for r in package.descriptor()["resources"] if r["path"] == name for f in r["schema"]["fields"]]
        header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert fields and header == fields, name
    service = json.loads(package.json_bytes(shipped.services))["contents"][0]
    assert {"id", "name", "organization", "minimum_age", "maximum_age", "service_areas", "attributes"} <= set(service)
    assert not set(service) & {schema.column_label(n, lang) for n in schema.TEMPLATE_NAMES for lang in ("fr", "en")}
