"""One short form per profile step: the widgets, their choices and the CSRF token.

A form refuses only what its widgets cannot send (a value that is not among the boxes
offered); every other rule (required answers, lengths, numbers, ranges, phones, how
answers tie together) is in mentormatch.profiles.rules, which the CSV import and
assisted registration call too, so the same answer gets the same message everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from babel.numbers import get_currency_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from mentormatch import places, taxonomy, vocabulary
from mentormatch.forms import choices
from mentormatch.models import DiasporaProfile, EntrepreneurProfile, Role, Stage, User
from mentormatch.money.rates import Rates
from mentormatch.money.store import latest_rates
from mentormatch.profiles import rules, service

FROM_LIST = _l("Choose one of the options listed.")
# A refused value longer than this is not sent back into the page (a 1 MB paste stays on
# the server); shorter ones are, so a description a little too long can be trimmed.
ECHO_LIMIT = 10_000


class Needed:
    """Marks a field as required in its label (the rules say what is missing)."""

    field_flags = {"required": True}

    def __call__(self, form: Any, field: Any) -> None:
        """Check nothing: the profile rules give the message, the same as in an import."""


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes; a value sent twice counts once, a forged one is refused."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(list(dict.fromkeys(valuelist)))

    def pre_validate(self, form: Any) -> None:
        acceptable = {choice.value for choice in self._iter_choices_normalized()}
        unknown = [str(v) for v in self.data or [] if v not in acceptable]
        if unknown:
            shown = unknown[0] if len(unknown[0]) <= 40 else unknown[0][:40] + "…"
            raise ValidationError(
                _(
                    "“%(value)s” is not one of the options. Choose one of the options listed.",
                    value=shown,
                )
            )


class ChoiceField(SelectField):
    """A drop-down where no answer is allowed (required-ness is a validator's job)."""

    def pre_validate(self, form: Any) -> None:
        if self.data not in (None, ""):
            super().pre_validate(form)


class WholeNumberField(StringField):
    """A whole number typed as people write it ("5000", "5,000"); the rules read it."""

    # A text box with the phone's number pad: type=number would drop "5,000" silently.
    widget = TextInput()

    def __init__(self, label: str, validators: Sequence[Any] = (), **kwargs: Any) -> None:
        render_kw = {"inputmode": "numeric", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)


class StepForm(FlaskForm):
    """A wizard step: fields named like the profile's attributes."""

    def forget_oversized(self) -> None:
        """Before the page is shown again: drop answers too long to send back (a 1 MB paste
        stays on the server); shorter ones stay, so a text a little too long can be trimmed."""
        for field in self:
            raw = field.raw_data[0] if field.raw_data else None
            if isinstance(raw, str) and len(raw) > ECHO_LIMIT:
                field.data, field.raw_data = None, []

    def prepare(self, session: Session, profile: Any, user: User) -> None:
        """Set the choices that depend on the database or on the answers so far."""

    def fill_defaults(self, profile: Any, user: User) -> None:
        """Propose answers on a first visit (the account's email)."""

    def to_data(self) -> dict[str, Any]:
        """The answers, by field name, for mentormatch.profiles.service."""
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}

    def add_errors(self, errors: dict[str, str]) -> None:
        """Show the service's messages next to their fields."""
        for name, message in errors.items():
            field = self._fields.get(name)
            if field is not None:
                field.errors = [*field.errors, message]


def _code(value: Any) -> str:
    """A choice's value from a code or a taxonomy object (value chains and skills have .code)."""
    return str(getattr(value, "code", value))


class LanguagesMixin:
    languages = MultiCheckboxField(_l("Languages you speak"), coerce=_code)
    other_languages = StringField(
        _l("Other languages"),
        validators=[Length(max=200, message=_l("Keep this to 200 characters or fewer."))],
        description=_l("Names or codes, separated by ; for example: Hausa; Fula"),
    )

    def offer_languages(self, countries: Sequence[str]) -> None:
        chosen = list(self.languages.data or [])
        # A ticked language outside the short list (saved earlier) stays listed.
        # Only ISO 639-3 codes as stored; the length check keeps long junk out of the lookup cache.
        known = [c for c in chosen if len(c) == 3 and (taxonomy.lookup_language(c) or [""])[0] == c]
        codes = service.languages_offered(countries, known)
        self.languages.choices = [
            SelectChoice(value=code, label=service.language_label(code)) for code in codes
        ]

    def validate_other_languages(self, field: StringField) -> None:
        if field.errors:
            return
        try:
            vocabulary.parse_language_list(field.data or "")
        except vocabulary.VocabularyError as exc:
            raise ValidationError(str(exc)) from exc

    def to_data(self) -> dict[str, Any]:
        """The ticked languages and the typed ones, as one list of codes."""
        others = vocabulary.parse_language_list(self.other_languages.data or "")
        languages = list(dict.fromkeys([*(self.languages.data or []), *others]))
        return {**super().to_data(), "languages": languages}  # type: ignore[misc]


