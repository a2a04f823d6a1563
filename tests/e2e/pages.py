"""Helpers the browser tests share: a fresh browser logged in as someone."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.builders import PASSWORD


def logged_in_page(
    browser: Browser,
    live_server: str,
    email: str,
    context_args: dict[str, Any],
    password: str = PASSWORD,
) -> Page:
    """A page in a fresh browser context (own cookies), logged in through the login form."""
    page = browser.new_context(**context_args).new_page()
    page.goto(live_server + "/login")
    page.get_by_label("Email or phone number").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    return page


def sign_up(
    page: Page, live_server: str, role: str, full_name: str, email: str, password: str
) -> None:
    """Create an account through the sign-up form (role: 'entrepreneur' or 'diaspora')."""
    page.goto(live_server + "/signup")
    page.get_by_role("radio", name=re.compile(role, re.I)).check()
    page.get_by_label("Full name").fill(full_name)
    page.get_by_label(re.compile(r"^Email", re.I)).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label(re.compile("again|confirm", re.I)).fill(password)
    page.get_by_role("button", name=re.compile("create|sign up", re.I)).click()
