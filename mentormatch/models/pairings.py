"""Introductions between the two sides, their audit trail, and what they cause.

The state machine itself lives in mentormatch.pairings; these are the tables.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentormatch.db import Base, utcnow
from mentormatch.models.profiles import DiasporaProfile, EntrepreneurProfile
from mentormatch.models.types import UTCDateTime
from mentormatch.models.users import User, enum_column


class PairingKind(enum.StrEnum):
    COACHING = "coaching"
    INVESTMENT = "investment"

    @property
    def label(self) -> str:
        """'Coaching', 'Investment', in the language being written."""
        return _("Coaching") if self is PairingKind.COACHING else _("Investment")

    @property
    def an_introduction(self) -> str:
        """'a coaching introduction', 'an investment introduction': for sentences (always
        the object of a verb or after a preposition, so translations can keep one form)."""
        if self is PairingKind.COACHING:
            return _("a coaching introduction")
        return _("an investment introduction")


class PairingState(enum.StrEnum):
    PROPOSED = "proposed"
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    APPROVED = "approved"
    COMPLETED = "completed"
    DECLINED = "declined"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        """What the state means, in the language being written."""
        return {
            "proposed": _("Proposed by a coordinator, waiting for both answers"),
            "requested": _("Waiting for an answer"),
            "accepted": _("Accepted, waiting for a coordinator"),
            "approved": _("Approved introduction"),
            "completed": _("Completed"),
            "declined": _("Declined"),
            "rejected": _("Not approved by a coordinator"),
            "withdrawn": _("Withdrawn"),
            "closed": _("Closed"),
        }[self.value]


# One open pairing per (entrepreneur, diaspora, kind): an approved introduction still
# counts, so nobody can ask again while it runs (docs/decisions/010-pairing-workflow.md).
# A coordinator's proposal (a matching round) is open too (docs/decisions/014).
OPEN_STATES = (
    PairingState.PROPOSED,
    PairingState.REQUESTED,
    PairingState.ACCEPTED,
    PairingState.APPROVED,
)
_OPEN_SQL = text("state IN ('proposed', 'requested', 'accepted', 'approved')")
# A coaching pairing takes one of the mentor's places from the moment the mentor accepts
# (it waits for a coordinator) until it ends: accepting, approving and suggesting all count
# these, so a mentor is never committed beyond capacity (docs/decisions/016).
CAPACITY_STATES = (PairingState.ACCEPTED, PairingState.APPROVED)


class Pairing(Base):
    """An introduction between one entrepreneur and one diaspora member for one kind."""

    __tablename__ = "pairings"
    __table_args__ = (
        Index(
            "uq_pairings_one_open_per_pair",
            "entrepreneur_id",
            "diaspora_id",
            "kind",
            unique=True,
            postgresql_where=_OPEN_SQL,
            sqlite_where=_OPEN_SQL,
        ),
        Index("ix_pairings_state_state_changed_at", "state", "state_changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entrepreneur_id: Mapped[int] = mapped_column(
        ForeignKey("entrepreneur_profiles.id", ondelete="CASCADE"), index=True
    )
    diaspora_id: Mapped[int] = mapped_column(
        ForeignKey("diaspora_profiles.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[PairingKind] = mapped_column(enum_column(PairingKind))
    state: Mapped[PairingState] = mapped_column(
        enum_column(PairingState), default=PairingState.REQUESTED
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Which side asked: "entrepreneur" or "diaspora"; the other side answers. "coordinator"
    # while a coordinator's proposal waits for both sides; the first to agree becomes it.
    requester_side: Mapped[str] = mapped_column(String(12))
    message: Mapped[str] = mapped_column(Text, default="")
    # The match as the system computed it at request time (never posted by the client).
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # The reason of the last failure transition (decline, reject, withdraw, close).
    reason_code: Mapped[str | None] = mapped_column(String(40))
    reason_text: Mapped[str] = mapped_column(Text, default="")
    # The deciding coordinator's private note: coordinators only, never the two people.
    coordinator_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Optimistic concurrency: a stale page or a replayed post fails instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    #: The matching round whose proposal created it, if any.
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("matching_rounds.id", ondelete="SET NULL"), index=True
    )
    #: The coaching introduction this investment introduction grew from, if any.
    origin_pairing_id: Mapped[int | None] = mapped_column(
        ForeignKey("pairings.id", ondelete="SET NULL"), index=True
    )

    __mapper_args__ = {"version_id_col": version}

    entrepreneur: Mapped[EntrepreneurProfile] = relationship()
    diaspora: Mapped[DiasporaProfile] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    events: Mapped[list[PairingEvent]] = relationship(
        back_populates="pairing",
        order_by="PairingEvent.id",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Pairing {self.id} {self.kind.value} {self.state.value}>"


class PairingEvent(Base):
    """One line of a pairing's audit trail, written in the same transaction as the change."""

    __tablename__ = "pairing_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    # None for the creating event (there was no state before).
    from_state: Mapped[PairingState | None] = mapped_column(enum_column(PairingState))
    to_state: Mapped[PairingState] = mapped_column(enum_column(PairingState))
    # None when the system acted (expiry from `flask pairings tick`).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    automatic: Mapped[bool] = mapped_column(default=False)
    reason_code: Mapped[str | None] = mapped_column(String(40))
    # Shown to the two people: their own words, or a coordinator's message to them.
    note: Mapped[str] = mapped_column(Text, default="")
    # A coordinator's note for the record: only coordinators ever see it.
    private_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    pairing: Mapped[Pairing] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class Notification(Base):
    """An in-app message to one person; its email copy goes through the outbox."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    pairing_id: Mapped[int | None] = mapped_column(
        ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    pairing: Mapped[Pairing | None] = relationship()


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxEmail(Base):
    """An email waiting to be sent (or sent, or given up on) by the delivery step."""

    __tablename__ = "outbox_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    # An account claim's email: "{code}" in the body becomes its one-time code only when
    # sent (registration/claims.py), so no code is ever stored.
    claim_id: Mapped[int | None] = mapped_column(
        ForeignKey("account_claims.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus), default=OutboxStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Not before this time: the back-off after a failure, or the lease of the worker
    # sending it now (a worker that dies mid-send leaves it to be tried again later).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ContactView(Base):
    """A record that someone was shown another person's contact details."""

    __tablename__ = "contact_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    viewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    viewer: Mapped[User] = relationship(foreign_keys=[viewer_id])
    subject: Mapped[User] = relationship(foreign_keys=[subject_id])
    pairing: Mapped[Pairing] = relationship()


class Feedback(Base):
    """One side's rating (1-5) of an approved introduction; once per person and pairing."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("pairing_id", "author_id", name="uq_feedback_pairing_id_author_id"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_1_to_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    pairing: Mapped[Pairing] = relationship()
    author: Mapped[User] = relationship()
