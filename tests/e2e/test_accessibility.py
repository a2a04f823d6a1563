"""Every page passes axe-core's WCAG 2.1 A and AA checks (and more) in a real browser.

Entrepreneurs use MentorMatch on cheap phones, some with a screen reader or only a
keyboard; coordinators spend their day in it. axe-core runs inside Chromium on the
rendered page (with the stylesheet, so colour contrast is checked too), on a 390px
screen. Each test visits many pages and reports every violation it found at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Protocol

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from flask.testing import FlaskCliRunner
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from mentormatch.auth.reset import make_reset_token
from mentormatch.models import PairingState, Role
from mentormatch.profiles.service import steps_for
from mentormatch.seeding import DEMO_ACCOUNTS
from tests import builders
from tests.builders import PASSWORD, People
from tests.e2e.pages import logged_in_page
from tests.pairing_builders import pairing_in_state

# WCAG 2.1 A and AA, WCAG 2.2 AA (touch targets of 24px for thumbs on small screens) and
# axe's best practices (one main landmark, heading order, all content in landmarks).
AXE_RULES = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}
AXE = Axe()
DEMO = {account.label: account for account in DEMO_ACCOUNTS}


def violations(page: Page) -> list[str]:
    """axe-core's WCAG A/AA violations on the page as it is now, one readable line each."""
    found = AXE.run(page, options=AXE_RULES).response["violations"]
    lines = []
    for v in found:
        nodes = "; ".join(
            f"{' '.join(n['target'])}: {n.get('failureSummary', '').splitlines()[-1].strip()}"
            for n in v["nodes"][:3]
        )
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes) {v['help']} -> {nodes}")
    return lines


class Audit:
    """Collects violations page by page so that one run names every broken page."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.pages = 0

    def check(self, page: Page, what: str) -> None:
        # Only once the stylesheet is in: an unstyled page has other sizes and colours.
        page.wait_for_load_state("load")
        self.pages += 1
        for line in violations(page):
            self.problems.append(f"{what} [{page.url}]: {line}")


@pytest.fixture
def audit() -> Iterator[Audit]:
    """Visit pages, `audit.check(page, 'what')` each; the test fails listing them all."""
    found = Audit()
    yield found
    assert found.pages, "no page was checked"
    assert not found.problems, "accessibility violations:\n" + "\n".join(found.problems)


class LogIn(Protocol):
    def __call__(self, email: str, password: str = PASSWORD) -> Page: ...


@pytest.fixture
def log_in(browser: Browser, live_server: str, browser_context_args: dict[str, Any]) -> LogIn:
    """Log in with an email and password in a fresh browser."""

    def _log_in(email: str, password: str = PASSWORD) -> Page:
        return logged_in_page(browser, live_server, email, browser_context_args, password)

    return _log_in


def submit_with_everything_cleared(page: Page) -> None:
    """Empty every text box, untick every box, pick each list's first option, then save."""
    form = page.locator("main form[method=post]").last
    for box in form.locator("input[type=text], input[type=email], input[type=tel], textarea").all():
        box.fill("")
    for box in form.locator("input[type=number]").all():
        box.fill("")
    for box in form.locator("input[type=checkbox]").all():
        box.set_checked(False)
    for select in form.locator("select").all():
        select.select_option(index=0)
    with page.expect_navigation():
        form.get_by_role("button", name="Save").first.click()


def test_pages_for_visitors_pass_axe(page: Page, live_server: str, audit: Audit) -> None:
    for path, what in (
        ("/", "landing page"),
        ("/login", "log in"),
        ("/signup", "sign up"),
        ("/password/forgot", "forgot password"),
        ("/password/reset/not-a-token", "expired reset link"),
        ("/no-such-page", "404 page"),
    ):
        page.goto(live_server + path)
        audit.check(page, what)

    for path, what in (
        ("/login", "log in with errors"),
        ("/signup", "sign up with errors"),
        ("/password/forgot", "forgot password with errors"),
    ):
        page.goto(live_server + path)
        page.locator("main form button[type=submit]").last.click()
        expect(page.locator(".error-summary, .flash")).not_to_have_count(0)
        audit.check(page, what)


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.DIASPORA], ids=lambda r: r.value)
def test_every_profile_step_passes_axe_empty_and_with_errors(
    role: Role, live_server: str, log_in: LogIn, db: Session, people: People, audit: Audit
) -> None:
    # A newcomer sees the first step empty, then its errors.
    builders.make_user(db, role, "Kebede Alemu", "kebede@example.org")
    db.commit()
    newcomer = log_in("kebede@example.org")
    first = steps_for(role)[0].name
    newcomer.goto(f"{live_server}/profile/edit/{first}")
    audit.check(newcomer, f"{role.value} step {first}, empty")
    submit_with_everything_cleared(newcomer)
    expect(newcomer.locator(".error-summary")).to_be_visible()
    audit.check(newcomer, f"{role.value} step {first}, with errors")

    # Someone with a whole profile sees every step filled, then with errors where it can have them.
    owner = log_in("amina@example.org" if role is Role.ENTREPRENEUR else "tesfaye@example.org")
    owner.goto(live_server + "/profile")
    audit.check(owner, f"{role.value} own profile")
    for step in steps_for(role):
        owner.goto(f"{live_server}/profile/edit/{step.name}?from=profile")
        audit.check(owner, f"{role.value} step {step.name}, filled")
        submit_with_everything_cleared(owner)
        audit.check(owner, f"{role.value} step {step.name}, after saving it emptied")


