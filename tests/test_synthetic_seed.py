"""`flask seed --synthetic N M`: a large data set that can be run twice and ranks."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentormatch import taxonomy as tx
from mentormatch.db import utcnow
from mentormatch.followup.service import CheckInPolicy, ask_for_check_ins
from mentormatch.matches.changes import loads_version, matching_version
from mentormatch.models import (
    OPEN_STATES,
    CheckInRequest,
    DiasporaProfile,
    EntrepreneurProfile,
    Pairing,
    PairingEvent,
    PairingKind,
    PairingState,
    User,
)
from mentormatch.pairings.queries import coaching_loads
from mentormatch.pairings.rules import REASONS, TRANSITION_BY_KEY

S = PairingState
OPEN = set(OPEN_STATES)


def test_synthetic_profiles_are_added_twice_without_a_clash(
    runner: FlaskCliRunner, db: Session
) -> None:
    before = matching_version(db)
    for _ in range(2):
        result = runner.invoke(args=["seed", "--no-demo-accounts", "--synthetic", "60", "25"])
        assert result.exit_code == 0, result.output
        assert "Added 60 synthetic entrepreneurs and 25 synthetic diaspora members" in result.output
    db.expire_all()
    synthetic = db.scalar(
        select(func.count()).select_from(User).where(User.email.like("synthetic-%"))
    )
    assert synthetic == 2 * 85
    emails = db.scalars(select(User.email).where(User.email.like("synthetic-%"))).all()
    assert len(set(emails)) == len(emails)
    regions = db.scalars(select(EntrepreneurProfile.region_code)).all()
    assert regions and all(tx.is_region(code) for code in regions if code)
    assert db.scalar(select(func.count()).select_from(DiasporaProfile)) >= 50
    assert matching_version(db) > before


def test_synthetic_introductions_keep_the_workflow_s_rules(
    runner: FlaskCliRunner, db: Session
) -> None:
    before = loads_version(db)
    result = runner.invoke(args=["seed", "--no-demo-accounts", "--synthetic", "300", "80"])
    assert result.exit_code == 0, result.output
    db.expire_all()
    pairings = db.scalars(select(Pairing)).all()
    assert len(pairings) > 50, "a programme this size has introductions"
    assert {p.state for p in pairings} >= {S.REQUESTED, S.ACCEPTED, S.APPROVED, S.DECLINED}
    assert loads_version(db) > before  # pages count the new loads
    # Never past a mentor's capacity, and the same count the workflow checks.
    for mentor_id, taken in coaching_loads(db).items():
        mentor = db.get(DiasporaProfile, mentor_id)
        assert mentor is not None and mentor.offers_coaching
        assert taken <= mentor.mentee_capacity
    # One coach each: at most one open coaching introduction per entrepreneur.
    open_coaching = Counter(
        p.entrepreneur_id for p in pairings if p.kind is PairingKind.COACHING and p.state in OPEN
    )
    assert open_coaching and max(open_coaching.values()) == 1
    # Each has its audit trail, from the request to its state, step by allowed step.
    for pairing in pairings:
        steps = [(e.from_state, e.action, e.to_state) for e in pairing.events]
        assert steps[0] == (None, "request", S.REQUESTED)
        assert all((TRANSITION_BY_KEY[(f, a)].to_state == t) for f, a, t in steps[1:])
        assert steps[-1][2] is pairing.state
        ending = pairing.events[-1]
        if ending.action in REASONS:
            assert ending.reason_code in REASONS[ending.action]


def test_a_synthetic_programme_has_asked_its_past_check_ins_already(
    runner: FlaskCliRunner, db: Session
) -> None:
    """Like a programme that has been running: the first worker run after the seed asks
    for no check-in whose day has passed (it would email thousands at once), and asks for
    those that fall due later, each once."""
    result = runner.invoke(args=["seed", "--no-demo-accounts", "--synthetic", "300", "80"])
    assert result.exit_code == 0, result.output
    db.expire_all()
    now = utcnow()
    assert all(event.created_at <= now for event in db.scalars(select(PairingEvent)))
    already = db.scalar(select(func.count()).select_from(CheckInRequest))
    assert already, "introductions approved 30 or 90 days ago were asked on that day"
    policy = CheckInPolicy()
    assert ask_for_check_ins(db, policy, now=now).asked == 0
    later = ask_for_check_ins(db, policy, now=now + timedelta(days=100)).asked
    assert later > 0  # approved less than 30 or 90 days ago: due since, asked now
    assert ask_for_check_ins(db, policy, now=now + timedelta(days=100)).asked == 0
