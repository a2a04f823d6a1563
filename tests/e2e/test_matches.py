"""Suggestions in a real browser: the demo accounts of `flask seed` see ranked counterparts
with their reasons, on a phone-sized screen."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from playwright.sync_api import Browser, Page, expect

from mentormatch.seeding import DEMO_ACCOUNTS
from tests.e2e.pages import logged_in_page

DEMO = {account.label: account for account in DEMO_ACCOUNTS}


@pytest.fixture
def seeded(app: Flask, runner: FlaskCliRunner) -> None:
    """The demo data and accounts, loaded by `flask seed` as `make run` does."""
    with app.app_context():
        result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output


def scores(page: Page) -> list[int]:
    texts = page.locator("li.match .score").all_inner_texts()
    return [int(re.match(r"(\d+)%", t).group(1)) for t in texts]  # type: ignore[union-attr]


def test_demo_entrepreneur_sees_ranked_mentors_with_reasons(
    live_server: str, browser: Browser, browser_context_args: dict[str, Any], seeded: None
) -> None:
    amina = logged_in_page(
        browser,
        live_server,
        DEMO["entrepreneur"].email,
        browser_context_args,
        DEMO["entrepreneur"].password,
    )
    amina.get_by_role("link", name="Matches").click()
    expect(amina.get_by_role("heading", level=1)).to_have_text("Mentors suggested for you")
    first = amina.locator("li.match").first
    expect(first).to_contain_text(DEMO["mentor"].full_name)
    assert 2 <= first.locator("ul.reasons li").count() <= 4
    expect(first).to_contain_text("Both work in poultry")
    expect(first).to_contain_text("Comes from Kano, where you work")
    ranked = scores(amina)
    assert len(ranked) == 10 and ranked == sorted(ranked, reverse=True)
    assert amina.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The investment tab ranks investors whose ticket fits her loan.
    amina.get_by_role("link", name="Investment").click()
    expect(amina.get_by_role("heading", level=1)).to_have_text("Investors suggested for you")
    expect(amina.locator("li.match", has_text=DEMO["investor"].full_name)).to_contain_text(
        "you seek USD 5,000"
    )

    # A filter narrows the list and keeps the kind.
    amina.get_by_role("link", name="Coaching").click()
    amina.get_by_label("Value chain").select_option("poultry")
    amina.get_by_role("button", name="Filter").click()
    expect(amina.locator("li.match").first).to_contain_text("Both work in poultry")


def test_demo_mentor_sees_ranked_entrepreneurs_with_reasons(
    live_server: str, browser: Browser, browser_context_args: dict[str, Any], seeded: None
) -> None:
    musa = logged_in_page(
        browser,
        live_server,
        DEMO["mentor"].email,
        browser_context_args,
        password=DEMO["mentor"].password,
    )
    musa.get_by_role("link", name="Matches").click()
    expect(musa.get_by_role("heading", level=1)).to_have_text("Entrepreneurs you could coach")
    expect(musa.locator("li.match").first.locator("ul.reasons li")).not_to_have_count(0)
    expect(musa.locator("li.match", has_text="Amina Poultry")).to_contain_text(
        "Works in Kano, where you come from"
    )
    ranked = scores(musa)
    assert ranked and ranked == sorted(ranked, reverse=True)
    musa.get_by_role("link", name="Next").click()
    expect(musa.get_by_text("Page 2 of")).to_be_visible()
