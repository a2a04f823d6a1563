"""The introduction pages as people use them: request, inbox, pairing page, notifications."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentormatch.models import ContactView, Feedback, Pairing, PairingEvent, PairingState
from tests.builders import People
from tests.conftest import AuthActions, csrf_token_from
from tests.pairing_builders import pairing_in_state

S = PairingState


def act(client: FlaskClient, pairing: Pairing, action: str, **fields: Any) -> Any:
    """Press a button on the pairing page, as the browser would."""
    html = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    prefix = f"{action}-{pairing.id}-"
    data = {"csrf_token": csrf_token_from(html), prefix + "version": str(pairing.version)}
    data.update({prefix + name: value for name, value in fields.items()})
    return client.post(f"/pairings/{pairing.id}/{action}", data=data)


def ask_tesfaye(client: FlaskClient, people: People, page: str, **fields: Any) -> Any:
    """Send the request form (taken from `page`) for Amina and Tesfaye's coaching."""
    html = client.get(page).get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(html),
        "entrepreneur_id": people.amina.id,
        "diaspora_id": people.tesfaye.id,
        "kind": "coaching",
        **fields,
    }
    return client.post("/introductions/new", data=data)


def state_of(db: Session, pairing_id: int) -> S:
    db.expire_all()
    return db.get(Pairing, pairing_id).state  # type: ignore[union-attr]


def test_amina_requests_an_introduction_with_a_message(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    auth.login("amina@example.org")
    url = f"/introductions/new?diaspora_id={people.tesfaye.id}&kind=coaching"
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Request an introduction" in html and "Tesfaye Bekele" in html
    assert "tesfaye@example.org" not in html  # no contact details before approval
    response = client.post(
        "/introductions/new",
        data={
            "csrf_token": csrf_token_from(html),
            "entrepreneur_id": people.amina.id,
            "diaspora_id": people.tesfaye.id,
            "kind": "coaching",
            "message": "Ina son koyon ajiya. ሰላም! مرحبا <script>alert(1)</script>",
            "score": "0.99",  # forged: the server never trusts a posted score
        },
    )
    assert response.status_code == 302
    pairing = db.scalars(select(Pairing)).one()
    assert (pairing.state, pairing.requested_by_id) == (S.REQUESTED, people.amina.user_id)
    assert pairing.score != pytest.approx(0.99)
    shown = client.get(response.location).get_data(as_text=True)
    assert "ሰላም! مرحبا" in shown
    assert "<script>alert(1)</script>" not in shown


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("message", "x" * 1_000_000, "Keep it under 2000 characters."),
        ("kind", "friendship", "Choose coaching or investment."),
    ],
)
def test_a_bad_request_form_says_what_to_fix_and_writes_nothing(
    client: FlaskClient,
    auth: AuthActions,
    db: Session,
    people: People,
    field: str,
    value: str,
    message: str,
) -> None:
    auth.login("amina@example.org")
    page = f"/introductions/new?diaspora_id={people.tesfaye.id}"
    response = ask_tesfaye(client, people, page, **{field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Pairing)) == 0


