"""The pairing workflow: one function per transition, shared by pages, CLI and API.

Every function takes a `Session`, checks who may act against the transition table in
`rules`, changes the pairing, writes its audit event and its notifications, and
flushes. The caller commits (or rolls back on a `PairingError`), so the change, its
audit line and its notifications land in one transaction or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from mentormatch import learning
from mentormatch.db import utcnow
from mentormatch.models import (
    OPEN_STATES,
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
from mentormatch.notifications import display_name, notify, with_link
from mentormatch.pairings.locking import lock_and_refresh, lock_row
from mentormatch.pairings.parties import (
    counterpart_user_id,
    is_coordinator,
    may,
    not_allowed_message,
    other_party,
    requester_user_id,
)
from mentormatch.pairings.queries import coaching_load
from mentormatch.pairings.rules import (
    ACTION_LABELS,
    PENDING_STATES,
    REASONS,
    TRANSITION_BY_KEY,
    CapacityReached,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    PairingMovedOn,
    PairingNotFound,
    RequestRefused,
)

S = PairingState
MAX_TEXT = 2000

# (score, reasons) for an entrepreneur, a diaspora member and a kind, from the matching engine.
Explainer = Callable[
    [Session, EntrepreneurProfile, DiasporaProfile, PairingKind], tuple[float, list[Any]]
]


@dataclass(frozen=True)
class Policy:
    """The request-hygiene settings (from the app config in the web and CLI)."""

    ttl_days: int = 14
    reminder_days: int = 3
    max_open_requests: int = 5
    # Requests one person may send in 24 hours, withdrawn ones included: each one emails
    # someone, so this caps what a request-then-withdraw loop can send.
    max_requests_per_day: int = 10

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Policy:
        """Read PAIRING_REQUEST_TTL_DAYS, PAIRING_REMINDER_DAYS, MAX_OPEN_REQUESTS and
        MAX_REQUESTS_PER_DAY."""
        return cls(
            ttl_days=int(config.get("PAIRING_REQUEST_TTL_DAYS", cls.ttl_days)),
            reminder_days=int(config.get("PAIRING_REMINDER_DAYS", cls.reminder_days)),
            max_open_requests=int(config.get("MAX_OPEN_REQUESTS", cls.max_open_requests)),
            max_requests_per_day=int(config.get("MAX_REQUESTS_PER_DAY", cls.max_requests_per_day)),
        )


# --- transitions -------------------------------------------------------------------


def clean_text(value: str | None, what: str) -> str:
    """`value` stripped; InvalidInput naming `what` when it is longer than MAX_TEXT."""
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"The {what} is too long: keep it under {MAX_TEXT} characters.")
    return value


def _check_reason(action: str, reason: str | None) -> str | None:
    allowed = REASONS.get(action)
    if allowed is None:
        return None
    if reason not in allowed:
        raise InvalidInput("Choose one of the reasons in the list.")
    return reason


def transition(
    session: Session,
    pairing: Pairing,
    action: str,
    actor: User | None,
    *,
    reason: str | None = None,
    note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
    automatic: bool = False,
) -> PairingEvent:
    """Move the pairing by `action` if the table allows it and the actor may; audit it."""
    if not automatic and (actor is None or not may(pairing, actor, action)):
        raise NotAllowed(not_allowed_message(action))
    if expected_version is not None and expected_version != pairing.version:
        raise PairingMovedOn(
            "This introduction moved on while you were looking at it: it is now "
            f"“{pairing.state.label}”. Nothing was changed; reload the page to see it."
        )
    rule = TRANSITION_BY_KEY.get((pairing.state, action))
    if rule is None:
        raise IllegalTransition(
            f"An introduction that is “{pairing.state.label}” cannot be "
            f"{ACTION_LABELS.get(action, action).lower()}. Nothing was changed."
        )
    reason = _check_reason(action, reason)
    note = clean_text(note, "note")
    now = now or utcnow()
    event = PairingEvent(
        pairing=pairing,
        action=action,
        from_state=pairing.state,
        to_state=rule.to_state,
        actor_id=actor.id if actor else None,
        automatic=automatic,
        reason_code=reason,
        note=note,
        created_at=now,
    )
    session.add(event)
    pairing.state = rule.to_state
    pairing.state_changed_at = now
    if reason is not None:
        pairing.reason_code = reason
        pairing.reason_text = note
    try:
        session.flush()
    except StaleDataError as exc:
        raise PairingMovedOn(
            "Someone else changed this introduction at the same moment. "
            "Nothing was changed; reload the page to see where it is now."
        ) from exc
    learning.record_decision(session, pairing, action, actor, value=reason, now=now)
    return event


def _locked_transition(
    session: Session, pairing: Pairing, action: str, actor: User, **kwargs: Any
) -> PairingEvent:
    """Lock the pairing, re-read it, then make the transition (see `transition`)."""
    lock_and_refresh(session, pairing)
    return transition(session, pairing, action, actor, **kwargs)


def _default_explainer(
    session: Session,
    entrepreneur: EntrepreneurProfile,
    diaspora: DiasporaProfile,
    kind: PairingKind,
) -> tuple[float, list[Any]]:
    """Score and reasons from the matching engine when it is installed, else none."""
    try:
        from mentormatch.matches.service import explain_pair
    except ModuleNotFoundError as missing:
        if missing.name not in ("mentormatch.matches", "mentormatch.matches.service"):
            raise  # a broken engine must fail loudly, not store a zero score
        return 0.0, []
    score, reasons = explain_pair(session, entrepreneur, diaspora, kind.value)
    return float(score), list(reasons)


def _check_request_limits(
    session: Session, requester: User, kind: PairingKind, policy: Policy, now: datetime
) -> None:
    """Refuse a request past the open-requests or the daily limit (hold the lock first)."""
    sent_today = session.scalar(
        select(func.count())
        .select_from(Pairing)
        .where(
            Pairing.requested_by_id == requester.id,
            Pairing.created_at > now - timedelta(days=1),
        )
    )
    if (sent_today or 0) >= policy.max_requests_per_day:
        raise RequestRefused(
            f"You have sent {policy.max_requests_per_day} introduction requests in the last "
            "24 hours, withdrawn ones included. Please wait until tomorrow to ask again."
        )
    open_requests = session.scalar(
        select(func.count())
        .select_from(Pairing)
        .where(
            Pairing.requested_by_id == requester.id,
            Pairing.kind == kind,
            Pairing.state.in_(PENDING_STATES),
        )
    )
    if (open_requests or 0) >= policy.max_open_requests:
        raise RequestRefused(
            f"You already have {policy.max_open_requests} open {kind.value} requests. "
            "Wait for answers or withdraw one before asking again."
        )


def check_can_be_introduced(
    session: Session,
    entrepreneur: EntrepreneurProfile,
    diaspora: DiasporaProfile,
    kind: PairingKind,
) -> None:
    """RequestRefused unless both profiles are approved and active, the member offers this
    kind of help, and the two have no open introduction of this kind."""
    for profile in (entrepreneur, diaspora):
        if profile.review_status != ReviewStatus.APPROVED or not profile.user.is_active:
            raise RequestRefused(
                f"{profile.display_name} cannot receive introductions at the moment."
            )
    if kind is PairingKind.COACHING and not diaspora.offers_coaching:
        raise RequestRefused(f"{diaspora.display_name} does not offer coaching.")
    if kind is PairingKind.INVESTMENT and not diaspora.offers_investment:
        raise RequestRefused(f"{diaspora.display_name} does not offer investment.")
    existing = session.scalar(
        select(Pairing).where(
            Pairing.entrepreneur_id == entrepreneur.id,
            Pairing.diaspora_id == diaspora.id,
            Pairing.kind == kind,
            Pairing.state.in_(OPEN_STATES),
        )
    )
    if existing is not None:
        raise RequestRefused(
            f"There is already an open {kind.value} introduction between "
            f"{entrepreneur.display_name} and {diaspora.display_name} "
            f"(“{existing.state.label}”)."
        )


def _insert_new(session: Session, pairing: Pairing, event: PairingEvent) -> None:
    """Add a new pairing and its creating event; refused if the same open pairing appeared
    meanwhile (the partial unique index)."""
    session.add(pairing)
    session.add(event)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        # Someone created the same open pairing between our check and our insert.
        raise RequestRefused(
            f"There is already an open {pairing.kind.value} introduction between these two people."
        ) from exc


def request_introduction(
    session: Session,
    requester: User,
    *,
    entrepreneur_id: int,
    diaspora_id: int,
    kind: PairingKind | str,
    message: str = "",
    policy: Policy | None = None,
    now: datetime | None = None,
    explain: Explainer | None = None,
) -> Pairing:
    """Ask for an introduction; the requester is one of the two sides, the other answers."""
    policy = policy or Policy()
    now = now or utcnow()
    try:
        kind = PairingKind(kind)
    except ValueError as exc:
        raise InvalidInput("Choose coaching or investment.") from exc
    message = clean_text(message, "message")
    entrepreneur = session.get(EntrepreneurProfile, entrepreneur_id)
    diaspora = session.get(DiasporaProfile, diaspora_id)
    if entrepreneur is None or diaspora is None:
        raise PairingNotFound("That profile does not exist, or it is not available.")
    if requester.id == entrepreneur.user_id:
        side, counterpart = "entrepreneur", diaspora.user
    elif requester.id == diaspora.user_id:
        side, counterpart = "diaspora", entrepreneur.user
    else:
        raise NotAllowed("You can ask for introductions only for your own profile.")
    check_can_be_introduced(session, entrepreneur, diaspora, kind)
    # One request at a time per requester: the limits below are counted under this lock,
    # so concurrent requests (two tabs, a script) cannot all pass the same count.
    lock_row(session, User, requester.id)
    _check_request_limits(session, requester, kind, policy, now)
    score, reasons = (explain or _default_explainer)(session, entrepreneur, diaspora, kind)
    pairing = Pairing(
        entrepreneur=entrepreneur,
        diaspora=diaspora,
        kind=kind,
        state=S.REQUESTED,
        requested_by_id=requester.id,
        requester_side=side,
        message=message,
        score=score,
        reasons=reasons,
        created_at=now,
        state_changed_at=now,
        expires_at=now + timedelta(days=policy.ttl_days),
    )
    _insert_new(
        session,
        pairing,
        PairingEvent(
            pairing=pairing,
            action="request",
            from_state=None,
            to_state=S.REQUESTED,
            actor_id=requester.id,
            note=message,
            created_at=now,
        ),
    )
    learning.record_decision(session, pairing, "request", requester, now=now)
    asker = requester.full_name
    notify(
        session,
        counterpart,
        f"{display_name(asker)} asks for a {kind.value} introduction",
        with_link(
            f"{asker} would like a {kind.value} introduction with you."
            + (f"\n\nTheir message:\n{message}" if message else "")
            + f"\n\nPlease answer by {pairing.expires_at:%d %B %Y}.",
            f"/pairings/{pairing.id}",
        ),
        pairing,
    )
    return pairing


def propose_introduction(
    session: Session,
    coordinator: User,
    *,
    entrepreneur: EntrepreneurProfile,
    diaspora: DiasporaProfile,
    kind: PairingKind | str,
    score: float,
    reasons: list[Any],
    round_id: int | None = None,
    components: Mapping[str, Mapping[str, float]] | None = None,
    note: str = "",
    policy: Policy | None = None,
    now: datetime | None = None,
) -> Pairing:
    """A coordinator proposes an introduction (a matching round): both sides are asked;
    the first to agree makes it a request from their side, which the other answers.
    `components` are the engine's, kept with the decision for the learning data."""
    policy = policy or Policy()
    now = now or utcnow()
    kind = PairingKind(kind)
    if not is_coordinator(coordinator):
        raise NotAllowed("Only a programme coordinator can propose introductions.")
    check_can_be_introduced(session, entrepreneur, diaspora, kind)
    pairing = Pairing(
        entrepreneur=entrepreneur,
        diaspora=diaspora,
        kind=kind,
        state=S.PROPOSED,
        requested_by_id=coordinator.id,
        requester_side="coordinator",
        message=clean_text(note, "note"),
        score=score,
        reasons=reasons,
        round_id=round_id,
        created_at=now,
        state_changed_at=now,
        expires_at=now + timedelta(days=policy.ttl_days),
    )
    _insert_new(
        session,
        pairing,
        PairingEvent(
            pairing=pairing,
            action="propose",
            from_state=None,
            to_state=S.PROPOSED,
            actor_id=coordinator.id,
            note=pairing.message,
            created_at=now,
        ),
    )
    learning.record_decision(
        session, pairing, "propose", coordinator, components=components, now=now
    )
    for user, other in (
        (entrepreneur.user, diaspora.user),
        (diaspora.user, entrepreneur.user),
    ):
        notify(
            session,
            user,
            f"A coordinator proposes a {kind.value} introduction with {other.full_name}",
            with_link(
                f"A programme coordinator thinks you and {other.full_name} would work well "
                f"together for {kind.value}. Please say whether you agree by "
                f"{pairing.expires_at:%d %B %Y}; once you both agree, the coordinator "
                "approves the introduction and you see each other's contact details.",
                f"/pairings/{pairing.id}",
            ),
            pairing,
        )
    return pairing


