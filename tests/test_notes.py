"""Notes, explicit: wherever a coordinator decides, a message the people see (labelled so)
and a private note only coordinators see. Notes written before migrate as private."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command as alembic_command
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from mentormatch.cli import alembic_config
from mentormatch.db import make_engine
from mentormatch.models import Notification, PairingState
from mentormatch.pairings import service
from tests.builders import People
from tests.conftest import AuthActions, csrf_token_from
from tests.pairing_builders import pairing_in_state

S = PairingState
SHARED = "Meet in Kano in January, at the market."
PRIVATE = "Tesfaye was slow to answer last time; watch this one."


def _decide(client: FlaskClient, pairing: Any, action: str, **fields: str) -> Any:
    html = client.get(f"/coordinator/pairings/{pairing.id}").get_data(as_text=True)
    prefix = f"{action}-{pairing.id}-"
    data = {"csrf_token": csrf_token_from(html), prefix + "version": str(pairing.version)}
    data.update({prefix + k: v for k, v in fields.items()})
    return client.post(f"/pairings/{pairing.id}/{action}", data=data)


def test_the_review_labels_both_notes(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.ACCEPTED)
    auth.login("jean@example.org")
    html = client.get(f"/coordinator/pairings/{pairing.id}").get_data(as_text=True)
    assert "Message to both people (optional; they will see it)" in html
    assert "Private note (optional; only coordinators see it)" in html
    assert "Note for the record" not in html


def test_on_a_rejection_the_people_see_the_message_once_and_never_the_private_note(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.ACCEPTED)
    auth.login("jean@example.org")
    response = _decide(
        client, pairing, "reject", reason="poor_fit", note=SHARED, private_note=PRIVATE
    )
    assert response.status_code == 302
    coordinator_page = client.get(f"/coordinator/pairings/{pairing.id}").get_data(as_text=True)
    assert SHARED in coordinator_page and PRIVATE in coordinator_page
    auth.logout()
    for login, user_id in (
        ("amina@example.org", people.amina.user_id),
        ("tesfaye@example.org", people.tesfaye.user_id),
    ):
        auth.login(login)
        page = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
        assert PRIVATE not in page
        # Once in the summary ("Message from the coordinator"), once in the history.
        assert page.count(SHARED) == 2
        assert "Message from the coordinator" in page
        told = db.scalars(
            select(Notification).where(
                Notification.user_id == user_id, Notification.pairing_id == pairing.id
            )
        ).all()[-1]
        assert SHARED in told.body and PRIVATE not in told.body
        auth.logout()


def test_on_an_approval_the_private_note_stays_with_the_coordinators(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    pairing = pairing_in_state(db, people, S.ACCEPTED)
    service.approve(db, pairing, people.jean, note=SHARED, private_note=PRIVATE)
    db.commit()
    auth.login("amina@example.org")
    page = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    assert SHARED in page and PRIVATE not in page
    mail = " ".join(n.body for n in db.scalars(select(Notification)))
    assert PRIVATE not in mail


def test_parties_cannot_write_private_notes(db: Session, people: People) -> None:
    pairing = pairing_in_state(db, people, S.APPROVED)
    try:
        service.close(db, pairing, people.amina.user, reason="no_contact", private_note="x")
    except service.NotAllowed as refused:
        assert "Only coordinators" in refused.message
    else:  # pragma: no cover - the refusal is the point
        raise AssertionError("a party wrote a private note")


def test_a_profile_decision_has_a_message_the_person_sees_and_a_private_note(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    from tests.workspace_builders import waiting_mentor

    abebe = waiting_mentor(db)
    db.commit()
    auth.login("jean@example.org")
    html = client.get(f"/coordinator/people/{abebe.user_id}").get_data(as_text=True)
    assert "What should change (the person will see this)" in html
    assert "Private note (optional; only coordinators see it)" in html
    response = client.post(
        f"/coordinator/people/{abebe.user_id}/review/request_changes",
        data={
            "csrf_token": csrf_token_from(html),
            "request_changes-version": str(abebe.user.record_version),
            "request_changes-message": "Please add your languages.",
            "request_changes-private_note": "Profile looks copied from LinkedIn.",
        },
    )
    assert response.status_code == 302
    auth.logout()
    auth.login("abebe@example.org")
    mine = client.get("/profile").get_data(as_text=True)
    assert "Please add your languages." in mine and "LinkedIn" not in mine
    inbox = client.get("/notifications").get_data(as_text=True)
    assert "LinkedIn" not in inbox


def test_notes_written_before_migrate_as_private(tmp_path: Path) -> None:
    url = "sqlite:///" + str(tmp_path / "notes.sqlite3")
    config = alembic_config(url)
    alembic_command.upgrade(config, "0007_hardening")
    engine = make_engine(url)
    now = "2026-11-01 00:00:00+00:00"
    with engine.begin() as conn:
        for i, role in ((1, "entrepreneur"), (2, "diaspora"), (3, "coordinator")):
            conn.execute(
                text(
                    "INSERT INTO users (id, full_name, role, is_active, session_version, "
                    "created_at, updated_at) VALUES (:id, 'A', :role, 1, 1, :now, :now)"
                ),
                {"id": i, "role": role, "now": now},
            )
        conn.execute(
            text(
                "INSERT INTO entrepreneur_profiles (id, user_id, business_name, description, "
                "country_code, locality, region_source, stage, skills_needed_text, languages, "
                "seeking_investment, investment_instruments, is_returnee, is_women_led, "
                "is_youth_led, review_status, created_at, updated_at) VALUES (1, 1, 'Farm', '', "
                "'NG', '', 'unresolved', 'starting', '', '[]', 0, '[]', 0, 0, 0, 'approved', "
                ":now, :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO diaspora_profiles (id, user_id, headline, bio, residence_country, "
                "origin_regions, interest_regions, skills_offered_text, languages, "
                "preferred_stages, offers_coaching, mentee_capacity, hours_per_month, "
                "offers_investment, investment_instruments, review_status, created_at, "
                "updated_at) VALUES (1, 2, 'H', '', 'US', '[]', '[]', '', '[]', '[]', 1, 1, 1, "
                "0, '[]', 'pending', :now, :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO pairings (id, entrepreneur_id, diaspora_id, kind, state, "
                "requester_side, message, score, reasons, reason_code, reason_text, "
                "coordinator_note, created_at, state_changed_at, version) VALUES (1, 1, 1, "
                "'coaching', 'rejected', 'entrepreneur', 'Hello', 0.5, '[]', 'poor_fit', "
                "'Not a fit for coffee', 'Not a fit for coffee', :now, :now, 3)"
            ),
            {"now": now},
        )
        for i, (action, actor, note) in enumerate(
            [
                ("request", 1, "Hello"),
                ("accept", 2, "Happy to"),
                ("reject", 3, "Not a fit for coffee"),
            ],
            start=1,
        ):
            conn.execute(
                text(
                    "INSERT INTO pairing_events (id, pairing_id, action, to_state, actor_id, "
                    "automatic, note, created_at) VALUES (:id, 1, :action, 'requested', :actor, "
                    "0, :note, :now)"
                ),
                {"id": i, "action": action, "actor": actor, "note": note, "now": now},
            )
    alembic_command.upgrade(config, "0010_workspace")
    with engine.connect() as conn:
        events = conn.execute(
            text("SELECT action, note, private_note FROM pairing_events ORDER BY id")
        ).all()
        pairing = conn.execute(text("SELECT reason_text, coordinator_note FROM pairings")).one()
        submitted = conn.execute(
            text(
                "SELECT (SELECT submitted_at FROM entrepreneur_profiles), "
                "(SELECT submitted_at FROM diaspora_profiles)"
            )
        ).one()
    engine.dispose()
    # The parties' own words stay shared; the coordinator's becomes private.
    assert [tuple(e) for e in events] == [
        ("request", "Hello", ""),
        ("accept", "Happy to", ""),
        ("reject", "", "Not a fit for coffee"),
    ]
    assert tuple(pairing) == ("", "Not a fit for coffee")
    # An approved profile counts as already reviewed; an unfinished one is sent later.
    assert submitted[0] is not None and submitted[1] is None
