"""Learning data: suggestions shown and every decision are kept with the engine's score and
components; `flask matching export-decisions` writes them with no personal data."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.learning import HEADER
from mentormatch.models import MatchEvent
from mentormatch.pairings import contacts, service
from tests.builders import People
from tests.conftest import AuthActions
from tests.pairing_builders import request


def events(db: Session) -> list[MatchEvent]:
    db.expire_all()
    return list(db.scalars(select(MatchEvent).order_by(MatchEvent.id)))


def test_a_page_of_suggestions_is_kept_with_positions_scores_and_components(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    auth.login("amina@example.org")
    assert client.get("/matches?kind=coaching").status_code == 200
    shown = [e for e in events(db) if e.event == "shown"]
    assert shown, "the suggestions page recorded nothing"
    assert [e.position for e in shown] == list(range(1, len(shown) + 1))
    tesfaye = next(e for e in shown if e.diaspora_id == people.tesfaye.id)
    assert tesfaye.actor == "entrepreneur" and tesfaye.entrepreneur_id == people.amina.id
    assert 0 < tesfaye.score <= 1
    assert set(tesfaye.components) == {"entrepreneur", "diaspora"}
    assert "value_chain" in tesfaye.components["entrepreneur"]


def test_every_decision_is_kept_with_the_features_shown_before_it(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    auth.login("amina@example.org")
    client.get("/matches?kind=coaching")
    shown = next(e for e in events(db) if e.diaspora_id == people.tesfaye.id)
    pairing = request(db, people.amina.user, people.amina, people.tesfaye)
    service.accept(db, pairing, people.tesfaye.user)
    service.approve(db, pairing, people.jean)
    contacts.leave_feedback(db, pairing, people.amina.user, rating=4)
    db.commit()
    decisions = [e for e in events(db) if e.pairing_id == pairing.id]
    assert [(e.event, e.actor, e.value) for e in decisions] == [
        ("requested", "entrepreneur", None),
        ("accepted", "diaspora", None),
        ("approved", "coordinator", None),
        ("rated", "entrepreneur", "4"),
    ]
    assert all(e.components == shown.components for e in decisions)
    assert all(e.score == round(pairing.score, 4) for e in decisions)


def test_the_decision_export_has_no_names_emails_or_phones(
    client: FlaskClient, auth: AuthActions, runner: FlaskCliRunner, db: Session, people: People,
    tmp_path: Path,
) -> None:  # fmt: skip
    auth.login("amina@example.org")
    client.get("/matches?kind=coaching")
    pairing = request(db, people.amina.user, people.amina, people.tesfaye)
    service.decline(db, pairing, people.tesfaye.user, reason="no_time", note="Call me +12025550143")
    db.commit()
    out = tmp_path / "decisions.csv"

    result = runner.invoke(args=["matching", "export-decisions", str(out)])

    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == HEADER
    assert {r["event"] for r in rows} >= {"shown", "requested", "declined"}
    assert f"{len(rows)} events" in result.output
    personal = []
    for profile in (people.amina, people.tesfaye, people.fatou):
        user = profile.user
        personal += [user.full_name, user.email, profile.contact_phone, profile.display_name]
        personal += user.full_name.split()
    for value in filter(None, personal):
        assert value.lower() not in text.lower(), f"{value!r} is in the export"
    assert "Call me" not in text  # notes are free text: never exported
    declined = next(r for r in rows if r["event"] == "declined")
    assert declined["value"] == "no_time" and declined["entrepreneur_fit_value_chain"] != ""
    same_person = {r["entrepreneur"] for r in rows}
    assert len(same_person) == 1 and str(people.amina.id) not in same_person
