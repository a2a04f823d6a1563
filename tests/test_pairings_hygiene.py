"""Request hygiene: one open pairing per pair, five open requests, expiry and reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.models import Notification, OutboxEmail, OutboxStatus, Pairing, PairingState
from mentormatch.pairings import NotAllowed, PairingNotFound, RequestRefused, schedule, service
from tests.builders import People
from tests.pairing_builders import another_entrepreneur, another_mentor, pairing_in_state, request

S = PairingState


def test_only_one_open_introduction_per_pair_and_kind(db: Session, people: People) -> None:
    request(db, people.amina.user, people.amina, people.tesfaye)
    db.commit()
    with pytest.raises(RequestRefused, match="already an open coaching introduction"):
        request(db, people.tesfaye.user, people.amina, people.tesfaye)
    db.rollback()


def test_an_approved_introduction_still_blocks_a_second_request(
    db: Session, people: People
) -> None:
    pairing_in_state(db, people, S.APPROVED)
    with pytest.raises(RequestRefused, match="Approved introduction"):
        request(db, people.amina.user, people.amina, people.tesfaye)


def test_after_a_decline_the_pair_can_try_again_once_the_cooling_off_is_over(
    db: Session, people: People
) -> None:
    declined = pairing_in_state(db, people, S.DECLINED)
    declined.state_changed_at = utcnow() - timedelta(days=service.Policy().cooling_off_days + 1)
    again = request(db, people.amina.user, people.amina, people.tesfaye)
    assert again.state is S.REQUESTED


def test_the_database_refuses_a_second_open_pairing_even_without_the_check(
    db: Session, people: People
) -> None:
    first = pairing_in_state(db, people, S.REQUESTED)
    twin = Pairing(
        entrepreneur_id=first.entrepreneur_id,
        diaspora_id=first.diaspora_id,
        kind=first.kind,
        state=S.ACCEPTED,
        requester_side="entrepreneur",
    )
    db.add(twin)
    with pytest.raises(Exception, match="(?i)unique"):
        db.flush()
    db.rollback()


def test_at_most_five_open_requests_per_person_and_kind(db: Session, people: People) -> None:
    mentors = [
        another_mentor(db, f"Mentor {n}", f"mentor{n}@example.org", languages=["hau", "eng"])
        for n in range(6)
    ]
    for mentor in mentors[:5]:
        request(db, people.amina.user, people.amina, mentor)
    db.commit()
    with pytest.raises(RequestRefused, match="already have 5 open coaching requests"):
        request(db, people.amina.user, people.amina, mentors[5])
    db.rollback()
    # Investment requests are counted apart from coaching ones.
    assert request(db, people.amina.user, people.amina, people.fatou, kind="investment")
    # Withdrawing one frees a place.
    first = db.scalars(select(Pairing).order_by(Pairing.id)).first()
    assert first is not None
    service.withdraw(db, first, people.amina.user, reason="no_longer_needed")
    assert request(db, people.amina.user, people.amina, mentors[5]).state is S.REQUESTED


def test_the_limit_is_configurable(db: Session, people: People) -> None:
    policy = service.Policy(max_open_requests=1)
    request(db, people.amina.user, people.amina, people.tesfaye, policy=policy)
    other = another_mentor(db, "Abebe Girma", "abebe@example.org")
    with pytest.raises(RequestRefused, match="already have 1 open"):
        request(db, people.amina.user, people.amina, other, policy=policy)


def test_nobody_asks_on_someone_elses_behalf(db: Session, people: People) -> None:
    with pytest.raises(NotAllowed, match="your own profile"):
        request(db, people.fatou.user, people.amina, people.tesfaye)
    with pytest.raises(NotAllowed):
        request(db, people.jean, people.amina, people.tesfaye)


def test_a_mentor_who_does_not_offer_that_help_cannot_be_asked(db: Session, people: People) -> None:
    with pytest.raises(RequestRefused, match="does not offer coaching"):
        request(db, people.amina.user, people.amina, people.fatou, kind="coaching")
    with pytest.raises(RequestRefused, match="does not offer investment"):
        request(db, people.amina.user, people.amina, people.tesfaye, kind="investment")


def test_a_missing_profile_is_not_found(db: Session, people: People) -> None:
    with pytest.raises(PairingNotFound):
        service.request_introduction(
            db,
            people.amina.user,
            entrepreneur_id=people.amina.id,
            diaspora_id=99999,
            kind="coaching",
        )


def _notifications(db: Session, user_id: int, subject: str) -> int:
    return len(
        db.scalars(
            select(Notification).where(
                Notification.user_id == user_id, Notification.subject == subject
            )
        ).all()
    )


def test_tick_reminds_the_counterpart_once_before_expiry(db: Session, people: People) -> None:
    start = utcnow() - timedelta(days=12)
    request(db, people.amina.user, people.amina, people.tesfaye, now=start)
    db.commit()
    policy = service.Policy()
    assert schedule.expire_and_remind(db, policy) == schedule.TickReport(reminded=1, expired=0)
    assert schedule.expire_and_remind(db, policy) == schedule.TickReport(reminded=0, expired=0)
    reminder = "A request waits for your answer"
    assert _notifications(db, people.tesfaye.user_id, reminder) == 1
    emails = db.scalars(select(OutboxEmail).where(OutboxEmail.subject == reminder)).all()
    assert [e.to_address for e in emails] == ["tesfaye@example.org"]


def test_a_fresh_request_gets_no_reminder(db: Session, people: People) -> None:
    request(db, people.amina.user, people.amina, people.tesfaye)
    db.commit()
    assert schedule.expire_and_remind(db, service.Policy()).reminded == 0


def test_tick_expires_an_unanswered_request_once(db: Session, people: People) -> None:
    pairing = request(
        db, people.amina.user, people.amina, people.tesfaye, now=utcnow() - timedelta(days=15)
    )
    db.commit()
    policy = service.Policy()
    first = schedule.expire_and_remind(db, policy)
    second = schedule.expire_and_remind(db, policy)
    assert (first.expired, second.expired, second.reminded) == (1, 0, 0)
    db.refresh(pairing)
    assert pairing.state is S.WITHDRAWN
    assert pairing.reason_code == "expired"
    last = pairing.events[-1]
    assert (last.action, last.actor_id, last.automatic) == ("expire", None, True)
    assert _notifications(db, people.amina.user_id, "Your request expired") == 1


def test_accepted_requests_do_not_expire(db: Session, people: People) -> None:
    pairing = request(
        db, people.amina.user, people.amina, people.tesfaye, now=utcnow() - timedelta(days=30)
    )
    service.accept(db, pairing, people.tesfaye.user)
    db.commit()
    assert schedule.expire_and_remind(db, service.Policy()).expired == 0
    assert pairing.state is S.ACCEPTED


def test_tick_takes_out_of_the_queue_what_can_no_longer_be_approved(
    db: Session, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.ACCEPTED)
    # Tesfaye stops coaching by a way that does not pass through his profile page (a
    # re-import, an edit in the database): the queue must not keep offering Approve.
    people.tesfaye.offers_coaching = False
    db.commit()
    first = schedule.expire_and_remind(db, service.Policy())
    second = schedule.expire_and_remind(db, service.Policy())
    assert (first.withdrawn, second.withdrawn) == (1, 0)
    db.refresh(pairing)
    assert pairing.state is S.WITHDRAWN and pairing.reason_code == "offer_withdrawn"
    told = "An introduction can no longer be approved"
    assert _notifications(db, people.amina.user_id, told) == 1
    assert _notifications(db, people.tesfaye.user_id, told) == 1


def test_the_sweep_leaves_approvable_introductions_in_the_queue(
    db: Session, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.ACCEPTED)
    assert schedule.expire_and_remind(db, service.Policy()).withdrawn == 0
    db.refresh(pairing)
    assert pairing.state is S.ACCEPTED


def _accepted_by_tesfaye(db: Session, people: People, names: list[str]) -> list[Pairing]:
    """These entrepreneurs' coaching requests to Tesfaye, each accepted in turn (he makes
    room for them all)."""
    accepted = []
    for name in names:
        people.tesfaye.mentee_capacity += 1
        kwame = another_entrepreneur(db, name, f"{name.lower().replace(' ', '.')}@example.org")
        pairing = request(db, kwame.user, kwame, people.tesfaye)
        service.accept(db, pairing, people.tesfaye.user)
        db.commit()
        accepted.append(pairing)
    return accepted


def _statements_of_a_tick(db: Session) -> int:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        schedule.expire_and_remind(db, service.Policy())
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_the_sweep_reads_a_long_queue_at_once(db: Session, people: People) -> None:
    # A national programme has thousands of accepted introductions waiting: looked at one
    # by one (locks, a count and a commit each), 1,592 took the worker 12 s of CPU every
    # five minutes. Twice as many in the queue must not mean more queries.
    _accepted_by_tesfaye(db, people, ["Kwame A", "Kwame B", "Kwame C"])
    few = _statements_of_a_tick(db)
    _accepted_by_tesfaye(db, people, ["Kwame D", "Kwame E", "Kwame F"])
    assert _statements_of_a_tick(db) == few


def test_when_places_are_lowered_the_earliest_accepted_keep_theirs(
    db: Session, people: People
) -> None:
    first, second, third = _accepted_by_tesfaye(db, people, ["Kwame A", "Kwame B", "Kwame C"])
    # A re-import (not his profile page) lowers Tesfaye's places to 1: three accepted.
    people.tesfaye.mentee_capacity = 1
    db.commit()
    assert schedule.expire_and_remind(db, service.Policy()).withdrawn == 2
    for pairing in (first, second, third):
        db.refresh(pairing)
    assert first.state is S.ACCEPTED
    assert second.state is S.WITHDRAWN and third.state is S.WITHDRAWN
    assert third.reason_code == "mentor_full"


def test_expiry_is_configurable(db: Session, people: People) -> None:
    policy = service.Policy(ttl_days=3, reminder_days=1)
    request(
        db,
        people.amina.user,
        people.amina,
        people.tesfaye,
        now=utcnow() - timedelta(days=4),
        policy=policy,
    )
    db.commit()
    assert schedule.expire_and_remind(db, policy).expired == 1


def test_flask_pairings_tick_runs_twice_without_duplicates(
    app: Flask, db: Session, people: People, runner: FlaskCliRunner
) -> None:
    request(db, people.amina.user, people.amina, people.tesfaye, now=utcnow() - timedelta(days=12))
    db.commit()
    first = runner.invoke(args=["pairings", "tick"])
    second = runner.invoke(args=["pairings", "tick"])
    assert first.exit_code == 0, first.output
    assert "Reminded 1, expired 0" in first.output
    assert "Reminded 0, expired 0" in second.output
    sent = db.scalars(select(OutboxEmail).where(OutboxEmail.status == OutboxStatus.SENT)).all()
    # The request email and the reminder, each sent once (written to the log in development).
    assert sorted(e.subject for e in sent) == [
        "A request waits for your answer",
        "Amina Bello asks for a coaching introduction",
    ]
    assert len(app.extensions["mm_mail_log"]) == 2
