"""Safety: "Report a problem" on every introduction and profile page; every coordinator is
alerted at once (in the app and by email), the report heads the home page, the reported
account can be suspended while it is looked into, and everything is in the trail."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.models import (
    AccountEvent,
    Notification,
    OutboxEmail,
    PairingState,
    ReportState,
    ReviewStatus,
    Role,
    SafetyReport,
)
from mentormatch.pairings import service as service_pairings
from mentormatch.people.errors import ActionRefused, InvalidInput, MovedOn, NotAllowed
from mentormatch.safety import alerts, service
from tests import builders
from tests.builders import People
from tests.conftest import AuthActions, csrf_token_from
from tests.pairing_builders import another_entrepreneur, pairing_in_state, request
from tests.workspace_builders import money_report

S = PairingState


@pytest.fixture
def two_coordinators(db: Session, people: People) -> People:
    builders.make_user(db, Role.COORDINATOR, "Mariam Traoré", "mariam@example.org")
    db.commit()
    return people


def _alerts_for(db: Session, email: str) -> list[Notification]:
    return [
        n
        for n in db.scalars(select(Notification).order_by(Notification.id))
        if n.user.email == email and n.subject.startswith("Safety report")
    ]


def test_reporting_from_an_introduction_alerts_every_coordinator_at_once(
    client: FlaskClient, db: Session, auth: AuthActions, two_coordinators: People
) -> None:
    people = two_coordinators
    pairing = pairing_in_state(db, people, S.APPROVED)
    auth.login("amina@example.org")
    page = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    assert f"/pairings/{pairing.id}/report" in page and "Report a problem" in page
    form = client.get(f"/pairings/{pairing.id}/report").get_data(as_text=True)
    assert "You are reporting <strong><bdi>Tesfaye Bekele</bdi></strong>" in form
    response = client.post(
        f"/pairings/{pairing.id}/report",
        data={
            "csrf_token": csrf_token_from(form),
            "category": "money",
            "description": "He asked me for USD 200 first.",
        },
    )
    assert response.status_code == 302 and response.location.endswith(f"/pairings/{pairing.id}")
    report = db.scalars(select(SafetyReport)).one()
    assert (report.reporter_id, report.subject_id, report.pairing_id, report.category) == (
        people.amina.user_id,
        people.tesfaye.user_id,
        pairing.id,
        "money",
    )
    for email in ("jean@example.org", "mariam@example.org"):
        [alert] = _alerts_for(db, email)
        assert alert.subject == "Safety report: Tesfaye Bekele"
        assert "USD 200" in alert.body and f"/coordinator/reports/{report.id}" in alert.body
        assert db.scalars(
            select(OutboxEmail).where(
                OutboxEmail.to_address == email, OutboxEmail.notification_id == alert.id
            )
        ).one()
    # Nobody else hears of it; the reported person is not told who reported.
    assert not _alerts_for(db, "tesfaye@example.org") and not _alerts_for(db, "it@example.org")
    [event] = db.scalars(select(AccountEvent))
    assert (event.user_id, event.action, event.report_id) == (
        people.tesfaye.user_id,
        "report",
        report.id,
    )


def test_a_report_heads_the_coordinators_home_page(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    report = money_report(db, people)
    db.commit()
    auth.login("jean@example.org")
    html = client.get("/coordinator").get_data(as_text=True)
    heading = html.index("Safety reports to look into (1)")
    assert heading < html.index("waiting for review")
    assert f"/coordinator/reports/{report.id}" in html
    assert "<bdi>Tesfaye Bekele</bdi>: Asked me for money or a payment" in html


def test_closing_an_introduction_for_conduct_files_a_report(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.APPROVED)
    auth.login("tesfaye@example.org")
    html = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    prefix = f"close-{pairing.id}-"
    response = client.post(
        f"/pairings/{pairing.id}/close",
        data={
            "csrf_token": csrf_token_from(html),
            prefix + "version": str(pairing.version),
            prefix + "reason": "conduct",
            prefix + "note": "She kept insulting me on the phone.",
        },
    )
    assert response.status_code == 302
    report = db.scalars(select(SafetyReport)).one()
    assert (report.source, report.category, report.subject_id, report.reporter_id) == (
        "closure",
        "conduct",
        people.amina.user_id,
        people.tesfaye.user_id,
    )
    [alert] = _alerts_for(db, "jean@example.org")
    assert "Inappropriate conduct" in alert.body
    # A closure for another reason alerts nobody.
    kwame = another_entrepreneur(db, "Kwame Mensah", "kwame@example.org")
    other = request(db, kwame.user, kwame, people.tesfaye)
    service_pairings.accept(db, other, people.tesfaye.user)
    service_pairings.approve(db, other, people.jean)
    service_pairings.close(db, other, kwame.user, reason="not_working")
    db.commit()
    assert len(db.scalars(select(SafetyReport)).all()) == 1


def test_reporting_a_profile_from_its_page(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    auth.login("amina@example.org")
    page = client.get(f"/people/diaspora/{people.fatou.id}").get_data(as_text=True)
    url = f"/people/diaspora/{people.fatou.id}/report"
    assert url in page
    form = client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"csrf_token": csrf_token_from(form), "category": "other"})
    assert refused.status_code == 400
    assert "Say in a few words what happened." in refused.get_data(as_text=True)
    assert db.scalars(select(SafetyReport)).all() == []
    client.post(
        url,
        data={"csrf_token": csrf_token_from(form), "category": "fraud", "description": "Fake"},
    )
    assert db.scalars(select(SafetyReport)).one().subject_id == people.fatou.user_id
    # One's own profile has no report link, and cannot be reported by URL.
    own = client.get(f"/people/entrepreneurs/{people.amina.id}").get_data(as_text=True)
    assert "Report a problem" not in own
    assert client.get(f"/people/entrepreneurs/{people.amina.id}/report").status_code == 403


def _post(client: FlaskClient, report: SafetyReport, action: str, **fields: str) -> Any:
    html = client.get(f"/coordinator/reports/{report.id}").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(html), f"{action}-version": str(report.version)}
    data.update({f"{action}-{k}": v for k, v in fields.items()})
    return client.post(f"/coordinator/reports/{report.id}/{action}", data=data)


def test_suspending_the_reported_account_hides_it_until_the_report_is_closed(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    report = money_report(db, people)
    db.commit()
    auth.login("jean@example.org")
    response = _post(client, report, "suspend", private_note="Second complaint this month.")
    assert response.status_code == 302
    db.expire_all()
    assert people.tesfaye.review_status is ReviewStatus.SUSPENDED
    assert report.suspended_at is not None and report.state is ReportState.OPEN
    auth.logout()
    auth.login("amina@example.org")
    assert client.get(f"/people/diaspora/{people.tesfaye.id}").status_code == 404
    assert "Tesfaye Bekele" not in client.get("/matches").get_data(as_text=True)
    auth.logout()

    auth.login("jean@example.org")
    response = _post(
        client, report, "close", outcome="warned", message="We spoke to him; thank you."
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.expire_all()
    assert (report.state, report.outcome, report.handled_by_id) == (
        ReportState.CLOSED,
        "warned",
        people.jean.id,
    )
    assert people.tesfaye.review_status is ReviewStatus.APPROVED  # the suspension is lifted
    told = db.scalars(
        select(Notification).where(Notification.user_id == people.amina.user_id)
    ).all()[-1]
    assert told.subject == "Your report was looked into"
    assert "We spoke to him; thank you." in told.body
    trail = [
        e.action
        for e in db.scalars(
            select(AccountEvent)
            .where(AccountEvent.user_id == people.tesfaye.user_id)
            .order_by(AccountEvent.id)
        )
    ]
    assert trail == ["report", "suspend", "reinstate", "close_report"]


def test_closing_a_report_by_deactivating_the_account(db: Session, people: People) -> None:
    report = money_report(db, people)
    service.close_report(db, report, people.jean, outcome="deactivated")
    db.commit()
    assert not people.tesfaye.user.is_active
    assert report.state is ReportState.CLOSED


def test_a_stale_report_page_or_a_second_click_changes_nothing(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    report = money_report(db, people)
    db.commit()
    auth.login("jean@example.org")
    html = client.get(f"/coordinator/reports/{report.id}").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(html),
        "close-version": str(report.version),
        "close-outcome": "no_action",
    }
    assert client.post(f"/coordinator/reports/{report.id}/close", data=data).status_code == 302
    again = client.post(f"/coordinator/reports/{report.id}/close", data=data)
    assert again.status_code == 409
    suspend = client.post(
        f"/coordinator/reports/{report.id}/suspend",
        data={"csrf_token": data["csrf_token"], "suspend-version": data["close-version"]},
    )
    assert suspend.status_code == 409
    db.expire_all()
    assert people.tesfaye.review_status is ReviewStatus.APPROVED
    assert len(db.scalars(select(AccountEvent)).all()) == 2  # the report and its closing


def test_report_rules(db: Session, people: People) -> None:
    with pytest.raises(NotAllowed, match="yourself"):
        alerts.file_report(
            db, reporter=people.amina.user, subject=people.amina.user, category="spam"
        )
    with pytest.raises(InvalidInput, match="from the list"):
        alerts.file_report(
            db, reporter=people.amina.user, subject=people.tesfaye.user, category="x"
        )
    report = money_report(db, people)
    with pytest.raises(NotAllowed):
        service.close_report(db, report, people.amina.user, outcome="no_action")
    with pytest.raises(InvalidInput):
        service.close_report(db, report, people.jean, outcome="shrug")
    with pytest.raises(MovedOn):
        service.suspend_subject(db, report, people.jean, expected_version=report.version + 1)
    db.rollback()
    coordinator_report = money_report(db, people, subject=people.admin)
    with pytest.raises(ActionRefused, match="no profile to suspend"):
        service.suspend_subject(db, coordinator_report, people.jean)


def test_the_report_page_offers_what_can_be_done(
    app: Flask, client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    report = money_report(db, people)
    db.commit()
    auth.login("jean@example.org")
    html = client.get(f"/coordinator/reports/{report.id}").get_data(as_text=True)
    for text in (
        "Amina Bello",
        "He asked me to pay USD 200 before he would help.",
        "Suspend <bdi>Tesfaye Bekele</bdi>",
        "Close the report",
        "Message to the person who reported (optional; they will see it)",
    ):
        assert text in html


def test_a_suspended_profile_neither_sees_nor_shows_contact_details(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.APPROVED)
    report = money_report(db, people, pairing=pairing)
    service.suspend_subject(db, report, people.jean)
    db.commit()
    for login, secret in (
        ("tesfaye@example.org", "+2348031234567"),
        ("amina@example.org", "+12025550143"),
    ):
        auth.login(login)
        assert secret not in client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
        auth.logout()
    service.close_report(db, report, people.jean, outcome="no_action")
    db.commit()
    auth.login("amina@example.org")
    assert "+12025550143" in client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