# --- entrepreneur ------------------------------------------------------------------------


class BusinessForm(StepForm):
    business_name = StringField(
        _l("Business name"),
        validators=[Needed()],
        description=_l("The name people know your farm or business by."),
    )
    description = TextAreaField(
        _l("What your business does"),
        description=_l("What you grow, make or sell, and to whom."),
    )
    stage = RadioField(
        _l("Stage of your business"),
        choices=vocabulary.stage_choices(),
        default=Stage.STARTING.value,
        invalid_choice_message=FROM_LIST,
    )


class WhereForm(StepForm):
    country_code = SelectField(
        _l("Country"),
        validators=[Needed()],
        invalid_choice_message=_l("Choose a country from the list."),
    )
    region_code = SelectField(
        _l("Region"),
        validate_choice=False,  # the service says which country's region is expected
        description=_l(
            "The state, region or province. Not sure? Leave it empty and write your town: "
            "we find the region. Changed the country? Press “Show regions”."
        ),
    )
    locality = StringField(
        _l("Town, village or district"),
        description=_l("For example: Liloan, Cebu. We use it to find your region."),
    )
    # Offered when the town could be in several regions; nothing is saved from it but the
    # region chosen.
    suggested_region = RadioField(_l("Which region is it in?"), validate_choice=False, choices=[])
    # The locality whose placement the page showed: a changed locality is shown again.
    checked_locality = HiddenField()

    placement: places.Placement | None = None

    def prepare(self, session: Session, profile: Any, user: User) -> None:
        self.country_code.choices = choices(taxonomy.country_choices(), blank=_("Choose a country"))
        country = self.shown_country()
        self.region_code.choices = choices(
            taxonomy.region_choices(country) if country else [],
            blank=_("Choose a region") if country else _("Choose the country first"),
        )
        self.placement = service.placement_of(profile) if profile is not None else None
        candidates = self.placement.candidates if self.placement else ()
        if self.placement and self.placement.status is places.Status.AMBIGUOUS:
            self.suggested_region.choices = [
                SelectChoice(value=c.region_code, label=taxonomy.region_name(c.region_code))
                for c in candidates
            ] + [SelectChoice(value="", label=_("None of these: continue with the country only"))]
        if self.placement and not self.checked_locality.data:
            self.checked_locality.data = profile.locality

    def validate_suggested_region(self, field: RadioField) -> None:
        offered = {choice.value for choice in self.suggested_region.choices or []}
        if field.data not in (None, "") and field.data not in offered:
            raise ValidationError(FROM_LIST)

    def shown_country(self) -> str | None:
        """The country whose regions the page lists."""
        code = (self.country_code.data or "").upper()
        return code if taxonomy.is_country(code) else None


class ValueChainsForm(StepForm):
    value_chains = MultiCheckboxField(
        _l("Value chains"),
        coerce=_code,
        # "Value chain" is programme jargon: the hint says it in everyday words.
        description=_l(
            "The crops, animals or products the business is about. "
            "Choose from 1 to %(most)s: the main ones.",
            most=rules.MAX_VALUE_CHAINS,
        ),
    )

    def prepare(self, session: Session, profile: Any, user: User) -> None:
        self.value_chains.choices = [
            SelectChoice(
                value=code, label=taxonomy.chain_name(label), optgroup=taxonomy.group_name(group)
            )
            for code, label, group in taxonomy.value_chain_choices(session)
        ]

    def groups(self) -> list[tuple[str, list[Any]]]:
        """The checkboxes grouped by value-chain group, for one fieldset each."""
        by_value = {option.data: option for option in self.value_chains}
        grouped: dict[str, list[Any]] = {}
        for choice in self.value_chains.choices or []:
            grouped.setdefault(choice.optgroup or "", []).append(by_value[choice.value])
        return list(grouped.items())


class NeedsForm(LanguagesMixin, StepForm):
    skills_needed = MultiCheckboxField(_l("Skills you need help with"), coerce=_code)
    skills_needed_text = TextAreaField(
        _l("Tell us more about what you need"),
        description=_l("Optional. For example: keeping records of feed costs and egg sales."),
    )

    def prepare(self, session: Session, profile: Any, user: User) -> None:
        self.skills_needed.choices = _skill_choices(session)
        self.offer_languages([profile.country_code] if profile else [])


