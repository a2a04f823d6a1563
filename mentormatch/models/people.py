"""What coordinators decide about people, and what people report: the two audit tables.

A pairing has its own trail (pairing_events); everything else a coordinator decides about
a person (vetting, suspension, deactivation) and every safety report lands here, in the
same transaction as the change. See mentormatch/people/ and docs/decisions/016.
"""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentormatch.db import Base, utcnow
from mentormatch.models.pairings import Pairing
from mentormatch.models.types import UTCDateTime
from mentormatch.models.users import User, enum_column


class ReportState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"open": _("Open"), "closed": _("Handled")}[self.value]


class SafetyReport(Base):
    """A problem someone reported about a person (or an introduction closed for conduct)."""

    __tablename__ = "safety_reports"
    __table_args__ = (Index("ix_safety_reports_state_created_at", "state", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Who reported; None when their account was deleted since.
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The account the report is about.
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    pairing_id: Mapped[int | None] = mapped_column(
        ForeignKey("pairings.id", ondelete="SET NULL"), index=True
    )
    # "report" (the Report a problem form) or "closure" (an introduction closed for conduct).
    source: Mapped[str] = mapped_column(String(20), default="report")
    category: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[ReportState] = mapped_column(enum_column(ReportState), default=ReportState.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When a coordinator suspended the reported profile while looking into this report.
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(40))
    # Shown to the person who reported; the private note only to coordinators.
    message: Mapped[str] = mapped_column(Text, default="")
    private_note: Mapped[str] = mapped_column(Text, default="")
    # Optimistic concurrency, as on pairings: a stale page or a second click fails.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    subject: Mapped[User] = relationship(foreign_keys=[subject_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])
    pairing: Mapped[Pairing | None] = relationship()


class AccountEvent(Base):
    """One line of a person's audit trail: a decision about their profile or account, a
    profile sent for review, or a safety report about them and its handling."""

    __tablename__ = "account_events"
    __table_args__ = (Index("ix_account_events_user_id_id", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The person the line is about.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Who acted: a coordinator, the person themselves (sending their profile), or None
    # for the system.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))
    # Review statuses, or "active" / "deactivated" for the account.
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    reason_code: Mapped[str | None] = mapped_column(String(40))
    # Shown to the person (labelled so where a coordinator writes it).
    message: Mapped[str] = mapped_column(Text, default="")
    # Only coordinators ever see it.
    private_note: Mapped[str] = mapped_column(Text, default="")
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("safety_reports.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    report: Mapped[SafetyReport | None] = relationship()
