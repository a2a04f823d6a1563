"""Deactivating an account: Tesfaye leaves the programme.

He cannot log in (his open sessions end at once), he leaves every suggestion at once, his
waiting requests are withdrawn with a notice to the other person, and his history stays.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.matches import service as matches
from mentormatch.models import AccountEvent, Notification, Pairing, PairingState
from mentormatch.people import accounts
from mentormatch.people.errors import ActionRefused, NotAllowed
from tests.builders import People
from tests.conftest import AuthActions, csrf_token_from
from tests.pairing_builders import another_entrepreneur, pairing_in_state, request

S = PairingState


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    matches.clear_cache()
    yield
    matches.clear_cache()


def _deactivate(client: FlaskClient, user_id: int, **fields: str) -> Any:
    html = client.get(f"/coordinator/people/{user_id}").get_data(as_text=True)
    version = html.split('name="deactivate-version"')[1].split('value="')[1].split('"')[0]
    data = {"csrf_token": csrf_token_from(html), "deactivate-version": version}
    data.update({f"deactivate-{k}": v for k, v in fields.items()})
    return client.post(f"/coordinator/people/{user_id}/deactivate", data=data), data


def test_a_deactivated_person_is_logged_out_cannot_log_in_and_leaves_suggestions(
    app: Any, client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    tesfaye_browser = app.test_client()
    assert AuthActions(tesfaye_browser).login("tesfaye@example.org").status_code == 302
    assert tesfaye_browser.get("/inbox").status_code == 200
    auth.login("amina@example.org")
    assert "Tesfaye Bekele" in client.get("/matches").get_data(as_text=True)
    auth.logout()

    auth.login("jean@example.org")
    response, _ = _deactivate(
        client,
        people.tesfaye.user_id,
        reason="left_programme",
        message="Thank you for your help so far.",
        private_note="Moved to another programme.",
    )
    assert response.status_code == 302
    auth.logout()

    # His open session ends at once, and he cannot log in again.
    assert tesfaye_browser.get("/inbox").status_code == 302
    assert AuthActions(tesfaye_browser).login("tesfaye@example.org").status_code != 302
    # He is gone from Amina's suggestions and his public page, at once.
    auth.login("amina@example.org")
    assert "Tesfaye Bekele" not in client.get("/matches").get_data(as_text=True)
    assert client.get(f"/people/diaspora/{people.tesfaye.id}").status_code == 404
    # He was told, by email too (the in-app copy waits for a reactivation).
    told = db.scalars(
        select(Notification).where(Notification.user_id == people.tesfaye.user_id)
    ).one()
    assert "Left the programme" in told.body and "Thank you for your help so far." in told.body
    assert "Moved to another programme" not in told.body


def test_deactivation_withdraws_waiting_requests_with_a_notice_and_keeps_history(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    done = pairing_in_state(db, people, S.COMPLETED)
    kwame = another_entrepreneur(db, "Kwame Mensah", "kwame@example.org")
    waiting = request(db, kwame.user, kwame, people.tesfaye)
    accepted = request(db, people.amina.user, people.amina, people.tesfaye)
    db.commit()
    from mentormatch.pairings import service

    service.accept(db, accepted, people.tesfaye.user)
    db.commit()
    auth.login("jean@example.org")
    response, _ = _deactivate(client, people.tesfaye.user_id, reason="unreachable")
    assert response.status_code == 302
    assert "2 waiting requests withdrawn" in client.get(
        f"/coordinator/people/{people.tesfaye.user_id}"
    ).get_data(as_text=True)
    db.expire_all()
    assert (waiting.state, waiting.reason_code) == (S.WITHDRAWN, "account_closed")
    assert (accepted.state, accepted.reason_code) == (S.WITHDRAWN, "account_closed")
    assert done.state is S.COMPLETED  # history stays
    for pairing, user_id in ((waiting, kwame.user_id), (accepted, people.amina.user_id)):
        notice = db.scalars(
            select(Notification).where(
                Notification.user_id == user_id, Notification.pairing_id == pairing.id
            )
        ).all()[-1]
        assert "no longer takes part in the programme" in notice.body
    # The coordinator still sees everything about him.
    page = client.get(f"/coordinator/people/{people.tesfaye.user_id}").get_data(as_text=True)
    assert "Account deactivated" in page and "Cannot be reached any more" in page
    assert f"/coordinator/pairings/{done.id}" in page


def test_a_double_click_on_deactivate_is_refused_and_changes_nothing(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    auth.login("jean@example.org")
    response, data = _deactivate(client, people.tesfaye.user_id, reason="asked")
    assert response.status_code == 302
    again = client.post(f"/coordinator/people/{people.tesfaye.user_id}/deactivate", data=data)
    assert again.status_code == 409
    assert "changed while you were looking at it" in again.get_data(as_text=True)
    events = db.scalars(select(AccountEvent).where(AccountEvent.action == "deactivate")).all()
    assert len(events) == 1
    # Without a version (a script), the state itself refuses the second time.
    db.expire_all()
    with pytest.raises(ActionRefused, match="already deactivated"):
        accounts.deactivate(db, people.tesfaye.user, people.jean, reason="asked")


def test_reactivating_opens_the_account_again(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    accounts.deactivate(db, people.tesfaye.user, people.jean, reason="asked")
    db.commit()
    auth.login("jean@example.org")
    html = client.get(f"/coordinator/people/{people.tesfaye.user_id}").get_data(as_text=True)
    version = html.split('name="reactivate-version"')[1].split('value="')[1].split('"')[0]
    response = client.post(
        f"/coordinator/people/{people.tesfaye.user_id}/reactivate",
        data={
            "csrf_token": csrf_token_from(html),
            "reactivate-version": version,
            "reactivate-message": "Welcome back.",
        },
    )
    assert response.status_code == 302
    auth.logout()
    assert auth.login("tesfaye@example.org").status_code == 302
    trail = [e.action for e in db.scalars(select(AccountEvent).order_by(AccountEvent.id))]
    assert trail == ["deactivate", "reactivate"]


def test_coordinators_manage_members_not_staff_nor_themselves(db: Session, people: People) -> None:
    with pytest.raises(NotAllowed, match="administrator"):
        accounts.deactivate(db, people.admin, people.jean, reason="asked")
    with pytest.raises(NotAllowed, match="your own"):
        accounts.deactivate(db, people.jean, people.jean, reason="asked")
    with pytest.raises(NotAllowed):
        accounts.deactivate(db, people.tesfaye.user, people.amina.user, reason="asked")
    db.rollback()
    assert all(u.is_active for u in (people.admin, people.jean, people.tesfaye.user))
    assert db.scalars(select(Pairing)).all() == []
