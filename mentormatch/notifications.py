"""Telling people what happened: in-app notifications plus an email outbox.

A notification and its email row are written in the caller's transaction, so a
transition never happens without them; sending happens later, in `deliver_outbox`,
so a mail server that is down never blocks or undoes a transition.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from babel.dates import format_date as babel_format_date
from flask import has_app_context
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy.orm import Session

from mentormatch.auth.service import BIDI_CONTROLS
from mentormatch.db import utcnow
from mentormatch.i18n import in_language_of
from mentormatch.models import Notification, OutboxEmail, OutboxStatus, Pairing, User

# After this many failed attempts an email stays `failed` and is not tried again.
MAX_ATTEMPTS = 5

SendEmail = Callable[[str, str, str], None]

# Notifications point to a page with a last line "See /path." (a path, since the domain
# knows no host), written in the reader's language ("Voir /path.", "انظر /path."); the
# delivery step makes it a full link for email clients. Only the last line counts, so a
# path someone typed in their message never becomes the link.
_LINK_LINE = re.compile(r"^(?P<words>[^/\n]*\S\s)(?P<path>/(?![/\\])\S*?)\.?$")


def with_link(body: str, path: str) -> str:
    """The body followed by the line pointing to the page where the reader can act (in the
    language being written: call it inside `in_language_of(reader)`)."""
    return body + "\n\n" + _("See %(path)s.", path=path)


def coordinators_words(message: str) -> str:
    """A coordinator's message to the person, as the paragraph that ends a notification
    (nothing when they wrote none). Their private note never goes here."""
    return "\n\n" + _("The coordinator's message:") + "\n" + message if message else ""


def long_date(moment: datetime | None) -> str:
    """A day as the reader writes it ("14 décembre 2026", "14 ديسمبر 2026"), in their time
    zone: call it inside `in_language_of(reader)`. Outside the app (a script), in English, UTC."""
    if moment is None:
        return ""
    if has_app_context():
        return str(format_date(moment, "long"))
    return babel_format_date(moment, "long", locale="en")


def _link_line(body: str) -> re.Match[str] | None:
    return _LINK_LINE.match(body.rpartition("\n")[2])


def link_of(body: str) -> str | None:
    """The path a notification points to (its last line, "See /path."), if any."""
    found = _link_line(body)
    return found.group("path") if found else None


# Names in subjects and greetings are cut to this many characters.
MAX_DISPLAY_NAME = 40


def display_name(name: str) -> str:
    """A person's name as an email may show it (subject, greeting): one line of plain text
    of at most MAX_DISPLAY_NAME characters, whatever was typed or imported."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in BIDI_CONTROLS else ch
        for ch in text
    )
    text = " ".join(text.split())
    if len(text) > MAX_DISPLAY_NAME:
        text = text[: MAX_DISPLAY_NAME - 1].rstrip() + "…"
    return text or _("A MentorMatch member")


def public_link(public_url: str, path: str) -> str:
    """The absolute link to `path` at the address people open MentorMatch at (PUBLIC_URL),
    never at whatever host a request named."""
    return public_url.rstrip("/") + path


def with_absolute_links(body: str, public_url: str) -> str:
    """Turn "See /pairings/12." into "See https://host/pairings/12" for an email (no full
    stop after the link, which some mail clients would make part of it)."""
    found = _link_line(body)
    if not public_url or found is None:
        return body
    head = body[: len(body) - len(found.group(0))]
    return f"{head}{found.group('words')}{public_url.rstrip('/')}{found.group('path')}"


def queue_email(
    session: Session, to: str, subject: str, body: str, notification_id: int | None = None
) -> OutboxEmail:
    """Put an email in the outbox; the worker sends it (no request ever talks to SMTP)."""
    email = OutboxEmail(
        to_address=to, subject=subject[:200], body=body, notification_id=notification_id
    )
    session.add(email)
    return email


def notify(
    session: Session,
    user: User,
    subject: str,
    body: str,
    pairing: Pairing | None = None,
    link: str | None = None,
) -> Notification:
    """Add an in-app notification for `user` and queue its email when they have an address.

    The text is kept as written, so it must be in `user`'s language: compose it inside
    `in_language_of(user)`, or pass lazy strings (lazy_gettext), which are written out
    here in their language; `link` (a path) adds the "See /path." line in it too."""
    with in_language_of(user):
        subject, body = str(subject), str(body)
        if link is not None:
            body = with_link(body, link)
    notification = Notification(
        user_id=user.id,
        pairing_id=pairing.id if pairing else None,
        subject=subject[:200],
        body=body,
    )
    session.add(notification)
    session.flush()
    if user.email:
        queue_email(session, user.email, notification.subject, body, notification.id)
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


