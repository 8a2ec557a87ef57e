"""The directory as Open Referral HSDS 3.0 (https://docs.openreferral.org/en/latest/) and back.

Out: one compiled ``service`` object per service (organization, service_at_locations → location →
addresses, phones, languages, service_areas, attributes with Maillage's taxonomy), valid against
``schema/compiled/service.json``; the tabular form is the same records flattened to the CSV tables of
HSDS's ``datapackage.json``.

Where HSDS has no field, Maillage's meaning goes in ``attributes`` of its own taxonomy (``maillage``):
service types, sectors, who is served, status (« à confirmer » included), how the newest confirmation
was obtained and its source, the verification note, the English description, partners, sources, the
confidentiality of the address, and the Maillage identifier (so that a round trip keeps it). What HSDS
cannot say is listed in ``docs/HSDS.md``.

Confidentiality both ways: a shelter (``adresse_confidentielle``) is exported with no address and with
its municipality's point, never a finer one; an imported service marked confidential keeps its
municipality only, whatever the package contained.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from typing import Any

import pandas as pd

from maillage_dash import schema
from maillage_dash.phones import Phone, to_text
from maillage_dash.text import fold

NAMESPACE = uuid.UUID("5f0e9a4e-3c1b-4f44-9a53-6d6169616c6c")  # Maillage's namespace for uuid5 ids
TAXONOMY = "maillage"
HSDS_VERSION = "3.0"
STATUS_OUT = {"actif": "active", "a_confirmer": "active", "termine": "defunct"}

# Attribute kinds (``link_type``): Maillage's columns HSDS has no field for.
CODED = {"type": "types", "secteur": "secteurs", "public": "public_cible", "statut": "statut", "confirmation": "confirme_par"}
VALUED = (
    "maillage_id",
    "confirmation_source",
    "verification_note",
    "description_en",
    "partner",
    "source",
    "confidential_address",
    "address",
    "exact_point",
)
OWN_AREA = "lieu du service"  # marks the service_area of the region the service is in (the others are served)
POSTAL_CODE = re.compile(r"\b([A-Za-z]\d[A-Za-z]) ?(\d[A-Za-z]\d)\b")


def uid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


def _terms(lang: str) -> list[dict[str, Any]]:
    groups = (
        ("type", schema.SERVICE_TYPES),
        ("secteur", schema.SECTORS),
        ("public", schema.AUDIENCES),
        ("statut", schema.STATUSES),
        ("confirmation", schema.CONFIRMATION_METHODS),
    )
    out = []
    for kind, terms in groups:
        for term in terms:
            out.append(term_object(kind, term.code, term.en if lang == "en" else term.fr, lang))
    for kind in VALUED:
        out.append(term_object(kind, kind, kind.replace("_", " "), lang))
    return out


def taxonomy_object() -> dict[str, Any]:
    return {
        "id": uid("taxonomy", TAXONOMY),
        "name": "Maillage",
        "description": "Vocabulaire de Maillage (types de service, secteurs, publics, statuts, confirmations) / "
        "Maillage's vocabulary (service types, sectors, people served, statuses, confirmations)",
        "uri": "https://github.com/maillage/maillage/blob/main/docs/CHAMPS.md",
        "version": "1",
    }


def term_object(kind: str, code: str, name: str, lang: str) -> dict[str, Any]:
    return {
        "id": uid("term", kind, code),
        "code": f"{kind}:{code}",
        "name": name,
        "description": f"{kind}:{code}",
        "taxonomy": TAXONOMY,
        "language": "fra" if lang == "fr" else "eng",
        "taxonomy_id": uid("taxonomy", TAXONOMY),
    }


def _label(kind: str, code: str, lang: str) -> str:
    table = {
        "type": schema.TYPE_LABELS,
        "secteur": schema.SECTOR_LABELS,
        "public": schema.AUDIENCE_LABELS,
        "statut": schema.STATUS_LABELS,
        "confirmation": schema.METHOD_LABELS,
    }.get(kind, {})
    term = table.get(code)
    if term is None:
        return code.replace("_", " ")
    return term.en if lang == "en" else term.fr


def _attribute(service_id: str, kind: str, code: str, lang: str, value: str = "", position: str = "") -> dict[str, Any]:
    term = term_object(kind, code, _label(kind, code, lang), lang)
    return {
        "id": uid("attribute", service_id, kind, code, value, position),
        "link_id": service_id,
        "link_type": kind,
        "link_entity": "service",
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
        "value": value,
    }


def _phone(service_id: str, i: int, phone: Phone, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": uid("phone", service_id, str(i)),
        "service_id": service_id,
        "number": phone.display,
        "type": "text" if phone.text_message else "voice",
        # The whole line in Maillage's own notation (kind, hours, 24/7…), read back on import.
        "description": to_text((phone,)),
        "languages": [],
        "attributes": [],
    }
    if phone.extension.isdigit():
        out["extension"] = int(phone.extension)
    return out


def service_object(rec: pd.Series, lang: str = "fr") -> dict[str, Any]:
    """One service of the directory as an HSDS 3.0 compiled ``service``."""
    sid = uid("service", str(rec["id"]))
    org_id = uid("organization", fold(str(rec["organisme"])))
    location_id = uid("location", str(rec["id"]))
    description = rec["description_en"] if lang == "en" and rec["description_en"] else rec["description"]
    attributes = [_attribute(sid, "maillage_id", "maillage_id", lang, str(rec["id"]))]
    for kind, column in CODED.items():
        value = rec[column]
        codes = value if isinstance(value, tuple | list) else ((value,) if value else ())
        attributes += [_attribute(sid, kind, code, lang) for code in codes]
    for kind, value in (
        ("confirmation_source", rec["confirme_source"]),
        ("verification_note", rec["note_verification"]),
        ("description_en", rec["description_en"] if lang != "en" else rec["description"]),
    ):
        if value:
            attributes.append(_attribute(sid, kind, kind, lang, str(value)))
    attributes += [_attribute(sid, "partner", "partner", lang, p, str(i)) for i, p in enumerate(rec["partenaires"])]
    for i, src in enumerate(s for s in str(rec["source"] or "").split(";") if s.strip()):
        attributes.append(_attribute(sid, "source", "source", lang, src.strip(), str(i)))
    confidential = bool(rec["confidentiel"])
    if confidential:
        attributes.append(_attribute(sid, "confidential_address", "confidential_address", lang, "true"))
    elif bool(rec["point_exact"]):
        attributes.append(_attribute(sid, "exact_point", "exact_point", lang, "true"))

    addresses = []
    postal = POSTAL_CODE.search(str(rec["adresse"] or "")) if not confidential else None
    if not confidential and rec["adresse"]:
        # The address as written, always; an HSDS address object only when its postal code is known
        # (HSDS requires one, and Maillage does not make one up).
        attributes.append(_attribute(sid, "address", "address", lang, str(rec["adresse"])))
    if postal is not None:
        addresses.append(
            {
                "id": uid("address", str(rec["id"])),
                "location_id": location_id,
                "address_1": str(rec["adresse"]),
                "city": str(rec["municipalite"]),
                "region": schema.REGIONS.get(str(rec["region"]), ""),
                "state_province": "QC",
                "postal_code": f"{postal.group(1)} {postal.group(2)}".upper(),
                "country": "CA",
                "address_type": "physical",
                "attributes": [],
            }
        )
    location = {
        "id": location_id,
        "location_type": "physical",
        "organization_id": org_id,
        "name": str(rec["municipalite"] or rec["nom"]),
        # A confidential service is at its municipality's point (that is all Maillage keeps).
        "latitude": round(float(rec["lat"]), 5),
        "longitude": round(float(rec["lon"]), 5),
        "addresses": addresses,
        "phones": [],
        "languages": [],
        "attributes": [],
    }
    own = str(rec["region"])
    regions = [own] + [r for r in rec["regions_desservies"] if r != own]
    also_own = own in rec["regions_desservies"]  # a row may name its own region among those served
    service: dict[str, Any] = {
        "id": sid,
        "organization_id": org_id,
        "name": str(rec["nom"]),
        "description": str(description or ""),
        "status": STATUS_OUT.get(str(rec["statut"]), "active"),
        "phones": [_phone(sid, i, p, lang) for i, p in enumerate(rec["telephones"])],
        "languages": [
            {"id": uid("language", sid, code), "service_id": sid, "name": schema.language_label(code, lang), "code": code}
            for code in rec["langues"]
        ],
        "service_areas": [
            {
                "id": uid("service_area", sid, code),
                "service_id": sid,
                "name": schema.region_label(code),
                "description": _area_description(code == own, code == own and also_own),
                "extent_type": "topojson",
            }
            for code in regions
            if code
        ],
        "service_at_locations": [
            {
                "id": uid("service_at_location", sid, location_id),
                "service_id": sid,
                "location_id": location_id,
                "location": location,
            }
        ],
        "attributes": list({a["id"]: a for a in attributes}.values()),  # the same source twice is one attribute
        "organization": {
            "id": org_id,
            "name": str(rec["organisme"]),
            "description": org_description(str(rec["organisme"]), lang),
        },
    }
    if rec["site_web"]:
        service["url"] = str(rec["site_web"]).split(";")[0].strip()
    if rec["courriel"]:
        service["email"] = str(rec["courriel"])
    if not pd.isna(rec["age_min"]):
        service["minimum_age"] = int(rec["age_min"])
    if not pd.isna(rec["age_max"]):
        service["maximum_age"] = int(rec["age_max"])
    if rec["confirme_le"] and not pd.isna(rec["confirme_le"]):
        service["assured_date"] = rec["confirme_le"].isoformat()
    return service


def _area_description(own: bool, listed: bool) -> str:
    if own:
        return f"{OWN_AREA} (région administrative du Québec)" + (" ; aussi desservie" if listed else "")
    return "région administrative du Québec desservie"


def org_description(name: str, lang: str) -> str:
    """HSDS requires a description of each organisation; Maillage has none of its own, so it says so."""
    if lang == "en":
        return f"{name}: organisation listed in Maillage (see its services)."
    return f"{name} : organisme répertorié dans Maillage (voir ses services)."


def services(frame: pd.DataFrame, lang: str = "fr") -> list[dict[str, Any]]:
    return [service_object(rec, lang) for _, rec in frame.iterrows()]


def organizations(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Each organisation once (by folded name), with the ids of its services."""
    seen: dict[str, dict[str, Any]] = {}
    for _, rec in frame.iterrows():
        key = fold(str(rec["organisme"]))
        org = seen.setdefault(
            key,
            {
                "id": uid("organization", key),
                "name": str(rec["organisme"]),
                "description": org_description(str(rec["organisme"]), "fr"),
                "services": [],
            },
        )
        org["services"].append(uid("service", str(rec["id"])))
    return list(seen.values())


def taxonomy_terms(lang: str = "fr") -> list[dict[str, Any]]:
    return _terms(lang)


def all_ids(objects: Iterable[dict[str, Any]]) -> list[str]:
    return [o["id"] for o in objects]
