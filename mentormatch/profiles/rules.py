"""The profile rules, in one place: what a profile answer must be, and what to say when it
is not.

The profile wizard, the CSV/XLSX import, assisted registration and (later) the API all
call these functions with the answers as they arrived: text as typed (a CSV cell, a form
field) or values a form already typed (a ticked box, a list of codes). Each section
function checks one group of answers, records one message per field in `Problems`, and
returns the clean values of the fields it could read. The same bad answer therefore gets
the same message wherever it is typed (tests/profiles/test_one_rulebook.py holds them
to it). Messages name no person ("the business", not "your business"), since a
coordinator importing a survey reads them as well as the person filling the wizard.
They are translated where they are made (gettext), so each reads them in their own
language: the person on the form, the coordinator in the import's report.

The one intended difference: the wizard and assisted registration ask for a town or a
region (the person is there to say it), while an import of an old survey may lack both;
such a row is imported at country level with a note (`place_required`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from babel.numbers import format_decimal
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from mentormatch import phones, places, taxonomy, vocabulary
from mentormatch.auth.service import BIDI_CONTROLS, full_name_problem
from mentormatch.models import RegionSource, Stage
from mentormatch.money.rates import Rates
from mentormatch.money.store import latest_rates
from mentormatch.vocabulary import Vocabulary, VocabularyError

MAX_VALUE_CHAINS = 5
# Local currency units, so it must allow large naira or sum amounts; fits a 32-bit column.
MAX_INVESTMENT_AMOUNT = 2_000_000_000
MAX_REGIONS = 10
MAX_MENTEES = 20
MAX_HOURS_PER_MONTH = 160

# Longest text per field.
TEXT_LIMITS = {
    "full_name": 120,
    "email": 254,
    "contact_email": 254,
    "business_name": 120,
    "headline": 140,
    "description": 2000,
    "bio": 2000,
    "locality": 120,
    "skills_needed_text": 2000,
    "skills_offered_text": 2000,
}
MULTILINE = {"description", "bio", "skills_needed_text", "skills_offered_text"}
# A cell holding one code, a number or yes/no; a ';'-separated list.
MAX_SHORT_LENGTH = 100
MAX_LIST_LENGTH = 1000

TRUE_WORDS = {"yes", "y", "true", "1", "x", "on"}
FALSE_WORDS = {"no", "n", "false", "0", "off"}
# Thousands written the way people do: 5,000 / 5 000 / 5.000 / 5'000
_GROUPED_DIGITS = re.compile(r"-?\d{1,3}(?:[ ,.'_\u00a0\u202f]\d{3})+")
_PLAIN_NUMBER = re.compile(r"-?\d+")

Answers = Mapping[str, Any]


def written_number(value: int) -> str:
    """A number as the reader writes it: 2,000 in English, 2 000 in French."""
    return str(format_decimal(value, locale=taxonomy.reader_language()))


class ProfileInputError(ValueError):
    """Input that breaks a profile rule; `errors` maps each field name to what to fix."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


class Problems:
    """What to fix, one message per field (the first found), in the order found."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        """Record a problem with `field`, unless it already has one."""
        self.errors.setdefault(field, message)

    def has(self, *fields: str) -> bool:
        """True when any of the fields has a problem."""
        return any(field in self.errors for field in fields)

    def check(self) -> None:
        """Raise ProfileInputError with every problem found, if any."""
        if self.errors:
            raise ProfileInputError(self.errors)


class Vocabularies:
    """The vocabularies answers are read against, built once per import or request."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._regions: dict[str, Vocabulary] = {}

    @cached_property
    def value_chains(self) -> Vocabulary:
        return vocabulary.value_chains(self._session)

    @cached_property
    def skills(self) -> Vocabulary:
        return vocabulary.skills(self._session)

    @cached_property
    def countries(self) -> Vocabulary:
        return vocabulary.countries()

    @cached_property
    def stages(self) -> Vocabulary:
        return vocabulary.stages()

    @cached_property
    def instruments(self) -> Vocabulary:
        return vocabulary.instruments()

    @cached_property
    def rates(self) -> Rates:
        return latest_rates(self._session)

    def regions(self, country: str) -> Vocabulary:
        """The first-level regions of a country, by code or name."""
        if country not in self._regions:
            self._regions[country] = vocabulary.regions(country)
        return self._regions[country]


# --- one answer ---------------------------------------------------------------------------


# C0 and C1 control characters but tab and line feed, and bidirectional overrides.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")


