"""Programme indicators, each against numbers counted by hand on a small programme; the
charts and the CSV show the same numbers.

The programme (all in the last twelve months unless said otherwise):
- entrepreneurs: Amina (Kano; women-led, youth-led, returnee), Kwame (Kano; youth-led),
  Halima (Lagos; women-led; not vetted yet), Abebe (Oromia, Ethiopia; returnee); and
  Old Farm (Kano, women-led), registered 400 days ago;
- mentors: Musa (from Kano, 3 mentees, also invests), Tesfaye (from Oromia, 2 mentees);
  Fatou invests only;
- introductions asked for in the period:
  P1 Amina-Musa coaching: approved after 10 days; check-ins 4 and 3 sessions; rated 5 and 4
  P2 Kwame-Musa coaching: approved after 4 days, completed; rated 3
  P3 Amina-Tesfaye coaching: declined
  P4 Amina-Musa investment: approved after 20 days; EUR 2,000 committed, later EUR 2,500
- and P5 Kwame-Tesfaye coaching, asked for 400 days ago, approved: outside the period.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.models import (
    CheckIn,
    DiasporaProfile,
    EntrepreneurProfile,
    Pairing,
    PairingKind,
    PairingState,
    ReviewStatus,
)
from mentormatch.pairings import contacts, service
from mentormatch.results import service as results
from mentormatch.results.charts import bar_chart, stacked_columns
from tests.builders import People, make_diaspora
from tests.conftest import AuthActions
from tests.pairing_builders import another_entrepreneur, request

MOST_HTML_BYTES = 60_000


@dataclass
class Programme:
    people: People
    pairings: dict[str, Pairing]


def _introduce(
    db: Session,
    people: People,
    entrepreneur: EntrepreneurProfile,
    member: DiasporaProfile,
    kind: str,
    days_ago: int,
    approve_after: int | None,
) -> Pairing:
    """The entrepreneur asks `days_ago` days ago; the member accepts and Jean approves
    `approve_after` days after the request (None: left as asked)."""
    asked = utcnow() - timedelta(days=days_ago)
    pairing = request(db, entrepreneur.user, entrepreneur, member, kind=kind, now=asked)
    if approve_after is not None:
        service.accept(db, pairing, member.user)
        service.approve(db, pairing, people.jean, now=asked + timedelta(days=approve_after))
    return pairing


@pytest.fixture
def programme(db: Session, people: People) -> Programme:
    amina = people.amina
    kwame = another_entrepreneur(
        db, "Kwame Mensah", "kwame@example.org",
        is_women_led=False, is_youth_led=True, is_returnee=False, seeking_investment=False,
    )  # fmt: skip
    another_entrepreneur(
        db, "Halima Sani", "halima@example.org", region_code="NG-LA",
        value_chains=("vegetables",), is_women_led=True, is_youth_led=False, is_returnee=False,
        seeking_investment=False, review_status=ReviewStatus.PENDING,
    )  # fmt: skip
    another_entrepreneur(
        db, "Abebe Girma", "abebe@example.org", country_code="ET", region_code="ET-OR",
        value_chains=("coffee",), is_women_led=False, is_youth_led=False, is_returnee=True,
        seeking_investment=False, languages=["amh"],
    )  # fmt: skip
    old = another_entrepreneur(db, "Old Farm", "old@example.org", is_youth_led=False)
    old.created_at = utcnow() - timedelta(days=400)
    musa = make_diaspora(
        db, full_name="Musa Danjuma", email="musa@example.org", value_chains=("poultry",),
        origin_regions=["NG-KN"], interest_regions=[], languages=["hau", "eng"],
        mentee_capacity=3, offers_investment=True, ticket_min=1000, ticket_max=20000,
        ticket_currency="USD", investment_instruments=["loan"],
    )  # fmt: skip
    db.commit()
    p1 = _introduce(db, people, amina, musa, "coaching", 40, 10)
    p2 = _introduce(db, people, kwame, musa, "coaching", 20, 4)
    service.complete(db, p2, kwame.user, reason="goals_met")
    p3 = _introduce(db, people, amina, people.tesfaye, "coaching", 5, None)
    service.decline(db, p3, people.tesfaye.user, reason="no_time")
    p4 = _introduce(db, people, amina, musa, "investment", 30, 20)
    p5 = _introduce(db, people, kwame, people.tesfaye, "coaching", 400, 2)
    for pairing, author, rating in ((p1, amina.user, 5), (p1, musa.user, 4), (p2, kwame.user, 3)):
        contacts.leave_feedback(db, pairing, author, rating=rating)
    # Check-ins as stored (the filing rules are tested in test_followup.py).
    now = utcnow()
    db.add_all(
        [
            CheckIn(pairing_id=p1.id, author_id=musa.user_id, day=30, met=True, sessions=4),
            CheckIn(pairing_id=p1.id, author_id=amina.user_id, day=30, met=True, sessions=3),
            CheckIn(
                pairing_id=p4.id, author_id=musa.user_id, day=30, met=True, sessions=1,
                money_committed=True, amount=2000, currency="EUR", instrument="loan",
                amount_usd=2320.0, created_at=now - timedelta(days=2),
            ),
            CheckIn(
                pairing_id=p4.id, author_id=amina.user_id, day=90, met=True, sessions=2,
                money_committed=True, amount=2500, currency="EUR", instrument="loan",
                amount_usd=2900.0, created_at=now - timedelta(days=1),
            ),
        ]
    )  # fmt: skip
    db.commit()
    return Programme(people, {"P1": p1, "P2": p2, "P3": p3, "P4": p4, "P5": p5})


def last_year(**filters: object) -> results.Filters:
    today = date.today()
    return results.Filters(start=today - timedelta(days=364), end=today, **filters)  # type: ignore[arg-type]


def table(computed: results.Results) -> dict[str, dict[str, float | None]]:
    return {i.key: i.values for i in computed.indicators}


def row(all_: float | None, women: float | None, youth: float | None, returnee: float | None):  # type: ignore[no-untyped-def]
    return {"all": all_, "women_led": women, "youth_led": youth, "returnee": returnee}


# Counted by hand from the module docstring.
EXPECTED = {
    "entrepreneurs_registered": row(4, 2, 2, 2),
    "entrepreneurs_vetted": row(3, 1, 2, 2),
    "diaspora_registered": row(3, None, None, None),
    "diaspora_vetted": row(3, None, None, None),
    "requested": row(4, 3, 4, 3),
    "accepted": row(3, 2, 3, 2),
    "approved": row(3, 2, 3, 2),
    "completed": row(1, 0, 1, 0),
    "reached": row(2, 1, 2, 1),
    "median_days_to_approval": row(10, 15, 10, 15),
    "ratings": row(3, 2, 3, 2),
    "average_rating": row(4.0, 4.5, 4.0, 4.5),
    "with_check_in": row(2, 2, 2, 2),
    "sessions": row(6, 6, 6, 6),
    "investment_usd": row(2900, 2900, 2900, 2900),
}


def test_every_indicator_matches_the_hand_count(db: Session, programme: Programme) -> None:
    got = table(results.compute(db, last_year()))
    assert set(got) == set(EXPECTED)
    wrong = {key: got[key] for key, values in EXPECTED.items() if got[key] != pytest.approx(values)}
    assert wrong == {}


def test_regions_currencies_and_charts_match_the_hand_count(
    db: Session, programme: Programme
) -> None:
    computed = results.compute(db, last_year(country="NG"))
    regions = {r.code: r for r in computed.regions}
    kano, lagos = regions["NG-KN"], regions["NG-LA"]
    assert (kano.registered, kano.requested, kano.approved, kano.reached) == (2, 4, 3, 2)
    assert (kano.sessions, kano.investment_usd) == (6, 2900)
    assert (lagos.registered, lagos.requested) == (1, 0)
    assert computed.currencies == [("EUR", 2500, 2900.0)]
    stacked: dict[str, int] = {}
    for _, values in computed.by_month:
        for key, n in values.items():
            stacked[key] = stacked.get(key, 0) + n
    assert stacked == {"approved": 2, "completed": 1, "not_approved": 1}
    assert dict(computed.approval_days) == {
        "0–7 days": 1, "8–14 days": 1, "15–30 days": 1, "31–60 days": 0, "over 60 days": 0,
    }  # fmt: skip
    assert computed.reach == [("Kano", 2)]
    # Musa coaches Amina (Kwame's coaching is completed); Tesfaye's places are free, but he
    # comes from Ethiopia, so only Musa is a mentor for Nigeria.
    assert computed.load == {"none": 0, "some": 1, "full": 0}
    assert computed.places == (1, 3)


def test_the_filters_narrow_every_count(db: Session, programme: Programme) -> None:
    investment = table(results.compute(db, last_year(kind=PairingKind.INVESTMENT)))
    assert investment["requested"]["all"] == 1 and investment["approved"]["all"] == 1
    assert investment["entrepreneurs_registered"]["all"] == 1  # only Amina seeks investment
    assert investment["diaspora_registered"]["all"] == 2  # Musa and Fatou invest
    ethiopia = table(results.compute(db, last_year(country="ET")))
    assert ethiopia["entrepreneurs_registered"]["all"] == 1
    assert ethiopia["requested"]["all"] == 0
    assert ethiopia["diaspora_registered"]["all"] == 1  # Tesfaye, from Oromia
    poultry = table(results.compute(db, last_year(value_chain="poultry")))
    assert poultry["entrepreneurs_registered"]["all"] == 2
    assert poultry["requested"]["all"] == 4
    earlier = results.Filters(
        start=date.today() - timedelta(days=500), end=date.today() - timedelta(days=365)
    )
    old = table(results.compute(db, earlier))
    assert old["requested"]["all"] == 1 and old["entrepreneurs_registered"]["all"] == 1


def test_the_page_shows_the_numbers_definitions_and_accessible_charts_in_under_60_kb(
    client: FlaskClient, auth: AuthActions, programme: Programme
) -> None:
    auth.login("jean@example.org")
    response = client.get("/coordinator/results?country=NG")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(response.data) < MOST_HTML_BYTES
    assert "<script" not in html and "style=" not in html
    assert html.count("<h1") == 1
    assert "Half of the approved introductions were approved" in html  # definitions
    indicators = html[html.index('id="indicators-heading"') : html.index("<h3>Definitions")]
    requested = re.search(r"Introductions requested</th>(.*?)</tr>", indicators, re.S)
    assert requested is not None
    assert re.findall(r"<td>([^<]*)</td>", requested.group(1)) == ["4", "3", "4", "3"]
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 4
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert html.count("<figure>") == 4 and html.count("<figure>") <= html.count("<table")


def test_the_csv_has_the_same_numbers_as_the_page(
    client: FlaskClient, auth: AuthActions, programme: Programme
) -> None:
    auth.login("jean@example.org")
    response = client.get("/coordinator/results.csv?country=NG")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["table", "row", "column", "value"]
    cells = {(t, r, c): v for t, r, c, v in rows[1:]}
    assert cells[("indicators", "Introductions requested", "Women-led")] == "3"
    assert cells[("indicators", "Median days from request to approval", "All")] == "10"
    assert cells[("indicators", "Diaspora members registered", "Youth-led")] == ""
    assert cells[("by region", "Kano", "Entrepreneurs reached")] == "2"
    assert cells[("investment by currency", "EUR", "Amount")] == "2500"


def test_a_period_that_ends_before_it_starts_is_refused_with_a_message(
    client: FlaskClient, auth: AuthActions, programme: Programme
) -> None:
    auth.login("jean@example.org")
    response = client.get("/coordinator/results?start=2026-05-01&end=2026-01-01")
    assert response.status_code == 400
    assert "The end of the period comes before its start." in response.get_data(as_text=True)
    assert client.get("/coordinator/results.csv?start=2026-05-01&end=2026-01-01").status_code == 400


def test_charts_describe_their_data_for_screen_readers() -> None:
    chart = bar_chart("reach", "Entrepreneurs reached by region", [("Kano", 12), ("Lagos", 3)])
    assert chart.description == (
        "Entrepreneurs reached by region: 2 bars; the largest is Kano with 12, of 15 in all."
    )
    assert chart.bars[0].width > chart.bars[1].width > 0
    empty = bar_chart("reach", "Entrepreneurs reached", [])
    assert "nothing to show" in empty.description
    columns = stacked_columns(
        "m", "By month", [("a", "A"), ("b", "B")], [("Jan", {"a": 2, "b": 1}), ("Feb", {"a": 1})]
    )
    first = columns.columns[0]
    assert first.total == 3 and [s.series for s in first.segments] == ["a", "b"]
    assert "the busiest is Jan with 3" in columns.description


def test_the_states_counted_as_approved_or_accepted_can_only_follow_that_step() -> None:
    """The funnel reads "was approved" from the state now: every way into those states
    must pass through approval (and likewise for acceptance), as the transition table says."""
    from mentormatch.pairings.rules import TRANSITIONS

    for passed, after in (
        (PairingState.APPROVED, results.AFTER_APPROVAL),
        (PairingState.ACCEPTED, results.AFTER_ACCEPTANCE),
    ):
        for t in TRANSITIONS:
            if t.to_state in after and t.to_state is not passed:
                assert t.from_state in after, f"{t.from_state} -{t.action}-> {t.to_state}"
