"""Matching rounds on the database: who is in the round, the engine's proposal kept as it
was shown, and its confirmation as coordinator proposals both sides answer.

The optimisation itself is mentormatch.matching.rounds (no database there). Every
function takes a Session and flushes; the caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mentormatch import taxonomy
from mentormatch.db import utcnow
from mentormatch.matches import adapter
from mentormatch.matches.builds import load_all
from mentormatch.matching import Kind
from mentormatch.matching.rounds import Quota, propose_round
from mentormatch.models import (
    OPEN_STATES,
    DiasporaProfile,
    EntrepreneurProfile,
    MatchingRound,
    Pairing,
    PairingKind,
    PairingState,
    ReviewStatus,
    RoundStatus,
    User,
    ValueChain,
)
from mentormatch.pairings.locking import lock_row
from mentormatch.pairings.parties import is_coordinator
from mentormatch.pairings.queries import coaching_load
from mentormatch.pairings.rules import PairingError
from mentormatch.pairings.service import Policy, propose_introduction

# Entrepreneur flags a quota can ask a minimum share of, with their words.
GROUPS = {
    "women_led": ("is_women_led", _l("Women-led businesses")),
    "youth_led": ("is_youth_led", _l("Youth-led businesses")),
    "returnee": ("is_returnee", _l("Returnee businesses")),
}
DEFAULT_PER_INVESTOR = 3
MAX_PER_INVESTOR = 20


class RoundError(PairingError):
    """A round that cannot be run or confirmed as asked; the message says what to change."""

    status = 400


@dataclass(frozen=True)
class RoundRequest:
    """What a coordinator asks for: kind, scope, quotas in whole percent, investors' places."""

    kind: PairingKind
    country: str
    region: str | None = None
    value_chain: str | None = None
    quotas: dict[str, int] = field(default_factory=dict)  # women_led, youth_led, returnee
    each_region: int | None = None
    per_investor: int = DEFAULT_PER_INVESTOR

    def check(self, session: Session) -> None:
        """RoundError unless the scope and the numbers make sense."""
        if not taxonomy.is_country(self.country):
            raise RoundError(_("Choose the country of the round from the list."))
        if self.region and not taxonomy.is_region_of(self.region, self.country):
            raise RoundError(
                _(
                    "%(region)s is not in %(country)s: choose one of its regions or none.",
                    region=taxonomy.region_name(self.region),
                    country=taxonomy.country_name(self.country),
                )
            )
        if self.value_chain and session.get(ValueChain, self.value_chain) is None:
            raise RoundError(_("Choose the value chain from the list."))
        shares = [*self.quotas.values(), *([self.each_region] if self.each_region else [])]
        if any(not 0 <= share <= 100 for share in shares):
            raise RoundError(_("Give each minimum share as a whole percentage from 0 to 100."))
        if self.kind is PairingKind.INVESTMENT and not 1 <= self.per_investor <= MAX_PER_INVESTOR:
            raise RoundError(
                _(
                    "Give the new introductions per investor as a number from 1 to %(max)d.",
                    max=MAX_PER_INVESTOR,
                )
            )


def _in_scope(session: Session, wanted: RoundRequest) -> Sequence[EntrepreneurProfile]:
    """Approved, active entrepreneurs of the scope (seeking investment, for investment)."""
    statement = (
        select(EntrepreneurProfile)
        .join(EntrepreneurProfile.user)
        .where(
            EntrepreneurProfile.country_code == wanted.country,
            EntrepreneurProfile.review_status == ReviewStatus.APPROVED,
            User.is_active.is_(True),
        )
        .order_by(EntrepreneurProfile.id)
        .options(selectinload(EntrepreneurProfile.user))
    )
    if wanted.region:
        statement = statement.where(EntrepreneurProfile.region_code == wanted.region)
    if wanted.value_chain:
        statement = statement.where(
            EntrepreneurProfile.value_chains.any(ValueChain.code == wanted.value_chain)
        )
    if wanted.kind is PairingKind.INVESTMENT:
        statement = statement.where(EntrepreneurProfile.seeking_investment.is_(True))
    return session.scalars(statement).all()