def clean_text(value: Any, multiline: bool = False) -> str:
    """Text as stored: NFC, trimmed, without control characters or bidirectional overrides
    (a NUL byte breaks PostgreSQL, overrides disguise text); line breaks are kept only in
    multi-line fields, elsewhere they and tabs become spaces."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    if multiline:
        return text.replace("\u2028", "\n").replace("\u2029", "\n").strip()
    return " ".join(text.split())


def _echo(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def text(
    problems: Problems, answers: Answers, field: str, required_message: str | None = None
) -> str:
    """A text answer, cleaned; '' (with a problem) when too long or missing but required."""
    value = clean_text(answers.get(field), field in MULTILINE)
    limit = TEXT_LIMITS.get(field, MAX_SHORT_LENGTH)
    if len(value) > limit:
        problems.add(
            field,
            ngettext(
                "Keep this to %(limit)s character or fewer; it has %(count)s.",
                "Keep this to %(limit)s characters or fewer; it has %(count)s.",
                limit,
                limit=written_number(limit),
                count=written_number(len(value)),
            ),
        )
        return ""
    if not value and required_message:
        problems.add(field, required_message)
    return value


def person_name(problems: Problems, answers: Answers, field: str = "full_name") -> str:
    """A person's name: any script, one line, at most 120 characters (the account rule)."""
    value = clean_text(answers.get(field))
    problem = full_name_problem(value)
    if problem:
        problems.add(field, problem)
        return ""
    return value


def whole_number(
    problems: Problems,
    answers: Answers,
    field: str,
    low: int,
    high: int,
    required_message: str | None = None,
) -> int | None:
    """A whole number typed as people write it ('5000', '5,000', '5 000'), within
    low..high; None when empty (a problem when `required_message` is given)."""
    value = answers.get(field)
    if isinstance(value, bool):
        value = None
    if isinstance(value, int):
        number = value
    else:
        raw = clean_text(value)
        if not raw:
            if required_message:
                problems.add(field, required_message)
            return None
        if len(raw) > 20 or not (_PLAIN_NUMBER.fullmatch(raw) or _GROUPED_DIGITS.fullmatch(raw)):
            problems.add(field, _("Enter a whole number, for example 5000."))
            return None
        number = int(re.sub(r"[^\d-]", "", raw))
    if not low <= number <= high:
        problems.add(
            field,
            _(
                "Enter a whole number from %(low)s to %(high)s.",
                low=written_number(low),
                high=written_number(high),
            ),
        )
        return None
    return number


def flag(problems: Problems, answers: Answers, field: str) -> bool | None:
    """A yes/no answer (a ticked box, or yes/no written in a cell); None when not given."""
    value = answers.get(field)
    if value is None or isinstance(value, bool):
        return value
    word = clean_text(value).casefold()
    if not word:
        return None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    problems.add(field, _('Answer yes or no (not "%(text)s").', text=_echo(word)))
    return None


def choice(
    problems: Problems,
    answers: Answers,
    field: str,
    vocab: Vocabulary,
    required_message: str | None = None,
) -> str | None:
    """One code of a vocabulary, given by code or label in any case."""
    value = clean_text(answers.get(field))
    if not value:
        if required_message:
            problems.add(field, required_message)
        return None
    if len(value) > MAX_SHORT_LENGTH:
        problems.add(field, vocab.not_known(_echo(value)))
        return None
    try:
        return vocab.parse(value)
    except VocabularyError as exc:
        problems.add(field, str(exc))
        return None


def code_list(
    problems: Problems,
    answers: Answers,
    field: str,
    parse: Callable[[Any], list[str]],
    required_message: str | None = None,
    most: tuple[int, str] | None = None,
) -> list[str]:
    """Codes from a ';'-separated cell or a list of ticked values, without repeats."""
    value = answers.get(field)
    if value is None or isinstance(value, str):
        value = clean_text(value)
        if len(value) > MAX_LIST_LENGTH:
            problems.add(
                field,
                ngettext(
                    "Keep this to %(limit)s character or fewer.",
                    "Keep this to %(limit)s characters or fewer.",
                    MAX_LIST_LENGTH,
                    limit=written_number(MAX_LIST_LENGTH),
                ),
            )
            return []
    else:
        value = [clean_text(item) for item in value]
    try:
        codes = parse(value)
    except VocabularyError as exc:
        problems.add(field, str(exc))
        return []
    if not codes and required_message:
        problems.add(field, required_message)
    if most is not None and len(codes) > most[0]:
        problems.add(field, most[1])
        return []
    return codes


