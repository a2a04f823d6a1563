"""Accounts, the start page, error and report pages in the reader's language; emails about
an account in its owner's language."""

from __future__ import annotations

import html as html_lib
import re
from email.message import EmailMessage
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.models import Notification, User
from tests.builders import People
from tests.conftest import AuthActions, csrf_token_from, deliver_emails

FRENCH = {"Accept-Language": "fr-ML,fr;q=0.9"}
SPANISH = {"Accept-Language": "es-GT"}
ARABIC = {"Accept-Language": "ar-MA"}
ENGLISH = {"Accept-Language": "en"}

SIGNUP = {
    "role": "entrepreneur",
    "full_name": "Halima Sani",
    "email": "halima@example.org",
    "phone": "",
    "password": "millet and groundnuts",
    "confirm": "millet and groundnuts",
}


def post_page(client: FlaskClient, url: str, data: dict[str, str], headers: dict[str, str]):
    """Load the page in a language and send its form, as a browser set to it would."""
    page = client.get(url, headers=headers).get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_token_from(page), **data}, headers=headers)


def emails_to(app: Flask, address: str) -> list[EmailMessage]:
    return [m for m in deliver_emails(app) if m["To"] == address]


def text_of(page: str) -> str:
    """What a reader sees: the page without tags, scripts or attribute values."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_log_in_page_in_french_speaks_french(client: FlaskClient) -> None:
    page = client.get("/login", headers=FRENCH).get_data(as_text=True)
    assert "<h1>Se connecter</h1>" in page
    assert "Adresse e-mail ou numéro de téléphone" in page and "Mot de passe oublié ?" in page
    assert "Email or phone number" not in page and "Forgot your password?" not in page


def test_a_wrong_password_is_told_in_french(client: FlaskClient, people: People) -> None:
    response = post_page(
        client, "/login", {"login": "amina@example.org", "password": "not her password"}, FRENCH
    )
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "ne correspondent à aucun compte actif" in page
    assert "do not match an active account" not in page
    # The summary at the top and the page's title say it too.
    assert "Corrigez ceci pour continuer" in page and "<title>Erreur : Se connecter" in page


def test_sign_up_refusals_are_in_arabic_with_the_numbers_in_place(client: FlaskClient) -> None:
    response = post_page(client, "/signup", {**SIGNUP, "password": "short", "confirm": "x"}, ARABIC)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "يجب ألا يقل عدد الأحرف عن 10، وفي هذه 5 فقط." in page
    assert "كلمتا المرور غير متطابقتين" in page


def test_sign_up_in_spanish_makes_a_spanish_account_with_a_spanish_email(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    response = post_page(client, "/signup", SIGNUP, SPANISH)
    assert response.status_code == 200
    assert "Revise su correo" in response.get_data(as_text=True)
    user = db.scalar(select(User).where(User.email == "halima@example.org"))
    assert user is not None and user.language == "es"
    [email] = emails_to(app, "halima@example.org")
    assert email["Subject"] == "Confirme su correo de MentorMatch"
    body = email.get_content()
    assert "Hola, Halima Sani:" in body and "Bienvenido a MentorMatch" in body
    assert "3 días" in body and "/signup/confirm/" in body


def test_a_confirmed_spanish_speaker_sees_spanish_pages_on_any_browser(
    app: Flask, client: FlaskClient
) -> None:
    post_page(client, "/signup", SIGNUP, SPANISH)
    [email] = emails_to(app, "halima@example.org")
    link = re.search(r"(/signup/confirm/\S+)", email.get_content())
    assert link
    other = app.test_client()
    other.get(link.group(1), headers=ENGLISH)
    page = other.get("/", headers=ENGLISH).get_data(as_text=True)
    assert 'lang="es"' in page and "Empiece por contarnos de su negocio" in page


def test_sign_up_in_english_keeps_english(app: Flask, client: FlaskClient, db: Session) -> None:
    post_page(client, "/signup", SIGNUP, ENGLISH)
    user = db.scalar(select(User).where(User.email == "halima@example.org"))
    assert user is not None and user.language == "en"
    [email] = emails_to(app, "halima@example.org")
    assert email["Subject"] == "Confirm your MentorMatch email address"


def test_an_arabic_speaker_gets_the_reset_email_in_arabic_whoever_asks(
    app: Flask, client: FlaskClient, db: Session, people: People
) -> None:
    people.amina.user.language = "ar"
    db.commit()
    # Asked from an English page: the email is still in the owner's language.
    response = post_page(client, "/password/forgot", {"login": "amina@example.org"}, ENGLISH)
    assert "If an account exists we sent a link" in response.get_data(as_text=True)
    [email] = emails_to(app, "amina@example.org")
    assert email["Subject"] == "اختر كلمة المرور في MentorMatch"
    body = email.get_content()
    assert "طلب أحدهم كلمة مرور جديدة لحسابك" in body and "/password/reset/" in body
    assert "Someone asked" not in body


def test_the_account_exists_email_follows_the_owners_language_else_the_pages(
    app: Flask, client: FlaskClient, db: Session, people: People
) -> None:
    people.amina.user.language = "fr"
    db.commit()
    post_page(client, "/signup", {**SIGNUP, "email": "amina@example.org"}, SPANISH)
    [to_amina] = emails_to(app, "amina@example.org")
    assert to_amina["Subject"] == "Vous avez déjà un compte MentorMatch"
    # Tesfaye never chose a language: the sign-up page's (Spanish) is the best guess.
    assert people.tesfaye.user.language is None
    post_page(app.test_client(), "/signup", {**SIGNUP, "email": "tesfaye@example.org"}, SPANISH)
    [to_tesfaye] = emails_to(app, "tesfaye@example.org")
    assert to_tesfaye["Subject"] == "Usted ya tiene una cuenta en MentorMatch"
    assert "en menos de 10 minutos" in to_tesfaye.get_content()


def test_the_no_account_email_is_in_the_language_of_the_page(
    app: Flask, client: FlaskClient
) -> None:
    post_page(client, "/password/forgot", {"login": "nobody@example.org"}, FRENCH)
    [email] = emails_to(app, "nobody@example.org")
    assert email["Subject"] == "À propos de votre mot de passe MentorMatch"
    assert "Aucun compte MentorMatch actif" in email.get_content()


def test_a_page_behind_log_in_asks_in_spanish(client: FlaskClient) -> None:
    response = client.get("/account/password", headers=SPANISH)
    assert response.status_code == 302
    page = client.get(response.headers["Location"], headers=SPANISH).get_data(as_text=True)
    assert "Inicie sesión para ver esta página." in page


def test_an_error_page_in_arabic(client: FlaskClient) -> None:
    response = client.get("/no-such-page", headers=ARABIC)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<h1>غير موجود</h1>" in page and "هذه الصفحة غير موجودة" in page
    assert "Not found" not in page


def test_a_safety_alert_reaches_a_french_coordinator_in_french(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    people.jean.language = "fr"
    db.commit()
    auth.login("amina@example.org")
    url = f"/people/diaspora/{people.tesfaye.id}/report"
    form = client.get(url).get_data(as_text=True)
    assert "You are reporting <strong><bdi>Tesfaye Bekele</bdi></strong>." in form
    response = client.post(
        url,
        data={"csrf_token": csrf_token_from(form), "category": "money", "description": ""},
        follow_redirects=True,
    )
    assert "Thank you: your report is sent" in response.get_data(as_text=True)
    alerts = {
        n.user_id: n
        for n in db.scalars(select(Notification).where(Notification.subject.like("%Tesfaye%")))
    }
    jean, admin_side = alerts[people.jean.id], alerts.get(people.admin.id)
    assert admin_side is None  # only coordinators hear of it
    assert jean.subject == "Signalement : Tesfaye Bekele"
    assert "Amina" in jean.body and "M'a demandé de l'argent ou un paiement" in jean.body
    assert "Asked me for money" not in jean.body


def _english_of(language: str, template_dirs: tuple[str, ...]) -> list[str]:
    """The English sentences this area's templates show, where `language` says them
    otherwise ("Entrepreneurs" is French too), from the catalogue's locations."""
    translations = Path(__file__).resolve().parents[2] / "mentormatch/translations"
    with (translations / language / "LC_MESSAGES/messages.po").open("rb") as source:
        messages = read_po(source)
    sentences = []
    for message in messages:
        if not message.id or not isinstance(message.id, str) or message.string == message.id:
            continue
        if any(where.startswith(template_dirs) for where, _ in message.locations):
            text = re.sub(r"<[^>]+>|%\(\w+\)[sd]", "\x00", message.id)
            sentences += [part.strip() for part in text.split("\x00") if len(part.strip()) > 12]
    return sentences


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_no_english_is_left_on_the_visitors_pages(client: FlaskClient, language: str) -> None:
    english = _english_of(language, ("templates/auth/", "templates/main/", "templates/base.html"))
    assert len(english) > 30
    for url in ("/", "/login", "/signup", "/password/forgot", "/password/reset/forged"):
        page = client.get(url, headers={"Accept-Language": language}).get_data(as_text=True)
        shown = text_of(page)
        left = [sentence for sentence in english if sentence in shown]
        assert not left, (url, left)
