"""The matching data version: bumped in the same transaction as any change the engine reads.

A listener on every Session's flush looks at what is being written. A new, deleted or
edited profile (only the fields the adapter turns into records: adapter.ENGINE_FIELDS), an
account switched on or off, new exchange rates or taxonomy rows: each bumps
`matching_state.version` and logs the profiles concerned in `matching_changes`. Logging in
(users.last_login_at), a new contact email or a pairing never does: pairings are query
inputs (coaching load, excluded pairs), read per request.

Reading the version is one primary-key lookup (`matching_version`). See docs/decisions/015.

Coaching loads have their own counter, `matching_state.loads_version`: a coaching pairing
entering or leaving the states that take a mentor's place (accepted, approved), a pairing
or a profile deleted (pairings go with their profiles), bumps it in the same transaction,
so web processes keep the loads between pages and read them again only when it moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Delete, Insert, Update, delete, event, insert, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session

from mentormatch.db import utcnow
from mentormatch.matches.adapter import ENGINE_FIELDS
from mentormatch.models import (
    CAPACITY_STATES,
    ChangedSide,
    DiasporaProfile,
    EntrepreneurProfile,
    ExchangeRate,
    MatchingChange,
    MatchingState,
    Pairing,
    PairingKind,
    Skill,
    User,
    ValueChain,
    ValueChainGroup,
)

Change = tuple[ChangedSide, int]
SIDES = {EntrepreneurProfile: ChangedSide.ENTREPRENEUR, DiasporaProfile: ChangedSide.DIASPORA}
# Whole tables whose rows change every record at once (amounts in dollars, labels, groups).
EVERYONE = (ExchangeRate, Skill, ValueChain, ValueChainGroup)
EVERYONE_TABLES = {model.__table__.name for model in EVERYONE}  # type: ignore[attr-defined]
STATE_ID = 1


# A pairing's fields that decide whether it takes one of its mentor's coaching places.
LOAD_FIELDS = ("kind", "state", "diaspora_id")
# Tables whose rows, deleted in bulk, take their pairings with them (and so mentors' loads).
PEOPLE_TABLES = {"entrepreneur_profiles", "diaspora_profiles", "users"}


def matching_version(session: Session) -> int:
    """The current matching data version (one primary-key lookup)."""
    version = session.scalar(select(MatchingState.version).where(MatchingState.id == STATE_ID))
    return int(version or 0)


def changes_since(session: Session, version: int) -> tuple[int, set[Change]]:
    """The current version and every profile changed after `version` (ALL: everyone)."""
    now = matching_version(session)
    return now, changed_after_version(session, version)


def changed_after_version(session: Session, version: int) -> set[Change]:
    """Every profile changed after `version` (ALL: everyone); one indexed range read."""
    rows = session.execute(
        select(MatchingChange.side, MatchingChange.profile_id).where(
            MatchingChange.version > version
        )
    )
    return {(ChangedSide(side), int(profile)) for side, profile in rows}


def forget_changes_up_to(session: Session, version: int) -> None:
    """Drop the log up to a version an index was fully built at (the worker does, a build
    behind: matches/builds.build_full)."""
    session.execute(delete(MatchingChange).where(MatchingChange.version <= version))


def record_changes(session: Session, changes: Iterable[Change]) -> int:
    """Bump the version and log these changes, on the session's connection; returns it."""
    changes = set(changes)
    conn = session.connection()
    bumped = conn.execute(
        update(MatchingState)
        .where(MatchingState.id == STATE_ID)
        .values(version=MatchingState.version + 1, changed_at=utcnow())
    )
    if bumped.rowcount == 0:  # an emptied database (tests truncate every table)
        conn.execute(insert(MatchingState).values(id=STATE_ID, version=1, changed_at=utcnow()))
    version = int(
        conn.execute(select(MatchingState.version).where(MatchingState.id == STATE_ID)).scalar_one()
    )
    if changes:
        conn.execute(
            insert(MatchingChange),
            [{"version": version, "side": side, "profile_id": ident} for side, ident in changes],
        )
    return version


def versions(session: Session) -> tuple[int, int]:
    """The matching data version and the coaching loads' version, in one primary-key lookup
    (the suggestions page needs both)."""
    row = session.execute(
        select(MatchingState.version, MatchingState.loads_version).where(
            MatchingState.id == STATE_ID
        )
    ).first()
    return (int(row[0] or 0), int(row[1] or 0)) if row is not None else (0, 0)


