"""The matching round's form: kind, scope, quotas, and places per investor."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import TextInput

from mentormatch.forms import ListSelectField, choices
from mentormatch.introductions.forms import KIND_CHOICES
from mentormatch.rounds.service import DEFAULT_PER_INVESTOR, MAX_PER_INVESTOR

PERCENT = _l("Give a whole percentage from 0 to 100, or leave it empty.")


def _percent(label: object, description: object = "") -> IntegerField:
    return IntegerField(
        label,
        widget=TextInput(),
        render_kw={"inputmode": "numeric"},
        validators=[Optional(), NumberRange(0, 100, PERCENT)],
        description=description,
    )


class RoundForm(FlaskForm):
    """Ask the engine for a proposal (nothing is sent to anyone until it is confirmed)."""

    kind = SelectField(
        _l("Kind of introduction"),
        choices=choices(KIND_CHOICES),
        validators=[InputRequired(_l("Choose coaching or investment."))],
    )
    country = ListSelectField(
        _l("Country"),
        choices=[],
        validators=[InputRequired(_l("Choose the country of the round."))],
    )
    region = ListSelectField(_l("Region (optional)"), choices=[], default="")
    value_chain = ListSelectField(_l("Value chain (optional)"), choices=[], default="")
    women_led = _percent(
        _l("Minimum share of women-led businesses (%)"),
        _l("Among the entrepreneurs the round reaches."),
    )
    youth_led = _percent(_l("Minimum share of youth-led businesses (%)"))
    returnee = _percent(_l("Minimum share of returnee businesses (%)"))
    each_region = _percent(
        _l("Minimum share for each region (%)"),
        _l("Applied to every region of the scope that has entrepreneurs in the round."),
    )
    per_investor = IntegerField(
        _l("New introductions per investor (investment rounds)"),
        widget=TextInput(),
        render_kw={"inputmode": "numeric"},
        default=DEFAULT_PER_INVESTOR,
        validators=[
            Optional(),
            NumberRange(
                1,
                MAX_PER_INVESTOR,
                _l("Give a number from 1 to %(max)d.", max=MAX_PER_INVESTOR),
            ),
        ],
    )


class ConfirmForm(FlaskForm):
    """The confirmation button: the proposal itself is kept on the server."""
