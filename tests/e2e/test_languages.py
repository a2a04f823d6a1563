"""Three people, three languages, three time zones, in a real browser.

Mariam keeps vegetables near Sikasso (Mali) and reads French: she signs up with a French
browser, her profile gives her Mali's time zone, and she asks Oumar for coaching from her
French suggestions. Oumar, a Malian agronomist in Dubai, reads Arabic: the request reaches
him by email in Arabic, with its date in Dubai's time, and he accepts on an Arabic page.
Jean coordinates from Rome in English and approves. Each sees amounts in the currency
they were typed in, written the reader's way, with the dollar figure beside, and times
in their own zone.

The French and Arabic words asserted here are those docs/glossary.md rules for each term
("mise en relation", "تعارف").
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytz
from babel.dates import format_date, format_datetime
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.models import (
    EntrepreneurProfile,
    Pairing,
    PairingEvent,
    RegionSource,
    ReviewStatus,
    Stage,
    User,
)
from tests import builders
from tests.builders import People
from tests.conftest import deliver_emails

PASSWORD = "karite et oignons de sikasso"
ARABIC = re.compile(r"[\u0600-\u06ff]")


def form_page(browser: Browser, context_args: dict[str, Any], language: str) -> Page:
    """A fresh browser whose Accept-Language is `language` (as a phone set to it sends)."""
    return browser.new_context(**context_args, locale=language).new_page()


def log_in(page: Page, live_server: str, email: str, password: str = builders.PASSWORD) -> None:
    """Log in through the form, whatever language it is written in (fields by name)."""
    page.goto(live_server + "/login")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("input[name=password]")).to_have_count(0)


def moments(when: datetime, zone: str, locale: str) -> list[str]:
    """`when` as Babel writes it for this reader in every standard length, in their zone."""
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when
    return [format_datetime(when, length, tzinfo=zone, locale=locale) for length in
            ("short", "medium", "long")]  # fmt: skip


def shows_one_of(text: str, candidates: list[str]) -> bool:
    """Whether a page's text holds one of the candidates (spaces of any kind alike)."""
    squeeze = lambda value: re.sub(r"\s+", " ", value.replace("\u202f", " "))  # noqa: E731
    return any(squeeze(candidate) in squeeze(text) for candidate in candidates)


def mariams_profile(db: Session, email: str) -> EntrepreneurProfile:
    """What Mariam's wizard steps record (the wizard itself: tests/e2e/test_signup_profile):
    vegetables near Sikasso, XOF 5,000,000 sought, approved by a coordinator."""
    user = db.scalars(select(User).where(User.email == email)).one()
    profile = EntrepreneurProfile(
        user=user,
        business_name="Jardin de Mariam",
        description="Oignons et tomates près de Sikasso, vendus au marché de Bamako.",
        country_code="ML",
        region_code="ML-3",
        region_source=RegionSource.CHOSEN,
        locality="Sikasso",
        stage=Stage.STARTING,
        skills_needed_text="stockage des oignons, comptabilité",
        languages=["fra", "bam"],
        seeking_investment=True,
        investment_amount=5_000_000,
        investment_currency="XOF",
        investment_instruments=["loan"],
        is_women_led=True,
        contact_email=email,
        review_status=ReviewStatus.APPROVED,
    )
    db.add(profile)
    profile.value_chains = builders.chains(db, "vegetables")
    profile.skills_needed = builders.skills(db, "post_harvest", "bookkeeping")
    db.commit()
    return profile


