"""Reading what a coordinator brings: a template spreadsheet (CSV/XLSX), an HSDS 3.0 JSON file, an HSDS
tabular package (a folder or a zip holding ``datapackage.json`` and its CSV files). Everything becomes
template rows (:class:`maillage_dash.loading.RawTable`), so the same validation, messages and preview
apply; what could not be read or mapped is reported, never dropped."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maillage_dash import schema
from maillage_dash.config import REFERENCE_DIR
from maillage_dash.exchange import hsds
from maillage_dash.exchange.package import validation_errors
from maillage_dash.geo import Geography
from maillage_dash.loading import RawTable, read_csv_bytes, read_xlsx_bytes
from maillage_dash.phones import parse_phones
from maillage_dash.text import fold
from maillage_dash.validation import Problem

MAX_BYTES = 20 * 2**20  # one upload, and the whole of a zip once unpacked
MAX_FILES = 64
MAPPING_FILE = REFERENCE_DIR / "hsds_taxonomie.csv"
COLUMNS = list(schema.TEMPLATE_NAMES)
MAPPED_FIELDS = ("types_service", "secteurs", "public_cible")


@dataclass
class Source:
    """What was read: template tables, problems, and for HSDS what was mapped and what was not."""

    name: str
    kind: str  # "template", "hsds-json", "hsds-tabular"
    tables: list[RawTable] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    mapped: dict[str, int] = field(default_factory=dict)  # "term → field:code" → uses
    unmapped: dict[str, int] = field(default_factory=dict)  # term → uses
    confidential: set[str] = field(default_factory=set)  # row keys whose address was dropped


# --------------------------------------------------------------------------- taxonomy mapping


def load_mapping(path: Path = MAPPING_FILE) -> dict[str, tuple[str, str]]:
    """Folded term (code or name) → (template column, Maillage code), from the editable CSV."""
    out: dict[str, tuple[str, str]] = {}
    if not path.is_file():
        return out
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            term, column, code = (
                (row.get("terme") or "").strip(),
                (row.get("champ") or "").strip(),
                (row.get("code") or "").strip(),
            )
            if term and column in MAPPED_FIELDS and code:
                out[fold(term)] = (column, code)
    return out


def map_term(term: dict[str, Any], mapping: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """Maillage's own terms (``type:hebergement``) directly; others through the mapping file."""
    code = str(term.get("code") or "")
    kind, _, value = code.partition(":")
    if term.get("taxonomy") == hsds.TAXONOMY or kind in hsds.CODED:
        column = {"type": "types_service", "secteur": "secteurs", "public": "public_cible"}.get(kind)
        if column:
            return column, value
        return None
    for key in (code, str(term.get("name") or ""), str(term.get("term_uri") or "")):
        if key and fold(key) in mapping:
            return mapping[fold(key)]
    return None


# --------------------------------------------------------------------------- HSDS → template rows


def _value(attrs: list[dict[str, Any]], kind: str) -> list[str]:
    return [str(a.get("value") or "") for a in attrs if a.get("link_type") == kind and a.get("value")]


def _codes(attrs: list[dict[str, Any]], kind: str) -> list[str]:
    out = []
    for a in attrs:
        term = a.get("taxonomy_term") or {}
        code = str(term.get("code") or "")
        if code.startswith(kind + ":"):
            out.append(code.split(":", 1)[1])
    return out