def _skill_choices(session: Session) -> list[SelectChoice]:
    """The skills as checkboxes, named in the reader's language, in taxonomy order."""
    return choices(
        (code, taxonomy.skill_name(label)) for code, label in taxonomy.skill_choices(session)
    )


YES_NO = choices([("yes", _l("Yes")), ("no", _l("No"))])


def _yes(value: Any) -> bool | None:
    """Radio 'yes'/'no' (or a stored bool) -> bool."""
    if isinstance(value, bool) or value is None:
        return value
    if value in ("yes", "no"):
        return value == "yes"
    raise ValueError(value)


def _currency_field(label: str) -> ChoiceField:
    return ChoiceField(
        label,
        # The profile rules refuse a currency without a rate, with the import's message.
        validate_choice=False,
        description=_l(
            "Only currencies with an exchange rate are listed, so that amounts can be compared."
        ),
    )


def _offer_currencies(field: ChoiceField, rates: Rates, country: str | None, first: bool) -> None:
    """List the currencies that have a rate; on a first visit propose the country's."""
    language = taxonomy.reader_language()
    field.choices = choices(
        (
            (code, f"{code} – {get_currency_name(code, locale=language)}")
            for code, _name in taxonomy.currencies()
            if code in rates
        ),
        blank=_("Choose a currency"),
    )
    if not first:
        return
    if not field.data:
        field.data = service.default_currency(country, rates)
    elif field.data not in rates:
        # Saved before its rate went away: say so rather than switch currency behind their back.
        field.errors = [rules.no_rate_message(field.data, rates, field.name)]


def _instruments_field(label: str) -> MultiCheckboxField:
    return MultiCheckboxField(label, choices=vocabulary.instrument_choices())


class InvestmentForm(StepForm):
    seeking_investment = RadioField(
        _l("Are you looking for investment or a loan?"),
        choices=YES_NO,
        coerce=_yes,
        invalid_choice_message=FROM_LIST,
        invalid_value_message=FROM_LIST,
    )
    investment_amount = WholeNumberField(
        _l("How much?"),
        description=_l("If you are looking for investment. A whole number, for example 5000."),
    )
    investment_currency = _currency_field(_l("Currency"))
    investment_instruments = _instruments_field(_l("Kinds of money you would accept"))
    is_returnee = BooleanField(_l("I came back from living or working abroad (returnee)"))
    is_women_led = BooleanField(_l("The business is led by a woman"))
    is_youth_led = BooleanField(_l("The business is led by a young person (under 35)"))

    def prepare(self, session: Session, profile: Any, user: User) -> None:
        country = profile.country_code if profile else None
        first = not self.is_submitted()
        _offer_currencies(self.investment_currency, latest_rates(session), country, first)


class ContactForm(StepForm):
    contact_email = StringField(
        _l("Email for introductions"),
        description=_l("Optional."),
    )
    contact_phone = StringField(
        _l("Phone or WhatsApp number"),
        description=_l(
            "Optional. A number of the country of your profile, or with its country "
            "code, for example +234 803 123 4567."
        ),
    )

    def fill_defaults(self, profile: Any, user: User) -> None:
        if not self.contact_email.data:
            self.contact_email.data = user.email or ""
        if not self.contact_phone.data:
            self.contact_phone.data = user.phone or ""


# --- diaspora ----------------------------------------------------------------------------


class AboutForm(StepForm):
    headline = StringField(
        _l("Headline"),
        validators=[Needed()],
        description=_l("One line, for example: Agronomist, coffee quality and export."),
    )
    bio = TextAreaField(
        _l("About you"),
        description=_l("Optional. Your experience and what you would like to pass on."),
    )
    residence_country = SelectField(
        _l("Country where you live"),
        validators=[Needed()],
        invalid_choice_message=_l("Choose a country from the list."),
    )

    def prepare(self, session: Session, profile: Any, user: User) -> None:
        self.residence_country.choices = choices(
            taxonomy.country_choices(), blank=_("Choose a country")
        )


