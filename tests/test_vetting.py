"""Profile vetting: self-registered profiles wait for a coordinator, unseen by anyone else.

Abebe signed up as a coffee mentor and finished his profile; Hauwa keeps poultry near Kano
and finished hers. Until Jean approves them, nobody but themselves and the coordinators
sees them anywhere: suggestions, public pages, the request form, requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.matches import service as matches
from mentormatch.models import (
    AccountEvent,
    DiasporaProfile,
    Notification,
    Pairing,
    ReviewStatus,
    Role,
)
from mentormatch.people import vetting
from mentormatch.people.errors import ActionRefused, InvalidInput, MovedOn, NotAllowed
from tests import builders
from tests.builders import People
from tests.conftest import AuthActions, csrf_token_from
from tests.test_profiles import DIASPORA_ANSWERS, fill_steps
from tests.workspace_builders import waiting_entrepreneur, waiting_mentor

R = ReviewStatus


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    matches.clear_cache()
    yield
    matches.clear_cache()


@pytest.fixture
def waiting(db: Session, people: People) -> tuple[DiasporaProfile, Any]:
    """Abebe (coffee mentor, like Tesfaye) and Hauwa (poultry near Kano, like Amina), both
    finished and waiting for review."""
    abebe = waiting_mentor(db)
    hauwa = waiting_entrepreneur(db)
    db.commit()
    return abebe, hauwa


def _get(client: FlaskClient, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def test_a_finished_self_registered_profile_waits_for_review_and_is_in_the_trail(
    client: FlaskClient, db: Session, auth: AuthActions, post_form: Any, people: People
) -> None:
    builders.make_user(db, Role.DIASPORA, "Wanjiru Kamau", "wanjiru@example.org")
    db.commit()
    auth.login("wanjiru@example.org")
    fill_steps(post_form, DIASPORA_ANSWERS)
    profile = db.scalars(select(DiasporaProfile).where(DiasporaProfile.headline.like("Dairy%")))
    wanjiru = profile.one()
    assert wanjiru.review_status is R.PENDING and wanjiru.submitted_at is not None
    assert [e.action for e in db.scalars(select(AccountEvent))] == ["submit"]
    assert "A programme coordinator will check your profile" in client.get("/profile").get_data(
        as_text=True
    )
    # She is in the coordinators' queue.
    auth.logout()
    auth.login("jean@example.org")
    status, html = _get(client, "/coordinator/vetting")
    assert status == 200 and "1 finished profile waiting" in html and "Wanjiru Kamau" in html


def test_a_waiting_profile_appears_nowhere_another_person_can_see_even_by_url(
    client: FlaskClient, db: Session, auth: AuthActions, people: People, waiting: Any
) -> None:
    abebe, hauwa = waiting
    pages_about_abebe = {
        f"/people/diaspora/{abebe.id}": 404,
        f"/introductions/new?diaspora_id={abebe.id}&kind=coaching": 404,
        f"/people/diaspora/{abebe.id}/report": 404,
    }
    pages_about_hauwa = {
        f"/people/entrepreneurs/{hauwa.id}": 404,
        f"/introductions/new?entrepreneur_id={hauwa.id}&kind=coaching": 404,
        f"/people/entrepreneurs/{hauwa.id}/report": 404,
    }
    for login, pages in (
        ("amina@example.org", pages_about_abebe),
        ("tesfaye@example.org", pages_about_hauwa),
        ("fatou@example.org", {f"/people/diaspora/{abebe.id}": 404}),
    ):
        auth.login(login)
        for url, expected in pages.items():
            status, html = _get(client, url)
            assert status == expected, (login, url)
            assert "Abebe Girma" not in html and "Hauwa" not in html, (login, url)
        # Not among the suggestions, of either kind.
        for kind in ("coaching", "investment"):
            html = _get(client, f"/matches?kind={kind}")[1]
            assert "Abebe Girma" not in html and "Hauwa" not in html
        auth.logout()
    # Nor can anyone ask for an introduction with them by posting the form by hand.
    auth.login("amina@example.org")
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post(
        "/introductions/new",
        data={
            "csrf_token": token,
            "entrepreneur_id": people.amina.id,
            "diaspora_id": abebe.id,
            "kind": "coaching",
        },
    )
    assert response.status_code == 404
    assert db.scalars(select(Pairing)).all() == []


def test_the_owner_and_the_coordinators_see_a_waiting_profile(
    client: FlaskClient, auth: AuthActions, people: People, waiting: Any
) -> None:
    abebe, _ = waiting
    auth.login("abebe@example.org")
    status, html = _get(client, f"/people/diaspora/{abebe.id}")
    assert status == 200 and "Abebe Girma" in html
    html = _get(client, "/matches")[1]
    assert "waiting for a coordinator" in html and "Amina Poultry" not in html
    # He cannot ask for introductions yet, and is told why.
    status, html = _get(client, f"/introductions/new?entrepreneur_id={people.amina.id}")
    assert status == 200 and "waiting for a coordinator" in html and "Send request" not in html
    auth.logout()
    for login in ("jean@example.org", "it@example.org"):
        auth.login(login)
        assert _get(client, f"/people/diaspora/{abebe.id}")[0] == 200
        assert "Abebe Girma" in _get(client, f"/coordinator/people/{abebe.user_id}")[1]
        auth.logout()


def _decide(client: FlaskClient, user_id: int, action: str, **fields: str) -> Any:
    html = client.get(f"/coordinator/people/{user_id}").get_data(as_text=True)
    version = fields.pop("version", None)
    if version is None:
        match = html.split(f'name="{action}-version"')[1].split('value="')[1]
        version = match.split('"')[0]
    data = {"csrf_token": csrf_token_from(html), f"{action}-version": version}
    data.update({f"{action}-{k}": v for k, v in fields.items()})
    return client.post(f"/coordinator/people/{user_id}/review/{action}", data=data)


def test_approving_makes_the_profile_visible_and_tells_the_person(
    client: FlaskClient, db: Session, auth: AuthActions, people: People, waiting: Any
) -> None:
    abebe, _ = waiting
    auth.login("jean@example.org")
    response = _decide(
        client,
        abebe.user_id,
        "approve",
        message="Welcome! Your coffee experience is just what we need.",
        private_note="Called him; references fine.",
    )
    assert response.status_code == 302
    db.expire_all()
    assert abebe.review_status is R.APPROVED
    told = db.scalars(select(Notification).where(Notification.user_id == abebe.user_id)).one()
    assert told.subject == "Your profile is approved"
    assert "Your coffee experience is just what we need." in told.body
    assert "references" not in told.body
    [event] = db.scalars(select(AccountEvent).where(AccountEvent.action == "approve"))
    assert (event.actor_id, event.from_status, event.to_status) == (
        people.jean.id,
        "pending",
        "approved",
    )
    assert event.private_note == "Called him; references fine."
    auth.logout()
    auth.login("amina@example.org")
    assert _get(client, f"/people/diaspora/{abebe.id}")[0] == 200
    assert "Abebe Girma" in _get(client, "/matches")[1]


def test_asking_for_changes_shows_the_message_and_the_next_save_sends_it_again(
    client: FlaskClient, db: Session, auth: AuthActions, post_form: Any, people: People,
    waiting: Any,
) -> None:  # fmt: skip
    abebe, _ = waiting
    auth.login("jean@example.org")
    refused = _decide(client, abebe.user_id, "request_changes", message="")
    assert refused.status_code == 400
    assert "Say what should change" in refused.get_data(as_text=True)
    db.expire_all()
    assert abebe.review_status is R.PENDING
    _decide(client, abebe.user_id, "request_changes", message="Add the regions you support.")
    db.expire_all()
    assert abebe.review_status is R.CHANGES_REQUESTED
    auth.logout()

    auth.login("abebe@example.org")
    mine = _get(client, "/profile")[1]
    assert "asks you to change your profile" in mine
    assert "Add the regions you support." in mine
    response = post_form(
        "/profile/edit/roots?from=profile",
        {"origin_regions": ["ET-OR"], "interest_regions": ["ET-OR", "ET-SN"]},
    )
    assert response.status_code == 302
    db.expire_all()
    assert abebe.review_status is R.PENDING
    actions = [e.action for e in db.scalars(select(AccountEvent).order_by(AccountEvent.id))]
    assert actions == ["request_changes", "resubmit"]


def test_rejecting_keeps_the_profile_hidden_and_tells_the_person_why(
    client: FlaskClient, db: Session, auth: AuthActions, people: People, waiting: Any
) -> None:
    _, hauwa = waiting
    auth.login("jean@example.org")
    _decide(client, hauwa.user_id, "reject", message="This programme is for Ethiopia only.")
    db.expire_all()
    assert hauwa.review_status is R.REJECTED
    auth.logout()
    auth.login("hauwa@example.org")
    mine = _get(client, "/profile")[1]
    assert "not accepted" in mine and "This programme is for Ethiopia only." in mine
    auth.logout()
    auth.login("tesfaye@example.org")
    assert _get(client, f"/people/entrepreneurs/{hauwa.id}")[0] == 404


def test_a_decision_on_a_stale_page_or_a_second_click_changes_nothing(
    client: FlaskClient, db: Session, auth: AuthActions, people: People, waiting: Any
) -> None:
    abebe, _ = waiting
    auth.login("jean@example.org")
    html = client.get(f"/coordinator/people/{abebe.user_id}").get_data(as_text=True)
    token = csrf_token_from(html)
    version = str(abebe.user.record_version)
    first = client.post(
        f"/coordinator/people/{abebe.user_id}/review/approve",
        data={"csrf_token": token, "approve-version": version},
    )
    assert first.status_code == 302
    # The same page, posted again (a double click), or another decision from it.
    for action in ("approve", "reject"):
        again = client.post(
            f"/coordinator/people/{abebe.user_id}/review/{action}",
            data={"csrf_token": token, f"{action}-version": version},
        )
        assert again.status_code == 409
        assert "changed while you were looking at it" in again.get_data(as_text=True)
    db.expire_all()
    assert abebe.review_status is R.APPROVED
    assert len(db.scalars(select(AccountEvent)).all()) == 1


def test_decisions_follow_the_table_and_only_coordinators_take_them(
    db: Session, people: People, waiting: Any
) -> None:
    abebe, hauwa = waiting
    with pytest.raises(NotAllowed):
        vetting.decide(db, abebe, people.amina.user, "approve")
    with pytest.raises(InvalidInput, match="Say what should change"):
        vetting.decide(db, abebe, people.jean, "request_changes")
    with pytest.raises(ActionRefused, match="“Lift the suspension” is not possible"):
        vetting.decide(db, abebe, people.jean, "reinstate")
    with pytest.raises(MovedOn):
        vetting.decide(db, hauwa, people.jean, "approve", expected_version=99)
    db.rollback()
    # An unfinished profile can be suspended but not judged.
    kebede = builders.make_diaspora(
        db, full_name="Kebede Alemu", email="kebede@example.org", review_status=R.PENDING
    )
    assert [d.action for d in vetting.decisions_for(kebede)] == ["suspend"]
    assert {d.action for d in vetting.decisions_for(abebe)} == {
        "approve",
        "request_changes",
        "reject",
        "suspend",
    }


def test_a_member_who_starts_offering_investment_is_vetted_again(
    client: FlaskClient, db: Session, auth: AuthActions, post_form: Any, people: People
) -> None:
    assert people.tesfaye.review_status is R.APPROVED and not people.tesfaye.offers_investment
    auth.login("tesfaye@example.org")
    offers = {
        "offers_coaching": "y",
        "mentee_capacity": "2",
        "hours_per_month": "6",
        "offers_investment": "y",
        "ticket_min": "1000",
        "ticket_max": "5000",
        "ticket_currency": "USD",
        "investment_instruments": ["loan"],
    }
    assert post_form("/profile/edit/offers?from=profile", offers).status_code == 302
    db.expire_all()
    assert people.tesfaye.review_status is R.PENDING
    [event] = db.scalars(select(AccountEvent))
    assert (event.action, event.reason_code) == ("submit", "offers_investment")
    # Other edits of an approved profile do not send it back.
    auth.logout()
    auth.login("fatou@example.org")
    fatou_offers = {
        "offers_investment": "y",
        "ticket_min": "3000",
        "ticket_max": "20000",
        "ticket_currency": "EUR",
        "investment_instruments": ["loan"],
        "mentee_capacity": "0",
        "hours_per_month": "0",
    }
    assert post_form("/profile/edit/offers?from=profile", fatou_offers).status_code == 302
    db.expire_all()
    assert people.fatou.review_status is R.APPROVED


def test_an_import_takes_the_status_the_importer_chose(db: Session, people: People) -> None:
    from mentormatch.importer import import_profiles

    rows = (
        "full_name,business_name,country,region,value_chains,languages,phone\n"
        "Bola Ade,Bola Farms,NG,NG-OY,cassava,yor;eng,+2348031111111\n"
    ).replace("cassava", "roots_tubers")
    result = import_profiles(db, rows.encode(), registered_by=people.jean, review_status=R.PENDING)
    assert result.ok and result.created == 1
    db.flush()
    event = db.scalars(select(AccountEvent)).one()
    assert (event.action, event.to_status, event.actor_id) == (
        "registered",
        "pending",
        people.jean.id,
    )
    assert event.user.entrepreneur_profile.review_status is R.PENDING
