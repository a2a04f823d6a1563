"""Tests of mentormatch/money: the example rate files in tests/data/rates and their dates."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from mentormatch.config import PROJECT_ROOT
from mentormatch.models import ExchangeRate

# Written by hand in the ECB's published layouts, and one in our own format.
RATE_FILES = PROJECT_ROOT / "tests" / "data" / "rates"
SEED_DAY = date(2025, 10, 31)  # as_of of seed_data/taxonomy/currency_rates.csv
ECB_DAY = date(2026, 11, 27)  # the newest day in the example files
TODAY = date(2026, 11, 30)
SEED_RATE_COUNT = 27


def rate_rows(db) -> int:  # type: ignore[no-untyped-def]
    """Rows in the exchange_rates table, as committed."""
    db.expire_all()
    return db.scalar(select(func.count()).select_from(ExchangeRate))
