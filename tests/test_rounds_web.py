"""A coordinator's matching round on the web: proposal beside the baseline, nothing sent
until confirmed, then proposals both sides answer; people already served are left out."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentormatch.matches import service as matches
from mentormatch.models import (
    MatchingRound,
    Notification,
    Pairing,
    PairingKind,
    PairingState,
    RoundStatus,
)
from mentormatch.pairings import service
from mentormatch.rounds import service as rounds
from tests.builders import People, make_diaspora
from tests.conftest import AuthActions
from tests.pairing_builders import another_entrepreneur, request

S = PairingState


@pytest.fixture
def nigeria(db: Session, people: People) -> dict[str, Any]:
    """Amina and Kwame keep poultry near Kano; Musa (from Kano) coaches one mentee."""
    matches.clear_cache()
    kwame = another_entrepreneur(db, "Kwame Mensah", "kwame@example.org", languages=["hau"])
    musa = make_diaspora(
        db, full_name="Musa Danjuma", email="musa@example.org", value_chains=("poultry",),
        skills_offered=("bookkeeping", "supply_chain"), origin_regions=["NG-KN"],
        interest_regions=[], languages=["hau", "eng"], mentee_capacity=1,
    )  # fmt: skip
    db.commit()
    return {"kwame": kwame, "musa": musa}


def count(db: Session, model: Any) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_a_round_is_proposed_shown_beside_the_baseline_then_confirmed(
    client: FlaskClient, auth: AuthActions, db: Session, people: People, nigeria: dict[str, Any],
    post_form: Any,
) -> None:  # fmt: skip
    auth.login("jean@example.org")
    response = post_form("/coordinator/rounds", {"kind": "coaching", "country": "NG"})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "each takes their own top suggestion" in page
    assert "Entrepreneurs reached" in page and "Left out" in page
    assert count(db, Pairing) == 0  # nothing is sent before confirmation
    matching_round = db.scalars(select(MatchingRound)).one()
    pairs = matching_round.proposal["pairs"]
    # Musa has one place; Tesfaye (from Ethiopia, English) can coach the other.
    assert len(pairs) == 2
    assert {p["diaspora_id"] for p in pairs} == {nigeria["musa"].id, people.tesfaye.id}

    confirmed = post_form(
        f"/coordinator/rounds/{matching_round.id}/confirm", {}, page=response.location
    )
    assert confirmed.status_code == 302
    page = client.get(confirmed.location).get_data(as_text=True)
    assert "2 introductions proposed" in page
    assert "Introductions from this round" in page
    made = db.scalars(select(Pairing)).all()
    assert {(p.state, p.round_id, p.requester_side) for p in made} == {
        (S.PROPOSED, matching_round.id, "coordinator")
    }
    for pairing in made:
        told = db.scalars(select(Notification.user_id).where(Notification.pairing_id == pairing.id))
        assert set(told) == {pairing.entrepreneur.user_id, pairing.diaspora.user_id}
    again = post_form(
        f"/coordinator/rounds/{matching_round.id}/confirm", {}, page=confirmed.location
    )
    assert again.status_code == 400
    assert count(db, Pairing) == 2


def test_people_already_coached_are_left_out_and_say_why(
    db: Session, people: People, nigeria: dict[str, Any]
) -> None:
    pairing = request(db, people.amina.user, people.amina, nigeria["musa"])
    service.accept(db, pairing, nigeria["musa"].user)
    service.approve(db, pairing, people.jean)
    db.commit()
    matching_round = rounds.propose(
        db, people.jean, rounds.RoundRequest(kind=PairingKind.COACHING, country="NG")
    )
    left = {x["entrepreneur_id"]: x["why"] for x in matching_round.proposal["left_out"]}
    assert "approved coaching introduction" in left[people.amina.id]
    # Musa's only place is taken, and Kwame speaks only Hausa, which Tesfaye does not.
    assert matching_round.proposal["pairs"] == []
    assert "is full" in left[nigeria["kwame"].id]


def test_a_mentor_filled_since_the_proposal_is_skipped_at_confirmation(
    db: Session, people: People, nigeria: dict[str, Any]
) -> None:
    matching_round = rounds.propose(
        db, people.jean, rounds.RoundRequest(kind=PairingKind.COACHING, country="NG")
    )
    db.commit()
    musa = nigeria["musa"]
    to_musa = next(p for p in matching_round.proposal["pairs"] if p["diaspora_id"] == musa.id)
    other = another_entrepreneur(db, "Chidi Obi", "chidi@example.org")
    meanwhile = request(db, other.user, other, musa)
    service.accept(db, meanwhile, musa.user)
    service.approve(db, meanwhile, people.jean)
    db.commit()
    done = rounds.confirm(db, matching_round, people.jean)
    assert done.created == 1
    assert any("Musa Danjuma is now fully committed" in why for why in done.skipped)
    assert matching_round.status is RoundStatus.CONFIRMED
    made = db.scalars(select(Pairing).where(Pairing.round_id == matching_round.id)).all()
    assert to_musa["entrepreneur_id"] not in {
        p.entrepreneur_id for p in made if p.diaspora_id == musa.id
    }


def test_a_region_outside_the_country_is_refused_and_nothing_is_kept(
    client: FlaskClient, auth: AuthActions, db: Session, people: People, nigeria: dict[str, Any],
    post_form: Any,
) -> None:  # fmt: skip
    people.amina.region_code = "NG-KN"
    db.commit()
    auth.login("jean@example.org")
    data = {"kind": "coaching", "country": "ET", "region": "NG-KN"}
    another_entrepreneur(db, "Abebe Girma", "abebe@example.org", country_code="ET")
    db.commit()
    response = post_form("/coordinator/rounds", data, page="/coordinator/rounds")
    assert response.status_code == 400
    assert "Kano is not in Ethiopia" in response.get_data(as_text=True)
    assert count(db, MatchingRound) == 0


def test_quotas_are_shown_with_whether_they_are_met(
    client: FlaskClient, auth: AuthActions, db: Session, people: People, nigeria: dict[str, Any],
    post_form: Any,
) -> None:  # fmt: skip
    auth.login("jean@example.org")
    data = {"kind": "coaching", "country": "NG", "women_led": "100", "returnee": "50"}
    response = post_form("/coordinator/rounds", data)
    assert response.status_code == 302
    matching_round = db.scalars(select(MatchingRound)).one()
    quotas = {q["code"]: q for q in matching_round.proposal["quotas"]}
    # Amina is women-led and a returnee; Kwame (the other builder default) is too, so both
    # can be reached and every quota holds.
    assert quotas["women_led"]["met"] and quotas["returnee"]["met"]
    page = client.get(response.location).get_data(as_text=True)
    assert "Women-led businesses" in page and "Quotas" in page


def test_a_round_proposal_says_so_in_each_readers_language_not_the_coordinators(
    client: FlaskClient, auth: AuthActions, db: Session, people: People, nigeria: dict[str, Any],
    post_form: Any,
) -> None:  # fmt: skip
    # Jean reads MentorMatch in French and confirms the round; Amina reads it in English,
    # then in Arabic.
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    auth.login("jean@example.org")
    response = post_form("/coordinator/rounds", {"kind": "coaching", "country": "NG"})
    matching_round = db.scalars(select(MatchingRound)).one()
    post_form(f"/coordinator/rounds/{matching_round.id}/confirm", {}, page=response.location)
    auth.logout()
    pairing = db.scalars(select(Pairing).where(Pairing.entrepreneur_id == people.amina.id)).one()
    english = f"Proposed in matching round {matching_round.id}."
    french = f"Proposée lors du tour de mise en relation {matching_round.id}."

    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    auth.login("amina@example.org")
    inbox = client.get("/inbox").get_data(as_text=True)
    page = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    assert english in inbox and french not in inbox
    # Once under "Message" and once in the history.
    assert page.count(english) == 2 and french not in page
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    assert french in client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
