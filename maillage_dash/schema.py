"""The vocabulary in one place: service types, sectors, regions, template columns, ages."""

from __future__ import annotations

from dataclasses import dataclass

from maillage_dash.text import fold

AGE_LOWEST = 0
AGE_HIGHEST = 120
# The range slider of the dashboard covers the ages the field works with; blank bounds
# in the data mean "no bound" and are compared as AGE_LOWEST / AGE_HIGHEST.
SLIDER_MIN = 0
SLIDER_MAX = 35


@dataclass(frozen=True)
class Term:
    """One entry of a controlled vocabulary, with its French and English labels."""

    code: str
    fr: str
    en: str

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr


SERVICE_TYPES: tuple[Term, ...] = (
    Term("travail_de_rue", "Travail de rue", "Street outreach"),
    Term("hebergement", "Hébergement", "Shelter and housing"),
    Term("prevention", "Prévention", "Prevention"),
    Term("accompagnement", "Accompagnement", "Accompaniment"),
    Term("suivi_psychosocial", "Suivi psychosocial", "Psychosocial follow-up"),
    Term(
        "concertation",
        "Concertation et formation des intervenant·es",
        "Coordination and training of practitioners",
    ),
    Term("ligne_ecoute", "Ligne d'écoute", "Help line"),
    Term("aide_victimes", "Aide aux victimes", "Victim support"),
    Term("justice_alternative", "Justice alternative", "Alternative justice"),
)

SECTORS: tuple[Term, ...] = (
    Term("communautaire", "Communautaire", "Community"),
    Term("policier", "Policier", "Police"),
    Term(
        "sante_services_sociaux",
        "Santé et services sociaux (CISSS/CIUSSS)",
        "Health and social services (CISSS/CIUSSS)",
    ),
    Term(
        "protection_jeunesse",
        "Protection de la jeunesse (DPJ, centres jeunesse)",
        "Youth protection (DPJ, youth centres)",
    ),
    Term("scolaire", "Scolaire", "School"),
    Term("justice", "Justice (dont justice alternative)", "Justice (incl. alternative justice)"),
)

# Official names of the 17 régions administratives (MRNF, BDGA). Place names are not
# translated in English usage in Québec, so both languages show the same name.
REGIONS: dict[str, str] = {
    "01": "Bas-Saint-Laurent",
    "02": "Saguenay–Lac-Saint-Jean",
    "03": "Capitale-Nationale",
    "04": "Mauricie",
    "05": "Estrie",
    "06": "Montréal",
    "07": "Outaouais",
    "08": "Abitibi-Témiscamingue",
    "09": "Côte-Nord",
    "10": "Nord-du-Québec",
    "11": "Gaspésie–Îles-de-la-Madeleine",
    "12": "Chaudière-Appalaches",
    "13": "Laval",
    "14": "Lanaudière",
    "15": "Laurentides",
    "16": "Montérégie",
    "17": "Centre-du-Québec",
}
REGION_CODES: tuple[str, ...] = tuple(REGIONS)

LANGUAGES: dict[str, tuple[str, str]] = {
    "fr": ("français", "French"),
    "en": ("anglais", "English"),
    "es": ("espagnol", "Spanish"),
    "ar": ("arabe", "Arabic"),
    "iu": ("inuktitut", "Inuktitut"),
    "cr": ("cri", "Cree"),
}


def region_label(code: str) -> str:
    """« 16 – Montérégie » for a region code."""
    return f"{code} – {REGIONS.get(code, '?')}"