def test_password_pages_pass_axe_empty_and_with_errors(
    app: Flask, page: Page, live_server: str, log_in: LogIn, people: People, audit: Audit
) -> None:
    token = make_reset_token(people.amina.user, app.config["SECRET_KEY"])
    page.goto(f"{live_server}/password/reset/{token}")
    audit.check(page, "choose a new password")
    page.get_by_role("button", name="Set my password").click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, "choose a new password, with errors")

    amina = log_in("amina@example.org")
    amina.goto(live_server + "/account/password")
    audit.check(amina, "change password")
    amina.get_by_role("button", name="Change password").click()
    expect(amina.locator(".error-summary")).to_be_visible()
    audit.check(amina, "change password, with errors")


def test_public_profiles_and_introduction_pages_pass_axe(
    live_server: str, log_in: LogIn, db: Session, people: People, audit: Audit
) -> None:
    approved = pairing_in_state(db, people, PairingState.APPROVED)
    amina_id, tesfaye_id, fatou_id = people.amina.id, people.tesfaye.id, people.fatou.id
    builders.make_user(db, Role.DIASPORA, "Kebede Alemu", "kebede@example.org")
    db.commit()
    newcomer = log_in("kebede@example.org")
    newcomer.goto(live_server + "/")
    audit.check(newcomer, "home page before a profile exists")
    newcomer.goto(live_server + "/matches")
    audit.check(newcomer, "matches before a profile exists")

    amina = log_in("amina@example.org")
    for path, what in (
        (f"/people/diaspora/{tesfaye_id}", "public mentor profile"),
        (f"/people/diaspora/{fatou_id}", "public investor profile"),
        ("/inbox", "inbox"),
        (f"/pairings/{approved.id}", "approved introduction with contact details"),
        ("/notifications", "notifications"),
        ("/contact-views", "contact views"),
        (f"/introductions/new?diaspora_id={fatou_id}&kind=investment", "request an introduction"),
        ("/coordinator/approvals", "403 page"),
        ("/matches?kind=nonsense", "matches of an unknown kind"),
    ):
        amina.goto(live_server + path)
        audit.check(amina, what)

    tesfaye = log_in("tesfaye@example.org")
    for path, what in (
        (f"/people/entrepreneurs/{amina_id}", "public entrepreneur profile"),
        ("/contact-views", "contact views as mentor"),
        ("/inbox", "mentor's inbox"),
    ):
        tesfaye.goto(live_server + path)
        audit.check(tesfaye, what)


def test_coordinator_queue_and_review_pass_axe(
    live_server: str, log_in: LogIn, db: Session, people: People, audit: Audit
) -> None:
    waiting = pairing_in_state(db, people, PairingState.ACCEPTED)
    jean = log_in("jean@example.org")
    audit.check(jean, "coordinator's home page")
    jean.goto(live_server + "/matches")
    audit.check(jean, "matches, which are not for coordinators")
    jean.goto(live_server + "/coordinator/approvals")
    audit.check(jean, "approval queue")
    jean.goto(live_server + "/coordinator/approvals?country=ZZ")
    audit.check(jean, "approval queue with a bad filter")
    jean.goto(f"{live_server}/coordinator/pairings/{waiting.id}")
    audit.check(jean, "side-by-side review")
    with jean.expect_navigation():
        jean.get_by_role("button", name="Reject", exact=True).click()
    expect(jean).to_have_title(re.compile(r"^Error: "))
    audit.check(jean, "side-by-side review after rejecting without a reason")


@pytest.fixture
def seeded(app: Flask, runner: FlaskCliRunner) -> None:
    """The demo data and accounts, loaded by `flask seed` as `make run` does."""
    with app.app_context():
        result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output


def test_suggested_matches_pass_axe_for_every_side(
    live_server: str, log_in: LogIn, seeded: None, audit: Audit
) -> None:
    for label, kinds in (
        ("entrepreneur", ("coaching", "investment")),
        ("mentor", ("coaching",)),
        ("investor", ("investment",)),
    ):
        page = log_in(DEMO[label].email, DEMO[label].password)
        audit.check(page, f"{label}'s home page")
        for kind in kinds:
            page.goto(f"{live_server}/matches?kind={kind}")
            expect(page.locator("li.match").first).to_be_visible()
            audit.check(page, f"{kind} matches as {label}")
        page.goto(f"{live_server}/matches?kind={kinds[0]}&value_chain=nonsense")
        audit.check(page, f"matches as {label} with a bad filter")
