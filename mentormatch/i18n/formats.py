"""Numbers, percentages and money on pages, written for the reader's locale: one place
registers every such helper for the templates.

Dates and times use Flask-Babel's own filters (`datetimeformat`, `dateformat`,
`timeformat`), which also convert to the reader's time zone.
"""

from __future__ import annotations

from babel.numbers import format_percent
from flask import Flask
from flask_babel import format_decimal, get_locale
from markupsafe import Markup

from mentormatch.money.templating import helpers as money_helpers
from mentormatch.money.templating import isolated


def number(value: float | None) -> Markup:
    """A count or quantity with the reader's grouping ("12,500", "12 500", "12.500"), kept
    left-to-right inside Arabic text; empty for no value."""
    if value is None:
        return Markup("")
    return Markup(isolated(format_decimal(value)))


def percent(share: float | None, digits: int = 0) -> Markup:
    """A share (0.83) as the reader writes a percentage ("83%", "83 %", "٪83"); empty for
    none."""
    if share is None:
        return Markup("")
    # The locale's own pattern (its spacing and sign), with `digits` decimals kept.
    shown = format_percent(
        round(share, digits + 2), locale=get_locale() or "en", decimal_quantization=False
    )
    return Markup(isolated(shown))


def register(app: Flask) -> None:
    """Give every template money(), money_range(), rate_of(), number() and percent(), and
    the same number and percent as filters."""
    app.jinja_env.globals.update(money_helpers(), number=number, percent=percent)
    app.jinja_env.filters.update(number=number, percent=percent)
