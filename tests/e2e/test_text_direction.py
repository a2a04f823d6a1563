"""Arabic written by a Moroccan entrepreneur runs right to left, in the form where she types
it and on the profile others read, while the English around it stays left to right."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Locator
from sqlalchemy.orm import Session

from tests.builders import People
from tests.e2e.pages import logged_in_page

ARABIC = "نربي الدجاج البياض قرب مراكش ونبيع البيض في السوق الأسبوعي."


def direction(element: Locator) -> str:
    value: str = element.evaluate("el => getComputedStyle(el).direction")
    return value


def test_arabic_description_reads_right_to_left_in_the_form_and_on_the_profile(
    browser: Browser,
    live_server: str,
    browser_context_args: dict[str, Any],
    db: Session,
    people: People,
) -> None:
    amina = logged_in_page(browser, live_server, "amina@example.org", browser_context_args)
    amina.goto(live_server + "/profile/edit/business?from=profile")
    description = amina.get_by_label("What your business does")
    description.fill(ARABIC)
    assert direction(description) == "rtl"
    assert direction(amina.get_by_label("Business name")) == "ltr"
    amina.get_by_role("button", name="Save").click()

    amina.goto(f"{live_server}/people/entrepreneurs/{people.amina.id}")
    shown = amina.get_by_text(ARABIC)
    assert direction(shown) == "rtl"
    assert direction(amina.get_by_role("heading", level=1)) == "ltr"
