"""The check-in form on an introduction's page, and the coaching -> investment button."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from mentormatch import taxonomy
from mentormatch.followup.service import MAX_SESSIONS
from mentormatch.forms import choices
from mentormatch.models import Instrument, Pairing, PairingKind
from mentormatch.money.rates import Rates
from mentormatch.pairings.service import MAX_TEXT
from mentormatch.profiles.forms import YES_NO, WholeNumberField

ANSWER_YES_OR_NO = _l("Answer yes or no.")


def _yes(value: Any) -> bool | None:
    """Radio 'yes'/'no' -> bool (None when not answered)."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    if value in ("yes", "no"):
        return value == "yes"
    raise ValueError(str(ANSWER_YES_OR_NO))


class CheckInForm(FlaskForm):
    """One side's check-in; the money questions only on investment introductions."""

    day = SelectField(_l("Which check-in"), coerce=int, choices=[], validate_choice=True)
    met = RadioField(
        _l("Have you met (in person, by phone or online)?"),
        choices=YES_NO,
        coerce=_yes,
        validators=[InputRequired(ANSWER_YES_OR_NO)],
    )
    sessions = IntegerField(
        _l("How many sessions have you held so far, in all?"),
        widget=TextInput(),
        render_kw={"inputmode": "numeric"},
        validators=[
            InputRequired(_l("Give the number of sessions, 0 if none.")),
            NumberRange(
                0, MAX_SESSIONS, _l("Give a whole number from 0 to %(max)d.", max=MAX_SESSIONS)
            ),
        ],
        description=_l(
            "Count every session since the introduction, not only since the last check-in."
        ),
    )
    what_changed = TextAreaField(
        _l("What changed? (optional)"),
        validators=[
            Optional(),
            Length(max=MAX_TEXT, message=_l("Keep it under %(max)d characters.", max=MAX_TEXT)),
        ],
        description=_l("For example: started keeping records, found a feed supplier."),
    )
    money_committed = RadioField(
        _l("Was money committed?"),
        choices=YES_NO,
        coerce=_yes,
        validators=[InputRequired(ANSWER_YES_OR_NO)],
    )
    amount = WholeNumberField(
        _l("How much was committed?"), description=_l("Leave empty if no money was committed.")
    )
    currency = SelectField(_l("Currency of the amount"), choices=[], validate_choice=False)
    instrument = SelectField(_l("Kind of money"), choices=[], validate_choice=False)

    def __init__(
        self, pairing: Pairing, days: list[int], rates: Rates | None = None, **kwargs: Any
    ) -> None:
        super().__init__(prefix="check-in", **kwargs)
        self.day.choices = choices((day, _("%(day)d-day check-in", day=day)) for day in days)
        if pairing.kind is PairingKind.COACHING:
            for name in ("money_committed", "amount", "currency", "instrument"):
                delattr(self, name)
            return
        # Only currencies with a rate, as on profiles: the amount is also kept in dollars.
        self.currency.choices = choices(
            (
                (code, f"{code} – {name}")
                for code, name in taxonomy.currencies()
                if rates is None or code in rates
            ),
            blank="—",
        )
        self.instrument.choices = choices(((i.value, i.label) for i in Instrument), blank="—")
        if not self.currency.data:
            self.currency.data = pairing.entrepreneur.investment_currency or ""


class FollowWithInvestmentForm(FlaskForm):
    """A button only: the coaching introduction and the member are known from the URL."""
