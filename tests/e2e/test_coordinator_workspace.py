"""The coordinator's workspace in a real browser on a phone-sized screen, with the demo data.

A new mentor signs up and finishes his profile: nobody sees him until the demo coordinator
vets him. Then the demo entrepreneur reports a problem with him; every coordinator is
alerted, the report heads the coordinator's page, who suspends the profile while looking
into it and closes the report with a message the entrepreneur reads. Every workspace page
passes axe-core's checks on the way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from playwright.sync_api import Browser, Page, expect

from mentormatch.seeding import DEMO_ACCOUNTS
from tests.e2e.pages import logged_in_page, sign_up
from tests.e2e.test_accessibility import Audit

DEMO = {account.label: account for account in DEMO_ACCOUNTS}
MAX_PAGE_BYTES = 60_000


@pytest.fixture
def audit() -> Iterator[Audit]:
    """Pages checked with axe-core as the test goes; it fails listing every violation."""
    found = Audit()
    yield found
    assert found.pages, "no page was checked"
    assert not found.problems, "accessibility violations:\n" + "\n".join(found.problems)


@pytest.fixture
def seeded(app: Flask, runner: FlaskCliRunner) -> None:
    """The demo data and accounts, loaded by `flask seed` as `make run` does."""
    with app.app_context():
        result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output


def save_and_continue(page: Page) -> None:
    page.get_by_role("button", name="Save and continue").click()


def checked(page: Page, what: str, audit: Audit) -> None:
    """Check the page with axe-core and its size, as a coordinator's page must pass."""
    # A click has started the navigation; on a busy machine the new document may not
    # exist yet.
    page.wait_for_load_state("load")
    size = page.evaluate("document.documentElement.outerHTML.length")
    assert size <= MAX_PAGE_BYTES, (what, size)
    audit.check(page, what)


