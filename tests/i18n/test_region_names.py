"""Region names in the reader's language where pycountry has none: Arabic for every region,
French and Spanish for some (CLDR's names, seed_data/taxonomy/region_names.csv)."""

from __future__ import annotations

import csv

import pycountry
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from mentormatch import taxonomy
from tests import builders
from tests.conftest import AuthActions
from tests.reading import plain


def _move_amina(db: Session, people: builders.People, country: str, region: str) -> str:
    """Amina's business moved to `region`; the URL of her public profile."""
    people.amina.country_code, people.amina.region_code = country, region
    db.commit()
    return f"/people/entrepreneurs/{people.amina.id}"


def _page(client: FlaskClient, url: str, language: str) -> str:
    return plain(client.get(url, headers={"Accept-Language": language}).get_data(as_text=True))


def test_an_arabic_page_names_a_malian_region_in_arabic(
    client: FlaskClient, auth: AuthActions, db: Session, people: builders.People
) -> None:
    url = _move_amina(db, people, "ML", "ML-1")
    auth.login("amina@example.org")
    arabic = _page(client, url, "ar")
    assert "منطقة كايس، مالي" in arabic
    assert "Kayes" not in arabic
    assert "Kayes, Mali" in _page(client, url, "en")


def test_a_region_with_no_arabic_name_keeps_its_latin_name(
    client: FlaskClient, auth: AuthActions, db: Session, people: builders.People
) -> None:
    url = _move_amina(db, people, "KE", "KE-13")
    auth.login("amina@example.org")
    assert "Kiambu، كينيا" in _page(client, url, "ar")


def test_a_moroccan_region_is_named_as_it_is_since_2019(app: Flask) -> None:
    """CLDR still gives MA-09 to Chaouia-Ouardigha (a region until 2015): its names for
    Morocco are not used, Souss-Massa is named as the region calls itself."""
    with app.test_request_context(headers={"Accept-Language": "ar"}):
        assert taxonomy.region_name("MA-09") == "سوس ماسة"
        assert taxonomy.place_name("MA", "MA-06") == "الدار البيضاء - سطات، المغرب"


def test_the_regions_offered_on_an_arabic_page_are_in_arabic_and_sorted(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "ar"}):
        choices = taxonomy.region_choices("SN")
    names = [name for _, name in choices]
    assert ("SN-DK", "داكار") in choices
    assert names.index("داكار") < names.index("زينغشور")  # dal before zay
    assert all(not name.isascii() for name in names)


def test_french_and_spanish_take_cldrs_name_where_pycountry_has_none(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert taxonomy.region_name("ET-AM") == "Amhara"  # pycountry: "Amara"
        assert taxonomy.region_name("PH-07") == "Visayas central (Région VII)"  # pycountry's
        assert taxonomy.region_name("ML-1") == "Kayes"  # pycountry's, though CLDR has another
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert taxonomy.place_name("ML", "ML-6") == "Tombuctú, Mali"


@pytest.mark.parametrize("language", ["ar", "fr", "es"])
def test_every_name_in_the_table_is_a_current_first_level_region(language: str) -> None:
    """A region ISO retired or moved below the first level would never be shown."""
    first_level = {s.code for s in pycountry.subdivisions if not s.parent_code}
    with taxonomy.REGION_NAMES_PATH.open(newline="", encoding="utf-8") as handle:
        named = {row["code"] for row in csv.DictReader(handle) if row[language]}
    assert named and named <= first_level
