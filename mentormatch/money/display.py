"""Amounts as people typed them, with the US dollar figure beside: "NGN 7,000,000 (about
USD 4,830)". Numbers and the place of the currency code follow the reader's locale (Babel's
CLDR data); the words around them come from the catalogues (issue 11).

Plain functions of numbers: the matching engine words its reasons with them. Without a
locale they follow the page's (or the email's) language, English outside a request.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from math import floor, log10

from babel import Locale
from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from mentormatch.money.rates import BASE, Rates

DEFAULT_LOCALE = "en"
# Converted figures come from indicative rates: three significant figures say it honestly.
ABOUT_DIGITS = 3
NBSP = "\u00a0"
RANGE_DASH = "\u2013"


def reader_locale() -> str:
    """The locale figures are written for: the page's or email's language, else English."""
    locale = get_locale()
    return str(locale) if locale is not None else DEFAULT_LOCALE


def _same(text: str) -> str:
    return text


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


def _with_code(number: str, currency: str, locale: str | None) -> str:
    locale = locale or reader_locale()
    prefix, suffix = _affixes(locale)
    return prefix.replace("¤", currency) + number + suffix.replace("¤", currency)


def _number(value: float, locale: str | None) -> str:
    return format_decimal(round(value), locale=locale or reader_locale())


def plain_amount(amount: float, currency: str, locale: str | None = None) -> str:
    """An amount in its currency, whole units: "NGN 7,000,000"."""
    return _with_code(_number(amount, locale), currency, locale)


def plain_range(low: float, high: float, currency: str, locale: str | None = None) -> str:
    """A range in one currency, whole units: "EUR 2,000–20,000"."""
    locale = locale or reader_locale()
    span = f"{_number(low, locale)}{RANGE_DASH}{_number(high, locale)}"
    return _with_code(span, currency, locale)


def sentence(currency: str, has_usd: bool) -> str:
    """The translated pattern an amount sits in, with %(amount)s, %(converted)s and
    %(currency)s placeholders: "%(amount)s (about %(converted)s)" and its translations."""
    if currency == BASE:
        return "%(amount)s"
    if not has_usd:
        return _("%(amount)s (no exchange rate for %(currency)s)")
    return _("%(amount)s (about %(converted)s)")


Figure = Callable[[str], str]


def _in_sentence(shown: str, currency: str, converted: str | None, figure: Figure) -> str:
    pattern: str = sentence(currency, converted is not None)
    if isinstance(figure(""), Markup):
        pattern = escape(pattern)  # for a page: the words escaped, the figures kept
    # A figure (amount or code) may be wrapped, e.g. in <bdi> on a page, so it reads left
    # to right as one piece inside an Arabic sentence.
    values = {
        "amount": figure(shown),
        "converted": figure(converted or ""),
        "currency": figure(currency),
    }
    return pattern % values


def amount_text(
    amount: float,
    currency: str,
    usd: float | None,
    locale: str | None = None,
    figure: Figure = _same,
) -> str:
    """ "NGN 7,000,000 (about USD 4,830)"; dollars alone when the amount is in dollars;
    says so when there is no rate (usd is None)."""
    converted = None if usd is None else plain_amount(about(usd), BASE, locale)
    return _in_sentence(plain_amount(amount, currency, locale), currency, converted, figure)


def range_text(
    low: float,
    high: float,
    currency: str,
    usd_low: float | None,
    usd_high: float | None,
    locale: str | None = None,
    figure: Figure = _same,
) -> str:
    """ "EUR 2,000–20,000 (about USD 2,320–23,200)", like amount_text for a range."""
    converted = None
    if usd_low is not None and usd_high is not None:
        converted = plain_range(about(usd_low), about(usd_high), BASE, locale)
    shown = plain_range(low, high, currency, locale)
    return _in_sentence(shown, currency, converted, figure)


def shown(
    amount: float,
    currency: str,
    rates: Rates,
    locale: str | None = None,
    figure: Figure = _same,
) -> str:
    """An amount as typed with its dollar figure at the latest rate."""
    return amount_text(amount, currency, rates.to_usd(amount, currency), locale, figure)


def range_shown(
    low: float,
    high: float,
    currency: str,
    rates: Rates,
    locale: str | None = None,
    figure: Figure = _same,
) -> str:
    """A range as typed with its dollar figures at the latest rate."""
    usd_low, usd_high = rates.to_usd(low, currency), rates.to_usd(high, currency)
    return range_text(low, high, currency, usd_low, usd_high, locale, figure)
