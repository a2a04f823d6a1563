"""The approval queue's filters."""

from __future__ import annotations

from flask_wtf import FlaskForm

from mentormatch.forms import ListSelectField, choices
from mentormatch.introductions.forms import KIND_CHOICES


class QueueFilterForm(FlaskForm):
    """Filters of the approval queue (a GET form: no CSRF needed, nothing changes)."""

    class Meta:
        csrf = False

    country = ListSelectField("Country", choices=[], default="", validate_choice=True)
    value_chain = ListSelectField("Value chain", choices=[], default="", validate_choice=True)
    kind = ListSelectField(
        "Kind", choices=choices(KIND_CHOICES, blank="Any"), default="", validate_choice=True
    )
