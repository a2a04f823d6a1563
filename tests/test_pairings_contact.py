"""Contact reveal with its view log, feedback once, and the email outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.mail import MailError
from mentormatch.models import ContactView, Notification, OutboxEmail, OutboxStatus, PairingState
from mentormatch.notifications import MAX_ATTEMPTS, deliver_outbox, unread_count
from mentormatch.pairings import (
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    RequestRefused,
    contacts,
)
from tests.builders import People
from tests.pairing_builders import pairing_in_state

S = PairingState


@pytest.mark.parametrize("state", [S.APPROVED, S.COMPLETED], ids=lambda s: s.value)
def test_both_sides_see_each_others_contact_details_once_approved(
    db: Session, people: People, state: S
) -> None:
    pairing = pairing_in_state(db, people, state)
    for_amina = contacts.reveal_contact(db, pairing, people.amina.user)
    for_tesfaye = contacts.reveal_contact(db, pairing, people.tesfaye.user)
    assert for_amina == contacts.ContactCard(
        "Tesfaye Bekele", "tesfaye@example.org", "+12025550143"
    )
    assert for_tesfaye == contacts.ContactCard("Amina Bello", "amina@example.org", "+2348031234567")


@pytest.mark.parametrize(
    "state",
    [S.REQUESTED, S.ACCEPTED, S.DECLINED, S.REJECTED, S.WITHDRAWN, S.CLOSED],
    ids=lambda s: s.value,
)
def test_no_contact_details_before_approval_or_after_closing(
    db: Session, people: People, state: S
) -> None:
    pairing = pairing_in_state(db, people, state)
    assert contacts.reveal_contact(db, pairing, people.amina.user) is None
    assert contacts.reveal_contact(db, pairing, people.tesfaye.user) is None


def test_nobody_else_sees_contact_details_not_even_a_coordinator(
    db: Session, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.APPROVED)
    for outsider in (people.fatou.user, people.jean, people.admin):
        assert contacts.reveal_contact(db, pairing, outsider) is None
    db.flush()
    assert db.scalar(select(func.count()).select_from(ContactView)) == 0


def test_profile_contact_falls_back_to_the_account(db: Session, people: People) -> None:
    people.tesfaye.contact_email = None
    people.tesfaye.contact_phone = None
    pairing = pairing_in_state(db, people, S.APPROVED)
    card = contacts.reveal_contact(db, pairing, people.amina.user)
    assert card is not None and (card.email, card.phone) == ("tesfaye@example.org", None)


def test_each_showing_of_contact_details_is_logged(db: Session, people: People) -> None:
    pairing = pairing_in_state(db, people, S.APPROVED)
    contacts.reveal_contact(db, pairing, people.amina.user)
    contacts.reveal_contact(db, pairing, people.amina.user)
    db.commit()
    views = contacts.contact_views_of(db, people.tesfaye.user)
    assert [(v.viewer_id, v.pairing_id) for v in views] == [(people.amina.user_id, pairing.id)] * 2
    assert contacts.contact_views_of(db, people.amina.user) == []


def test_each_side_rates_an_approved_introduction_once(db: Session, people: People) -> None:
    pairing = pairing_in_state(db, people, S.APPROVED)
    contacts.leave_feedback(db, pairing, people.amina.user, rating=5, comment="Very helpful")
    contacts.leave_feedback(db, pairing, people.tesfaye.user, rating=4)
    db.commit()
    with pytest.raises(RequestRefused, match="already rated"):
        contacts.leave_feedback(db, pairing, people.amina.user, rating=1)
    db.rollback()
    assert contacts.feedback_by(db, pairing, people.amina.user).rating == 5  # type: ignore[union-attr]


@pytest.mark.parametrize("state", [S.REQUESTED, S.ACCEPTED, S.DECLINED], ids=lambda s: s.value)
def test_no_feedback_before_approval(db: Session, people: People, state: S) -> None:
    pairing = pairing_in_state(db, people, state)
    with pytest.raises(IllegalTransition, match="once a coordinator approved"):
        contacts.leave_feedback(db, pairing, people.amina.user, rating=4)


def test_a_closed_introduction_can_still_be_rated(db: Session, people: People) -> None:
    pairing = pairing_in_state(db, people, S.CLOSED)
    assert contacts.leave_feedback(db, pairing, people.tesfaye.user, rating=2).rating == 2


def test_feedback_refuses_outsiders_and_odd_ratings(db: Session, people: People) -> None:
    pairing = pairing_in_state(db, people, S.COMPLETED)
    with pytest.raises(NotAllowed):
        contacts.leave_feedback(db, pairing, people.jean, rating=3)
    for rating in (0, 6, -1):
        with pytest.raises(InvalidInput, match="1 to 5"):
            contacts.leave_feedback(db, pairing, people.amina.user, rating=rating)
    assert contacts.can_rate(db, pairing, people.amina.user)


def test_delivery_marks_emails_sent_and_keeps_failures_for_retry(
    db: Session, people: People
) -> None:
    pairing_in_state(db, people, S.REQUESTED)  # queues one email to Tesfaye
    calls: list[str] = []

    def broken(to: str, subject: str, body: str) -> None:
        calls.append(to)
        raise MailError("connection refused")

    report = deliver_outbox(db, broken)
    assert (report.sent, report.failed) == (0, 1)
    email = db.scalars(select(OutboxEmail)).one()
    assert (email.status, email.attempts, email.last_error) == (
        OutboxStatus.FAILED,
        1,
        "connection refused",
    )
    # The notification itself is still there, unread.
    assert unread_count(db, people.tesfaye.user) == 1

    sent: list[tuple[str, str]] = []
    # Not tried again at once: the retry waits a minute (then 2, 4, 8: see test_worker.py).
    assert deliver_outbox(db, lambda to, subject, body: sent.append((to, subject))).sent == 0
    later = utcnow() + timedelta(minutes=2)
    report = deliver_outbox(db, lambda to, subject, body: sent.append((to, subject)), now=later)
    assert (report.sent, report.failed) == (1, 0)
    assert sent == [("tesfaye@example.org", "Amina Bello asks for a coaching introduction")]
    db.refresh(email)
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 2)
    assert deliver_outbox(db, broken).sent == 0  # nothing left to send


def test_emails_link_to_the_page_with_the_public_address(
    app: Flask, db: Session, people: People, runner: FlaskCliRunner
) -> None:
    """An email client cannot open "/pairings/12": the link carries the site's address."""
    pairing = pairing_in_state(db, people, S.REQUESTED)
    db.commit()
    app.config["PUBLIC_URL"] = "https://mentormatch.example.org/"
    result = runner.invoke(args=["pairings", "deliver-emails"])
    assert result.exit_code == 0, result.output
    (email,) = app.extensions["mm_mail_log"]
    lines = email.get_content().splitlines()
    assert lines[-1] == f"See https://mentormatch.example.org/pairings/{pairing.id}"
    # In the app the same notification keeps the plain path.
    notification = db.scalars(select(Notification)).one()
    assert notification.body.endswith(f"See /pairings/{pairing.id}.")


def test_delivery_gives_up_after_the_last_attempt(db: Session, people: People) -> None:
    pairing_in_state(db, people, S.REQUESTED)

    def broken(to: str, subject: str, body: str) -> None:
        raise MailError("mailbox unavailable")

    for day in range(MAX_ATTEMPTS + 2):
        deliver_outbox(db, broken, now=utcnow() + timedelta(days=day))
    email = db.scalars(select(OutboxEmail)).one()
    assert (email.status, email.attempts) == (OutboxStatus.FAILED, MAX_ATTEMPTS)


def test_a_mail_failure_never_blocks_a_transition(
    app: Flask, db: Session, people: People, runner: FlaskCliRunner
) -> None:
    app.config["MAIL_SERVER"] = "127.0.0.1"
    app.config["MAIL_PORT"] = 9  # nothing listens: sending fails
    pairing = pairing_in_state(db, people, S.ACCEPTED)
    result = runner.invoke(args=["pairings", "deliver-emails"])
    assert result.exit_code == 0, result.output
    assert "sent 0" in result.output
    assert pairing.state is S.ACCEPTED
    assert db.scalar(select(func.count()).select_from(Notification)) > 0
