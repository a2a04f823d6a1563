"""Exchange rates as plain values: the latest rate of each currency, and conversion."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

BASE = "USD"


@dataclass(frozen=True)
class Rate:
    """One currency's value in US dollars on a date, and who published it."""

    currency: str
    usd_per_unit: float
    as_of: date
    source: str


class Rates:
    """The rate used for each currency (its newest), keyed by ISO 4217 code."""

    def __init__(self, rates: Iterable[Rate] = ()) -> None:
        self._by_code = {rate.currency: rate for rate in rates}

    def get(self, currency: str | None) -> Rate | None:
        """The rate of a currency (any case), or None when there is none."""
        return self._by_code.get((currency or "").strip().upper())

    def __contains__(self, currency: object) -> bool:
        return isinstance(currency, str) and self.get(currency) is not None

    def __iter__(self) -> Iterator[Rate]:
        return iter(sorted(self._by_code.values(), key=lambda rate: rate.currency))

    def __len__(self) -> int:
        return len(self._by_code)

    def to_usd(self, amount: float, currency: str | None) -> float | None:
        """The amount in US dollars; None when the currency has no rate."""
        rate = self.get(currency)
        return None if rate is None else amount * rate.usd_per_unit

    def offered(self) -> list[str]:
        """The currencies people may choose: those with a rate, by code."""
        return sorted(self._by_code)

    def as_of(self, currency: str | None) -> date | None:
        """The date of the rate a conversion from this currency uses."""
        rate = self.get(currency)
        return None if rate is None else rate.as_of
