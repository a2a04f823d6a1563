"""The suite really runs on the database DATABASE_URL names, and data survives the trip
through it unchanged: timestamps, code lists, non-Latin text. Run by .ci/run on SQLite
and on PostgreSQL; the row-lock test needs PostgreSQL."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from mentormatch.models import EntrepreneurProfile, Role, User

ADDIS_ABABA = timezone(timedelta(hours=3))


def fresh_session(app) -> Session:
    """A new session, so values come from the database rather than the identity map."""
    return app.extensions["mm_sessionmaker"]()


def test_suite_runs_on_the_database_named_by_database_url(app):
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert app.extensions["mm_engine"].dialect.name == expected


def test_timestamps_come_back_as_the_same_instant_in_utc(app, db, people):
    login_in_addis = datetime(2026, 3, 14, 9, 30, tzinfo=ADDIS_ABABA)
    people.tesfaye.user.last_login_at = login_in_addis
    db.commit()

    with fresh_session(app) as session:
        stored = session.get(User, people.tesfaye.user_id).last_login_at

    assert stored == login_in_addis
    assert stored.tzinfo == UTC
    assert stored.hour == 6


def test_naive_timestamp_is_refused(db, people):
    people.amina.user.last_login_at = datetime(2026, 3, 14, 9, 30)
    with pytest.raises(StatementError, match="naive datetime"):
        db.commit()


def test_code_lists_and_non_latin_text_round_trip(app, db, people):
    profile = people.amina
    profile.languages = ["hau", "eng", "ara"]
    profile.description = "ዶሮ እርባታ — تربية الدواجن — Kiwo kaji"
    db.commit()

    with fresh_session(app) as session:
        stored = session.get(EntrepreneurProfile, profile.id)
        assert stored.languages == ["hau", "eng", "ara"]
        assert stored.description == "ዶሮ እርባታ — تربية الدواجن — Kiwo kaji"


def test_second_account_with_the_same_email_is_refused_by_the_database(db, people):
    db.add(User(full_name="Someone Else", email="amina@example.org", role=Role.ENTREPRENEUR))
    with pytest.raises(IntegrityError):
        db.commit()


@pytest.mark.postgres
def test_row_locks_serialise_concurrent_updates(app, db, people):
    """Ten writers each read-increment-write the same row under SELECT … FOR UPDATE; with
    working row locks no update is lost (the pairing workflow relies on this)."""
    user_id = people.jean.id
    start = people.jean.session_version
    writers = 10
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def bump() -> None:
        try:
            with fresh_session(app) as session:
                barrier.wait(timeout=10)
                user = session.scalars(
                    select(User).where(User.id == user_id).with_for_update()
                ).one()
                seen = user.session_version
                time.sleep(0.02)  # widen the window a lost update would need
                user.session_version = seen + 1
                session.commit()
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    with fresh_session(app) as session:
        assert session.get(User, user_id).session_version == start + writers
