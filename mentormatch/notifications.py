"""Telling people what happened: in-app notifications plus an email outbox.

A notification and its email row are written in the caller's transaction, so a
transition never happens without them; sending happens later, in `deliver_outbox`,
so a mail server that is down never blocks or undoes a transition.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.models import Notification, OutboxEmail, OutboxStatus, Pairing, User

# After this many failed attempts an email stays `failed` and is not tried again.
MAX_ATTEMPTS = 5

SendEmail = Callable[[str, str, str], None]

# Notifications point to a page with a last line "See /path." (a path, since the domain
# knows no host); the delivery step makes it a full link for email clients.
_LINK_LINE = re.compile(r"^See (/\S*)\.$", re.MULTILINE)


def with_link(body: str, path: str) -> str:
    """The body followed by the line pointing to the page where the reader can act."""
    return f"{body}\n\nSee {path}."


def with_absolute_links(body: str, public_url: str) -> str:
    """Turn "See /pairings/12." into "See https://host/pairings/12" for an email (no full
    stop after the link, which some mail clients would make part of it)."""
    if not public_url:
        return body
    base = public_url.rstrip("/")
    return _LINK_LINE.sub(lambda m: f"See {base}{m.group(1)}", body)


def notify(
    session: Session,
    user: User,
    subject: str,
    body: str,
    pairing: Pairing | None = None,
) -> Notification:
    """Add an in-app notification for `user` and queue its email when they have an address."""
    notification = Notification(
        user_id=user.id,
        pairing_id=pairing.id if pairing else None,
        subject=subject[:200],
        body=body,
    )
    session.add(notification)
    session.flush()
    if user.email:
        session.add(
            OutboxEmail(
                notification_id=notification.id,
                to_address=user.email,
                subject=notification.subject,
                body=body,
            )
        )
    return notification


def unread_count(session: Session, user: User) -> int:
    """How many notifications `user` has not seen yet (the number in the header)."""
    count = session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )
    return count or 0


def recent_notifications(session: Session, user: User, limit: int = 100) -> Sequence[Notification]:
    """The user's latest notifications, newest first."""
    return session.scalars(
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    ).all()


def mark_all_read(session: Session, user: User, now: datetime | None = None) -> None:
    """Mark every unread notification of `user` as read."""
    session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
    )


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    failed: int


def deliver_outbox(
    session: Session,
    send: SendEmail,
    now: datetime | None = None,
    limit: int = 200,
    public_url: str = "",
) -> DeliveryReport:
    """Send queued emails with `send(to, subject, body)`, committing each row's outcome.

    Links to pages become absolute with `public_url` (the address people open the app at).

    Each email is its own unit of work: one that fails is marked `failed` with its
    attempt count and error, and is tried again on the next run until MAX_ATTEMPTS.
    """
    locking = session.get_bind().dialect.name == "postgresql"
    sent = failed = 0
    last_id = 0
    for _ in range(limit):
        # One row per transaction; on PostgreSQL two runs at once skip each other's rows.
        statement = (
            select(OutboxEmail)
            .where(
                OutboxEmail.id > last_id,
                OutboxEmail.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)),
                OutboxEmail.attempts < MAX_ATTEMPTS,
            )
            .order_by(OutboxEmail.id)
            .limit(1)
        )
        if locking:
            statement = statement.with_for_update(skip_locked=True)
        email = session.scalars(statement).first()
        if email is None:
            break
        last_id = email.id
        email.attempts += 1
        email.last_attempt_at = now or utcnow()
        try:
            send(email.to_address, email.subject, with_absolute_links(email.body, public_url))
        except Exception as exc:  # any transport failure: keep the row, record why
            email.status = OutboxStatus.FAILED
            email.last_error = str(exc)[:2000]
            failed += 1
        else:
            email.status = OutboxStatus.SENT
            email.sent_at = email.last_attempt_at
            email.last_error = ""
            sent += 1
        session.commit()
    return DeliveryReport(sent=sent, failed=failed)