def agree(
    session: Session,
    pairing: Pairing,
    actor: User,
    *,
    expected_version: int | None = None,
    note: str = "",
) -> Pairing:
    """One side agrees to a coordinator's proposal; the other side is now asked to accept."""
    _locked_transition(
        session, pairing, "agree", actor, note=note, expected_version=expected_version
    )
    pairing.requester_side = (
        "entrepreneur" if actor.id == pairing.entrepreneur.user_id else "diaspora"
    )
    tell(
        session,
        counterpart_user_id(pairing),
        pairing,
        f"{actor.full_name} agreed to the proposed introduction",
        f"{actor.full_name} agreed to the {pairing.kind.value} introduction a coordinator "
        "proposed. Please accept or decline it.",
    )
    return pairing


def decline_proposal(
    session: Session,
    pairing: Pairing,
    actor: User,
    *,
    reason: str,
    note: str = "",
    expected_version: int | None = None,
) -> Pairing:
    """One side declines a coordinator's proposal, with a reason from the list."""
    _locked_transition(
        session,
        pairing,
        "decline_proposal",
        actor,
        reason=reason,
        note=note,
        expected_version=expected_version,
    )
    for user_id in (other_party(pairing, actor).id, pairing.requested_by_id):
        if user_id is not None:
            tell(
                session,
                user_id,
                pairing,
                f"{actor.full_name} declined a proposed introduction",
                f"{actor.full_name} declined the {pairing.kind.value} introduction between "
                f"{pairing.entrepreneur.display_name} and {pairing.diaspora.display_name}: "
                f"{REASONS['decline_proposal'][reason]}.",
            )
    return pairing


