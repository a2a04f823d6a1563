"""Languages of the field on the matches page, the profile wizard and profile pages: the
reasons for a match, the vocabulary, places and the rules' messages in the reader's language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy.orm import Session

from mentormatch import taxonomy
from mentormatch.matches import service
from mentormatch.matches.reasons import reason_text
from mentormatch.matching.reasons import Reason
from mentormatch.models.pairings import PairingState
from mentormatch.profiles import rules
from tests import builders
from tests.conftest import AuthActions, csrf_token_from
from tests.pairing_builders import pairing_in_state
from tests.reading import plain


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    service.clear_cache()
    yield
    service.clear_cache()


@pytest.fixture
def with_musa(db: Session, people: builders.People) -> builders.People:
    """Amina (poultry, Kano) and Musa, a poultry vet from Kano who speaks Hausa."""
    builders.make_diaspora(
        db,
        full_name="Musa Abdullahi",
        email="musa@example.org",
        value_chains=("poultry",),
        skills_offered=("bookkeeping", "animal_health"),
        headline="Poultry vet, bookkeeping for small farms",
        residence_country="GB",
        origin_regions=["NG-KN"],
        interest_regions=["NG-KN"],
        languages=["hau", "eng"],
    )
    db.commit()
    return people


def matches_page(client: FlaskClient, language: str) -> str:
    response = client.get("/matches", headers={"Accept-Language": language})
    assert response.status_code == 200
    return plain(response.get_data(as_text=True))


def test_the_matches_page_in_french_gives_the_reasons_and_value_chains_in_french(
    client: FlaskClient, auth: AuthActions, with_musa: builders.People
) -> None:
    auth.login("amina@example.org")
    page = matches_page(client, "fr")
    assert "Mentors proposés pour vous" in page
    assert "Même activité que vous : aviculture" in page
    assert "Vous parlez tous les deux : haoussa" in page
    assert "Est originaire de Kano, où vous travaillez" in page
    # The value-chain filter names chains and their groups in French.
    assert "Aviculture (Élevage)" in page
    assert "Both work in" not in page and "You both speak" not in page
    assert "Demander une mise en relation" in page


def test_the_matches_page_in_arabic_names_countries_and_reasons_in_arabic(
    client: FlaskClient, auth: AuthActions, with_musa: builders.People
) -> None:
    auth.login("amina@example.org")
    page = matches_page(client, "ar")
    assert "كلاكما يعمل في تربية الدواجن" in page
    # Musa's card: the region of origin and its country, both in Arabic.
    assert "ولاية كانو، نيجيريا" in page
    assert "Nigeria" not in page


def test_the_same_reasons_in_spanish(
    client: FlaskClient, auth: AuthActions, with_musa: builders.People
) -> None:
    auth.login("amina@example.org")
    page = matches_page(client, "es")
    assert "Los dos trabajan en avicultura" in page
    assert "Los dos hablan hausa" in page


def test_a_reason_kept_by_a_pairing_is_read_in_each_readers_language(
    app: Flask, client: FlaskClient, auth: AuthActions, db: Session, people: builders.People
) -> None:
    pairing = pairing_in_state(db, people, PairingState.REQUESTED)
    shared_chain = Reason(
        "value_chain", "Both work in poultry", "both_work_in", {"chains": ["poultry"]}
    )
    pairing.reasons = [
        shared_chain.stored(),
        # Kept before reasons had a key: shown as they were written.
        {"component": "language", "text": "You both speak English"},
        "both speak English",
    ]
    db.commit()
    auth.login("amina@example.org")
    url = f"/pairings/{pairing.id}"
    french = plain(client.get(url, headers={"Accept-Language": "fr"}).get_data(as_text=True))
    assert "Même activité que vous : aviculture" in french
    assert "You both speak English" in french and "both speak English" in french
    arabic = plain(client.get(url, headers={"Accept-Language": "ar"}).get_data(as_text=True))
    assert "كلاكما يعمل في تربية الدواجن" in arabic
    english = plain(client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert "Both work in poultry" in english


def test_a_reason_with_amounts_and_places_renders_in_french(app: Flask) -> None:
    ticket = Reason(
        "ticket",
        "Seeks XOF 3,000,000 (about USD 5,000), inside your ticket of EUR 2,000–20,000",
        "seeks_inside_ticket",
        {"sought": [3_000_000, "XOF", 5000.0], "span": [2000, 20000, "EUR", 2320.0, 23200.0]},
    )
    place = Reason(
        "region",
        "Works in Oromia, where you come from",
        "works_where_you_come_from",
        {"place": "ET-OR"},
    )
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert reason_text(ticket).startswith("Cherche ")
        assert "XOF" in reason_text(ticket) and "EUR" in reason_text(ticket)
        assert reason_text(place) == "Travaille à Oromia, d'où vous êtes originaire"
        area = Reason("region", "", "ties_to_area", {"area": "11"})
        assert reason_text(area) == "A des attaches en Afrique occidentale, où vous travaillez"


def test_a_wizard_error_is_in_spanish(
    client: FlaskClient, auth: AuthActions, people: builders.People
) -> None:
    auth.login("amina@example.org")
    headers = {"Accept-Language": "es"}
    form = client.get("/profile/edit/business", headers=headers).get_data(as_text=True)
    response = client.post(
        "/profile/edit/business",
        data={"csrf_token": csrf_token_from(form), "business_name": "", "stage": "starting"},
        headers=headers,
    )
    assert response.status_code == 400
    page = plain(response.get_data(as_text=True))
    assert "Escriba el nombre del negocio." in page
    assert "Nombre del negocio" in page and "Guardar" in page


def test_a_rule_speaks_the_language_of_whoever_reads_it(app: Flask, db: Session) -> None:
    """The same broken answer, in a French coordinator's import report or a Spanish form."""
    answers = {"business_name": "", "stage": "someday"}
    said = {}
    for language in ("en", "fr", "es", "ar"):
        with app.test_request_context(), force_locale(language):
            problems = rules.Problems()
            rules.business(answers, rules.Vocabularies(db), problems)
            said[language] = problems.errors
    assert said["en"]["business_name"] == "Enter the name of the business."
    assert said["fr"]["business_name"] == "Écrivez le nom de l'entreprise."
    assert said["es"]["stage"].startswith("«someday» no es una etapa conocida")
    assert said["ar"]["business_name"] == "اكتب اسم المشروع."


