"""Forms for introductions (Flask-WTF: each carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from mentormatch.forms import choices
from mentormatch.pairings.rules import REASONS
from mentormatch.pairings.service import MAX_TEXT

KIND_CHOICES = [("coaching", "Coaching"), ("investment", "Investment")]
_TOO_LONG = f"Keep it under {MAX_TEXT} characters."


class RequestForm(FlaskForm):
    """Ask for an introduction: who (hidden, from the suggestion) and an optional message."""

    entrepreneur_id = HiddenField(validators=[InputRequired("Choose who to introduce.")])
    diaspora_id = HiddenField(validators=[InputRequired("Choose who to introduce.")])
    kind = HiddenField(
        validators=[AnyOf(["coaching", "investment"], message="Choose coaching or investment.")]
    )
    message = TextAreaField(
        "Message (optional)",
        description="Say in a few words what you hope for. It is shown to the other person.",
        validators=[Optional(), Length(max=MAX_TEXT, message=_TOO_LONG)],
    )


# Wherever a coordinator decides, two fields: what the people read, and what they never do.
PRIVATE_NOTE_LABEL = "Private note (optional; only coordinators see it)"


class TransitionForm(FlaskForm):
    """One button on a pairing (accept, decline, approve…), with the version the page showed.

    A coordinator's form has two notes: a message both people see, and a private note."""

    version = HiddenField(validators=[InputRequired("Reload the page and try again.")])
    reason = SelectField("Reason", choices=[], validate_choice=True)
    note = TextAreaField(
        "Note (optional)", validators=[Optional(), Length(max=MAX_TEXT, message=_TOO_LONG)]
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
            self.reason.choices = choices(reasons.items(), blank="Choose a reason")
            self.reason.validators = [InputRequired("Choose a reason from the list.")]
        else:
            del self.reason
        if coordinator:
            self.note.label.text = "Message to both people (optional; they will see it)"
        else:
            del self.private_note
        if action == "complete":
            self.reason.label.text = "Outcome"

    def expected_version(self) -> int | None:
        raw = self.version.data
        return int(raw) if raw and str(raw).isdigit() else None

    def validate_version(self, field: HiddenField) -> None:
        if not str(field.data or "").isdigit():
            raise ValidationError("Reload the page and try again.")


class FeedbackForm(FlaskForm):
    rating = RadioField(
        "How useful was this introduction?",
        choices=choices(
            [(5, "5 – very useful"), (4, "4"), (3, "3"), (2, "2"), (1, "1 – not useful")]
        ),
        coerce=int,
        validators=[InputRequired("Choose a rating from 1 to 5.")],
    )
    comment = TextAreaField(
        "Comment (optional)", validators=[Optional(), Length(max=MAX_TEXT, message=_TOO_LONG)]
    )
