"""Accounts: signing up, logging in and out, changing a password, inactive accounts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from mentormatch.models import Role, User
from tests.builders import PASSWORD
from tests.conftest import AuthActions, csrf_token_from, deliver_emails

NEW_PASSWORD = "a new password for the rainy season"


ONE_MEGABYTE = "x" * (1024 * 1024)


def signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "role": "entrepreneur",
        "full_name": "Halima Sani",
        "email": "halima@example.org",
        "phone": "",
        "password": "millet and groundnuts",
        "confirm": "millet and groundnuts",
    }
    data.update(overrides)
    return data


def user_count(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(User))


def user_by_email(db, email: str) -> User | None:
    db.expire_all()
    return db.scalar(select(User).where(User.email == email))


def is_logged_in(client) -> bool:
    return client.get("/account/password").status_code == 200


# --- sign up ---------------------------------------------------------------------------


def test_signup_page_offers_only_entrepreneur_and_diaspora(client):
    html = client.get("/signup").get_data(as_text=True)
    assert 'value="entrepreneur"' in html
    assert 'value="diaspora"' in html
    form = html.split("<form")[1].split("</form>")[0]
    assert "coordinator" not in form.lower()
    assert "admin" not in form.lower()
    assert 'autocomplete="new-password"' in html
    assert 'autocomplete="email"' in html
    assert 'autocomplete="tel"' in html
    assert html.count("<h1") == 1


CHECK_EMAIL = "Check your email"
CONFIRM_RE = re.compile(r"http://127\.0\.0\.1:5000(/signup/confirm/\S+)")


def emails_to(app, address: str) -> list:
    return [m for m in deliver_emails(app) if m["To"] == address]


def confirm_link(app, address: str) -> str:
    [message] = emails_to(app, address)
    match = CONFIRM_RE.search(message.get_content())
    assert match, message.get_content()
    return match.group(1)


@pytest.mark.parametrize("role", ["entrepreneur", "diaspora"])
def test_signup_creates_account_and_the_emailed_link_logs_in(app, client, post_form, db, role):
    response = post_form("/signup", signup_data(role=role, phone="+234 803 555 0101"))

    assert response.status_code == 200
    assert CHECK_EMAIL in response.get_data(as_text=True)
    user = user_by_email(db, "halima@example.org")
    assert user is not None
    assert user.role == Role(role)
    assert user.phone == "+2348035550101"
    assert user.password_hash.startswith("$argon2id$")
    assert user.email_confirmed_at is None
    assert not is_logged_in(client)

    link = confirm_link(app, "halima@example.org")
    welcome = client.get(link)
    assert welcome.status_code == 302
    assert welcome.headers["Location"] == "/profile"
    next_page = client.get("/account/password")
    assert next_page.status_code == 200  # logged in
    assert "Your account is ready. Next," in next_page.get_data(as_text=True)
    assert user_by_email(db, "halima@example.org").email_confirmed_at is not None


def test_a_confirmation_link_logs_in_only_once(app, client, post_form, auth):
    post_form("/signup", signup_data())
    link = confirm_link(app, "halima@example.org")
    assert client.get(link).status_code == 302
    auth.logout()
    again = client.get(link)
    assert again.status_code == 302
    assert again.headers["Location"] == "/login"
    assert not is_logged_in(client)


def test_an_unconfirmed_account_cannot_log_in_yet(post_form, auth):
    post_form("/signup", signup_data())
    response = auth.login("halima@example.org", "millet and groundnuts")
    assert response.status_code == 403
    assert "Confirm your email address first" in response.get_data(as_text=True)


def test_a_forged_confirmation_link_is_refused(client):
    response = client.get("/signup/confirm/not-a-real-token")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_signup_refuses_a_forged_coordinator_role(client, post_form, db):
    before = user_count(db)
    response = post_form("/signup", signup_data(role="coordinator"))
    assert response.status_code == 400
    assert "Choose one of the two" in response.get_data(as_text=True)
    assert user_count(db) == before
    assert not is_logged_in(client)


@pytest.mark.parametrize("role", ["admin", "banana", ""])
def test_signup_refuses_any_other_role(post_form, db, role):
    response = post_form("/signup", signup_data(role=role))
    assert response.status_code == 400
    assert user_by_email(db, "halima@example.org") is None


def page_text(response) -> str:
    """The page without its CSRF tokens, which differ from one visit to the next."""
    return re.sub(r'name="csrf_token"[^>]*>', "", response.get_data(as_text=True))


def test_signup_with_a_taken_email_answers_exactly_as_a_new_one(app, client, post_form, db, people):
    before = user_count(db)
    taken = post_form("/signup", signup_data(email="  AMINA@Example.ORG "))
    fresh = post_form("/signup", signup_data(email="new.farmer@example.org"))
    assert taken.status_code == fresh.status_code == 200
    assert page_text(taken).replace("amina@example.org", "X") == page_text(fresh).replace(
        "new.farmer@example.org", "X"
    )
    assert user_count(db) == before + 1  # only the new address got an account
    # The owner of the taken address is told by email, with a way back in.
    [message] = emails_to(app, "amina@example.org")
    body = message.get_content()
    assert "You already have a MentorMatch account" in body
    assert "http://127.0.0.1:5000/password/reset/" in body


def test_both_answers_cost_the_same_work(post_form, people, monkeypatch):
    hashed: list[str] = []
    import mentormatch.auth.service as service

    real = service.hash_password
    monkeypatch.setattr(service, "hash_password", lambda p: hashed.append(p) or real(p))
    post_form("/signup", signup_data(email="amina@example.org"))
    post_form("/signup", signup_data(email="new.farmer@example.org"))
    assert len(hashed) == 2  # the password is hashed whether or not the account is made


def test_signup_with_a_taken_phone_answers_the_same_and_leaves_the_phone_out(app, post_form, db):
    db.add(User(full_name="Musa", role=Role.ENTREPRENEUR, phone="+2348035550101"))
    db.commit()
    response = post_form("/signup", signup_data(email="other@example.org", phone="+2348035550101"))
    assert response.status_code == 200
    assert CHECK_EMAIL in response.get_data(as_text=True)
    user = user_by_email(db, "other@example.org")
    assert user.phone is None
    [message] = emails_to(app, "other@example.org")
    assert "We could not add the phone number you gave" in message.get_content()


def test_signup_race_on_the_same_email_gives_the_same_answer(
    app, post_form, db, people, monkeypatch
):
    # Another sign-up committed between our check and our insert: the database decides.
    monkeypatch.setattr("mentormatch.auth.service.email_taken", lambda *a, **k: False)
    before = user_count(db)
    response = post_form("/signup", signup_data(email="amina@example.org"))
    assert response.status_code == 200
    assert CHECK_EMAIL in response.get_data(as_text=True)
    assert user_count(db) == before
    assert len(emails_to(app, "amina@example.org")) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"full_name": ""}, "Enter your full name."),
        ({"full_name": "   "}, "Enter your full name."),
        ({"full_name": "A" * 121}, "Use at most 120 characters"),
        ({"full_name": "Amina\x07Bello"}, "control characters"),
        ({"full_name": "Amina\u202eolleB"}, "control characters"),
        ({"email": ""}, "Enter your email address."),
        ({"email": "amina.example.org"}, "Enter an email address like name@example.org."),
        ({"phone": "call me"}, "has characters a phone number does not have"),
        ({"phone": "0803 123 4567"}, "with its country code, for example +234 803 123 4567."),
        ({"phone": "+1 234 567 890 123 456"}, "is too long for a phone number in United States"),
        ({"password": "short", "confirm": "short"}, "Use at least 10 characters; this one has 5"),
        ({"password": "p" * 201, "confirm": "p" * 201}, "Use at most 200 characters"),
        (
            {"password": "Halima@Example.org", "confirm": "Halima@Example.org"},
            "Do not use your email address as your password",
        ),
        ({"confirm": "millet and groundnut"}, "The two passwords are not the same"),
        ({"password": "", "confirm": ""}, "Choose a password."),
    ],
)
def test_signup_says_what_is_wrong_and_writes_nothing(post_form, db, overrides, message):
    before = user_count(db)
    response = post_form("/signup", signup_data(**overrides))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert "error-summary" in html
    assert user_count(db) == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("full_name", "Use at most 120 characters; this has 1048576."),
        ("email", "An email address has at most 254 characters."),
        ("phone", "A phone number has at most 15 digits."),
        ("password", "Use at most 200 characters; this one has 1048576."),
    ],
)
def test_signup_with_a_one_megabyte_field_is_refused_without_echoing_it(
    post_form, db, name, message
):
    overrides = {name: ONE_MEGABYTE}
    if name == "password":
        overrides["confirm"] = ONE_MEGABYTE
    response = post_form("/signup", signup_data(**overrides))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert len(html) < 50_000
    assert user_count(db) == 0


def test_login_with_a_one_megabyte_field_is_refused(post_form):
    response = post_form("/login", {"login": ONE_MEGABYTE, "password": ONE_MEGABYTE})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "That is too long for an email or phone number." in html
    assert len(html) < 50_000


@pytest.mark.parametrize(
    "name", ["አሚና በቀለ", "فاطمة الزهراء", "Fatou Ndiaye-Diop", "Jean-Baptiste N'Guessan"]
)
def test_signup_accepts_names_in_any_script(post_form, db, name):
    response = post_form("/signup", signup_data(full_name=f"  {name} "))
    assert response.status_code == 200
    assert user_by_email(db, "halima@example.org").full_name == name


def test_a_name_with_html_is_stored_as_text_and_always_shown_escaped(
    app, client, post_form, db, auth
):
    script = "<script>alert('x')</script>"
    # Refused for another reason, the form shows the name back, escaped.
    refused = post_form("/signup", signup_data(full_name=script, password="short", confirm="short"))
    assert refused.status_code == 400
    assert script not in refused.get_data(as_text=True)
    assert "&lt;script&gt;" in refused.get_data(as_text=True)

    assert post_form("/signup", signup_data(full_name=script)).status_code == 200
    assert user_by_email(db, "halima@example.org").full_name == script
    client.get(confirm_link(app, "halima@example.org"))
    auth.logout()
    welcome = client.get(auth.login("halima@example.org", "millet and groundnuts").location)
    html = welcome.get_data(as_text=True)
    assert "Welcome back, &lt;script&gt;" in html
    assert script not in html


def test_signup_without_csrf_token_is_refused(client, db):
    response = client.post("/signup", data=signup_data())
    assert response.status_code == 400
    assert "Reload the page and send it again" in response.get_data(as_text=True)
    assert user_count(db) == 0


def test_signup_with_forged_csrf_token_is_refused(client, db):
    client.get("/signup")
    response = client.post("/signup", data={"csrf_token": "forged.token.value", **signup_data()})
    assert response.status_code == 400
    assert user_count(db) == 0


def test_logged_in_user_is_sent_home_from_signup(client, auth, people):
    auth.login("amina@example.org")
    assert client.get("/signup").status_code == 302


# --- log in and out -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "login", ["amina@example.org", "  AMINA@EXAMPLE.ORG ", "Amina@Example.Org"]
)
def test_login_by_email_in_any_case(client, auth, people, login):
    response = auth.login(login)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_login_by_phone_number_however_it_is_written(client, auth, db, people):
    people.amina.user.phone = "+2348031234567"
    db.commit()
    assert auth.login("+234 803-123 4567").status_code == 302
    assert is_logged_in(client)


def test_wrong_password_and_unknown_email_get_the_identical_answer(client, auth, people):
    wrong_password = auth.login("amina@example.org", "not her password at all")
    unknown_email = auth.login("nobody@example.org", "not her password at all")
    assert wrong_password.status_code == unknown_email.status_code == 401
    message = "That email or phone number and password do not match an active account."
    assert message in wrong_password.get_data(as_text=True)
    assert message in unknown_email.get_data(as_text=True)
    assert not is_logged_in(client)


def test_login_follows_only_local_next_links(client, people):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    data = {"csrf_token": token, "login": "amina@example.org", "password": PASSWORD}
    response = client.post("/login?next=//evil.example/steal", data=data)
    assert response.headers["Location"] == "/"


def test_empty_login_form_says_what_to_fill(client, post_form):
    response = post_form("/login", {"login": "", "password": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter the email address or phone number you signed up with." in html
    assert "Enter your password." in html


def test_logout_ends_the_session(client, auth, people):
    auth.login("tesfaye@example.org")
    response = auth.logout()
    assert response.status_code == 302
    assert not is_logged_in(client)


def test_logout_is_not_possible_with_a_plain_link(client, auth, people):
    auth.login("tesfaye@example.org")
    assert client.get("/logout").status_code == 405
    assert is_logged_in(client)


def test_logout_without_csrf_token_is_refused_and_keeps_the_user_logged_in(client, auth, people):
    auth.login("tesfaye@example.org")
    assert client.post("/logout").status_code == 400
    assert is_logged_in(client)


# --- inactive accounts --------------------------------------------------------------------


def test_inactive_account_cannot_log_in(client, auth, db, people):
    people.tesfaye.user.is_active = False
    db.commit()
    response = auth.login("tesfaye@example.org")
    assert response.status_code == 401
    assert "do not match an active account" in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_deactivating_an_account_ends_its_open_session(client, auth, db, people):
    auth.login("tesfaye@example.org")
    assert is_logged_in(client)
    people.tesfaye.user.is_active = False
    db.commit()
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


# --- change password ----------------------------------------------------------------------


def change_password_data(**overrides: str) -> dict[str, str]:
    data = {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    data.update(overrides)
    return data


def test_change_password_page_needs_login(client):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_change_password_keeps_this_session_and_ends_the_others(app, client, auth, people):
    other_device = app.test_client()
    AuthActions(other_device).login("fatou@example.org")
    auth.login("fatou@example.org")
    assert is_logged_in(other_device)

    page = client.get("/account/password").get_data(as_text=True)
    assert 'autocomplete="current-password"' in page
    response = client.post(
        "/account/password",
        data={"csrf_token": csrf_token_from(page), **change_password_data()},
    )
    assert response.status_code == 302
    assert is_logged_in(client)
    assert not is_logged_in(other_device)

    auth.logout()
    assert auth.login("fatou@example.org", PASSWORD).status_code == 401
    assert auth.login("fatou@example.org", NEW_PASSWORD).status_code == 302


def test_change_password_with_wrong_current_password_says_so_on_that_field(
    client, auth, post_form, db, people
):
    auth.login("fatou@example.org")
    response = post_form(
        "/account/password", change_password_data(current_password="a wrong guess here")
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="current_password-error"' in html
    assert "That is not your current password" in html
    auth.logout()
    assert auth.login("fatou@example.org", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "tooshort", "confirm": "tooshort"}, "Use at least 10 characters"),
        ({"confirm": "something else entirely"}, "The two passwords are not the same"),
        (
            {"password": "FATOU@example.org", "confirm": "FATOU@example.org"},
            "Do not use your email address",
        ),
    ],
)
def test_change_password_refuses_a_weak_new_password(
    client, auth, post_form, people, overrides, message
):
    auth.login("fatou@example.org")
    response = post_form("/account/password", change_password_data(**overrides))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    auth.logout()
    assert auth.login("fatou@example.org", PASSWORD).status_code == 302


# --- where log-in leads (finding 10) -------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example/",
        "/%0A/evil.example/",
        "/%0d%0aSet-Cookie:%20x=1",
        "//evil.example/",
        "/\\evil.example/",
        "/%5Cevil.example/",
        "https://evil.example/",
        "javascript:alert(1)",
        "%2F%2Fevil.example",
    ],
)
def test_login_never_leads_off_site(client, people, target):
    html = client.get(f"/login?next={target}").get_data(as_text=True)
    response = client.post(
        f"/login?next={target}",
        data={
            "csrf_token": csrf_token_from(html),
            "login": "amina@example.org",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_follows_a_same_site_path_with_its_query(client, people):
    html = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login?next=/matches%3Fkind%3Dinvestment",
        data={
            "csrf_token": csrf_token_from(html),
            "login": "amina@example.org",
            "password": PASSWORD,
        },
    )
    assert response.headers["Location"] == "/matches?kind=investment"