def service_row(
    service: dict[str, Any], mapping: dict[str, tuple[str, str]], source: Source, geography: Geography | None = None
) -> dict[str, str]:
    """One HSDS service as template cells (as a coordinator would have typed them)."""
    attrs = list(service.get("attributes") or [])
    org = service.get("organization") or {}
    locations = [sal.get("location") or {} for sal in service.get("service_at_locations") or []]
    location = locations[0] if locations else {}
    addresses = list(location.get("addresses") or [])
    physical = next((a for a in addresses if a.get("address_type") == "physical"), addresses[0] if addresses else {})
    confidential = any(v.lower() in ("true", "oui", "yes", "1") for v in _value(attrs, "confidential_address"))

    row: dict[str, str] = {name: "" for name in COLUMNS}
    ids = _value(attrs, "maillage_id")
    row["id"] = ids[0] if ids else ("hsds-" + str(service.get("id", ""))[:36] if service.get("id") else "")
    row["nom"] = str(service.get("name") or "")
    row["organisme"] = str(org.get("name") or "")
    mapped: dict[str, list[str]] = {name: [] for name in MAPPED_FIELDS}
    for attribute in attrs:
        term = attribute.get("taxonomy_term") or {}
        kind = str(attribute.get("link_type") or "")
        if kind in hsds.VALUED or kind in ("statut", "confirmation"):
            continue
        target = map_term(term, mapping)
        label = str(term.get("code") or term.get("name") or attribute.get("taxonomy_term_id") or "?")
        if target is None:
            source.unmapped[label] = source.unmapped.get(label, 0) + 1
            continue
        column, code = target
        if code not in mapped[column]:
            mapped[column].append(code)
        key = f"{label} → {column}:{code}"
        source.mapped[key] = source.mapped.get(key, 0) + 1
    for name in MAPPED_FIELDS:
        row[name] = ";".join(mapped[name])
    for name, key in (("age_min", "minimum_age"), ("age_max", "maximum_age")):
        value = service.get(key)
        row[name] = "" if value is None else (str(int(value)) if float(value).is_integer() else str(value))
    areas = list(service.get("service_areas") or [])
    own_area = [str(a.get("name") or "")[:2] for a in areas if str(a.get("description") or "").startswith(hsds.OWN_AREA)]
    served = [
        str(a.get("name") or "")[:2]
        for a in areas
        if not str(a.get("description") or "").startswith(hsds.OWN_AREA) or "aussi desservie" in str(a.get("description") or "")
    ]
    row["regions_desservies"] = ";".join(code for code in served if code in schema.REGIONS)
    name = str(physical.get("city") or location.get("name") or "")
    if geography is not None and own_area and len({p.region for p in geography.gazetteer.candidates(name)}) > 1:
        name = f"{name} ({own_area[0]})"  # « Saint-Lambert (16) »: the same name exists in two regions
    row["municipalite"] = name
    ours = bool(_value(attrs, "maillage_id"))
    exact = any(v.lower() == "true" for v in _value(attrs, "exact_point"))
    if location.get("latitude") is not None and location.get("longitude") is not None and (exact or not ours):
        # Maillage's own export gives the municipality's point unless the point is exact: keep it blank then.
        row["latitude"], row["longitude"] = str(location["latitude"]), str(location["longitude"])
    row["partenaires"] = ";".join(_value(attrs, "partner"))
    row["description"] = str(service.get("description") or "")
    row["description_en"] = ";".join(_value(attrs, "description_en"))
    row["langues"] = ";".join(str(lg.get("code") or "") for lg in service.get("languages") or [] if lg.get("code"))
    written = _value(attrs, "address")
    if confidential:
        row["adresse"] = ""  # a shelter keeps its municipality only, whatever the package held
        if written or physical.get("address_1"):  # (only an address the package did hold is « not kept »)
            source.confidential.add(row["id"] or row["nom"])
    elif written:
        row["adresse"] = written[0]
    elif physical:
        row["adresse"] = ", ".join(str(physical.get(k) or "") for k in ("address_1", "city", "postal_code") if physical.get(k))
    if confidential:
        row["latitude"] = row["longitude"] = ""  # back to the municipality's point
    row["adresse_confidentielle"] = "oui" if confidential else "non"
    lines = []
    for phone in service.get("phones") or []:
        text = str(phone.get("description") or "")
        parsed, problems = parse_phones(text) if text else ((), ["none"])
        if parsed and not problems:
            lines.append(text)
        else:
            lines.append(
                f"accueil: {phone.get('number', '')}" + (f" poste {phone['extension']}" if phone.get("extension") else "")
            )
    row["telephones"] = "; ".join(lines)
    row["courriel"] = str(service.get("email") or "")
    row["site_web"] = str(service.get("url") or "")
    statuses = _codes(attrs, "statut")
    status = str(service.get("status") or "")
    row["statut"] = (
        statuses[0]
        if statuses
        else {"active": "a_confirmer", "defunct": "termine", "inactive": "termine"}.get(status, "a_confirmer")
    )
    row["confirme_le"] = str(service.get("assured_date") or "")[:10]
    methods = _codes(attrs, "confirmation")
    row["confirme_source"] = ";".join(_value(attrs, "confirmation_source"))
    # A publisher's own date with no word on how: its list, when it says where (a network's list is a document).
    listed = row["confirme_le"] and row["confirme_source"]
    row["confirme_par"] = methods[0] if methods else ("repertoire_reseau" if listed else "")
    row["source"] = ";".join(_value(attrs, "source"))
    row["note_verification"] = ";".join(_value(attrs, "verification_note"))
    return row


