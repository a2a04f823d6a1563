"""Odd input gets a 4xx page that says what to fix, and the error page needs no database."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from mentormatch.db import make_engine
from mentormatch.models import Pairing
from tests.builders import People
from tests.conftest import AuthActions


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """As in production: unexpected errors become the error page, not a traceback."""
    return {**app_config, "TESTING": False}


# --- control characters (finding 8) ------------------------------------------------


def test_a_nul_byte_in_a_form_is_refused_with_a_message_and_nothing_is_stored(
    client, auth, post_form, db, people: People
) -> None:
    auth.login("amina@example.org")
    url = f"/introductions/new?entrepreneur_id={people.amina.id}&diaspora_id={people.tesfaye.id}"
    response = post_form(
        "/introductions/new",
        {
            "entrepreneur_id": str(people.amina.id),
            "diaspora_id": str(people.tesfaye.id),
            "kind": "coaching",
            "message": "Hello\x00 Tesfaye",
        },
        page=url,
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "invisible control character" in html
    assert html.count("<h1") == 1
    assert db.scalar(select(func.count()).select_from(Pairing)) == 0


def test_a_nul_byte_in_a_query_string_is_refused(client, auth, people: People) -> None:
    auth.login("jean@example.org")
    response = client.get("/coordinator/approvals?country=N%00G")
    assert response.status_code == 400
    assert "invisible control character" in response.get_data(as_text=True)


def test_the_error_page_renders_while_the_database_is_down(
    app: Flask, client, auth, people: People, tmp_path
) -> None:
    auth.login("amina@example.org")
    # The database goes away: every connection attempt now fails.
    unreachable = make_engine("sqlite:///" + str(tmp_path / "no-such-dir" / "gone.sqlite3"))
    app.extensions["mm_sessionmaker"].configure(bind=unreachable)
    response = client.get("/matches")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "Try again in a few minutes" in html
    assert html.count("<h1") == 1
    assert client.get("/").status_code == 503


# --- numbers beyond what the database stores (finding 9) ------------------------------


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_an_id_beyond_the_column_range_is_not_found(client, auth, people: People, number) -> None:
    auth.login("jean@example.org")
    for url in (f"/pairings/{number}", f"/coordinator/pairings/{number}"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/people/entrepreneurs/{number}").status_code == 404
    assert client.get(f"/people/diaspora/{number}").status_code == 404


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_a_page_number_beyond_the_range_is_not_found(client, auth, people: People, number) -> None:
    auth.login("jean@example.org")
    response = client.get(f"/coordinator/approvals?page={number}")
    assert response.status_code == 404
    assert "does not exist" in response.get_data(as_text=True)


def test_an_ordinary_page_number_still_works(client, auth, people: People) -> None:
    auth.login("jean@example.org")
    assert client.get("/coordinator/approvals?page=2").status_code == 200


def test_pages_still_work_after_a_refused_number(app: Flask, people: People) -> None:
    client = app.test_client()
    AuthActions(client).login("amina@example.org")
    assert client.get("/pairings/99999999999999999999").status_code == 404
    assert client.get("/inbox").status_code == 200
