"""Amounts as people typed them, with the US dollar figure beside: "NGN 7,000,000 (about
USD 4,830)". Numbers and the place of the currency code follow the reader's locale (Babel's
CLDR data); the words around them are English until the pages are translated (issue 11).

Plain functions of numbers: the matching engine words its reasons with them.
"""

from __future__ import annotations

from functools import cache
from math import floor, log10

from babel import Locale
from babel.numbers import format_decimal

from mentormatch.money.rates import BASE, Rates

DEFAULT_LOCALE = "en"
# Converted figures come from indicative rates: three significant figures say it honestly.
ABOUT_DIGITS = 3
NBSP = "\u00a0"
RANGE_DASH = "\u2013"


def about(value: float) -> int:
    """A converted figure rounded to three significant figures (4,827.6 -> 4,830)."""
    if value < 1:
        return round(value)
    step = 10 ** max(0, floor(log10(value)) - ABOUT_DIGITS + 1)
    return int(round(value / step) * step)


@cache
def _affixes(locale: str) -> tuple[str, str]:
    """What goes before and after the number, with ¤ where the currency code goes."""
    pattern = Locale.parse(locale).currency_formats["standard"]
    prefix, suffix = pattern.prefix[0], pattern.suffix[0]
    # CLDR's currency spacing: a code in letters never touches the digits.
    if prefix.endswith("¤"):
        prefix += NBSP
    if suffix.startswith("¤"):
        suffix = NBSP + suffix
    return prefix, suffix


def _with_code(number: str, currency: str, locale: str) -> str:
    prefix, suffix = _affixes(locale)
    return prefix.replace("¤", currency) + number + suffix.replace("¤", currency)


def _number(value: float, locale: str) -> str:
    return format_decimal(round(value), locale=locale)


def plain_amount(amount: float, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """An amount in its currency, whole units: "NGN 7,000,000"."""
    return _with_code(_number(amount, locale), currency, locale)


def plain_range(low: float, high: float, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """A range in one currency, whole units: "EUR 2,000–20,000"."""
    span = f"{_number(low, locale)}{RANGE_DASH}{_number(high, locale)}"
    return _with_code(span, currency, locale)


def _beside(currency: str, usd: str | None) -> str:
    if currency == BASE:
        return ""
    if usd is None:
        return f" (no exchange rate for {currency})"
    return f" (about {usd})"


def amount_text(
    amount: float, currency: str, usd: float | None, locale: str = DEFAULT_LOCALE
) -> str:
    """ "NGN 7,000,000 (about USD 4,830)"; dollars alone when the amount is in dollars;
    says so when there is no rate (usd is None)."""
    converted = None if usd is None else plain_amount(about(usd), BASE, locale)
    return plain_amount(amount, currency, locale) + _beside(currency, converted)


def range_text(
    low: float,
    high: float,
    currency: str,
    usd_low: float | None,
    usd_high: float | None,
    locale: str = DEFAULT_LOCALE,
) -> str:
    """ "EUR 2,000–20,000 (about USD 2,320–23,200)", like amount_text for a range."""
    converted = None
    if usd_low is not None and usd_high is not None:
        converted = plain_range(about(usd_low), about(usd_high), BASE, locale)
    return plain_range(low, high, currency, locale) + _beside(currency, converted)


def shown(amount: float, currency: str, rates: Rates, locale: str = DEFAULT_LOCALE) -> str:
    """An amount as typed with its dollar figure at the latest rate."""
    return amount_text(amount, currency, rates.to_usd(amount, currency), locale)


def range_shown(
    low: float, high: float, currency: str, rates: Rates, locale: str = DEFAULT_LOCALE
) -> str:
    """A range as typed with its dollar figures at the latest rate."""
    return range_text(
        low, high, currency, rates.to_usd(low, currency), rates.to_usd(high, currency), locale
    )
