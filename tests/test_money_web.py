"""Money on the web side: an amount that cannot be converted is never waved through the
ticket check, and pages and reasons show amounts as typed with dollars beside."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from mentormatch.matches import service as matches
from tests import builders
from tests.money import RATE_FILES
from tests.pairing_builders import request
from tests.reading import plain


@pytest.fixture
def fresh_index() -> Iterator[None]:
    matches.clear_cache()
    yield
    matches.clear_cache()


def hausa_investor(db, currency: str = "USD", low: int = 1000, high: int = 10000):
    """Sani: invests in poultry in Kano and speaks Hausa, so Amina is his natural match."""
    return builders.make_diaspora(
        db,
        full_name="Sani Bello",
        email="sani@example.org",
        value_chains=("poultry",),
        skills_offered=("access_to_finance",),
        headline="Accountant in Houston, invests in poultry farms at home",
        origin_regions=["NG-KN"],
        interest_regions=["NG-KN"],
        languages=["hau", "eng"],
        offers_coaching=False,
        mentee_capacity=0,
        offers_investment=True,
        ticket_min=low,
        ticket_max=high,
        ticket_currency=currency,
        investment_instruments=["loan"],
        contact_phone="+12025550111",
    )


def investment_page(client) -> str:
    response = client.get("/matches?kind=investment")
    assert response.status_code == 200
    return plain(response.get_data(as_text=True))


def test_an_amount_without_a_rate_is_left_out_not_waved_through(
    client, auth, db, people, runner, caplog, fresh_index
):
    # Saved before rates were kept (the rules refuse BIF today): 5,000,000 Burundi francs.
    people.amina.investment_amount, people.amina.investment_currency = 5_000_000, "BIF"
    hausa_investor(db)
    db.commit()
    auth.login("sani@example.org")
    with caplog.at_level(logging.WARNING, logger="mentormatch.matches.adapter"):
        page = investment_page(client)
    # Treated as "any amount" she would pass every ticket; she is left out, and it is logged.
    assert "Amina Poultry" not in page
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(
        f"Entrepreneur profile {people.amina.id} has an amount" in w and "BIF 5000000" in w
        for w in warnings
    ), warnings

    # Once a coordinator loads a rate for BIF (5,000,000 BIF is about USD 1,700) she is back.
    assert (
        runner.invoke(args=["rates", "load", str(RATE_FILES / "mentormatch_rates.csv")]).exit_code
        == 0
    )
    page = investment_page(client)
    assert "Amina Poultry" in page
    assert "Seeks BIF 5,000,000 (about USD 1,700), inside your ticket of USD 1,000–10,000" in page


def test_a_ticket_without_a_rate_is_left_out_too(client, auth, db, people, caplog, fresh_index):
    sani = hausa_investor(db, currency="BIF", low=3_000_000, high=30_000_000)
    db.commit()
    auth.login("amina@example.org")
    with caplog.at_level(logging.WARNING, logger="mentormatch.matches.adapter"):
        assert "Sani Bello" not in investment_page(client)
    # Logs name the profile by id, never by a person's name (logs are not personal data).
    assert any(
        f"Diaspora profile {sani.id} has an amount" in r.getMessage() for r in caplog.records
    )
    # Her own profile tells her why nobody can compare that ticket.
    auth.logout()
    auth.login("sani@example.org")
    page = plain(client.get("/profile").get_data(as_text=True))
    assert "BIF 3,000,000–30,000,000 (no exchange rate for BIF)" in page
    assert "There is no exchange rate for BIF, so this ticket cannot be compared" in page


# --- amounts on the pages ------------------------------------------------------------------


@pytest.fixture
def naira_and_euros(db, people):
    """Amina seeks NGN 7,000,000; Sani invests EUR 2,000–20,000."""
    people.amina.investment_amount, people.amina.investment_currency = 7_000_000, "NGN"
    sani = hausa_investor(db, currency="EUR", low=2000, high=20000)
    db.commit()
    return sani


SOUGHT = "NGN 7,000,000 (about USD 4,830)"
TICKET = "EUR 2,000–20,000 (about USD 2,320–23,200)"


def test_suggestion_reasons_give_each_amount_in_its_own_currency(
    client, auth, naira_and_euros, fresh_index
):
    auth.login("amina@example.org")
    assert f"Invests {TICKET}; you seek {SOUGHT}" in investment_page(client)
    auth.logout()
    auth.login("sani@example.org")
    assert f"Seeks {SOUGHT}, inside your ticket of {TICKET}" in investment_page(client)


def test_profiles_show_the_amount_as_typed_and_the_rate_it_was_converted_at(
    client, auth, people, naira_and_euros
):
    auth.login("sani@example.org")
    page = plain(client.get(f"/people/entrepreneurs/{people.amina.id}").get_data(as_text=True))
    assert f"Yes: {SOUGHT}; Loan" in page
    assert "Dollar figures at the rate of 31 October 2025 (MentorMatch seed file" in page
    page = plain(client.get("/profile").get_data(as_text=True))
    assert f"{TICKET}; Loan" in page


def test_pairing_and_coordinator_pages_show_both_amounts(client, auth, db, people, naira_and_euros):
    pairing = request(db, people.amina.user, people.amina, naira_and_euros, kind="investment")
    db.commit()
    auth.login("amina@example.org")
    page = plain(client.get(f"/pairings/{pairing.id}").get_data(as_text=True))
    assert SOUGHT in page and TICKET in page
    auth.logout()
    auth.login("jean@example.org")
    page = plain(client.get(f"/coordinator/pairings/{pairing.id}").get_data(as_text=True))
    assert SOUGHT in page and TICKET in page
