"""The platform is no relay: requests per sender per day (withdrawn ones included), an
open-requests limit that holds under concurrency, and emails whose From and Subject carry
no more of a person's text than a plain, short name."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentormatch.models import Notification, OutboxEmail, Pairing, PairingState, User
from mentormatch.pairings import RequestRefused, service
from tests.builders import People
from tests.conftest import deliver_emails
from tests.pairing_builders import another_mentor, request

# The capacity races' helpers: one thread and one Session per racer, started together.
from tests.test_pairings_postgres import race, sessions  # noqa: F401

S = PairingState


def test_a_request_then_withdraw_loop_stops_at_the_daily_limit(db: Session, people: People):
    policy = service.Policy(max_requests_per_day=10)
    for _ in range(10):
        pairing = request(db, people.amina.user, people.amina, people.tesfaye, policy=policy)
        service.withdraw(db, pairing, people.amina.user, reason="no_longer_needed")
        db.commit()
    with pytest.raises(RequestRefused, match="10 introduction requests in the last 24 hours"):
        request(db, people.amina.user, people.amina, people.tesfaye, policy=policy)
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Pairing)) == 10
    # Tesfaye heard about each request and withdrawal once: 20 emails, not an endless stream.
    to_tesfaye = db.scalar(
        select(func.count())
        .select_from(OutboxEmail)
        .where(OutboxEmail.to_address == "tesfaye@example.org")
    )
    assert to_tesfaye == 20


def test_the_daily_limit_comes_from_the_settings(app: Flask) -> None:
    assert service.Policy.from_config(app.config).max_requests_per_day == 10


def test_subjects_carry_only_a_plain_short_name(app: Flask, db: Session, people: People):
    people.amina.user.full_name = "URGENT: your bank account http://evil.example/claim-prize now"
    db.commit()
    request(db, people.amina.user, people.amina, people.tesfaye)
    db.commit()
    [message] = deliver_emails(app)
    assert message["From"] == app.config["MAIL_SENDER"]
    subject = str(message["Subject"])
    assert subject.endswith(" asks for a coaching introduction")
    name = subject.removesuffix(" asks for a coaching introduction")
    assert len(name) <= 40
    assert "evil.example" not in subject


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\n", "\r", "\x85"])
def test_a_line_separator_in_a_name_does_not_stop_her_emails(
    app: Flask, db: Session, people: People, separator: str
) -> None:
    # Stored as it came from an older import, before names were checked.
    people.amina.user.full_name = f"Amina{separator}Bello"
    db.commit()
    request(db, people.amina.user, people.amina, people.tesfaye)
    db.commit()
    [message] = deliver_emails(app)
    assert str(message["Subject"]) == "Amina Bello asks for a coaching introduction"
    email = db.scalars(select(OutboxEmail)).one()
    assert email.last_error == ""


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_sign_up_refuses_a_line_separator_in_a_name(post_form, separator: str) -> None:
    from tests.test_auth import signup_data

    response = post_form("/signup", signup_data(full_name=f"Amina{separator}Bello"))
    assert response.status_code == 400
    assert "invisible control characters" in response.get_data(as_text=True)


# --- the open-requests limit under concurrency ------------------------------------------

RACERS = 12


def test_concurrent_requests_never_pass_the_open_requests_limit(
    db: Session,
    people: People,
    sessions,  # noqa: F811
) -> None:
    mentors = [
        another_mentor(db, f"Mentor {n}", f"mentor{n}@example.org", languages=["hau", "eng"])
        for n in range(RACERS)
    ]
    db.commit()

    def ask(mentor_id: int) -> Callable[[Session], None]:
        def job(session: Session) -> None:
            amina = session.get(User, people.amina.user_id)
            assert amina is not None
            service.request_introduction(
                session,
                amina,
                entrepreneur_id=people.amina.id,
                diaspora_id=mentor_id,
                kind="coaching",
                explain=lambda *args: (0.5, []),
            )

        return job

    outcomes = race(sessions, [ask(m.id) for m in mentors])

    assert outcomes.count("done") == 5
    assert outcomes.count("RequestRefused") == RACERS - 5
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Pairing)) == 5
    assert db.scalar(select(func.count()).select_from(Notification)) == 5
