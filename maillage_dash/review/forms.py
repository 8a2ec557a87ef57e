"""Forms of the review area (CSRF on each, through Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from maillage_dash import schema


class LoginForm(FlaskForm):
    email = StringField(validators=[InputRequired(), Length(max=320)])
    password = PasswordField(validators=[InputRequired(), Length(max=400)])
    next = HiddenField()


class ActionForm(FlaskForm):
    """A button that changes something: the token, the version it acts on, an optional reason."""

    version = HiddenField()
    reason = TextAreaField(validators=[Optional(), Length(max=4000)])


class ConfirmForm(FlaskForm):
    version = HiddenField()
    on = StringField(validators=[InputRequired(), Length(max=20)])
    method = SelectField(validate_choice=True)
    source = StringField(validators=[Optional(), Length(max=300)])
    note = StringField(validators=[Optional(), Length(max=1000)])

    def setup(self, lang: str) -> ConfirmForm:
        self.method.choices = [(c.code, c.en if lang == "en" else c.fr) for c in schema.CONFIRMATION_METHODS]
        return self


class TestimonyReviewForm(FlaskForm):
    role_auteur = StringField(validators=[InputRequired(), Length(max=200)])
    secteur = SelectField(validate_choice=True)
    region = SelectField(validate_choice=True)
    langue = SelectField(choices=[("fr", "français"), ("en", "English")], validate_choice=True)
    texte = TextAreaField(validators=[InputRequired(), Length(max=6000)])
    signature = StringField(validators=[Optional(), Length(max=200)])
    reason = TextAreaField(validators=[Optional(), Length(max=4000)])

    def setup(self, lang: str) -> TestimonyReviewForm:
        self.secteur.choices = [(c.code, c.en if lang == "en" else c.fr) for c in schema.SECTORS]
        self.region.choices = [(code, schema.region_label(code)) for code in schema.REGION_CODES]
        return self
