"""Exchange rates: a dated table with the source of every rate (see mentormatch/money/)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mentormatch.db import Base, utcnow
from mentormatch.models.types import UTCDateTime


class ExchangeRate(Base):
    """What one unit of a currency was worth in US dollars on a date, and who said so.

    History is kept: one row per currency and date; the newest date of a currency is the
    rate MentorMatch uses. Loading the same currency and date again corrects that row.
    """

    __tablename__ = "exchange_rates"
    __table_args__ = (UniqueConstraint("currency", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ISO 4217 code, upper case.
    currency: Mapped[str] = mapped_column(String(3))
    # Indicative rates for comparing amounts, never for payments: a float is precise enough.
    usd_per_unit: Mapped[float] = mapped_column(Float)
    as_of: Mapped[date] = mapped_column(Date)
    #: Who published the rate (the ECB reference rates, our seed file), for anyone checking.
    source: Mapped[str] = mapped_column(String(200))
    # Indexed: the newest loaded_at and id tell every process, cheaply, that rates changed.
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
