"""Suggestions from a published index (issue 10): no build inside a request, a request
made while the data changed is served from the previous version, a person sees their own
change at once, and others see it when the worker publishes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from mentormatch.matches import builds, service
from mentormatch.matches.changes import matching_version
from mentormatch.matching.store import current
from mentormatch.models import DiasporaProfile, ExchangeRate, MatchingChange, User
from tests import builders
from tests.conftest import AuthActions


@pytest.fixture
def app_config(app_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    return {**app_config, "MATCHING_INDEX": "published",
            "MATCHING_INDEX_DIR": str(tmp_path / "index")}  # fmt: skip


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    service.clear_cache()
    yield
    service.clear_cache()


def refresh(app: Flask, db: Session) -> builds.BuildReport:
    """What the worker does on each look."""
    report = builds.refresh_index(
        db, Path(app.config["MATCHING_INDEX_DIR"]), overlay_limit=1000, full_after_seconds=3600
    )
    db.commit()
    return report


def mentors_shown(client: FlaskClient) -> list[str]:
    html = client.get("/matches?kind=coaching").get_data(as_text=True)
    return re.findall(r'<h2[^>]*>\s*<a href="/people/diaspora/\d+"[^>]*>([^<]+)</a>', html)


@pytest.fixture
def world(db: Session, people: builders.People) -> builders.People:
    builders.make_diaspora(
        db, "Musa Abdullahi", "musa@example.org", value_chains=("poultry",),
        skills_offered=("bookkeeping",), origin_regions=["NG-KN"], interest_regions=[],
        languages=["hau", "eng"], residence_country="GB",
    )  # fmt: skip
    # Ama speaks only Twi: no common language with Amina, until she adds Hausa.
    builders.make_diaspora(
        db, "Ama Owusu", "ama@example.org", value_chains=("poultry",),
        skills_offered=("bookkeeping",), origin_regions=["GH-AA"], interest_regions=[],
        languages=["twi"], residence_country="GB",
    )  # fmt: skip
    db.commit()
    return people


def ama_learns_hausa(db: Session) -> None:
    ama = db.scalars(
        select(DiasporaProfile).join(User).where(User.email == "ama@example.org")
    ).one()
    ama.languages = ["twi", "hau"]
    db.commit()


def test_before_anything_is_published_the_page_says_suggestions_are_coming(
    client: FlaskClient, world: builders.People, auth: AuthActions
) -> None:
    auth.login("amina@example.org")
    response = client.get("/matches")
    assert response.status_code == 503
    assert "Suggestions are being prepared" in response.get_data(as_text=True)


def test_a_request_while_data_changed_is_served_from_the_previous_version(
    app: Flask, client: FlaskClient, db: Session, world: builders.People, auth: AuthActions
) -> None:
    assert refresh(app, db).action == "full"
    auth.login("amina@example.org")
    before = mentors_shown(client)
    assert "Musa Abdullahi" in before and "Ama Owusu" not in before
    # Ama adds Hausa: the data version moves, nothing is built.
    ama_learns_hausa(db)
    published = current(Path(app.config["MATCHING_INDEX_DIR"]))
    assert published is not None
    assert mentors_shown(client) == before  # the previous version, no waiting
    assert current(Path(app.config["MATCHING_INDEX_DIR"])) == published  # no build ran
    # The worker's next look publishes an overlay; the next request sees the change.
    report = refresh(app, db)
    assert report.action == "overlay" and report.changed == 1
    assert "Ama Owusu" in mentors_shown(client)


def test_a_person_sees_their_own_change_at_once(
    app: Flask, client: FlaskClient, db: Session, world: builders.People, auth: AuthActions
) -> None:
    refresh(app, db)
    auth.login("ama@example.org")
    html = client.get("/matches?kind=coaching").get_data(as_text=True)
    assert "Amina Poultry" not in html  # Twi only: no language in common with Amina
    ama_learns_hausa(db)
    html = client.get("/matches?kind=coaching").get_data(as_text=True)
    assert "Amina Poultry" in html  # rescored just for her, before any publication


def test_a_half_built_folder_is_never_used(
    app: Flask, client: FlaskClient, db: Session, world: builders.People, auth: AuthActions
) -> None:
    refresh(app, db)
    root = Path(app.config["MATCHING_INDEX_DIR"])
    (root / ".building-v99-dead").mkdir()
    (root / ".building-v99-dead" / "regions.npy").write_bytes(b"half")
    auth.login("amina@example.org")
    assert "Musa Abdullahi" in mentors_shown(client)


def test_a_rate_change_means_a_full_build(app: Flask, db: Session, world: builders.People) -> None:
    from datetime import date

    refresh(app, db)
    db.add(ExchangeRate(currency="EUR", usd_per_unit=1.2, as_of=date(2026, 11, 29), source="t"))
    db.commit()
    assert refresh(app, db).action == "full"
    assert refresh(app, db).action == "none"


def investors_page(client: FlaskClient) -> str:
    # Amounts are written with no-break spaces ("USD\xa02,000").
    return client.get("/matches?kind=investment").get_data(as_text=True).replace("\xa0", " ")


def bello_invests_and_amina_sees_it(
    app: Flask, client: FlaskClient, db: Session, auth: AuthActions
) -> DiasporaProfile:
    """Bello, an investor from Kano, is published; Amina sees his ticket on her page."""
    bello = builders.make_diaspora(
        db, "Bello Sani", "bello@example.org", value_chains=("poultry",), languages=["hau"],
        origin_regions=["NG-KN"], interest_regions=[], residence_country="GB",
        offers_coaching=False, mentee_capacity=0, hours_per_month=0, offers_investment=True,
        ticket_min=2000, ticket_max=20000, ticket_currency="USD", investment_instruments=["loan"],
    )  # fmt: skip
    db.commit()
    refresh(app, db)
    auth.login("amina@example.org")
    assert "Invests USD 2,000–20,000" in investors_page(client)
    return bello


def test_a_card_is_worded_from_the_profile_as_it_is_now(
    app: Flask, client: FlaskClient, db: Session, world: builders.People, auth: AuthActions
) -> None:
    # Records behind the reasons are kept between pages; a change must not show the old one.
    bello = bello_invests_and_amina_sees_it(app, client, db, auth)
    bello.ticket_min = 3000
    db.commit()
    # Before the worker looks, and after it has published the change.
    assert "Invests USD 3,000–20,000" in investors_page(client)
    refresh(app, db)
    assert "Invests USD 3,000–20,000" in investors_page(client)


def test_a_change_published_while_nobody_looked_is_not_hidden_by_kept_records(
    app: Flask, client: FlaskClient, db: Session, world: builders.People, auth: AuthActions
) -> None:
    # Records are kept across publications for the people who did not change; Bello's
    # changed after his record was kept, and the page is next read only once the worker
    # has published two more versions.
    bello = bello_invests_and_amina_sees_it(app, client, db, auth)
    bello.ticket_min = 3000
    db.commit()
    assert refresh(app, db).action == "overlay"
    ama_learns_hausa(db)
    assert refresh(app, db).action == "overlay"
    page = investors_page(client)
    assert "Invests USD 3,000–20,000" in page and "USD 2,000–20,000" not in page


def test_full_builds_forget_the_change_log_a_build_behind_and_pages_stay_right(
    app: Flask, client: FlaskClient, db: Session, world: builders.People, auth: AuthActions
) -> None:
    def logged(after: int, up_to: int) -> int:
        version = MatchingChange.version
        return db.scalar(select(func.count()).where(version > after, version <= up_to)) or 0

    root = Path(app.config["MATCHING_INDEX_DIR"])
    first = builds.build_full(db, root).version
    db.commit()
    assert logged(0, first) > 0  # the people and rates written by the fixtures
    ama_learns_hausa(db)
    second = builds.build_full(db, root).version
    db.commit()
    # Forgotten up to the first build; what a process on it still needs is kept.
    assert logged(0, first) == 0 and logged(first, second) == 1
    auth.login("amina@example.org")
    assert "Ama Owusu" in mentors_shown(client)
    ama = db.scalars(
        select(DiasporaProfile).join(User).where(User.email == "ama@example.org")
    ).one()
    ama.languages = ["twi"]
    db.commit()
    third = builds.build_full(db, root).version
    db.commit()
    assert logged(0, second) == 0 and logged(second, third) == 1
    assert "Ama Owusu" not in mentors_shown(client)


def test_a_full_build_in_a_child_process_is_published_and_served(
    app: Flask,
    client: FlaskClient,
    db: Session,
    world: builders.People,
    auth: AuthActions,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The worker's way in production: `flask matching build-index --full` in a child
    # process at a lower CPU priority, with the worker's environment.
    monkeypatch.setenv("MENTORMATCH_ENV", "testing")
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("MATCHING_INDEX_DIR", app.config["MATCHING_INDEX_DIR"])
    root = Path(app.config["MATCHING_INDEX_DIR"])
    report = builds.build_full_in_child(db, root)
    assert report.action == "full"
    assert report.version == matching_version(db) == (current(root) or {}).get("version")
    auth.login("amina@example.org")
    assert "Musa Abdullahi" in mentors_shown(client)


def test_kept_records_stay_within_their_bound_and_pages_stay_right(
    app: Flask,
    client: FlaskClient,
    db: Session,
    world: builders.People,
    auth: AuthActions,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # At national scale every person who looks would otherwise stay in each process's
    # memory until the next change: the records kept are bounded, the pages unchanged.
    refresh(app, db)
    auth.login("amina@example.org")
    unbounded = mentors_shown(client)
    assert len(unbounded) >= 2  # Amina and two mentors behind this page: three records
    service.clear_cache()
    monkeypatch.setattr(service, "RECORDS_KEPT", 2)
    for _ in range(3):
        assert mentors_shown(client) == unbounded
        assert all(len(kept) <= 2 for _, _, kept in service._records.values())


def test_the_change_log_is_read_only_when_something_changed_after_the_index(
    app: Flask, client: FlaskClient, db: Session, world: builders.People, auth: AuthActions
) -> None:
    refresh(app, db)
    auth.login("amina@example.org")
    mentors_shown(client)
    read: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        read.append(statement)

    engine = app.extensions["mm_engine"]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert "Musa Abdullahi" in mentors_shown(client)
        assert not [s for s in read if "matching_changes" in s]  # the index is current
        ama_learns_hausa(db)
        read.clear()
        # Not yet published: the page reads what changed, to hide no one wrongly.
        assert "Ama Owusu" not in mentors_shown(client)
        assert [s for s in read if "matching_changes" in s]
    finally:
        event.remove(engine, "before_cursor_execute", seen)
