"""Password guessing is slowed down: after 10 tries a minute from one address, a pause."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from mentormatch import create_app
from tests.conftest import AuthActions, csrf_token_from, deliver_emails


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """The test settings with rate limiting switched on, as in production."""
    return {**app_config, "RATELIMIT_ENABLED": True}


def login_attempts(app: Flask, count: int) -> list[int]:
    auth = AuthActions(app.test_client())
    return [auth.login("amina@example.org", "guessing again").status_code for _ in range(count)]


def test_eleventh_login_attempt_in_a_minute_is_refused_with_a_readable_page(app, people):
    assert login_attempts(app, 10) == [401] * 10
    response = AuthActions(app.test_client()).login("amina@example.org", "guessing again")
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Too many attempts. Wait a few minutes before you try again." in html
    assert html.count("<h1") == 1


def test_even_the_right_password_waits_once_the_limit_is_reached(app, people):
    assert login_attempts(app, 10) == [401] * 10  # also: nothing left over from other tests
    assert AuthActions(app.test_client()).login("amina@example.org").status_code == 429


def test_showing_the_login_page_is_not_limited(app, people):
    login_attempts(app, 10)
    assert app.test_client().get("/login").status_code == 200


def test_asking_for_reset_links_is_limited_too(app, people):
    client = app.test_client()
    token = csrf_token_from(client.get("/password/forgot").get_data(as_text=True))
    statuses = [
        client.post(
            "/password/forgot", data={"csrf_token": token, "login": "amina@example.org"}
        ).status_code
        for _ in range(11)
    ]
    assert statuses == [200] * 10 + [429]
    assert len(deliver_emails(app)) == 10


def test_a_new_app_starts_with_fresh_counts(app, app_config, people):
    # The limiter is one module-level object; each app it is bound to gets its own storage,
    # so one test's attempts never count against the next test.
    login_attempts(app, 11)
    fresh = create_app(app_config)
    try:
        assert login_attempts(fresh, 1) == [401]
    finally:
        fresh.extensions["mm_engine"].dispose()
