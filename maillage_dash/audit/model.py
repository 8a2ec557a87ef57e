"""The directory's risks, row by row, for the coordinators who keep it current. No Dash here.

Two levels:
- **misleading** (``action``): something a worker could be misled by today — a source on a test,
  staging or development server; one phone number shared by several organisations without being
  marked as a network's provincial line; an active entry with no dated confirmation and no note saying
  why. ``audit`` exits 1 when any is left.
- **to check** (``check``): the work list — a region with no CAVAC or no DPJ report line listed (the
  networks every region has: the directory says « none listed », a coordinator adds the office), no
  confirmation within 12 months, a single source, ages or people served not stated, no help-line phone,
  only a police tip line or 911 to call, status « à confirmer », a town the research note calls
  uncertain. Each is shown on the service's card, so nothing here is hidden from a worker.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlparse

import pandas as pd

from maillage_dash import phones, rows, schema
from maillage_dash.directory import Directory, serves_col
from maillage_dash.labels import STALE_AFTER_DAYS
from maillage_dash.memo import per_object

ACTION = "action"
CHECK = "check"
# The order of the report: most misleading first.
RISKS: tuple[tuple[str, str], ...] = (
    ("test_source", ACTION),
    ("shared_phone", ACTION),
    ("region_without_network", CHECK),
    ("tip_line_only", CHECK),
    ("active_undated_unexplained", ACTION),
    ("stale_confirmation", CHECK),
    ("no_confirmation", CHECK),
    ("to_confirm", CHECK),
    ("no_help_line", CHECK),
    ("ages_not_stated", CHECK),
    ("audience_not_stated", CHECK),
    ("no_source", CHECK),
    ("single_source", CHECK),
    ("town_uncertain", CHECK),
)
LEVEL = dict(RISKS)
# Looked for in the host name only ("développement" in a path is not a development server).
_TEST_HOST = re.compile(
    r"staging|^dev\.|[.-]dev\.|-develop\b|^develop\.|localhost|^127\.|^example\.|\.example\.|go-vip\.co|^test\.|\.test$", re.I
)
# The networks present in every region (issue 11): a region with none of them listed is a gap in the
# directory, not in the safety net.
_CAVAC = re.compile(r"\bCAVAC\b|aide aux victimes d'actes criminels", re.I)
NETWORKS = ("cavac", "dpj")


@dataclass(frozen=True)
class Finding:
    risk: str
    service_id: str
    name: str
    file: str
    row: int
    detail: str = ""  # e.g. the other organisations sharing a number, the suspicious URL

    @property
    def level(self) -> str:
        return LEVEL[self.risk]


def _sources(text: str) -> list[str]:
    return [s.strip() for s in str(text).split(";") if s.strip()]


def _shared_numbers(services: pd.DataFrame) -> dict[str, set[str]]:
    """Phone digits (not a network's provincial line, not 811/911) → organisations that list them."""
    owners: dict[str, set[str]] = defaultdict(set)
    for org, lines in zip(services["organisme"], services["telephones"]):
        for line in lines:
            if not line.provincial and len(line.digits) > 3:
                owners[line.digits].add(org)
    return {digits: orgs for digits, orgs in owners.items() if len(orgs) > 1}


def _row_findings(rec: pd.Series, today: date, shared: dict[str, set[str]]) -> list[Finding]:
    out: list[Finding] = []

    def add(risk: str, detail: str = "") -> None:
        out.append(Finding(risk, str(rec["id"]), str(rec["nom"]), str(rec["fichier"]), int(rec["ligne"]), detail))

    sources = _sources(rec["source"]) + ([rec["confirme_source"]] if rec["confirme_source"] else [])
    for url in dict.fromkeys(sources):
        if _TEST_HOST.search(urlparse(url).hostname or ""):
            add("test_source", url)
    for line in rec["telephones"]:
        if line.digits in shared:
            others = sorted(shared[line.digits] - {rec["organisme"]})
            add("shared_phone", f"{line.display} — {', '.join(others)}")
    lines = rec["telephones"]
    active = rec["statut"] == "actif"
    if active and lines and all(p.kind in ("denonciation", "urgence") for p in lines) and not rec["site_web"]:
        add("tip_line_only")
    confirmed = rec["confirme_le"]
    undated = confirmed is None or pd.isna(confirmed)
    if active and undated and not rec["note_verification"]:
        add("active_undated_unexplained")
    if undated:
        add("no_confirmation")
    elif (today - confirmed).days > STALE_AFTER_DAYS:
        add("stale_confirmation", confirmed.isoformat())
    if rec["statut"] == "a_confirmer":
        add("to_confirm", str(rec["note_verification"])[:200])
    if not phones.help_lines(lines):
        add("no_help_line")
    if pd.isna(rec["age_min"]) and pd.isna(rec["age_max"]):
        add("ages_not_stated")
    if not rec["public_cible"]:
        add("audience_not_stated")
    sources = set(_sources(rec["source"]))
    if not sources:
        add("no_source")
    elif len(sources) == 1:
        add("single_source")
    if rows.town_in_doubt(rec["note_verification"]):
        add("town_uncertain", str(rec["municipalite"]))
    return out


@per_object
def _network_members(directory: Directory) -> dict[str, pd.Series]:
    """Each network's entries as a mask over the rows, found once per directory (each region's page and
    the audit's 17 regions read it)."""
    services = directory.services
    live = services["statut"] != "termine"
    cavac = services["organisme"].str.contains(_CAVAC).fillna(False) | services["nom"].str.contains(_CAVAC).fillna(False)
    dpj = services["telephones"].map(lambda lines: any(p.kind == "signalement_dpj" for p in lines)).astype(bool)
    return {"cavac": live & cavac, "dpj": live & dpj}


def network_members(directory: Directory) -> dict[str, list[str]]:
    """The entries (ids, not ended) of each network every region has, all regions together."""
    return {
        network: [str(sid) for sid in directory.services.index[members.to_numpy()]]
        for network, members in _network_members(directory).items()
    }


def region_networks(directory: Directory, code: str) -> dict[str, list[str]]:
    """The entries (ids) of each network every region has that serve region ``code``; an empty list is
    a network no entry stands for there."""
    serving = directory.services[serves_col(code)].astype(bool)
    return {
        network: [str(sid) for sid in directory.services.index[(members & serving).to_numpy()]]
        for network, members in _network_members(directory).items()
    }


def network_gaps(directory: Directory) -> list[Finding]:
    """Regions where no entry that is not ended belongs to a network every region has: a CAVAC, a
    DPJ report line (a ``signalement_dpj`` phone). The finding names the region (its code in
    ``service_id``, no file or row) and the network."""
    out = []
    for code in schema.REGION_CODES:
        present = region_networks(directory, code)
        for network in NETWORKS:
            if not present[network]:
                out.append(Finding("region_without_network", code, schema.region_label(code), "", 0, network))
    return out


def audit(directory: Directory, today: date | None = None) -> list[Finding]:
    """Every finding of every row (ended services included: their history must stay right too), and
    the regions missing a network, most misleading risk first, then by file and row."""
    today = today or date.today()
    services = directory.services
    shared = _shared_numbers(services)
    found = [f for _, rec in services.iterrows() for f in _row_findings(rec, today, shared)] + network_gaps(directory)
    order = {risk: i for i, (risk, _) in enumerate(RISKS)}
    return sorted(found, key=lambda f: (order[f.risk], f.file, f.row))


def needs_action(findings: list[Finding]) -> bool:
    return any(f.level == ACTION for f in findings)


def counts(findings: list[Finding]) -> dict[str, int]:
    out = {risk: 0 for risk, _ in RISKS}
    for f in findings:
        out[f.risk] += 1
    return out