def test_the_value_chain_step_in_french_lists_the_words_farmers_use(
    client: FlaskClient, auth: AuthActions, people: builders.People
) -> None:
    auth.login("amina@example.org")
    page = plain(
        client.get("/profile/edit/value-chains", headers={"Accept-Language": "fr"}).get_data(
            as_text=True
        )
    )
    assert "Aviculture" in page and "Céréales : maïs, blé, sorgho, mil" in page
    assert "Élevage" in page  # the group's heading
    needs = plain(
        client.get("/profile/edit/needs", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    )
    assert "Fertilité des sols et usage des engrais" in needs
    assert "Haoussa" in needs  # a language of Nigeria, named in French


def test_countries_are_listed_in_the_readers_alphabet_order(
    client: FlaskClient, auth: AuthActions, people: builders.People
) -> None:
    auth.login("amina@example.org")
    page = client.get("/profile/edit/where", headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )
    # Éthiopie sorts among the E's in French, not after Z.
    assert page.index("Espagne") < page.index("Éthiopie") < page.index("Fidji")
    assert "Nigéria" in page or "Nigeria" in page


def test_region_names_follow_pycountrys_translations(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert taxonomy.region_name("PH-07") == "Visayas central (Région VII)"
        assert taxonomy.place_name("ET", "ET-OR") == "Oromia, Éthiopie"
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert taxonomy.region_name("PH-07") == "Visayas Centrales (Región VII)"
    with app.test_request_context(headers={"Accept-Language": "ar"}):
        assert taxonomy.country_name("SN") == "السنغال"
        assert taxonomy.language_name("hau") == "الهوسا"


def test_every_value_chain_and_skill_label_reaches_the_catalogue() -> None:
    """`make messages` reads the taxonomy files: a new chain is offered to translators."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    pot = Path(taxonomy.__file__).parent / "translations" / "messages.pot"
    catalogue = read_po(pot.open("rb"))
    found = 0
    for path in ("value_chains.csv", "skills.csv"):
        with (taxonomy.TAXONOMY_DIR / path).open("rb") as handle:
            for _, _, (context, label), _ in taxonomy.extract_taxonomy(handle, None, None, None):
                assert catalogue.get(label, context=context) is not None, label
                found += 1
    assert found > 60  # chains, their groups and skills
