"""A matching round: what a coordinator asked for, what the engine proposed, what came of it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentormatch.db import Base, utcnow
from mentormatch.models.pairings import PairingKind
from mentormatch.models.types import UTCDateTime
from mentormatch.models.users import User, enum_column


class RoundStatus(enum.StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"


class MatchingRound(Base):
    """A proposal kept as it was shown, so that confirming it creates exactly those pairs."""

    __tablename__ = "matching_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PairingKind] = mapped_column(enum_column(PairingKind))
    #: {"country": "NG", "value_chain": "poultry" or null, "region": "NG-KN" or null}
    scope: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: {"women_led": 40, ...}: minimum shares in whole percent; per_investor for investment.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The pairs with scores and reasons, who is left out and why, quotas, the baseline.
    proposal: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[RoundStatus] = mapped_column(
        enum_column(RoundStatus), default=RoundStatus.PROPOSED
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Introductions the confirmation created (pairs whose people changed meanwhile are skipped).
    created_requests: Mapped[int] = mapped_column(Integer, default=0)

    created_by: Mapped[User | None] = relationship()