def email(problems: Problems, answers: Answers, field: str) -> str | None:
    """An email address in the form it is stored and compared in; None when empty."""
    value = text(problems, answers, field)
    if not value:
        return None
    try:
        # The form normalize_email stores, without validating the address a second time.
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        problems.add(
            field,
            # The library's explanation stays in English: it names the technical fault.
            _(
                '"%(text)s" is not an email address (%(why)s) Enter one like name@example.org.',
                text=_echo(value),
                why=str(exc),
            ),
        )
        return None


def phone(problems: Problems, answers: Answers, field: str, country: str | None) -> str | None:
    """A phone number in E.164, read in the country of the profile; None when empty."""
    value = clean_text(answers.get(field))
    if not value:
        return None
    try:
        return phones.parse_phone(value, country)
    except phones.PhoneError as exc:
        problems.add(field, str(exc))
        return None


def no_rate_message(currency: str, rates: Rates, field: str) -> str:
    """What to tell someone whose amount is in a currency without an exchange rate."""
    offered = ", ".join(rates.offered())
    # One whole sentence per case: word order differs from one language to another.
    if field == "ticket_currency":
        if offered:
            return _(
                "There is no exchange rate for %(currency)s, so the ticket cannot be compared "
                "with the amounts entrepreneurs seek; use one of %(offered)s, or ask a "
                "coordinator to load rates.",
                currency=currency,
                offered=offered,
            )
        return _(
            "There is no exchange rate for %(currency)s, so the ticket cannot be compared "
            "with the amounts entrepreneurs seek; no rates are loaded yet: ask a coordinator "
            "to load rates.",
            currency=currency,
        )
    if offered:
        return _(
            "There is no exchange rate for %(currency)s, so the amount cannot be compared "
            "with investors' tickets; use one of %(offered)s, or ask a coordinator to load "
            "rates.",
            currency=currency,
            offered=offered,
        )
    return _(
        "There is no exchange rate for %(currency)s, so the amount cannot be compared with "
        "investors' tickets; no rates are loaded yet: ask a coordinator to load rates.",
        currency=currency,
    )


@cache
def _currencies() -> Vocabulary:
    return vocabulary.currencies()  # ISO 4217, fixed while the process runs


def currency_with_rate(text: str, rates: Rates, field: str) -> str:
    """The code of the currency `text` names (ISO code or name, any case) when it has an
    exchange rate; ProfileInputError for `field` otherwise: an amount that cannot be
    compared is refused where it is typed."""
    try:
        code = _currencies().parse(text)
    except VocabularyError as exc:
        raise ProfileInputError({field: str(exc)}) from None
    if code not in rates:
        raise ProfileInputError({field: no_rate_message(code, rates, field)})
    return code


def currency(
    problems: Problems, answers: Answers, field: str, rates: Rates, required_message: str
) -> str | None:
    """A currency that has an exchange rate."""
    value = clean_text(answers.get(field))
    if not value:
        problems.add(field, required_message)
        return None
    try:
        return currency_with_rate(value[:MAX_SHORT_LENGTH], rates, field)
    except ProfileInputError as exc:
        problems.add(field, exc.errors[field])
        return None


# --- where a business is ------------------------------------------------------------------


@dataclass(frozen=True)
class Whereabouts:
    """Where an entrepreneur works: the country, the region (chosen, resolved from the
    locality, or none: country level) and the locality as written."""

    country_code: str
    region_code: str | None
    region_source: RegionSource
    region_confidence: float | None
    locality: str
    # The resolver's answer when the region came from (or was sought in) the locality.
    placement: places.Placement | None = None

    @property
    def place_name(self) -> str:
        """'Central Visayas (Region VII), Philippines', or 'Nkubu, Kenya' at country level."""
        return taxonomy.place_name(self.country_code, self.region_code, self.locality)


def locate(country: str, region: str | None, locality: str) -> Whereabouts:
    """Where an entrepreneur works, from a country, a region of it (or None) and a locality.

    A region chosen always wins. Without one, the locality is resolved to a region when
    the resolver is sure; otherwise the profile matches at country level and `placement`
    says why (ambiguous, not found, another script).
    """
    locality = locality.strip()
    if region:
        return Whereabouts(country, region, RegionSource.CHOSEN, None, locality)
    if not locality:
        return Whereabouts(country, None, RegionSource.UNRESOLVED, None, locality)
    placement = places.resolve(country, locality)
    if placement.status is places.Status.RESOLVED:
        return Whereabouts(
            country,
            placement.region_code,
            RegionSource.RESOLVED,
            placement.confidence,
            locality,
            placement,
        )
    return Whereabouts(country, None, RegionSource.UNRESOLVED, None, locality, placement)


