"""The lines to call first, for a region: 911, the region's youth-protection (DPJ) report line,
Tel-jeunes, Info-Social 811, SOS violence conjugale and the provincial line for victims of sexual
violence. Each comes from data with its source: ``data/reference/lignes_urgence.csv`` for the lines
that are not directory entries (911, 811, SOS violence conjugale), the directory for the others."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from maillage_dash import phones
from maillage_dash.config import REFERENCE_DIR
from maillage_dash.directory import Directory, serves_col
from maillage_dash.i18n import t
from maillage_dash.memo import per_object
from maillage_dash.schema import REGION_CODES

LINES_FILE = REFERENCE_DIR / "lignes_urgence.csv"
# Directory entries whose help line belongs in the strip, in this order after the DPJ line.
DIRECTORY_LINES = ("tel-jeunes", "info-aide-violence-sexuelle")


@dataclass(frozen=True)
class EmergencyLine:
    key: str
    name_fr: str
    name_en: str
    phone: phones.Phone
    source: str  # the first source URL
    service_id: str = ""  # the directory entry, when the line is one

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_fr


@cache
def reference_lines(path: Path = LINES_FILE) -> tuple[EmergencyLine, ...]:
    """The lines of the reference file; a line whose phone cannot be read stops the app (it is shipped data)."""
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for number, row in enumerate(csv.DictReader(fh), start=2):
            lines, problems = phones.parse_phones(row["telephones"])
            if problems or not lines or not row["source"].strip():
                raise ValueError(f"{path.name}, ligne/row {number}: {problems or 'no phone or no source'}")
            source = row["source"].split(";")[0].strip()
            out.append(EmergencyLine(row["id"], row["nom"], row["nom_en"], lines[0], source))
    return tuple(out)


_DPJ_PREFIX = "Signalement à la DPJ — "


def _dpj_en(name: str) -> str:
    """« Signalement à la DPJ — Estrie » in English (the entries' names follow that pattern; another is kept)."""
    return t("emergency.dpj", "en", where=name[len(_DPJ_PREFIX) :]) if name.startswith(_DPJ_PREFIX) else name


def _from_directory(
    directory: Directory, service_id: str, kinds: tuple[str, ...], english: Callable[[str], str] = str
) -> list[EmergencyLine]:
    """The entry's line of one of ``kinds`` (the toll-free one first), or, when the source says which number
    answers when (a DPJ's daytime and evening numbers), one line for each part of the day."""
    rec = directory.by_id(service_id)
    if rec is None:
        return []
    candidates = [p for p in rec["telephones"] if p.kind in kinds and not p.text_message]
    by_period: dict[tuple[str, ...], list[phones.Phone]] = {}
    for p in candidates:
        by_period.setdefault(p.periods, []).append(p)
    source = str(rec["source"]).split(";")[0].strip()
    out = []
    for group in by_period.values():
        # A strip for anyone in the region: the toll-free line first when there is one.
        line = next((p for p in group if len(p.digits) == 11 and p.digits.startswith("18")), group[0])
        out.append(EmergencyLine(service_id, str(rec["nom"]), english(str(rec["nom"])), line, source, service_id))
    return out


@per_object
def _dpj_by_region(directory: Directory) -> dict[str, list[EmergencyLine]]:
    """Each region's DPJ report lines, found once per directory (not on every nearby search)."""
    frame = directory.services
    reporting = frame[[any(p.kind == "signalement_dpj" for p in lines) for lines in frame["telephones"]]]
    reporting = reporting[(reporting["statut"] != "termine").to_numpy()]
    out: dict[str, list[EmergencyLine]] = {}
    for code in REGION_CODES:
        found = []
        for sid, own, serves in zip(reporting["id"], reporting["region"], reporting[serves_col(code)]):
            if serves:
                found += [
                    (own != code, line) for line in _from_directory(directory, str(sid), ("signalement_dpj",), english=_dpj_en)
                ]
        out[code] = [line for _, line in sorted(found, key=lambda pair: pair[0])]  # the region's own DPJ first
    return out


def dpj_lines(directory: Directory, region: str) -> list[EmergencyLine]:
    """The report lines of the DPJ serving ``region`` (directory entries with a ``signalement_dpj`` line):
    one for most regions, several where the territory is shared (Nord-du-Québec)."""
    return _dpj_by_region(directory).get(region, [])


def lines_for(directory: Directory, region: str | None) -> list[EmergencyLine]:
    """911 first, then the region's DPJ line (when a region is known), then the provincial help lines."""
    reference = {line.key: line for line in reference_lines()}
    out = [reference["urgence-911"]]
    if region:
        out += dpj_lines(directory, region)
    for sid in DIRECTORY_LINES:
        out += _from_directory(directory, sid, ("aide",))
    out += [reference[key] for key in ("info-social-811", "sos-violence-conjugale") if key in reference]
    return out