class RootsForm(StepForm):
    # Only says which regions to list; nothing of it is saved.
    country = ChoiceField(
        _l("Country"),
        description=_l("Choose a country and press “Show regions” to list its regions."),
        invalid_choice_message=_l("Choose a country from the list."),
    )
    origin_regions = MultiCheckboxField(
        _l("Regions you come from"),
        description=_l("Choose the country, press “Show regions”, then tick the region."),
    )
    interest_regions = MultiCheckboxField(
        _l("Regions you want to support"),
        description=_l("Optional. Leave empty if they are the regions you come from."),
    )

    def prepare(self, session: Session, profile: Any, user: User) -> None:
        self.country.choices = choices(taxonomy.country_choices(), blank=_("Choose a country"))
        country = self.shown_country()
        listed = taxonomy.region_choices(country) if country else []
        for field in (self.origin_regions, self.interest_regions):
            # Regions already ticked stay listed (so they can be unticked) whatever the country.
            ticked = [code for code in field.data or [] if taxonomy.is_region(code)]
            others = [c for c in ticked if not country or not taxonomy.is_region_of(c, country)]
            field.choices = [
                SelectChoice(
                    value=code,
                    label=_(
                        "%(region)s (%(country)s)",
                        region=taxonomy.region_name(code),
                        country=taxonomy.country_name(code[:2]),
                    ),
                )
                for code in others
            ] + choices(listed)

    def shown_country(self) -> str | None:
        code = (self.country.data or "").upper()
        return code if taxonomy.is_country(code) else None

    def fill_defaults(self, profile: Any, user: User) -> None:
        regions = list(profile.origin_regions) if profile else []
        if regions and not self.country.data:
            self.country.data = regions[0][:2]

    def to_data(self) -> dict[str, Any]:
        return {
            "origin_regions": self.origin_regions.data or [],
            "interest_regions": self.interest_regions.data or [],
        }


class DiasporaValueChainsForm(ValueChainsForm):
    preferred_stages = MultiCheckboxField(
        _l("Stages of business you would like to work with"),
        choices=vocabulary.stage_choices(),
        description=_l("Optional. Leave empty for any stage."),
    )


class SkillsForm(LanguagesMixin, StepForm):
    skills_offered = MultiCheckboxField(_l("Skills you can offer"), coerce=_code)
    skills_offered_text = TextAreaField(
        _l("Tell us more about your skills"),
        description=_l("Optional. For example: coffee cupping, washing stations, export papers."),
    )

    def prepare(self, session: Session, profile: Any, user: User) -> None:
        self.skills_offered.choices = _skill_choices(session)
        countries = [profile.residence_country, *profile.origin_countries] if profile else []
        self.offer_languages(countries)


class OffersForm(StepForm):
    offers_coaching = BooleanField(_l("I can coach or mentor entrepreneurs"))
    mentee_capacity = WholeNumberField(
        _l("How many entrepreneurs at once?"),
        description=_l(
            "From 1 to %(most)s. We never suggest more than this.", most=rules.MAX_MENTEES
        ),
    )
    hours_per_month = WholeNumberField(
        _l("Hours a month"),
        description=_l("Optional, up to %(most)s.", most=rules.MAX_HOURS_PER_MONTH),
    )
    offers_investment = BooleanField(_l("I can invest or lend money"))
    ticket_min = WholeNumberField(_l("Smallest amount"))
    ticket_max = WholeNumberField(_l("Largest amount"))
    ticket_currency = _currency_field(_l("Currency"))
    investment_instruments = _instruments_field(_l("Kinds of money you would offer"))

    def prepare(self, session: Session, profile: Any, user: User) -> None:
        country = profile.residence_country if profile else None
        first = not self.is_submitted()
        _offer_currencies(self.ticket_currency, latest_rates(session), country, first)


STEP_FORMS: dict[Role, dict[str, type[StepForm]]] = {
    Role.ENTREPRENEUR: {
        "business": BusinessForm,
        "where": WhereForm,
        "value-chains": ValueChainsForm,
        "needs": NeedsForm,
        "investment": InvestmentForm,
        "contact": ContactForm,
    },
    Role.DIASPORA: {
        "about": AboutForm,
        "roots": RootsForm,
        "value-chains": DiasporaValueChainsForm,
        "skills": SkillsForm,
        "offers": OffersForm,
        "contact": ContactForm,
    },
}


def step_form(
    role: Role,
    step: str,
    session: Session,
    profile: EntrepreneurProfile | DiasporaProfile | None,
    user: User,
    first_visit: bool,
) -> StepForm:
    """Build the form of one step: from the request on POST, from the profile on a first visit."""
    form_class = STEP_FORMS[role][step]
    form = form_class(obj=profile) if first_visit else form_class()
    if first_visit:
        form.fill_defaults(profile, user)
    form.prepare(session, profile, user)
    return form
