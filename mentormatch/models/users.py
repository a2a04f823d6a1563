"""Accounts: who someone is and what they may do."""

from __future__ import annotations

import enum
import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING

from email_validator import EmailNotValidError, validate_email
from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentormatch.db import Base, utcnow
from mentormatch.models.types import UTCDateTime

if TYPE_CHECKING:
    from mentormatch.models.profiles import DiasporaProfile, EntrepreneurProfile


class Role(enum.StrEnum):
    ENTREPRENEUR = "entrepreneur"
    DIASPORA = "diaspora"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    # Registers entrepreneurs met in the field and edits only the people they registered.
    FIELD_OFFICER = "field_officer"

    @property
    def label(self) -> str:
        """The role in the reader's language."""
        from flask_babel import gettext as _

        return {
            "entrepreneur": _("Entrepreneur"),
            "diaspora": _("Diaspora mentor or investor"),
            "coordinator": _("Programme coordinator"),
            "admin": _("Administrator"),
            "field_officer": _("Field officer"),
        }[self.value]


def enum_column(enum_cls: type[enum.Enum], length: int = 20) -> Enum:
    """Store an enum by its value as a plain string column (portable, readable in SQL)."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored in one form (see normalize_email), so the unique constraint holds per mailbox.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on log-out, password change and deactivation: every session cookie issued
    # before then stops working (see auth/loader.py).
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # Bumped by every coordinator decision about this person and by each change to their
    # profile while it is under review: a coordinator's page posts the version it showed,
    # so a stale page or a second click changes nothing (409; mentormatch/people/).
    record_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # When the person followed the link sent to `email`; a self-registered account
    # cannot log in before (sign-up answers the same whether or not the address is taken).
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The language pages, emails and SMS are written in for this person (mentormatch/i18n;
    # None: the browser's choice, English in messages) and the time zone times are shown
    # in (defaulted from the profile's country).
    language: Mapped[str | None] = mapped_column(String(8))
    time_zone: Mapped[str | None] = mapped_column(String(64))

    entrepreneur_profile: Mapped[EntrepreneurProfile | None] = relationship(
        back_populates="user", uselist=False, cascade="all, delete-orphan"
    )
    diaspora_profile: Mapped[DiasporaProfile | None] = relationship(
        back_populates="user", uselist=False, cascade="all, delete-orphan"
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def login_name(self) -> str:
        return self.email or self.phone or f"user {self.id}"

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value} {self.login_name}>"


def normalize_email(email: str | None) -> str | None:
    """An email address in the one form it is stored and compared in: trimmed, local part
    in Unicode NFC, domain in its Unicode form whether typed as IDN or punycode
    (email-validator), all lower-case. One mailbox can then hold only one account."""
    if email is None:
        return None
    email = email.strip()
    if not email:
        return None
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        # Not a valid address (a look-up of something typed): still compare one form.
        email = unicodedata.normalize("NFC", email)
    return email.lower()


def normalize_phone(phone: str | None) -> str | None:
    """Keep a leading + and the digits: '+254 712-345 678' -> '+254712345678'. Numbers are
    read and checked by mentormatch.phones.parse_phone first; this only keeps a number
    already in E.164 as it is, for look-ups."""
    if phone is None:
        return None
    phone = phone.strip()
    if not phone:
        return None
    digits = "".join(ch for ch in phone if ch in "0123456789")
    return ("+" if phone.startswith("+") else "") + digits
