"""Amounts as people typed them, with the dollar figure beside, in the reader's locale."""

from __future__ import annotations

import pytest

from mentormatch.money import display
from tests.reading import plain


@pytest.mark.parametrize(
    ("amount", "currency", "usd", "shown"),
    [
        (7_000_000, "NGN", 4830.0, "NGN 7,000,000 (about USD 4,830)"),
        (12_000, "GHS", 1092.0, "GHS 12,000 (about USD 1,090)"),
        (5000, "USD", 5000.0, "USD 5,000"),
        (500_000, "BIF", None, "BIF 500,000 (no exchange rate for BIF)"),
    ],
)
def test_an_amount_is_shown_as_typed_with_the_dollar_figure_beside(amount, currency, usd, shown):
    assert plain(display.amount_text(amount, currency, usd)) == shown


def test_a_ticket_is_shown_as_a_range_in_its_own_currency():
    shown = display.range_text(2000, 20000, "EUR", 2320.0, 23200.0)
    assert plain(shown) == "EUR 2,000–20,000 (about USD 2,320–23,200)"


def test_the_currency_code_never_wraps_away_from_its_number():
    assert display.amount_text(7_000_000, "NGN", 4830.0).startswith("NGN\u00a07,000,000 ")


@pytest.mark.parametrize(
    ("usd", "about"), [(4827.6, 4830), (23_199.9, 23_200), (987_654.0, 988_000), (12.4, 12)]
)
def test_dollar_figures_are_rounded_to_three_significant_figures(usd, about):
    assert display.about(usd) == about


def test_numbers_and_the_place_of_the_code_follow_the_locale():
    # French writes the code after the number and groups digits with narrow no-break spaces.
    assert display.plain_amount(7_000_000, "NGN", "fr") == "7\u202f000\u202f000\u00a0NGN"
    # Indian English groups lakhs and crores.
    assert display.plain_amount(7_000_000, "INR", "en_IN") == "INR\u00a070,00,000"
    shown = display.amount_text(7_000_000, "NGN", 4830.0, locale="fr")
    assert shown == "7\u202f000\u202f000\u00a0NGN (about 4\u202f830\u00a0USD)"