def _rows_table(name: str, services: list[dict[str, Any]], source: Source, geography: Geography | None) -> RawTable:
    mapping = load_mapping()
    rows = [(i + 1, [service_row(s, mapping, source, geography).get(c, "") for c in COLUMNS]) for i, s in enumerate(services)]
    return RawTable(name, list(COLUMNS), rows)


def _check_services(name: str, services: list[Any], source: Source) -> list[dict[str, Any]]:
    good = []
    seen: dict[str, int] = {}
    for i, service in enumerate(services, start=1):
        if not isinstance(service, dict):
            source.problems.append(Problem(name, i, None, "hsds_not_service"))
            continue
        errors = validation_errors(service)
        if errors:
            source.problems.append(
                Problem(
                    name, i, None, "hsds_invalid", {"service": str(service.get("name", "?"))[:80], "errors": "; ".join(errors)}
                )
            )
            continue
        sid = str(service["id"])
        if sid in seen:
            source.problems.append(Problem(name, i, "id", "hsds_duplicate_id", {"value": sid, "first": seen[sid]}))
            continue
        seen[sid] = i
        good.append(service)
    return good


def read_hsds_json(raw: bytes, name: str, geography: Geography | None = None) -> Source:
    source = Source(name, "hsds-json")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        source.problems.append(Problem(name, None, None, "file_encoding"))
        return source
    except json.JSONDecodeError as exc:
        source.problems.append(
            Problem(name, exc.lineno, None, "hsds_json", {"line": exc.lineno, "column": exc.colno, "error": exc.msg})
        )
        return source
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        services = data["contents"]
    elif isinstance(data, list):
        services = data
    elif isinstance(data, dict) and "name" in data and "id" in data and "status" in data:
        services = [data]
    else:
        source.problems.append(Problem(name, None, None, "hsds_shape"))
        return source
    if not services:
        source.problems.append(Problem(name, None, None, "file_empty"))
        return source
    good = _check_services(name, services, source)
    source.tables.append(_rows_table(name, good, source, geography))
    return source


