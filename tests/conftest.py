"""Shared fixtures: an app on a migrated database (SQLite by default, PostgreSQL when
DATABASE_URL says so), a client, a CLI runner, and realistic people to test with."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import argon2
import pytest
from alembic import command as alembic_command
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text
from sqlalchemy.orm import Session

from mentormatch import create_app
from mentormatch.auth.passwords import use_hasher
from mentormatch.cli import alembic_config
from mentormatch.db import Base, make_engine
from mentormatch.matches import service as matches_service
from mentormatch.money.store import load_seed_rates
from mentormatch.places import store as places_store
from mentormatch.taxonomy import load_taxonomy
from tests import builders

TAXONOMY_TABLES = {"value_chain_groups", "value_chains", "skills"}


def _is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `postgres` (row locks, concurrency) run only when DATABASE_URL is
    PostgreSQL; on SQLite they are reported as skipped, with the reason."""
    if _is_postgres(os.environ.get("DATABASE_URL", "")):
        return
    needs_postgres = pytest.mark.skip(
        reason="needs PostgreSQL: set DATABASE_URL=postgresql+psycopg://... (.ci/run does)"
    )
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(needs_postgres)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> None:
    """Argon2id with its cheapest parameters: the same code path, microseconds per hash
    instead of a fifth of a second, which otherwise dominates the suite's run time."""
    use_hasher(PasswordHasher.from_parameters(argon2.profiles.CHEAPEST))


@pytest.fixture(scope="session", autouse=True)
def compiled_gazetteer() -> Iterator[Path]:
    """The compiled gazetteer, built once before any test places a locality (or reused from
    instance/cache), and kept there while tests give the app instance folders of their own:
    building it reads 80 MB of GeoNames JSON, never twice in a run."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MENTORMATCH_CACHE_PATH", str(places_store.cache_dir()))
        yield places_store.ensure_gazetteer()[0]


@pytest.fixture(scope="session", autouse=True)
def english_terminal() -> Iterator[None]:
    """Commands print in the terminal's language (LANG and the rest); tests read their
    output in English whatever the developer's terminal, unless a test sets one itself."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
            patch.delenv(name, raising=False)
        patch.setenv("LANG", "C.UTF-8")
        yield


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """The .mo files the app reads, compiled from the .po catalogues when older (as
    `make install` does), so a test never reads a stale translation."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from mentormatch.i18n import TRANSLATIONS

    for po_path in Path(TRANSLATIONS).glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalogue)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head once per run: DATABASE_URL if set, else a SQLite file."""
    url = os.environ.get("DATABASE_URL") or (
        "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    )
    engine = make_engine(url)
    if _is_postgres(url):
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    alembic_command.upgrade(alembic_config(url), "head")
    yield url


def reset_database(url: str) -> None:
    """Empty every table and reload the taxonomy and the seed exchange rates, so each test
    starts from the same data."""
    engine = make_engine(url)
    with engine.begin() as conn:
        if _is_postgres(url):
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
    with Session(engine) as session:
        load_taxonomy(session)
        load_seed_rates(session)
        session.commit()
    engine.dispose()


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict[str, Any]:
    """Settings for the test app; a test may change them before asking for `app`."""
    return {"ENV_NAME": "testing", "DATABASE_URL": database_url}


@pytest.fixture
def app(
    app_config: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    monkeypatch.setenv("MENTORMATCH_INSTANCE_PATH", str(tmp_path / "instance"))
    reset_database(app_config["DATABASE_URL"])
    # Versions start again in the emptied database: what a process kept from the previous
    # test's data (indexes, records, coaching loads) could carry the same version numbers.
    matches_service.clear_cache()
    app = create_app(app_config)
    yield app
    app.extensions["mm_engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session on the test database; commit to make data visible to requests.

    It holds no app context open: if it did, every request of the test would share one
    `g` (one database session, Flask-Login's cached user) and hide real behaviour.
    """
    session: Session = app.extensions["mm_sessionmaker"]()
    yield session
    session.close()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def page_without_tokens(response: Any) -> str:
    """A page's HTML with its CSRF tokens blanked: a token carries the second it was made
    in, so two answers a second apart differ there and nowhere a person could see."""
    return CSRF_VALUE_RE.sub('name="csrf_token" value=""', response.get_data(as_text=True))


CSRF_VALUE_RE = re.compile(r'name="csrf_token"[^>]*value="[^"]*"')


def csrf_token_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


@pytest.fixture
def post_form(client: FlaskClient) -> Callable[..., Any]:
    """Post a form the way a browser does: load the page, take its CSRF token, submit."""

    def _post(url: str, data: dict[str, Any], page: str | None = None, **kwargs: Any) -> Any:
        html = client.get(page or url).get_data(as_text=True)
        payload = {"csrf_token": csrf_token_from(html), **data}
        return client.post(url, data=payload, **kwargs)

    return _post


def deliver_emails(app: Flask) -> list[Any]:
    """Send the queued emails as the worker would, and return every message sent so far
    (with no MAIL_SERVER the test app keeps them in memory)."""
    from mentormatch.db import session_scope
    from mentormatch.mail import send_email
    from mentormatch.notifications import deliver_outbox

    with app.app_context(), session_scope() as session:
        deliver_outbox(session, send_email, public_url=app.config["PUBLIC_URL"])
    log: list[Any] = app.extensions.setdefault("mm_mail_log", [])
    return log


class AuthActions:
    """Log in and out through the real pages, as in Flask's tutorial."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, login: str, password: str = builders.PASSWORD) -> Any:
        html = self._client.get("/login").get_data(as_text=True)
        return self._client.post(
            "/login",
            data={"csrf_token": csrf_token_from(html), "login": login, "password": password},
        )

    def logout(self) -> Any:
        html = self._client.get("/").get_data(as_text=True)
        return self._client.post("/logout", data={"csrf_token": csrf_token_from(html)})


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def people(db: Session) -> builders.People:
    """Amina (entrepreneur in Kano), Tesfaye (mentor from Oromia), Fatou (investor from
    Senegal) and Jean (coordinator), committed and ready to log in."""
    cast = builders.People.create(db)
    db.commit()
    return cast
