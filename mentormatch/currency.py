"""Indicative exchange rates, so that amounts in different currencies can be compared.

The rates in seed_data/taxonomy/currency_rates.csv are approximate and dated (`as_of`):
good enough to tell whether a EUR 2,000–20,000 ticket covers a loan of NGN 7,000,000,
never for paying anyone.
"""

from __future__ import annotations

import csv
from functools import cache

from mentormatch.taxonomy import TAXONOMY_DIR

RATES_FILE = TAXONOMY_DIR / "currency_rates.csv"


@cache
def usd_rates() -> dict[str, float]:
    """USD value of one unit of each listed currency, keyed by ISO 4217 code."""
    with RATES_FILE.open(newline="", encoding="utf-8") as handle:
        return {row["currency"]: float(row["usd_per_unit"]) for row in csv.DictReader(handle)}


def to_usd(amount: int | float, currency: str | None) -> float | None:
    """Convert an amount to US dollars; None when the currency has no indicative rate."""
    if not currency:
        return None
    rate = usd_rates().get(currency.strip().upper())
    return None if rate is None else amount * rate
