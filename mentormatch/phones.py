"""Phone numbers: read as people write them, in the country of their profile, and stored
in one form, E.164 (`+2348031234567`), with Google's libphonenumber (`phonenumbers`).

Every way a number comes in (sign-up, the profile wizard, assisted registration, the
import, log-in, claiming an account) goes through `parse_phone`, so a number typed
"0803 123 4567" by a farmer in Nigeria and "+234 803 123 4567" by a coordinator is one
number. A number is accepted when it has a possible length for its country
(`is_possible_number`), not only when it falls in a range the library's metadata lists
as allocated: fictional ranges (Ofcom's 07700 900xxx, used in our seed data) and ranges
opened after the metadata was published must not lock a person out. See decision 017.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType
from phonenumbers import ValidationResult as Reason

from mentormatch import taxonomy

# Stored numbers fit the users.phone column; E.164 has at most 15 digits and a '+'.
MAX_E164_LENGTH = 16
# Longer than any number written with spaces, dashes and brackets.
MAX_TYPED_LENGTH = 40
GENERAL_EXAMPLE = "+234 803 123 4567"
# Digits of any script (libphonenumber reads Arabic-Indic digits), spaces and the usual marks.
_ALLOWED = re.compile(r"[\s()+.\-/]")


class PhoneError(ValueError):
    """A phone number that cannot be read; the message says what to fix."""


def example_for(country: str | None) -> str:
    """A mobile number of the country written internationally, to show how to type one."""
    if country and country in phonenumbers.SUPPORTED_REGIONS:
        example = phonenumbers.example_number_for_type(country, PhoneNumberType.MOBILE)
        if example is not None:
            return phonenumbers.format_number(example, PhoneNumberFormat.INTERNATIONAL)
    return GENERAL_EXAMPLE


def _country_label(country: str | None) -> str:
    return taxonomy.country_name(country) if country else "its country"


def _shown(text: str) -> str:
    return text if len(text) <= 30 else text[:30] + "…"


def parse_phone(text: str, country: str | None) -> str:
    """The E.164 form of a phone number; a number without its country code is read as a
    number of `country` (ISO 3166-1 alpha-2, the country of the profile). Raises
    PhoneError with a message naming the problem and showing an example."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        raise PhoneError("Enter a phone number.")
    if len(text) > MAX_TYPED_LENGTH:
        raise PhoneError(f"A phone number has at most 15 digits; this is {len(text)} characters.")
    if any(not (ch.isdigit() or _ALLOWED.fullmatch(ch)) for ch in text) or "+" in text[1:]:
        raise PhoneError(
            f'"{_shown(text)}" has characters a phone number does not have: use digits, '
            f"spaces and dashes, with + and the country code first, e.g. {example_for(country)}."
        )
    if text.startswith("00"):
        text = "+" + text[2:]  # the international prefix of most countries
    region = country.upper() if country else None
    if region not in phonenumbers.SUPPORTED_REGIONS:
        region = None
    international = text.startswith("+")
    if not international and region is None:
        raise PhoneError(
            f'Write "{_shown(text)}" with its country code, for example {GENERAL_EXAMPLE}.'
        )
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        raise PhoneError(
            f'"{_shown(text)}" does not start with a known country code; write it like '
            f"{example_for(country)}."
        ) from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != Reason.IS_POSSIBLE:
        where = (
            phonenumbers.region_code_for_number(number)
            or phonenumbers.region_code_for_country_code(number.country_code or 0)
            or region
        )
        if where not in phonenumbers.SUPPORTED_REGIONS:
            where = region
        if reason == Reason.INVALID_COUNTRY_CODE:
            problem = "does not start with a known country code"
        elif reason == Reason.TOO_SHORT:
            problem = f"is too short for a phone number in {_country_label(where)}"
        elif reason == Reason.TOO_LONG:
            problem = f"is too long for a phone number in {_country_label(where)}"
        else:
            problem = f"does not have the length of a phone number in {_country_label(where)}"
        raise PhoneError(
            f'"{_shown(text)}" {problem}: check the digits, for example {example_for(where)}.'
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def phone_problem(text: str, country: str | None) -> str | None:
    """What is wrong with a phone number, or None when `parse_phone` reads it."""
    try:
        parse_phone(text, country)
    except PhoneError as exc:
        return str(exc)
    return None


def display_phone(e164: str | None) -> str:
    """A stored number as people read it: '+234 803 123 4567'; '' for none."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164  # stored before numbers were normalised, and unreadable: shown as is
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def login_numbers(text: str) -> dict[str, str | None]:
    """The stored numbers a phone typed at log-in may be, each with the country it was read
    in (None when it was written with its country code): '+234 803…' is one number,
    '0803 123 4567' is that number in every country where it has a possible length. The
    caller keeps the account whose profile is in that country."""
    try:
        return {parse_phone(text, None): None}
    except PhoneError:
        pass
    found: dict[str, str | None] = {}
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        try:
            found.setdefault(parse_phone(text, region), region)
        except PhoneError:
            continue
    return found


def normalise_stored(numbers: Iterable[tuple[str, str | None]]) -> dict[str, str | None]:
    """For (stored number, country) pairs: the E.164 form of each, or None when it cannot
    be read (the migration that normalises stored numbers reports those)."""
    result: dict[str, str | None] = {}
    for stored, country in numbers:
        try:
            result[stored] = parse_phone(stored, country)
        except PhoneError:
            result[stored] = None
    return result
