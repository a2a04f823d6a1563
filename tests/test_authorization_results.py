"""Every route of issue 12 (results, rounds, check-ins, coaching -> investment), tried by
every role, in the style of test_authorization_pairings.py.

Amina and Tesfaye have an approved coaching introduction, 31 days old (the 30-day check-in
is due); Tesfaye also invests. Kwame and Fatou own nothing here; Jean coordinates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.models import CheckIn, MatchingRound, Pairing, PairingKind, RoundStatus
from mentormatch.pairings import service
from mentormatch.rounds import service as rounds
from tests import test_authorization_pairings as by_role
from tests.builders import People
from tests.conftest import csrf_token_from
from tests.pairing_builders import request
from tests.test_authorization_pairings import LOGIN, LOGINS, ROLES, _answer

# The same fixture as there: Kwame is registered too, then each role logs in in turn.
as_role = by_role.as_role

OK, SEE = 302, 200
STAFF_ONLY = {**dict.fromkeys(LOGINS, 403), "jean": SEE, "admin": SEE}
GET_PAGES: dict[str, dict[str, Any]] = {
    "/coordinator/results": STAFF_ONLY,
    "/coordinator/results.csv": STAFF_ONLY,
    "/coordinator/rounds": STAFF_ONLY,
    "/coordinator/rounds/{round}": STAFF_ONLY,
}
# What a POST answers, and how to tell that it changed something.
POSTS: dict[str, dict[str, Any]] = {
    "/coordinator/rounds": {**dict.fromkeys(LOGINS, 403), "jean": OK, "admin": OK},
    "/coordinator/rounds/{round}/confirm": {**dict.fromkeys(LOGINS, 403), "jean": OK, "admin": OK},
    # Strangers may not even know the introduction exists; coordinators see it but do not
    # file check-ins for others.
    "/pairings/{pairing}/check-ins": {
        "amina": OK, "tesfaye": OK, "kwame": 404, "fatou": 404, "jean": 403, "admin": 403,
    },
    "/pairings/{pairing}/investment": {
        "amina": OK, "tesfaye": OK, "kwame": 404, "fatou": 404, "jean": OK, "admin": OK,
    },
}  # fmt: skip
FIELDS = {
    "/coordinator/rounds": {"kind": "coaching", "country": "NG"},
    "/pairings/{pairing}/check-ins": {
        "check-in-day": "30", "check-in-met": "yes", "check-in-sessions": "2",
    },
}  # fmt: skip


@pytest.fixture
def world(db: Session, people: People) -> dict[str, int]:
    tesfaye = people.tesfaye
    tesfaye.offers_investment = True
    tesfaye.ticket_min, tesfaye.ticket_max, tesfaye.ticket_currency = 1000, 10000, "USD"
    then = utcnow() - timedelta(days=31)
    pairing = request(db, people.amina.user, people.amina, tesfaye, now=then)
    service.accept(db, pairing, tesfaye.user)
    service.approve(db, pairing, people.jean, now=then)
    db.commit()
    matching_round = rounds.propose(
        db, people.jean, rounds.RoundRequest(kind=PairingKind.COACHING, country="NG")
    )
    db.commit()
    return {"pairing": pairing.id, "round": matching_round.id}


def changed(db: Session, url: str, world: dict[str, int]) -> bool:
    """Whether the POST to `url` left a trace."""
    db.expire_all()
    if url == "/coordinator/rounds":
        return (db.scalar(select(func.count()).select_from(MatchingRound)) or 0) > 1
    if url.endswith("/confirm"):
        return db.get(MatchingRound, world["round"]).status is RoundStatus.CONFIRMED  # type: ignore[union-attr]
    if url.endswith("/check-ins"):
        return (db.scalar(select(func.count()).select_from(CheckIn)) or 0) > 0
    return (
        db.scalar(
            select(func.count()).select_from(Pairing).where(Pairing.kind == PairingKind.INVESTMENT)
        )
        == 1
    )  # noqa: E501


def undo(db: Session, world: dict[str, int]) -> None:
    """Put the world back for the next POST."""
    db.expire_all()
    for check_in in db.scalars(select(CheckIn)):
        db.delete(check_in)
    for pairing in db.scalars(select(Pairing).where(Pairing.kind == PairingKind.INVESTMENT)):
        db.delete(pairing)
    for extra in db.scalars(select(MatchingRound).where(MatchingRound.id != world["round"])):
        db.delete(extra)
    first = db.get(MatchingRound, world["round"])
    assert first is not None
    for pairing in db.scalars(select(Pairing).where(Pairing.round_id == first.id)):
        db.delete(pairing)
    first.status = RoundStatus.PROPOSED
    db.commit()


@pytest.mark.parametrize("role", ROLES)
def test_every_results_and_round_page_answers_each_role_as_expected(
    client: FlaskClient, world: dict[str, int], as_role: Callable[[str], None], role: str
) -> None:
    as_role(role)
    wrong = []
    for template, answers in GET_PAGES.items():
        url = template.format(**world)
        expected = answers[role] if role != "anonymous" else LOGIN
        got = _answer(client.get(url))
        if got != expected:
            wrong.append(f"GET {url}: {got}, expected {expected}")
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_every_new_action_answers_each_role_and_changes_only_what_it_may(
    client: FlaskClient, db: Session, world: dict[str, int], as_role: Callable[[str], None],
    role: str,
) -> None:  # fmt: skip
    as_role(role)
    wrong = []
    for template, answers in POSTS.items():
        url = template.format(**world)
        token = csrf_token_from(
            client.get("/login" if role == "anonymous" else "/").get_data(as_text=True)
        )
        data = {"csrf_token": token, **FIELDS.get(template, {})}
        got = _answer(client.post(url, data=data))
        expected = answers[role] if role != "anonymous" else LOGIN
        did = changed(db, url, world)
        if got != expected:
            wrong.append(f"POST {url}: {got}, expected {expected}")
        elif did != (expected == OK):
            wrong.append(f"POST {url} answered {got} but {'changed' if did else 'did not change'}")
        undo(db, world)
    assert wrong == []
