"""Password guessing and mass sign-ups are slowed down: per client address (as the proxies
in front of the app report it), and per account whatever address the attempts come from."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
from flask import Flask

from mentormatch import create_app
from tests.conftest import AuthActions, csrf_token_from, deliver_emails
from tests.test_auth import signup_data


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """The test settings with rate limiting switched on, as in production."""
    return {**app_config, "RATELIMIT_ENABLED": True}


def client_at(app: Flask, address: str, proxied: bool = True) -> Any:
    """A browser at `address`: behind the reverse proxy, which appends it to X-Forwarded-For."""
    client = app.test_client()
    if proxied:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = address
    else:
        client.environ_base["REMOTE_ADDR"] = address
    return client


def login_attempts(app: Flask, count: int, login: str = "amina@example.org", **where) -> list[int]:
    auth = AuthActions(client_at(app, **where) if where else app.test_client())
    return [auth.login(login, "guessing again").status_code for _ in range(count)]


def test_eleventh_login_attempt_in_a_minute_is_refused_with_a_readable_page(app, people):
    assert login_attempts(app, 10) == [401] * 10
    response = AuthActions(app.test_client()).login("amina@example.org", "guessing again")
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Too many attempts. Wait a few minutes before you try again." in html
    assert html.count("<h1") == 1


def test_a_refusal_says_when_to_try_again(app, people):
    login_attempts(app, 10)
    response = AuthActions(app.test_client()).login("amina@example.org", "guessing again")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_even_the_right_password_waits_once_the_limit_is_reached(app, people):
    assert login_attempts(app, 10) == [401] * 10  # also: nothing left over from other tests
    assert AuthActions(app.test_client()).login("amina@example.org").status_code == 429


def test_showing_the_login_page_is_not_limited(app, people):
    login_attempts(app, 10)
    assert app.test_client().get("/login").status_code == 200


# --- behind a reverse proxy (finding 2) ---------------------------------------------------


@pytest.fixture
def behind_one_proxy(app: Flask) -> Flask:
    """The README's deployment: nginx in front, PROXY_COUNT=1."""
    return create_app({**app.config, "PROXY_COUNT": 1})


def test_behind_a_proxy_one_guesser_does_not_lock_everyone_out(behind_one_proxy, people):
    app = behind_one_proxy
    assert login_attempts(app, 11, address="203.0.113.9")[-1] == 429
    # Tesfaye, elsewhere, logs in as usual through the same proxy.
    tesfaye = AuthActions(client_at(app, "198.51.100.7"))
    assert tesfaye.login("tesfaye@example.org").status_code == 302


def test_without_proxies_a_forged_forwarded_for_header_changes_nothing(app, people):
    statuses = [
        AuthActions(client_at(app, f"192.0.2.{n}")).login("x@example.org", "guess").status_code
        for n in range(11)
    ]
    assert statuses == [401] * 10 + [429]


def test_one_account_guessed_from_many_addresses_is_limited(behind_one_proxy, people):
    app = behind_one_proxy
    limit = 20  # LOGIN_ACCOUNT_RATE_LIMIT: failed log-ins per account and hour
    statuses = [login_attempts(app, 1, address=f"198.51.100.{n}")[0] for n in range(limit + 1)]
    assert statuses == [401] * limit + [429]
    # The right password from yet another address waits too; another account does not.
    assert AuthActions(client_at(app, "203.0.113.50")).login("amina@example.org").status_code == 429
    tesfaye = AuthActions(client_at(app, "203.0.113.51"))
    assert tesfaye.login("tesfaye@example.org").status_code == 302


def test_successful_log_ins_do_not_count_against_the_account(behind_one_proxy, people):
    app = behind_one_proxy
    for n in range(25):
        client = client_at(app, f"198.51.100.{n}")
        assert AuthActions(client).login("amina@example.org").status_code == 302


def test_an_unknown_account_is_limited_exactly_like_a_real_one(behind_one_proxy, people):
    app = behind_one_proxy
    real = [login_attempts(app, 1, address=f"198.51.100.{n}")[0] for n in range(21)]
    unknown = [
        login_attempts(app, 1, "nobody@example.org", address=f"203.0.113.{n}")[0] for n in range(21)
    ]
    assert real == unknown == [401] * 20 + [429]


# --- reset links ---------------------------------------------------------------------


def ask_for_link(client: Any, login: str) -> int:
    token = csrf_token_from(client.get("/password/forgot").get_data(as_text=True))
    return client.post("/password/forgot", data={"csrf_token": token, "login": login}).status_code


def test_asking_for_reset_links_is_limited_per_client(app, people):
    client = app.test_client()
    statuses = [ask_for_link(client, f"person{n}@example.org") for n in range(11)]
    assert statuses == [200] * 10 + [429]


def test_reset_links_for_one_account_are_limited_whoever_asks(behind_one_proxy, people):
    app = behind_one_proxy
    statuses = [
        ask_for_link(client_at(app, f"198.51.100.{n}"), "Amina@Example.org ") for n in range(4)
    ]
    assert statuses == [200] * 3 + [429]
    assert [m["To"] for m in deliver_emails(app)] == ["amina@example.org"] * 3
    # The same for an address with no account: the limit tells nothing.
    unknown = [
        ask_for_link(client_at(app, f"203.0.113.{n}"), "nobody@example.org") for n in range(4)
    ]
    assert unknown == statuses


# --- sign-ups (finding 5) --------------------------------------------------------------


def sign_up(client: Any, n: int) -> int:
    token = csrf_token_from(client.get("/signup").get_data(as_text=True))
    data = {**signup_data(email=f"farmer{n}@example.org"), "csrf_token": token}
    return client.post("/signup", data=data).status_code


def test_sign_ups_from_one_address_are_limited(behind_one_proxy):
    app = behind_one_proxy
    statuses = [sign_up(client_at(app, "203.0.113.9"), n) for n in range(6)]
    assert statuses[:5] == [statuses[0]] * 5
    assert statuses[0] in (200, 302)
    assert statuses[5] == 429
    # Someone else signs up as usual.
    assert sign_up(client_at(app, "198.51.100.7"), 99) == statuses[0]


def test_a_new_app_starts_with_fresh_counts(app, app_config, people):
    # The limiter is one module-level object; each app it is bound to gets its own storage,
    # so one test's attempts never count against the next test.
    login_attempts(app, 11)
    fresh = create_app(app_config)
    try:
        assert login_attempts(fresh, 1) == [401]
    finally:
        fresh.extensions["mm_engine"].dispose()


# --- shared counts in Redis ------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL")


@pytest.mark.skipif(
    not REDIS_URL and not os.environ.get("CI"),
    reason="needs Redis: set REDIS_URL=redis://127.0.0.1:6379 (.ci/run starts one)",
)
def test_two_processes_share_their_counts_through_redis(app_config, people):
    assert REDIS_URL, "CI must set REDIS_URL (.ci/run starts a throwaway redis-server)"
    shared = {
        **app_config,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    first, second = create_app(shared), create_app(shared)  # two gunicorn workers
    try:
        assert login_attempts(first, 10) == [401] * 10
        assert login_attempts(second, 1) == [429]
    finally:
        first.extensions["mm_engine"].dispose()
        second.extensions["mm_engine"].dispose()
