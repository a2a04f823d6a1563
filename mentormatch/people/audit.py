"""A person's audit trail: every decision about their profile or account, and every report
about them, written in the same transaction as the change (models/people.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mentormatch.db import utcnow
from mentormatch.models import AccountEvent, SafetyReport, User

ACTION_LABELS = {
    "registered": _l("Registered by a coordinator or imported"),
    "submit": _l("Profile sent for review"),
    "resubmit": _l("Profile sent again after changes"),
    "approve": _l("Profile approved"),
    "request_changes": _l("Changes asked for"),
    "reject": _l("Profile not accepted"),
    "suspend": _l("Profile suspended"),
    "reinstate": _l("Suspension lifted"),
    "deactivate": _l("Account deactivated"),
    "reactivate": _l("Account reactivated"),
    "report": _l("Problem reported about them"),
    "close_report": _l("Report handled"),
}

# The decisions whose message the person is shown on their own profile page.
MESSAGES_TO_THE_PERSON = ("approve", "request_changes", "reject", "suspend", "reinstate")


def record(
    session: Session,
    user: User,
    action: str,
    actor: User | None,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    reason: str | None = None,
    message: str = "",
    private_note: str = "",
    report: SafetyReport | None = None,
    now: datetime | None = None,
) -> AccountEvent:
    """Add one line to `user`'s trail (flushed with the caller's change)."""
    event = AccountEvent(
        user=user,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason_code=reason,
        message=message,
        private_note=private_note,
        report=report,
        created_at=now or utcnow(),
    )
    session.add(event)
    return event


def trail_of(session: Session, user: User, limit: int = 200) -> Sequence[AccountEvent]:
    """`user`'s trail, newest first (coordinators only: it holds private notes)."""
    return session.scalars(
        select(AccountEvent)
        .where(AccountEvent.user_id == user.id)
        .options(selectinload(AccountEvent.actor))
        .order_by(AccountEvent.id.desc())
        .limit(limit)
    ).all()


def last_message_to(session: Session, user: User) -> AccountEvent | None:
    """The latest review decision about `user`, whose message they are shown."""
    return session.scalar(
        select(AccountEvent)
        .where(
            AccountEvent.user_id == user.id,
            AccountEvent.action.in_(MESSAGES_TO_THE_PERSON),
        )
        .order_by(AccountEvent.id.desc())
        .limit(1)
    )
