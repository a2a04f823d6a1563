"""Forgotten passwords: a single-use, timed link by email; the same answer for every account."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace

import itsdangerous.timed
import pytest
from sqlalchemy import select

from mentormatch.auth.reset import make_reset_token
from mentormatch.models import OutboxEmail, OutboxStatus, Role
from tests.builders import PASSWORD, make_user
from tests.conftest import AuthActions, csrf_token_from, page_without_tokens
from tests.test_auth import is_logged_in

NEW_PASSWORD = "sorghum harvest in november"
LINK_RE = re.compile(r"http://127\.0\.0\.1:5000(/password/reset/\S+)")


def outbox(app) -> list:
    """What the worker sends: queued emails are delivered first (as `flask worker` would)."""
    from tests.conftest import deliver_emails

    return deliver_emails(app)


def ask_for_link(post_form, login: str):
    return post_form("/password/forgot", {"login": login})


def link_path(message) -> str:
    match = LINK_RE.search(message.get_content())
    assert match, message.get_content()
    return match.group(1)


def set_new_password(post_form, path: str, password: str = NEW_PASSWORD):
    return post_form(path, {"password": password, "confirm": password})


def test_forgot_page_is_reachable_from_login(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in html
    assert client.get("/password/forgot").status_code == 200


def test_reset_flow_end_to_end(app, client, auth, post_form, people):
    response = ask_for_link(post_form, "Amina@Example.org")
    assert response.status_code == 200
    assert "If an account exists we sent a link" in response.get_data(as_text=True)

    [message] = outbox(app)
    assert message["To"] == "amina@example.org"
    path = link_path(message)
    form_page = client.get(path)
    assert form_page.status_code == 200
    assert 'autocomplete="new-password"' in form_page.get_data(as_text=True)

    done = set_new_password(post_form, path)
    assert done.status_code == 302
    assert is_logged_in(client)
    auth.logout()
    assert auth.login("amina@example.org", PASSWORD).status_code == 401
    assert auth.login("amina@example.org", NEW_PASSWORD).status_code == 302


def test_unknown_and_known_accounts_get_the_identical_answer(app, client, post_form, people):
    known = ask_for_link(post_form, "amina@example.org")
    unknown = ask_for_link(post_form, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert page_without_tokens(known) == page_without_tokens(unknown)
    # Both write one email (so both take the same time); only the real account gets a link.
    known_email, unknown_email = outbox(app)
    assert known_email["To"] == "amina@example.org"
    assert LINK_RE.search(known_email.get_content())
    assert unknown_email["To"] == "nobody@example.org"
    assert "No active MentorMatch account uses this address" in unknown_email.get_content()
    assert not LINK_RE.search(unknown_email.get_content())


def test_phone_only_account_gets_the_same_answer_and_no_email(app, post_form, db):  # noqa: F811
    make_user(db, Role.ENTREPRENEUR, "Musa Ibrahim", email=None, phone="+234 803 000 1111")
    db.commit()
    phone_only = ask_for_link(post_form, "+2348030001111")
    unknown = ask_for_link(post_form, "+2348039999999")
    assert page_without_tokens(phone_only) == page_without_tokens(unknown)
    words = " ".join(phone_only.get_data(as_text=True).split())
    assert "with a phone number only?" in words and 'href="/claim"' in words
    assert outbox(app) == []


def test_inactive_account_gets_no_link(app, post_form, db, people):  # noqa: F811
    people.amina.user.is_active = False
    db.commit()
    assert ask_for_link(post_form, "amina@example.org").status_code == 200
    [message] = outbox(app)
    assert "No active MentorMatch account uses this address" in message.get_content()
    assert not LINK_RE.search(message.get_content())


def test_imported_account_without_password_sets_its_first_one(app, auth, post_form, db):  # noqa: F811
    make_user(db, Role.ENTREPRENEUR, "Aïcha Traoré", email="aicha@example.org", password=None)
    db.commit()
    assert auth.login("aicha@example.org", "anything at all here").status_code == 401

    ask_for_link(post_form, "aicha@example.org")
    assert set_new_password(post_form, link_path(outbox(app)[0])).status_code == 302
    auth.logout()
    assert auth.login("aicha@example.org", NEW_PASSWORD).status_code == 302


def test_a_used_link_does_not_work_again(app, client, auth, post_form, people):
    ask_for_link(post_form, "amina@example.org")
    path = link_path(outbox(app)[0])
    assert set_new_password(post_form, path).status_code == 302
    auth.logout()

    again = client.get(path)
    assert again.status_code == 400
    html = again.get_data(as_text=True)
    assert "already been used" in html
    assert 'href="/password/forgot"' in html
    # Posting to it directly changes nothing either.
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    data = {
        "csrf_token": token,
        "password": "yet another password",
        "confirm": "yet another password",
    }
    assert client.post(path, data=data).status_code == 400
    assert auth.login("amina@example.org", NEW_PASSWORD).status_code == 302


def test_a_link_ends_every_open_session(app, client, post_form, people):
    phone = app.test_client()
    AuthActions(phone).login("amina@example.org")
    ask_for_link(post_form, "amina@example.org")
    set_new_password(post_form, link_path(outbox(app)[0]))
    assert is_logged_in(client)
    assert not is_logged_in(phone)


def test_an_expired_link_is_refused(app, client, post_form, people, monkeypatch):
    max_age = app.config["PASSWORD_RESET_MAX_AGE"]
    signed_long_ago = time.time() - max_age - 5
    with monkeypatch.context() as m:
        m.setattr(itsdangerous.timed, "time", SimpleNamespace(time=lambda: signed_long_ago))
        ask_for_link(post_form, "amina@example.org")
    response = client.get(link_path(outbox(app)[0]))
    assert response.status_code == 400
    assert "has expired" in response.get_data(as_text=True)


def test_a_link_just_within_its_time_still_works(app, client, post_form, people, monkeypatch):
    signed_recently = time.time() - app.config["PASSWORD_RESET_MAX_AGE"] + 30
    with monkeypatch.context() as m:
        m.setattr(itsdangerous.timed, "time", SimpleNamespace(time=lambda: signed_recently))
        ask_for_link(post_form, "amina@example.org")
    assert client.get(link_path(outbox(app)[0])).status_code == 200


@pytest.mark.parametrize(
    "token",
    ["not-a-token", "eyJ1aWQiOjEsImZwIjoiIn0.aQ8vIg.forged-signature"],
)
def test_a_forged_link_is_refused(client, people, token):
    response = client.get(f"/password/reset/{token}")
    assert response.status_code == 400
    assert 'href="/password/forgot"' in response.get_data(as_text=True)


def test_a_link_signed_with_another_key_is_refused(client, people):
    token = make_reset_token(people.amina.user, "some-other-secret-key")
    assert client.get(f"/password/reset/{token}").status_code == 400


def test_a_tampered_link_for_another_user_is_refused(app, client, post_form, people):
    ask_for_link(post_form, "amina@example.org")
    path = link_path(outbox(app)[0])
    # Tesfaye's user id with the timestamp and signature of Amina's link.
    _, _, stamp_and_signature = path.rpartition("/")[2].partition(".")
    other = make_reset_token(people.tesfaye.user, app.config["SECRET_KEY"])
    forged = other.partition(".")[0] + "." + stamp_and_signature
    assert client.get(f"/password/reset/{forged}").status_code == 400


def test_reset_form_says_what_is_wrong(app, post_form, people):
    ask_for_link(post_form, "amina@example.org")
    path = link_path(outbox(app)[0])
    response = set_new_password(post_form, path, "short")
    assert response.status_code == 400
    assert "Use at least 10 characters" in response.get_data(as_text=True)
    response = post_form(path, {"password": "amina@example.org", "confirm": "amina@example.org"})
    assert "Do not use your email address" in response.get_data(as_text=True)


def test_forgot_form_without_csrf_token_sends_nothing(app, client, people):
    response = client.post("/password/forgot", data={"login": "amina@example.org"})
    assert response.status_code == 400
    assert outbox(app) == []


def test_empty_forgot_form_says_what_to_enter(post_form):
    response = post_form("/password/forgot", {"login": ""})
    assert response.status_code == 400
    assert "Enter the email address or phone number" in response.get_data(as_text=True)


# --- the link comes from PUBLIC_URL, the mail from the worker (findings 1 and 7) ------------


def test_reset_link_uses_the_public_address_whatever_the_host_header(app, client, people):
    app.config["WTF_CSRF_ENABLED"] = False  # the cookie jar would not follow the forged host
    response = client.post(
        "/password/forgot",
        data={"login": "amina@example.org"},
        headers={"Host": "attacker.example"},
    )
    assert response.status_code == 200
    [message] = outbox(app)
    body = message.get_content()
    assert "attacker.example" not in body
    assert f"{app.config['PUBLIC_URL']}/password/reset/" in body


def test_asking_for_a_link_never_talks_to_the_mail_server(app, db, post_form, people, monkeypatch):
    app.config["MAIL_SERVER"] = "smtp.example.org"
    connections = []

    class SlowServer:
        def __init__(self, *args, **kwargs) -> None:
            connections.append(args)
            raise TimeoutError("the mail server is slow today")

    monkeypatch.setattr("smtplib.SMTP", SlowServer)
    response = ask_for_link(post_form, "amina@example.org")
    assert response.status_code == 200
    assert connections == []
    # The email waits in the outbox for the worker.
    [email] = db.scalars(select(OutboxEmail)).all()
    assert (email.to_address, email.status) == ("amina@example.org", OutboxStatus.PENDING)
