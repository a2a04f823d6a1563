"""Registration in the field in the languages of the field: Moussa, a field officer in Mali
who works in French, registers Layla, a farmer who reads Arabic; every text message Layla
gets is in Arabic, whatever language the pages around it are in."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from mentormatch.models import Role, User
from tests.builders import make_user
from tests.test_registration import HAUWA, sent_sms

LAYLA = {
    **HAUWA,
    "full_name": "Layla Ould Ahmed",
    "phone": "76 12 34 56",  # as dialled in Mali
    "country_code": "ML",
    "locality": "Ségou",
    "business_name": "Jardin Layla",
    "languages": "Arabic; Bambara",
    "language": "ar",
}


@pytest.fixture
def moussa(db, auth, people):
    """A field officer whose own setting is French, logged in."""
    officer = make_user(db, Role.FIELD_OFFICER, "Moussa Traoré", "moussa@example.org")
    officer.language = "fr"
    db.commit()
    auth.login("moussa@example.org")
    return officer


def layla(db) -> User:
    db.expire_all()
    return db.scalars(select(User).where(User.full_name == "Layla Ould Ahmed")).one()


def test_the_registration_page_speaks_the_officers_french_and_offers_his_language_first(
    client, moussa
):
    page = client.get("/coordinator/register").get_data(as_text=True)
    assert '<html lang="fr"' in page
    assert "Inscrire un entrepreneur" in page and "Register an entrepreneur" not in page
    assert "Langue que la personne lit" in page
    # The consent statements are read out from the officer's page: in French too.
    assert "MentorMatch garde mon nom" in page
    # Unless he says otherwise, the farmer reads what the officer reads.
    assert _chosen_language(page) == "fr"


def test_a_french_officer_registers_a_farmer_who_reads_arabic_and_her_texts_are_arabic(
    app, client, db, moussa, post_form
):
    response = post_form("/coordinator/register", LAYLA)
    assert response.status_code == 302, response.get_data(as_text=True)
    # Moussa reads the confirmation in French...
    page = client.get(response.location).get_data(as_text=True)
    assert "Layla Ould Ahmed est inscrit" in page
    # ...and Layla's setting is the language she reads.
    assert layla(db).language == "ar"

    invitation = sent_sms(app)[-1]
    assert invitation[0] == "+22376123456"
    assert "سجّلك Moussa Traoré في MentorMatch" in invitation[1]
    assert "/claim" in invitation[1] and "registered you" not in invitation[1]

    # Layla asks for her code from a page in English (a borrowed phone's browser): the code
    # still reaches her in Arabic.
    client.post("/logout", data={"csrf_token": _token(client)})
    post_form("/claim", {"login": "76 12 34 56"}, headers={"Accept-Language": "en"})
    code_sms = sent_sms(app)[-1][1]
    assert "رمزك في MentorMatch هو" in code_sms and "Your MentorMatch code" not in code_sms


def test_a_language_the_product_is_not_written_in_is_refused_with_a_clear_message(
    client, db, moussa, post_form
):
    response = post_form("/coordinator/register", {**LAYLA, "language": "bm"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "choisissez l&#39;une de ces langues" in page
    assert db.scalars(select(User).where(User.full_name == "Layla Ould Ahmed")).first() is None


def test_the_officer_changes_the_language_a_person_reads_when_editing(
    app, client, db, moussa, post_form
):
    post_form("/coordinator/register", LAYLA)
    person = layla(db)
    edit = f"/coordinator/registrations/{person.id}/edit"
    assert _chosen_language(client.get(edit).get_data(as_text=True)) == "ar"
    response = post_form(edit, {**LAYLA, "phone": "+223 76 12 34 56", "language": "es"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert layla(db).language == "es"


def _chosen_language(page: str) -> str:
    """The value of the checked "Language the person reads" radio button."""
    chosen = re.findall(r'<input checked[^>]*name="language" type="radio" value="(\w+)"', page)
    assert len(chosen) == 1, chosen
    return chosen[0]


def _token(client) -> str:
    from tests.conftest import csrf_token_from

    return csrf_token_from(client.get("/").get_data(as_text=True))
