"""HSDS 3.0 files: the JSON form (one page of compiled services, as the API's ``/services`` answers) and
the tabular data package (one CSV per table of HSDS's ``datapackage.json``, plus that descriptor), and
their validation against the official schemas (jsonschema)."""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from maillage_dash.exchange import hsds

SCHEMAS = Path(__file__).with_name("hsds_schema")
# Nested lists of a compiled service, flattened into their own tables (table, key in the parent, parent key).
TABLES = (
    "organization",
    "service",
    "location",
    "service_at_location",
    "address",
    "phone",
    "language",
    "service_area",
    "attribute",
    "taxonomy_term",
    "taxonomy",
)


@cache
def descriptor() -> dict[str, Any]:
    return json.loads((SCHEMAS / "datapackage.json").read_text(encoding="utf-8"))


@cache
def service_validator() -> Any:
    import jsonschema  # imported when first needed: start-up does not pay for it

    schema = json.loads((SCHEMAS / "compiled" / "service.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def validation_errors(service: dict[str, Any], limit: int = 5) -> list[str]:
    """What makes ``service`` invalid against HSDS 3.0's compiled service schema (path: message)."""
    out = []
    for error in service_validator().iter_errors(service):
        path = "/".join(str(p) for p in error.absolute_path) or "(service)"
        out.append(f"{path}: {error.message[:200]}")
        if len(out) >= limit:
            break
    return out


def page(contents: list[dict[str, Any]]) -> dict[str, Any]:
    """One page holding everything, in the shape of the OpenAPI ``Page`` (``/services``)."""
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }


def json_bytes(frame: pd.DataFrame, lang: str = "fr") -> bytes:
    return json.dumps(page(hsds.services(frame, lang)), ensure_ascii=False, indent=1).encode("utf-8")


def _rows(frame: pd.DataFrame, lang: str) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    orgs: dict[str, dict[str, Any]] = {}
    for service in hsds.services(frame, lang):
        org = service.pop("organization")
        orgs.setdefault(org["id"], org)
        for phone in service.pop("phones"):
            tables["phone"].append(phone)
        for language in service.pop("languages"):
            tables["language"].append(language)
        for area in service.pop("service_areas"):
            tables["service_area"].append(area)
        for attribute in service.pop("attributes"):
            term = attribute.pop("taxonomy_term")
            tables["attribute"].append(attribute)
            if not any(t["id"] == term["id"] for t in tables["taxonomy_term"]):
                tables["taxonomy_term"].append(term)
        for sal in service.pop("service_at_locations"):
            location = sal.pop("location")
            for address in location.pop("addresses"):
                tables["address"].append(address)
            tables["location"].append(location)
            tables["service_at_location"].append(sal)
        tables["service"].append(service)
    tables["organization"] = list(orgs.values())
    tables["taxonomy"] = [hsds.taxonomy_object()]
    return tables


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return ""
    return str(value)


def tabular_files(frame: pd.DataFrame, lang: str = "fr") -> dict[str, bytes]:
    """File name → bytes: every table of the HSDS descriptor (empty ones with their header) and
    ``datapackage.json`` itself (the official descriptor, unchanged)."""
    rows = _rows(frame, lang)
    out: dict[str, bytes] = {}
    for resource in descriptor()["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(fields)
        for row in rows.get(resource["name"], []):
            writer.writerow([_cell(row.get(name)) for name in fields])
        out[resource["path"]] = buffer.getvalue().encode("utf-8")
    out["datapackage.json"] = (SCHEMAS / "datapackage.json").read_bytes()
    return out


def write_tabular(frame: pd.DataFrame, folder: Path, lang: str = "fr") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, body in tabular_files(frame, lang).items():
        path = folder / name
        path.write_bytes(body)
        written.append(path)
    return written
