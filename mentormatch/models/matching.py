"""What the matching index is built from has a version: a counter and a log of who changed.

Every change to something the engine reads (a profile's fields, chains or skills, an
account switched off, exchange rates, the taxonomy) bumps `matching_state.version` in
the same transaction and logs the profiles it touched in `matching_changes`
(mentormatch/matches/changes.py does it on flush). The worker compares the version with
the index it last published, and reads the log to update only those people. Logging in,
or anything else the engine does not read, never changes it (docs/decisions/015).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from mentormatch.db import Base, utcnow
from mentormatch.models.types import UTCDateTime
from mentormatch.models.users import enum_column


class ChangedSide(enum.StrEnum):
    """Whose profile changed; ALL means everyone may have (rates, taxonomy): rebuild."""

    ENTREPRENEUR = "entrepreneur"
    DIASPORA = "diaspora"
    ALL = "all"


class MatchingState(Base):
    """One row (id 1): the version of the data the matching index is built from, and of
    the mentors' coaching loads."""

    __tablename__ = "matching_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Bumped whenever a mentor's coaching load may have changed (a coaching pairing
    # entering or leaving accepted/approved): web processes keep the loads between pages
    # and read them again only when it moves (docs/decisions/015).
    loads_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class MatchingChange(Base):
    """A profile whose engine-relevant data changed at `version` (0: not a profile)."""

    __tablename__ = "matching_changes"
    __table_args__ = (Index("ix_matching_changes_side_profile", "side", "profile_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, index=True)
    side: Mapped[ChangedSide] = mapped_column(enum_column(ChangedSide))
    profile_id: Mapped[int] = mapped_column(Integer, default=0)
