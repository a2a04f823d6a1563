"""Helpers the browser tests share: a fresh browser logged in as someone, the sign-up link."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.builders import PASSWORD
from tests.conftest import deliver_emails


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
    page: Page, app: Flask, live_server: str, role: str, full_name: str, email: str,
    password: str,
) -> None:  # fmt: skip
    """Create an account through the sign-up form (role: 'entrepreneur' or 'diaspora') and
    confirm it with the link from the email."""
    page.goto(live_server + "/signup")
    page.get_by_role("radio", name=re.compile(role, re.I)).check()
    page.get_by_label("Full name").fill(full_name)
    page.get_by_label(re.compile(r"^Email", re.I)).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label(re.compile("again|confirm", re.I)).fill(password)
    page.get_by_role("button", name=re.compile("create|sign up", re.I)).click()
    follow_confirmation_link(page, app, live_server, email)


def follow_confirmation_link(page: Page, app: Flask, live_server: str, email: str) -> None:
    """After signing up: the "Check your email" page, then the link from the email."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    [message] = [m for m in deliver_emails(app) if m["To"] == email]
    match = re.search(r"https?://\S+(/signup/confirm/\S+)", message.get_content())
    assert match, message.get_content()
    page.goto(live_server + match.group(1))
