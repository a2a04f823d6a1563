"""The "Language and time zone" form of the account page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from mentormatch.i18n import LANGUAGES
from mentormatch.i18n.zones import CHOOSABLE, zone_groups


class LanguageAndTimeZoneForm(FlaskForm):
    """The language pages, emails and SMS are written in, and the zone times are shown in."""

    language = SelectField(
        _l("Language"),
        # Each language named in itself, as on the switcher: a reader finds their own.
        choices=[
            SelectChoice(code, lang.native_name, render_kw={"lang": code})
            for code, lang in LANGUAGES.items()
        ],
        validators=[InputRequired(message=_l("Choose a language from the list."))],
        validate_choice=False,
    )
    time_zone = SelectField(
        _l("Time zone"),
        description=_l("Dates and times on your pages and in your emails are shown in it."),
        validators=[InputRequired(message=_l("Choose a time zone from the list."))],
        validate_choice=False,
    )
    submit = SubmitField(_l("Save"))

    def offer_zones(self, country: str | None, locale: str) -> None:
        """Fill the time zone list: the person's country's zones first, then the others."""
        self.time_zone.choices = [
            SelectChoice(zone, label, optgroup=group)
            for group, zones in zone_groups(country, locale)
            for zone, label in zones
        ]

    def validate_language(self, field: SelectField) -> None:
        """Only a language MentorMatch is written in (a hand-edited form sends others)."""
        if field.data not in LANGUAGES:
            raise ValidationError(_l("Choose a language from the list."))

    def validate_time_zone(self, field: SelectField) -> None:
        """Only a zone of the list."""
        if field.data not in CHOOSABLE:
            raise ValidationError(_l("Choose a time zone from the list."))