# How long a worker may take to send one email before another may try it (it died).
SENDING_LEASE = timedelta(minutes=10)


def retry_delay(attempt: int, retry_seconds: float) -> timedelta:
    """The wait after failed attempt number `attempt`: retry_seconds, then doubling."""
    return timedelta(seconds=retry_seconds * 2 ** (attempt - 1))


def deliver_outbox(
    session: Session,
    send: SendEmail,
    now: datetime | None = None,
    limit: int = 200,
    public_url: str = "",
    retry_seconds: float = 60,
    keep_going: Callable[[], bool] = lambda: True,
) -> DeliveryReport:
    """Send the emails that are due with `send(to, subject, body)`, each exactly once.

    Links to pages become absolute with `public_url` (the address people open the app at);
    an account claim's email gets its one-time code only now (registration/claims.py).
    See `deliver_rows` for how each email is claimed and retried.
    """
    from mentormatch.registration.claims import with_code

    def send_email(email: Any) -> None:
        body = email.body
        if email.claim_id is not None:
            body = with_code(session, email.claim_id, body)
        send(email.to_address, email.subject, with_absolute_links(body, public_url))

    return deliver_rows(
        session,
        OutboxEmail,
        send_email,
        now=now,
        limit=limit,
        retry_seconds=retry_seconds,
        keep_going=keep_going,
    )


def deliver_rows(
    session: Session,
    model: Any,
    send: Callable[[Any], None],
    now: datetime | None = None,
    limit: int = 200,
    retry_seconds: float = 60,
    keep_going: Callable[[], bool] = lambda: True,
) -> DeliveryReport:
    """Send the outbox rows of `model` (OutboxEmail, OutboxSms) that are due with
    `send(row)`, each exactly once.

    Each row is claimed before it is sent: its attempt counter moves on only if no
    other worker moved it first (a compare-and-set that works on SQLite, which has no
    row locks; on PostgreSQL the rows are also picked with SKIP LOCKED), and the claim
    is committed before talking to the server, so no transaction stays open during
    a slow send. A failed row is tried again after `retry_delay` (1, 2, 4, 8 minutes
    with the default), up to MAX_ATTEMPTS; one that is never reported (a worker died
    mid-send) is tried again when its SENDING_LEASE runs out.
    """
    locking = session.get_bind().dialect.name == "postgresql"
    sent = failed = 0
    last_id = 0
    for _attempt in range(limit):
        if not keep_going():
            break
        moment = now or utcnow()
        statement = (
            select(model)
            .where(
                model.id > last_id,
                model.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)),
                model.attempts < MAX_ATTEMPTS,
                or_(model.next_attempt_at.is_(None), model.next_attempt_at <= moment),
            )
            .order_by(model.id)
            .limit(1)
        )
        if locking:
            statement = statement.with_for_update(skip_locked=True)
        row = session.scalars(statement).first()
        if row is None:
            session.commit()
            break
        last_id = row.id
        attempt = row.attempts + 1
        claimed: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(model)
            .where(model.id == row.id, model.attempts == row.attempts)
            .values(
                attempts=attempt, last_attempt_at=moment, next_attempt_at=moment + SENDING_LEASE
            )
            .execution_options(synchronize_session=False)
        )
        session.commit()
        if claimed.rowcount != 1:
            continue  # another worker took it
        try:
            send(row)
        except Exception as exc:  # any transport failure: keep the row, record why
            outcome: dict[str, object] = {
                "status": OutboxStatus.FAILED,
                "last_error": str(exc)[:2000],
                "next_attempt_at": (
                    moment + retry_delay(attempt, retry_seconds) if attempt < MAX_ATTEMPTS else None
                ),
            }
            failed += 1
        else:
            outcome = {
                "status": OutboxStatus.SENT,
                "sent_at": moment,
                "last_error": "",
                "next_attempt_at": None,
            }
            sent += 1
        session.execute(
            update(model)
            .where(model.id == row.id, model.attempts == attempt)
            .values(outcome)
            .execution_options(synchronize_session=False)
        )
        session.commit()
    session.expire_all()
    return DeliveryReport(sent=sent, failed=failed)
