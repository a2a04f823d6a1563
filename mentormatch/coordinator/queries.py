"""What the coordinator's pages count and list: the home page's figures, the vetting queue,
the reports, a person's ratings. Each is one set-based query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CompoundSelect, Select, func, select, union_all
from sqlalchemy.orm import Session, selectinload

from mentormatch.models import (
    DiasporaProfile,
    EntrepreneurProfile,
    Feedback,
    Pairing,
    PairingKind,
    PairingState,
    ReportState,
    ReviewStatus,
    Role,
    SafetyReport,
    User,
)
from mentormatch.pairings.queries import places_taken

S = PairingState


@dataclass(frozen=True)
class Today:
    """The home page: what needs a coordinator's action today."""

    profiles_to_review: int
    waiting_for_approval: int
    expiring_soon: int
    open_reports: int
    stuck_on_capacity: int


def _count(session: Session, statement: Select[Any] | CompoundSelect[Any]) -> int:
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def waiting_for_review() -> CompoundSelect[Any]:
    """Finished profiles of active accounts waiting for a coordinator: (user id, profile
    id, sent at) rows of both kinds of profile."""
    parts = [
        select(
            model.user_id.label("user_id"),
            model.id.label("profile_id"),
            model.submitted_at.label("submitted_at"),
        )
        .join(User, User.id == model.user_id)
        .where(
            model.review_status == ReviewStatus.PENDING,
            model.submitted_at.is_not(None),
            User.is_active.is_(True),
        )
        for model in (EntrepreneurProfile, DiasporaProfile)
    ]
    return union_all(*parts)


def review_queue(session: Session, number: int, per_page: int) -> tuple[list[User], int]:
    """One page of people whose finished profile waits for review, oldest first."""
    rows = waiting_for_review().subquery()
    total = session.scalar(select(func.count()).select_from(rows)) or 0
    ids = session.execute(
        select(rows.c.user_id)
        .order_by(rows.c.submitted_at, rows.c.user_id)
        .limit(per_page)
        .offset((number - 1) * per_page)
    ).scalars()
    order = list(ids)
    users = {
        u.id: u
        for u in session.scalars(
            select(User)
            .where(User.id.in_(order))
            .options(selectinload(User.entrepreneur_profile), selectinload(User.diaspora_profile))
        )
    }
    return [users[i] for i in order if i in users], total


def expiring_soon(now: datetime, within_days: int) -> Select[Any]:
    """Requests nobody answered that expire within `within_days` (the reminder window)."""
    return select(Pairing).where(
        Pairing.state == S.REQUESTED,
        Pairing.expires_at <= now + timedelta(days=within_days),
    )


def stuck_on_capacity() -> Select[Any]:
    """Coaching requests to a mentor with no place left: they wait until one frees up."""
    taken = places_taken()
    return (
        select(Pairing)
        .join(DiasporaProfile, DiasporaProfile.id == Pairing.diaspora_id)
        .outerjoin(taken, taken.c.diaspora_id == Pairing.diaspora_id)
        .where(
            Pairing.state == S.REQUESTED,
            Pairing.kind == PairingKind.COACHING,
            func.coalesce(taken.c.taken, 0) >= DiasporaProfile.mentee_capacity,
        )
    )


def today(session: Session, now: datetime, reminder_days: int) -> Today:
    """The counts on the coordinator's home page."""
    return Today(
        profiles_to_review=_count(session, waiting_for_review()),
        waiting_for_approval=_count(session, select(Pairing.id).where(Pairing.state == S.ACCEPTED)),
        expiring_soon=_count(session, expiring_soon(now, reminder_days)),
        open_reports=_count(
            session, select(SafetyReport.id).where(SafetyReport.state == ReportState.OPEN)
        ),
        stuck_on_capacity=_count(session, stuck_on_capacity()),
    )


def reports(state: ReportState | None) -> Select[Any]:
    """Reports, open ones oldest first, handled ones newest first."""
    statement = select(SafetyReport).options(
        selectinload(SafetyReport.subject), selectinload(SafetyReport.reporter)
    )
    if state is ReportState.OPEN:
        return statement.where(SafetyReport.state == state).order_by(
            SafetyReport.created_at, SafetyReport.id
        )
    if state is not None:
        statement = statement.where(SafetyReport.state == state)
    return statement.order_by(SafetyReport.created_at.desc(), SafetyReport.id.desc())


def reports_about(session: Session, user: User) -> Sequence[SafetyReport]:
    """Every report about `user`, newest first."""
    return session.scalars(
        select(SafetyReport)
        .where(SafetyReport.subject_id == user.id)
        .order_by(SafetyReport.id.desc())
    ).all()


def reports_on_pairing(session: Session, pairing: Pairing) -> Sequence[SafetyReport]:
    """Reports made about one introduction (including its closure for conduct)."""
    return session.scalars(
        select(SafetyReport)
        .where(SafetyReport.pairing_id == pairing.id)
        .order_by(SafetyReport.id.desc())
    ).all()


def ratings_of(
    session: Session, profile: EntrepreneurProfile | DiasporaProfile
) -> Sequence[Feedback]:
    """Ratings of the introductions this profile was part of, given by either side."""
    column = (
        Pairing.entrepreneur_id if isinstance(profile, EntrepreneurProfile) else Pairing.diaspora_id
    )
    return session.scalars(
        select(Feedback)
        .join(Pairing, Pairing.id == Feedback.pairing_id)
        .where(column == profile.id)
        .options(selectinload(Feedback.author), selectinload(Feedback.pairing))
        .order_by(Feedback.created_at.desc())
    ).all()


def ratings_of_pairing(session: Session, pairing: Pairing) -> Sequence[Feedback]:
    """Both sides' ratings of one introduction."""
    return session.scalars(
        select(Feedback)
        .where(Feedback.pairing_id == pairing.id)
        .options(selectinload(Feedback.author))
        .order_by(Feedback.id)
    ).all()


def coordinators(session: Session) -> list[tuple[int, str]]:
    """(id, name) of everyone who can decide on introductions, for the pairings filter."""
    rows = session.execute(
        select(User.id, User.full_name)
        .where(User.role.in_((Role.COORDINATOR, Role.ADMIN)))
        .order_by(User.full_name)
    )
    return [(ident, name) for ident, name in rows]
