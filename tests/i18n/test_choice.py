"""Which language a page is in: the person's setting, the switcher, the browser, English."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from mentormatch.i18n import default_time_zone
from tests.builders import People
from tests.conftest import AuthActions, csrf_token_from


def html_attributes(client: FlaskClient, url: str = "/", **headers: str) -> str:
    """The opening <html> tag of a page."""
    page = client.get(url, headers=headers).get_data(as_text=True)
    return page[page.index("<html") : page.index(">", page.index("<html")) + 1]


def choose(client: FlaskClient, language: str, next_url: str = "/") -> str:
    """Press a language button in the header of `next_url`; return where it leads."""
    html = client.get("/").get_data(as_text=True)  # the token is the session's, any page's
    response = client.post(
        "/language",
        data={"csrf_token": csrf_token_from(html), "language": language, "next": next_url},
    )
    assert response.status_code == 302
    return response.headers["Location"]


def test_a_page_with_no_choice_is_in_english(client: FlaskClient) -> None:
    assert html_attributes(client) == '<html lang="en" dir="ltr">'


def test_the_browser_language_is_followed(client: FlaskClient) -> None:
    assert 'lang="fr"' in html_attributes(client, **{"Accept-Language": "fr-ML,fr;q=0.9"})
    assert 'lang="es"' in html_attributes(client, **{"Accept-Language": "es-GT"})
    # A language MentorMatch is not written in falls to the next one the browser accepts.
    assert 'lang="fr"' in html_attributes(client, **{"Accept-Language": "wo, fr;q=0.5"})
    assert 'lang="en"' in html_attributes(client, **{"Accept-Language": "zh-CN"})


def test_arabic_pages_read_right_to_left(client: FlaskClient) -> None:
    assert html_attributes(client, **{"Accept-Language": "ar-MA"}) == '<html lang="ar" dir="rtl">'


def test_every_page_has_a_switcher_naming_each_language_in_itself(client: FlaskClient) -> None:
    for url in ("/", "/login", "/signup"):
        page = client.get(url).get_data(as_text=True)
        assert 'action="/language"' in page
        for code, name in (("en", "English"), ("fr", "Français"), ("es", "Español")):
            assert f'value="{code}" lang="{code}"' in page and name in page
        assert 'lang="ar" dir="rtl"' in page and "العربية" in page


def test_the_switcher_keeps_the_choice_and_returns_to_the_same_page(client: FlaskClient) -> None:
    assert choose(client, "ar", "/login?next=%2F") == "/login?next=%2F"
    # The choice beats the browser's language from now on.
    assert 'lang="ar"' in html_attributes(client, "/login", **{"Accept-Language": "fr"})


def test_the_switcher_never_sends_people_to_another_site(client: FlaskClient) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:x"):
        assert choose(client, "fr", target) == "/"


def test_an_unknown_language_changes_nothing(client: FlaskClient) -> None:
    choose(client, "xx")
    assert 'lang="en"' in html_attributes(client)


def test_a_forged_switch_without_the_token_is_refused(client: FlaskClient) -> None:
    response = client.post("/language", data={"language": "fr", "next": "/"})
    assert response.status_code == 400
    assert 'lang="en"' in html_attributes(client)


def test_a_logged_in_persons_choice_is_their_setting_on_every_device(
    client: FlaskClient, app: object, auth: AuthActions, people: People, db: Session
) -> None:
    auth.login(people.amina.user.email)
    choose(client, "fr")
    db.refresh(people.amina.user)
    assert people.amina.user.language == "fr"
    # Another browser, set to English, shows Amina her pages in French once she logs in.
    other = app.test_client()  # type: ignore[attr-defined]
    AuthActions(other).login(people.amina.user.email)
    assert 'lang="fr"' in html_attributes(other, **{"Accept-Language": "en"})


def test_a_countrys_time_zone_is_where_most_of_its_people_live() -> None:
    assert default_time_zone("ML") == "Africa/Bamako"
    assert default_time_zone("gt") == "America/Guatemala"
    assert default_time_zone("FR") == "Europe/Paris"
    assert default_time_zone(None) is None and default_time_zone("XX") is None


def test_a_message_for_someone_else_is_in_their_language_and_time_zone(
    app: object, people: People, db: Session
) -> None:
    from datetime import UTC, datetime

    from flask_babel import format_datetime, get_locale

    from mentormatch.i18n import in_language_of

    people.tesfaye.user.language, people.tesfaye.user.time_zone = "ar", "Asia/Dubai"
    moment = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):  # type: ignore[attr-defined]
        with in_language_of(people.tesfaye.user):
            assert str(get_locale()) == "ar"
            assert "02:30" in format_datetime(moment, "HH:mm")  # 22:30 UTC is 02:30 in Dubai
        # Back on the sender's own page afterwards.
        assert str(get_locale()) == "fr"
        assert format_datetime(moment, "HH:mm") == "22:30"