def test_a_request_without_csrf_is_refused(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    auth.login("amina@example.org")
    response = client.post(
        "/introductions/new",
        data={
            "entrepreneur_id": people.amina.id,
            "diaspora_id": people.tesfaye.id,
            "kind": "coaching",
        },
    )
    assert response.status_code == 400
    assert db.scalar(select(func.count()).select_from(Pairing)) == 0


def test_a_second_request_for_the_same_pair_gets_409(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    pairing_in_state(db, people, S.REQUESTED)
    auth.login("amina@example.org")
    response = ask_tesfaye(client, people, f"/introductions/new?diaspora_id={people.tesfaye.id}")
    assert response.status_code == 409
    assert "already an open coaching introduction" in response.get_data(as_text=True)


def test_tesfaye_accepts_from_his_inbox_and_amina_is_notified(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.REQUESTED)
    auth.login("tesfaye@example.org")
    inbox = client.get("/inbox").get_data(as_text=True)
    assert "Waiting for your answer" in inbox and "Amina Poultry" in inbox
    assert f'action="/pairings/{pairing.id}/accept"' in inbox
    response = act(client, pairing, "accept")
    assert response.status_code == 302
    assert state_of(db, pairing.id) is S.ACCEPTED
    auth.logout()
    auth.login("amina@example.org")
    home = client.get("/").get_data(as_text=True)
    assert "1 new" in home
    listing = client.get("/notifications").get_data(as_text=True)
    assert "Tesfaye Bekele accepted your request" in listing
    assert "1 new" not in client.get("/").get_data(as_text=True)  # read now


def test_decline_without_a_reason_says_what_to_fix(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.REQUESTED)
    auth.login("tesfaye@example.org")
    response = act(client, pairing, "decline", reason="")
    assert response.status_code == 400
    assert "Choose a reason from the list." in response.get_data(as_text=True)
    assert state_of(db, pairing.id) is S.REQUESTED
    response = act(client, pairing, "decline", reason="no_time", note="Harvest season")
    assert response.status_code == 302
    assert state_of(db, pairing.id) is S.DECLINED


def test_a_double_click_or_a_stale_page_gets_409_and_changes_nothing(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.REQUESTED)
    auth.login("tesfaye@example.org")
    html = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(html),
        f"accept-{pairing.id}-version": str(pairing.version),
    }
    assert client.post(f"/pairings/{pairing.id}/accept", data=data).status_code == 302
    replay = client.post(f"/pairings/{pairing.id}/accept", data=data)
    assert replay.status_code == 409
    assert "moved on" in replay.get_data(as_text=True)
    events = db.scalar(
        select(func.count()).select_from(PairingEvent).where(PairingEvent.pairing_id == pairing.id)
    )
    assert events == 2  # request + one accept


def test_the_wrong_side_gets_403_and_strangers_404(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.REQUESTED)
    auth.login("amina@example.org")
    assert act(client, pairing, "accept").status_code == 403
    auth.logout()
    auth.login("fatou@example.org")
    assert client.get(f"/pairings/{pairing.id}").status_code == 404
    html = client.get("/inbox").get_data(as_text=True)
    response = client.post(
        f"/pairings/{pairing.id}/accept",
        data={"csrf_token": csrf_token_from(html), f"accept-{pairing.id}-version": "1"},
    )
    assert response.status_code == 404
    assert state_of(db, pairing.id) is S.REQUESTED


def test_both_sides_see_contact_details_after_approval_and_the_view_is_listed(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.APPROVED)
    auth.login("amina@example.org")
    page = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    assert "tesfaye@example.org" in page and "+12025550143" in page
    auth.logout()
    auth.login("tesfaye@example.org")
    page = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    assert "amina@example.org" in page and "+2348031234567" in page
    views = client.get("/contact-views").get_data(as_text=True)
    assert "Amina Bello" in views
    assert db.scalar(select(func.count()).select_from(ContactView)) == 2


def test_history_is_shown_on_the_pairing_page(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.APPROVED)
    auth.login("amina@example.org")
    page = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    for line in (
        "Requested",
        "Accepted: requested → accepted",
        "Approved: accepted → approved",
        "Jean Mukendi",
    ):
        assert line in page


def test_each_side_rates_once(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.COMPLETED)
    auth.login("amina@example.org")
    html = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    assert "Rate this introduction" in html
    token = csrf_token_from(html)
    bad = client.post(f"/pairings/{pairing.id}/feedback", data={"csrf_token": token, "rating": "9"})
    assert bad.status_code == 400
    data = {"csrf_token": token, "rating": "5", "comment": "Very useful"}
    assert client.post(f"/pairings/{pairing.id}/feedback", data=data).status_code == 302
    assert client.post(f"/pairings/{pairing.id}/feedback", data=data).status_code == 409
    assert db.scalar(select(func.count()).select_from(Feedback)) == 1
    assert "You rated this introduction 5 out of 5" in client.get(
        f"/pairings/{pairing.id}"
    ).get_data(as_text=True)


def test_withdraw_from_the_inbox(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.ACCEPTED)
    auth.login("amina@example.org")
    inbox = client.get("/inbox").get_data(as_text=True)
    assert "Your requests" in inbox and f'action="/pairings/{pairing.id}/withdraw"' in inbox
    assert act(client, pairing, "withdraw", reason="found_help").status_code == 302
    assert state_of(db, pairing.id) is S.WITHDRAWN


def test_coordinators_have_no_inbox_and_cannot_request(
    client: FlaskClient, auth: AuthActions, people: People
) -> None:
    auth.login("jean@example.org")
    assert client.get("/inbox").status_code == 403
    url = f"/introductions/new?entrepreneur_id={people.amina.id}&diaspora_id={people.tesfaye.id}"
    assert client.get(url).status_code == 403


def test_pages_need_a_login(client: FlaskClient, people: People) -> None:
    for url in ("/inbox", "/notifications", "/contact-views", "/pairings/1"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location


def test_a_request_from_a_suggestion_keeps_the_engines_score_and_reasons(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    auth.login("amina@example.org")
    suggestions = client.get("/matches?kind=coaching").get_data(as_text=True)
    link = (
        f"/introductions/new?entrepreneur_id={people.amina.id}&amp;diaspora_id={people.tesfaye.id}"
    )
    assert link in suggestions
    response = ask_tesfaye(client, people, link.replace("&amp;", "&") + "&kind=coaching")
    assert response.status_code == 302
    pairing = db.scalars(select(Pairing)).one()
    assert pairing.score > 0
    assert any("English" in reason["text"] for reason in pairing.reasons)
    page = client.get(response.location).get_data(as_text=True)
    assert "You both speak English" in page


def test_asking_on_behalf_of_others_is_403_and_an_unknown_profile_404(
    client: FlaskClient, auth: AuthActions, people: People
) -> None:
    auth.login("fatou@example.org")
    others = f"/introductions/new?entrepreneur_id={people.amina.id}&diaspora_id={people.tesfaye.id}"
    response = client.get(others)
    assert response.status_code == 403
    assert "only for your own profile" in response.get_data(as_text=True)
    response = client.get("/introductions/new?entrepreneur_id=999999")
    assert response.status_code == 404
    assert "does not exist" in response.get_data(as_text=True)
