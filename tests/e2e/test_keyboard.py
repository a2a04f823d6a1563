"""With a keyboard only: the skip link comes first, and a newcomer signs up, recovers from
an error and saves the first profile step without touching a mouse."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import Page, expect

from tests.e2e.pages import follow_confirmation_link

FOCUSED = """() => {
  const el = document.activeElement;
  return el ? (el.id || el.textContent.trim() || el.tagName) : null;
}"""


def focused(page: Page) -> str | None:
    """The id of the focused element, or its text when it has no id."""
    name: str | None = page.evaluate(FOCUSED)
    return name


def tab_to(page: Page, target: str, most: int = 20) -> None:
    """Press Tab until `target` (an id or a text) has the focus; fail if it never does."""
    seen = []
    for _ in range(most):
        page.keyboard.press("Tab")
        seen.append(focused(page))
        if seen[-1] == target:
            return
    raise AssertionError(f"{target!r} never got the focus; Tab went through {seen}")


def type_into(page: Page, target: str, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(
    page: Page, live_server: str
) -> None:
    for path in ("/", "/login", "/signup"):
        page.goto(live_server + path)
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to main content")
        expect(skip).to_be_focused()
        expect(skip).to_be_in_viewport()
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()
        # The next Tab lands inside the page's content, past the header's links.
        page.keyboard.press("Tab")
        assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_newcomer_signs_up_and_saves_a_profile_step_with_the_keyboard_only(
    app: Flask, page: Page, live_server: str
) -> None:
    page.goto(live_server + "/signup")
    # Send the empty form: the error summary's links take the focus to the field to fix.
    tab_to(page, "Create my account")
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page).to_have_title("Error: Create your account · MentorMatch")
    tab_to(page, "I am: Choose whether you are an entrepreneur or a member of the diaspora.")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page) == "role-0"
    page.keyboard.press("Space")  # checks the focused radio button
    expect(page.get_by_role("radio", name="An entrepreneur")).to_be_checked()
    page.keyboard.press("Tab")
    assert focused(page) == "full_name"
    page.keyboard.type("Kofi Mensah")
    type_into(page, "email", "kofi@example.org")
    type_into(page, "password", "cassava grows in ashanti")
    type_into(page, "confirm", "cassava grows in ashanti")
    page.keyboard.press("Enter")  # Enter in a text box sends the form
    follow_confirmation_link(page, app, live_server, "kofi@example.org")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your business")
    type_into(page, "business_name", "Kofi Cassava Mill")
    type_into(page, "description", "We mill cassava into gari for Kumasi.")
    # "Starting" is proposed (the profile rules' default): Tab reaches it, an arrow moves on.
    tab_to(page, "stage-1")
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("radio", name=re.compile("^Idea"))).to_be_checked()
    tab_to(page, "Save and continue")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Where you work")
