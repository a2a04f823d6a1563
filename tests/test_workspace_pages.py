"""The coordinator's workspace: what needs action today, people, every pairing, a person's
page and proposing an introduction from their suggestions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.matches import service as matches
from mentormatch.models import Notification, Pairing, PairingEvent, PairingState, ReviewStatus
from mentormatch.pairings import contacts, service
from tests import builders
from tests.builders import People
from tests.conftest import AuthActions, csrf_token_from
from tests.pairing_builders import another_entrepreneur, pairing_in_state, request
from tests.workspace_builders import money_report, waiting_entrepreneur, waiting_mentor

S = PairingState
MAX_PAGE_BYTES = 60_000


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    matches.clear_cache()
    yield
    matches.clear_cache()


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "PER_PAGE": 3}


def _page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    assert len(response.data) <= MAX_PAGE_BYTES, (url, len(response.data))
    return response.get_data(as_text=True)


def _count(html: str, words: str) -> int:
    found = re.search(r'<span class="count">(\d+)</span> ' + words, html)
    assert found, words
    return int(found.group(1))


def test_home_counts_what_needs_action_and_links_each_to_its_list(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    waiting_mentor(db)
    waiting_entrepreneur(db)
    builders.make_entrepreneur(  # unfinished: not counted
        db,
        full_name="Musa Bala",
        email="musa@example.org",
        business_name="M",
        review_status=ReviewStatus.PENDING,
    )
    pairing_in_state(db, people, S.ACCEPTED)
    kwame = another_entrepreneur(db, "Kwame Mensah", "kwame@example.org")
    soon = request(db, kwame.user, kwame, people.fatou, kind="investment")
    soon.expires_at = utcnow() + timedelta(days=2)
    money_report(db, people)
    db.commit()
    auth.login("jean@example.org")
    html = _page(client, "/coordinator")
    assert _count(html, "profiles waiting for review") == 2
    assert _count(html, "introduction waiting for approval") == 1
    assert _count(html, "request about to expire") == 1
    assert _count(html, "safety report open") == 1
    assert _count(html, "coaching requests waiting") == 0
    for link in (
        "/coordinator/vetting",
        "/coordinator/approvals",
        "/coordinator/pairings?attention=expiring",
        "/coordinator/pairings?attention=full",
        "/coordinator/reports",
    ):
        assert f'href="{link}"' in html, link
    expiring = _page(client, "/coordinator/pairings?attention=expiring")
    assert f"/coordinator/pairings/{soon.id}" in expiring and "1 pairing," in expiring


def test_people_are_searched_by_name_business_email_and_phone(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    auth.login("jean@example.org")
    for search, found, not_found in (
        ("amina", "Amina Bello", "Tesfaye Bekele"),
        ("POULTRY", "Amina Bello", "Fatou Diop"),
        ("tesfaye.coffee", None, None),
        ("fatou@example", "Fatou Diop", "Amina Bello"),
        ("803 123", "Amina Bello", "Tesfaye Bekele"),
    ):
        html = _page(client, f"/coordinator/people?q={search}")
        if found:
            assert found in html and not_found not in html, search
    assert "Nobody matches this search" in _page(client, "/coordinator/people?q=zzz")


def test_people_filters(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    waiting_mentor(db)
    another_entrepreneur(
        db, "Kwame Mensah", "kwame@example.org", country_code="GH", is_returnee=False,
        is_women_led=False,
    )  # fmt: skip
    db.commit()
    auth.login("jean@example.org")

    def names(query: str) -> set[str]:
        html = _page(client, "/coordinator/people?" + query)
        return set(re.findall(r'/coordinator/people/\d+">([^<]+)</a>', html))

    assert names("role=entrepreneur") == {"Amina Bello", "Kwame Mensah"}
    assert names("role=mentor") == {"Tesfaye Bekele", "Abebe Girma"}
    assert names("role=investor") == {"Fatou Diop"}
    assert names("status=waiting") == {"Abebe Girma"}
    assert names("country=GH") == {"Kwame Mensah"}
    assert names("country=ET") == {"Tesfaye Bekele", "Abebe Girma"}  # they come from Oromia
    assert names("country=NG&region=NG-KN") == {"Amina Bello"}
    assert names("value_chain=coffee") == {"Tesfaye Bekele", "Abebe Girma"}
    assert names("returnee=y&role=entrepreneur") == {"Amina Bello"}
    assert names("women_led=y&youth_led=y") == {"Amina Bello"}
    pairing_in_state(db, people, S.APPROVED)
    people.tesfaye.mentee_capacity = 1
    db.commit()
    assert names("capacity_left=y") == {"Abebe Girma"}
    bad = client.get("/coordinator/people?status=asleep")
    assert bad.status_code == 400 and "Choose a status from the list." in bad.get_data(as_text=True)
    assert "Amina Bello" not in bad.get_data(as_text=True)


def test_people_are_listed_in_pages(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    auth.login("jean@example.org")
    first = _page(client, "/coordinator/people?role=entrepreneur")
    assert "1 person found" in first
    for i in range(4):
        another_entrepreneur(db, f"Kojo {i}", f"kojo{i}@example.org")
    db.commit()
    first = _page(client, "/coordinator/people?role=entrepreneur")
    assert "5 people found" in first and "Page 1 of 2" in first
    assert "role=entrepreneur" in first.split('rel="next"')[1].split(">")[0]


def test_every_pairing_in_any_state_with_filters(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    declined = pairing_in_state(db, people, S.DECLINED)
    kwame = another_entrepreneur(db, "Kwame Mensah", "kwame@example.org", country_code="GH")
    approved = request(db, kwame.user, kwame, people.tesfaye)
    service.accept(db, approved, people.tesfaye.user)
    service.approve(db, approved, people.admin)
    old = request(db, people.amina.user, people.amina, people.fatou, kind="investment")
    old.created_at = utcnow() - timedelta(days=60)
    db.commit()
    auth.login("jean@example.org")

    def listed(query: str = "") -> set[int]:
        html = _page(client, "/coordinator/pairings?" + query)
        return {int(i) for i in re.findall(r'href="/coordinator/pairings/(\d+)"', html)}

    assert listed() == {declined.id, approved.id, old.id}
    assert listed("state=declined") == {declined.id}
    assert listed("kind=investment") == {old.id}
    assert listed("country=GH") == {approved.id}
    assert listed("value_chain=poultry") == {declined.id, approved.id, old.id}
    assert listed(f"coordinator={people.admin.id}") == {approved.id}
    since = (utcnow() - timedelta(days=7)).date().isoformat()
    assert listed(f"since={since}") == {declined.id, approved.id}
    until = (utcnow() - timedelta(days=30)).date().isoformat()
    assert listed(f"until={until}") == {old.id}
    bad = client.get(f"/coordinator/pairings?since={since}&until={until}")
    assert bad.status_code == 400
    assert "The end of the period must come after its start." in bad.get_data(as_text=True)


def test_the_pairing_page_shows_history_notes_and_ratings(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.ACCEPTED)
    service.approve(db, pairing, people.jean, note="Enjoy.", private_note="Checked.")
    contacts.leave_feedback(db, pairing, people.amina.user, rating=5, comment="Very useful")
    db.commit()
    auth.login("it@example.org")
    html = _page(client, f"/coordinator/pairings/{pairing.id}")
    for text in ("Enjoy.", "Checked.", "5 out of 5 by <bdi>Amina Bello</bdi>", "Very useful"):
        assert text in html, text
    assert "Mark as completed" in html and "Close introduction" in html


def test_a_persons_page_shows_profile_suggestions_pairings_ratings_and_history(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    done = pairing_in_state(db, people, S.COMPLETED)
    contacts.leave_feedback(db, done, people.tesfaye.user, rating=4, comment="Keen learner")
    musa = builders.make_diaspora(
        db,
        full_name="Musa Abdullahi",
        email="musa@example.org",
        value_chains=("poultry",),
        skills_offered=("bookkeeping",),
        origin_regions=["NG-KN"],
        interest_regions=["NG-KN"],
        languages=["hau", "eng"],
    )
    db.commit()
    auth.login("jean@example.org")
    html = _page(client, f"/coordinator/people/{people.amina.user_id}")
    for text in (
        "<h1>Amina Bello</h1>",
        "Amina Poultry",
        "Dawakin Kudu",
        "Musa Abdullahi",
        f"/coordinator/people/{people.amina.user_id}/propose?kind=coaching&amp;with={musa.id}",
        f"/coordinator/pairings/{done.id}",
        "4 out of 5 by <bdi>Tesfaye Bekele</bdi>",
        "Keen learner",
        "Deactivate the account",
    ):
        assert text in html, text
    # No contact details: those come with an approved introduction only.
    assert "+2348031234567" not in html and "amina@example.org" not in html


def test_a_coordinator_proposes_an_introduction_from_a_persons_suggestions(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    auth.login("jean@example.org")
    url = (
        f"/coordinator/people/{people.amina.user_id}/propose?with={people.tesfaye.id}&kind=coaching"
    )
    form = _page(client, url)
    assert "Propose the introduction" in form and "Tesfaye Bekele" in form
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token_from(form),
            "message": "Tesfaye knows export paperwork well.",
            "private_note": "Amina asked me by phone.",
        },
    )
    assert response.status_code == 302
    pairing = db.scalars(select(Pairing)).one()
    assert (pairing.state, pairing.requester_side, pairing.requested_by_id) == (
        S.REQUESTED,
        "entrepreneur",
        people.jean.id,
    )
    event = db.scalars(select(PairingEvent)).one()
    assert (event.action, event.private_note) == ("propose", "Amina asked me by phone.")
    told = {n.user_id: n for n in db.scalars(select(Notification))}
    assert "accept or decline" in told[people.tesfaye.user_id].body
    assert "Tesfaye knows export paperwork well." in told[people.amina.user_id].body
    assert "by phone" not in told[people.amina.user_id].body
    # Tesfaye answers as any request; Amina may withdraw it.
    db.expire_all()
    service.accept(db, pairing, people.tesfaye.user)
    db.commit()
    assert pairing.state is S.ACCEPTED
    # Proposing the same pair again is refused with the reason.
    again = client.post(url, data={"csrf_token": csrf_token_from(form)})
    assert again.status_code == 409
    assert "already an open coaching introduction" in again.get_data(as_text=True)


def test_proposing_with_someone_not_public_is_not_found(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    abebe = waiting_mentor(db)
    db.commit()
    auth.login("jean@example.org")
    url = f"/coordinator/people/{people.amina.user_id}/propose?with={abebe.id}&kind=coaching"
    assert client.get(url).status_code == 404


def test_notifications_are_grammatical_and_investors_land_on_investment(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    pairing = request(db, people.amina.user, people.amina, people.fatou, kind="investment")
    db.commit()
    told = db.scalars(select(Notification)).one()
    assert told.subject == "Amina Bello asks for an investment introduction"
    assert "would like an investment introduction with you" in told.body
    service.accept(db, pairing, people.fatou.user)
    db.commit()
    bodies = " ".join(n.body for n in db.scalars(select(Notification)))
    assert "a investment" not in bodies and "an investment introduction" in bodies
    auth.login("fatou@example.org")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/matches?kind=investment"' in home
    html = client.get("/matches").get_data(as_text=True)
    assert "<h1>Ventures you could invest in</h1>" in html
