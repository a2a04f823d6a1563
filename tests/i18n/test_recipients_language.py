"""The language of people who never chose one: a farmer registered from a field survey
without a `language` column gets text messages and notifications in the official language
of their country when MentorMatch is written in it (French in Mali, Spanish in Guatemala,
Arabic in Morocco), else in English; a setting always wins; and the pages they read stay
in their browser's language."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from mentormatch.importer import import_profiles
from mentormatch.models import Notification, User
from mentormatch.people import vetting
from tests.builders import make_entrepreneur
from tests.test_importer import AMINA_ROW, MENTOR_ROW, csv_bytes
from tests.test_registration import sent_sms

# A row of a field survey: phone only, no `language` column.
SURVEY_ROW = {
    key: value
    for key, value in AMINA_ROW.items()
    if key not in ("email", "region", "investment_amount", "investment_currency")
} | {"seeking_investment": "no", "investment_instruments": ""}

CODE_SMS = {
    "fr": "Votre code MentorMatch est",
    "es": "Su código de MentorMatch es",
    "ar": "رمزك في MentorMatch هو",
    "en": "Your MentorMatch code is",
}


def import_farmer(db: Any, country: str, phone: str, **columns: str) -> User:
    """Import one farmer from a survey file, as a coordinator's upload does."""
    row = {**SURVEY_ROW, "full_name": "Awa Coulibaly", "country": country, "phone": phone}
    result = import_profiles(db, csv_bytes({**row, **columns}))
    assert result.ok, [str(error) for error in result.errors]
    db.commit()
    return db.scalars(select(User).where(User.full_name == "Awa Coulibaly")).one()


def code_sms_to(app: Any, post_form: Any, phone: str, page_language: str) -> str:
    """The farmer asks for a code on /claim from a page in `page_language`; the text sent."""
    post_form("/claim", {"login": phone}, headers={"Accept-Language": page_language})
    to, body = sent_sms(app)[-1]
    assert to == phone.replace(" ", "")
    return body


@pytest.mark.parametrize(
    ("country", "phone", "page_language", "expected"),
    [
        ("ML", "+223 76 12 34 56", "en", "fr"),  # Mali: French
        ("GT", "+502 5512 3456", "en", "es"),  # Guatemala: Spanish
        ("MA", "+212 612 345 678", "fr", "ar"),  # Morocco: Arabic before (de facto) French
        ("NG", "+234 803 555 0101", "fr", "en"),  # Nigeria: English
        ("ET", "+251 91 123 4567", "fr", "en"),  # Amharic: not written in MentorMatch
        ("SD", "+249 91 234 5678", "en", "ar"),  # Sudan: Arabic, as widely spoken as English
        ("CM", "+237 6 71 23 45 67", "en", "fr"),  # Cameroon: more French than English
    ],
)
def test_a_farmer_imported_without_a_language_gets_texts_in_the_language_of_their_country(
    app: Any, db: Any, post_form: Any, country: str, phone: str, page_language: str, expected: str
) -> None:
    farmer = import_farmer(db, country, phone)
    assert farmer.language is None  # nobody chose for them
    body = code_sms_to(app, post_form, phone, page_language)
    assert body.startswith(CODE_SMS[expected]), body
    others = [text for language, text in CODE_SMS.items() if language != expected]
    assert not any(text in body for text in others)


@pytest.mark.parametrize("setting", ["es", "en"])
def test_a_farmer_in_mali_who_chose_a_language_keeps_it(
    app: Any, db: Any, post_form: Any, setting: str
) -> None:
    import_farmer(db, "ML", "+223 76 12 34 56", language=setting)
    body = code_sms_to(app, post_form, "+223 76 12 34 56", "fr")
    assert body.startswith(CODE_SMS[setting]), body


def test_a_diaspora_member_living_in_morocco_without_a_language_is_told_in_arabic(
    app: Any, db: Any, people: Any
) -> None:
    """A notification (here a suspension) follows the country the member lives in."""
    row = {**MENTOR_ROW, "residence_country": "MA", "email": "youssef@example.org"}
    result = import_profiles(db, csv_bytes(row))
    assert result.ok, [str(error) for error in result.errors]
    member = db.scalars(select(User).where(User.email == "youssef@example.org")).one()
    assert member.language is None and member.diaspora_profile is not None
    with app.app_context():
        vetting.decide(db, member.diaspora_profile, people.jean, "suspend", message="")
        db.commit()
    notice = db.scalars(select(Notification).where(Notification.user_id == member.id)).all()[-1]
    assert notice.subject == "تم تعليق ملفك الشخصي"


def test_the_pages_of_a_farmer_without_a_setting_stay_in_the_browsers_language(
    app: Any, client: Any, db: Any, auth: Any, people: Any
) -> None:
    """Only messages sent to her follow her country: the page follows her browser."""
    awa = make_entrepreneur(
        db, full_name="Awa Coulibaly", email="awa@example.org", country_code="ML",
        region_code=None, locality="Ségou", contact_phone="+22376123456",
    )  # fmt: skip
    db.commit()
    assert awa.user.language is None
    auth.login("awa@example.org")
    page = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="es"' in page
    with app.app_context():
        vetting.decide(db, awa, people.jean, "suspend", message="")
        db.commit()
    notice = db.scalars(select(Notification).where(Notification.user_id == awa.user.id)).all()
    assert notice[-1].subject == "Votre profil est suspendu"
