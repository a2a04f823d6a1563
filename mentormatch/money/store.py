"""The `exchange_rates` table: the latest rate of each currency, storing a checked rate file,
and the committed seed file. Functions take a Session and flush; the caller commits.

Pages, forms and the matching adapter ask for the latest rates often, and the table may hold
the ECB's whole history (about 200,000 rows). So each process keeps the latest rates it
read, per database, with the table's version (newest id and loaded_at, two index look-ups),
and reads them again only when that version changes, as docs/decisions/005 does for the
fitted index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.orm import Session

from mentormatch.config import PROJECT_ROOT
from mentormatch.db import utcnow
from mentormatch.models import ExchangeRate
from mentormatch.money.files import RateFile, read_rate_file
from mentormatch.money.rates import Rate, Rates

SEED_RATES_FILE = PROJECT_ROOT / "seed_data" / "taxonomy" / "currency_rates.csv"
# Rows per INSERT or UPDATE statement when a whole ECB history (about 200,000 rates) arrives.
BATCH = 5000


@dataclass(frozen=True)
class StoreReport:
    """What storing a file changed: new rows, and rows of a date already there (replaced)."""

    added: int
    replaced: int


_latest: dict[str, tuple[tuple[Any, ...], Rates]] = {}


def rates_version(session: Session) -> tuple[Any, ...]:
    """A cheap fingerprint of the table: it changes whenever a rate is added or replaced."""
    return tuple(
        session.execute(select(func.max(ExchangeRate.id), func.max(ExchangeRate.loaded_at))).one()
    )


def latest_rates(session: Session) -> Rates:
    """The newest rate of every currency in the table (read again only when it changed)."""
    key = str(session.get_bind().engine.url)
    version = rates_version(session)
    cached = _latest.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    rates = _read_latest(session)
    _latest[key] = (version, rates)
    return rates


def _read_latest(session: Session) -> Rates:
    newest = (
        select(ExchangeRate.currency, func.max(ExchangeRate.as_of).label("as_of"))
        .group_by(ExchangeRate.currency)
        .subquery()
    )
    rows = session.scalars(
        select(ExchangeRate).join(
            newest,
            and_(ExchangeRate.currency == newest.c.currency, ExchangeRate.as_of == newest.c.as_of),
        )
    )
    return Rates(Rate(r.currency, r.usd_per_unit, r.as_of, r.source) for r in rows)


def store_rates(
    session: Session,
    rates: Sequence[Rate],
    loaded_at: datetime | None = None,
    replace: bool = True,
) -> StoreReport:
    """Add each rate, or replace the row of the same currency and date (a correction);
    with replace=False such rows are left as they are."""
    loaded_at = loaded_at or utcnow()
    if not rates:
        return StoreReport(0, 0)
    currencies = sorted({rate.currency for rate in rates})
    first, last = min(rate.as_of for rate in rates), max(rate.as_of for rate in rates)
    existing: dict[tuple[str, date], int] = {
        (currency, as_of): row_id
        for row_id, currency, as_of in session.execute(
            select(ExchangeRate.id, ExchangeRate.currency, ExchangeRate.as_of).where(
                ExchangeRate.currency.in_(currencies), ExchangeRate.as_of.between(first, last)
            )
        )
    }
    new_rows, changed_rows = [], []
    for rate in rates:
        values = {
            "currency": rate.currency,
            "usd_per_unit": rate.usd_per_unit,
            "as_of": rate.as_of,
            "source": rate.source,
            "loaded_at": loaded_at,
        }
        row_id = existing.get((rate.currency, rate.as_of))
        if row_id is None:
            new_rows.append(values)
        elif replace:
            changed_rows.append({"id": row_id, **values})
    for start in range(0, len(new_rows), BATCH):
        session.execute(insert(ExchangeRate), new_rows[start : start + BATCH])
    for start in range(0, len(changed_rows), BATCH):
        session.execute(update(ExchangeRate), changed_rows[start : start + BATCH])
    session.flush()
    return StoreReport(added=len(new_rows), replaced=len(changed_rows))


def read_seed_rates(path: Path = SEED_RATES_FILE, today: date | None = None) -> RateFile:
    """The committed seed file, checked like any file `flask rates load` reads."""
    return read_rate_file(path.read_bytes(), path.name, today or utcnow().date())


def load_seed_rates(session: Session, path: Path = SEED_RATES_FILE) -> int:
    """Add the seed file's rates (`flask seed`, the tests' reset); returns how many it has.

    A rate already in the table is kept: one loaded by a coordinator wins over the seed."""
    rates = read_seed_rates(path).rates
    store_rates(session, rates, replace=False)
    return len(rates)
