"""The scheduled job (`pairings tick`): reminders before a request expires, then expiry,
then a sweep of the approval queue for introductions that can no longer be approved."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from mentormatch.db import utcnow
from mentormatch.models import Pairing, PairingState, User
from mentormatch.notifications import display_name, long_date
from mentormatch.pairings.parties import counterpart_user_id, requester_user_id
from mentormatch.pairings.rules import IllegalTransition, PairingMovedOn
from mentormatch.pairings.service import (
    Policy,
    tell,
    transition,
    unapprovable_accepted,
    withdraw_unapprovable,
)

S = PairingState


@dataclass(frozen=True)
class TickReport:
    """How many requests one run reminded and expired."""

    reminded: int
    expired: int
    withdrawn: int = 0


def expire_and_remind(session: Session, policy: Policy, now: datetime | None = None) -> TickReport:
    """Remind counterparts of requests about to expire, and expire overdue ones.

    Safe to run twice: a reminder sets `reminded_at`, an expiry changes the state, so a
    second run finds nothing to do. Each pairing is its own commit.
    """
    now = now or utcnow()
    locking = session.get_bind().dialect.name == "postgresql"
    waiting = (S.PROPOSED, S.REQUESTED)
    due_soon = (
        select(Pairing)
        .where(
            Pairing.state.in_(waiting),
            Pairing.reminded_at.is_(None),
            Pairing.expires_at > now,
            Pairing.expires_at <= now + timedelta(days=policy.reminder_days),
        )
        .order_by(Pairing.id)
    )
    overdue = (
        select(Pairing)
        .where(Pairing.state.in_(waiting), Pairing.expires_at <= now)
        .order_by(Pairing.id)
    )
    reminded = expired = 0
    for pairing in _claim_each(session, due_soon, locking):
        if _each_in_own_commit(session, partial(_remind, session, pairing, now)):
            reminded += 1
    for pairing in _claim_each(session, overdue, locking):
        if _each_in_own_commit(session, partial(_expire, session, pairing, policy, now)):
            expired += 1
    # The change that makes an accepted introduction unapprovable usually takes it out of
    # the queue itself (a profile saved, an account deactivated); this catches the rest
    # (a capacity lowered by a re-import, an edit in the database), so the queue never
    # offers an Approve that must fail for longer than one run. A read without locks finds
    # the blocked ones; only those are claimed and checked again (same rule) under locks,
    # the newest accepted first, as withdraw_unapprovable orders them: when a mentor's
    # places were lowered, the introductions accepted earliest keep theirs.
    blocked = unapprovable_accepted(session)
    session.commit()  # the read's snapshot, not held while claiming
    withdrawn = 0
    accepted = (
        select(Pairing)
        .where(Pairing.state == S.ACCEPTED, Pairing.id.in_(blocked))
        .order_by(Pairing.state_changed_at.desc(), Pairing.id.desc())
    )
    for pairing in _claim_each(session, accepted, locking) if blocked else ():
        taken_out: list[Pairing] = []
        work = partial(_withdraw_if_unapprovable, session, pairing, now, taken_out)
        if _each_in_own_commit(session, work) and taken_out:
            withdrawn += 1
    return TickReport(reminded=reminded, expired=expired, withdrawn=withdrawn)


def _withdraw_if_unapprovable(
    session: Session, pairing: Pairing, now: datetime, taken_out: list[Pairing]
) -> None:
    taken_out.extend(withdraw_unapprovable(session, [pairing], None, now))


def _claim_each(session: Session, statement: Select[Any], locking: bool) -> Sequence[Pairing]:
    if locking:
        # Two ticks at once: each takes the rows the other has not locked.
        statement = statement.with_for_update(skip_locked=True)
    return session.scalars(statement).all()


def _each_in_own_commit(session: Session, work: Callable[[], None]) -> bool:
    """Run `work` and commit; if another run changed the pairing meanwhile, skip it."""
    try:
        work()
        session.commit()
    except (StaleDataError, PairingMovedOn, IllegalTransition):
        session.rollback()
        return False
    return True


def _remind(session: Session, pairing: Pairing, now: datetime) -> None:
    pairing.reminded_at = now
    if pairing.state is S.PROPOSED:
        for user_id in (pairing.entrepreneur.user_id, pairing.diaspora.user_id):
            tell(
                session,
                user_id,
                pairing,
                lambda: (
                    _("A proposed introduction waits for your answer"),
                    _(
                        "A coordinator proposed %(an_introduction)s for you. It expires on "
                        "%(date)s unless you both answer.",
                        an_introduction=pairing.kind.an_introduction,
                        date=long_date(pairing.expires_at),
                    ),
                ),
            )
        return
    requester = session.get(User, requester_user_id(pairing))
    tell(
        session,
        counterpart_user_id(pairing),
        pairing,
        lambda: (
            _("A request waits for your answer"),
            _(
                "%(name)s asked you for %(an_introduction)s. It expires on %(date)s unless "
                "you answer.",
                name=requester.full_name if requester else display_name(""),
                an_introduction=pairing.kind.an_introduction,
                date=long_date(pairing.expires_at),
            ),
        ),
    )


def _expire(session: Session, pairing: Pairing, policy: Policy, now: datetime) -> None:
    proposed = pairing.state is S.PROPOSED
    transition(session, pairing, "expire", None, reason="expired", now=now, automatic=True)
    if proposed:
        for user_id in (pairing.entrepreneur.user_id, pairing.diaspora.user_id):
            tell(
                session,
                user_id,
                pairing,
                lambda: (
                    _("A proposed introduction expired"),
                    ngettext(
                        "The introduction a coordinator proposed (%(kind)s) got no answer "
                        "from both of you in %(num)d day, so it expired.",
                        "The introduction a coordinator proposed (%(kind)s) got no answer "
                        "from both of you in %(num)d days, so it expired.",
                        policy.ttl_days,
                        kind=pairing.kind.label,
                    ),
                ),
            )
        return
    tell(
        session,
        requester_user_id(pairing),
        pairing,
        lambda: (
            _("Your request expired"),
            ngettext(
                "Your request for %(an_introduction)s got no answer in %(num)d day, so it "
                "expired. You can ask someone else.",
                "Your request for %(an_introduction)s got no answer in %(num)d days, so it "
                "expired. You can ask someone else.",
                policy.ttl_days,
                an_introduction=pairing.kind.an_introduction,
            ),
        ),
    )