def test_french_sign_up_arabic_email_english_approval_each_in_their_zone_and_currency(
    app: Flask,
    live_server: str,
    browser: Browser,
    browser_context_args: dict[str, Any],
    db: Session,
    people: People,
) -> None:
    oumar = builders.make_diaspora(
        db,
        full_name="Oumar Maïga",
        email="oumar@example.org",
        value_chains=("vegetables",),
        skills_offered=("post_harvest", "bookkeeping"),
        headline="Agronome à Dubaï, conservation des oignons",
        residence_country="AE",
        origin_regions=["ML-3"],
        interest_regions=["ML-3", "ML-4"],
        languages=["fra", "bam", "ara"],
        offers_investment=True,
        ticket_min=20_000,
        ticket_max=200_000,
        ticket_currency="AED",
        investment_instruments=["loan"],
        contact_phone="+971501234567",
    )
    oumar.user.language = "ar"
    assert oumar.user.time_zone == "Asia/Dubai"  # from the country he lives in
    people.jean.time_zone = "Europe/Rome"
    db.commit()

    # Mariam signs up with a French browser: the form is in French, fields found by name.
    mariam = form_page(browser, browser_context_args, "fr-ML")
    mariam.goto(live_server + "/signup")
    expect(mariam.locator("html")).to_have_attribute("lang", "fr")
    expect(mariam.get_by_role("heading", level=1)).to_have_text("Créer votre compte")
    mariam.locator("input[name=role][value=entrepreneur]").check()
    mariam.locator("input[name=full_name]").fill("Mariam Traoré")
    mariam.locator("input[name=email]").fill("mariam@example.org")
    mariam.locator("input[name=password]").fill(PASSWORD)
    mariam.locator("input[name=confirm]").fill(PASSWORD)
    mariam.locator("main form button[type=submit]").click()
    expect(mariam.get_by_role("heading", level=1)).to_have_text("Regardez vos e-mails")
    [confirmation] = [m for m in deliver_emails(app) if m["To"] == "mariam@example.org"]
    # The confirmation is written in the language she signed up in.
    assert confirmation["Subject"] != "Confirm your MentorMatch email address"
    link = re.search(r"https?://\S+(/signup/confirm/\S+)", confirmation.get_content())
    assert link, confirmation.get_content()
    mariam.goto(live_server + link.group(1))

    # Her profile (Mali) gives her Mali's time zone, whichever way it was saved.
    mariams_profile(db, "mariam@example.org")
    db.expire_all()
    me = db.scalars(select(User).where(User.email == "mariam@example.org")).one()
    assert me.time_zone == "Africa/Bamako"

    # Her French suggestions: Oumar's ticket in dirhams, written the French way.
    mariam.goto(live_server + "/matches?kind=coaching")
    expect(mariam.locator("html")).to_have_attribute("lang", "fr")
    suggestion = mariam.locator("li.match", has_text="Oumar Maïga")
    expect(suggestion).to_be_visible()
    mariam.goto(live_server + "/matches?kind=investment")
    ticket = re.compile(r"20\s000–200\s000\sAED \(environ 5\s450–54\s500\sUSD\)")
    expect(mariam.locator("li.match", has_text="Oumar Maïga")).to_contain_text(ticket)
    mariam.goto(live_server + "/matches?kind=coaching")
    suggestion.locator("a[href*='/introductions/new']").click()
    expect(mariam.get_by_role("heading", level=1)).to_contain_text("mise en relation")
    mariam.locator("textarea[name=message]").fill(
        "Bonjour Oumar, j'ai besoin d'aide pour stocker mes oignons."
    )  # noqa: E501
    mariam.locator("main form button[type=submit]").click()
    expect(mariam.get_by_text("Votre demande est envoyée.")).to_be_visible()

    # The worker sends Oumar the request by email: in Arabic, the date in Dubai's time.
    pairing = db.scalars(select(Pairing)).one()
    [request_email] = [m for m in deliver_emails(app) if m["To"] == "oumar@example.org"]
    subject, body = request_email["Subject"], request_email.get_content()
    assert ARABIC.search(subject) and "Mariam Traoré" in subject
    assert "تعارف" in subject + body
    assert "Mariam" in body and "Bonjour Oumar" in body  # her words stay as she typed them
    expires = pairing.expires_at.replace(tzinfo=UTC)
    dates = [format_date(expires.astimezone(pytz.timezone("Asia/Dubai")), length, locale="ar")
             for length in ("short", "medium", "long", "full")]  # fmt: skip
    assert shows_one_of(body, dates), (dates, body)
    assert "Please answer" not in body and "would like" not in body

    # Oumar accepts on his Arabic page, which shows Mariam's amount in CFA francs.
    oumar_page = form_page(browser, browser_context_args, "en-US")  # his setting wins
    log_in(oumar_page, live_server, "oumar@example.org")
    oumar_page.goto(live_server + f"/pairings/{pairing.id}")
    expect(oumar_page.locator("html")).to_have_attribute("dir", "rtl")
    expect(oumar_page.locator("main")).to_contain_text(
        re.compile(r"5,000,000\sXOF\s*\(حوالي\s*\u200f?8,850\sUSD\)")
    )
    requested = db.scalars(
        select(PairingEvent).where(PairingEvent.pairing_id == pairing.id)
    ).first()
    assert requested is not None
    assert shows_one_of(
        oumar_page.locator("main").inner_text(), moments(requested.created_at, "Asia/Dubai", "ar")
    )
    oumar_page.locator(f"form[action$='/pairings/{pairing.id}/accept'] button[type=submit]").click()
    expect(oumar_page.locator("html")).to_have_attribute("lang", "ar")

    # Jean approves in English, from Rome; amounts the English way, times in Rome's.
    jean = form_page(browser, browser_context_args, "en-GB")
    log_in(jean, live_server, "jean@example.org")
    jean.goto(live_server + f"/coordinator/pairings/{pairing.id}")
    expect(jean.locator("main")).to_contain_text(re.compile(r"XOF\s5,000,000 \(about USD\s8,850\)"))
    assert shows_one_of(
        jean.locator("main").inner_text(), moments(requested.created_at, "Europe/Rome", "en")
    )
    jean.get_by_role("button", name="Approve introduction").click()
    expect(jean.get_by_text("Introduction approved.")).to_be_visible()

    # Mariam sees the approval in French, the request's time in Bamako's.
    mariam.goto(live_server + f"/pairings/{pairing.id}")
    main = mariam.locator("main")
    expect(main).to_contain_text("approuvée")
    assert shows_one_of(main.inner_text(), moments(requested.created_at, "Africa/Bamako", "fr"))
    # Rome is an hour ahead of Bamako, Dubai four: the same moment reads differently.
    assert moments(requested.created_at, "Africa/Bamako", "fr") != moments(
        requested.created_at, "Europe/Rome", "fr"
    )
