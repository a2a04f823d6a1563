"""Amounts in templates: as typed, with the dollar figure at the latest rates (read once per
request), both written for the reader's locale. Registered as template globals by
mentormatch/i18n/formats.py, with the other number helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g
from markupsafe import Markup

from mentormatch.db import get_session
from mentormatch.money import display
from mentormatch.money.rates import BASE, Rate, Rates
from mentormatch.money.store import latest_rates


def request_rates() -> Rates:
    """The latest rates, read from the database once per request."""
    if "mm_rates" not in g:
        g.mm_rates = latest_rates(get_session())
    rates: Rates = g.mm_rates
    return rates


def isolated(figure: str) -> str:
    """A figure in <bdi>, so "XOF 7,000,000" reads as one piece inside Arabic words."""
    return Markup("<bdi>%s</bdi>") % figure


def _on_page(text: str) -> Markup:
    # display escaped the sentence and the figures already (they are Markup).
    return Markup(text)


def money(amount: int | None, currency: str | None) -> Markup:
    """ "NGN 7,000,000 (about USD 4,830)" in the reader's locale; empty with no amount."""
    if amount is None or not currency:
        return Markup("")
    return _on_page(display.shown(amount, currency, request_rates(), figure=isolated))


def money_range(low: int | None, high: int | None, currency: str | None) -> Markup:
    """ "EUR 2,000–20,000 (about USD 2,320–23,200)"; empty when a bound is missing."""
    if low is None or high is None or not currency:
        return Markup("")
    return _on_page(display.range_shown(low, high, currency, request_rates(), figure=isolated))


def rate_of(currency: str | None) -> Rate | None:
    """The rate a dollar figure on the page used (its date and source); None for dollars."""
    rate = request_rates().get(currency)
    return None if rate is None or rate.currency == BASE else rate


def helpers() -> dict[str, Callable[..., Any]]:
    """The template globals this module gives."""
    return {"money": money, "money_range": money_range, "rate_of": rate_of}
