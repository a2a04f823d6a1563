"""/matches: each person sees ranked counterparts with a score and plain reasons."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.matches import service
from mentormatch.models import DiasporaProfile, ReviewStatus, Role
from mentormatch.models.pairings import Pairing, PairingKind, PairingState
from tests import builders
from tests.conftest import AuthActions
from tests.reading import plain


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    service.clear_cache()
    yield
    service.clear_cache()


def musa(db: Session, **fields: object) -> DiasporaProfile:
    """Musa: poultry vet from Kano living in London, speaks Hausa; bookkeeping too."""
    values: dict[str, object] = {
        "full_name": "Musa Abdullahi",
        "email": "musa@example.org",
        "value_chains": ("poultry",),
        "skills_offered": ("bookkeeping", "animal_health"),
        "headline": "Poultry vet, bookkeeping for small farms",
        "residence_country": "GB",
        "origin_regions": ["NG-KN"],
        "interest_regions": ["NG-KN"],
        "skills_offered_text": "layer flocks, vaccination, farm records",
        "languages": ["hau", "eng"],
        "contact_phone": "+447700900123",
    }
    values.update(fields)
    return builders.make_diaspora(db, **values)  # type: ignore[arg-type]


def coaching(entrepreneur_id: int, mentor: DiasporaProfile, state: PairingState) -> Pairing:
    """A coaching pairing the entrepreneur asked for, already in `state`."""
    return Pairing(
        entrepreneur_id=entrepreneur_id,
        diaspora_id=mentor.id,
        kind=PairingKind.COACHING,
        state=state,
        requester_side="entrepreneur",
    )


@pytest.fixture
def with_musa(db: Session, people: builders.People) -> builders.People:
    """Amina, Tesfaye, Fatou and Jean, plus Musa the poultry mentor from Kano."""
    musa(db)
    db.commit()
    return people


def page(client: FlaskClient, url: str = "/matches") -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_entrepreneur_sees_ranked_mentors_with_score_and_reasons(
    client: FlaskClient, auth: AuthActions, with_musa: builders.People
) -> None:
    people = with_musa
    auth.login("amina@example.org")
    html = page(client)
    assert "<h1>Mentors suggested for you</h1>" in html
    assert html.index("Musa Abdullahi") < html.index("Tesfaye Bekele")
    for reason in (
        "Both work in poultry",
        "Comes from Kano, where you work",
        "Offers bookkeeping and accounts",
        "You both speak Hausa",
    ):
        assert reason in html
    assert "% match" in html
    assert f"/people/diaspora/{people.tesfaye.id}" in html


def test_mentor_sees_ranked_entrepreneurs(
    client: FlaskClient, auth: AuthActions, with_musa: builders.People
) -> None:
    people = with_musa
    auth.login("musa@example.org")
    html = page(client)
    assert "<h1>Entrepreneurs you could coach</h1>" in html
    assert "Amina Poultry" in html
    assert "Works in Kano, where you come from" in html
    assert "Needs bookkeeping and accounts, which you offer" in html
    assert f"/people/entrepreneurs/{people.amina.id}" in html


def test_suggestions_never_show_contact_details(
    client: FlaskClient, auth: AuthActions, with_musa: builders.People
) -> None:
    auth.login("amina@example.org")
    html = page(client)
    for secret in ("musa@example.org", "+447700900123", "tesfaye@example.org", "+12025550143"):
        assert secret not in html
    auth.logout()
    auth.login("musa@example.org")
    html = page(client)
    assert "amina@example.org" not in html and "+2348031234567" not in html


def test_people_without_a_common_language_are_not_suggested(
    client: FlaskClient, auth: AuthActions, people: builders.People
) -> None:
    # Fatou speaks French and Wolof; Amina Hausa and English.
    auth.login("amina@example.org")
    assert "Fatou Diop" not in page(client, "/matches?kind=investment")


def test_investment_tab_shows_investors_whose_ticket_fits(
    client: FlaskClient, auth: AuthActions, db: Session, people: builders.People
) -> None:
    musa(db, offers_coaching=False, offers_investment=True, ticket_min=1000, ticket_max=10000,
         ticket_currency="USD", investment_instruments=["loan"])  # fmt: skip
    musa(db, full_name="Big Ticket", email="big@example.org", offers_coaching=False,
         offers_investment=True, ticket_min=50000, ticket_max=90000,
         ticket_currency="USD")  # fmt: skip
    db.commit()
    auth.login("amina@example.org")
    html = page(client, "/matches?kind=investment")
    assert "<h1>Investors suggested for you</h1>" in html
    assert "Musa Abdullahi" in html
    assert "Invests USD 1,000–10,000; you seek USD 5,000" in plain(html)
    assert "Big Ticket" not in html


def test_filters_by_value_chain_and_country(
    client: FlaskClient, auth: AuthActions, with_musa: builders.People
) -> None:
    auth.login("amina@example.org")
    html = page(client, "/matches?kind=coaching&value_chain=coffee")
    assert "Tesfaye Bekele" in html and "Musa Abdullahi" not in html
    assert '<option selected value="coffee">' in html  # the list shows what was chosen
    html = page(client, "/matches?kind=coaching&country=NG")
    assert "Musa Abdullahi" in html and "Tesfaye Bekele" not in html
    assert '<option selected value="NG">' in html and '<option selected value="coffee">' not in html
    assert '<label for="value_chain">Value chain</label>' in html
    assert '<label for="country">Country</label>' in html


def test_unknown_filter_value_is_a_clear_400(
    client: FlaskClient, auth: AuthActions, people: builders.People
) -> None:
    auth.login("amina@example.org")
    response = client.get("/matches?value_chain=<script>alert(1)</script>")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Choose a value chain from the list." in html and "<script>alert(1)" not in html
    assert client.get("/matches?kind=marriage").status_code == 400


def test_suggestions_are_paginated(
    client: FlaskClient, auth: AuthActions, db: Session, people: builders.People
) -> None:
    for i in range(12):
        musa(db, full_name=f"Mentor Number {i:02d}", email=f"mentor{i}@example.org")
    db.commit()
    auth.login("amina@example.org")
    first = page(client)
    assert "Page 1 of 2" in first and first.count('class="match"') == 10
    second = page(client, "/matches?kind=coaching&page=2")
    assert "Page 2 of 2" in second and second.count('class="match"') == 3  # 12 + Tesfaye


def test_pair_with_an_open_request_is_not_suggested_again(
    client: FlaskClient, auth: AuthActions, db: Session, people: builders.People
) -> None:
    mentor = musa(db)
    db.add(coaching(people.amina.id, mentor, PairingState.REQUESTED))
    db.commit()
    auth.login("amina@example.org")
    html = page(client)
    assert "Musa Abdullahi" not in html and "Tesfaye Bekele" in html


def test_mentor_at_capacity_is_not_suggested(
    client: FlaskClient, auth: AuthActions, db: Session, people: builders.People
) -> None:
    mentor = musa(db, mentee_capacity=1)
    other = builders.make_entrepreneur(db, full_name="Halima Sani", email="halima@example.org")
    db.add(coaching(other.id, mentor, PairingState.APPROVED))
    db.commit()
    auth.login("amina@example.org")
    assert "Musa Abdullahi" not in page(client)


def test_suggestions_follow_a_profile_change(
    client: FlaskClient, auth: AuthActions, db: Session, people: builders.People
) -> None:
    mentor = musa(db)
    db.commit()
    auth.login("amina@example.org")
    assert "Both work in poultry" in page(client)
    mentor.value_chains = builders.chains(db, "dairy")
    db.commit()
    html = page(client)
    assert "Both work in poultry" not in html
    assert "Works in dairy, close to your poultry (livestock)" in html


def test_coordinator_is_pointed_elsewhere(
    client: FlaskClient, auth: AuthActions, people: builders.People
) -> None:
    auth.login("jean@example.org")
    response = client.get("/matches")
    assert response.status_code == 403
    assert "Coordinators review introductions" in response.get_data(as_text=True)


def test_person_without_a_profile_is_asked_to_create_it(
    client: FlaskClient, auth: AuthActions, db: Session
) -> None:
    builders.make_user(db, Role.ENTREPRENEUR, "Kofi Mensah", "kofi@example.org")
    db.commit()
    auth.login("kofi@example.org")
    html = page(client)
    assert "Create your profile" in html


def test_matches_need_a_login(client: FlaskClient) -> None:
    response = client.get("/matches")
    assert response.status_code in (302, 401)


def test_matching_evaluate_on_current_data_prints_the_metrics(
    runner: FlaskCliRunner, db: Session, people: builders.People
) -> None:
    musa(db)
    db.commit()
    result = runner.invoke(args=["matching", "evaluate", "--current-data"])
    assert result.exit_code == 0, result.output
    for metric in ("NDCG@10", "precision@5", "MRR", "coverage", "load Gini"):
        assert metric in result.output
    assert "coaching:" in result.output and "investment:" in result.output


def test_matching_evaluate_says_when_there_is_nothing_to_evaluate(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["matching", "evaluate", "--current-data"])
    assert result.exit_code != 0
    assert "flask seed" in result.output


def test_matching_bench_ends_with_one_json_line(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["matching", "bench", "--entrepreneurs", "600", "--diaspora", "300",
              "--queries", "30", "--baseline", "100", "--page-size", "300", "80",
              "--round-size", "200", "50", "--results-size", "300", "400",
              "--language-rounds", "1"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    for key in ("fit_s", "query_p50_ms", "query_p95_ms", "all_pairs_s", "peak_mb",
                "speedup_vs_dense_same_features", "speedup_vs_cosine_other_features",
                "update_one_person_ms", "n_entrepreneurs", "n_diaspora",
                "matches_page_p50_ms", "matches_page_p99_ms", "change_visible_s",
                "peak_mb_process", "peak_mb_page_process", "rss_mb_workers", "pss_mb_workers",
                "matches_page_share_fr", "matches_page_share_ar"):  # fmt: skip
        assert key in figures
    assert figures["matches_page_cpu_ms_ar"] > 0 and figures["matches_page_share_ar"] > 0
    assert figures["change_visible_s"] > 0, "the changed mentor never showed up"
    assert figures["n_entrepreneurs"] == 600


def test_profile_waiting_for_approval_is_told_why_there_are_no_suggestions(
    client: FlaskClient, auth: AuthActions, db: Session, people: builders.People
) -> None:
    people.amina.review_status = ReviewStatus.PENDING
    db.commit()
    auth.login("amina@example.org")
    html = page(client)
    assert "waiting for a coordinator" in html and "Tesfaye Bekele" not in html


def test_explain_pair_gives_the_score_and_reasons_a_pairing_records(
    app: Flask, db: Session, with_musa: builders.People
) -> None:
    amina = with_musa.amina
    mentor = db.scalars(
        select(DiasporaProfile).where(DiasporaProfile.headline.like("Poultry%"))
    ).one()
    with app.app_context():
        score, reasons = service.explain_pair(db, amina, mentor, "coaching")
        assert 0.5 < score <= 1.0
        said = [(r["component"], r["text"]) for r in reasons]
        assert ("value_chain", "Both work in poultry") in said
        # Kept with its sentence key and codes, so it can be read later in any language.
        assert {"key": "both_work_in", "params": {"chains": ["poultry"]}}.items() <= next(
            r for r in reasons if r["component"] == "value_chain"
        ).items()
        amina.review_status = ReviewStatus.PENDING
        db.commit()
        # A pending profile is still explained (coordinators review pending requests too).
        assert service.explain_pair(db, amina, mentor, "coaching")[0] > 0
