"""In a real browser: an entrepreneur who knows only her country and town signs up, confirms
the region MentorMatch found, and sees ranked mentors whose cards say region and country."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.matches import service
from mentormatch.models import Role, User
from mentormatch.people import vetting
from tests import builders
from tests.e2e.pages import sign_up
from tests.e2e.test_accessibility import violations


@pytest.fixture
def cebu_mentors(db: Session) -> None:
    """Two mentors for pig farmers: Lorna from Leyte, then Ramon from Cebu (Central
    Visayas), so that only the region, not the order of creation, can put Ramon first."""
    for name, email, region in (
        ("Lorna Abad", "lorna@example.org", "PH-08"),
        ("Ramon Villanueva", "ramon@example.org", "PH-07"),
    ):
        builders.make_diaspora(
            db,
            full_name=name,
            email=email,
            value_chains=("pigs",),
            skills_offered=("animal_health", "bookkeeping"),
            headline="Swine veterinarian in California",
            residence_country="US",
            origin_regions=[region],
            interest_regions=[region],
            languages=["ceb", "eng"],
        )
    db.commit()
    service.clear_cache()


def save_and_continue(page: Page) -> None:
    page.get_by_role("button", name="Save and continue").click()


def test_entrepreneur_with_only_country_and_town_confirms_the_region_and_sees_mentors(
    app: Flask, live_server: str, page: Page, db: Session, cebu_mentors: None
) -> None:
    sign_up(
        page, app, live_server, "entrepreneur", "Maricel Dizon", "maricel@example.org",
        "pigs grow well in liloan",
    )  # fmt: skip

    page.get_by_label("Business name").fill("Dizon Piggery")
    page.get_by_label(re.compile("^Starting")).check()
    save_and_continue(page)

    # Only the country and the town, as written in a field record; no region chosen.
    expect(page.get_by_role("heading", level=1)).to_have_text("Where you work")
    page.get_by_label("Country", exact=True).select_option(label="Philippines")
    page.get_by_label("Town, village or district").fill("Catmon")
    save_and_continue(page)

    # There is a Catmon in Cebu and one in Leyte: the page asks instead of guessing.
    expect(page.locator("#placement")).to_contain_text("“Catmon” could be in")
    expect(page.get_by_label("Central Visayas (Region VII)")).to_be_visible()
    expect(page.get_by_label("Eastern Visayas (Region VIII)")).to_be_visible()
    assert violations(page) == []
    # She writes the province too, rather than choosing.
    page.get_by_label("Town, village or district").fill("Catmon, Cebu")
    save_and_continue(page)

    # The same step says where the town was placed, with a way to change it.
    expect(page.get_by_role("heading", level=1)).to_have_text("Where you work")
    placed = page.locator("#placement")
    expect(placed).to_contain_text("We placed you in Central Visayas (Region VII), Philippines.")
    expect(placed.get_by_role("link", name="Change the region")).to_be_visible()
    expect(page.get_by_label("Region", exact=True)).to_have_value("PH-07")
    assert violations(page) == []
    save_and_continue(page)  # confirms it

    expect(page.get_by_role("heading", level=1)).to_have_text("What you grow, raise or make")
    page.get_by_label("Pigs").check()
    save_and_continue(page)
    page.get_by_label("Animal health").check()
    page.get_by_label("Cebuano", exact=True).check()
    page.get_by_label("English", exact=True).check()
    save_and_continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Investment")
    page.get_by_label("No", exact=True).check()
    save_and_continue(page)
    page.get_by_role("button", name="Save and finish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    expect(page.locator("main")).to_contain_text("Central Visayas (Region VII)")
    expect(page.locator("main")).to_contain_text("Catmon, Cebu")

    # A coordinator approves the finished profile (it waits for review: decision 016).
    coordinator = builders.make_user(db, Role.COORDINATOR, "Jean Mukendi", "jean@example.org")
    maricel = db.scalars(select(User).where(User.email == "maricel@example.org")).one()
    assert maricel.entrepreneur_profile is not None
    vetting.decide(db, maricel.entrepreneur_profile, coordinator, "approve")
    db.commit()

    # Ranked mentors; each card names the region with its country.
    page.get_by_role("link", name="Matches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentors suggested for you")
    cards = page.locator("li.match")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("Ramon Villanueva")
    expect(cards.first).to_contain_text("Central Visayas (Region VII), Philippines")
    expect(cards.nth(1)).to_contain_text("Eastern Visayas (Region VIII), Philippines")
