"""Sessions end when they should: a cookie copied before log-out, a password change or a
deactivation stops working, and logging in starts a fresh session and CSRF token."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from tests.builders import People
from tests.conftest import AuthActions
from tests.test_auth import is_logged_in


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def client_with_cookie(app: Flask, value: str):
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief


def test_a_cookie_copied_before_log_out_no_longer_works(app: Flask, client, auth, people: People):
    auth.login("amina@example.org")
    copied = session_cookie(client)
    assert is_logged_in(client_with_cookie(app, copied))

    auth.logout()

    assert not is_logged_in(client_with_cookie(app, copied))
    assert not is_logged_in(client)


def test_log_out_says_every_device_is_logged_out(client, auth, people: People):
    auth.login("amina@example.org")
    response = auth.logout()
    assert response.status_code == 302
    html = client.get("/").get_data(as_text=True)
    assert "You are logged out on every device." in html


def test_deactivation_ends_a_running_session(app: Flask, client, auth, db: Session, people):
    auth.login("amina@example.org")
    people.amina.user.is_active = False
    db.commit()
    assert not is_logged_in(client)


def test_logging_in_starts_a_fresh_session_and_csrf_token(app: Flask, client, people: People):
    client.get("/login")
    with client.session_transaction() as planted:
        planted["csrf_token"] = "known-to-an-attacker"
        planted["planted"] = "by someone else"
    response = AuthActions(client).login("amina@example.org")
    assert response.status_code == 302
    with client.session_transaction() as fresh:
        assert "planted" not in fresh
        assert fresh.get("csrf_token") != "known-to-an-attacker"