def _already_served(session: Session, kind: PairingKind, ids: list[int]) -> dict[int, str]:
    """Entrepreneurs the round leaves alone, and why: they already have an introduction of
    this kind that is open or approved."""
    rows = session.execute(
        select(Pairing.entrepreneur_id, Pairing.state).where(
            Pairing.kind == kind, Pairing.state.in_(OPEN_STATES), Pairing.entrepreneur_id.in_(ids)
        )
    )
    why: dict[int, str] = {}
    for entrepreneur_id, state in rows:
        if state is PairingState.APPROVED:
            why[entrepreneur_id] = "approved"
        else:
            why.setdefault(entrepreneur_id, "waiting")
    return why


def already_served_words(code: str, kind: PairingKind) -> str:
    """Why the round left an entrepreneur alone ("approved" or "waiting", as the proposal
    keeps it), in the reader's language."""
    coaching = kind is PairingKind.COACHING
    if code == "approved":
        if coaching:
            return _("Already has an approved coaching introduction.")
        return _("Already has an approved investment introduction.")
    if coaching:
        return _(
            "Already has a coaching introduction waiting for an answer; the round does not "
            "add another mentor."
        )
    return _(
        "Already has an investment introduction waiting for an answer; the round does not "
        "add another investor."
    )


def left_out_words(matching_round: MatchingRound, left_out: dict[str, Any]) -> str:
    """Why one entrepreneur of a proposal gets nobody, for the page: in the reader's
    language when the proposal kept a code, else as it was written when it was run."""
    code = left_out.get("code")
    if code in ("approved", "waiting"):
        return already_served_words(code, matching_round.kind)
    return str(left_out.get("why", ""))


def quota_words(quota: dict[str, Any]) -> str:
    """A quota's group, in the reader's language (a region keeps its own name)."""
    code = str(quota.get("code", ""))
    if code in GROUPS:
        return str(GROUPS[code][1])
    if code.startswith("region:"):
        return taxonomy.region_name(code.removeprefix("region:"))
    return str(quota.get("label", code))


def _places(session: Session, wanted: RoundRequest, members: list[Any]) -> dict[int, int]:
    """Places each member can take in this round: mentors' capacity left (approved
    coaching counts against it), or the same number for every investor."""
    if wanted.kind is PairingKind.INVESTMENT:
        return {d.id: wanted.per_investor for d in members if d.active and d.offers_investment}
    load = adapter.load(session)
    # Full mentors stay in with 0 places, so the round can say that they are full.
    return {
        d.id: max(0, d.mentee_capacity - load.get(d.id, 0))
        for d in members
        if d.active and d.offers_coaching and d.mentee_capacity > 0
    }


