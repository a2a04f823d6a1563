"""Assisted registration and claiming: Jean registers Hauwa, a farmer near Kano who has a
phone and no email; Hauwa claims the account with a code sent by SMS."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from mentormatch.db import session_scope, utcnow
from mentormatch.models import (
    AccountClaim,
    ConsentRecord,
    EntrepreneurProfile,
    OutboxEmail,
    OutboxSms,
    ReviewStatus,
    Role,
    User,
)
from mentormatch.registration import claims
from mentormatch.sms import deliver_sms_outbox, load_gateway
from tests.builders import PASSWORD, make_user
from tests.conftest import deliver_emails, page_without_tokens

HAUWA = {
    "full_name": "Hauwa Musa",
    "phone": "0803 555 0199",  # as dialled in Nigeria
    "email": "",
    "country_code": "NG",
    "region_code": "",
    "locality": "Dawakin Kudu",
    "business_name": "Hauwa Groundnut Oil",
    "description": "Presses groundnut oil for the Kano market.",
    "stage": "starting",
    "value_chains": ["oilseeds"],
    "languages": "Hausa",
    "is_women_led": "y",
    "consent_register": "y",
    "consent_share": "y",
    "consent_sms": "y",
    "consent_method": "spoken",
    "review_status": "approved",
    "send_invitation": "y",
}
NEW_PASSWORD = "groundnut oil from kano"


def register(post_form, **changes):
    answers = {**HAUWA, **changes}
    answers = {key: value for key, value in answers.items() if value is not None}
    return post_form("/coordinator/register", answers)


def hauwa(db) -> User:
    db.expire_all()
    return db.scalars(select(User).where(User.full_name == "Hauwa Musa")).one()


def sent_sms(app) -> list[tuple[str, str]]:
    """Deliver the SMS outbox as the worker does; every text the gateway got so far."""
    gateway = app.extensions.setdefault("test_sms_gateway", load_gateway(app.config))
    with app.app_context(), session_scope() as session:
        deliver_sms_outbox(session, gateway)
    return gateway.sent


@pytest.fixture
def jean(auth, people):
    auth.login("jean@example.org")
    return people.jean


def test_a_coordinator_registers_a_farmer_with_a_phone_and_her_consent(
    app, client, db, jean, post_form
):
    response = register(post_form)
    assert response.status_code == 302, response.get_data(as_text=True)
    person = hauwa(db)
    assert (person.phone, person.email, person.password_hash) == ("+2348035550199", None, None)
    assert person.registered_by_id == jean.id
    profile = person.entrepreneur_profile
    assert profile.review_status is ReviewStatus.APPROVED
    assert (profile.country_code, profile.region_code) == ("NG", "NG-KN")  # found from the town
    assert [c.code for c in profile.value_chains] == ["oilseeds"]
    assert profile.languages == ["hau"] and profile.is_women_led
    consent = db.scalars(select(ConsentRecord)).one()
    assert consent.user_id == person.id and consent.recorded_by_id == jean.id
    assert consent.statements == ["register", "share", "sms"]
    assert "a mentor or investor gets my phone number only after" in consent.text
    assert consent.method.value == "spoken" and consent.recorded_at is not None
    # The invitation says where to claim the account; it carries no code.
    [(to, body)] = sent_sms(app)
    assert to == "+2348035550199" and "/claim" in body and "Jean Mukendi" in body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"consent_share": None}, "consent_share", "The person must agree to this"),
        ({"consent_method": None}, "consent_method", "Say how the person gave their consent."),
        ({"phone": ""}, "phone", "Enter the person's phone number"),
        ({"phone": "0803 555"}, "phone", "does not have the length of a phone number in Nigeria"),
        ({"phone": "+2348031234567"}, "phone", "is already registered to another account."),
        ({"value_chains": []}, "value_chains", "Choose at least one value chain."),
        ({"languages": "Hausaa"}, "languages", 'Did you mean "Hausa"?'),
        ({"locality": "", "region_code": ""}, "locality", "Write the town or village"),
    ],
)
def test_a_bad_registration_says_what_to_fix_and_writes_nothing(
    db, people, jean, post_form, changes, field, message
):
    people.amina.user.phone = "+2348031234567"
    db.commit()
    response = register(post_form, **changes)
    html = response.get_data(as_text=True).replace("&#34;", '"').replace("&#39;", "'")
    assert response.status_code == 400
    assert message in html
    assert f'id="{field}-error"' in html or f'id="{field}"' in html
    assert (
        db.scalar(select(func.count()).select_from(User).where(User.full_name == "Hauwa Musa")) == 0
    )
    assert db.scalar(select(func.count()).select_from(ConsentRecord)) == 0


def test_a_field_officer_registers_people_who_wait_for_a_coordinator(db, auth, people, post_form):
    moussa = make_user(db, Role.FIELD_OFFICER, "Moussa Traoré", "moussa@example.org")
    db.commit()
    auth.login("moussa@example.org")
    # A field officer cannot choose the status: the forged choice is ignored.
    assert register(post_form, review_status="approved").status_code == 302
    person = hauwa(db)
    assert person.registered_by_id == moussa.id
    assert person.entrepreneur_profile.review_status is ReviewStatus.PENDING


def test_a_field_officer_edits_only_the_people_they_registered(client, db, auth, people, post_form):
    moussa = make_user(db, Role.FIELD_OFFICER, "Moussa Traoré", "moussa@example.org")
    make_user(db, Role.FIELD_OFFICER, "Awa Keita", "awa@example.org")
    db.commit()
    auth.login("moussa@example.org")
    register(post_form)
    person = hauwa(db)
    edit = f"/coordinator/registrations/{person.id}/edit"
    answers = {**HAUWA, "business_name": "Hauwa Oil Press"}
    assert post_form(edit, answers).status_code == 302
    assert hauwa(db).entrepreneur_profile.business_name == "Hauwa Oil Press"
    # Amina signed up herself; Awa did not register Hauwa.
    assert client.get(f"/coordinator/registrations/{people.amina.user.id}/edit").status_code == 403
    auth.logout()
    auth.login("awa@example.org")
    assert client.get(edit).status_code == 403
    response = client.post(edit, data={**answers, "business_name": "Taken over"})
    assert response.status_code in (400, 403)
    assert hauwa(db).entrepreneur_profile.business_name == "Hauwa Oil Press"
    assert moussa.id == hauwa(db).registered_by_id


# --- claiming ------------------------------------------------------------------------------


@pytest.fixture
def registered(app, db, jean, auth, post_form) -> User:
    """Hauwa registered by Jean (invitation sent), and Jean logged out."""
    register(post_form)
    sent_sms(app)
    auth.logout()
    return hauwa(db)


def ask_for_code(app, post_form, login="0803 555 0199"):
    response = post_form("/claim", {"login": login})
    assert response.status_code == 200
    texts = sent_sms(app)
    return response, texts


def code_in(body: str) -> str:
    import re

    match = re.search(r"code is (\d{6})", body)
    assert match, body
    return match.group(1)


def test_the_farmer_claims_her_account_with_the_code_sent_by_sms(
    app, client, db, registered, post_form, auth
):
    response, texts = ask_for_code(app, post_form)
    assert "a code is on its way" in response.get_data(as_text=True)
    to, body = texts[-1]
    assert to == "+2348035550199"
    code = code_in(body)
    # Nothing stored holds the code: only its keyed hash.
    claim = db.scalars(select(AccountClaim)).one()
    assert claim.code_hash and code not in claim.code_hash
    assert all(code not in sms.body for sms in db.scalars(select(OutboxSms)))
    answer = post_form(
        "/claim/code",
        {
            "login": "+234 803 555 0199",
            "code": code,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
        page="/claim/code",
    )
    assert answer.status_code == 302 and answer.location.endswith("/profile")
    assert client.get("/profile").status_code == 200
    # Single use: the same code does not work twice; she logs in with her password now.
    auth.logout()
    db.expire_all()
    assert hauwa(db).password_hash is not None
    again = post_form(
        "/claim/code",
        {
            "login": "08035550199",
            "code": code,
            "password": "another password here",
            "confirm": "another password here",
        },
        page="/claim/code",
    )
    assert again.status_code == 400
    assert "That code does not work" in again.get_data(as_text=True)


def test_the_login_page_takes_her_number_as_dialled_in_nigeria(
    app, client, db, registered, post_form, auth
):
    _, texts = ask_for_code(app, post_form)
    code = code_in(texts[-1][1])
    post_form(
        "/claim/code",
        {"login": "0803 555 0199", "code": code, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        page="/claim/code",
    )
    auth.logout()
    assert auth.login("0803-555-0199", NEW_PASSWORD).status_code == 302
    auth.logout()
    assert auth.login("+234 803 555 0199", NEW_PASSWORD).status_code == 302


def test_wrong_codes_count_and_the_fifth_ends_the_code(app, db, registered, post_form):
    _, texts = ask_for_code(app, post_form)
    code = code_in(texts[-1][1])
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        answer = post_form(
            "/claim/code",
            {
                "login": "08035550199",
                "code": wrong,
                "password": NEW_PASSWORD,
                "confirm": NEW_PASSWORD,
            },
            page="/claim/code",
        )
        assert answer.status_code == 400
    answer = post_form(
        "/claim/code",
        {"login": "08035550199", "code": code, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        page="/claim/code",
    )
    assert answer.status_code == 400
    assert hauwa(db).password_hash is None


def test_an_expired_code_does_not_work(app, db, registered, post_form):
    _, texts = ask_for_code(app, post_form)
    code = code_in(texts[-1][1])
    claim = db.scalars(select(AccountClaim)).one()
    claim.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    answer = post_form(
        "/claim/code",
        {"login": "08035550199", "code": code, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        page="/claim/code",
    )
    assert answer.status_code == 400 and hauwa(db).password_hash is None


def test_codes_per_account_are_limited_and_unknown_numbers_get_the_same_answer(
    app, db, registered, post_form
):
    for _ in range(5):
        ask_for_code(app, post_form)
    assert db.scalar(select(func.count()).select_from(AccountClaim)) == 3
    unknown, _ = ask_for_code(app, post_form, login="0803 555 0100")
    known, _ = ask_for_code(app, post_form)
    assert page_without_tokens(unknown).replace("0803 555 0100", "X") == page_without_tokens(
        known
    ).replace("0803 555 0199", "X")


def test_an_account_with_a_password_cannot_be_claimed(app, db, people, post_form):
    people.amina.user.phone = "+2348031234567"
    db.commit()
    ask_for_code(app, post_form, login="0803 123 4567")
    assert db.scalar(select(func.count()).select_from(AccountClaim)) == 0


def test_a_code_by_email_is_made_only_when_the_email_is_sent(app, db, people, post_form):
    imported = make_user(db, Role.ENTREPRENEUR, "Chinedu Eze", "chinedu@example.org", password=None)
    db.commit()
    post_form("/claim", {"login": "Chinedu@Example.org"})
    outbox = db.scalars(select(OutboxEmail)).one()
    assert "{code}" in outbox.body and outbox.claim_id is not None
    [message] = [m for m in deliver_emails(app) if m["To"] == "chinedu@example.org"]
    code = code_in(message.get_content())
    db.expire_all()
    assert code not in db.get(OutboxEmail, outbox.id).body
    answer = post_form(
        "/claim/code",
        {
            "login": "chinedu@example.org",
            "code": code,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
        page="/claim/code",
    )
    assert answer.status_code == 302
    db.expire_all()
    assert db.get(User, imported.id).email_confirmed_at is not None


def test_the_code_never_reaches_a_coordinators_page(app, client, db, registered, auth, post_form):
    _, texts = ask_for_code(app, post_form)
    code = code_in(texts[-1][1])
    auth.login("jean@example.org")
    for url in (
        "/coordinator/registrations",
        f"/coordinator/registrations/{registered.id}/edit",
        "/",
    ):
        assert code not in client.get(url).get_data(as_text=True)


def test_coordinators_create_field_officers_who_claim_their_account(
    app, client, db, jean, auth, post_form
):
    response = post_form(
        "/coordinator/field-officers",
        {"full_name": "Moussa Traoré", "email": "moussa@example.org", "phone": "+223 76 12 34 56"},
    )
    assert response.status_code == 302
    moussa = db.scalars(select(User).where(User.email == "moussa@example.org")).one()
    assert (moussa.role, moussa.phone, moussa.password_hash) == (
        Role.FIELD_OFFICER,
        "+22376123456",
        None,
    )
    auth.logout()
    _, texts = ask_for_code(app, post_form, login="+223 76 12 34 56")
    code = code_in(texts[-1][1])
    answer = post_form(
        "/claim/code",
        {"login": "+22376123456", "code": code, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        page="/claim/code",
    )
    assert answer.status_code == 302
    assert "Register an entrepreneur" in client.get("/").get_data(as_text=True)


def test_claim_service_refuses_the_code_of_an_older_request_once_a_newer_one_was_used(
    app, db, registered
):
    policy = claims.ClaimPolicy(secret_key="testing-secret-key-not-for-production")
    first = claims.request_code(db, "08035550199", policy)
    second = claims.request_code(db, "08035550199", policy)
    db.commit()
    code_one = code_in(claims.with_code(db, first.id, claims.sms_text(policy.code_minutes), policy))
    code_two = code_in(
        claims.with_code(db, second.id, claims.sms_text(policy.code_minutes), policy)
    )
    claims.claim_account(db, "08035550199", code_two, NEW_PASSWORD, policy)
    db.commit()
    with pytest.raises(claims.ClaimRefused):
        claims.claim_account(db, "08035550199", code_one, NEW_PASSWORD, policy)
    assert db.scalar(select(func.count()).select_from(EntrepreneurProfile)) >= 1
    assert PASSWORD  # the builders' password is not the one she chose
