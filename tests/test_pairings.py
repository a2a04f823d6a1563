"""The pairing state machine: every legal and illegal transition, for every role."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from mentormatch.models import DiasporaProfile, Notification, PairingEvent, PairingState, Role
from mentormatch.pairings import (
    CapacityReached,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    PairingError,
    PairingMovedOn,
    parties,
    service,
)
from tests import builders
from tests.builders import People
from tests.pairing_builders import another_entrepreneur, another_mentor, pairing_in_state, request

S = PairingState

# Written by hand from the product brief, not derived from the code's table:
# (from state, action) -> (to state, the roles that may do it).
COORDINATORS = {"coordinator", "admin"}
PARTIES = {"requester", "counterpart"}
EXPECTED: dict[tuple[S, str], tuple[S, set[str]]] = {
    # A coordinator's proposal: either person introduced agrees or declines.
    (S.PROPOSED, "agree"): (S.REQUESTED, PARTIES),
    (S.PROPOSED, "decline_proposal"): (S.DECLINED, PARTIES),
    (S.REQUESTED, "accept"): (S.ACCEPTED, {"counterpart"}),
    (S.REQUESTED, "decline"): (S.DECLINED, {"counterpart"}),
    (S.REQUESTED, "withdraw"): (S.WITHDRAWN, {"requester"}),
    (S.ACCEPTED, "withdraw"): (S.WITHDRAWN, {"requester"}),
    (S.ACCEPTED, "approve"): (S.APPROVED, COORDINATORS),
    (S.ACCEPTED, "reject"): (S.REJECTED, COORDINATORS),
    (S.APPROVED, "complete"): (S.COMPLETED, PARTIES | COORDINATORS),
    (S.APPROVED, "close"): (S.CLOSED, PARTIES | COORDINATORS),
}
ACTIONS = ["agree", "decline_proposal", "accept", "decline", "withdraw", "approve", "reject"]
ACTIONS += ["complete", "close"]
REASON_FOR = {"decline": "no_time", "withdraw": "found_help", "reject": "poor_fit"}
REASON_FOR.update(close="not_working", complete="goals_met", decline_proposal="no_time")
ROLES = ["requester", "counterpart", "coordinator", "admin", "other_entrepreneur", "other_mentor"]


def _role_users(db: Session, people: People) -> dict[str, Any]:
    stranger = another_entrepreneur(db, "Kwame Mensah", "kwame@example.org")
    db.commit()
    return {
        "requester": people.amina.user,
        "counterpart": people.tesfaye.user,
        "coordinator": people.jean,
        "admin": people.admin,
        "other_entrepreneur": stranger.user,
        "other_mentor": people.fatou.user,
    }


def _events(db: Session, pairing_id: int) -> int:
    return (
        db.scalar(
            select(func.count())
            .select_from(PairingEvent)
            .where(PairingEvent.pairing_id == pairing_id)
        )
        or 0
    )


@pytest.mark.parametrize("state", list(S), ids=lambda s: s.value)
def test_every_action_by_every_role_follows_the_state_machine(
    db: Session, people: People, state: S
) -> None:
    users = _role_users(db, people)
    pairing = pairing_in_state(db, people, state)
    wrong: list[str] = []
    for action in ACTIONS:
        for role in ROLES:
            before_events = _events(db, pairing.id)
            savepoint = db.begin_nested()
            kwargs = {"reason": REASON_FOR[action]} if action in REASON_FOR else {}
            expected = EXPECTED.get((state, action))
            allowed = expected is not None and role in expected[1]
            try:
                service.TRANSITION_FUNCTIONS[action](db, pairing, users[role], **kwargs)
            except PairingError as refused:
                if allowed:
                    wrong.append(f"{role} could not {action}: {refused.message}")
                elif db.get(type(pairing), pairing.id).state is not state:  # type: ignore[union-attr]
                    wrong.append(f"{role} {action} was refused but changed the state")
                elif _events(db, pairing.id) != before_events:
                    wrong.append(f"{role} {action} was refused but wrote an audit event")
            else:
                if not allowed:
                    wrong.append(f"{role} could {action} a {state.value} pairing")
                elif expected is not None and pairing.state is not expected[0]:
                    wrong.append(f"{action} led to {pairing.state.value}")
                elif _events(db, pairing.id) != before_events + 1:
                    wrong.append(f"{action} by {role} was not audited")
            savepoint.rollback()
            db.expire_all()
    assert wrong == []


def test_refusals_say_why_in_plain_words(db: Session, people: People) -> None:
    pairing = pairing_in_state(db, people, S.REQUESTED)
    with pytest.raises(NotAllowed, match="Only the person who was asked"):
        service.accept(db, pairing, people.amina.user)
    with pytest.raises(NotAllowed, match="Only a programme coordinator"):
        service.approve(db, pairing, people.tesfaye.user)
    with pytest.raises(IllegalTransition, match="cannot be approved"):
        service.approve(db, pairing, people.jean)
    with pytest.raises(NotAllowed, match="Only the person who asked"):
        service.withdraw(db, pairing, people.tesfaye.user, reason="found_help")


def test_the_whole_happy_path_is_recorded_in_the_audit_trail(db: Session, people: People) -> None:
    pairing = request(db, people.amina.user, people.amina, people.tesfaye, message="Sannu!")
    service.accept(db, pairing, people.tesfaye.user)
    service.approve(
        db, pairing, people.jean, note="Good fit: bookkeeping.", private_note="Checked both."
    )
    service.complete(db, pairing, people.amina.user, reason="goals_met", note="We met four times.")
    db.commit()
    trail = [(e.action, e.from_state, e.to_state, e.actor_id, e.note) for e in pairing.events]
    assert trail == [
        ("request", None, S.REQUESTED, people.amina.user_id, "Sannu!"),
        ("accept", S.REQUESTED, S.ACCEPTED, people.tesfaye.user_id, ""),
        ("approve", S.ACCEPTED, S.APPROVED, people.jean.id, "Good fit: bookkeeping."),
        ("complete", S.APPROVED, S.COMPLETED, people.amina.user_id, "We met four times."),
    ]
    assert all(e.created_at is not None for e in pairing.events)
    assert pairing.coordinator_note == "Checked both."
    assert [e.private_note for e in pairing.events] == ["", "", "Checked both.", ""]


def test_score_and_reasons_at_request_time_are_kept_with_the_pairing(
    db: Session, people: People
) -> None:
    pairing = request(db, people.amina.user, people.amina, people.tesfaye)
    db.commit()
    db.expire_all()
    assert pairing.score == pytest.approx(0.82)
    assert [r["key"] for r in pairing.reasons] == ["both_speak", "offers_skills"]
    assert pairing.reasons[1]["params"] == {"skills": ["bookkeeping"]}


@pytest.mark.parametrize("action", ["decline", "withdraw"])
def test_failure_transitions_need_a_reason_from_the_list(
    db: Session, people: People, action: str
) -> None:
    pairing = pairing_in_state(db, people, S.REQUESTED)
    actor = people.tesfaye.user if action == "decline" else people.amina.user
    with pytest.raises(InvalidInput, match="reasons in the list"):
        service.TRANSITION_FUNCTIONS[action](db, pairing, actor, reason="because")
    db.rollback()
    assert db.get(type(pairing), pairing.id).state is S.REQUESTED  # type: ignore[union-attr]


def test_decline_keeps_the_reason_and_the_optional_text(db: Session, people: People) -> None:
    pairing = pairing_in_state(db, people, S.REQUESTED)
    service.decline(db, pairing, people.tesfaye.user, reason="outside_expertise", note="Poultry!")
    db.commit()
    assert (pairing.reason_code, pairing.reason_text) == ("outside_expertise", "Poultry!")
    assert pairing.events[-1].reason_code == "outside_expertise"


def test_a_stale_page_or_a_double_click_changes_nothing(db: Session, people: People) -> None:
    pairing = pairing_in_state(db, people, S.REQUESTED)
    seen_version = pairing.version
    service.accept(db, pairing, people.tesfaye.user, expected_version=seen_version)
    db.commit()
    events = _events(db, pairing.id)
    with pytest.raises(PairingMovedOn, match="moved on"):
        service.accept(db, pairing, people.tesfaye.user, expected_version=seen_version)
    db.rollback()
    with pytest.raises(PairingMovedOn):
        service.withdraw(
            db, pairing, people.amina.user, reason="found_help", expected_version=seen_version
        )
    db.rollback()
    assert pairing.state is S.ACCEPTED
    assert _events(db, pairing.id) == events


def test_a_mentor_cannot_accept_past_capacity_and_the_request_stays_open(
    db: Session, people: People
) -> None:
    people.tesfaye.mentee_capacity = 1
    kwame = another_entrepreneur(db, "Kwame Mensah", "kwame@example.org")
    first = request(db, people.amina.user, people.amina, people.tesfaye)
    second = request(db, kwame.user, kwame, people.tesfaye)
    service.accept(db, first, people.tesfaye.user)
    db.commit()
    # The accepted request waits for a coordinator and already takes the only place.
    with pytest.raises(CapacityReached, match="full capacity: 1 coaching place, 1 taken"):
        service.accept(db, second, people.tesfaye.user)
    db.rollback()
    assert db.get(type(second), second.id).state is S.REQUESTED  # type: ignore[union-attr]
    # A coordinator not approving the first frees the place: the second can be accepted.
    service.reject(db, first, people.jean, reason="poor_fit")
    service.accept(db, second, people.tesfaye.user)
    db.commit()
    assert second.state is S.ACCEPTED


def test_approving_never_takes_a_mentor_past_capacity(db: Session, people: People) -> None:
    kwame = another_entrepreneur(db, "Kwame Mensah", "kwame@example.org")
    first = request(db, people.amina.user, people.amina, people.tesfaye)
    second = request(db, kwame.user, kwame, people.tesfaye)
    service.accept(db, first, people.tesfaye.user)
    service.accept(db, second, people.tesfaye.user)
    # Places lowered behind the workflow's back (a direct database edit).
    db.execute(update(DiasporaProfile).values(mentee_capacity=1))
    db.commit()
    with pytest.raises(CapacityReached, match="full capacity"):
        service.approve(db, second, people.jean)
    db.rollback()
    assert db.get(type(second), second.id).state is S.ACCEPTED  # type: ignore[union-attr]
    # Withdrawing the first frees the place.
    service.withdraw(db, first, people.amina.user, reason="found_help")
    service.approve(db, second, people.jean)
    db.commit()
    assert second.state is S.APPROVED


def test_investment_approval_does_not_use_coaching_capacity(db: Session, people: People) -> None:
    people.tesfaye.mentee_capacity = 0
    people.tesfaye.offers_investment = True
    pairing = request(db, people.amina.user, people.amina, people.tesfaye, kind="investment")
    service.accept(db, pairing, people.tesfaye.user)
    service.approve(db, pairing, people.jean)
    assert pairing.state is S.APPROVED


def test_approving_coaching_withdraws_the_entrepreneurs_other_coaching_requests(
    db: Session, people: People
) -> None:
    abebe = another_mentor(db, "Abebe Girma", "abebe@example.org")
    waiting = request(db, people.amina.user, people.amina, abebe)
    chosen = request(db, people.amina.user, people.amina, people.tesfaye)
    investment = request(db, people.amina.user, people.amina, people.fatou, kind="investment")
    service.accept(db, chosen, people.tesfaye.user)
    service.approve(db, chosen, people.jean)
    db.commit()
    assert waiting.state is S.WITHDRAWN
    assert waiting.reason_code == "matched_elsewhere"
    last = waiting.events[-1]
    assert (last.action, last.actor_id, last.automatic) == ("auto_withdraw", people.jean.id, True)
    assert investment.state is S.REQUESTED
    told = db.scalars(
        select(Notification.subject).where(
            Notification.user_id == abebe.user_id, Notification.pairing_id == waiting.id
        )
    ).all()
    assert "A coaching request was withdrawn" in told


def test_a_mentor_can_ask_an_entrepreneur_and_the_entrepreneur_answers(
    db: Session, people: People
) -> None:
    pairing = request(db, people.tesfaye.user, people.amina, people.tesfaye)
    db.commit()
    with pytest.raises(NotAllowed):
        service.accept(db, pairing, people.tesfaye.user)
    db.rollback()
    service.accept(db, pairing, people.amina.user)
    assert pairing.state is S.ACCEPTED
    assert pairing.requester_side == "diaspora"


def test_each_transition_notifies_who_must_act_or_know(db: Session, people: People) -> None:
    def subjects(user_id: int) -> list[str]:
        return list(
            db.scalars(
                select(Notification.subject)
                .where(Notification.user_id == user_id)
                .order_by(Notification.id)
            )
        )

    pairing = request(db, people.amina.user, people.amina, people.tesfaye)
    assert subjects(people.tesfaye.user_id) == ["Amina Bello asks for a coaching introduction"]
    service.accept(db, pairing, people.tesfaye.user)
    assert subjects(people.amina.user_id) == ["Tesfaye Bekele accepted your request"]
    assert subjects(people.jean.id) == ["An introduction waits for your approval"]
    service.approve(db, pairing, people.jean)
    assert "Your introduction with Tesfaye Bekele is approved" in subjects(people.amina.user_id)
    assert "Your introduction with Amina Bello is approved" in subjects(people.tesfaye.user_id)


def test_unknown_user_is_not_a_party(db: Session, people: People) -> None:
    pairing = pairing_in_state(db, people, S.APPROVED)
    outsider = builders.make_user(db, Role.ENTREPRENEUR, "Zainab Yusuf", "z@example.org")
    assert not parties.can_see(pairing, outsider)
    assert parties.can_see(pairing, people.jean)
    assert parties.available_actions(pairing, people.amina.user) == ["complete", "close"]
