"""Cards and profile pages name a place as 'region, country', never a region alone; a person
placed at country level shows their town and country."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from mentormatch.matches import service
from mentormatch.models import RegionSource
from tests import builders
from tests.conftest import AuthActions


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    service.clear_cache()
    yield
    service.clear_cache()


@pytest.fixture
def kenya(db: Session) -> tuple[int, int]:
    """Wanjiku, dairy farmer in Nkubu placed only at country level, and Otieno, a dairy
    mentor from Meru living in Leeds."""
    farmer = builders.make_entrepreneur(
        db,
        full_name="Wanjiku Muriuki",
        email="wanjiku@example.org",
        value_chains=("dairy",),
        business_name="Muriuki Dairy",
        country_code="KE",
        region_code=None,
        region_source=RegionSource.UNRESOLVED,
        locality="Nkubu",
        languages=["swa", "eng"],
    )
    mentor = builders.make_diaspora(
        db,
        full_name="Otieno Kamau",
        email="otieno@example.org",
        value_chains=("dairy",),
        headline="Dairy herd manager in Leeds",
        residence_country="GB",
        origin_regions=["KE-26"],
        interest_regions=["KE-26"],
        languages=["swa", "eng"],
    )
    db.commit()
    return farmer.id, mentor.id


def test_mentor_cards_give_the_region_with_its_country(
    client: FlaskClient, auth: AuthActions, kenya: tuple[int, int]
) -> None:
    auth.login("wanjiku@example.org")
    html = client.get("/matches").get_data(as_text=True)
    assert "Otieno Kamau" in html
    assert "· Meru, Kenya</p>" in html


def test_an_entrepreneur_at_country_level_shows_town_and_country(
    client: FlaskClient, auth: AuthActions, kenya: tuple[int, int]
) -> None:
    farmer_id, _ = kenya
    auth.login("otieno@example.org")
    cards = client.get("/matches").get_data(as_text=True)
    assert "Muriuki Dairy" in cards and "· Nkubu, Kenya</p>" in cards
    public = client.get(f"/people/entrepreneurs/{farmer_id}").get_data(as_text=True)
    assert "Wanjiku Muriuki · Nkubu, Kenya" in public
    assert "Not placed in a region: matched with people who know Kenya" in public
