"""Money, numbers and percentages written the way the reader writes them."""

from __future__ import annotations

from flask import Flask, render_template_string
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from mentormatch.i18n import in_language_of
from mentormatch.money import display
from tests.builders import People
from tests.conftest import AuthActions
from tests.reading import plain

NNBSP = "\u202f"  # French groups digits with a narrow no-break space


def xof_entrepreneur(db: Session, people: People) -> None:
    """Amina's request is in CFA francs, as she typed it: XOF 7,000,000 (about USD 12,400
    at the seed rate of 0.00177)."""
    people.amina.investment_amount, people.amina.investment_currency = 7_000_000, "XOF"
    db.commit()


def profile_page(client: FlaskClient, people: People) -> str:
    response = client.get(f"/people/entrepreneurs/{people.amina.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_french_reader_sees_the_amount_as_typed_with_french_digits_and_words(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    xof_entrepreneur(db, people)
    people.tesfaye.user.language = "fr"
    db.commit()
    auth.login("tesfaye@example.org")
    page = plain(profile_page(client, people))
    assert f"7{NNBSP}000{NNBSP}000 XOF (environ 12{NNBSP}400 USD)" in page


def test_an_english_reader_sees_the_same_amount_in_english(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    xof_entrepreneur(db, people)
    auth.login("tesfaye@example.org")
    assert "XOF 7,000,000 (about USD 12,400)" in plain(profile_page(client, people))


def test_in_arabic_each_figure_keeps_its_own_direction_inside_the_sentence(
    client: FlaskClient, auth: AuthActions, db: Session, people: People
) -> None:
    xof_entrepreneur(db, people)
    people.tesfaye.user.language = "ar"
    db.commit()
    auth.login("tesfaye@example.org")
    page = profile_page(client, people)
    # Babel's Arabic writes Western digits after a right-to-left mark, the code after the
    # number; each figure is isolated so "XOF" never jumps to the other side of the words.
    assert "<bdi>\u200f7,000,000\u00a0XOF</bdi> (حوالي <bdi>\u200f12,400\u00a0USD</bdi>)" in page


def test_an_amount_without_a_rate_says_so_in_the_readers_language(app: Flask) -> None:
    with app.test_request_context("/", headers={"Accept-Language": "es-GT"}):
        shown = display.amount_text(500_000, "BIF", None)
    assert shown == "500.000\u00a0BIF (no hay tipo de cambio para BIF)"


def test_an_email_writes_amounts_for_its_recipient_not_the_sender(
    app: Flask, db: Session, people: People
) -> None:
    people.fatou.user.language = "fr"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        with in_language_of(people.fatou.user):
            for_fatou = display.range_text(2000, 20000, "EUR", 2320.0, 23200.0)
        for_sender = display.range_text(2000, 20000, "EUR", 2320.0, 23200.0)
    assert (
        plain(for_fatou) == f"2{NNBSP}000–20{NNBSP}000 EUR (environ 2{NNBSP}320–23{NNBSP}200 USD)"
    )
    assert plain(for_sender) == "EUR 2,000–20,000 (about USD 2,320–23,200)"


def test_templates_write_numbers_and_percentages_for_the_reader(app: Flask) -> None:
    template = "{{ 12500 | number }} · {{ percent(0.834, 1) }} · {{ 0.5 | percent }}"
    shown = {}
    for language in ("en", "fr", "es", "ar"):
        with app.test_request_context("/", headers={"Accept-Language": language}):
            shown[language] = plain(render_template_string(template))
    assert shown["en"] == "12,500 · 83.4% · 50%"
    assert shown["fr"] == f"12{NNBSP}500 · 83,4 % · 50 %"
    assert shown["es"] == "12.500 · 83,4 % · 50 %"
    assert shown["ar"] == "12,500 · 83.4% · 50%"
