"""The matching data version changes exactly when something the engine reads changes
(issue 10): a profile's engine fields, an account switched off, rates; never a log-in.
The coaching loads' version moves exactly when a mentor's place is taken or freed."""

from __future__ import annotations

from datetime import date

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from mentormatch.matches.changes import changes_since, loads_version, matching_version
from mentormatch.models import ChangedSide, ExchangeRate
from mentormatch.pairings import service
from tests import builders
from tests.conftest import AuthActions
from tests.pairing_builders import another_entrepreneur, request


def test_logging_in_does_not_change_the_version(
    client: FlaskClient, db: Session, people: builders.People, auth: AuthActions
) -> None:
    before = matching_version(db)
    response = auth.login("amina@example.org")
    assert response.status_code == 302
    db.expire_all()
    assert matching_version(db) == before


def test_a_profile_change_bumps_the_version_and_names_the_profile(
    db: Session, people: builders.People
) -> None:
    before = matching_version(db)
    people.tesfaye.origin_regions = ["ET-AM"]
    db.commit()
    now, changed = changes_since(db, before)
    assert now == before + 1
    assert changed == {(ChangedSide.DIASPORA, people.tesfaye.id)}


def test_value_chains_count_but_contact_details_and_descriptions_do_not(
    db: Session, people: builders.People
) -> None:
    before = matching_version(db)
    people.amina.contact_phone = "+2348030000000"
    people.amina.description = "Now 900 hens."
    db.commit()
    assert matching_version(db) == before
    people.amina.value_chains = builders.chains(db, "poultry", "pigs")
    db.commit()
    assert changes_since(db, before)[1] == {(ChangedSide.ENTREPRENEUR, people.amina.id)}


def test_switching_an_account_off_changes_its_profile(db: Session, people: builders.People) -> None:
    before = matching_version(db)
    people.fatou.user.is_active = False
    db.commit()
    assert changes_since(db, before)[1] == {(ChangedSide.DIASPORA, people.fatou.id)}


def test_a_new_profile_and_new_rates_change_it(db: Session, people: builders.People) -> None:
    before = matching_version(db)
    musa = builders.make_diaspora(db, "Musa Danjuma", "musa@example.org")
    db.commit()
    assert changes_since(db, before)[1] == {(ChangedSide.DIASPORA, musa.id)}
    middle = matching_version(db)
    db.add(ExchangeRate(currency="KES", usd_per_unit=0.0078, as_of=date(2026, 11, 1),
                        source="test"))  # fmt: skip
    db.commit()
    assert (ChangedSide.ALL, 0) in changes_since(db, middle)[1]


def test_the_loads_version_moves_when_a_place_is_taken_or_freed_and_only_then(
    db: Session, people: builders.People
) -> None:
    kwame = another_entrepreneur(db, "Kwame Mensah", "kwame@example.org")
    db.commit()
    before = loads_version(db)
    pairing = request(db, kwame.user, kwame, people.tesfaye)
    investment = request(db, people.amina.user, people.amina, people.fatou, kind="investment")
    people.tesfaye.headline = "Poultry and feed, 20 years"
    db.commit()
    assert loads_version(db) == before  # a request takes no place yet
    service.accept(db, pairing, people.tesfaye.user)
    db.commit()
    assert loads_version(db) == before + 1
    service.accept(db, investment, people.fatou.user)  # investment: no coaching place
    db.commit()
    assert loads_version(db) == before + 1
    service.withdraw(db, pairing, kwame.user, reason="found_help")
    db.commit()
    assert loads_version(db) == before + 2


def test_deleting_a_profile_moves_the_loads_version(db: Session, people: builders.People) -> None:
    before = loads_version(db)
    db.delete(people.fatou)
    db.commit()
    assert loads_version(db) > before
