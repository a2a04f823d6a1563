"""Every route of assisted registration, claiming, import and export, tried by every role.

Moussa (field officer) registered Hauwa: he owns her registration; Awa (another field
officer) does not. Amina (entrepreneur) and Tesfaye (diaspora) own nothing here; Jean
coordinates; the administrator can do what Jean does.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentormatch.models import (
    ConsentMethod,
    ExportLog,
    ImportJob,
    ImportState,
    ReviewStatus,
    Role,
    User,
)
from mentormatch.registration import service
from mentormatch.transfers import jobs
from tests.builders import People, make_user
from tests.conftest import AuthActions, csrf_token_from
from tests.test_importer import csv_bytes, entrepreneur
from tests.test_registration import HAUWA

ROLES = ["anonymous", "amina", "tesfaye", "jean", "admin", "moussa", "awa"]
LOGINS = {
    "amina": "amina@example.org",
    "tesfaye": "tesfaye@example.org",
    "jean": "jean@example.org",
    "admin": "it@example.org",
    "moussa": "moussa@example.org",
    "awa": "awa@example.org",
}
LOGIN = "login"
OK, SEE = 302, 200
STAFF = {"jean", "admin"}
REGISTRARS = STAFF | {"moussa", "awa"}


def only(allowed: set[str], answer: int) -> dict[str, int]:
    return {role: (answer if role in allowed else 403) for role in LOGINS}


# The answer of each page to each role, written from the brief.
GET_PAGES: dict[str, dict[str, Any]] = {
    "/coordinator/register": only(REGISTRARS, SEE),
    "/coordinator/registrations": only(REGISTRARS, SEE),
    "/coordinator/registrations/{hauwa}/edit": only(STAFF | {"moussa"}, SEE),
    "/coordinator/field-officers": only(STAFF, SEE),
    "/coordinator/import": only(STAFF, SEE),
    "/coordinator/imports/{job}": only(STAFF, SEE),
    "/coordinator/imports/{job}/problems.csv": only(STAFF, SEE),
    "/coordinator/export": only(STAFF, SEE),
    "/coordinator/export/people.csv": only(STAFF, SEE),
    "/coordinator/export/people.xlsx": only(STAFF, SEE),
    "/coordinator/export/pairings.csv": only(STAFF, SEE),
    "/coordinator/export/pairings.xlsx": only(STAFF, SEE),
}
# Claiming is for people who cannot log in yet: logged-in people are sent home.
CLAIM_PAGES = {"/claim": dict.fromkeys(LOGINS, OK), "/claim/code": dict.fromkeys(LOGINS, OK)}


def _answer(response: Any) -> int | str:
    if response.status_code == 302 and "/login" in response.location:
        return LOGIN
    return int(response.status_code)


@pytest.fixture
def world(db: Session, people: People) -> dict[str, int]:
    """Moussa and Awa, Hauwa registered by Moussa, and a checked import."""
    moussa = make_user(db, Role.FIELD_OFFICER, "Moussa Traoré", "moussa@example.org")
    make_user(db, Role.FIELD_OFFICER, "Awa Keita", "awa@example.org")
    hauwa = service.register_entrepreneur(
        db,
        moussa,
        HAUWA,
        service.Consent(["register", "share"], ConsentMethod.SPOKEN),
    )
    job = jobs.store_upload(
        db, people.jean, "survey.csv", csv_bytes(entrepreneur(1)), None, ReviewStatus.APPROVED
    )
    db.commit()
    jobs.run_next(db)
    db.commit()
    return {"hauwa": hauwa.id, "job": job.id}


@pytest.fixture
def as_role(client: FlaskClient, auth: AuthActions, world: dict[str, int]) -> Callable[[str], None]:
    current: list[str] = []

    def switch(role: str) -> None:
        if current and current[-1] != "anonymous":
            auth.logout()
        if role != "anonymous":
            assert auth.login(LOGINS[role]).status_code == 302
        current.append(role)

    return switch


@pytest.mark.parametrize("role", ROLES)
def test_every_intake_page_answers_each_role_as_expected(
    client: FlaskClient, world: dict[str, int], as_role: Callable[[str], None], role: str
) -> None:
    as_role(role)
    wrong = []
    for template, answers in {**GET_PAGES, **CLAIM_PAGES}.items():
        url = template.format(**world)
        if template in CLAIM_PAGES:
            expected: int | str = SEE if role == "anonymous" else answers[role]
        else:
            expected = LOGIN if role == "anonymous" else answers[role]
        got = _answer(client.get(url))
        if got != expected:
            wrong.append(f"GET {url}: {got}, expected {expected}")
    assert wrong == []


def _token(client: FlaskClient, role: str) -> str:
    page = "/login" if role == "anonymous" else "/"
    return csrf_token_from(client.get(page).get_data(as_text=True))


def _count(db: Session, model: Any, *where: Any) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


@pytest.mark.parametrize("role", ROLES)
def test_every_intake_action_answers_each_role_and_changes_only_what_it_may(
    client: FlaskClient,
    db: Session,
    world: dict[str, int],
    as_role: Callable[[str], None],
    role: str,
) -> None:
    as_role(role)
    wrong = []

    def check(what: str, expected: int | str, got: int | str, changed: bool) -> None:
        if got != expected:
            wrong.append(f"{what}: {got}, expected {expected}")
        elif changed != (expected == OK):
            wrong.append(f"{what}: answered {got} but changed={changed}")

    expected_of = lambda allowed: LOGIN if role == "anonymous" else (OK if role in allowed else 403)  # noqa: E731

    # Register a farmer.
    before = _count(db, User)
    data = {
        **HAUWA,
        "full_name": "Zainab Idris",
        "phone": "0803 555 0177",
        "csrf_token": _token(client, role),
    }
    got = _answer(client.post("/coordinator/register", data=data))
    check("register", expected_of(REGISTRARS), got, _count(db, User) > before)

    # Edit Hauwa (Moussa registered her; Awa did not).
    edit = f"/coordinator/registrations/{world['hauwa']}/edit"
    data = {**HAUWA, "business_name": f"Renamed by {role}", "csrf_token": _token(client, role)}
    got = _answer(client.post(edit, data=data))
    renamed = _count(db, User, User.id == world["hauwa"]) and db.get(User, world["hauwa"])
    assert isinstance(renamed, User)
    changed = renamed.entrepreneur_profile.business_name == f"Renamed by {role}"  # type: ignore[union-attr]
    check("edit a registration", expected_of(STAFF | {"moussa"}), got, changed)

    # Add a field officer.
    before = _count(db, User, User.role == Role.FIELD_OFFICER)
    data = {
        "full_name": f"Officer of {role}",
        "email": f"officer-{role}@example.org",
        "csrf_token": _token(client, role),
    }
    got = _answer(client.post("/coordinator/field-officers", data=data))
    check(
        "add a field officer",
        expected_of(STAFF),
        got,
        _count(db, User, User.role == Role.FIELD_OFFICER) > before,
    )

    # Upload a file.
    before = _count(db, ImportJob)
    data = {
        "csrf_token": _token(client, role),
        "kind": "",
        "review_status": "approved",
        "file": (io.BytesIO(csv_bytes(entrepreneur(5))), "survey.csv"),
    }
    got = _answer(client.post("/coordinator/import", data=data, content_type="multipart/form-data"))
    check("upload", expected_of(STAFF), got, _count(db, ImportJob) > before)

    # Confirm, then discard, the checked import (put back after each success).
    job_url = f"/coordinator/imports/{world['job']}"
    got = _answer(
        client.post(job_url + "/confirm", data={"rows": "all", "csrf_token": _token(client, role)})
    )
    job = db.get(ImportJob, world["job"])
    assert job is not None
    check("confirm an import", expected_of(STAFF), got, job.state is ImportState.CONFIRMED)
    job.state = ImportState.CHECKED
    db.commit()
    got = _answer(client.post(job_url + "/discard", data={"csrf_token": _token(client, role)}))
    db.expire_all()
    job = db.get(ImportJob, world["job"])
    assert job is not None
    check("discard an import", expected_of(STAFF), got, job.state is ImportState.DISCARDED)
    job.state, job.content = ImportState.CHECKED, csv_bytes(entrepreneur(1))
    db.commit()

    # Exports are logged only when they are made.
    before = _count(db, ExportLog)
    got = _answer(client.get("/coordinator/export/people.csv"))
    made = _count(db, ExportLog) > before
    expected = LOGIN if role == "anonymous" else (SEE if role in STAFF else 403)
    if got != expected or made != (expected == SEE):
        wrong.append(f"export: {got} (logged: {made}), expected {expected}")
    assert wrong == []
