"""Capacity kept at every step, and the cooling-off after a decline or a rejection.

Tesfaye coaches at most `mentee_capacity` entrepreneurs: accepting a request takes a place
(it waits for a coordinator), so he can never accept more than he has; a request he cannot
accept stays open for when a place frees up; an introduction that can no longer be approved
leaves the queue with a reason both sides see. A declined or rejected pair is not suggested
again, nor introduced by URL, during the cooling-off period.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.matches import service as matches
from mentormatch.models import Notification, Pairing, PairingState
from mentormatch.pairings import service
from mentormatch.pairings.rules import RequestRefused
from tests.builders import People
from tests.conftest import AuthActions, csrf_token_from
from tests.pairing_builders import another_entrepreneur, pairing_in_state, request

S = PairingState


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    matches.clear_cache()
    yield
    matches.clear_cache()


def _act(client: FlaskClient, pairing: Pairing, action: str, **fields: str) -> Any:
    html = client.get("/inbox").get_data(as_text=True)
    prefix = f"{action}-{pairing.id}-"
    data = {"csrf_token": csrf_token_from(html), prefix + "version": str(pairing.version)}
    data.update({prefix + k: v for k, v in fields.items()})
    return client.post(f"/pairings/{pairing.id}/{action}", data=data)


def test_accepting_past_capacity_is_refused_clearly_and_the_request_stays_open(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    people.tesfaye.mentee_capacity = 1
    kwame = another_entrepreneur(db, "Kwame Mensah", "kwame@example.org")
    first = request(db, people.amina.user, people.amina, people.tesfaye)
    second = request(db, kwame.user, kwame, people.tesfaye)
    db.commit()
    auth.login("tesfaye@example.org")
    assert _act(client, first, "accept").status_code == 302
    db.expire_all()
    refused = _act(client, second, "accept")
    assert refused.status_code == 409
    text = refused.get_data(as_text=True)
    assert "Tesfaye Bekele is at full capacity: 1 coaching place, 1 taken" in text
    assert "the request stays open" in text
    db.expire_all()
    assert second.state is S.REQUESTED
    # The coordinators see it waiting for a place.
    auth.logout()
    auth.login("jean@example.org")
    home = client.get("/coordinator").get_data(as_text=True)
    assert "1</span> coaching request waiting for a mentor's place" in home
    stuck = client.get("/coordinator/pairings?attention=full").get_data(as_text=True)
    assert f"/coordinator/pairings/{second.id}" in stuck
    assert f"/coordinator/pairings/{first.id}" not in stuck


def test_a_full_mentor_is_not_suggested_for_coaching(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    people.tesfaye.mentee_capacity = 1
    kwame = another_entrepreneur(db, "Kwame Mensah", "kwame@example.org")
    pairing = request(db, kwame.user, kwame, people.tesfaye)
    service.accept(db, pairing, people.tesfaye.user)  # waits for a coordinator: place taken
    db.commit()
    auth.login("amina@example.org")
    assert "Tesfaye Bekele" not in client.get("/matches").get_data(as_text=True)


def test_suggestions_follow_a_mentor_filling_up_and_freeing_a_place_between_two_pages(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    # The page keeps mentors' loads between requests: they must be read again as soon as
    # a place is taken or freed, never leave a full mentor suggested.
    people.tesfaye.mentee_capacity = 1
    kwame = another_entrepreneur(db, "Kwame Mensah", "kwame@example.org")
    pairing = request(db, kwame.user, kwame, people.tesfaye)
    db.commit()
    auth.login("amina@example.org")
    assert "Tesfaye Bekele" in client.get("/matches").get_data(as_text=True)
    service.accept(db, pairing, people.tesfaye.user)
    db.commit()
    assert "Tesfaye Bekele" not in client.get("/matches").get_data(as_text=True)
    service.withdraw(db, pairing, kwame.user, reason="found_help")
    db.commit()
    assert "Tesfaye Bekele" in client.get("/matches").get_data(as_text=True)


def test_fewer_places_take_the_newest_accepted_out_of_the_queue_with_a_reason(
    client: FlaskClient, db: Session, auth: AuthActions, post_form: Any, people: People
) -> None:
    kwame = another_entrepreneur(db, "Kwame Mensah", "kwame@example.org")
    older = request(db, people.amina.user, people.amina, people.tesfaye)
    newer = request(db, kwame.user, kwame, people.tesfaye)
    service.accept(db, older, people.tesfaye.user)
    service.accept(db, newer, people.tesfaye.user)
    older.state_changed_at = utcnow() - timedelta(days=1)
    db.commit()
    auth.login("tesfaye@example.org")
    offers = {"offers_coaching": "y", "mentee_capacity": "1", "hours_per_month": "6"}
    assert post_form("/profile/edit/offers?from=profile", offers).status_code == 302
    db.expire_all()
    assert older.state is S.ACCEPTED
    assert (newer.state, newer.reason_code) == (S.WITHDRAWN, "mentor_full")
    for user_id in (kwame.user_id, people.tesfaye.user_id):
        told = db.scalars(
            select(Notification).where(
                Notification.user_id == user_id, Notification.pairing_id == newer.id
            )
        ).all()[-1]
        assert told.subject == "An introduction can no longer be approved"
        assert "at full capacity" in told.body
    auth.logout()
    auth.login("kwame@example.org")
    page = client.get(f"/pairings/{newer.id}").get_data(as_text=True)
    assert "The mentor has no place left for another entrepreneur" in page
    auth.logout()
    auth.login("jean@example.org")
    queue = client.get("/coordinator/approvals").get_data(as_text=True)
    assert f"/coordinator/pairings/{older.id}" in queue
    assert f"/coordinator/pairings/{newer.id}" not in queue


def test_a_declined_pair_is_not_suggested_again_during_the_cooling_off(
    app: Any, client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    declined = pairing_in_state(db, people, S.DECLINED)
    auth.login("amina@example.org")
    assert "Tesfaye Bekele" not in client.get("/matches").get_data(as_text=True)
    # Opened by URL, the request form says why instead of offering to send.
    response = client.get(f"/introductions/new?diaspora_id={people.tesfaye.id}&kind=coaching")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "was declined on" in html and "cannot be introduced again for 90 days" in html
    assert "Send request" not in html
    # After the cooling-off period they may meet again.
    declined.state_changed_at = utcnow() - timedelta(days=91)
    db.commit()
    assert "Tesfaye Bekele" in client.get("/matches").get_data(as_text=True)
    again = client.get(f"/introductions/new?diaspora_id={people.tesfaye.id}")
    assert "Send request" in again.get_data(as_text=True)


def test_a_rejected_pair_cannot_be_requested_again_during_the_cooling_off(
    db: Session, people: People
) -> None:
    pairing_in_state(db, people, S.REJECTED)
    with pytest.raises(RequestRefused, match="not approved by a coordinator on"):
        request(db, people.amina.user, people.amina, people.tesfaye)
    # Investment is another kind of introduction: not affected.
    people.tesfaye.offers_investment = True
    people.tesfaye.ticket_min, people.tesfaye.ticket_max = 1000, 9000
    people.tesfaye.ticket_currency = "USD"
    people.tesfaye.investment_instruments = ["loan"]
    assert request(db, people.amina.user, people.amina, people.tesfaye, kind="investment")


def test_the_cooling_off_period_is_a_setting(db: Session, people: People) -> None:
    pairing_in_state(db, people, S.DECLINED)
    short = service.Policy(cooling_off_days=0)
    assert request(db, people.amina.user, people.amina, people.tesfaye, policy=short)


def test_a_pair_closed_for_conduct_is_never_introduced_again(db: Session, people: People) -> None:
    pairing = pairing_in_state(db, people, S.APPROVED)
    service.close(db, pairing, people.amina.user, reason="conduct")
    pairing.state_changed_at = utcnow() - timedelta(days=400)
    db.commit()
    with pytest.raises(RequestRefused, match="closed for inappropriate conduct"):
        request(db, people.amina.user, people.amina, people.tesfaye)


def test_a_request_cannot_be_accepted_once_either_side_cannot_go_forward(
    db: Session, people: People
) -> None:
    from mentormatch.people import vetting

    kwame = another_entrepreneur(db, "Kwame Mensah", "kwame@example.org")
    suspended = request(db, kwame.user, kwame, people.tesfaye)
    vetting.decide(db, kwame, people.jean, "suspend")
    db.commit()
    with pytest.raises(RequestRefused, match="Kwame Mensah Farm's profile is “Suspended”"):
        service.accept(db, suspended, people.tesfaye.user)
    db.rollback()
    assert db.get(Pairing, suspended.id).state is S.REQUESTED  # type: ignore[union-attr]
    asked = request(db, people.amina.user, people.amina, people.tesfaye)
    people.tesfaye.offers_coaching = False
    db.commit()
    with pytest.raises(RequestRefused, match="no longer offers coaching"):
        service.accept(db, asked, people.tesfaye.user)