def _csv_dicts(raw: bytes) -> list[dict[str, str]]:
    text = raw.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _typed(row: dict[str, str], types: dict[str, str]) -> dict[str, Any]:
    """Cells as the package's Table Schema types them (numbers, integers, booleans); the rest as text."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        kind = types.get(key)
        if value in ("", None) or kind not in ("number", "integer", "boolean"):
            out[key] = value
            continue
        try:
            out[key] = (
                {"number": float, "integer": int}[kind](value) if kind != "boolean" else value.lower() in ("true", "1", "yes")
            )
        except ValueError:
            out[key] = value  # left as text: the schema validation names it
    return out


def read_hsds_tabular(files: dict[str, bytes], name: str, geography: Geography | None = None) -> Source:
    """A tabular package: ``datapackage.json`` + the CSV tables; reassembled into compiled services."""
    source = Source(name, "hsds-tabular")
    try:
        package = json.loads(files["datapackage.json"].decode("utf-8-sig"))
    except (KeyError, UnicodeDecodeError, json.JSONDecodeError):
        source.problems.append(Problem(name, None, None, "hsds_no_descriptor"))
        return source
    resources = {str(r.get("name")): str(r.get("path")) for r in package.get("resources", []) if isinstance(r, dict)}
    older = {
        "services",
        "physical_addresses",
        "physical_address",
        "eligibility",
        "services_taxonomy",
        "service_taxonomy",
        "regular_schedule",
        "holiday_schedule",
    }
    if "service" not in resources or older & set(resources) or "attribute" not in resources:
        version = str(package.get("version") or ("1.x/2.x" if older & set(resources) else "?"))
        source.problems.append(Problem(name, None, None, "hsds_version", {"version": version}))
        return source
    types = {
        str(r.get("name")): {
            f.get("name"): f.get("type") for f in (r.get("schema") or {}).get("fields", []) if isinstance(f, dict)
        }
        for r in package.get("resources", [])
        if isinstance(r, dict)
    }
    tables: dict[str, list[dict[str, Any]]] = {}
    for resource, path in resources.items():
        raw = files.get(Path(path).name)
        if raw is None:
            continue
        try:
            tables[resource] = [_typed(row, types.get(resource, {})) for row in _csv_dicts(raw)]
        except UnicodeDecodeError:
            source.problems.append(Problem(f"{name}/{path}", None, None, "file_encoding"))
    if "service" not in tables:
        source.problems.append(Problem(name, None, None, "hsds_missing_table", {"table": resources["service"]}))
        return source

    def by(table: str, key: str) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for row in tables.get(table, []):
            out.setdefault(row.get(key, ""), []).append(row)
        return out

    orgs = {r.get("id"): r for r in tables.get("organization", [])}
    terms = {r.get("id"): r for r in tables.get("taxonomy_term", [])}
    locations = {r.get("id"): r for r in tables.get("location", [])}
    addresses, phones, languages = by("address", "location_id"), by("phone", "service_id"), by("language", "service_id")
    areas, attributes, sals = (
        by("service_area", "service_id"),
        by("attribute", "link_id"),
        by("service_at_location", "service_id"),
    )
    services = []
    for row in tables["service"]:
        sid = row.get("id", "")
        service: dict[str, Any] = {k: v for k, v in row.items() if v not in ("", None)}
        for key in ("minimum_age", "maximum_age"):
            if key in service:
                try:
                    service[key] = float(service[key])
                except ValueError:
                    source.problems.append(Problem(name, None, key, "hsds_number", {"value": service[key], "service": sid}))
                    service.pop(key)
        org = orgs.get(row.get("organization_id"))
        if org:
            service["organization"] = {k: v for k, v in org.items() if v}
        service["attributes"] = [
            {
                **{k: v for k, v in a.items() if v},
                "taxonomy_term": {k: v for k, v in terms.get(a.get("taxonomy_term_id"), {}).items() if v},
            }
            for a in attributes.get(sid, [])
        ]
        service["phones"] = [{k: v for k, v in p.items() if v and k != "extension"} for p in phones.get(sid, [])]
        service["languages"] = [{k: v for k, v in lg.items() if v} for lg in languages.get(sid, [])]
        service["service_areas"] = [{k: v for k, v in a.items() if v} for a in areas.get(sid, [])]
        service["service_at_locations"] = []
        for sal in sals.get(sid, []):
            loc = dict(locations.get(sal.get("location_id"), {}))
            for key in ("latitude", "longitude"):
                try:
                    loc[key] = float(loc[key]) if loc.get(key) not in (None, "") else None
                except ValueError:
                    loc[key] = None
            loc = {k: v for k, v in loc.items() if v not in ("", None)}
            loc["addresses"] = [{k: v for k, v in a.items() if v} for a in addresses.get(sal.get("location_id"), [])]
            service["service_at_locations"].append({**{k: v for k, v in sal.items() if v}, "location": loc})
        services.append(service)
    good = _check_services(name, services, source)
    source.tables.append(_rows_table(name, good, source, geography))
    return source


# --------------------------------------------------------------------------- any file


def unzip(raw: bytes, name: str, source: Source) -> dict[str, bytes] | None:
    """The files of a zip, refusing what could harm: too many files, too big once unpacked, paths."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        source.problems.append(Problem(name, None, None, "zip_bad"))
        return None
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_FILES:
        source.problems.append(Problem(name, None, None, "zip_too_many", {"count": len(infos), "limit": MAX_FILES}))
        return None
    total = sum(i.file_size for i in infos)
    if total > MAX_BYTES:
        source.problems.append(
            Problem(name, None, None, "zip_too_big", {"size_mb": round(total / 2**20), "limit_mb": MAX_BYTES // 2**20})
        )
        return None
    out: dict[str, bytes] = {}
    for info in infos:
        # Read by blocks with a running total: a zip that lies about its sizes is stopped too.
        data = bytearray()
        with archive.open(info) as fh:
            while block := fh.read(1 << 16):
                data += block
                if len(data) > MAX_BYTES:
                    source.problems.append(
                        Problem(name, None, None, "zip_too_big", {"size_mb": ">20", "limit_mb": MAX_BYTES // 2**20})
                    )
                    return None
        out[Path(info.filename).name] = bytes(data)
    return out


def read_bytes(raw: bytes, name: str, geography: Geography | None = None) -> Source:
    """One uploaded or named file, whatever its kind (told by its content first, then its name)."""
    if len(raw) > MAX_BYTES:
        return Source(
            name,
            "?",
            problems=[
                Problem(name, None, None, "file_too_big", {"size_mb": round(len(raw) / 2**20), "limit_mb": MAX_BYTES // 2**20})
            ],
        )
    suffix = Path(name).suffix.lower()
    if raw[:4] == b"PK\x03\x04" and suffix != ".xlsx":
        source = Source(name, "hsds-tabular")
        files = unzip(raw, name, source)
        if files is None:
            return source
        if "datapackage.json" in files:
            return read_hsds_tabular(files, name, geography)
        templates = [n for n in files if Path(n).suffix.lower() in (".csv", ".xlsx")]
        if not templates:
            source.problems.append(Problem(name, None, None, "file_kind"))
            return source
        source = Source(name, "template")
        for member in sorted(templates):
            table = (
                read_xlsx_bytes(files[member], member)
                if member.lower().endswith(".xlsx")
                else read_csv_bytes(files[member], member)
            )
            source.tables.append(table)
        return source
    if suffix == ".json" or raw.lstrip()[:1] in (b"{", b"["):
        return read_hsds_json(raw, name, geography)
    if suffix == ".xlsx":
        return Source(name, "template", tables=[read_xlsx_bytes(raw, name)])
    if suffix in (".csv", ".txt", ""):
        if b"\x00" in raw[:4096]:
            return Source(name, "?", problems=[Problem(name, None, None, "file_kind")])
        return Source(name, "template", tables=[read_csv_bytes(raw, name)])
    return Source(name, "?", problems=[Problem(name, None, None, "file_kind")])


def read_path(path: Path, geography: Geography | None = None) -> Source:
    """A file, or a folder (an HSDS tabular package when it holds ``datapackage.json``, else template files)."""
    if path.is_dir():
        files = {p.name: p.read_bytes() for p in path.iterdir() if p.is_file() and p.stat().st_size <= MAX_BYTES}
        if "datapackage.json" in files:
            return read_hsds_tabular(files, path.name, geography)
        source = Source(path.name, "template")
        for name in sorted(files):
            if Path(name).suffix.lower() == ".csv":
                source.tables.append(read_csv_bytes(files[name], name))
            elif Path(name).suffix.lower() == ".xlsx":
                source.tables.append(read_xlsx_bytes(files[name], name))
        if not source.tables:
            source.problems.append(Problem(str(path), None, None, "no_files"))
        return source
    if not path.is_file():
        return Source(path.name, "?", problems=[Problem(str(path), None, None, "no_data_dir")])
    if path.stat().st_size > MAX_BYTES:
        return Source(
            path.name,
            "?",
            problems=[
                Problem(
                    path.name,
                    None,
                    None,
                    "file_too_big",
                    {"size_mb": round(path.stat().st_size / 2**20), "limit_mb": MAX_BYTES // 2**20},
                )
            ],
        )
    return read_bytes(path.read_bytes(), path.name, geography)
