"""The demo coordinator's intake day in a real browser on a phone-sized screen: register a
farmer met in the field by phone, import a small survey with one bad row (see the row's
error, import the rest), export the pairings; the farmer claims her account with the code
from the text message. The worker runs beside the server, as in `make run`.
"""

from __future__ import annotations

import csv
import io
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.db import session_scope
from mentormatch.models import EntrepreneurProfile, PairingState, User
from mentormatch.seeding import DEMO_ACCOUNTS, ensure_demo_accounts
from mentormatch.sms import LogGateway, deliver_sms_outbox
from mentormatch.transfers import jobs
from tests.builders import People
from tests.e2e.pages import logged_in_page
from tests.e2e.test_accessibility import violations
from tests.pairing_builders import pairing_in_state
from tests.test_importer import csv_bytes, entrepreneur

COORDINATOR = next(account for account in DEMO_ACCOUNTS if account.label == "coordinator")


@pytest.fixture
def worker(app: Flask) -> Iterator[LogGateway]:
    """The worker's import and SMS jobs in a thread; yields the gateway the texts went to."""
    gateway = LogGateway(keep=True)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            with app.app_context(), session_scope() as session:
                jobs.run_next(session)
                deliver_sms_outbox(session, gateway)
            stop.wait(0.3)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield gateway
    stop.set()
    thread.join(10)


@pytest.fixture
def coordinator_day(db: Session, people: People) -> None:
    """The demo accounts, and an approved introduction to export."""
    ensure_demo_accounts(db)
    db.commit()
    pairing_in_state(db, people, PairingState.APPROVED)


def no_violations(page: Page, where: str) -> None:
    found = violations(page)
    assert found == [], f"{where}: {found}"


def test_the_demo_coordinator_registers_imports_and_exports(
    live_server: str,
    browser: Browser,
    browser_context_args: dict[str, Any],
    coordinator_day: None,
    worker: LogGateway,
    db: Session,
    tmp_path: Path,
) -> None:
    jean = logged_in_page(
        browser, live_server, COORDINATOR.email, browser_context_args, COORDINATOR.password
    )

    # A farmer met in the field: a phone number, her consent, her groundnut oil press.
    jean.get_by_role("link", name="Register an entrepreneur met in the field").click()
    expect(jean.get_by_role("heading", level=1)).to_have_text("Register an entrepreneur")
    no_violations(jean, "register")
    jean.get_by_label("Full name", exact=True).fill("Hauwa Musa")
    jean.get_by_label("Phone number", exact=True).fill("0803 555 0199")
    jean.get_by_label("Languages spoken").fill("Hausa")
    jean.get_by_label("Name of the farm or business").fill("Hauwa Groundnut Oil")
    jean.get_by_label("Country", exact=True).select_option("NG")
    jean.get_by_label("Town, village or district").fill("Dawakin Kudu")
    jean.get_by_role("checkbox", name=re.compile(r"^Oilseeds")).check()
    jean.get_by_label(re.compile(r"^MentorMatch keeps my name")).check()
    jean.get_by_label(re.compile(r"^The programme's coordinators")).check()
    jean.get_by_label(re.compile(r"^MentorMatch may send me text messages")).check()
    jean.get_by_label("Said yes after the statements were read to them").check()
    jean.get_by_role("button", name="Register").click()
    expect(jean.get_by_text("Hauwa Musa is registered")).to_be_visible()
    expect(jean.get_by_role("cell", name="Hauwa Groundnut Oil")).to_be_visible()

    # A small survey with one bad row: the error by its row, then the rest imported.
    survey = tmp_path / "kano-survey.csv"
    survey.write_bytes(
        csv_bytes(entrepreneur(1), entrepreneur(2, value_chains="poltry"), entrepreneur(3))
    )
    jean.get_by_role("link", name="Import", exact=True).click()
    no_violations(jean, "import")
    jean.get_by_label("File to import").set_input_files(str(survey))
    jean.get_by_role("button", name="Check the file").click()
    expect(jean.get_by_role("heading", name="1 row with problems")).to_be_visible(timeout=20_000)
    problem = jean.get_by_role("row").filter(has_text="poltry")
    expect(problem).to_contain_text("3")
    expect(problem).to_contain_text('Did you mean "poultry"?')
    no_violations(jean, "import problems")
    jean.get_by_role("button", name="Import the 2 valid rows, skip 1").click()
    expect(jean.get_by_text("2 profiles imported")).to_be_visible(timeout=20_000)

    # The pairings, with their history, as a file.
    jean.get_by_role("link", name="Export", exact=True).click()
    no_violations(jean, "export")
    with jean.expect_download() as download:
        jean.get_by_role("button", name="Pairings as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert [(row["entrepreneur"], row["state"]) for row in rows] == [("Amina Bello", "approved")]
    assert "approve by Jean Mukendi" in rows[0]["history"]
    jean.reload()
    expect(jean.get_by_role("cell", name="pairings (CSV)")).to_be_visible()

    db.expire_all()
    imported = db.scalars(select(User.email).where(User.email.like("farmer%"))).all()
    assert sorted(imported) == ["farmer1@example.org", "farmer3@example.org"]
    hauwa = db.scalars(select(User).where(User.full_name == "Hauwa Musa")).one()
    assert hauwa.phone == "+2348035550199"
    profile = db.scalars(
        select(EntrepreneurProfile).where(EntrepreneurProfile.user_id == hauwa.id)
    ).one()
    assert profile.region_code == "NG-KN"

    # Hauwa claims her account with the code the text message brings.
    farmer = browser.new_context(**browser_context_args).new_page()
    farmer.goto(live_server + "/login")
    farmer.get_by_role("link", name="Claim your account").click()
    no_violations(farmer, "claim")
    farmer.get_by_label("Phone number or email address").fill("0803 555 0199")
    farmer.get_by_role("button", name="Send me a code").click()
    expect(farmer.get_by_text("a code is on its way")).to_be_visible()
    code = None
    for _ in range(50):
        texts = [body for to, body in worker.sent if to == "+2348035550199" and "code" in body]
        if texts:
            code = re.search(r"code is (\d{6})", texts[-1])
            break
        time.sleep(0.2)
    assert code, worker.sent
    farmer.get_by_label("Code", exact=True).fill(code.group(1))
    farmer.get_by_label("Choose a password").fill("groundnut oil from kano")
    farmer.get_by_label("Type the password again").fill("groundnut oil from kano")
    farmer.get_by_role("button", name="Claim my account").click()
    expect(farmer.get_by_text("Your account is yours now")).to_be_visible()