def propose(
    session: Session,
    coordinator: User,
    wanted: RoundRequest,
    now: datetime | None = None,
    policy: Policy | None = None,
) -> MatchingRound:
    """Run the round on the current profiles and keep the proposal as it will be shown;
    pairs still in their cooling-off period (the policy's) are not proposed."""
    if not is_coordinator(coordinator):
        raise RoundError(_("Only a programme coordinator can run a matching round."))
    wanted.check(session)
    kind = Kind(wanted.kind.value)
    # A round reads every member's capacity and wording: fit afresh from the profiles as
    # they are now, with their records in memory (the published index keeps none).
    index = load_all(session)
    people = _in_scope(session, wanted)
    served = _already_served(session, wanted.kind, [p.id for p in people])
    entrants = [p for p in people if p.id not in served]
    quotas = [
        Quota(
            code,
            str(label),
            frozenset(p.id for p in entrants if getattr(p, flag)),
            wanted.quotas[code] / 100,
        )
        for code, (flag, label) in GROUPS.items()
        if wanted.quotas.get(code)
    ]
    if wanted.each_region:
        regions = sorted({p.region_code for p in entrants if p.region_code})
        quotas += [
            Quota(
                f"region:{code}",
                taxonomy.region_name(code),
                frozenset(p.id for p in entrants if p.region_code == code),
                wanted.each_region / 100,
            )
            for code in regions
        ]
    places = _places(session, wanted, index.diaspora)
    proposal = propose_round(
        index,
        kind,
        [p.id for p in entrants],
        places,
        exclude=adapter.excluded_pairs(
            session, kind, (policy or Policy()).cooling_off_since(now or utcnow())
        ),
        quotas=quotas,
    )
    plan = proposal.plan
    record = MatchingRound(
        kind=wanted.kind,
        scope={
            "country": wanted.country,
            "region": wanted.region,
            "value_chain": wanted.value_chain,
        },
        settings={
            **{code: wanted.quotas.get(code) for code in GROUPS},
            "each_region": wanted.each_region,
            "per_investor": wanted.per_investor if wanted.kind is PairingKind.INVESTMENT else None,
        },
        proposal={
            "pairs": [
                {
                    "entrepreneur_id": a.entrepreneur_id,
                    "diaspora_id": a.diaspora_id,
                    "score": round(a.score, 4),
                    "reasons": [r.stored() for r in a.reasons],
                    "components": {
                        side: {name: round(float(v), 4) for name, v in values.items()}
                        for side, values in a.components.items()
                    },
                }
                for a in proposal.assignments
            ],
            # Codes for the round's own reasons, so each reader sees them in their language.
            "left_out": [
                {"entrepreneur_id": e, "code": code, "why": already_served_words(code, wanted.kind)}
                for e, code in sorted(served.items())
            ]
            + [{"entrepreneur_id": x.entrepreneur_id, "why": x.why} for x in proposal.left_out],
            "quotas": [
                {
                    "code": q.quota.code,
                    "label": q.quota.label,
                    "share": round(q.quota.share, 4),
                    "met": q.met,
                    "reached": q.reached,
                    "achieved": round(q.share, 4),
                    "best": None if q.best_share is None else round(q.best_share, 4),
                }
                for q in proposal.quotas
            ],
            "plan": {"reached": plan.reached, "total_score": round(plan.total_score, 4)},
            "baseline": {
                "reached": proposal.baseline.reached,
                "total_score": round(proposal.baseline.total_score, 4),
            },
            "entrepreneurs": len(people),
            "places": proposal.places,
            "members": sum(1 for n in places.values() if n > 0),
        },
        created_by_id=coordinator.id,
        created_at=now or utcnow(),
    )
    session.add(record)
    session.flush()
    return record


@dataclass(frozen=True)
class Confirmation:
    """What confirming a round did: introductions proposed, and pairs skipped with why."""

    created: int
    skipped: list[str]


