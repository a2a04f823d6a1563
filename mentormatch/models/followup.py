"""After an introduction is approved: check-ins asked at set days, and the answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentormatch.db import Base, utcnow
from mentormatch.models.pairings import Pairing
from mentormatch.models.types import UTCDateTime
from mentormatch.models.users import User


class CheckInRequest(Base):
    """Both sides were asked for the check-in due `day` days after approval: sent once."""

    __tablename__ = "check_in_requests"
    __table_args__ = (
        UniqueConstraint("pairing_id", "day", name="uq_check_in_requests_pairing_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    day: Mapped[int] = mapped_column(Integer)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CheckIn(Base):
    """One side's answer to a check-in: did they meet, how many sessions so far, what
    changed, and for investment whether money was committed (amount, currency, instrument)."""

    __tablename__ = "check_ins"
    __table_args__ = (
        UniqueConstraint("pairing_id", "author_id", "day", name="uq_check_ins_pairing_author_day"),
        CheckConstraint("sessions >= 0", name="sessions_not_negative"),
        CheckConstraint("amount IS NULL OR amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The check-in it answers: days after approval (30 or 90 by default).
    day: Mapped[int] = mapped_column(Integer)
    met: Mapped[bool] = mapped_column(Boolean)
    #: Sessions held since the introduction, in all (not since the last check-in).
    sessions: Mapped[int] = mapped_column(Integer, default=0)
    what_changed: Mapped[str] = mapped_column(Text, default="")
    #: Investment only; None for coaching.
    money_committed: Mapped[bool | None] = mapped_column(Boolean)
    amount: Mapped[int | None] = mapped_column(Integer)
    currency: Mapped[str | None] = mapped_column(String(3))
    instrument: Mapped[str | None] = mapped_column(String(20))
    #: The amount in US dollars at the indicative rate of the day it was filed.
    amount_usd: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    pairing: Mapped[Pairing] = relationship()
    author: Mapped[User | None] = relationship()
