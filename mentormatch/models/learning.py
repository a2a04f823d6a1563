"""What the engine suggested and what people decided, for training a re-ranker later."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mentormatch.db import Base, utcnow
from mentormatch.models.types import UTCDateTime


class MatchEvent(Base):
    """One suggestion shown or one decision on a pairing, with the score and the score's
    components the engine used at that moment. Compact on purpose: ids, numbers, codes."""

    __tablename__ = "match_events"
    __table_args__ = (Index("ix_match_events_pair", "entrepreneur_id", "diaspora_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    #: shown, requested, proposed, agreed, accepted, declined, withdrawn, approved,
    #: rejected, completed, closed, expired, rated
    event: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(12))
    entrepreneur_id: Mapped[int] = mapped_column(
        ForeignKey("entrepreneur_profiles.id", ondelete="CASCADE")
    )
    diaspora_id: Mapped[int] = mapped_column(
        ForeignKey("diaspora_profiles.id", ondelete="CASCADE"), index=True
    )
    pairing_id: Mapped[int | None] = mapped_column(
        ForeignKey("pairings.id", ondelete="SET NULL"), index=True
    )
    #: Whose screen or whose decision: entrepreneur, diaspora, coordinator or system.
    actor: Mapped[str] = mapped_column(String(12))
    #: Rank on the page (1 = first), for suggestions shown.
    position: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    #: {"entrepreneur": {"value_chain": 0.5, ...}, "diaspora": {...}}
    components: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The rating (1-5) or the reason code, when there is one.
    value: Mapped[str | None] = mapped_column(String(40))
