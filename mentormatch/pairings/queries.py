"""The lists pages show: a person's inbox, the approval queue and its filters, histories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import BindParameter, ColumnElement, Select, Subquery, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from mentormatch import taxonomy
from mentormatch.models import (
    CAPACITY_STATES,
    DiasporaProfile,
    EntrepreneurProfile,
    Pairing,
    PairingKind,
    PairingState,
    User,
    ValueChain,
)
from mentormatch.models.profiles import entrepreneur_value_chains
from mentormatch.pairings.parties import counterpart_user_id, requester_user_id
from mentormatch.pairings.rules import PENDING_STATES, NotAllowed, PairingNotFound
from mentormatch.people.visibility import is_public

S = PairingState


def coaching_load(session: Session, mentor: DiasporaProfile, exclude: int | None = None) -> int:
    """How many of the mentor's places are taken now: coaching pairings accepted (waiting
    for a coordinator) or approved (CAPACITY_STATES), leaving out pairing `exclude`."""
    statement = (
        select(func.count())
        .select_from(Pairing)
        .where(
            Pairing.diaspora_id == mentor.id,
            Pairing.kind == PairingKind.COACHING,
            Pairing.state.in_(CAPACITY_STATES),
        )
    )
    if exclude is not None:
        statement = statement.where(Pairing.id != exclude)
    return session.scalar(statement) or 0


def places_taken() -> Subquery:
    """(diaspora_id, taken) for every mentor with places taken (as coaching_load): one
    grouped pass over the pairings, to join lists against instead of counting per row."""
    return (
        select(Pairing.diaspora_id.label("diaspora_id"), func.count().label("taken"))
        .where(Pairing.kind == PairingKind.COACHING, Pairing.state.in_(CAPACITY_STATES))
        .group_by(Pairing.diaspora_id)
        .subquery("places_taken")
    )


def coaching_loads(session: Session, mentor_ids: Sequence[int] | None = None) -> dict[int, int]:
    """Places taken per diaspora profile id (as coaching_load), for many mentors at once."""
    statement = (
        select(Pairing.diaspora_id, func.count())
        .where(Pairing.kind == PairingKind.COACHING, Pairing.state.in_(CAPACITY_STATES))
        .group_by(Pairing.diaspora_id)
    )
    if mentor_ids is not None:
        statement = statement.where(Pairing.diaspora_id.in_(list(mentor_ids)))
    return {mentor: count for mentor, count in session.execute(statement)}


def no_second_chance_yet(since: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    """Pairings after which the same two are not suggested or introduced again: declined
    or rejected since `since` (the cooling-off period, or a placeholder for it), or closed
    for conduct, ever."""
    return or_(
        and_(
            Pairing.state.in_((S.DECLINED, S.REJECTED)),
            Pairing.state_changed_at > since,
        ),
        and_(Pairing.state == S.CLOSED, Pairing.reason_code == "conduct"),
    )


def cooling_off(
    session: Session, entrepreneur_id: int, diaspora_id: int, kind: PairingKind, since: datetime
) -> Pairing | None:
    """The latest pairing that keeps these two from being introduced again for this kind
    (see no_second_chance_yet), or None."""
    return session.scalar(
        select(Pairing)
        .where(
            Pairing.entrepreneur_id == entrepreneur_id,
            Pairing.diaspora_id == diaspora_id,
            Pairing.kind == kind,
            no_second_chance_yet(since),
        )
        .order_by(Pairing.state_changed_at.desc(), Pairing.id.desc())
        .limit(1)
        .execution_options(populate_existing=True)
    )


def pairings_of(session: Session, user: User) -> Sequence[Pairing]:
    """Every pairing `user` is a party to, newest change first."""
    conditions = []
    if user.entrepreneur_profile is not None:
        conditions.append(Pairing.entrepreneur_id == user.entrepreneur_profile.id)
    if user.diaspora_profile is not None:
        conditions.append(Pairing.diaspora_id == user.diaspora_profile.id)
    if not conditions:
        return []
    return session.scalars(
        select(Pairing)
        .where(or_(*conditions))
        .order_by(Pairing.state_changed_at.desc(), Pairing.id.desc())
    ).all()


def inbox_of(session: Session, user: User) -> dict[str, list[Pairing]]:
    """The user's pairings as the inbox groups them: requests to answer, requests sent,
    current introductions, and the past."""
    pairings = pairings_of(session, user)
    pending = [p for p in pairings if p.state in PENDING_STATES]
    return {
        # A coordinator's proposal asks both sides: it waits for an answer from each.
        "incoming": [
            p for p in pending if p.state is S.PROPOSED or counterpart_user_id(p) == user.id
        ],
        "outgoing": [
            p for p in pending if p.state is not S.PROPOSED and requester_user_id(p) == user.id
        ],
        "current": [p for p in pairings if p.state is S.APPROVED],
        "past": [
            p for p in pairings if p.state not in PENDING_STATES and p.state is not S.APPROVED
        ],
    }


def parties_of_request(
    session: Session, asker: User, entrepreneur_id: int | None, diaspora_id: int | None
) -> tuple[EntrepreneurProfile, DiasporaProfile]:
    """The two profiles of an introduction `asker` wants; a missing id means their own.

    Raises PairingNotFound when either profile does not exist, NotAllowed when neither is
    the asker's.
    """
    entrepreneur_id = entrepreneur_id or (
        asker.entrepreneur_profile.id if asker.entrepreneur_profile else None
    )
    diaspora_id = diaspora_id or (asker.diaspora_profile.id if asker.diaspora_profile else None)
    entrepreneur = session.get(EntrepreneurProfile, entrepreneur_id) if entrepreneur_id else None
    diaspora = session.get(DiasporaProfile, diaspora_id) if diaspora_id else None
    if entrepreneur is None or diaspora is None:
        raise PairingNotFound(_("That profile does not exist, or it is not available."))
    if asker.id not in (entrepreneur.user_id, diaspora.user_id):
        raise NotAllowed(_("You can ask for introductions only for your own profile."))
    other = diaspora if asker.id == entrepreneur.user_id else entrepreneur
    if not is_public(other):
        # Never show a profile waiting for review, suspended or closed, even by URL.
        raise PairingNotFound(_("That profile does not exist, or it is not available."))
    return entrepreneur, diaspora


def history_of_profile(
    session: Session, profile: EntrepreneurProfile | DiasporaProfile, exclude: int | None = None
) -> Sequence[Pairing]:
    """Past and present pairings of one profile (for the coordinator's review)."""
    column = (
        Pairing.entrepreneur_id if isinstance(profile, EntrepreneurProfile) else Pairing.diaspora_id
    )
    statement = select(Pairing).where(column == profile.id).order_by(Pairing.created_at.desc())
    if exclude is not None:
        statement = statement.where(Pairing.id != exclude)
    return session.scalars(statement).all()


def approval_filter_choices(
    session: Session,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(code, name) of the countries entrepreneurs work in and of every value chain,
    for the approval queue's filters."""
    countries = session.scalars(
        select(EntrepreneurProfile.country_code)
        .distinct()
        .order_by(EntrepreneurProfile.country_code)
    ).all()
    chains = session.execute(
        select(ValueChain.code, ValueChain.label).order_by(ValueChain.position)
    )
    return (
        [(code, taxonomy.country_name(code) or code) for code in countries],
        [(code, taxonomy.chain_short_name(label)) for code, label in chains],
    )


def approval_queue(
    *, country: str | None = None, value_chain: str | None = None, kind: str | None = None
) -> Select[Any]:
    """Accepted pairings waiting for a coordinator, oldest first, with optional filters."""
    statement = (
        select(Pairing)
        .join(Pairing.entrepreneur)
        .where(Pairing.state == S.ACCEPTED)
        .options(
            selectinload(Pairing.entrepreneur),
            selectinload(Pairing.diaspora).selectinload(DiasporaProfile.user),
        )
        .order_by(Pairing.state_changed_at, Pairing.id)
    )
    if country:
        statement = statement.where(EntrepreneurProfile.country_code == country)
    if kind:
        statement = statement.where(Pairing.kind == PairingKind(kind))
    if value_chain:
        statement = statement.where(
            select(entrepreneur_value_chains.c.profile_id)
            .where(
                entrepreneur_value_chains.c.profile_id == EntrepreneurProfile.id,
                entrepreneur_value_chains.c.value_chain_code == value_chain,
            )
            .exists()
        )
    return statement


@dataclass(frozen=True)
class PairingFilters:
    """The coordinator's filters over every pairing; None means any."""

    state: PairingState | None = None
    kind: PairingKind | None = None
    country: str | None = None
    value_chain: str | None = None
    # Requested on or after / on or before these days (UTC).
    since: date | None = None
    until: date | None = None
    # The coordinator who decided (approved or rejected).
    coordinator_id: int | None = None


def every_pairing(filters: PairingFilters) -> Select[Any]:
    """Pairings in any state matching the filters, latest change first."""
    statement = (
        select(Pairing)
        .join(Pairing.entrepreneur)
        .options(
            selectinload(Pairing.entrepreneur),
            selectinload(Pairing.diaspora).selectinload(DiasporaProfile.user),
        )
        .order_by(Pairing.state_changed_at.desc(), Pairing.id.desc())
    )
    if filters.state is not None:
        statement = statement.where(Pairing.state == filters.state)
    if filters.kind is not None:
        statement = statement.where(Pairing.kind == filters.kind)
    if filters.country:
        statement = statement.where(EntrepreneurProfile.country_code == filters.country)
    if filters.value_chain:
        statement = statement.where(
            select(entrepreneur_value_chains.c.profile_id)
            .where(
                entrepreneur_value_chains.c.profile_id == EntrepreneurProfile.id,
                entrepreneur_value_chains.c.value_chain_code == filters.value_chain,
            )
            .exists()
        )
    if filters.since is not None:
        start = datetime.combine(filters.since, time.min, tzinfo=UTC)
        statement = statement.where(Pairing.created_at >= start)
    if filters.until is not None:
        end = datetime.combine(filters.until, time.min, tzinfo=UTC) + timedelta(days=1)
        statement = statement.where(Pairing.created_at < end)
    if filters.coordinator_id is not None:
        statement = statement.where(Pairing.decided_by_id == filters.coordinator_id)
    return statement
