"""A coordinator's proposal (what a matching round sends): both sides are asked, either may
decline, the tick reminds both and expires it, and it blocks a second open pairing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.models import Notification, PairingState
from mentormatch.pairings import NotAllowed, RequestRefused, schedule, service
from mentormatch.pairings.queries import inbox_of
from tests.builders import People
from tests.pairing_builders import propose, request

S = PairingState


def subjects(db: Session, user_id: int) -> list[str]:
    return list(db.scalars(select(Notification.subject).where(Notification.user_id == user_id)))


def test_a_proposal_waits_in_both_inboxes_and_blocks_a_second_open_pairing(
    db: Session, people: People
) -> None:
    pairing = propose(db, people)
    for user in (people.amina.user, people.tesfaye.user):
        assert [p.id for p in inbox_of(db, user)["incoming"]] == [pairing.id]
        assert inbox_of(db, user)["outgoing"] == []
    with pytest.raises(RequestRefused, match="already an open coaching introduction"):
        request(db, people.amina.user, people.amina, people.tesfaye)


def test_only_a_coordinator_proposes(db: Session, people: People) -> None:
    with pytest.raises(NotAllowed, match="Only a programme coordinator"):
        service.propose_introduction(
            db, people.amina.user, entrepreneur=people.amina, diaspora=people.tesfaye,
            kind="coaching", score=0.5, reasons=[],
        )  # fmt: skip


def test_declining_a_proposal_tells_the_other_side_and_the_coordinator(
    db: Session, people: People
) -> None:
    pairing = propose(db, people)
    service.decline_proposal(db, pairing, people.amina.user, reason="no_time")
    db.commit()
    assert pairing.state is S.DECLINED and pairing.reason_code == "no_time"
    for user_id in (people.tesfaye.user_id, people.jean.id):
        assert any("declined a proposed introduction" in s for s in subjects(db, user_id))


def test_the_tick_reminds_both_sides_then_expires_the_proposal(db: Session, people: People) -> None:
    policy = service.Policy(ttl_days=14, reminder_days=3)
    asked = utcnow() - timedelta(days=12)
    pairing = service.propose_introduction(
        db, people.jean, entrepreneur=people.amina, diaspora=people.tesfaye, kind="coaching",
        score=0.5, reasons=[], policy=policy, now=asked,
    )  # fmt: skip
    db.commit()
    assert schedule.expire_and_remind(db, policy).reminded == 1
    for user_id in (people.amina.user_id, people.tesfaye.user_id):
        assert "A proposed introduction waits for your answer" in subjects(db, user_id)
    later = utcnow() + timedelta(days=3)
    assert schedule.expire_and_remind(db, policy, now=later).expired == 1
    db.refresh(pairing)
    assert pairing.state is S.WITHDRAWN and pairing.reason_code == "expired"
    for user_id in (people.amina.user_id, people.tesfaye.user_id):
        assert "A proposed introduction expired" in subjects(db, user_id)
