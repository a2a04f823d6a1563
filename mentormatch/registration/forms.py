"""Forms of assisted registration, field officers and claiming an account.

Like the profile wizard's, these forms hold the widgets and their choices only; the
answers are checked by mentormatch.profiles.rules (through registration/service.py).
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from mentormatch import taxonomy
from mentormatch.auth.forms import NewPasswordForm, _confirm_field, _new_password_field
from mentormatch.forms import choices
from mentormatch.models import ConsentMethod, ReviewStatus, Stage
from mentormatch.profiles.forms import MultiCheckboxField, Needed, ValueChainsForm
from mentormatch.registration import consent
from mentormatch.transfers.forms import STATUS_CHOICES


class RegistrationForm(FlaskForm):
    """An entrepreneur met in the field: who, where, what, and (new ones) their consent."""

    full_name = StringField("Full name", validators=[Needed()])
    phone = StringField(
        "Phone number",
        validators=[Needed()],
        description="As dialled in the country of the business (0803 123 4567) or with its "
        "country code (+234 803 123 4567). The person claims the account with it.",
    )
    email = StringField("Email address", description="Optional.")
    country_code = SelectField("Country", validators=[Needed()], validate_choice=False)
    region_code = StringField(
        "Region",
        description="Optional: the state, region or province (name or code, e.g. Kano). "
        "Leave it empty and write the town: the region is found from it.",
    )
    locality = StringField("Town, village or district", description="For example: Dawakin Kudu.")
    business_name = StringField("Name of the farm or business", validators=[Needed()])
    description = TextAreaField("What the business does", description="Optional.")
    stage = RadioField(
        "Stage of the business",
        choices=choices((s.value, s.label) for s in Stage),
        default=Stage.STARTING.value,
        validate_choice=True,
    )
    value_chains = MultiCheckboxField(
        "Value chains", description="The crops, animals or products: from 1 to 5, the main ones."
    )
    languages = StringField(
        "Languages spoken",
        validators=[Needed()],
        description="Names or codes separated by ; for example: Hausa; English",
    )
    is_returnee = BooleanField("Came back from living or working abroad (returnee)")
    is_women_led = BooleanField("The business is led by a woman")
    is_youth_led = BooleanField("The business is led by a young person (under 35)")

    def prepare(self, session: Session) -> None:
        """Fill the lists that come from the database."""
        self.country_code.choices = choices(taxonomy.countries(), blank="Choose a country")
        self.value_chains.choices = [
            SelectChoice(value=code, label=label, optgroup=group)
            for code, label, group in taxonomy.value_chain_choices(session)
        ]

    groups = ValueChainsForm.groups

    def answers(self) -> dict[str, Any]:
        """The answers, named as the profile rules read them."""
        names = (
            "full_name", "phone", "email", "country_code", "region_code", "locality",
            "business_name", "description", "stage", "value_chains", "languages",
            "is_returnee", "is_women_led", "is_youth_led",
        )  # fmt: skip
        return {name: self[name].data for name in names}

    def add_errors(self, errors: dict[str, str]) -> None:
        """Show the rules' messages next to their fields."""
        for name, message in errors.items():
            if name in self._fields:
                self[name].errors = [*self[name].errors, message]


class NewRegistrationForm(RegistrationForm):
    """A new registration: also the consent, the review status and the invitation."""

    consent_register = BooleanField(consent.STATEMENTS["register"], validators=[Needed()])
    consent_share = BooleanField(consent.STATEMENTS["share"], validators=[Needed()])
    consent_sms = BooleanField(consent.STATEMENTS["sms"])
    consent_method = RadioField(
        "How the person agreed",
        choices=choices((m.value, m.label) for m in ConsentMethod),
        validate_choice=False,  # the registration says when it is missing
        validators=[Needed()],
    )
    review_status = RadioField(
        "The profile starts",
        choices=choices(STATUS_CHOICES),
        default=ReviewStatus.APPROVED.value,
        validate_choice=True,
    )
    send_invitation = BooleanField(
        "Send a text message now saying how to claim the account (only if they agreed to "
        "text messages)",
        default=True,
    )

    def agreed(self) -> list[str]:
        """The keys of the statements ticked."""
        return [key for key in consent.STATEMENTS if self[f"consent_{key}"].data]


class FieldOfficerForm(FlaskForm):
    """A new field officer: a name and an email address or a phone number (or both)."""

    full_name = StringField("Full name", validators=[Needed()])
    email = StringField("Email address", description="They receive their code here, or by SMS.")
    phone = StringField(
        "Phone number", description="With its country code, for example +223 76 12 34 56."
    )


class ClaimRequestForm(FlaskForm):
    """The phone number or email address an account was registered with."""

    login = StringField(
        "Phone number or email address",
        validators=[
            DataRequired("Enter the phone number or email address you were registered with."),
            Length(max=254, message="That is too long for a phone number or email address."),
        ],
        description="The one the coordinator or field officer registered you with.",
    )


class ClaimForm(NewPasswordForm):
    """The code received, and the password chosen."""

    login = StringField(
        "Phone number or email address",
        validators=[
            DataRequired("Enter the phone number or email address the code was sent to."),
            Length(max=254, message="That is too long for a phone number or email address."),
        ],
    )
    code = StringField(
        "Code",
        validators=[
            DataRequired("Enter the code from the message."),
            Length(max=20, message="The code has 6 digits."),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )
    password = _new_password_field("Choose a password")
    confirm = _confirm_field("Type the password again")
