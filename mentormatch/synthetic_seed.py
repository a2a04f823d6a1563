"""`flask seed --synthetic N_ENTREPRENEURS N_DIASPORA`: a large, realistic data set, fast.

For benchmarks and load tests: profiles drawn by the engine's synthetic generator
(mentormatch/matching/synthetic.py) with real ISO 3166-2 regions of a dozen programme
countries and the real taxonomy, written with set-based INSERTs (thousands of rows per
statement), on SQLite and PostgreSQL. Every email is unique (`synthetic-e123@example.org`,
numbered after the rows already there), so it never runs out; nobody gets a phone or a
password (a person set one through "Forgot password" if needed). The matching data version
is bumped once at the end.

Introductions too, because a programme at this size has thousands and the pages count them
(coaching loads, pairs not to suggest again): each coaching mentor has 0 to `capacity`
places taken (accepted or approved), up to 2 requests waiting and up to 3 ended
introductions; each investor up to 3 investment introductions. An entrepreneur has at most
one open coaching introduction (one coach). Each comes with the audit
trail of the steps that led to its state, never dated after now, and the check-ins a
running programme would already have asked for (those whose day after approval has
passed, CHECK_IN_DAYS): otherwise the first worker run after a seed asks thousands at once
and sends their emails, which a real programme never does. Scores and reasons are
placeholders (0.5, none): no page reads them for ranking.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from mentormatch import taxonomy as tx
from mentormatch.db import utcnow
from mentormatch.followup.service import CheckInPolicy
from mentormatch.matches import adapter
from mentormatch.matches.changes import record_changes
from mentormatch.matching import synthetic
from mentormatch.models import (
    ChangedSide,
    CheckInRequest,
    DiasporaProfile,
    EntrepreneurProfile,
    Pairing,
    PairingEvent,
    PairingKind,
    PairingState,
    ReviewStatus,
    Role,
    User,
)
from mentormatch.models.profiles import (
    diaspora_skills_offered,
    diaspora_value_chains,
    entrepreneur_skills_needed,
    entrepreneur_value_chains,
)
from mentormatch.pairings.rules import REASONS, TRANSITION_BY_KEY

BATCH = 5000


@dataclass(frozen=True)
class SyntheticReport:
    entrepreneurs: int
    diaspora: int
    pairings: int = 0


S = PairingState
# The actions from a request to each state; the states in between are the workflow's
# (pairings.rules.TRANSITION_BY_KEY).
STEPS: dict[PairingState, tuple[str, ...]] = {
    S.REQUESTED: (),
    S.ACCEPTED: ("accept",),
    S.APPROVED: ("accept", "approve"),
    S.COMPLETED: ("accept", "approve", "complete"),
    S.CLOSED: ("accept", "approve", "close"),
    S.DECLINED: ("decline",),
    S.REJECTED: ("accept", "reject"),
    S.WITHDRAWN: ("withdraw",),
}
ENDED = (S.DECLINED, S.COMPLETED, S.WITHDRAWN, S.REJECTED, S.CLOSED)


def _next_id(session: Session, column: Any) -> int:
    return int(session.scalar(select(func.coalesce(func.max(column), 0))) or 0) + 1


def _insert(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(insert(table), rows[start : start + BATCH])


def seed_synthetic(
    session: Session,
    n_entrepreneurs: int,
    n_diaspora: int,
    seed: int = 1,
    progress: Callable[[str], None] = lambda _: None,
    check_in_days: Sequence[int] = CheckInPolicy.days,
) -> SyntheticReport:
    """Add synthetic profiles (and their accounts) to the database; the caller commits."""
    records_taxonomy = adapter.build_taxonomy(session, [], [])
    regions = {
        country: [code for code, _ in tx.regions_for(country)] for country in synthetic.COUNTRIES
    }
    user_id = _next_id(session, User.id)
    e_id = _next_id(session, EntrepreneurProfile.id)
    d_id = _next_id(session, DiasporaProfile.id)
    now = utcnow()
    es = synthetic.entrepreneurs(n_entrepreneurs, records_taxonomy, seed, e_id, regions)
    ds = synthetic.diaspora(n_diaspora, records_taxonomy, seed + 1, d_id, regions)
    progress(f"generated {len(es):,} entrepreneurs and {len(ds):,} diaspora members")

    def account(i: int, role: Role, label: str) -> dict[str, Any]:
        return {
            "id": user_id + i, "email": f"synthetic-{label}{user_id + i}@example.org",
            "full_name": f"Synthetic {role.value} {user_id + i}", "role": role,
            "is_active": True, "session_version": 1, "created_at": now, "updated_at": now,
            "email_confirmed_at": now,
        }  # fmt: skip

    users = [account(i, Role.ENTREPRENEUR, "e") for i in range(len(es))]
    users += [account(len(es) + i, Role.DIASPORA, "d") for i in range(len(ds))]
    _insert(session, User, users)
    progress(f"{len(users):,} accounts written")
    _insert(session, EntrepreneurProfile, [
        {
            "id": e.id, "user_id": user_id + i, "business_name": f"Farm {e.id}",
            "description": "", "country_code": e.country_code, "region_code": e.region_code,
            "locality": "", "stage": e.stage, "skills_needed_text": e.skills_needed_text,
            "languages": list(e.languages), "seeking_investment": e.seeking_investment,
            "investment_amount": int(e.investment_amount_usd) if e.investment_amount_usd else None,
            "investment_currency": "USD" if e.investment_amount_usd else None,
            "investment_instruments": list(e.investment_instruments),
            "review_status": ReviewStatus.APPROVED if e.active else ReviewStatus.SUSPENDED,
            "is_returnee": e.id % 3 == 0, "is_women_led": e.id % 2 == 0,
            "is_youth_led": e.id % 3 == 1, "created_at": now, "updated_at": now,
        }
        for i, e in enumerate(es)
    ])  # fmt: skip
    _insert(session, DiasporaProfile, [
        {
            "id": d.id, "user_id": user_id + len(es) + i, "headline": f"Mentor {d.id}",
            "bio": "", "residence_country": d.residence_country,
            "origin_regions": list(d.origin_regions), "interest_regions": list(d.interest_regions),
            "skills_offered_text": d.skills_offered_text, "languages": list(d.languages),
            "preferred_stages": list(d.preferred_stages), "offers_coaching": d.offers_coaching,
            "mentee_capacity": d.mentee_capacity if d.offers_coaching else 0,
            "hours_per_month": 4 if d.offers_coaching else 0,
            "offers_investment": d.offers_investment,
            "ticket_min": int(d.ticket_min_usd) if d.ticket_min_usd else None,
            "ticket_max": int(d.ticket_max_usd) if d.ticket_max_usd else None,
            "ticket_currency": "USD" if d.ticket_min_usd else None,
            "investment_instruments": list(d.investment_instruments),
            "review_status": ReviewStatus.APPROVED if d.active else ReviewStatus.SUSPENDED,
            "created_at": now, "updated_at": now,
        }
        for i, d in enumerate(ds)
    ])  # fmt: skip
    progress("profiles written")
    links = (
        (entrepreneur_value_chains, "value_chain_code", [(e.id, e.value_chains) for e in es]),
        (entrepreneur_skills_needed, "skill_code", [(e.id, e.skills_needed) for e in es]),
        (diaspora_value_chains, "value_chain_code", [(d.id, d.value_chains) for d in ds]),
        (diaspora_skills_offered, "skill_code", [(d.id, d.skills_offered) for d in ds]),
    )
    for table, column, owned in links:
        _insert(session, table, [{"profile_id": i, column: c} for i, codes in owned for c in codes])
    record_changes(session, [(ChangedSide.ALL, 0)])
    progress("value chains and skills written")
    pairings = _seed_pairings(
        session,
        entrepreneurs=[(e.id, user_id + i) for i, e in enumerate(es) if e.active],
        diaspora=[
            (d.id, user_id + len(es) + i, d.offers_coaching, d.mentee_capacity, d.offers_investment)
            for i, d in enumerate(ds)
            if d.active
        ],  # fmt: skip
        rng=random.Random(seed + 2),
        now=now,
        check_in_days=check_in_days,
    )
    progress(f"{pairings:,} introductions written")
    return SyntheticReport(len(es), len(ds), pairings)


def _seed_pairings(
    session: Session,
    entrepreneurs: Sequence[tuple[int, int]],
    diaspora: Sequence[tuple[int, int, bool, int, bool]],
    rng: random.Random,
    now: datetime,
    check_in_days: Sequence[int],
) -> int:
    """Introductions between active synthetic people and their audit trails (see the
    module docstring); never past a mentor's capacity, one per pair and kind."""
    if not entrepreneurs:
        return 0
    first_id = _next_id(session, Pairing.id)
    pairings: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    check_ins: list[dict[str, Any]] = []
    seen: set[tuple[int, int, PairingKind]] = set()

    # An entrepreneur has one coach (pairings.service): an open coaching introduction each
    # at most, drawn without replacement.
    uncoached = list(entrepreneurs)
    rng.shuffle(uncoached)

    def add(member: int, member_user: int, kind: PairingKind, state: PairingState) -> None:
        if kind is PairingKind.COACHING and state not in ENDED:
            if not uncoached:
                return
            entrepreneur, entrepreneur_user = uncoached.pop()
        else:
            entrepreneur, entrepreneur_user = rng.choice(entrepreneurs)
        if (entrepreneur, member, kind) in seen:
            return
        seen.add((entrepreneur, member, kind))
        ident = first_id + len(pairings)
        asked = now - timedelta(days=rng.randint(1, 300), minutes=rng.randint(0, 1439))
        at = last = asked
        was: PairingState | None = None
        for action in ("request", *STEPS[state]):
            now_in = S.REQUESTED if was is None else TRANSITION_BY_KEY[(was, action)].to_state
            actor = {"accept": member_user, "decline": member_user, "approve": None,
                     "reject": None}.get(action, entrepreneur_user)  # fmt: skip
            events.append({
                "pairing_id": ident, "action": action, "from_state": was, "to_state": now_in,
                "actor_id": actor, "automatic": False, "reason_code": _reason(rng, action),
                "note": "", "private_note": "", "created_at": at,
            })  # fmt: skip
            was, last = now_in, at
            at = min(now, at + timedelta(days=rng.randint(1, 20)))
        if state is S.APPROVED:  # `last` is the approval: the check-ins already asked
            check_ins.extend(
                {"pairing_id": ident, "day": day, "asked_at": last + timedelta(days=day)}
                for day in check_in_days
                if last + timedelta(days=day) <= now
            )
        pairings.append({
            "id": ident, "entrepreneur_id": entrepreneur, "diaspora_id": member,
            "kind": kind, "state": state, "requested_by_id": entrepreneur_user,
            "requester_side": "entrepreneur", "message": "", "score": 0.5, "reasons": [],
            "reason_code": events[-1]["reason_code"], "reason_text": "",
            "coordinator_note": "", "created_at": asked, "state_changed_at": last,
            "version": 1 + len(STEPS[state]),
        })  # fmt: skip

    coaching, investment = PairingKind.COACHING, PairingKind.INVESTMENT
    for member, member_user, coaches, capacity, invests in diaspora:
        if coaches:
            for _ in range(rng.randint(0, capacity)):
                add(member, member_user, coaching, rng.choice((S.ACCEPTED, *[S.APPROVED] * 3)))
            for _ in range(rng.randint(0, 2)):
                add(member, member_user, coaching, S.REQUESTED)
            for _ in range(rng.randint(0, 3)):
                add(member, member_user, coaching, rng.choice(ENDED))
        if invests:
            for _ in range(rng.randint(0, 3)):
                state = rng.choice((S.REQUESTED, S.APPROVED, S.DECLINED, S.COMPLETED))
                add(member, member_user, investment, state)
    _insert(session, Pairing, pairings)
    _insert(session, PairingEvent, events)
    _insert(session, CheckInRequest, check_ins)
    return len(pairings)


def _reason(rng: random.Random, action: str) -> str | None:
    """A reason from the workflow's list for an ending step, else None."""
    reasons = REASONS.get(action)
    return rng.choice(sorted(reasons)) if reasons else None
