"""The whole introduction loop in a real browser on a phone-sized screen.

Amina asks for an introduction from her suggestions, Tesfaye accepts, Jean approves;
then both see each other's contact details, a notification and the coordinator's
message, never the coordinator's private note.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.builders import People
from tests.e2e.pages import logged_in_page


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_request_accept_approve_then_both_see_contacts_and_a_notification(
    live_server: str, browser: Browser, browser_context_args: dict[str, Any], people: People
) -> None:
    # Amina asks Tesfaye from her coaching suggestions, with a message.
    amina = logged_in_page(browser, live_server, "amina@example.org", browser_context_args)
    amina.get_by_role("link", name="Matches").click()
    suggestion = amina.locator("li.match", has_text="Tesfaye Bekele")
    expect(suggestion).to_be_visible()
    suggestion.get_by_role("link", name="Request an introduction").click()
    expect(amina.get_by_role("heading", level=1)).to_have_text("Request an introduction")
    assert fits_the_screen(amina)
    amina.get_by_label("Message (optional)").fill("Sannu! I keep layers near Kano.")
    amina.get_by_role("button", name="Send request").click()
    expect(amina.get_by_text("Your request is sent.")).to_be_visible()
    expect(amina.get_by_text("tesfaye@example.org")).to_have_count(0)

    # Tesfaye sees it in his inbox (and a notification in the header) and accepts.
    tesfaye = logged_in_page(browser, live_server, "tesfaye@example.org", browser_context_args)
    expect(tesfaye.get_by_role("link", name=re.compile(r"Notifications 1 new"))).to_be_visible()
    tesfaye.get_by_role("link", name="Inbox").click()
    incoming = tesfaye.locator("section", has_text="Waiting for your answer")
    expect(incoming).to_contain_text("Sannu! I keep layers near Kano.")
    incoming.get_by_role("button", name="Accept").click()
    expect(tesfaye.get_by_text("You accepted.")).to_be_visible()

    # Jean finds it in the approval queue, reviews both sides and approves with a note.
    jean = logged_in_page(browser, live_server, "jean@example.org", browser_context_args)
    jean.get_by_role("link", name="Approvals").click()
    jean.get_by_role("link", name="Amina Poultry and Tesfaye Bekele").click()
    expect(jean.get_by_role("heading", level=1)).to_contain_text("Review")
    expect(jean.get_by_text("Current coaching load:")).to_be_visible()
    expect(jean.get_by_text("tesfaye@example.org")).to_have_count(0)
    approve = jean.locator("form", has=jean.get_by_role("button", name="Approve introduction"))
    approve.get_by_label(re.compile("^Message to both people")).fill(
        "Good fit: bookkeeping and feed."
    )
    approve.get_by_label(re.compile("^Private note")).fill("Amina called me about this.")
    jean.get_by_role("button", name="Approve introduction").click()
    expect(jean.get_by_text("Introduction approved.")).to_be_visible()

    # Both now see each other's contact details and a notification.
    for page, other_email, other_phone, subject in (
        (amina, "tesfaye@example.org", "+12025550143", "with Tesfaye Bekele is approved"),
        (tesfaye, "amina@example.org", "+2348031234567", "with Amina Bello is approved"),
    ):
        page.goto(live_server + "/notifications")
        expect(page.get_by_text(re.compile(subject))).to_be_visible()
        page.get_by_role("link", name="Open the introduction").first.click()
        contact = page.locator("section.contact")
        expect(contact).to_contain_text(other_email)
        expect(contact).to_contain_text(other_phone)
        expect(page.get_by_role("table")).to_contain_text("Good fit: bookkeeping and feed.")
        expect(page.get_by_text("Amina called me about this.")).to_have_count(0)
        assert fits_the_screen(page)

    # Tesfaye can see that Amina looked at his details.
    tesfaye.goto(live_server + "/contact-views")
    expect(tesfaye.get_by_role("table")).to_contain_text("Amina Bello")