def sign_up_as_new_mentor(app: Flask, live_server: str, page: Page) -> None:
    """Yohannes, a coffee agronomist in London from Oromia, signs up and finishes."""
    sign_up(
        page, app, live_server, "diaspora", "Yohannes Tadesse", "yohannes@example.org",
        "washed coffee from jimma",
    )  # fmt: skip
    page.get_by_label("Headline").fill("Coffee agronomist in London, from Jimma")
    page.get_by_label("Country where you live").select_option("GB")
    save_and_continue(page)
    origin = page.get_by_role("group", name=re.compile("^Regions you come from"))
    page.get_by_label("Country", exact=True).select_option("ET")
    page.get_by_role("button", name="Show regions").click()
    origin.get_by_label("Oromia").check()
    save_and_continue(page)
    page.get_by_label("Coffee").check()
    save_and_continue(page)
    page.get_by_label("Post-harvest handling").check()
    page.get_by_label("English", exact=True).check()
    page.get_by_label("Amharic", exact=True).check()
    save_and_continue(page)
    page.get_by_label("I can coach or mentor entrepreneurs").check()
    page.get_by_label("How many entrepreneurs at once?").fill("2")
    page.get_by_label("Hours a month").fill("6")
    save_and_continue(page)
    page.get_by_role("button", name="Save and finish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    expect(page.locator("main")).to_contain_text("A programme coordinator will check your profile")


def test_the_demo_coordinator_vets_a_new_mentor_and_handles_a_safety_report(
    app: Flask,
    live_server: str,
    page: Page,
    browser: Browser,
    browser_context_args: dict[str, Any],
    seeded: None,
    audit: Audit,
) -> None:
    sign_up_as_new_mentor(app, live_server, page)
    mentor = page
    profile_url = mentor.get_by_role("link", name="See your profile as others see it")
    expect(profile_url).to_have_count(0)  # not visible to others yet

    # The demo coordinator sees him waiting, reads the profile and approves it.
    coordinator = logged_in_page(
        browser, live_server, DEMO["coordinator"].email, browser_context_args,
        DEMO["coordinator"].password,
    )  # fmt: skip
    coordinator.get_by_role("link", name="Today", exact=True).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("What needs action today")
    checked(coordinator, "coordinator's home page", audit)
    coordinator.get_by_role("link", name=re.compile(r"^1\s+profile waiting for review")).click()
    checked(coordinator, "profiles waiting for review", audit)
    coordinator.get_by_role("link", name="Yohannes Tadesse").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Yohannes Tadesse")
    expect(coordinator.locator("main")).to_contain_text("Coffee agronomist in London")
    checked(coordinator, "a person waiting for review", audit)
    approve = coordinator.locator(
        "form", has=coordinator.get_by_role("button", name="Approve profile")
    )
    approve.get_by_label(re.compile("^Message to the person")).fill(
        "Welcome: coffee farmers in Jimma will be glad of your help."
    )
    approve.get_by_label(re.compile("^Private note")).fill("Checked his LinkedIn and employer.")
    approve.get_by_role("button", name="Approve profile").click()
    expect(coordinator.get_by_text("profile is now “Approved”")).to_be_visible()
    expect(coordinator.locator("main")).to_contain_text("Checked his LinkedIn and employer.")
    checked(coordinator, "an approved person with their suggestions", audit)

    # He is told, and now others see him.
    mentor.goto(live_server + "/notifications")
    expect(mentor.get_by_text("Your profile is approved", exact=True)).to_be_visible()
    mentor.goto(live_server + "/profile")
    mentor.get_by_role("link", name="See your profile as others see it").click()
    public_path = mentor.url.removeprefix(live_server)

    # The demo entrepreneur reports him from his profile page.
    entrepreneur = logged_in_page(
        browser, live_server, DEMO["entrepreneur"].email, browser_context_args,
        DEMO["entrepreneur"].password,
    )  # fmt: skip
    entrepreneur.goto(live_server + public_path)
    expect(entrepreneur.get_by_role("heading", level=1)).to_have_text("Yohannes Tadesse")
    entrepreneur.get_by_role("link", name="Report a problem").click()
    checked(entrepreneur, "report a problem", audit)
    entrepreneur.get_by_label("Asked me for money or a payment").check()
    entrepreneur.get_by_label("Tell us more (optional)").fill(
        "He asked me for 50,000 naira to register with the programme."
    )
    entrepreneur.get_by_role("button", name="Send the report").click()
    expect(
        entrepreneur.get_by_text("your report is sent to the programme coordinators")
    ).to_be_visible()

    # The coordinator is alerted and finds the report at the top of the home page.
    coordinator.reload()
    coordinator.get_by_role("link", name=re.compile("^Notifications 1 new")).click()
    expect(coordinator.get_by_text("Safety report: Yohannes Tadesse", exact=True)).to_be_visible()
    coordinator.get_by_role("link", name="Today", exact=True).click()
    reports = coordinator.get_by_role("region", name=re.compile("^Safety reports to look into"))
    reports.get_by_role("link", name=re.compile("^Yohannes Tadesse")).click()
    expect(coordinator.locator("main")).to_contain_text("50,000 naira")
    checked(coordinator, "a safety report", audit)
    coordinator.get_by_label(re.compile("^Private note")).first.fill("Calling him tomorrow.")
    coordinator.get_by_role("button", name="Suspend Yohannes Tadesse's profile").click()
    expect(coordinator.get_by_text("profile is suspended while you look into it")).to_be_visible()

    # While suspended, nobody else sees him.
    entrepreneur.goto(live_server + public_path)
    expect(entrepreneur.get_by_role("heading", level=1)).to_have_text("Not found")

    # The coordinator closes the report with a warning and a message to the entrepreneur.
    coordinator.get_by_label("The person was warned").check()
    coordinator.get_by_label(re.compile("^Message to the person who reported")).fill(
        "We spoke with him: registering is free. Thank you for telling us."
    )
    coordinator.get_by_role("button", name="Close the report").click()
    expect(coordinator.get_by_text("The report is handled")).to_be_visible()
    expect(coordinator.get_by_role("region", name=re.compile("^Safety reports"))).to_have_count(0)
    coordinator.goto(live_server + "/coordinator/reports?state=closed")
    checked(coordinator, "handled reports", audit)

    entrepreneur.goto(live_server + "/notifications")
    expect(entrepreneur.get_by_text("Your report was looked into", exact=True)).to_be_visible()
    entrepreneur.goto(live_server + public_path)
    expect(entrepreneur.get_by_role("heading", level=1)).to_have_text("Yohannes Tadesse")


def test_every_workspace_list_passes_axe_with_and_without_errors(
    live_server: str,
    browser: Browser,
    browser_context_args: dict[str, Any],
    seeded: None,
    audit: Audit,
) -> None:
    coordinator = logged_in_page(
        browser, live_server, DEMO["coordinator"].email, browser_context_args,
        DEMO["coordinator"].password,
    )  # fmt: skip
    for path, what in (
        ("/coordinator/people", "people"),
        ("/coordinator/people?q=amina&role=entrepreneur&country=NG", "people found"),
        ("/coordinator/people?status=nonsense", "people with a bad filter"),
        ("/coordinator/pairings", "every pairing"),
        ("/coordinator/pairings?since=2026-12-01&until=2026-01-01", "pairings, bad period"),
        ("/coordinator/reports", "open reports"),
        ("/coordinator/vetting", "nothing waiting for review"),
    ):
        coordinator.goto(live_server + path)
        checked(coordinator, what, audit)
    coordinator.goto(live_server + "/coordinator/people?q=Amina+Bello&role=entrepreneur")
    coordinator.get_by_role("link", name="Amina Bello").click()
    checked(coordinator, "an entrepreneur's page", audit)
    coordinator.get_by_role("link", name=re.compile("^Propose an introduction")).first.click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Propose an introduction")
    checked(coordinator, "propose an introduction", audit)
    coordinator.get_by_role("button", name="Propose the introduction").click()
    expect(coordinator.get_by_text("Introduction proposed")).to_be_visible()
    checked(coordinator, "the proposed introduction's page", audit)
