"""The coordinator's forms: list filters (GET, no token) and decisions (POST, with the
version the page showed, a message the people see and a private note)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from mentormatch.forms import ListSelectField, choices
from mentormatch.introductions.forms import KIND_CHOICES, PRIVATE_NOTE_LABEL
from mentormatch.pairings.service import MAX_TEXT
from mentormatch.people.accounts import DEACTIVATION_REASONS
from mentormatch.people.search import ROLE_CHOICES
from mentormatch.safety.service import OUTCOMES

_TOO_LONG = _l("Keep it under %(max)d characters.", max=MAX_TEXT)
_TEXT = [Optional(), Length(max=MAX_TEXT, message=_TOO_LONG)]


class QueueFilterForm(FlaskForm):
    """Filters of the approval queue (a GET form: no CSRF needed, nothing changes)."""

    class Meta:
        csrf = False

    country = ListSelectField(_l("Country"), choices=[], default="", validate_choice=True)
    value_chain = ListSelectField(_l("Value chain"), choices=[], default="", validate_choice=True)
    kind = ListSelectField(
        _l("Kind"), choices=choices(KIND_CHOICES, blank=_l("Any")), default="", validate_choice=True
    )


class PeopleFilterForm(FlaskForm):
    """Search and filters of the people list (GET)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Search"),
        description=_l("A name, business, email or phone number (or part of one)."),
        validators=[
            Optional(),
            Length(max=100, message=_l("Keep the search under 100 characters.")),
        ],
    )
    role = ListSelectField(
        _l("Role"), choices=choices(ROLE_CHOICES.items(), blank=_l("Any")), default=""
    )
    # Set per request (views): some statuses are labelled by their model, in the reader's
    # language.
    status = ListSelectField(_l("Status"), choices=[], default="")
    country = ListSelectField(_l("Country"), choices=[], default="")
    region = ListSelectField(_l("Region"), choices=[], default="")
    value_chain = ListSelectField(_l("Value chain"), choices=[], default="")
    returnee = BooleanField(_l("Returnees only"))
    women_led = BooleanField(_l("Women-led only"))
    youth_led = BooleanField(_l("Youth-led only"))
    capacity_left = BooleanField(_l("Mentors with a place left only"))


ATTENTION = {
    "expiring": _l("Requests about to expire"),
    "full": _l("Coaching requests to a mentor with no place left"),
}


class PairingFilterForm(FlaskForm):
    """Filters of the list of every pairing (GET)."""

    class Meta:
        csrf = False

    # The states' choices are set per request (views), in the reader's language.
    state = ListSelectField(_l("State"), choices=[], default="")
    kind = ListSelectField(_l("Kind"), choices=choices(KIND_CHOICES, blank=_l("Any")), default="")
    country = ListSelectField(_l("Country"), choices=[], default="")
    value_chain = ListSelectField(_l("Value chain"), choices=[], default="")
    since = DateField(_l("Requested from"), validators=[Optional()], format="%Y-%m-%d")
    until = DateField(_l("Requested until"), validators=[Optional()], format="%Y-%m-%d")
    coordinator = ListSelectField(_l("Decided by"), choices=[], default="")
    attention = ListSelectField(
        _l("Needs attention"), choices=choices(ATTENTION.items(), blank=_l("Any")), default=""
    )

    def validate_until(self, field: DateField) -> None:
        since: date | None = self.since.data
        if field.data and since and field.data < since:
            raise ValidationError(_("The end of the period must come after its start."))


class DecisionForm(FlaskForm):
    """A coordinator's decision about a person: the version the page showed, a message the
    person sees and a private note. `prefix` keeps several on one page apart."""

    version = HiddenField(validators=[InputRequired(_l("Reload the page and try again."))])
    message = TextAreaField(
        _l("Message to the person (optional; they will see it)"), validators=_TEXT
    )
    private_note = TextAreaField(PRIVATE_NOTE_LABEL, validators=_TEXT)

    def expected_version(self) -> int | None:
        raw = str(self.version.data or "")
        return int(raw) if raw.isdigit() and len(raw) < 10 else None

    def validate_version(self, field: HiddenField) -> None:
        if self.expected_version() is None:
            raise ValidationError(_("Reload the page and try again."))


class ReviewForm(DecisionForm):
    """Approve, ask for changes, reject, suspend or reinstate a profile."""

    def __init__(self, action: str, **kwargs: object) -> None:
        super().__init__(prefix=action, **kwargs)
        self.action = action
        if action == "request_changes":
            self.message.label.text = _l("What should change (the person will see this)")
            self.message.validators = [
                InputRequired(_l("Say what should change: the person reads this message.")),
                Length(max=MAX_TEXT, message=_TOO_LONG),
            ]


class DeactivateForm(DecisionForm):
    reason = SelectField(
        _l("Reason"),
        choices=choices(DEACTIVATION_REASONS.items(), blank=_l("Choose a reason")),
        validators=[InputRequired(_l("Choose a reason from the list."))],
    )

    def __init__(self, **kwargs: object) -> None:
        super().__init__(prefix="deactivate", **kwargs)


class ReactivateForm(DecisionForm):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(prefix="reactivate", **kwargs)


class ProposeForm(FlaskForm):
    """Propose an introduction from a person's suggestions."""

    message = TextAreaField(
        _l("Message to both people (optional; they will see it)"), validators=_TEXT
    )
    private_note = TextAreaField(PRIVATE_NOTE_LABEL, validators=_TEXT)


class SuspendForm(DecisionForm):
    """Suspend the reported account while the report is looked into."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(prefix="suspend", **kwargs)
        self.message.label.text = _l("Message to the reported person (optional; they will see it)")


class CloseReportForm(DecisionForm):
    outcome = RadioField(
        _l("Outcome"),
        choices=choices(OUTCOMES.items()),
        validators=[InputRequired(_l("Choose an outcome from the list."))],
    )

    def __init__(self, **kwargs: object) -> None:
        super().__init__(prefix="close", **kwargs)
        self.message.label.text = _l(
            "Message to the person who reported (optional; they will see it)"
        )
