"""One mailbox, one account: email addresses are compared in one written form (NFC local
part, the domain's Unicode form whether typed as IDN or punycode, any case) at sign-up,
create-user, import and log-in; a migration reports accounts that already clash."""

from __future__ import annotations

import unicodedata

from sqlalchemy import create_engine, func, select, text

from mentormatch.cli import alembic_config
from mentormatch.importer import import_profiles
from mentormatch.models import Role, User, normalize_email
from tests.builders import make_user
from tests.conftest import AuthActions
from tests.test_auth import signup_data

NFC = unicodedata.normalize("NFC", "zoé@example.org")
NFD = unicodedata.normalize("NFD", "zoé@example.org")
IDN = "amina@bücher.example"
PUNYCODE = "amina@xn--bcher-kva.example"


def test_the_two_ways_of_writing_one_address_become_one():
    assert NFC != NFD
    assert normalize_email(NFC) == normalize_email(NFD)
    assert (
        normalize_email(IDN)
        == normalize_email(PUNYCODE)
        == normalize_email(" Amina@Bücher.Example ")
    )


def users(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(User))


def test_sign_up_sees_an_nfd_address_as_the_nfc_account(post_form, db):
    make_user(db, Role.ENTREPRENEUR, "Zoé Kaboré", NFC)
    db.commit()
    before = users(db)
    assert post_form("/signup", signup_data(email=NFD)).status_code == 200
    assert users(db) == before


def test_sign_up_sees_a_punycode_address_as_the_idn_account(post_form, db):
    make_user(db, Role.ENTREPRENEUR, "Amina Bello", IDN)
    db.commit()
    before = users(db)
    assert post_form("/signup", signup_data(email=PUNYCODE)).status_code == 200
    assert users(db) == before


def test_log_in_works_with_either_form(client, db):
    make_user(db, Role.ENTREPRENEUR, "Amina Bello", IDN)
    db.commit()
    assert AuthActions(client).login(PUNYCODE).status_code == 302


def test_create_user_refuses_the_other_form(runner, db):
    make_user(db, Role.COORDINATOR, "Zoé Kaboré", NFC)
    db.commit()
    result = runner.invoke(
        args=[
            "create-user",
            "--role",
            "coordinator",
            "--name",
            "Z K",
            "--email",
            NFD,
            "--password",
            "coffee from the highlands",
        ]
    )
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_import_refuses_the_other_form(db):
    make_user(db, Role.ENTREPRENEUR, "Amina Bello", IDN)
    db.commit()
    csv = (
        "full_name,email,business_name,country,region,value_chains,languages\n"
        f"Amina B,{PUNYCODE},Amina Poultry,NG,NG-KN,poultry,hau\n"
    ).encode()
    result = import_profiles(db, csv)
    db.rollback()
    assert result.created == 0
    assert any("already registered" in str(error) for error in result.errors)


def test_the_migration_reports_clashes_and_deletes_nothing(tmp_path, capsys):
    from alembic import command

    url = "sqlite:///" + str(tmp_path / "old.sqlite3")
    command.upgrade(alembic_config(url), "0002_pairings")
    engine = create_engine(url)
    with engine.begin() as conn:
        for n, email in enumerate([NFC, NFD, "Musa@Example.org", PUNYCODE], start=1):
            conn.execute(
                text(
                    "INSERT INTO users (id, email, full_name, role, is_active, session_version,"
                    " created_at, updated_at) VALUES (:id, :email, 'Someone', 'entrepreneur',"
                    " 1, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                ),
                {"id": n, "email": email},
            )
    command.upgrade(alembic_config(url), "0007_hardening")
    report = capsys.readouterr().out
    assert "1 email address is used by more than one account" in report
    assert "users 1, 2" in report
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT id, email FROM users")).all())
    engine.dispose()
    assert len(rows) == 4  # nothing deleted
    assert {rows[1], rows[2]} == {NFC, NFD}  # the clashing pair is left for a person to decide
    assert rows[3] == "musa@example.org"  # the others are rewritten in the one form
    assert rows[4] == "amina@bücher.example"