def where(
    answers: Answers, vocabs: Vocabularies, problems: Problems, *, place_required: bool
) -> Whereabouts | None:
    """The country (required), region (of that country) and locality of a business."""
    country = choice(
        problems,
        answers,
        "country_code",
        vocabs.countries,
        _("Choose the country of the business."),
    )
    locality = text(problems, answers, "locality")
    if country is None:
        return None
    region = None
    if taxonomy.regions_for(country):
        region = choice(problems, answers, "region_code", vocabs.regions(country))
    if problems.has("region_code", "locality"):
        return None
    if place_required and region is None and not locality and taxonomy.regions_for(country):
        problems.add(
            "locality", _("Write the town or village, or choose the region from the list.")
        )
        return None
    return locate(country, region, locality)


# --- sections: one group of answers each ---------------------------------------------------


def business(answers: Answers, vocabs: Vocabularies, problems: Problems) -> dict[str, Any]:
    """An entrepreneur's business: its name, what it does, its stage (default: starting)."""
    stage = choice(problems, answers, "stage", vocabs.stages)
    return {
        "business_name": text(
            problems, answers, "business_name", _("Enter the name of the business.")
        ),
        "description": text(problems, answers, "description"),
        "stage": Stage(stage or Stage.STARTING),
    }


def value_chains(answers: Answers, vocabs: Vocabularies, problems: Problems) -> dict[str, Any]:
    """One to five value chains (and, for a diaspora member, the stages they prefer)."""
    values: dict[str, Any] = {
        "value_chains": code_list(
            problems,
            answers,
            "value_chains",
            vocabs.value_chains.parse_list,
            _("Choose at least one value chain."),
            (
                MAX_VALUE_CHAINS,
                ngettext(
                    "Choose at most %(num)d value chain, the main one.",
                    "Choose at most %(num)d value chains, the main ones.",
                    MAX_VALUE_CHAINS,
                ),
            ),
        )
    }
    if "preferred_stages" in answers:
        values["preferred_stages"] = code_list(
            problems, answers, "preferred_stages", vocabs.stages.parse_list
        )
    return values


def skills_and_languages(
    answers: Answers, vocabs: Vocabularies, problems: Problems, field: str
) -> dict[str, Any]:
    """Skills needed or offered (`field`), the words about them, and the languages spoken."""
    return {
        field: code_list(problems, answers, field, vocabs.skills.parse_list),
        f"{field}_text": text(problems, answers, f"{field}_text"),
        "languages": code_list(
            problems,
            answers,
            "languages",
            vocabulary.parse_language_list,
            _("Choose at least one language for talking with a partner."),
        ),
    }


def investment(answers: Answers, vocabs: Vocabularies, problems: Problems) -> dict[str, Any]:
    """Whether the business seeks money, how much, in which currency and in which forms
    (none ticked: any form); and who leads it. An amount alone says it seeks money."""
    seeking = flag(problems, answers, "seeking_investment")
    if seeking is None:
        seeking = bool(clean_text(answers.get("investment_amount")))
    values: dict[str, Any] = {
        "seeking_investment": seeking,
        "investment_amount": None,
        "investment_currency": None,
        "investment_instruments": [],
    }
    if seeking:
        values["investment_amount"] = whole_number(
            problems,
            answers,
            "investment_amount",
            1,
            MAX_INVESTMENT_AMOUNT,
            _("Enter the amount sought, for example 5000."),
        )
        values["investment_currency"] = currency(
            problems,
            answers,
            "investment_currency",
            vocabs.rates,
            _("Choose the currency of the amount, for example USD."),
        )
        values["investment_instruments"] = code_list(
            problems, answers, "investment_instruments", vocabs.instruments.parse_list
        )
    for field in ("is_returnee", "is_women_led", "is_youth_led"):
        values[field] = bool(flag(problems, answers, field))
    return values


def about(answers: Answers, vocabs: Vocabularies, problems: Problems) -> dict[str, Any]:
    """A diaspora member's headline, words about them and country of residence."""
    return {
        "headline": text(
            problems,
            answers,
            "headline",
            _("Write a one-line headline, for example: Agronomist, coffee quality and export."),
        ),
        "bio": text(problems, answers, "bio"),
        "residence_country": choice(
            problems,
            answers,
            "residence_country",
            vocabs.countries,
            _("Choose the country of residence."),
        ),
    }