def loads_version(session: Session) -> int:
    """The coaching loads' current version (one primary-key lookup)."""
    version = session.scalar(
        select(MatchingState.loads_version).where(MatchingState.id == STATE_ID)
    )
    return int(version or 0)


def record_load_change(session: Session) -> None:
    """Bump the coaching loads' version, on the session's connection."""
    conn = session.connection()
    bumped = conn.execute(
        update(MatchingState)
        .where(MatchingState.id == STATE_ID)
        .values(loads_version=MatchingState.loads_version + 1)
    )
    if bumped.rowcount == 0:  # an emptied database (tests truncate every table)
        conn.execute(
            insert(MatchingState).values(
                id=STATE_ID, version=0, loads_version=1, changed_at=utcnow()
            )
        )


def _takes_a_place(kind: Any, state: Any) -> bool:
    return PairingKind(kind) is PairingKind.COACHING and state in CAPACITY_STATES


def _load_changed(pairing: Pairing) -> bool:
    """Whether this edited pairing took a place before or takes one now."""
    attrs = inspect(pairing).attrs
    if not any(attrs[name].history.has_changes() for name in LOAD_FIELDS):
        return False
    before = {
        name: (attrs[name].history.deleted or [getattr(pairing, name)])[0] for name in LOAD_FIELDS
    }
    return _takes_a_place(before["kind"], before["state"]) or _takes_a_place(
        pairing.kind, pairing.state
    )


def loads_change_in_flush(session: Session) -> bool:
    """Whether the pending flush may change a mentor's coaching load."""
    with session.no_autoflush:
        for obj in session.new:
            if isinstance(obj, Pairing) and _takes_a_place(obj.kind, obj.state):
                return True
        for obj in session.deleted:
            if isinstance(obj, Pairing | User | EntrepreneurProfile | DiasporaProfile):
                return True
        return any(isinstance(obj, Pairing) and _load_changed(obj) for obj in session.dirty)


def _engine_fields_changed(obj: Any) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in ENGINE_FIELDS[type(obj)])


def _profiles_of(user: User) -> list[Change]:
    found = []
    if user.entrepreneur_profile is not None:
        found.append((ChangedSide.ENTREPRENEUR, user.entrepreneur_profile.id))
    if user.diaspora_profile is not None:
        found.append((ChangedSide.DIASPORA, user.diaspora_profile.id))
    return found


def changes_in_flush(session: Session) -> set[Change]:
    """What the pending flush changes that the engine reads."""
    found: set[Change] = set()
    with session.no_autoflush:
        for obj in (*session.new, *session.deleted):
            if type(obj) in SIDES:
                found.add((SIDES[type(obj)], obj.id))
            elif isinstance(obj, EVERYONE):
                found.add((ChangedSide.ALL, 0))
        for obj in session.dirty:
            if type(obj) in SIDES and _engine_fields_changed(obj):
                found.add((SIDES[type(obj)], obj.id))
            elif isinstance(obj, User) and inspect(obj).attrs.is_active.history.has_changes():
                found.update(_profiles_of(obj))
            elif isinstance(obj, EVERYONE) and session.is_modified(obj):
                found.add((ChangedSide.ALL, 0))
    return found


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    # After the flush: new rows have their ids; the lists still show what was flushed.
    found = changes_in_flush(session)
    if found:
        record_changes(session, found)
    if loads_change_in_flush(session):
        record_load_change(session)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statements(state: ORMExecuteState) -> None:
    # Bulk INSERT/UPDATE/DELETE of rates or taxonomy rows (rates are loaded in batches),
    # or of pairings (synthetic data, clean-ups): the loads are read again.
    statement = state.statement
    if isinstance(statement, Insert | Update | Delete):
        name = getattr(getattr(statement, "table", None), "name", None)
        if name in EVERYONE_TABLES:
            record_changes(state.session, [(ChangedSide.ALL, 0)])
        pairings_moved = name == "pairings" and _may_change_loads(statement)
        if pairings_moved or (name in PEOPLE_TABLES and isinstance(statement, Delete)):
            record_load_change(state.session)


def _may_change_loads(statement: Insert | Update | Delete) -> bool:
    """Any bulk insert or delete of pairings; an update only when it sets a field that
    decides a place (SQLite's row lock is a no-op UPDATE of the id: locking.lock_row)."""
    if not isinstance(statement, Update):
        return True
    values = getattr(statement, "_values", None)  # no public accessor in SQLAlchemy 2.x
    if not values:
        return True  # values we cannot see: count it
    names = {getattr(column, "key", column) for column in values}
    return bool(names & set(LOAD_FIELDS))
