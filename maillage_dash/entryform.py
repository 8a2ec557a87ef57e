"""The form of a directory entry (public proposal, correction, reviewer's edit) and its mapping to the
template's cells, so that what a browser sends is validated by the same code and messages as a file.

WTForms does the form side (CSRF through Flask-WTF, lengths, the choices offered); the template's own
validation (:func:`maillage_dash.store.entries.validate_row`) does the rest, and its problems come
back on the fields they name.
"""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from maillage_dash import schema
from maillage_dash.rows import is_yes
from maillage_dash.text import split_multi
from maillage_dash.validation import Problem

MULTI = ("types_service", "public_cible", "regions_desservies", "secteurs", "langues")
SHORT, LONG = 300, 4000
# Template columns the public can propose; reviewers also see the trust columns and coordinates.
PUBLIC_FIELDS = (
    "nom",
    "organisme",
    "types_service",
    "age_min",
    "age_max",
    "public_cible",
    "municipalite",
    "regions_desservies",
    "secteurs",
    "partenaires",
    "description",
    "description_en",
    "langues",
    "adresse",
    "adresse_confidentielle",
    "telephones",
    "courriel",
    "site_web",
    "source",
)
REVIEW_FIELDS = (
    *PUBLIC_FIELDS,
    "latitude",
    "longitude",
    "statut",
    "confirme_le",
    "confirme_par",
    "confirme_source",
    "note_verification",
)


def choices(name: str, lang: str) -> list[tuple[str, str]]:
    if name == "types_service":
        return [(c.code, c.en if lang == "en" else c.fr) for c in schema.SERVICE_TYPES]
    if name == "secteurs":
        return [(c.code, c.en if lang == "en" else c.fr) for c in schema.SECTORS]
    if name == "public_cible":
        return [(c.code, c.en if lang == "en" else c.fr) for c in schema.AUDIENCES]
    if name == "regions_desservies":
        return [(code, schema.region_label(code)) for code in schema.REGION_CODES]
    if name == "langues":
        return [(code, names[1] if lang == "en" else names[0]) for code, names in schema.LANGUAGES.items()]
    if name == "statut":
        return [(c.code, c.en if lang == "en" else c.fr) for c in schema.STATUSES]
    if name == "confirme_par":
        return [("", "—")] + [(c.code, c.en if lang == "en" else c.fr) for c in schema.CONFIRMATION_METHODS]
    return []


class EntryForm(FlaskForm):
    """Every template column a person may fill (the view shows the ones of its audience)."""

    nom = StringField(validators=[InputRequired(), Length(max=SHORT)])
    organisme = StringField(validators=[InputRequired(), Length(max=SHORT)])
    types_service = SelectMultipleField(validators=[InputRequired()], validate_choice=True)
    age_min = StringField(validators=[Optional(), Length(max=10)])
    age_max = StringField(validators=[Optional(), Length(max=10)])
    public_cible = SelectMultipleField(validate_choice=True)
    municipalite = StringField(validators=[InputRequired(), Length(max=SHORT)])
    regions_desservies = SelectMultipleField(validate_choice=True)
    secteurs = SelectMultipleField(validate_choice=True)
    partenaires = StringField(validators=[Optional(), Length(max=LONG)])
    description = TextAreaField(validators=[Optional(), Length(max=LONG)])
    description_en = TextAreaField(validators=[Optional(), Length(max=LONG)])
    langues = SelectMultipleField(validate_choice=True)
    adresse = StringField(validators=[Optional(), Length(max=SHORT)])
    adresse_confidentielle = BooleanField()
    telephones = TextAreaField(validators=[Optional(), Length(max=2000)])
    courriel = StringField(validators=[Optional(), Length(max=320)])
    site_web = StringField(validators=[Optional(), Length(max=SHORT)])
    source = TextAreaField(validators=[Optional(), Length(max=LONG)])
    latitude = StringField(validators=[Optional(), Length(max=20)])
    longitude = StringField(validators=[Optional(), Length(max=20)])
    statut = SelectField(validate_choice=True)
    confirme_le = StringField(validators=[Optional(), Length(max=20)])
    confirme_par = SelectField(validate_choice=True)
    confirme_source = StringField(validators=[Optional(), Length(max=LONG)])
    note_verification = TextAreaField(validators=[Optional(), Length(max=LONG)])
    version = HiddenField()  # the entry's version the editor started from (reviewers)

    def setup(self, lang: str, fields: tuple[str, ...]) -> EntryForm:
        """Choices in ``lang``; fields outside ``fields`` removed (never read from the request)."""
        for name in schema.TEMPLATE_NAMES:
            if name in self._fields and name not in fields:
                del self[name]
        for name in (*MULTI, "statut", "confirme_par"):
            if name in self._fields:
                self[name].choices = choices(name, lang)
        return self

    def cells(self) -> dict[str, str]:
        """The template row the form holds (multi-valued fields joined with ``;``)."""
        out: dict[str, str] = {}
        for name in schema.TEMPLATE_NAMES:
            if name not in self._fields:
                continue
            value = self[name].data
            if name in MULTI:
                out[name] = ";".join(value or [])
            elif name == "adresse_confidentielle":
                out[name] = "oui" if value else "non"
            else:
                out[name] = (value or "").strip()
        return out

    def fill(self, cells: dict[str, Any]) -> None:
        """Show a template row in the form (on GET: a correction, an edit, a proposal under review)."""
        for name in schema.TEMPLATE_NAMES:
            if name not in self._fields:
                continue
            raw = "" if cells.get(name) is None else str(cells.get(name))
            if name in MULTI:
                parse = {
                    "types_service": schema.parse_type,
                    "secteurs": schema.parse_sector,
                    "public_cible": schema.parse_audience,
                    "regions_desservies": schema.parse_region,
                    "langues": lambda v: v.strip().lower() if v.strip().lower() in schema.LANGUAGES else None,
                }[name]
                self[name].data = [c for c in (parse(v) for v in split_multi(raw)) if c]
            elif name == "adresse_confidentielle":
                self[name].data = is_yes(raw)
            elif name == "statut":
                self[name].data = schema.parse_status(raw) or "a_confirmer"
            elif name == "confirme_par":
                self[name].data = schema.parse_method(raw) or "" if raw else ""
            else:
                self[name].data = raw

    def attach(self, problems: list[Problem], lang: str) -> list[str]:
        """Put each problem's message on the field it names; return those about no shown field."""
        loose = []
        for problem in problems:
            column = problem.column
            if column == "derniere_verification":
                column = "confirme_le"
            if column in ("latitude",) and "latitude" not in self._fields:
                column = "municipalite"
            if column and column in self._fields:
                errors = list(self[column].errors)
                errors.append(problem.message(lang))
                self[column].errors = errors
            else:
                loose.append(problem.message(lang))
        return loose

    def field_errors(self) -> dict[str, list[str]]:
        return {name: list(field.errors) for name, field in self._fields.items() if field.errors}


class ProposalForm(EntryForm):
    """A public proposal or correction: the entry's fields, who to write back to, a message to reviewers."""

    submitter_name = StringField(validators=[Optional(), Length(max=200)])
    submitter_email = StringField(validators=[InputRequired(), Length(max=320)])
    message = TextAreaField(validators=[Optional(), Length(max=LONG)])
    privacy = BooleanField(validators=[InputRequired()])
    website = StringField()  # a field people never see: bots fill it


EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
