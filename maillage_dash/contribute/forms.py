"""Forms of the public pages (besides the entry form of :mod:`maillage_dash.entryform`)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from maillage_dash import schema

TESTIMONY_MAX = 6000


class TestimonyForm(FlaskForm):
    """The structure of ``data/temoignages/README.md``, with consent asked in the form itself."""

    role_auteur = StringField(validators=[InputRequired(), Length(max=200)])
    secteur = SelectField(validate_choice=True)
    region = SelectField(validate_choice=True)
    langue = SelectField(choices=[("fr", "français"), ("en", "English")], validate_choice=True)
    texte = TextAreaField(validators=[InputRequired(), Length(min=40, max=TESTIMONY_MAX)])
    signature = StringField(validators=[Optional(), Length(max=200)])
    consent = BooleanField(validators=[InputRequired()])
    no_youth = BooleanField(validators=[InputRequired()])
    submitter_email = StringField(validators=[Optional(), Length(max=320)])

    def setup(self, lang: str) -> TestimonyForm:
        self.secteur.choices = [(c.code, c.en if lang == "en" else c.fr) for c in schema.SECTORS]
        self.region.choices = [(code, schema.region_label(code)) for code in schema.REGION_CODES]
        return self


class ErasureForm(FlaskForm):
    """Ask that the contact details given with a submission be erased."""

    reference = StringField(validators=[InputRequired(), Length(max=20)])
    submitter_email = StringField(validators=[InputRequired(), Length(max=320)])
