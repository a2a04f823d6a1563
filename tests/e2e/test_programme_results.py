"""Issue 12 in a real browser, on the demo data of `flask seed`: the demo coordinator runs a
matching round for Nigeria, confirms it and sees the new requests; the demo mentor files
the 30-day check-in of his introduction with Amina; the results page shows both."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.auth.service import find_user_by_login
from mentormatch.db import utcnow
from mentormatch.models import Pairing
from mentormatch.pairings import service
from mentormatch.seeding import DEMO_ACCOUNTS
from tests.builders import People
from tests.e2e import test_accessibility as by_axe
from tests.e2e.pages import logged_in_page
from tests.pairing_builders import request

DEMO = {account.label: account for account in DEMO_ACCOUNTS}


@pytest.fixture
def coached_for_a_month(app: Flask, runner: FlaskCliRunner, db: Session) -> int:
    """`flask seed`, then Amina (demo entrepreneur) has been coached by Musa (demo mentor)
    for 31 days: the 30-day check-in is due."""
    with app.app_context():
        result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    amina = find_user_by_login(db, DEMO["entrepreneur"].email)
    musa = find_user_by_login(db, DEMO["mentor"].email)
    coordinator = find_user_by_login(db, DEMO["coordinator"].email)
    assert amina and musa and coordinator
    assert amina.entrepreneur_profile and musa.diaspora_profile
    then = utcnow() - timedelta(days=31)
    pairing = service.request_introduction(
        db, amina, entrepreneur_id=amina.entrepreneur_profile.id,
        diaspora_id=musa.diaspora_profile.id, kind="coaching", now=then,
    )  # fmt: skip
    service.accept(db, pairing, musa)
    service.approve(db, pairing, coordinator, now=then)
    db.commit()
    return pairing.id


def indicator(page: Page, label: str) -> int:
    """The "All" figure of one indicator row of the results page."""
    cell = page.locator(
        "table.numbers tr", has=page.get_by_role("rowheader", name=label, exact=True)
    )
    return int(cell.first.locator("td").first.inner_text().replace(",", ""))


def test_a_round_then_a_check_in_show_on_the_results_page(
    live_server: str,
    browser: Browser,
    browser_context_args: dict[str, Any],
    db: Session,
    coached_for_a_month: int,
) -> None:
    jean = logged_in_page(
        browser, live_server, DEMO["coordinator"].email, browser_context_args,
        password=DEMO["coordinator"].password,
    )  # fmt: skip
    jean.get_by_role("link", name="Results").click()
    expect(jean.get_by_role("heading", level=1)).to_have_text("Programme results")
    requested_before = indicator(jean, "Introductions requested")
    assert indicator(jean, "Sessions held") == 0

    # The round: coaching in Nigeria, read beside the baseline, then confirmed.
    jean.get_by_role("link", name="Rounds").click()
    jean.get_by_label("Kind of introduction").select_option("coaching")
    jean.get_by_label("Country", exact=True).select_option("NG")
    jean.get_by_role("button", name="Propose a round").click()
    expect(jean.get_by_role("heading", level=1)).to_contain_text("coaching in Nigeria")
    expect(jean.get_by_text("each takes their own top suggestion").first).to_be_visible()
    expect(jean.locator("section", has_text="Left out")).to_contain_text(
        "Already has an approved coaching introduction"
    )
    jean.get_by_role("button", name=re.compile(r"Confirm and send \d+ proposals")).click()
    flash = jean.locator(".flash").inner_text()
    proposed = int(re.search(r"(\d+) introductions proposed", flash).group(1))  # type: ignore[union-attr]
    assert proposed > 0
    created = jean.locator("section", has_text="Introductions from this round")
    expect(created.get_by_role("listitem")).to_have_count(proposed)
    expect(created.get_by_role("listitem").first).to_contain_text("Proposed by a coordinator")
    first = db.scalars(select(Pairing).where(Pairing.round_id.is_not(None))).first()
    assert first is not None and first.state.value == "proposed"

    # Musa files the 30-day check-in of his introduction with Amina.
    musa = logged_in_page(
        browser, live_server, DEMO["mentor"].email, browser_context_args,
        password=DEMO["mentor"].password,
    )  # fmt: skip
    musa.goto(f"{live_server}/pairings/{coached_for_a_month}")
    form = musa.locator("form", has=musa.get_by_role("button", name="Save my check-in"))
    form.get_by_label("Which check-in").select_option("30")
    form.get_by_role("radio", name="Yes").check()
    form.get_by_label("How many sessions have you held so far, in all?").fill("3")
    form.get_by_label("What changed? (optional)").fill("Amina keeps a feed and egg ledger now.")
    form.get_by_role("button", name="Save my check-in").click()
    expect(musa.get_by_text("Thank you: your check-in is saved.")).to_be_visible()
    expect(musa.locator("section", has_text="Check-ins")).to_contain_text(
        "Amina keeps a feed and egg ledger now."
    )

    # The results page shows the round's introductions and the sessions held.
    jean.get_by_role("link", name="Results").click()
    assert indicator(jean, "Introductions requested") == requested_before + proposed
    assert indicator(jean, "Sessions held") == 3
    assert indicator(jean, "Introductions with a check-in") == 1
    expect(jean.locator("svg[role=img]")).to_have_count(4)


audit = by_axe.audit
log_in = by_axe.log_in


def test_results_rounds_and_check_in_pages_pass_axe(
    live_server: str,
    log_in: by_axe.LogIn,
    db: Session,
    people: People,
    audit: by_axe.Audit,
) -> None:
    """The new pages, empty and with errors, pass the same axe-core checks as the others."""
    then = utcnow() - timedelta(days=31)
    coaching = request(db, people.amina.user, people.amina, people.tesfaye, now=then)
    service.accept(db, coaching, people.tesfaye.user)
    service.approve(db, coaching, people.jean, now=then)
    investing = request(
        db, people.amina.user, people.amina, people.fatou, kind="investment", now=then
    )
    service.accept(db, investing, people.fatou.user)
    service.approve(db, investing, people.jean, now=then)
    db.commit()

    jean = log_in("jean@example.org")
    for path, what in (
        ("/coordinator/results", "results"),
        ("/coordinator/results?start=2026-05-01&end=2026-01-01", "results with a bad period"),
        ("/coordinator/rounds", "round form"),
    ):
        jean.goto(live_server + path)
        audit.check(jean, what)
    jean.get_by_label("Minimum share of women-led businesses (%)").fill("150")
    jean.get_by_role("button", name="Propose a round").click()
    audit.check(jean, "round form with errors")
    jean.get_by_label("Minimum share of women-led businesses (%)").fill("100")
    jean.get_by_role("button", name="Propose a round").click()
    audit.check(jean, "a round's proposal")

    tesfaye = log_in("tesfaye@example.org")
    tesfaye.goto(f"{live_server}/pairings/{coaching.id}")
    audit.check(tesfaye, "an introduction with its check-in form")
    tesfaye.get_by_role("button", name="Save my check-in").click()
    audit.check(tesfaye, "the check-in form with errors")
    fatou = log_in("fatou@example.org")
    fatou.goto(f"{live_server}/pairings/{investing.id}")
    audit.check(fatou, "an investment introduction with the money questions")
    jean.get_by_role("button", name=re.compile(r"Confirm and send")).click()
    audit.check(jean, "a confirmed round")
    amina = log_in("amina@example.org")
    amina.goto(live_server + "/inbox")
    audit.check(amina, "inbox with a coordinator's proposal")
