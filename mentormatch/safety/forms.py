"""The "Report a problem" form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from mentormatch.forms import choices
from mentormatch.safety.alerts import CATEGORIES, MAX_DESCRIPTION


class ReportForm(FlaskForm):
    """What happened, from a short list, and in the reporter's own words."""

    category = RadioField(
        _l("What happened?"),
        choices=choices(CATEGORIES.items()),
        validators=[InputRequired(_l("Choose what happened from the list."))],
    )
    description = TextAreaField(
        _l("Tell us more (optional)"),
        description=_l("Only programme coordinators read this; the person you report does not."),
        validators=[
            Optional(),
            Length(
                max=MAX_DESCRIPTION,
                message=_l("Keep it under %(most)d characters.", most=MAX_DESCRIPTION),
            ),
        ],
    )
