"""The coordinator's approval queue and review page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.models import Pairing, PairingState
from mentormatch.pairings import service
from tests.builders import People
from tests.conftest import AuthActions, csrf_token_from
from tests.pairing_builders import another_entrepreneur, another_mentor, pairing_in_state, request

S = PairingState


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "PER_PAGE": 2}


def _accepted(
    db: Session, people: People, entrepreneur: Any, mentor: Any, days_ago: int
) -> Pairing:
    pairing = request(db, entrepreneur.user, entrepreneur, mentor)
    service.accept(db, pairing, mentor.user)
    pairing.state_changed_at = utcnow() - timedelta(days=days_ago)
    db.commit()
    return pairing


def _decide(client: FlaskClient, pairing: Pairing, action: str, **fields: str) -> Any:
    html = client.get(f"/coordinator/pairings/{pairing.id}").get_data(as_text=True)
    prefix = f"{action}-{pairing.id}-"
    data = {"csrf_token": csrf_token_from(html), prefix + "version": str(pairing.version)}
    data.update({prefix + k: v for k, v in fields.items()})
    return client.post(f"/pairings/{pairing.id}/{action}", data=data)


def test_the_queue_lists_accepted_pairings_oldest_first_in_pages(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    kwame = another_entrepreneur(db, "Kwame Mensah", "kwame@example.org")
    abebe = another_mentor(db, "Abebe Girma", "abebe@example.org")
    newest = _accepted(db, people, people.amina, people.tesfaye, days_ago=1)
    oldest = _accepted(db, people, kwame, people.tesfaye, days_ago=9)
    middle = _accepted(db, people, people.amina, abebe, days_ago=4)
    request(db, kwame.user, kwame, abebe)  # requested only: not in the queue
    db.commit()
    auth.login("jean@example.org")
    first = client.get("/coordinator/approvals").get_data(as_text=True)
    assert "3 waiting, oldest first." in first
    assert first.index(f"/coordinator/pairings/{oldest.id}") < first.index(
        f"/coordinator/pairings/{middle.id}"
    )
    assert f"/coordinator/pairings/{newest.id}" not in first
    assert "Page 1 of 2" in first
    second = client.get("/coordinator/approvals?page=2").get_data(as_text=True)
    assert f"/coordinator/pairings/{newest.id}" in second


def test_the_queue_filters_by_country_value_chain_and_kind(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    pairing = _accepted(db, people, people.amina, people.tesfaye, days_ago=2)
    link = f"/coordinator/pairings/{pairing.id}"
    auth.login("jean@example.org")
    assert link in client.get("/coordinator/approvals?country=NG").get_data(as_text=True)
    another_entrepreneur(db, "Kwame Mensah", "kwame@example.org", country_code="GH")
    db.commit()
    assert link not in client.get("/coordinator/approvals?country=GH").get_data(as_text=True)
    assert link in client.get("/coordinator/approvals?value_chain=poultry").get_data(as_text=True)
    assert link not in client.get("/coordinator/approvals?value_chain=coffee").get_data(
        as_text=True
    )
    assert link in client.get("/coordinator/approvals?kind=coaching").get_data(as_text=True)
    assert link not in client.get("/coordinator/approvals?kind=investment").get_data(as_text=True)
    bad = client.get("/coordinator/approvals?kind=friendship")
    assert bad.status_code == 400
    assert "Choose a kind from the list." in bad.get_data(as_text=True)
    assert link not in bad.get_data(as_text=True)


def test_the_review_shows_both_sides_reasons_and_load_but_no_contact_details(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    pairing = _accepted(db, people, people.amina, people.tesfaye, days_ago=2)
    auth.login("jean@example.org")
    page = client.get(f"/coordinator/pairings/{pairing.id}").get_data(as_text=True)
    for text in (
        "Amina Poultry",
        "Tesfaye Bekele",
        "Offers bookkeeping and accounts, which you need",
        # This accepted introduction already takes one of Tesfaye's two places.
        "Current coaching load:</strong> 1 of 2 places taken",
        "Approve introduction",
        "Reject",
    ):
        assert text in page
    for secret in ("amina@example.org", "tesfaye@example.org", "+2348031234567", "+12025550143"):
        assert secret not in page


def test_approve_with_a_note_then_both_are_told(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    pairing = _accepted(db, people, people.amina, people.tesfaye, days_ago=2)
    auth.login("jean@example.org")
    response = _decide(
        client,
        pairing,
        "approve",
        note="Bookkeeping fits his skills.",
        private_note="Checked his references by phone.",
    )
    assert response.status_code == 302 and response.location.endswith("/coordinator/approvals")
    db.expire_all()
    assert pairing.state is S.APPROVED
    assert pairing.coordinator_note == "Checked his references by phone."
    # Approving again from the same (now stale) page changes nothing.
    html = client.get("/coordinator/approvals").get_data(as_text=True)
    replay = client.post(
        f"/pairings/{pairing.id}/approve",
        data={"csrf_token": csrf_token_from(html), f"approve-{pairing.id}-version": "2"},
    )
    assert replay.status_code == 409


def test_reject_needs_a_reason(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    pairing = _accepted(db, people, people.amina, people.tesfaye, days_ago=2)
    auth.login("jean@example.org")
    assert _decide(client, pairing, "reject", reason="").status_code == 400
    assert _decide(client, pairing, "reject", reason="poor_fit", note="Coffee vs poultry")
    db.expire_all()
    assert (pairing.state, pairing.reason_code) == (S.REJECTED, "poor_fit")


def test_the_review_never_offers_an_approval_that_must_fail_and_says_why(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    pairing_in_state(db, people, S.APPROVED)
    kwame = another_entrepreneur(db, "Kwame Mensah", "kwame@example.org")
    second = _accepted(db, people, kwame, people.tesfaye, days_ago=1)
    # Places lowered behind the workflow's back (a direct database edit): 2 taken of 1.
    people.tesfaye.mentee_capacity = 1
    db.commit()
    auth.login("jean@example.org")
    page = client.get(f"/coordinator/pairings/{second.id}").get_data(as_text=True)
    assert "Approving is not possible now" in page
    assert "Tesfaye Bekele is at full capacity: 1 coaching place, 1 taken" in page
    assert "Approve introduction" not in page
    assert "Reject" in page  # what can still succeed is offered
    # Posting the approval anyway (a stale page, a hand-made request) is refused.
    html = client.get("/coordinator/approvals").get_data(as_text=True)
    response = client.post(
        f"/pairings/{second.id}/approve",
        data={
            "csrf_token": csrf_token_from(html),
            f"approve-{second.id}-version": str(second.version),
        },
    )
    assert response.status_code == 409
    assert "full capacity" in response.get_data(as_text=True)
    db.expire_all()
    assert second.state is S.ACCEPTED


@pytest.mark.parametrize("login", ["amina@example.org", "tesfaye@example.org"])
def test_only_coordinators_reach_the_queue_and_the_review(
    client: FlaskClient, auth: AuthActions, db: Session, people: People, login: str
) -> None:
    pairing = _accepted(db, people, people.amina, people.tesfaye, days_ago=2)
    auth.login(login)
    assert client.get("/coordinator/approvals").status_code == 403
    assert client.get(f"/coordinator/pairings/{pairing.id}").status_code == 403
    assert _decide_as_party(client, pairing).status_code == 403
    db.expire_all()
    assert pairing.state is S.ACCEPTED


def _decide_as_party(client: FlaskClient, pairing: Pairing) -> Any:
    html = client.get("/inbox").get_data(as_text=True)
    return client.post(
        f"/pairings/{pairing.id}/approve",
        data={"csrf_token": csrf_token_from(html), f"approve-{pairing.id}-version": "2"},
    )