def accept(
    session: Session,
    pairing: Pairing,
    actor: User,
    *,
    expected_version: int | None = None,
    note: str = "",
) -> Pairing:
    """The counterpart accepts; the pairing now waits for a coordinator."""
    _locked_transition(
        session, pairing, "accept", actor, note=note, expected_version=expected_version
    )
    requester = session.get(User, requester_user_id(pairing))
    if requester is not None:
        notify(
            session,
            requester,
            f"{display_name(actor.full_name)} accepted your request",
            with_link(
                f"{actor.full_name} accepted your {pairing.kind.value} introduction. "
                "A programme coordinator will now review it.",
                f"/pairings/{pairing.id}",
            ),
            pairing,
        )
    for coordinator in _coordinators(session):
        notify(
            session,
            coordinator,
            "An introduction waits for your approval",
            with_link(
                f"{pairing.entrepreneur.display_name} and {pairing.diaspora.display_name} "
                f"agreed to a {pairing.kind.value} introduction. Please review it.",
                f"/coordinator/pairings/{pairing.id}",
            ),
            pairing,
        )
    return pairing


def decline(
    session: Session,
    pairing: Pairing,
    actor: User,
    *,
    reason: str,
    note: str = "",
    expected_version: int | None = None,
) -> Pairing:
    """The counterpart declines, with a reason from the list."""
    _locked_transition(
        session,
        pairing,
        "decline",
        actor,
        reason=reason,
        note=note,
        expected_version=expected_version,
    )
    tell(
        session,
        requester_user_id(pairing),
        pairing,
        f"{display_name(actor.full_name)} declined your request",
        f"{actor.full_name} declined your {pairing.kind.value} introduction: "
        f"{REASONS['decline'][reason]}.",
    )
    return pairing


