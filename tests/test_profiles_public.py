"""Public profiles: what others see of an entrepreneur or a diaspora member, never contacts."""

from __future__ import annotations

import pytest

from mentormatch.models import ReviewStatus
from tests import builders
from tests.reading import plain

AMINA_CONTACTS = ("amina.farm@example.org", "+2348031234567", "amina@example.org", "+2348099990000")
TESFAYE_CONTACTS = (
    "tesfaye.coffee@example.org",
    "+12025550143",
    "tesfaye@example.org",
    "+12025550199",
)


@pytest.fixture
def cast(db):
    """Amina and Tesfaye with contact details that differ from their login details."""
    people = builders.People.create(db)
    people.amina.contact_email = AMINA_CONTACTS[0]
    people.amina.user.phone = AMINA_CONTACTS[3]
    people.tesfaye.contact_email = TESFAYE_CONTACTS[0]
    people.tesfaye.user.phone = TESFAYE_CONTACTS[3]
    db.commit()
    return people


def assert_no_contacts(html, contacts):
    for value in contacts:
        assert value not in html, f"{value} must not be shown"


@pytest.mark.parametrize(
    "viewer",
    ["tesfaye@example.org", "fatou@example.org", "jean@example.org", "it@example.org"],
    ids=["mentor", "investor", "coordinator", "admin"],
)
def test_entrepreneur_profile_never_shows_contact_details(client, auth, cast, viewer):
    auth.login(viewer)
    response = client.get(f"/people/entrepreneurs/{cast.amina.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for shown in ("Amina Poultry", "Amina Bello", "Kano", "Poultry", "Bookkeeping", "Hausa"):
        assert shown in html
    assert "USD 5,000" in plain(html)
    assert_no_contacts(html, AMINA_CONTACTS)


@pytest.mark.parametrize(
    "viewer",
    ["amina@example.org", "fatou@example.org", "jean@example.org", "it@example.org"],
    ids=["entrepreneur", "other diaspora", "coordinator", "admin"],
)
def test_diaspora_profile_never_shows_contact_details(client, auth, cast, viewer):
    auth.login(viewer)
    response = client.get(f"/people/diaspora/{cast.tesfaye.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for shown in ("Tesfaye Bekele", "Oromia (Ethiopia)", "Coffee", "Export and certification"):
        assert shown in html
    assert "Up to 2 entrepreneurs" in html
    assert_no_contacts(html, TESFAYE_CONTACTS)


def test_owner_sees_the_public_view_without_contacts_too(client, auth, cast):
    auth.login("amina@example.org")
    html = client.get(f"/people/entrepreneurs/{cast.amina.id}").get_data(as_text=True)
    assert_no_contacts(html, AMINA_CONTACTS[:2])
    own = client.get("/profile").get_data(as_text=True)
    assert AMINA_CONTACTS[0] in own and AMINA_CONTACTS[1] in own


def test_investor_offer_is_shown_with_ticket_and_instruments(client, auth, cast):
    auth.login("amina@example.org")
    html = client.get(f"/people/diaspora/{cast.fatou.id}").get_data(as_text=True)
    assert "EUR 2,000–20,000 (about USD 2,320–23,200); Loan, Equity" in plain(html)
    assert "Thiès (Senegal)" in html


@pytest.mark.parametrize("status", [ReviewStatus.PENDING, ReviewStatus.SUSPENDED])
def test_profile_not_approved_is_hidden_from_others(client, db, auth, cast, status):
    cast.amina.review_status = status
    db.commit()
    auth.login("tesfaye@example.org")
    assert client.get(f"/people/entrepreneurs/{cast.amina.id}").status_code == 404
    auth.logout()
    auth.login("jean@example.org")
    assert client.get(f"/people/entrepreneurs/{cast.amina.id}").status_code == 200
    auth.logout()
    auth.login("amina@example.org")
    assert client.get(f"/people/entrepreneurs/{cast.amina.id}").status_code == 200


def test_unknown_profile_is_not_found(client, auth, cast):
    auth.login("amina@example.org")
    assert client.get("/people/entrepreneurs/99999").status_code == 404
    assert client.get("/people/diaspora/99999").status_code == 404


def test_public_profiles_need_a_login(client, cast):
    response = client.get(f"/people/diaspora/{cast.tesfaye.id}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