def roots(answers: Answers, vocabs: Vocabularies, problems: Problems) -> dict[str, Any]:
    """Regions of origin (one to ten) and regions to support (none given: the same)."""
    most = (
        MAX_REGIONS,
        ngettext("Choose at most %(num)d region.", "Choose at most %(num)d regions.", MAX_REGIONS),
    )
    origin = code_list(
        problems,
        answers,
        "origin_regions",
        vocabulary.parse_region_list,
        _("Choose at least one region of origin."),
        most,
    )
    interest = code_list(
        problems, answers, "interest_regions", vocabulary.parse_region_list, None, most
    )
    return {"origin_regions": origin, "interest_regions": interest or origin}


def offers(answers: Answers, vocabs: Vocabularies, problems: Problems) -> dict[str, Any]:
    """Coaching (1 to 20 entrepreneurs at once, hours optional) and/or investment (a ticket
    from smallest to largest in a currency with a rate; forms: none ticked means any)."""
    coaching = bool(flag(problems, answers, "offers_coaching"))
    investing = bool(flag(problems, answers, "offers_investment"))
    if not coaching and not investing and not problems.has("offers_coaching", "offers_investment"):
        problems.add("offers_coaching", _("Choose coaching, investment or both."))
    values: dict[str, Any] = {
        "offers_coaching": coaching,
        "mentee_capacity": 0,
        "hours_per_month": 0,
        "offers_investment": investing,
        "ticket_min": None,
        "ticket_max": None,
        "ticket_currency": None,
        "investment_instruments": [],
    }
    if coaching:
        values["mentee_capacity"] = whole_number(
            problems,
            answers,
            "mentee_capacity",
            1,
            MAX_MENTEES,
            _(
                "Enter how many entrepreneurs can be coached at once, from 1 to %(most)s.",
                most=MAX_MENTEES,
            ),
        )
        values["hours_per_month"] = (
            whole_number(problems, answers, "hours_per_month", 0, MAX_HOURS_PER_MONTH) or 0
        )
    if investing:
        low = whole_number(
            problems,
            answers,
            "ticket_min",
            1,
            MAX_INVESTMENT_AMOUNT,
            _("Enter the smallest amount to invest."),
        )
        high = whole_number(
            problems,
            answers,
            "ticket_max",
            1,
            MAX_INVESTMENT_AMOUNT,
            _("Enter the largest amount to invest."),
        )
        if low is not None and high is not None and low > high:
            problems.add(
                "ticket_max",
                _(
                    "The largest amount must be at least the smallest amount (%(low)s).",
                    low=written_number(low),
                ),
            )
        values["ticket_min"], values["ticket_max"] = low, high
        values["ticket_currency"] = currency(
            problems,
            answers,
            "ticket_currency",
            vocabs.rates,
            _("Choose the currency of the ticket, for example EUR."),
        )
        values["investment_instruments"] = code_list(
            problems, answers, "investment_instruments", vocabs.instruments.parse_list
        )
    return values


def contact(
    answers: Answers, vocabs: Vocabularies, problems: Problems, country: str | None
) -> dict[str, Any]:
    """The private contact details: an email and a phone (read in `country`)."""
    return {
        "contact_email": email(problems, answers, "contact_email"),
        "contact_phone": phone(problems, answers, "contact_phone", country),
    }


def account(
    answers: Answers, vocabs: Vocabularies, problems: Problems, country: str | None
) -> dict[str, Any]:
    """The account of a person registered by someone else (import, field registration):
    a name and an email address or a phone number (read in `country`), or both."""
    values = {
        "full_name": person_name(problems, answers),
        "email": email(problems, answers, "email"),
        "phone": phone(problems, answers, "phone", country),
    }
    if not values["email"] and not values["phone"] and not problems.has("email", "phone"):
        problems.add("email", _("Give an email address or a phone number (or both)."))
    return values


# Which sections make up each kind of profile, in the order they are checked.
Section = Callable[[Answers, Vocabularies, Problems], dict[str, Any]]


def home_country(values: Mapping[str, Any]) -> str | None:
    """The country phone numbers of a profile are read in: where the business is, or where
    the diaspora member lives."""
    country = values.get("country_code") or values.get("residence_country")
    return str(country) if country else None


def check_all(
    sections: Sequence[Section], answers: Answers, vocabs: Vocabularies, problems: Problems
) -> dict[str, Any]:
    """Run several sections over the same answers and merge their values."""
    values: dict[str, Any] = {}
    for section in sections:
        values.update(section(answers, vocabs, problems))
    return values
