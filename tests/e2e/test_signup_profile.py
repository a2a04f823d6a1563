"""In a real browser on a phone-sized screen: sign up as an entrepreneur and fill the profile.

Every control is found by its label or role, which also proves the labels exist.
"""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import Page, expect

from tests.e2e.pages import sign_up


def save_and_continue(page: Page) -> None:
    page.get_by_role("button", name="Save and continue").click()


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_new_entrepreneur_signs_up_and_fills_the_profile(
    app: Flask, live_server: str, page: Page
) -> None:
    sign_up(
        page, app, live_server, "entrepreneur", "Kofi Mensah", "kofi@example.org",
        "cassava grows in ashanti",
    )  # fmt: skip

    # Step 1: the business.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your business")
    expect(page.locator('.steps [aria-current="step"]')).to_have_text("1. Your business")
    assert fits_the_screen(page)
    page.get_by_label("Business name").fill("Kofi Cassava Mill")
    page.get_by_label("What your business does").fill("We mill cassava into gari for Kumasi.")
    page.get_by_label(re.compile("^Growing")).check()
    save_and_continue(page)

    # Step 2: country, then the regions of that country.
    expect(page.get_by_role("heading", level=1)).to_have_text("Where you work")
    page.get_by_label("Country", exact=True).select_option(label="Ghana")
    page.get_by_role("button", name="Show regions").click()
    page.get_by_label("Region", exact=True).select_option(label="Ashanti")
    page.get_by_label("Town, village or district").fill("Ejisu")
    save_and_continue(page)

    # Step 3: value chains.
    expect(page.get_by_role("heading", level=1)).to_have_text("What you grow, raise or make")
    page.get_by_label("Roots and tubers").check()
    page.get_by_label("Agro-processing").check()
    save_and_continue(page)

    # Step 4: needs and languages; the country's own languages are offered.
    expect(page.get_by_role("heading", level=1)).to_have_text("What you need")
    page.get_by_label("Processing and packaging").check()
    page.get_by_label("Tell us more about what you need").fill("Packaging gari for shops")
    page.get_by_label("English", exact=True).check()
    page.get_by_label("Akan", exact=True).check()
    page.get_by_label("Other languages").fill("Ewe")
    save_and_continue(page)

    # Step 5: investment; the currency of Ghana is proposed.
    expect(page.get_by_role("heading", level=1)).to_have_text("Investment")
    expect(page.get_by_label("Currency")).to_have_value("GHS")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("How much?").fill("12000")
    page.get_by_label("Loan", exact=True).check()
    page.get_by_label(re.compile("young person")).check()
    save_and_continue(page)

    # Step 6: private contact details; the account's email is proposed.
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact details")
    expect(page.get_by_label("Email for introductions")).to_have_value("kofi@example.org")
    page.get_by_label("Phone or WhatsApp number").fill("+233 24 123 4567")
    page.get_by_role("button", name="Save and finish").click()

    # The saved profile.
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    main = page.locator("main")
    for text in (
        "Kofi Cassava Mill",
        "Ashanti",
        "Ejisu",
        "Roots and tubers, Agro-processing",
        "Processing and packaging",
        "English, Akan, Ewe",
        "GHS 12,000 (about USD 1,090); Loan",
        "+233241234567",
        "only shown to people you are introduced to",
    ):
        expect(main).to_contain_text(text)
    assert fits_the_screen(page)

    # Editing one step from the profile page comes back to it.
    page.get_by_role("link", name="Edit business").click()
    page.get_by_label("Business name").fill("Kofi Gari Company")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    expect(main).to_contain_text("Kofi Gari Company")
    expect(main).to_contain_text("Ashanti")


def test_diaspora_member_chooses_regions_of_two_countries_without_javascript(
    app: Flask, live_server: str, page: Page
) -> None:
    sign_up(
        page, app, live_server, "diaspora", "Wanjiru Kamau", "wanjiru@example.org",
        "dairy cows near utrecht",
    )  # fmt: skip

    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    page.get_by_label("Headline").fill("Dairy farmer in the Netherlands, from Nakuru")
    page.get_by_label("Country where you live").select_option("NL")
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your regions")
    origin = page.get_by_role("group", name=re.compile("^Regions you come from"))
    support = page.get_by_role("group", name=re.compile("^Regions you want to support"))
    page.get_by_label("Country", exact=True).select_option("KE")
    page.get_by_role("button", name="Show regions").click()
    origin.get_by_label("Nakuru").check()
    # Another country: the Kenyan region stays listed and ticked.
    page.get_by_label("Country", exact=True).select_option("SN")
    page.get_by_role("button", name="Show regions").click()
    expect(origin.get_by_label("Nakuru (Kenya)")).to_be_checked()
    support.get_by_label("Thiès").check()
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Value chains")
    page.get_by_label("Dairy").check()
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Skills and languages")
    page.get_by_label("Animal health and veterinary care").check()
    page.get_by_label("English", exact=True).check()
    page.get_by_label("Swahili", exact=True).check()
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("What you offer")
    page.get_by_label("I can coach or mentor entrepreneurs").check()
    page.get_by_label("How many entrepreneurs at once?").fill("3")
    page.get_by_label("Hours a month").fill("8")
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Contact details")
    page.get_by_role("button", name="Save and finish").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    main = page.locator("main")
    for text in ("Nakuru (Kenya)", "Thiès (Senegal)", "Dairy", "English, Swahili", "Up to 3"):
        expect(main).to_contain_text(text)
    expect(main).to_contain_text("wanjiru@example.org")
