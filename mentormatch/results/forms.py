"""The results page's filters (a GET form: it changes nothing and needs no token)."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import Optional, ValidationError

from mentormatch.forms import ListSelectField, choices
from mentormatch.introductions.forms import KIND_CHOICES

# A period longer than this is a typing mistake (the charts would have hundreds of months).
LONGEST_PERIOD = timedelta(days=366 * 10)


class ResultsFilterForm(FlaskForm):
    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional()], format="%Y-%m-%d")
    end = DateField(_l("To (included)"), validators=[Optional()], format="%Y-%m-%d")
    country = ListSelectField(_l("Country"), choices=[], default="", validate_choice=True)
    value_chain = ListSelectField(_l("Value chain"), choices=[], default="", validate_choice=True)
    kind = ListSelectField(
        _l("Kind"),
        choices=choices(KIND_CHOICES, blank=_l("Both")),
        default="",
        validate_choice=True,
    )

    def validate_end(self, field: DateField) -> None:
        if self.start.data and field.data:
            if field.data < self.start.data:
                raise ValidationError(_("The end of the period comes before its start."))
            if field.data - self.start.data > LONGEST_PERIOD:
                raise ValidationError(_("Choose a period of at most ten years."))
