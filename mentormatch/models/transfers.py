"""Imports run by the worker from the coordinator's upload, and the log of exports."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentormatch.db import Base, utcnow
from mentormatch.models.profiles import ReviewStatus
from mentormatch.models.types import UTCDateTime
from mentormatch.models.users import User, enum_column


class ImportState(enum.StrEnum):
    """Where an uploaded file is: the worker checks it, the coordinator confirms, the
    worker imports it; at any point before that the coordinator may discard it."""

    QUEUED = "queued"  # uploaded, waiting for the worker to check every row
    CHECKING = "checking"
    CHECKED = "checked"  # every row checked: the coordinator chooses what to import
    REFUSED = "refused"  # the file as a whole cannot be imported (`message` says why)
    CONFIRMED = "confirmed"  # the coordinator chose; waiting for the worker
    IMPORTING = "importing"
    IMPORTED = "imported"
    FAILED = "failed"  # checked again at import time and refused, or the writing failed
    DISCARDED = "discarded"

    @property
    def label(self) -> str:
        """Where the file is, in the reader's language (the list of recent imports)."""
        from flask_babel import gettext as _

        return {
            "queued": _("waiting to be checked"),
            "checking": _("being checked"),
            "checked": _("checked, waiting for your choice"),
            "refused": _("refused"),
            "confirmed": _("waiting to be imported"),
            "importing": _("being imported"),
            "imported": _("imported"),
            "failed": _("failed"),
            "discarded": _("discarded"),
        }[self.value]


class ImportJob(Base):
    """One uploaded file on its way from the coordinator's page into profiles."""

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    filename: Mapped[str] = mapped_column(String(255), default="")
    #: The file as uploaded, until it is imported or discarded (then emptied).
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: entrepreneurs or diaspora: chosen on the page, or read from the header.
    kind: Mapped[str | None] = mapped_column(String(20))
    #: The status the imported profiles get (the importer's choice).
    review_status: Mapped[ReviewStatus] = mapped_column(enum_column(ReviewStatus))
    state: Mapped[ImportState] = mapped_column(
        enum_column(ImportState), default=ImportState.QUEUED, index=True
    )
    only_valid: Mapped[bool] = mapped_column(Boolean, default=False)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    valid_rows: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    #: [[row, column, message], ...] and [[row, column, message], ...] from the check.
    problems: Mapped[list[Any]] = mapped_column(JSON, default=list)
    notes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: Why the file was refused or the import failed.
    message: Mapped[str] = mapped_column(Text, default="")
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_by: Mapped[User | None] = relationship()


class ExportLog(Base):
    """Who exported what, when, with which filters (contact details or not)."""

    __tablename__ = "export_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    #: people or pairings
    subject: Mapped[str] = mapped_column(String(20))
    file_format: Mapped[str] = mapped_column(String(10))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    with_contacts: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User | None] = relationship()
