"""Introductions in the languages of the field: each person reads what concerns them in
their own language and time zone, whoever caused it and whatever language they use."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.models import Notification, Pairing
from mentormatch.pairings import service
from tests.builders import People
from tests.conftest import AuthActions, csrf_token_from, deliver_emails


def speak(db: Session, people: People) -> None:
    """Amina reads French in Bamako; Tesfaye, her would-be mentor, reads Arabic in Dubai."""
    people.amina.user.language, people.amina.user.time_zone = "fr", "Africa/Bamako"
    people.tesfaye.user.language, people.tesfaye.user.time_zone = "ar", "Asia/Dubai"
    db.commit()


def notification_of(db: Session, people: People) -> Notification:
    return db.scalars(
        select(Notification).where(Notification.user_id == people.tesfaye.user_id)
    ).one()


def test_a_french_entrepreneur_asks_an_arabic_mentor(
    app: Flask, client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    speak(db, people)
    auth.login("amina@example.org")
    page = client.get(f"/introductions/new?diaspora_id={people.tesfaye.id}&kind=coaching")
    html = page.get_data(as_text=True)
    assert "Demander une mise en relation" in html
    response = client.post(
        "/introductions/new",
        data={
            "csrf_token": csrf_token_from(html),
            "entrepreneur_id": people.amina.id,
            "diaspora_id": people.tesfaye.id,
            "kind": "coaching",
            "message": "Bonjour, j'élève des poulets à Kano.",
        },
        follow_redirects=True,
    )
    # Amina, who asked, is told in French.
    assert "Votre demande est envoyée." in response.get_data(as_text=True)

    # Tesfaye is told in Arabic, in the app and by email, the date in Dubai's calendar.
    pairing = db.scalars(select(Pairing)).one()
    in_dubai = pairing.expires_at.astimezone(ZoneInfo("Asia/Dubai"))
    expires = format_date(in_dubai.date(), "long", locale="ar")
    notification = notification_of(db, people)
    assert notification.subject == "طلب تعارف للإرشاد من Amina Bello"
    assert "يرغب Amina Bello في تعارف للإرشاد معك." in notification.body
    assert "رسالته:\nBonjour, j'élève des poulets à Kano." in notification.body
    assert f"يرجى الرد قبل {expires}." in notification.body
    assert notification.body.endswith(f"انظر /pairings/{pairing.id}.")
    (email,) = [m for m in deliver_emails(app) if m["To"] == "tesfaye@example.org"]
    assert email["Subject"] == notification.subject
    body = email.get_content()
    assert "يرغب Amina Bello في تعارف للإرشاد معك." in body
    site = app.config["PUBLIC_URL"].rstrip("/")
    assert body.rstrip().endswith(f"انظر {site}/pairings/{pairing.id}")

    # In his notifications page the link still leads to the introduction.
    auth.logout()
    auth.login("tesfaye@example.org")
    listed = client.get("/notifications").get_data(as_text=True)
    assert 'lang="ar"' in listed and "طلب تعارف للإرشاد من Amina Bello" in listed
    assert f'href="/pairings/{pairing.id}"' in listed and "فتح التعارف" in listed


def test_the_expiry_date_is_the_day_in_the_mentors_time_zone(
    app: Flask, db: Session, people: People
) -> None:
    """Asked at 22:30 UTC, 14 days to answer: in Dubai it is already the next day."""
    speak(db, people)
    asked_at = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)
    # The request is sent from a French page; the mentor's text is Arabic all the same.
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        service.request_introduction(
            db,
            people.amina.user,
            entrepreneur_id=people.amina.id,
            diaspora_id=people.tesfaye.id,
            kind="coaching",
            now=asked_at,
        )
    body = notification_of(db, people).body
    assert "يرجى الرد قبل 15 ديسمبر 2026." in body  # 14 December 22:30 UTC, 02:30 in Dubai


def test_a_refused_request_is_explained_in_spanish(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    people.amina.user.language = "es"
    db.commit()
    auth.login("amina@example.org")
    # Fatou invests but does not coach: the page says so at once, in Amina's language.
    page = client.get(f"/introductions/new?diaspora_id={people.fatou.id}&kind=coaching")
    html = page.get_data(as_text=True)
    assert 'lang="es"' in html
    assert "Fatou Diop no ofrece acompañamiento." in html
    assert "does not offer" not in html


def test_counts_take_the_right_plural_in_each_language(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    auth.login("amina@example.org")
    url = f"/introductions/new?diaspora_id={people.tesfaye.id}&kind=coaching"
    expected = {
        "fr": {1: "jusqu'à 1 entrepreneur accompagné,", 3: "jusqu'à 3 entrepreneurs accompagnés,"},
        "es": {1: "hasta 1 emprendedor,", 3: "hasta 3 emprendedores,"},
        "ar": {1: "رائد أعمال واحد (1)", 3: "حتى 3 رواد أعمال"},
    }
    for language, by_count in expected.items():
        people.amina.user.language = language
        for count, words in by_count.items():
            people.tesfaye.mentee_capacity = count
            db.commit()
            html = client.get(url).get_data(as_text=True)
            assert words in html, (language, count)


def test_the_link_in_an_email_is_its_last_line_in_any_language() -> None:
    """A path someone typed in their message never becomes the link; the translated link
    line does, and becomes a full address in the email."""
    from mentormatch.notifications import link_of, with_absolute_links

    typed = "رسالته:\nSee /logout.\nانظر //evil.example/x."
    body = f"{typed}\n\nانظر /pairings/7."
    assert link_of(body) == "/pairings/7"
    assert with_absolute_links(body, "https://mm.example.org/") == (
        f"{typed}\n\nانظر https://mm.example.org/pairings/7"
    )
    assert link_of("Voir /pairings/7.") == "/pairings/7"
    assert link_of("Bonjour\n\nVoir //evil.example/x.") is None
    assert link_of("Merci de répondre avant le 14 décembre 2026.") is None