def _lookup(terms: tuple[Term, ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    for term in terms:
        for spelling in (term.code, term.fr, term.en):
            table[fold(spelling)] = term.code
    return table


_TYPE_LOOKUP = _lookup(SERVICE_TYPES)
_SECTOR_LOOKUP = _lookup(SECTORS)
# A few spellings people use in spreadsheets for the same things.
_TYPE_LOOKUP.update(
    {
        fold("travail de proximité"): "travail_de_rue",
        fold("hebergement d'urgence"): "hebergement",
        fold("formation"): "concertation",
        fold("suivi"): "suivi_psychosocial",
        fold("ligne d'ecoute"): "ligne_ecoute",
    }
)
_SECTOR_LOOKUP.update(
    {
        fold("sante"): "sante_services_sociaux",
        fold("cisss"): "sante_services_sociaux",
        fold("ciusss"): "sante_services_sociaux",
        fold("police"): "policier",
        fold("dpj"): "protection_jeunesse",
        fold("centre jeunesse"): "protection_jeunesse",
        fold("ecole"): "scolaire",
        fold("justice alternative"): "justice",
    }
)

TYPE_LABELS = {t.code: t for t in SERVICE_TYPES}
SECTOR_LABELS = {t.code: t for t in SECTORS}


def parse_type(value: str) -> str | None:
    """Code of a service type written as code or label (any case or accents); None if unknown."""
    return _TYPE_LOOKUP.get(fold(value))


def parse_sector(value: str) -> str | None:
    """Code of a sector written as code or label; None if unknown."""
    return _SECTOR_LOOKUP.get(fold(value))


def parse_region(value: str) -> str | None:
    """Two-digit region code from « 6 », « 06 » or a region name; None if unknown."""
    raw = str(value).strip()
    if raw.isdigit():
        code = raw.zfill(2)
        return code if code in REGIONS else None
    head = raw.split(" ", 1)[0].split("–", 1)[0].strip()
    if head.isdigit() and head.zfill(2) in REGIONS:
        return head.zfill(2)
    wanted = fold(raw)
    for code, name in REGIONS.items():
        if fold(name) == wanted:
            return code
    return None


def type_label(code: str, lang: str) -> str:
    term = TYPE_LABELS.get(code)
    return term.label(lang) if term else code


def sector_label(code: str, lang: str) -> str:
    term = SECTOR_LABELS.get(code)
    return term.label(lang) if term else code


def language_label(code: str, lang: str) -> str:
    names = LANGUAGES.get(code)
    if not names:
        return code
    return names[1] if lang == "en" else names[0]


@dataclass(frozen=True)
class Column:
    """A column of the import template: its French header, English alias, and meaning."""

    name: str
    en: str
    required: bool = False


TEMPLATE_COLUMNS: tuple[Column, ...] = (
    Column("id", "id"),
    Column("nom", "name", required=True),
    Column("organisme", "organization", required=True),
    Column("types_service", "service_types", required=True),
    Column("age_min", "age_min"),
    Column("age_max", "age_max"),
    Column("municipalite", "municipality", required=True),
    Column("latitude", "latitude"),
    Column("longitude", "longitude"),
    Column("regions_desservies", "regions_served"),
    Column("secteurs", "sectors"),
    Column("partenaires", "partners"),
    Column("description", "description"),
    Column("description_en", "description_en"),
    Column("langues", "languages"),
    Column("adresse", "address"),
    Column("telephone", "phone"),
    Column("site_web", "website"),
    Column("adresse_confidentielle", "confidential_address"),
    Column("derniere_verification", "last_verified"),
    Column("source", "source"),
)
TEMPLATE_NAMES: tuple[str, ...] = tuple(c.name for c in TEMPLATE_COLUMNS)
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c.name for c in TEMPLATE_COLUMNS if c.required)
# Columns that exports add and that the loader accepts back without complaint.
DERIVED_COLUMNS: dict[str, str] = {"region": "region"}

_HEADER_LOOKUP: dict[str, str] = {}
for _col in TEMPLATE_COLUMNS:
    _HEADER_LOOKUP[fold(_col.name)] = _col.name
    _HEADER_LOOKUP[fold(_col.en)] = _col.name
_HEADER_LOOKUP.update(
    {
        fold("municipalité"): "municipalite",
        fold("régions desservies"): "regions_desservies",
        fold("organisation"): "organisme",
        fold("dernière vérification"): "derniere_verification",
        fold("téléphone"): "telephone",
        fold("site web"): "site_web",
        fold("adresse confidentielle"): "adresse_confidentielle",
        fold("types de service"): "types_service",
        fold("âge min"): "age_min",
        fold("âge max"): "age_max",
        fold("région"): "region",
        fold("region"): "region",
    }
)


def canonical_header(header: str) -> str | None:
    """Template name of a header as users write it (French or English, any case); None if unknown."""
    return _HEADER_LOOKUP.get(fold(header))
