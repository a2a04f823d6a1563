"""Learning data: every suggestion shown and every decision on a pairing, with the score
and the score's components the engine used at that moment, so that a re-ranker can later
be trained and judged on real decisions (docs/decisions/013).

Writes are cheap: a page of suggestions is one bulk insert; a decision is one small
look-up (the features its pairing started from) and one insert, in the caller's
transaction. The export has pseudonyms instead of ids and no names, emails or phones.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.matching import weights as W
from mentormatch.models import MatchEvent, Pairing, User

if TYPE_CHECKING:
    from mentormatch.matching import Match

# Pairing actions (pairings.rules) as the decision they record.
DECISIONS = {
    "propose": "proposed",
    "request": "requested",
    "agree": "agreed",
    "decline_proposal": "declined",
    "accept": "accepted",
    "decline": "declined",
    "withdraw": "withdrawn",
    "auto_withdraw": "withdrawn",
    "expire": "expired",
    "approve": "approved",
    "reject": "rejected",
    "complete": "completed",
    "close": "closed",
    "rate": "rated",
}
SIDES = ("entrepreneur", "diaspora")
# Every component either side of either kind has, in a fixed order (the export's columns).
COMPONENTS: dict[str, tuple[str, ...]] = {
    side: tuple(dict.fromkeys(name for kind in W.WEIGHTS for name in W.WEIGHTS[kind][side]))
    for side in SIDES
}


def _components(match: Match) -> dict[str, dict[str, float]]:
    return {
        side: {k: round(float(v), 4) for k, v in match.components[side].items()} for side in SIDES
    }


def record_shown(
    session: Session, viewer: str, matches: Sequence[Match], first_position: int = 1
) -> None:
    """One page of suggestions as `viewer` ("entrepreneur" or "diaspora") saw it: one insert."""
    if not matches:
        return
    now = utcnow()
    rows = [
        {
            "created_at": now,
            "event": "shown",
            "kind": match.kind.value,
            "entrepreneur_id": match.entrepreneur_id,
            "diaspora_id": match.diaspora_id,
            "pairing_id": None,
            "actor": viewer,
            "position": first_position + i,
            "score": round(float(match.score), 4),
            "components": _components(match),
            "value": None,
        }
        for i, match in enumerate(matches)
    ]
    # Core insert: page views are the hottest write, and no ORM object is needed back.
    session.execute(insert(MatchEvent.__table__), rows)  # type: ignore[arg-type]


def record_decision(
    session: Session,
    pairing: Pairing,
    action: str,
    actor: User | None,
    *,
    value: str | None = None,
    components: Mapping[str, Mapping[str, float]] | None = None,
    now: datetime | None = None,
) -> None:
    """A decision on a pairing, with the features it was made on: those given, else those
    its first event recorded, else those of the latest suggestion of the pair shown."""
    if components is None:
        components = _features(session, pairing)
    session.add(
        MatchEvent(
            created_at=now or utcnow(),
            event=DECISIONS.get(action, action),
            kind=pairing.kind.value,
            entrepreneur_id=pairing.entrepreneur_id,
            diaspora_id=pairing.diaspora_id,
            pairing_id=pairing.id,
            actor=_side_of(pairing, actor),
            score=round(float(pairing.score), 4),
            components=dict(components),
            value=value,
        )
    )


def _side_of(pairing: Pairing, actor: User | None) -> str:
    if actor is None:
        return "system"
    if actor.id == pairing.entrepreneur.user_id:
        return "entrepreneur"
    if actor.id == pairing.diaspora.user_id:
        return "diaspora"
    return "coordinator"


def _features(session: Session, pairing: Pairing) -> dict[str, Any]:
    first = session.scalar(
        select(MatchEvent.components)
        .where(MatchEvent.pairing_id == pairing.id)
        .order_by(MatchEvent.id)
        .limit(1)
    )
    if first is not None:
        return dict(first)
    shown = session.scalar(
        select(MatchEvent.components)
        .where(
            MatchEvent.entrepreneur_id == pairing.entrepreneur_id,
            MatchEvent.diaspora_id == pairing.diaspora_id,
            MatchEvent.kind == pairing.kind.value,
            MatchEvent.event == "shown",
        )
        .order_by(MatchEvent.id.desc())
        .limit(1)
    )
    return dict(shown or {})


# --- the export -----------------------------------------------------------------------------


def pseudonym(secret: str, what: str, ident: int | None) -> str:
    """A stable stand-in for an id: the same person always gets the same one in this
    deployment, and it cannot be turned back into the id without the secret key."""
    if ident is None:
        return ""
    digest = hmac.new(secret.encode(), f"{what}:{ident}".encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


HEADER = (
    "event_id",
    "occurred_at",
    "event",
    "kind",
    "actor",
    "entrepreneur",
    "diaspora_member",
    "introduction",
    "position",
    "score",
    "value",
    *(f"{side}_fit_{name}" for side in SIDES for name in COMPONENTS[side]),
)


def export_decisions(session: Session, out: TextIO, secret: str, batch: int = 5000) -> int:
    """Write every event as CSV (see HEADER) and return how many; people and introductions
    appear only as pseudonyms, never by name, email or phone."""
    writer = csv.writer(out)
    writer.writerow(HEADER)
    written = 0
    statement = select(MatchEvent).order_by(MatchEvent.id).execution_options(yield_per=batch)
    for event in session.scalars(statement):
        components = event.components or {}
        writer.writerow(
            [
                event.id,
                event.created_at.isoformat(timespec="seconds"),
                event.event,
                event.kind,
                event.actor,
                pseudonym(secret, "entrepreneur", event.entrepreneur_id),
                pseudonym(secret, "diaspora", event.diaspora_id),
                pseudonym(secret, "pairing", event.pairing_id),
                event.position if event.position is not None else "",
                event.score,
                event.value or "",
                *(
                    components.get(side, {}).get(name, "")
                    for side in SIDES
                    for name in COMPONENTS[side]
                ),
            ]
        )
        written += 1
    return written
