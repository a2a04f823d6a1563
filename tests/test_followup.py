"""After approval: check-ins asked once at 30 and 90 days, filed by both sides, money on
investment check-ins, completing with an outcome, and coaching -> investment in one step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.followup import service as followup
from mentormatch.models import (
    CheckIn,
    Notification,
    OutboxEmail,
    Pairing,
    PairingKind,
    PairingState,
)
from mentormatch.pairings import InvalidInput, service
from tests.builders import People
from tests.conftest import AuthActions
from tests.pairing_builders import request

S = PairingState
POLICY = followup.CheckInPolicy((30, 90))


def approved_days_ago(
    db: Session, people: People, days: int, kind: str = "coaching", diaspora: Any = None
) -> Pairing:
    """Amina's introduction with Tesfaye (or another member), approved `days` days ago."""
    then = utcnow() - timedelta(days=days)
    member = diaspora or people.tesfaye
    pairing = request(db, people.amina.user, people.amina, member, kind=kind, now=then)
    service.accept(db, pairing, member.user)
    service.approve(db, pairing, people.jean, now=then)
    db.commit()
    return pairing


def notes_about(db: Session, pairing: Pairing, words: str) -> list[Notification]:
    return list(
        db.scalars(
            select(Notification).where(
                Notification.pairing_id == pairing.id, Notification.subject.contains(words)
            )
        )
    )


def test_both_sides_are_asked_for_the_30_day_check_in_once(db: Session, people: People) -> None:
    pairing = approved_days_ago(db, people, 31)
    emails_before = db.scalar(select(func.count()).select_from(OutboxEmail))

    assert followup.ask_for_check_ins(db, POLICY).asked == 1
    db.commit()
    assert followup.ask_for_check_ins(db, POLICY).asked == 0
    db.commit()

    asked = notes_about(db, pairing, "30-day check-in")
    assert sorted(n.user_id for n in asked) == sorted(
        [people.amina.user_id, people.tesfaye.user_id]
    )
    emails_after = db.scalar(select(func.count()).select_from(OutboxEmail))
    assert emails_after == (emails_before or 0) + 2  # one email each, not four


def test_a_late_run_asks_only_for_the_check_in_due_now(db: Session, people: People) -> None:
    pairing = approved_days_ago(db, people, 95)
    assert followup.ask_for_check_ins(db, POLICY).asked == 1
    db.commit()
    assert notes_about(db, pairing, "90-day check-in")
    assert not notes_about(db, pairing, "30-day check-in")


def test_nobody_is_asked_before_the_day_or_after_the_introduction_ended(
    db: Session, people: People
) -> None:
    approved_days_ago(db, people, 10)
    ended = approved_days_ago(db, people, 40, kind="investment", diaspora=people.fatou)
    service.close(db, ended, people.jean, reason="left_programme")
    db.commit()
    assert followup.ask_for_check_ins(db, POLICY).asked == 0


def test_the_cron_tick_asks_for_check_ins_and_a_second_tick_asks_nobody(
    runner: FlaskCliRunner, db: Session, people: People
) -> None:
    approved_days_ago(db, people, 30)
    first = runner.invoke(args=["pairings", "tick"])
    second = runner.invoke(args=["pairings", "tick"])
    assert "asked for 1 check-ins" in first.output, first.output
    assert "asked for 0 check-ins" in second.output


def check_in_data(**changes: str) -> dict[str, str]:
    data = {
        "check-in-day": "30",
        "check-in-met": "yes",
        "check-in-sessions": "3",
        "check-in-what_changed": "Amina now keeps a feed ledger.",
    }
    data.update(changes)
    return data


def test_a_mentor_files_the_30_day_check_in_and_both_sides_see_it(
    client: FlaskClient,
    auth: AuthActions,
    db: Session,
    people: People,
    post_form: Callable[..., Any],
) -> None:
    pairing = approved_days_ago(db, people, 31)
    auth.login("tesfaye@example.org")
    page = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    assert "Your check-in" in page and "30-day check-in" in page

    response = post_form(
        f"/pairings/{pairing.id}/check-ins", check_in_data(), page=f"/pairings/{pairing.id}"
    )
    assert response.status_code == 302
    saved = db.scalars(select(CheckIn)).one()
    assert (saved.day, saved.met, saved.sessions, saved.author_id) == (
        30,
        True,
        3,
        people.tesfaye.user_id,
    )
    assert saved.money_committed is None  # coaching: no money questions

    page = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    assert "Amina now keeps a feed ledger." in page
    assert "Your check-in" not in page  # filed: the form is gone until the 90-day one

    auth.logout()
    auth.login("amina@example.org")
    page = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    assert "Amina now keeps a feed ledger." in page and "Your check-in" in page
    assert notes_about(db, pairing, "filed the 30-day check-in")


def test_a_check_in_before_it_is_due_or_twice_is_refused_and_changes_nothing(
    client: FlaskClient, auth: AuthActions, db: Session, people: People, post_form: Any
) -> None:
    early = approved_days_ago(db, people, 5)
    auth.login("tesfaye@example.org")
    response = post_form(f"/pairings/{early.id}/check-ins", check_in_data(), page="/")
    assert response.status_code == 400
    assert db.scalar(select(func.count()).select_from(CheckIn)) == 0
    with pytest.raises(InvalidInput, match="not due yet, or you already filed it"):
        followup.file_check_in(db, early, people.tesfaye.user, day=30, met=True, sessions=1)


