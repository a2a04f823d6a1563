"""Pairings in a given state for tests: Amina asks Tesfaye for coaching, and so on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from mentormatch.models import DiasporaProfile, EntrepreneurProfile, Pairing, PairingState, User
from mentormatch.pairings import service
from tests import builders
from tests.builders import People

# How to reach each state from `requested`: (action, who acts, extra arguments).
PATHS: dict[PairingState, list[tuple[str, str, dict[str, Any]]]] = {
    PairingState.PROPOSED: [],
    PairingState.REQUESTED: [],
    PairingState.ACCEPTED: [("accept", "counterpart", {})],
    PairingState.APPROVED: [("accept", "counterpart", {}), ("approve", "coordinator", {})],
    PairingState.COMPLETED: [
        ("accept", "counterpart", {}),
        ("approve", "coordinator", {}),
        ("complete", "requester", {"reason": "goals_met"}),
    ],
    PairingState.DECLINED: [("decline", "counterpart", {"reason": "no_time"})],
    PairingState.REJECTED: [
        ("accept", "counterpart", {}),
        ("reject", "coordinator", {"reason": "poor_fit"}),
    ],
    PairingState.WITHDRAWN: [("withdraw", "requester", {"reason": "found_help"})],
    PairingState.CLOSED: [
        ("accept", "counterpart", {}),
        ("approve", "coordinator", {}),
        ("close", "counterpart", {"reason": "no_contact"}),
    ],
}


def fixed_score(
    session: Session, entrepreneur: EntrepreneurProfile, diaspora: DiasporaProfile, kind: Any
) -> tuple[float, list[Any]]:
    """A stand-in for the matching engine: what it said at request time, stored as the
    engine stores reasons (a sentence key and codes, readable in any language)."""
    return 0.82, [
        {
            "component": "language",
            "text": "You both speak English",
            "key": "both_speak",
            "params": {"language": "eng"},
        },
        {
            "component": "skills",
            "text": "Offers bookkeeping and accounts, which you need",
            "key": "offers_skills",
            "params": {"skills": ["bookkeeping"]},
        },
    ]


def request(
    session: Session,
    requester: User,
    entrepreneur: EntrepreneurProfile,
    diaspora: DiasporaProfile,
    kind: str = "coaching",
    message: str = "",
    now: datetime | None = None,
    policy: service.Policy | None = None,
) -> Pairing:
    return service.request_introduction(
        session,
        requester,
        entrepreneur_id=entrepreneur.id,
        diaspora_id=diaspora.id,
        kind=kind,
        message=message,
        now=now,
        policy=policy,
        explain=fixed_score,
    )


def actors(people: People) -> dict[str, User]:
    """Amina asks, Tesfaye answers, Jean coordinates."""
    return {
        "requester": people.amina.user,
        "counterpart": people.tesfaye.user,
        "coordinator": people.jean,
    }


# Tests reach states again and again with the same two people: no cooling-off between.
NO_COOLING_OFF = service.Policy(cooling_off_days=0)


def propose(session: Session, people: People, kind: str = "coaching") -> Pairing:
    """Jean proposes that Amina and Tesfaye meet, as a matching round does."""
    return service.propose_introduction(
        session,
        people.jean,
        entrepreneur=people.amina,
        diaspora=people.tesfaye,
        kind=kind,
        score=0.82,
        reasons=["both speak English"],
        policy=NO_COOLING_OFF,
    )


def pairing_in_state(session: Session, people: People, state: PairingState) -> Pairing:
    """Amina's coaching request to Tesfaye, driven to `state` through the real workflow
    (for `proposed`, Jean's proposal that they meet; even right after an earlier one of
    theirs was declined or rejected)."""
    who = actors(people)
    if state is PairingState.PROPOSED:
        pairing = propose(session, people)
        session.commit()
        return pairing
    pairing = request(
        session, who["requester"], people.amina, people.tesfaye, policy=NO_COOLING_OFF
    )
    for action, actor, kwargs in PATHS[state]:
        service.TRANSITION_FUNCTIONS[action](session, pairing, who[actor], **kwargs)
    session.commit()
    assert pairing.state is state
    return pairing


def another_mentor(session: Session, name: str, email: str, **fields: Any) -> DiasporaProfile:
    """A second coffee mentor, for limits and capacity."""
    return builders.make_diaspora(session, full_name=name, email=email, **fields)


def another_entrepreneur(
    session: Session, name: str, email: str, **fields: Any
) -> EntrepreneurProfile:
    """Another poultry entrepreneur (Kwame, …), for limits, capacity and races."""
    values: dict[str, Any] = {"business_name": f"{name} Farm", "contact_phone": None}
    if "country_code" in fields:
        values["region_code"] = None
    values.update(fields)
    return builders.make_entrepreneur(session, full_name=name, email=email, **values)
