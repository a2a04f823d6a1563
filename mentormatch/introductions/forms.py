"""Forms for introductions (Flask-WTF: each carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from mentormatch.forms import choices
from mentormatch.pairings.rules import REASONS
from mentormatch.pairings.service import MAX_TEXT

KIND_CHOICES = [("coaching", _l("Coaching")), ("investment", _l("Investment"))]
_TOO_LONG = _l("Keep it under %(max)d characters.", max=MAX_TEXT)


class RequestForm(FlaskForm):
    """Ask for an introduction: who (hidden, from the suggestion) and an optional message."""

    entrepreneur_id = HiddenField(validators=[InputRequired(_l("Choose who to introduce."))])
    diaspora_id = HiddenField(validators=[InputRequired(_l("Choose who to introduce."))])
    kind = HiddenField(
        validators=[AnyOf(["coaching", "investment"], message=_l("Choose coaching or investment."))]
    )
    message = TextAreaField(
        _l("Message (optional)"),
        description=_l("Say in a few words what you hope for. It is shown to the other person."),
        validators=[Optional(), Length(max=MAX_TEXT, message=_TOO_LONG)],
    )


# Wherever a coordinator decides, two fields: what the people read, and what they never do.
PRIVATE_NOTE_LABEL = _l("Private note (optional; only coordinators see it)")


class TransitionForm(FlaskForm):
    """One button on a pairing (accept, decline, approve…), with the version the page showed.

    A coordinator's form has two notes: a message both people see, and a private note."""

    version = HiddenField(validators=[InputRequired(_l("Reload the page and try again."))])
    reason = SelectField(_l("Reason"), choices=[], validate_choice=True)
    note = TextAreaField(
        _l("Note (optional)"), validators=[Optional(), Length(max=MAX_TEXT, message=_TOO_LONG)]
    )
    private_note = TextAreaField(
        PRIVATE_NOTE_LABEL, validators=[Optional(), Length(max=MAX_TEXT, message=_TOO_LONG)]
    )

    def __init__(
        self, action: str, pairing_id: int, coordinator: bool = False, **kwargs: object
    ) -> None:
        super().__init__(prefix=f"{action}-{pairing_id}", **kwargs)
        self.action = action
        reasons = REASONS.get(action)
        if reasons and action not in ("expire", "auto_withdraw"):
            self.reason.choices = choices(reasons.items(), blank=_l("Choose a reason"))
            self.reason.validators = [InputRequired(_l("Choose a reason from the list."))]
        else:
            del self.reason
        if coordinator:
            self.note.label.text = _l("Message to both people (optional; they will see it)")
        else:
            del self.private_note
        if action == "complete":
            self.reason.label.text = _l("Outcome")

    def expected_version(self) -> int | None:
        raw = self.version.data
        return int(raw) if raw and str(raw).isdigit() else None

    def validate_version(self, field: HiddenField) -> None:
        if not str(field.data or "").isdigit():
            raise ValidationError(str(_l("Reload the page and try again.")))


class FeedbackForm(FlaskForm):
    rating = RadioField(
        _l("How useful was this introduction?"),
        choices=choices(
            [(5, _l("5 – very useful")), (4, "4"), (3, "3"), (2, "2"), (1, _l("1 – not useful"))]
        ),
        coerce=int,
        validators=[InputRequired(_l("Choose a rating from 1 to 5."))],
    )
    comment = TextAreaField(
        _l("Comment (optional)"), validators=[Optional(), Length(max=MAX_TEXT, message=_TOO_LONG)]
    )