def test_an_investment_check_in_needs_the_amount_when_money_was_committed(
    client: FlaskClient, auth: AuthActions, db: Session, people: People, post_form: Any
) -> None:
    pairing = approved_days_ago(db, people, 31, kind="investment", diaspora=people.fatou)
    auth.login("fatou@example.org")
    url = f"/pairings/{pairing.id}/check-ins"
    missing = post_form(url, check_in_data(**{"check-in-money_committed": "yes"}), page="/")
    assert missing.status_code == 400
    assert "Give the amount committed" in missing.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(CheckIn)) == 0

    complete = check_in_data(
        **{
            "check-in-money_committed": "yes",
            "check-in-amount": "4,000",
            "check-in-currency": "EUR",
            "check-in-instrument": "loan",
        }
    )
    assert post_form(url, complete, page="/").status_code == 302
    saved = db.scalars(select(CheckIn)).one()
    assert (saved.amount, saved.currency, saved.instrument) == (4000, "EUR", "loan")
    assert saved.amount_usd == pytest.approx(4000 * 1.16)


def test_money_is_not_reported_on_a_coaching_introduction(db: Session, people: People) -> None:
    pairing = approved_days_ago(db, people, 31)
    with pytest.raises(InvalidInput, match="investment introductions only"):
        followup.file_check_in(
            db, pairing, people.amina.user, day=30, met=True, sessions=2,
            money_committed=True, amount=100, currency="USD", instrument="grant",
        )  # fmt: skip


def test_completing_an_introduction_needs_an_outcome(
    client: FlaskClient, auth: AuthActions, db: Session, people: People, post_form: Any
) -> None:
    pairing = approved_days_ago(db, people, 40)
    auth.login("amina@example.org")
    prefix = f"complete-{pairing.id}-"
    data = {prefix + "version": str(pairing.version)}
    assert post_form(f"/pairings/{pairing.id}/complete", data, page="/").status_code == 400
    db.expire_all()
    assert db.get(Pairing, pairing.id).state is S.APPROVED  # type: ignore[union-attr]
    data[prefix + "reason"] = "goals_met"
    assert post_form(f"/pairings/{pairing.id}/complete", data, page="/").status_code == 302
    db.expire_all()
    done = db.get(Pairing, pairing.id)
    assert done is not None and (done.state, done.reason_code) == (S.COMPLETED, "goals_met")


@pytest.fixture
def investing_mentor(db: Session, people: People) -> People:
    """Tesfaye also invests, in loans of USD 1,000 to 10,000."""
    tesfaye = people.tesfaye
    tesfaye.offers_investment = True
    tesfaye.ticket_min, tesfaye.ticket_max, tesfaye.ticket_currency = 1000, 10000, "USD"
    tesfaye.investment_instruments = ["loan"]
    db.commit()
    return people


def test_coaching_that_went_well_leads_to_an_investment_request_in_one_step(
    client: FlaskClient, auth: AuthActions, db: Session, investing_mentor: People, post_form: Any
) -> None:
    people = investing_mentor
    coaching = approved_days_ago(db, people, 40)
    auth.login("amina@example.org")
    page = client.get(f"/pairings/{coaching.id}").get_data(as_text=True)
    assert "Ask for an investment introduction" in page
    response = post_form(f"/pairings/{coaching.id}/investment", {}, page=f"/pairings/{coaching.id}")
    assert response.status_code == 302
    investment = db.scalars(select(Pairing).where(Pairing.kind == PairingKind.INVESTMENT)).one()
    assert investment.origin_pairing_id == coaching.id
    assert investment.state is S.REQUESTED and investment.requester_side == "entrepreneur"
    assert (investment.entrepreneur_id, investment.diaspora_id) == (
        people.amina.id,
        people.tesfaye.id,
    )


def test_a_coordinator_proposes_the_investment_introduction_to_both_sides(
    db: Session, investing_mentor: People
) -> None:
    people = investing_mentor
    coaching = approved_days_ago(db, people, 40)
    service.complete(db, coaching, people.amina.user, reason="goals_met")
    investment = followup.follow_with_investment(db, coaching, people.jean)
    assert investment.state is S.PROPOSED and investment.origin_pairing_id == coaching.id
    # Fatou offers no coaching; a member who does not invest cannot be asked.
    people.tesfaye.offers_investment = False
    with pytest.raises(Exception, match="does not offer investment"):
        followup.follow_with_investment(db, coaching, people.amina.user)


def test_the_check_in_days_come_from_the_settings() -> None:
    assert followup.CheckInPolicy.from_config({"CHECK_IN_DAYS": "90, 30"}).days == (30, 90)
    assert followup.CheckInPolicy.from_config({}).days == (30, 90)
    with pytest.raises(ValueError, match="CHECK_IN_DAYS"):
        followup.CheckInPolicy.from_config({"CHECK_IN_DAYS": "0"})


def test_a_proposal_becomes_a_request_from_whoever_agrees_first(
    db: Session, people: People
) -> None:
    pairing = service.propose_introduction(
        db, people.jean, entrepreneur=people.amina, diaspora=people.tesfaye,
        kind="coaching", score=0.7, reasons=[],
    )  # fmt: skip
    db.commit()
    assert {n.user_id for n in notes_about(db, pairing, "proposes")} == {
        people.amina.user_id,
        people.tesfaye.user_id,
    }
    service.agree(db, pairing, people.tesfaye.user)
    assert (pairing.state, pairing.requester_side) == (S.REQUESTED, "diaspora")
    service.accept(db, pairing, people.amina.user)
    assert pairing.state is S.ACCEPTED  # now a coordinator approves, as for any request