def withdraw(
    session: Session,
    pairing: Pairing,
    actor: User,
    *,
    reason: str,
    note: str = "",
    expected_version: int | None = None,
) -> Pairing:
    """The requester withdraws a request that is still waiting or accepted."""
    _locked_transition(
        session,
        pairing,
        "withdraw",
        actor,
        reason=reason,
        note=note,
        expected_version=expected_version,
    )
    tell(
        session,
        counterpart_user_id(pairing),
        pairing,
        f"{display_name(actor.full_name)} withdrew a request",
        f"{actor.full_name} withdrew the {pairing.kind.value} introduction request.",
    )
    return pairing


def approve(
    session: Session,
    pairing: Pairing,
    actor: User,
    *,
    note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Pairing:
    """A coordinator approves; coaching never goes past the mentor's capacity.

    The entrepreneur's and the mentor's rows are locked (always in that order, so two
    approvals cannot deadlock) before the approved coaching pairings are counted.
    """
    now = now or utcnow()
    if not is_coordinator(actor):
        raise NotAllowed(not_allowed_message("approve"))
    lock_row(session, EntrepreneurProfile, pairing.entrepreneur_id)
    lock_row(session, DiasporaProfile, pairing.diaspora_id)
    lock_and_refresh(session, pairing)
    if pairing.kind is PairingKind.COACHING and pairing.state is S.ACCEPTED:
        mentor = pairing.diaspora
        session.refresh(mentor)
        if coaching_load(session, mentor) >= mentor.mentee_capacity:
            raise CapacityReached(
                f"{mentor.display_name} already coaches {mentor.mentee_capacity} "
                f"{'entrepreneur' if mentor.mentee_capacity == 1 else 'entrepreneurs'}, "
                "their full capacity. Nothing was changed."
            )
    event = transition(
        session, pairing, "approve", actor, note=note, expected_version=expected_version, now=now
    )
    pairing.coordinator_note = event.note
    pairing.decided_by_id = actor.id
    for user in (pairing.entrepreneur.user, pairing.diaspora.user):
        other = other_party(pairing, user)
        notify(
            session,
            user,
            f"Your introduction with {display_name(other.full_name)} is approved",
            with_link(
                f"A coordinator approved your {pairing.kind.value} introduction with "
                f"{other.full_name}. You can now see each other's contact details "
                "on the introduction's page.",
                f"/pairings/{pairing.id}",
            ),
            pairing,
        )
    if pairing.kind is PairingKind.COACHING:
        _withdraw_other_coaching_requests(session, pairing, actor, now)
    return pairing


def _withdraw_other_coaching_requests(
    session: Session, approved: Pairing, coordinator: User, now: datetime
) -> None:
    """An entrepreneur has one coach: their other waiting coaching requests are withdrawn."""
    others = session.scalars(
        select(Pairing)
        .where(
            Pairing.entrepreneur_id == approved.entrepreneur_id,
            Pairing.kind == PairingKind.COACHING,
            Pairing.state.in_(PENDING_STATES),
            Pairing.id != approved.id,
        )
        .order_by(Pairing.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    for other in others:
        transition(
            session,
            other,
            "auto_withdraw",
            coordinator,
            reason="matched_elsewhere",
            note=f"Coaching with {approved.diaspora.display_name} was approved.",
            now=now,
            automatic=True,
        )
        tell(
            session,
            other.diaspora.user_id,
            other,
            "A coaching request was withdrawn",
            f"{other.entrepreneur.display_name} now has an approved coach, so their "
            "request to you was withdrawn automatically.",
        )


def reject(
    session: Session,
    pairing: Pairing,
    actor: User,
    *,
    reason: str,
    note: str = "",
    expected_version: int | None = None,
) -> Pairing:
    """A coordinator rejects an accepted pairing, with a reason and a note."""
    event = _locked_transition(
        session,
        pairing,
        "reject",
        actor,
        reason=reason,
        note=note,
        expected_version=expected_version,
    )
    pairing.coordinator_note = event.note
    pairing.decided_by_id = actor.id
    for user_id in (pairing.entrepreneur.user_id, pairing.diaspora.user_id):
        tell(
            session,
            user_id,
            pairing,
            "An introduction was not approved",
            f"A coordinator did not approve the {pairing.kind.value} introduction "
            f"between {pairing.entrepreneur.display_name} and "
            f"{pairing.diaspora.display_name}: {REASONS['reject'][reason]}.",
        )
    return pairing


def complete(
    session: Session,
    pairing: Pairing,
    actor: User,
    *,
    reason: str,
    note: str = "",
    expected_version: int | None = None,
) -> Pairing:
    """Either party or a coordinator marks an approved introduction as completed, with its
    outcome from the list."""
    _locked_transition(
        session,
        pairing,
        "complete",
        actor,
        reason=reason,
        note=note,
        expected_version=expected_version,
    )
    _tell_parties_except(
        session,
        pairing,
        actor,
        "An introduction was marked completed",
        f"{actor.full_name} marked the {pairing.kind.value} introduction "
        f"as completed: {REASONS['complete'][reason]}. You can rate it on its page.",
    )
    return pairing


def close(
    session: Session,
    pairing: Pairing,
    actor: User,
    *,
    reason: str,
    note: str = "",
    expected_version: int | None = None,
) -> Pairing:
    """Either party or a coordinator closes an approved introduction, with a reason."""
    _locked_transition(
        session,
        pairing,
        "close",
        actor,
        reason=reason,
        note=note,
        expected_version=expected_version,
    )
    _tell_parties_except(
        session,
        pairing,
        actor,
        "An introduction was closed",
        f"{actor.full_name} closed the {pairing.kind.value} introduction: "
        f"{REASONS['close'][reason]}.",
    )
    return pairing


# The transitions people take by hand, by action name: the pages dispatch through this.
TRANSITION_FUNCTIONS: dict[str, Callable[..., Pairing]] = {
    "agree": agree,
    "decline_proposal": decline_proposal,
    "accept": accept,
    "decline": decline,
    "withdraw": withdraw,
    "approve": approve,
    "reject": reject,
    "complete": complete,
    "close": close,
}


# --- who hears about it ------------------------------------------------------------


def tell(session: Session, user_id: int, pairing: Pairing, subject: str, body: str) -> None:
    """Notify one person about the pairing (nobody when their account is closed)."""
    user = session.get(User, user_id)
    if user is not None and user.is_active:
        notify(session, user, subject, with_link(body, f"/pairings/{pairing.id}"), pairing)


def _tell_parties_except(
    session: Session, pairing: Pairing, actor: User, subject: str, body: str
) -> None:
    for user_id in (pairing.entrepreneur.user_id, pairing.diaspora.user_id):
        if user_id != actor.id:
            tell(session, user_id, pairing, subject, body)


def _coordinators(session: Session) -> Sequence[User]:
    return session.scalars(
        select(User).where(User.role == Role.COORDINATOR, User.is_active.is_(True))
    ).all()
