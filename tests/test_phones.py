"""Phone numbers in E.164, read in the country of the profile, everywhere: sign-up, the
wizard, the import, log-in, the command line, and the numbers stored before."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command as alembic_command
from sqlalchemy import select, text

from mentormatch.cli import alembic_config
from mentormatch.db import make_engine
from mentormatch.importer import ENTREPRENEURS, import_records
from mentormatch.models import EntrepreneurProfile, Role, User
from mentormatch.phones import PhoneError, display_phone, parse_phone
from tests.builders import PASSWORD, make_diaspora
from tests.test_profile_rules import KOFI_ROW
from tests.test_profiles import ENTREPRENEUR_ANSWERS, fill_steps, log_in_new


@pytest.mark.parametrize(
    ("typed", "country", "stored"),
    [
        ("0803 123 4567", "NG", "+2348031234567"),  # as dialled in Nigeria
        ("0803-123-4567", "NG", "+2348031234567"),
        ("+234 (0)803 123 4567", None, "+2348031234567"),
        ("00234 803 123 4567", None, "+2348031234567"),  # the international prefix
        ("+234 ٨٠٣ ١٢٣ ٤٥٦٧", None, "+2348031234567"),  # Arabic-Indic digits
        ("024 412 3456", "GH", "+233244123456"),
        ("+44 7700 900123", "NG", "+447700900123"),  # a country code wins over the profile's
        ("07700 900123", "GB", "+447700900123"),  # fictional UK range: possible, not "valid"
        ("0911 555 010", "ET", "+251911555010"),
    ],
)
def test_numbers_are_stored_in_e164(typed, country, stored):
    assert parse_phone(typed, country) == stored


@pytest.mark.parametrize(
    ("typed", "country", "message"),
    [
        ("0803 123 4567", None, 'Write "0803 123 4567" with its country code, for example'),
        ("0803 123", "NG", "does not have the length of a phone number in Nigeria"),
        ("+1 202 555 01430", None, "is too long for a phone number in United States"),
        ("+999 803 123 4567", None, "does not start with a known country code"),
        ("call me", "NG", "has characters a phone number does not have"),
        ("0803 123 4567 ext. 12", "NG", "has characters a phone number does not have"),
    ],
)
def test_a_number_that_cannot_be_read_says_what_to_fix(typed, country, message):
    with pytest.raises(PhoneError, match=message):
        parse_phone(typed, country)


def test_numbers_are_shown_grouped():
    assert display_phone("+2348031234567") == "+234 803 123 4567"


def test_the_wizard_reads_the_contact_phone_in_the_country_of_the_business(db, auth, post_form):
    log_in_new(db, auth, Role.ENTREPRENEUR, "Kofi Mensah", "kofi@example.org")
    answers = {**ENTREPRENEUR_ANSWERS, "contact": {"contact_phone": "024 412 3456"}}
    fill_steps(post_form, answers)
    db.expire_all()
    assert db.scalars(select(EntrepreneurProfile)).one().contact_phone == "+233244123456"


def test_sign_up_stores_the_number_in_e164(post_form, db):
    post_form(
        "/signup",
        {
            "role": "entrepreneur",
            "full_name": "Halima Sule",
            "email": "halima@example.org",
            "phone": "00234 803 555 0101",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert db.scalar(select(User.phone).where(User.email == "halima@example.org")) == (
        "+2348035550101"
    )


def test_the_import_reads_a_national_number_in_the_row_s_country(db):
    result = import_records(db, ENTREPRENEURS, [(2, {**KOFI_ROW, "phone": "024 412 3456"})])
    assert result.ok, [str(e) for e in result.errors]
    assert db.scalar(select(User.phone)) == "+233244123456"


def test_log_in_with_the_number_as_dialled_in_the_country_of_the_profile(client, db, auth, people):
    people.amina.user.phone = "+2348031234567"
    make_diaspora(
        db, "Ngozi Obi", "ngozi@example.org", phone="+447700900123", residence_country="GB"
    )
    db.commit()
    for typed in ("0803 123 4567", "+234 803 123 4567", "08031234567"):
        assert auth.login(typed).status_code == 302, typed
        auth.logout()
    assert auth.login("07700 900123").status_code == 302  # Ngozi lives in the UK
    auth.logout()
    # Read in Kenya or in the UK, Amina's national number is someone else's (or nobody's).
    assert auth.login("0803 123 4567".replace("0803", "0703")).status_code == 401


def test_create_user_stores_the_number_in_e164(runner, db):
    result = runner.invoke(
        args=[
            "create-user", "--role", "field_officer", "--name", "Moussa Traoré",
            "--phone", "+223 76 12 34 56", "--password", PASSWORD,
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    officer = db.scalars(select(User).where(User.role == Role.FIELD_OFFICER)).one()
    assert officer.phone == "+22376123456"


NOW = "2026-11-01 00:00:00+00:00"


def test_the_migration_normalises_stored_numbers_and_reports_the_rest(tmp_path: Path, capsys):
    url = "sqlite:///" + str(tmp_path / "phones.sqlite3")
    config = alembic_config(url)
    alembic_command.upgrade(config, "0007_hardening")
    engine = make_engine(url)
    users = [
        (1, "0803 123 4567", "NG"),  # national, read in Nigeria
        (2, "+254712345678", "KE"),  # already E.164
        (3, "call me maybe", "NG"),  # unreadable: left as it is
        (4, "+234 803 123 4567", "NG"),  # the same number as user 1 once normalised
    ]
    with engine.begin() as conn:
        for user_id, phone, country in users:
            conn.execute(
                text(
                    "INSERT INTO users (id, full_name, phone, role, is_active, session_version, "
                    "created_at, updated_at) VALUES (:id, 'A', :phone, 'entrepreneur', 1, 1, "
                    ":now, :now)"
                ),
                {"id": user_id, "phone": phone, "now": NOW},
            )
            conn.execute(
                text(
                    "INSERT INTO entrepreneur_profiles (id, user_id, business_name, description, "
                    "country_code, locality, region_source, stage, skills_needed_text, "
                    "languages, seeking_investment, investment_instruments, is_returnee, "
                    "is_women_led, is_youth_led, review_status, contact_phone, created_at, "
                    "updated_at) VALUES (:id, :id, 'Farm', '', :country, '', 'unresolved', "
                    "'starting', '', '[]', 0, '[]', 0, 0, 0, 'approved', :phone, :now, :now)"
                ),
                {"id": user_id, "country": country, "phone": phone, "now": NOW},
            )
    alembic_command.upgrade(config, "0009_intake")
    with engine.connect() as conn:
        phones = conn.execute(text("SELECT id, phone FROM users ORDER BY id")).all()
        contacts = conn.execute(
            text("SELECT id, contact_phone FROM entrepreneur_profiles ORDER BY id")
        ).all()
    engine.dispose()
    assert [tuple(row) for row in phones] == [
        (1, "+2348031234567"),
        (2, "+254712345678"),
        (3, "call me maybe"),
        (4, "+234 803 123 4567"),  # would clash with user 1: reported, not changed
    ]
    assert [tuple(row) for row in contacts] == [
        (1, "+2348031234567"),
        (2, "+254712345678"),
        (3, "call me maybe"),
        (4, "+2348031234567"),  # contact phones are not unique
    ]
    report = capsys.readouterr().out
    assert "user 3: 'call me maybe'" in report
    assert "user 4: '+234 803 123 4567' is +2348031234567, which another account has" in report
