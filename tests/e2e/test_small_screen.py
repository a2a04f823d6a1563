"""On a 390px phone screen nothing runs off the side, even with long unbroken words, and the
coordinator's review puts the two sides next to each other only where there is room."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page
from sqlalchemy.orm import Session

from mentormatch.models import PairingState
from tests.builders import People
from tests.e2e.pages import logged_in_page
from tests.pairing_builders import pairing_in_state

# A cooperative's name and address as field surveys record them: long and without spaces.
LONG_NAME = "Kanoagroprocessingandpoultrywomenscooperativesociety"
LONG_EMAIL = "kano.agroprocessing.poultry.womens.cooperative.society@example.org"
LONG_TEXT = (
    "Our records: https://example.org/cooperatives/kano/dawakin-kudu/poultry/2026/annual-report"
)


def overflow(page: Page) -> int:
    """How many pixels the page is wider than the screen (0 when it fits)."""
    width: int = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    return width


def test_pages_fit_a_phone_screen_with_long_unbroken_words(
    browser: Browser,
    live_server: str,
    browser_context_args: dict[str, Any],
    db: Session,
    people: People,
) -> None:
    people.amina.business_name = LONG_NAME
    people.amina.description = LONG_TEXT
    people.amina.contact_email = LONG_EMAIL
    db.commit()
    approved = pairing_in_state(db, people, PairingState.APPROVED)
    amina_id = people.amina.id

    too_wide = []
    for email, paths in (
        ("amina@example.org", ["/", "/profile", "/profile/edit/business", "/inbox"]),
        (
            "tesfaye@example.org",
            [f"/people/entrepreneurs/{amina_id}", f"/pairings/{approved.id}", "/notifications"],
        ),
        ("jean@example.org", ["/coordinator/approvals", f"/coordinator/pairings/{approved.id}"]),
    ):
        page = logged_in_page(browser, live_server, email, browser_context_args)
        for path in paths:
            page.goto(live_server + path)
            if overflow(page) > 0:
                too_wide.append(f"{path} as {email}: {overflow(page)}px too wide")
    assert not too_wide, "\n".join(too_wide)


def test_coordinator_review_is_stacked_on_a_phone_and_side_by_side_on_a_wide_screen(
    browser: Browser,
    live_server: str,
    browser_context_args: dict[str, Any],
    db: Session,
    people: People,
) -> None:
    waiting = pairing_in_state(db, people, PairingState.ACCEPTED)
    for width, side_by_side in ((390, False), (1200, True)):
        args = {**browser_context_args, "viewport": {"width": width, "height": 900}}
        jean = logged_in_page(browser, live_server, "jean@example.org", args)
        jean.goto(f"{live_server}/coordinator/pairings/{waiting.id}")
        entrepreneur, diaspora = (
            jean.locator(".side-by-side > div").nth(i).bounding_box() for i in (0, 1)
        )
        assert entrepreneur and diaspora
        beside = diaspora["x"] >= entrepreneur["x"] + entrepreneur["width"]
        assert beside is side_by_side, f"at {width}px"
        assert overflow(jean) == 0, f"at {width}px"
