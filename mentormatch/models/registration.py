"""Assisted registration: the consent a person gave, the one-time codes that let them claim
the account made for them, and the SMS outbox those codes (and later other texts) go
through."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentormatch.db import Base, utcnow
from mentormatch.models.pairings import OutboxStatus
from mentormatch.models.types import CodeList, UTCDateTime
from mentormatch.models.users import User, enum_column


class ConsentMethod(enum.StrEnum):
    """How the person said yes, as the registrar saw it."""

    SPOKEN = "spoken"
    SIGNED = "signed"
    THUMBPRINT = "thumbprint"

    @property
    def label(self) -> str:
        """How the method reads on the registration form, in the reader's language."""
        from flask_babel import gettext as _

        return {
            "spoken": _("Said yes after the statements were read to them"),
            "signed": _("Signed the paper form"),
            "thumbprint": _("Put their thumbprint on the paper form"),
        }[self.value]


class ConsentRecord(Base):
    """What a person agreed to when someone registered them, when, and who recorded it."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: The version of the statements (registration/consent.py), and their keys agreed to.
    version: Mapped[str] = mapped_column(String(20))
    statements: Mapped[list[str]] = mapped_column(CodeList(), default=list)
    #: The words as they were read out, kept whole: the statements may change later.
    text: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[ConsentMethod] = mapped_column(enum_column(ConsentMethod))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])


class ClaimChannel(enum.StrEnum):
    SMS = "sms"
    EMAIL = "email"


class AccountClaim(Base):
    """A one-time code that lets a person set the password of an account made for them.

    The code itself is never stored: it is made when the message is delivered (by the
    worker) and only its keyed hash is kept, so neither the outbox nor this table nor a
    coordinator's page ever holds it.
    """

    __tablename__ = "account_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[ClaimChannel] = mapped_column(enum_column(ClaimChannel, length=10))
    #: The phone number (E.164) or email address the code goes to.
    destination: Mapped[str] = mapped_column(String(254))
    code_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    #: When the code was made and handed to the gateway; it expires some minutes later.
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User] = relationship()


class OutboxSms(Base):
    """A text message waiting to be sent (or sent, or given up on) by the worker."""

    __tablename__ = "outbox_sms"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_number: Mapped[str] = mapped_column(String(16))
    #: With "{code}" where a claim's one-time code goes, filled in only when it is sent.
    body: Mapped[str] = mapped_column(Text, default="")
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
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
