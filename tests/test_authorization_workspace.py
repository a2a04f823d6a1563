"""Every route of the coordinator's workspace and of safety reports, tried by every role as
owner and as non-owner.

Amina asked Tesfaye for coaching and he accepted: they are the two parties (owners of the
introduction, each the owner of a profile). Kwame (entrepreneur) and Fatou (diaspora) own
nothing here; Jean coordinates; the admin can act as a coordinator. Each refused action
must change nothing; each allowed one must change something.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentormatch.models import (
    DiasporaProfile,
    Pairing,
    PairingState,
    ReviewStatus,
    SafetyReport,
    User,
)
from mentormatch.people import accounts
from tests.builders import People
from tests.conftest import AuthActions, csrf_token_from
from tests.pairing_builders import another_entrepreneur, another_mentor, pairing_in_state
from tests.workspace_builders import money_report, waiting_mentor

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
LOGIN = "login"
OK, SEE = 302, 200
STAFF_ONLY = {**dict.fromkeys(LOGINS, 403), "jean": SEE, "admin": SEE}
STAFF_ACT = {**dict.fromkeys(LOGINS, 403), "jean": OK, "admin": OK}

GET_PAGES: dict[str, dict[str, int]] = {
    "/coordinator": STAFF_ONLY,
    "/coordinator/people": STAFF_ONLY,
    "/coordinator/people?q=amina&role=entrepreneur": STAFF_ONLY,
    "/coordinator/people/{tesfaye_user}": STAFF_ONLY,
    "/coordinator/people/{amina_user}/propose?with={fatou}&kind=investment": STAFF_ONLY,
    "/coordinator/vetting": STAFF_ONLY,
    "/coordinator/pairings": STAFF_ONLY,
    "/coordinator/pairings?state=accepted": STAFF_ONLY,
    "/coordinator/reports": STAFF_ONLY,
    "/coordinator/reports/{report}": STAFF_ONLY,
    # The parties report from their introduction; others may not know it exists.
    "/pairings/{pairing}/report": {
        "amina": SEE,
        "tesfaye": SEE,
        "kwame": 404,
        "fatou": 404,
        "jean": 403,
        "admin": 403,
    },
    # Anyone who can see a profile may report it, but not its owner; staff act directly.
    "/people/entrepreneurs/{amina}/report": {
        **dict.fromkeys(LOGINS, SEE),
        "amina": 403,
        "jean": 403,
        "admin": 403,
    },
    "/people/diaspora/{tesfaye}/report": {
        **dict.fromkeys(LOGINS, SEE),
        "tesfaye": 403,
        "jean": 403,
        "admin": 403,
    },
}


@dataclass
class World:
    people: People
    pairing: Pairing
    report: SafetyReport
    made: int = 0

    def fresh_mentor(self, db: Session, status: ReviewStatus = ReviewStatus.PENDING) -> User:
        """A new member whose finished profile is in `status` (each check its own)."""
        self.made += 1
        profile = waiting_mentor(
            db, full_name=f"Mentor {self.made}", email=f"mentor{self.made}@example.org"
        )
        profile.review_status = status
        db.commit()
        return profile.user


@pytest.fixture
def world(db: Session, people: People) -> World:
    another_entrepreneur(db, "Kwame Mensah", "kwame@example.org")
    pairing = pairing_in_state(db, people, S.ACCEPTED)
    report = money_report(db, people)
    db.commit()
    return World(people, pairing, report)


@pytest.fixture
def as_role(client: FlaskClient, auth: AuthActions, world: World) -> Callable[[str], None]:
    current: list[str] = []

    def switch(role: str) -> None:
        if current and current[-1] != "anonymous":
            auth.logout()
        if role != "anonymous":
            assert auth.login(LOGINS[role]).status_code == 302
        current.append(role)

    return switch


def _answer(response: Any) -> int | str:
    if response.status_code == 302 and "/login" in response.location:
        return LOGIN
    return int(response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_every_workspace_page_answers_each_role_as_expected(
    client: FlaskClient, world: World, as_role: Callable[[str], None], role: str
) -> None:
    p = world.people
    as_role(role)
    wrong = []
    for template, answers in GET_PAGES.items():
        url = template.format(
            tesfaye_user=p.tesfaye.user_id,
            amina_user=p.amina.user_id,
            amina=p.amina.id,
            tesfaye=p.tesfaye.id,
            fatou=p.fatou.id,
            pairing=world.pairing.id,
            report=world.report.id,
        )
        expected = answers[role] if role != "anonymous" else LOGIN
        got = _answer(client.get(url))
        if got != expected:
            wrong.append(f"GET {url}: {got}, expected {expected}")
    assert wrong == []


# Each action: (prepare → (url, form fields, a look at what it changes), the answers).
Prepared = tuple[str, dict[str, str], Callable[[], Any]]


def _review(action: str, status: ReviewStatus) -> Callable[[Session, World], Prepared]:
    def prepare(db: Session, w: World) -> Prepared:
        user = w.fresh_mentor(db, status)
        fields = {f"{action}-version": str(user.record_version), f"{action}-message": "Hi"}
        look = lambda: db.get(DiasporaProfile, user.diaspora_profile.id).review_status  # noqa: E731
        return f"/coordinator/people/{user.id}/review/{action}", fields, look

    return prepare


def _deactivate(db: Session, w: World) -> Prepared:
    user = w.fresh_mentor(db, ReviewStatus.APPROVED)
    fields = {"deactivate-version": str(user.record_version), "deactivate-reason": "asked"}
    return (
        f"/coordinator/people/{user.id}/deactivate",
        fields,
        lambda: db.get(User, user.id).is_active,
    )


def _reactivate(db: Session, w: World) -> Prepared:
    user = w.fresh_mentor(db, ReviewStatus.APPROVED)
    accounts.deactivate(db, user, w.people.jean, reason="asked")
    db.commit()
    fields = {"reactivate-version": str(user.record_version)}
    return (
        f"/coordinator/people/{user.id}/reactivate",
        fields,
        lambda: db.get(User, user.id).is_active,
    )


def _propose(db: Session, w: World) -> Prepared:
    w.made += 1
    mentor = another_mentor(db, f"Mentor {w.made}", f"mentor{w.made}@example.org")
    db.commit()
    url = f"/coordinator/people/{w.people.amina.user_id}/propose?with={mentor.id}&kind=coaching"
    count = lambda: db.scalar(select(func.count()).select_from(Pairing))  # noqa: E731
    return url, {}, count


def _on_report(action: str) -> Callable[[Session, World], Prepared]:
    def prepare(db: Session, w: World) -> Prepared:
        user = w.fresh_mentor(db, ReviewStatus.APPROVED)
        report = money_report(db, w.people, subject=user)
        db.commit()
        fields = {f"{action}-version": str(report.version), f"{action}-outcome": "no_action"}
        look = lambda: db.get(SafetyReport, report.id).version  # noqa: E731
        return f"/coordinator/reports/{report.id}/{action}", fields, look

    return prepare


def _report(url: Callable[[World], str]) -> Callable[[Session, World], Prepared]:
    def prepare(db: Session, w: World) -> Prepared:
        count = lambda: db.scalar(select(func.count()).select_from(SafetyReport))  # noqa: E731
        return url(w), {"category": "spam", "description": "Adverts"}, count

    return prepare


PARTIES_REPORT = {"amina": OK, "tesfaye": OK, "kwame": 404, "fatou": 404, "jean": 403, "admin": 403}
ACTIONS: dict[str, tuple[Callable[[Session, World], Prepared], dict[str, int]]] = {
    "approve a profile": (_review("approve", ReviewStatus.PENDING), STAFF_ACT),
    "ask for changes": (_review("request_changes", ReviewStatus.PENDING), STAFF_ACT),
    "reject a profile": (_review("reject", ReviewStatus.PENDING), STAFF_ACT),
    "suspend a profile": (_review("suspend", ReviewStatus.APPROVED), STAFF_ACT),
    "reinstate a profile": (_review("reinstate", ReviewStatus.SUSPENDED), STAFF_ACT),
    "deactivate": (_deactivate, STAFF_ACT),
    "reactivate": (_reactivate, STAFF_ACT),
    "propose an introduction": (_propose, STAFF_ACT),
    "suspend the reported": (_on_report("suspend"), STAFF_ACT),
    "close a report": (_on_report("close"), STAFF_ACT),
    "report an introduction": (
        _report(lambda w: f"/pairings/{w.pairing.id}/report"),
        PARTIES_REPORT,
    ),
    "report an entrepreneur": (
        _report(lambda w: f"/people/entrepreneurs/{w.people.amina.id}/report"),
        {**dict.fromkeys(LOGINS, OK), "amina": 403, "jean": 403, "admin": 403},
    ),
    "report a diaspora member": (
        _report(lambda w: f"/people/diaspora/{w.people.tesfaye.id}/report"),
        {**dict.fromkeys(LOGINS, OK), "tesfaye": 403, "jean": 403, "admin": 403},
    ),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_workspace_action_answers_each_role_and_changes_only_what_it_may(
    client: FlaskClient,
    db: Session,
    world: World,
    as_role: Callable[[str], None],
    role: str,
) -> None:
    as_role(role)
    wrong = []
    for name, (prepare, answers) in ACTIONS.items():
        url, fields, look = prepare(db, world)
        before = look()
        token = csrf_token_from(
            client.get("/login" if role == "anonymous" else "/").get_data(as_text=True)
        )
        got = _answer(client.post(url, data={"csrf_token": token, **fields}))
        db.expire_all()
        after = look()
        expected = answers[role] if role != "anonymous" else LOGIN
        if got != expected:
            wrong.append(f"{name}: {got}, expected {expected}")
        elif expected == OK and after == before:
            wrong.append(f"{name} answered OK but nothing changed")
        elif expected != OK and after != before:
            wrong.append(f"{name} was refused but changed {before!r} to {after!r}")
    assert wrong == []
