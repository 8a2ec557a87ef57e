"""The vocabulary in one place: service types, sectors, regions, template columns, ages."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from maillage_dash.i18n import LANGS, t
from maillage_dash.text import fold

AGE_LOWEST = 0
AGE_HIGHEST = 120
# Ages in the data: both bounds blank = *not stated* (never "all ages"); a stated minimum with a blank
# maximum = "from that age" ("14 ans et plus"); ``age_min=0`` with a blank maximum = all ages, said by a
# source. The range slider of the dashboard covers the ages the field works with.
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

# Who a service says it serves (``public_cible``). Blank = not stated.
AUDIENCES: tuple[Term, ...] = (
    Term("filles_femmes", "Filles et femmes seulement", "Girls and women only"),
    Term("tous_genres", "Tous les genres", "All genders"),
    Term("garcons_hommes", "Garçons et hommes seulement", "Boys and men only"),
    Term("2slgbtqia", "Personnes 2SLGBTQIA+", "2SLGBTQIA+ people"),
    Term("autochtones", "Personnes autochtones", "Indigenous people"),
)
# The filter's words for the same codes: it asks who the person in front of the worker is (a service open
# to all genders serves her too, so « Filles et femmes seulement » would promise what it does not filter).
PERSONS: tuple[Term, ...] = (
    Term("filles_femmes", "Une fille ou une femme", "A girl or a woman"),
    Term("garcons_hommes", "Un garçon ou un homme", "A boy or a man"),
    Term("2slgbtqia", "Une personne 2SLGBTQIA+", "A 2SLGBTQIA+ person"),
    Term("autochtones", "Une personne autochtone", "An Indigenous person"),
)
PERSON_LABELS = {t.code: t for t in PERSONS}
# The gender groups a filter on "who is served" compares: a service open to all genders serves each.
GENDER_AUDIENCES = ("filles_femmes", "garcons_hommes", "2slgbtqia")

# Whether a service still runs. ``termine`` rows stay in the data (history) but are off the map and
# the lists unless asked for; ``a_confirmer`` rows are shown with a visible mark.
STATUSES: tuple[Term, ...] = (
    Term("actif", "Actif", "Active"),
    Term("a_confirmer", "À confirmer", "To be confirmed"),
    Term("termine", "Terminé", "Ended"),
)

# How the newest confirmation that the service runs was obtained (``confirme_par``).
CONFIRMATION_METHODS: tuple[Term, ...] = (
    Term("site_organisme", "le site de l'organisme", "the organisation's website"),
    Term("appel", "un appel à l'organisme", "a phone call to the organisation"),
    Term("courriel", "un courriel de l'organisme", "an email from the organisation"),
    Term("rapport_annuel", "un rapport annuel", "an annual report"),
    Term("article_presse", "un article de presse", "a press article"),
    Term("source_gouvernementale", "une source gouvernementale", "a government source"),
    Term("repertoire_reseau", "la liste des membres de son réseau", "its network's member list"),
)
# The ways that are documents someone else can read again: a confirmation by one of them gives its web
# address (``confirme_source``). A call or an email has none to give.
SOURCED_METHODS = frozenset({"site_organisme", "rapport_annuel", "article_presse", "source_gouvernementale", "repertoire_reseau"})

# Kinds of phone line (``telephones``): the help line first on every card; a tip line is never help.
PHONE_KINDS: tuple[Term, ...] = (
    Term("aide", "Ligne d'aide et d'intervention", "Help and crisis line"),
    Term("accueil", "Accueil", "Reception"),
    Term("signalement_dpj", "Signalement à la DPJ", "Report to youth protection (DPJ)"),
    Term("urgence", "Urgence", "Emergency"),
    Term("police", "Police (non urgent)", "Police (non-emergency)"),
    Term("administration", "Administration", "Administration"),
    Term("denonciation", "Ligne de dénonciation (police) — pas une ligne d'aide", "Police tip line — not a help line"),
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
_AUDIENCE_LOOKUP = _lookup(AUDIENCES)
_AUDIENCE_LOOKUP.update({fold("filles"): "filles_femmes", fold("femmes"): "filles_femmes", fold("mixte"): "tous_genres"})
_AUDIENCE_LOOKUP.update({fold("garcons"): "garcons_hommes", fold("hommes"): "garcons_hommes", fold("lgbtq"): "2slgbtqia"})
_STATUS_LOOKUP = _lookup(STATUSES)
_STATUS_LOOKUP.update({fold("a confirmer"): "a_confirmer", fold("ferme"): "termine", fold("active"): "actif"})
_METHOD_LOOKUP = _lookup(CONFIRMATION_METHODS)
_PHONE_KIND_LOOKUP = {fold(t.code): t.code for t in PHONE_KINDS}
_PHONE_KIND_LOOKUP.update({fold(t.fr.split(" — ")[0]): t.code for t in PHONE_KINDS})
_PHONE_KIND_LOOKUP.update(
    {fold("help"): "aide", fold("dpj"): "signalement_dpj", fold("911"): "urgence", fold("tip"): "denonciation"}
)
AUDIENCE_LABELS = {t.code: t for t in AUDIENCES}
STATUS_LABELS = {t.code: t for t in STATUSES}
METHOD_LABELS = {t.code: t for t in CONFIRMATION_METHODS}
PHONE_KIND_LABELS = {t.code: t for t in PHONE_KINDS}
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


def parse_audience(value: str) -> str | None:
    return _AUDIENCE_LOOKUP.get(fold(value))


def parse_status(value: str) -> str | None:
    return _STATUS_LOOKUP.get(fold(value))


def parse_method(value: str) -> str | None:
    return _METHOD_LOOKUP.get(fold(value))


def parse_phone_kind(value: str) -> str | None:
    return _PHONE_KIND_LOOKUP.get(fold(value))


def term_label(terms: dict[str, Term], code: str, lang: str) -> str:
    term = terms.get(code)
    return term.label(lang) if term else code


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
    Column("public_cible", "audience"),
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
    Column("telephones", "phones"),
    Column("courriel", "email"),
    Column("site_web", "website"),
    Column("adresse_confidentielle", "confidential_address"),
    Column("statut", "status"),
    Column("confirme_le", "confirmed_on"),
    Column("confirme_par", "confirmed_by"),
    Column("confirme_source", "confirmation_source"),
    Column("source", "source"),
    Column("note_verification", "verification_note"),
)
# Columns of older template files, still read (with a notice saying what was assumed).
LEGACY_COLUMNS: dict[str, str] = {"telephone": "phone", "derniere_verification": "last_verified"}
TEMPLATE_NAMES: tuple[str, ...] = tuple(c.name for c in TEMPLATE_COLUMNS)
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c.name for c in TEMPLATE_COLUMNS if c.required)
# Columns that exports add and that the loader accepts back without complaint.
DERIVED_COLUMNS: dict[str, str] = {"region": "region"}

_HEADER_LOOKUP: dict[str, str] = {}
for _col in TEMPLATE_COLUMNS:
    _HEADER_LOOKUP[fold(_col.name)] = _col.name
    _HEADER_LOOKUP[fold(_col.en)] = _col.name
for _name, _en in LEGACY_COLUMNS.items():
    _HEADER_LOOKUP[fold(_name)] = _name
    _HEADER_LOOKUP[fold(_en)] = _name
_HEADER_LOOKUP.update(
    {
        fold("municipalité"): "municipalite",
        fold("régions desservies"): "regions_desservies",
        fold("organisation"): "organisme",
        fold("dernière vérification"): "derniere_verification",
        fold("téléphone"): "telephone",
        fold("téléphones"): "telephones",
        fold("public cible"): "public_cible",
        fold("confirmé le"): "confirme_le",
        fold("confirmé par"): "confirme_par",
        fold("source de la confirmation"): "confirme_source",
        fold("note de vérification"): "note_verification",
        fold("site web"): "site_web",
        fold("adresse confidentielle"): "adresse_confidentielle",
        fold("types de service"): "types_service",
        fold("âge min"): "age_min",
        fold("âge max"): "age_max",
        fold("région"): "region",
        fold("region"): "region",
    }
)


def column_label(name: str, lang: str) -> str:
    """The header people read for template column ``name`` in ``lang`` (« Âge minimum », "Minimum age"):
    the field's label of the locale files (``field.<name>``), the same words as the entry form's."""
    return t(f"field.{name}", lang)


@cache
def _label_lookup() -> dict[str, str]:
    """Folded readable header (French and English) → template name, so an exported file reads back."""
    table: dict[str, str] = {}
    for name in (*TEMPLATE_NAMES, *DERIVED_COLUMNS):
        for lang in LANGS:
            key = fold(column_label(name, lang))
            known = table.setdefault(key, name)
            if known != name or _HEADER_LOOKUP.get(key, name) != name:
                raise ValueError(f"header label {column_label(name, lang)!r} would name two columns ({name}, {known})")
    return table


def canonical_header(header: str) -> str | None:
    """Template name of a header as users write it: the template's name, its English alias, or the
    readable label of an export in either language (any case, accents, spaces); None if unknown."""
    key = fold(header)
    return _HEADER_LOOKUP.get(key) or _label_lookup().get(key)
