"""Every pairing route, tried by every role as owner and as non-owner.

Amina asked Tesfaye for coaching: she is the requester, he the counterpart. Kwame (another
entrepreneur) and Fatou (another diaspora member) own nothing here; Jean coordinates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.models import Pairing, PairingState, User
from mentormatch.pairings import parties, service
from tests.builders import People
from tests.conftest import AuthActions, csrf_token_from
from tests.pairing_builders import another_entrepreneur, pairing_in_state

S = PairingState
ROLES = ["anonymous", "amina", "tesfaye", "kwame", "fatou", "jean", "admin"]
LOGINS = {
    "amina": "amina@example.org",
    "tesfaye": "tesfaye@example.org",
    "kwame": "kwame@example.org",
    "fatou": "fatou@example.org",
    "jean": "jean@example.org",
    "admin": "it@example.org",
}
LOGIN = "login"  # redirected to the log-in page

# Expected answers, written from the brief: owners act, others get 403 (they may see the
# pairing but not do this) or 404 (they may not even know it exists).
OK, SEE = 302, 200
GET_PAGES: dict[str, dict[str, Any]] = {
    "/inbox": {"amina": SEE, "tesfaye": SEE, "kwame": SEE, "fatou": SEE, "jean": 403, "admin": 403},
    "/notifications": dict.fromkeys(LOGINS, SEE),
    "/contact-views": dict.fromkeys(LOGINS, SEE),
    "/pairings/{id}": {
        "amina": SEE,
        "tesfaye": SEE,
        "kwame": 404,
        "fatou": 404,
        "jean": SEE,
        "admin": SEE,
    },
    "/coordinator/approvals": {**dict.fromkeys(LOGINS, 403), "jean": SEE, "admin": SEE},
    "/coordinator/pairings/{id}": {**dict.fromkeys(LOGINS, 403), "jean": SEE, "admin": SEE},
    "/introductions/new?entrepreneur_id={e}&diaspora_id={d}": {
        **dict.fromkeys(LOGINS, 403),
        "amina": SEE,
        "tesfaye": SEE,
    },
}
STRANGERS = {"kwame": 404, "fatou": 404}
# action: (the state it is legal from, the answers)
PARTIES_ONLY = {"amina": OK, "tesfaye": OK, **STRANGERS, "jean": 403, "admin": 403}
ACTIONS: dict[str, tuple[S, dict[str, int]]] = {
    "agree": (S.PROPOSED, PARTIES_ONLY),
    "decline_proposal": (S.PROPOSED, PARTIES_ONLY),
    "accept": (S.REQUESTED, {"amina": 403, "tesfaye": OK, **STRANGERS, "jean": 403, "admin": 403}),
    "decline": (S.REQUESTED, {"amina": 403, "tesfaye": OK, **STRANGERS, "jean": 403, "admin": 403}),
    "withdraw": (
        S.REQUESTED,
        {"amina": OK, "tesfaye": 403, **STRANGERS, "jean": 403, "admin": 403},
    ),
    "approve": (S.ACCEPTED, {"amina": 403, "tesfaye": 403, **STRANGERS, "jean": OK, "admin": OK}),
    "reject": (S.ACCEPTED, {"amina": 403, "tesfaye": 403, **STRANGERS, "jean": OK, "admin": OK}),
    "complete": (S.APPROVED, {"amina": OK, "tesfaye": OK, **STRANGERS, "jean": OK, "admin": OK}),
    "close": (S.APPROVED, {"amina": OK, "tesfaye": OK, **STRANGERS, "jean": OK, "admin": OK}),
    "feedback": (S.APPROVED, {"amina": OK, "tesfaye": OK, **STRANGERS, "jean": 403, "admin": 403}),
}
FIELDS = {
    "decline": {"reason": "no_time"},
    "withdraw": {"reason": "found_help"},
    "reject": {"reason": "poor_fit"},
    "close": {"reason": "not_working"},
    "complete": {"reason": "goals_met"},
    "decline_proposal": {"reason": "no_time"},
}


def _answer(response: Any) -> int | str:
    if response.status_code == 302 and "/login" in response.location:
        return LOGIN
    return int(response.status_code)


def _finish(db: Session, people: People, pairing: Pairing) -> None:
    """End an open pairing so the next check can start a fresh one for the same pair."""
    db.expire_all()
    pairing = db.get(Pairing, pairing.id)  # type: ignore[assignment]
    if pairing.state is S.PROPOSED:
        service.decline_proposal(db, pairing, people.amina.user, reason="other")
    elif pairing.state in (S.REQUESTED, S.ACCEPTED):
        requester = db.get(User, parties.requester_user_id(pairing))
        service.withdraw(db, pairing, requester, reason="no_longer_needed")
    elif pairing.state is S.APPROVED:
        service.close(db, pairing, people.jean, reason="left_programme")
    db.commit()


@pytest.fixture
def as_role(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> Callable[[str], None]:
    another_entrepreneur(db, "Kwame Mensah", "kwame@example.org")
    db.commit()
    current: list[str] = []

    def switch(role: str) -> None:
        if current and current[-1] != "anonymous":
            auth.logout()
        if role != "anonymous":
            assert auth.login(LOGINS[role]).status_code == 302
        current.append(role)

    return switch


@pytest.mark.parametrize("role", ROLES)
def test_every_pairing_page_answers_each_role_as_expected(
    client: FlaskClient, db: Session, people: People, as_role: Callable[[str], None], role: str
) -> None:
    pairing = pairing_in_state(db, people, S.ACCEPTED)
    as_role(role)
    wrong = []
    for template, answers in GET_PAGES.items():
        url = template.format(id=pairing.id, e=people.amina.id, d=people.tesfaye.id)
        expected = answers[role] if role != "anonymous" else LOGIN
        got = _answer(client.get(url))
        if got != expected:
            wrong.append(f"GET {url}: {got}, expected {expected}")
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_every_pairing_action_answers_each_role_and_changes_only_what_it_may(
    client: FlaskClient, db: Session, people: People, as_role: Callable[[str], None], role: str
) -> None:
    as_role(role)
    wrong = []
    for action, (state, answers) in ACTIONS.items():
        pairing = pairing_in_state(db, people, state)
        token = csrf_token_from(
            client.get("/login" if role == "anonymous" else "/").get_data(as_text=True)
        )
        if action == "feedback":
            data = {"csrf_token": token, "rating": "4"}
        else:
            prefix = f"{action}-{pairing.id}-"
            data = {"csrf_token": token, prefix + "version": str(pairing.version)}
            data.update({prefix + k: v for k, v in FIELDS.get(action, {}).items()})
        got = _answer(client.post(f"/pairings/{pairing.id}/{action}", data=data))
        expected = answers[role] if role != "anonymous" else LOGIN
        db.expire_all()
        after = db.get(Pairing, pairing.id).state  # type: ignore[union-attr]
        if got != expected:
            wrong.append(f"{action}: {got}, expected {expected}")
        elif expected != OK and after is not state:
            wrong.append(f"{action} was refused but the pairing moved to {after.value}")
        elif expected == OK and action != "feedback" and after is state:
            wrong.append(f"{action} answered OK but nothing changed")
        _finish(db, people, pairing)
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_asking_for_an_introduction_answers_each_role(
    client: FlaskClient, db: Session, people: People, as_role: Callable[[str], None], role: str
) -> None:
    as_role(role)
    token = csrf_token_from(
        client.get("/login" if role == "anonymous" else "/").get_data(as_text=True)
    )
    data = {
        "csrf_token": token,
        "entrepreneur_id": people.amina.id,
        "diaspora_id": people.tesfaye.id,
        "kind": "coaching",
    }
    got = _answer(client.post("/introductions/new", data=data))
    expected = {"anonymous": LOGIN, "amina": OK, "tesfaye": OK}.get(role, 403)
    assert got == expected
    made = len(db.scalars(select(Pairing)).all())
    assert made == (1 if expected == OK else 0)


def test_contact_details_appear_only_to_the_other_party_of_an_approved_pairing(
    client: FlaskClient, db: Session, people: People, as_role: Callable[[str], None]
) -> None:
    pairing = pairing_in_state(db, people, S.APPROVED)
    secrets = {
        "tesfaye": ("tesfaye@example.org", "+12025550143"),
        "amina": ("amina@example.org", "+2348031234567"),
    }
    pages = [
        template.format(id=pairing.id, e=people.amina.id, d=people.tesfaye.id)
        for template in GET_PAGES
    ]
    for role in ROLES:
        as_role(role)
        for url in pages:
            html = client.get(url).get_data(as_text=True)
            for owner, details in secrets.items():
                allowed = url == f"/pairings/{pairing.id}" and {role, owner} == {"amina", "tesfaye"}
                for detail in details:
                    assert (detail in html) == allowed, f"{detail} on {url} for {role}"
