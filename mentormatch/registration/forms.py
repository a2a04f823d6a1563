"""Forms of assisted registration, field officers and claiming an account.

Like the profile wizard's, these forms hold the widgets and their choices only; the
answers are checked by mentormatch.profiles.rules (through registration/service.py).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
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
from mentormatch.i18n.choices import language_choices
from mentormatch.models import ConsentMethod, ReviewStatus, Stage
from mentormatch.profiles.forms import MultiCheckboxField, Needed, ValueChainsForm
from mentormatch.registration import consent
from mentormatch.transfers.forms import STATUS_CHOICES


class RegistrationForm(FlaskForm):
    """An entrepreneur met in the field: who, where, what, and (new ones) their consent."""

    full_name = StringField(_l("Full name"), validators=[Needed()])
    phone = StringField(
        _l("Phone number"),
        validators=[Needed()],
        description=_l(
            "As dialled in the country of the business (0803 123 4567) or with its "
            "country code (+234 803 123 4567). The person claims the account with it."
        ),
    )
    email = StringField(_l("Email address"), description=_l("Optional."))
    country_code = SelectField(_l("Country"), validators=[Needed()], validate_choice=False)
    region_code = StringField(
        _l("Region"),
        description=_l(
            "Optional: the state, region or province (name or code, e.g. Kano). "
            "Leave it empty and write the town: the region is found from it."
        ),
    )
    locality = StringField(
        _l("Town, village or district"), description=_l("For example: Dawakin Kudu.")
    )
    business_name = StringField(_l("Name of the farm or business"), validators=[Needed()])
    description = TextAreaField(_l("What the business does"), description=_l("Optional."))
    stage = RadioField(
        _l("Stage of the business"),
        choices=[],  # prepare(): the labels are in the reader's language
        default=Stage.STARTING.value,
        validate_choice=True,
    )
    value_chains = MultiCheckboxField(
        _l("Value chains"),
        description=_l("The crops, animals or products: from 1 to 5, the main ones."),
    )
    languages = StringField(
        _l("Languages spoken"),
        validators=[Needed()],
        description=_l("Names or codes separated by ; for example: Hausa; English"),
    )
    language = RadioField(
        _l("Language the person reads"),
        choices=choices(language_choices()),
        validate_choice=False,  # the registration rules say when it is not one of them
        description=_l(
            "MentorMatch writes to them in it: the text messages, the emails and the pages."
        ),
    )
    is_returnee = BooleanField(_l("Came back from living or working abroad (returnee)"))
    is_women_led = BooleanField(_l("The business is led by a woman"))
    is_youth_led = BooleanField(_l("The business is led by a young person (under 35)"))

    def prepare(self, session: Session) -> None:
        """Fill the lists that come from the database."""
        self.country_code.choices = choices(
            taxonomy.country_choices(), blank=_l("Choose a country")
        )
        self.stage.choices = choices((s.value, s.label) for s in Stage)
        self.value_chains.choices = [
            SelectChoice(
                value=code, label=taxonomy.chain_name(label), optgroup=taxonomy.group_name(group)
            )
            for code, label, group in taxonomy.value_chain_choices(session)
        ]

    groups = ValueChainsForm.groups

    def answers(self) -> dict[str, Any]:
        """The answers, named as the profile rules read them."""
        names = (
            "full_name", "phone", "email", "country_code", "region_code", "locality",
            "business_name", "description", "stage", "value_chains", "languages",
            "is_returnee", "is_women_led", "is_youth_led", "language",
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
        _l("How the person agreed"),
        choices=[],  # prepare(): the labels are in the reader's language
        validate_choice=False,  # the registration says when it is missing
        validators=[Needed()],
    )
    review_status = RadioField(
        _l("The profile starts"),
        choices=choices(STATUS_CHOICES),
        default=ReviewStatus.APPROVED.value,
        validate_choice=True,
    )
    send_invitation = BooleanField(
        _l(
            "Send a text message now saying how to claim the account (only if they agreed "
            "to text messages)"
        ),
        default=True,
    )

    def prepare(self, session: Session) -> None:
        """Fill the lists that come from the database or read in the reader's language."""
        super().prepare(session)
        self.consent_method.choices = choices((m.value, m.label) for m in ConsentMethod)

    def agreed(self) -> list[str]:
        """The keys of the statements ticked."""
        return [key for key in consent.STATEMENTS if self[f"consent_{key}"].data]


class FieldOfficerForm(FlaskForm):
    """A new field officer: a name and an email address or a phone number (or both)."""

    full_name = StringField(_l("Full name"), validators=[Needed()])
    full_name = StringField(_l("Full name"), validators=[Needed()])
    email = StringField(
        _l("Email address"), description=_l("They receive their code here, or by SMS.")
    )
    phone = StringField(
        _l("Phone number"), description=_l("With its country code, for example +223 76 12 34 56.")
    )


class ClaimRequestForm(FlaskForm):
    """The phone number or email address an account was registered with."""

    login = StringField(
        _l("Phone number or email address"),
        validators=[
            DataRequired(_l("Enter the phone number or email address you were registered with.")),
            Length(max=254, message=_l("That is too long for a phone number or email address.")),
        ],
        description=_l("The one the coordinator or field officer registered you with."),
    )


class ClaimForm(NewPasswordForm):
    """The code received, and the password chosen."""

    login = StringField(
        _l("Phone number or email address"),
        validators=[
            DataRequired(_l("Enter the phone number or email address the code was sent to.")),
            Length(max=254, message=_l("That is too long for a phone number or email address.")),
        ],
    )
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(_l("Enter the code from the message.")),
            Length(max=20, message=_l("The code has 6 digits.")),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )
    password = _new_password_field(_l("Choose a password"))
    confirm = _confirm_field(_l("Type the password again"))