def confirm(
    session: Session,
    matching_round: MatchingRound,
    coordinator: User,
    policy: Policy | None = None,
    now: datetime | None = None,
) -> Confirmation:
    """Turn the proposal's pairs into coordinator proposals that both sides answer. A pair
    whose people changed since (no longer approved, already introduced, mentor now full)
    is skipped and named; the rest go ahead."""
    if not is_coordinator(coordinator):
        raise RoundError(_("Only a programme coordinator can confirm a matching round."))
    lock_row(session, MatchingRound, matching_round.id)
    session.refresh(matching_round)
    if matching_round.status is not RoundStatus.PROPOSED:
        raise RoundError(_("This round was confirmed already: its introductions are below."))
    now = now or utcnow()
    pairs = matching_round.proposal.get("pairs", [])
    entrepreneurs = _by_id(session, EntrepreneurProfile, [p["entrepreneur_id"] for p in pairs])
    members = _by_id(session, DiasporaProfile, [p["diaspora_id"] for p in pairs])
    created, skipped = 0, []
    taken: dict[int, int] = {}
    for pair in pairs:
        entrepreneur = entrepreneurs.get(pair["entrepreneur_id"])
        member = members.get(pair["diaspora_id"])
        if entrepreneur is None or member is None:
            skipped.append(_("A profile of the proposal was deleted."))
            continue
        names = {"entrepreneur": entrepreneur.display_name, "member": member.display_name}
        if matching_round.kind is PairingKind.COACHING:
            used = coaching_load(session, member) + taken.get(member.id, 0)
            if used >= member.mentee_capacity:
                skipped.append(
                    _(
                        "%(entrepreneur)s and %(member)s: %(member)s is now fully committed.",
                        **names,
                    )
                )
                continue
        try:
            with session.begin_nested():
                propose_introduction(
                    session,
                    coordinator,
                    entrepreneur=entrepreneur,
                    diaspora=member,
                    kind=matching_round.kind,
                    score=float(pair["score"]),
                    reasons=list(pair["reasons"]),
                    components=pair.get("components"),
                    # No note: pages say "proposed in matching round N" in each reader's
                    # language (introductions/views.pairing_message).
                    round_id=matching_round.id,
                    policy=policy,
                    now=now,
                )
        except PairingError as error:
            skipped.append(
                _("%(entrepreneur)s and %(member)s: %(why)s", why=error.message, **names)
            )
            continue
        created += 1
        taken[member.id] = taken.get(member.id, 0) + 1
    matching_round.status = RoundStatus.CONFIRMED
    matching_round.confirmed_at = now
    matching_round.created_requests = created
    session.flush()
    return Confirmation(created, skipped)


def _by_id(session: Session, model: Any, ids: list[int]) -> dict[int, Any]:
    found = session.scalars(
        select(model).where(model.id.in_(ids)).options(selectinload(model.user))
    )
    return {p.id: p for p in found}


def names(session: Session, matching_round: MatchingRound) -> tuple[dict[int, str], dict[int, str]]:
    """Display names of the entrepreneurs and members a proposal mentions."""
    proposal = matching_round.proposal
    e_ids = {p["entrepreneur_id"] for p in proposal.get("pairs", [])}
    e_ids |= {x["entrepreneur_id"] for x in proposal.get("left_out", [])}
    d_ids = {p["diaspora_id"] for p in proposal.get("pairs", [])}
    entrepreneurs = _by_id(session, EntrepreneurProfile, sorted(e_ids))
    members = _by_id(session, DiasporaProfile, sorted(d_ids))
    return (
        {i: p.display_name for i, p in entrepreneurs.items()},
        {i: p.display_name for i, p in members.items()},
    )


def introductions_of(session: Session, matching_round: MatchingRound) -> Sequence[Pairing]:
    """The introductions a confirmed round created, as they are now."""
    return session.scalars(
        select(Pairing)
        .where(Pairing.round_id == matching_round.id)
        .order_by(Pairing.id)
        .options(selectinload(Pairing.entrepreneur), selectinload(Pairing.diaspora))
    ).all()


def recent_rounds(session: Session, limit: int = 20) -> Sequence[MatchingRound]:
    """The latest rounds, newest first."""
    return session.scalars(
        select(MatchingRound).order_by(MatchingRound.id.desc()).limit(limit)
    ).all()


def countries_with_entrepreneurs(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the countries entrepreneurs work in, for the round's scope."""
    codes = session.scalars(
        select(EntrepreneurProfile.country_code)
        .distinct()
        .order_by(EntrepreneurProfile.country_code)
    ).all()
    return sorted(((c, taxonomy.country_name(c)) for c in codes), key=lambda x: x[1])


def regions_with_entrepreneurs(session: Session) -> list[tuple[str, str]]:
    """(code, "Region, Country") of the regions entrepreneurs work in."""
    codes = session.scalars(
        select(EntrepreneurProfile.region_code)
        .where(EntrepreneurProfile.region_code.is_not(None))
        .distinct()
    ).all()
    return sorted(
        (
            (
                c,
                _(
                    "%(region)s, %(country)s",
                    region=taxonomy.region_name(c),
                    country=taxonomy.country_name(c.split("-")[0]),
                ),
            )
            for c in codes
            if c
        ),
        key=lambda x: x[1],
    )
