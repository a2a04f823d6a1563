"""Times in the person's own time zone: a setting on the account page, defaulted from the
country of their profile whichever way the profile arrived."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import format_datetime
from flask_login import login_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.models import Role, User
from tests import builders
from tests.builders import People
from tests.conftest import AuthActions, csrf_token_from


def test_a_new_profile_gives_its_owner_the_time_zone_of_their_country(
    db: Session, people: People
) -> None:
    # Amina's business is in Nigeria; Tesfaye lives in the United States, Fatou in France.
    assert people.amina.user.time_zone == "Africa/Lagos"
    assert people.tesfaye.user.time_zone == "America/New_York"
    assert people.fatou.user.time_zone == "Europe/Paris"
    # Nobody's country, no zone: a coordinator without a profile reads times in UTC.
    assert people.jean.time_zone is None


def test_a_time_zone_someone_chose_is_never_replaced_by_the_default(db: Session) -> None:
    user = builders.make_user(db, Role.DIASPORA, "Khadija Alaoui", "khadija@example.org")
    user.time_zone = "Asia/Dubai"
    db.flush()
    mentor = builders.make_diaspora(db, full_name="Omar Saleh", email="omar@example.org")
    mentor.user.time_zone = "Asia/Dubai"
    mentor.residence_country = "GB"  # he moves: his chosen zone stays
    db.flush()
    assert mentor.user.time_zone == "Asia/Dubai"


def test_a_profile_filled_in_the_wizard_gives_the_zone_too(
    client: FlaskClient, db: Session, post_form: Callable[..., Any]
) -> None:
    builders.make_user(db, Role.ENTREPRENEUR, "Mariam Traoré", "mariam@example.org")
    db.commit()
    AuthActions(client).login("mariam@example.org")
    business = {
        "business_name": "Mariam Karité",
        "description": "Shea butter.",
        "stage": "starting",
    }
    where = {"country_code": "ML", "region_code": "ML-3", "locality": "Sikasso"}
    for step, answers in (("business", business), ("where", where)):
        response = post_form(f"/profile/edit/{step}", answers)
        assert response.status_code == 302, response.get_data(as_text=True)
    user = db.scalars(select(User).where(User.email == "mariam@example.org")).one()
    assert user.time_zone == "Africa/Bamako"


def account_page(client: FlaskClient, **headers: str) -> str:
    response = client.get("/account/language", headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_account_page_offers_the_persons_country_first(
    client: FlaskClient, auth: AuthActions, people: People
) -> None:
    auth.login("tesfaye@example.org")
    page = account_page(client)
    # The United States' zones come first, under the country's name, his own chosen.
    first_group = page.index("<optgroup")
    assert page[first_group:].startswith('<optgroup label="United States">')
    assert page.index('value="America/New_York"') < page.index('value="Africa/Abidjan"')
    assert 'value="America/New_York" selected' in page or (
        'selected value="America/New_York"' in page
    )
    assert page.count("<option") > 400  # every common zone can still be chosen


def test_the_account_page_names_zones_in_the_readers_language(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    people.amina.user.language = "fr"
    db.commit()
    auth.login("amina@example.org")
    page = account_page(client)
    assert '<optgroup label="Nigeria">' in page
    assert "heure : Nigeria (Africa/Lagos)" in page
    assert "Autres fuseaux horaires" in page


def test_setting_language_and_zone_changes_pages_and_times(
    app: Flask, client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    auth.login("tesfaye@example.org")
    token = csrf_token_from(account_page(client))
    response = client.post(
        "/account/language",
        data={"csrf_token": token, "language": "ar", "time_zone": "Asia/Dubai"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page
    assert "تم الحفظ. اللغة: العربية." in page  # said in the language just chosen
    db.refresh(people.tesfaye.user)
    assert (people.tesfaye.user.language, people.tesfaye.user.time_zone) == ("ar", "Asia/Dubai")
    # His times are now shown in Dubai: 22:30 UTC is 02:30 the next day there.
    with app.test_request_context("/"):
        login_user(people.tesfaye.user)
        shown = format_datetime(datetime(2026, 11, 30, 22, 30, tzinfo=UTC), "yyyy-MM-dd HH:mm")
    assert shown == "2026-12-01 02:30"


def test_a_zone_not_on_the_list_is_refused_and_changes_nothing(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    auth.login("amina@example.org")
    token = csrf_token_from(account_page(client))
    for language, zone in (("fr", "Mars/Olympus_Mons"), ("xx", "Africa/Lagos")):
        response = client.post(
            "/account/language",
            data={"csrf_token": token, "language": language, "time_zone": zone},
        )
        assert response.status_code == 400
        assert "from the list" in response.get_data(as_text=True)
    db.refresh(people.amina.user)
    assert (people.amina.user.language, people.amina.user.time_zone) == (None, "Africa/Lagos")


def test_the_account_page_is_for_people_logged_in(client: FlaskClient) -> None:
    response = client.get("/account/language")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_logged_in_page_links_to_the_setting(
    client: FlaskClient, auth: AuthActions, people: People
) -> None:
    auth.login("jean@example.org")
    assert 'href="/account/language"' in client.get("/").get_data(as_text=True)
