"""Concurrency on PostgreSQL: a mentor accepting many requests, many coordinators approving
at the same moment.

Each thread has its own connection and Session, as two coordinators' requests would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from mentormatch.models import Pairing, PairingEvent, PairingState, User
from mentormatch.pairings import PairingError, schedule, service
from tests.builders import People
from tests.pairing_builders import another_entrepreneur, another_mentor, request

# conftest skips `postgres` tests, with the reason, unless DATABASE_URL is PostgreSQL.
pytestmark = pytest.mark.postgres

RACERS = 24
S = PairingState


@pytest.fixture
def sessions(app: Flask) -> Iterator[sessionmaker[Session]]:
    """A session factory whose pool lets every racer hold its own connection at once."""
    engine = create_engine(app.config["DATABASE_URL"], pool_size=RACERS + 2, max_overflow=0)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


def race(sessions: sessionmaker[Session], jobs: list[Callable[[Session], None]]) -> list[str]:
    """Run the jobs at the same moment, one thread and one Session each; say how each ended."""
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[Session], None]) -> str:
        with sessions() as session:
            session.execute(select(1))  # take the connection before the start line
            barrier.wait()
            try:
                job(session)
                session.commit()
                return "done"
            except PairingError as refused:
                session.rollback()
                return type(refused).__name__

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def _approve(pairing_id: int, coordinator_id: int) -> Callable[[Session], None]:
    def job(session: Session) -> None:
        pairing = session.get(Pairing, pairing_id)
        coordinator = session.get(User, coordinator_id)
        assert pairing is not None and coordinator is not None
        service.approve(session, pairing, coordinator)

    return job


def _accept(pairing_id: int, mentor_user_id: int) -> Callable[[Session], None]:
    def job(session: Session) -> None:
        pairing = session.get(Pairing, pairing_id)
        mentor = session.get(User, mentor_user_id)
        assert pairing is not None and mentor is not None
        service.accept(session, pairing, mentor)

    return job


def test_concurrent_accepts_never_take_a_mentor_past_capacity(
    db: Session, people: People, sessions: sessionmaker[Session]
) -> None:
    assert people.tesfaye.mentee_capacity == 2
    pairing_ids = []
    for n in range(RACERS):
        entrepreneur = another_entrepreneur(db, f"Farmer {n}", f"farmer{n}@example.org")
        pairing_ids.append(request(db, entrepreneur.user, entrepreneur, people.tesfaye).id)
    db.commit()

    outcomes = race(sessions, [_accept(pid, people.tesfaye.user_id) for pid in pairing_ids])

    assert outcomes.count("done") == 2
    assert outcomes.count("CapacityReached") == RACERS - 2
    db.expire_all()
    states = db.scalars(select(Pairing.state).where(Pairing.diaspora_id == people.tesfaye.id))
    assert sorted(states) == sorted([S.ACCEPTED] * 2 + [S.REQUESTED] * (RACERS - 2))


def test_the_same_pairing_approved_twenty_times_at_once_is_approved_once(
    db: Session, people: People, sessions: sessionmaker[Session]
) -> None:
    pairing = request(db, people.amina.user, people.amina, people.tesfaye)
    service.accept(db, pairing, people.tesfaye.user)
    db.commit()

    outcomes = race(sessions, [_approve(pairing.id, people.jean.id) for _ in range(20)])

    assert outcomes.count("done") == 1
    assert set(outcomes) - {"done"} <= {"IllegalTransition", "PairingMovedOn"}
    approvals = db.scalar(
        select(func.count())
        .select_from(PairingEvent)
        .where(PairingEvent.pairing_id == pairing.id, PairingEvent.action == "approve")
    )
    assert approvals == 1


def test_one_entrepreneur_approved_with_two_mentors_at_once_gets_one_coach(
    db: Session, people: People, sessions: sessionmaker[Session]
) -> None:
    mentors = [another_mentor(db, f"Mentor {n}", f"mentor{n}@example.org") for n in range(6)]
    pairing_ids = []
    for mentor in mentors[:5]:
        pairing = request(db, people.amina.user, people.amina, mentor)
        service.accept(db, pairing, mentor.user)
        pairing_ids.append(pairing.id)
    db.commit()

    outcomes = race(sessions, [_approve(pid, people.jean.id) for pid in pairing_ids])

    assert outcomes.count("done") == 1
    db.expire_all()
    states = db.scalars(select(Pairing.state).where(Pairing.id.in_(pairing_ids))).all()
    assert sorted(states) == sorted([S.APPROVED] + [S.WITHDRAWN] * 4)


def test_concurrent_identical_requests_create_one_pairing(
    db: Session, people: People, sessions: sessionmaker[Session]
) -> None:
    def ask(session: Session) -> None:
        amina = session.get(User, people.amina.user_id)
        assert amina is not None
        service.request_introduction(
            session,
            amina,
            entrepreneur_id=people.amina.id,
            diaspora_id=people.tesfaye.id,
            kind="coaching",
        )

    outcomes = race(sessions, [ask] * 20)

    assert outcomes.count("done") == 1
    assert db.scalar(select(func.count()).select_from(Pairing)) == 1


def test_two_ticks_at_once_remind_and_expire_once(
    db: Session, people: People, sessions: sessionmaker[Session]
) -> None:
    from datetime import timedelta

    from mentormatch.db import utcnow
    from mentormatch.models import Notification

    old = utcnow() - timedelta(days=15)
    soon = utcnow() - timedelta(days=12)
    request(db, people.amina.user, people.amina, people.tesfaye, now=old)
    abebe = another_mentor(db, "Abebe Girma", "abebe@example.org")
    request(db, people.amina.user, people.amina, abebe, now=soon)
    db.commit()

    def tick(session: Session) -> None:
        schedule.expire_and_remind(session, service.Policy())

    assert race(sessions, [tick] * 6) == ["done"] * 6
    subjects = db.scalars(select(Notification.subject)).all()
    assert subjects.count("Your request expired") == 1
    assert subjects.count("A request waits for your answer") == 1
