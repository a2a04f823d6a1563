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
    User,
)
from mentormatch.notifications import coordinators_words, display_name, notify, with_link
from mentormatch.pairings.locking import lock_and_refresh, lock_row
from mentormatch.pairings.parties import (
    counterpart_user_id,
    is_coordinator,
    is_party,
    may,
    not_allowed_message,
    other_party,
    requester_user_id,
)
from mentormatch.pairings.queries import coaching_load, cooling_off
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
from mentormatch.people.visibility import is_public
from mentormatch.safety import alerts

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
    # After a decline or a rejection, the same two are not suggested or introduced again
    # (for that kind) for this many days.
    cooling_off_days: int = 90

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Policy:
        """Read PAIRING_REQUEST_TTL_DAYS, PAIRING_REMINDER_DAYS, MAX_OPEN_REQUESTS,
        MAX_REQUESTS_PER_DAY and PAIRING_COOLING_OFF_DAYS."""
        return cls(
            ttl_days=int(config.get("PAIRING_REQUEST_TTL_DAYS", cls.ttl_days)),
            reminder_days=int(config.get("PAIRING_REMINDER_DAYS", cls.reminder_days)),
            max_open_requests=int(config.get("MAX_OPEN_REQUESTS", cls.max_open_requests)),
            max_requests_per_day=int(config.get("MAX_REQUESTS_PER_DAY", cls.max_requests_per_day)),
            cooling_off_days=int(config.get("PAIRING_COOLING_OFF_DAYS", cls.cooling_off_days)),
        )

    def cooling_off_since(self, now: datetime) -> datetime:
        """Declines and rejections after this moment still keep a pair apart."""
        return now - timedelta(days=self.cooling_off_days)


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
    private_note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
    automatic: bool = False,
) -> PairingEvent:
    """Move the pairing by `action` if the table allows it and the actor may; audit it.

    `note` is shown to the two people; `private_note` (a coordinator's) only to coordinators.
    """
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
    note = clean_text(note, "message")
    private_note = clean_text(private_note, "private note")
    if private_note and not (actor is not None and is_coordinator(actor)):
        raise NotAllowed("Only coordinators can add a private note.")
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
        private_note=private_note,
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
    session: Session, pairing: Pairing, action: str, actor: User | None, **kwargs: Any
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
    policy: Policy | None = None,
    now: datetime | None = None,
) -> None:
    """RequestRefused unless both profiles are public (approved, active account), the member
    offers this kind of help, the two have no open introduction of this kind and are not
    cooling off after a decline, a rejection or a closure for conduct."""
    policy = policy or Policy()
    now = now or utcnow()
    for profile in (entrepreneur, diaspora):
        if not is_public(profile):
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
    refused = cooling_off(
        session, entrepreneur.id, diaspora.id, kind, policy.cooling_off_since(now)
    )
    if refused is not None:
        raise RequestRefused(cooling_off_message(refused, policy))


def check_can_ask(
    session: Session,
    asker: User,
    entrepreneur: EntrepreneurProfile,
    diaspora: DiasporaProfile,
    kind: PairingKind | str,
    policy: Policy,
    now: datetime | None = None,
) -> None:
    """RequestRefused when `asker` (one of the two) could not ask for this introduction
    now: their own profile not approved yet, or any reason check_can_be_introduced gives."""
    kind = _kind(kind)
    own = entrepreneur if asker.id == entrepreneur.user_id else diaspora
    if not is_public(own):
        raise RequestRefused(
            f"Your profile is “{own.review_status.label}”: you can ask for introductions "
            "once a programme coordinator approves it (it is waiting for a coordinator)."
            if own.review_status is ReviewStatus.PENDING
            else f"Your profile is “{own.review_status.label}”: you cannot ask for "
            "introductions at the moment. See your profile page."
        )
    check_can_be_introduced(session, entrepreneur, diaspora, kind, policy, now or utcnow())


def cooling_off_message(refused: Pairing, policy: Policy) -> str:
    """Why these two cannot be introduced again yet, and until when."""
    what = f"{refused.kind.an_introduction} between {refused.entrepreneur.display_name} and "
    what += refused.diaspora.display_name
    if refused.state is S.CLOSED:
        return (
            f"{what[0].upper()}{what[1:]} was closed for inappropriate conduct, so these two "
            "are not introduced again."
        )
    until = refused.state_changed_at + timedelta(days=policy.cooling_off_days)
    done = "declined" if refused.state is S.DECLINED else "not approved by a coordinator"
    return (
        f"{what[0].upper()}{what[1:]} was {done} on {refused.state_changed_at:%d %B %Y}. "
        f"To give both a rest, they cannot be introduced again for {policy.cooling_off_days} "
        f"days, until {until:%d %B %Y}."
    )


def _new_request(
    session: Session,
    action: str,
    actor: User,
    entrepreneur: EntrepreneurProfile,
    diaspora: DiasporaProfile,
    kind: PairingKind,
    *,
    side: str,
    message: str,
    score: float,
    reasons: list[Any],
    expires_at: datetime,
    now: datetime,
    private_note: str = "",
) -> Pairing:
    """A new pairing waiting for `side`'s counterpart, with its creating event (`action`:
    request, propose); refused if the same open pairing appeared meanwhile (the partial
    unique index)."""
    pairing = Pairing(
        entrepreneur=entrepreneur,
        diaspora=diaspora,
        kind=kind,
        state=S.REQUESTED,
        requested_by_id=actor.id,
        requester_side=side,
        message=message,
        score=score,
        reasons=reasons,
        created_at=now,
        state_changed_at=now,
        expires_at=expires_at,
    )
    event = PairingEvent(
        pairing=pairing,
        action=action,
        from_state=None,
        to_state=S.REQUESTED,
        actor_id=actor.id,
        note=message,
        private_note=private_note,
        created_at=now,
    )
    _insert_new(session, pairing, event)
    return pairing


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


def _kind(kind: PairingKind | str) -> PairingKind:
    try:
        return PairingKind(kind)
    except ValueError as exc:
        raise InvalidInput("Choose coaching or investment.") from exc


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
    kind = _kind(kind)
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
    check_can_ask(session, requester, entrepreneur, diaspora, kind, policy, now)
    # One request at a time per requester: the limits below are counted under this lock,
    # so concurrent requests (two tabs, a script) cannot all pass the same count.
    lock_row(session, User, requester.id)
    _check_request_limits(session, requester, kind, policy, now)
    score, reasons = (explain or _default_explainer)(session, entrepreneur, diaspora, kind)
    pairing = _new_request(
        session,
        "request",
        requester,
        entrepreneur,
        diaspora,
        kind,
        side=side,
        message=message,
        score=score,
        reasons=reasons,
        expires_at=now + timedelta(days=policy.ttl_days),
        now=now,
    )
    learning.record_decision(session, pairing, "request", requester, now=now)
    asker = requester.full_name
    notify(
        session,
        counterpart,
        f"{display_name(asker)} asks for {kind.an_introduction}",
        with_link(
            f"{asker} would like {kind.an_introduction} with you."
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
    if not is_coordinator(coordinator):
        raise NotAllowed("Only a programme coordinator can propose introductions.")
    kind = _kind(kind)
    check_can_be_introduced(session, entrepreneur, diaspora, kind, policy, now)
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


def propose_on_behalf(
    session: Session,
    coordinator: User,
    *,
    entrepreneur: EntrepreneurProfile,
    diaspora: DiasporaProfile,
    kind: PairingKind | str,
    score: float,
    reasons: list[Any],
    note: str = "",
    private_note: str = "",
    policy: Policy | None = None,
    now: datetime | None = None,
) -> Pairing:
    """A coordinator proposes an introduction from a person's suggestions (the person asked
    them, on the phone or in the field): a request on the entrepreneur's behalf, which the
    diaspora member accepts or declines; the entrepreneur is told and may withdraw it; then
    a coordinator approves as usual. (A matching round's proposals are propose_introduction:
    both sides are asked first.)

    The same checks as a request apply (both public, the offer, one open pairing, the
    cooling-off period), not the requesters' limits. `note` is the message both read,
    `private_note` only coordinators; `score` and `reasons` are the engine's now.
    """
    policy = policy or Policy()
    now = now or utcnow()
    if not is_coordinator(coordinator):
        raise NotAllowed(not_allowed_message("propose"))
    kind = _kind(kind)
    note = clean_text(note, "message")
    private_note = clean_text(private_note, "private note")
    check_can_be_introduced(session, entrepreneur, diaspora, kind, policy, now)
    pairing = _new_request(
        session,
        "propose",
        coordinator,
        entrepreneur,
        diaspora,
        kind,
        side="entrepreneur",
        message=note,
        private_note=private_note,
        score=score,
        reasons=reasons,
        expires_at=now + timedelta(days=policy.ttl_days),
        now=now,
    )
    learning.record_decision(session, pairing, "propose", coordinator, now=now)
    said = coordinators_words(note)
    member, owner = diaspora.user, entrepreneur.user
    notify(
        session,
        member,
        f"A coordinator proposes {kind.an_introduction} with {display_name(owner.full_name)}",
        with_link(
            f"A programme coordinator proposes {kind.an_introduction} between you and "
            f"{entrepreneur.display_name} ({owner.full_name}).{said}\n\nPlease accept or "
            f"decline it by {pairing.expires_at:%d %B %Y}.",
            f"/pairings/{pairing.id}",
        ),
        pairing,
    )
    notify(
        session,
        owner,
        f"A coordinator proposed you to {display_name(member.full_name)}",
        with_link(
            f"A programme coordinator asked {member.full_name} for {kind.an_introduction} "
            f"with you.{said}\n\nYou will be told when they answer; you can withdraw the "
            "request on its page.",
            f"/pairings/{pairing.id}",
        ),
        pairing,
    )
    return pairing


def _lock_parties(session: Session, pairing: Pairing) -> None:
    """Lock the entrepreneur's row, then the mentor's, then the pairing (always in this
    order, so two transitions cannot deadlock), and re-read the pairing and the mentor, so
    counts made next see every change committed before (docs/decisions/011)."""
    lock_row(session, EntrepreneurProfile, pairing.entrepreneur_id)
    lock_row(session, DiasporaProfile, pairing.diaspora_id)
    lock_and_refresh(session, pairing)
    session.refresh(pairing.diaspora)


def _mentor_full_message(mentor: DiasporaProfile, load: int) -> str:
    places = "place" if mentor.mentee_capacity == 1 else "places"
    return (
        f"{mentor.display_name} is at full capacity: {mentor.mentee_capacity} coaching "
        f"{places}, {load} taken by introductions accepted or approved."
    )


def _check_still_possible(session: Session, pairing: Pairing) -> None:
    """Before accepting: nothing keeps the pairing from going forward (approval_blockers:
    profiles approved, accounts open, the offer still made, a place left for coaching);
    otherwise refused, and the request stays open (hold the rows' locks first)."""
    blockers = approval_blockers(session, pairing)
    if not blockers:
        return
    if blockers[0].reason == "mentor_full":
        raise CapacityReached(
            f"{blockers[0].message} Nothing was changed: the request stays open, and can "
            "be accepted when a place frees up (an introduction completed, closed or not "
            "approved), or after raising the number of entrepreneurs in the profile's "
            "“What you offer” step."
        )
    raise RequestRefused(" ".join(b.message for b in blockers) + " Nothing was changed.")


def accept(
    session: Session,
    pairing: Pairing,
    actor: User,
    *,
    expected_version: int | None = None,
    note: str = "",
) -> Pairing:
    """The counterpart accepts; the pairing now waits for a coordinator.

    Accepting coaching takes one of the mentor's places: past capacity it is refused and
    the request stays open for when a place frees up.
    """
    _lock_parties(session, pairing)
    if pairing.state is S.REQUESTED and may(pairing, actor, "accept"):
        _check_still_possible(session, pairing)
    transition(session, pairing, "accept", actor, note=note, expected_version=expected_version)
    requester = session.get(User, requester_user_id(pairing))
    if requester is not None:
        notify(
            session,
            requester,
            f"{display_name(actor.full_name)} accepted your request",
            with_link(
                f"{actor.full_name} accepted {pairing.kind.an_introduction} with you. "
                "A programme coordinator will now review it.",
                f"/pairings/{pairing.id}",
            ),
            pairing,
        )
    for coordinator in alerts.coordinators(session):
        notify(
            session,
            coordinator,
            "An introduction waits for your approval",
            with_link(
                f"{pairing.entrepreneur.display_name} and {pairing.diaspora.display_name} "
                f"agreed to {pairing.kind.an_introduction}. Please review it.",
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
        f"{actor.full_name} declined {pairing.kind.an_introduction} with you: "
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
        f"{actor.full_name} withdrew the request for {pairing.kind.an_introduction}.",
    )
    return pairing


@dataclass(frozen=True)
class Blocker:
    """Why a pairing cannot be approved now; `lasting` ones take it out of the queue."""

    reason: str  # a code of REASONS["auto_withdraw"], or "profile_under_review"
    message: str
    lasting: bool


def approval_blockers(session: Session, pairing: Pairing) -> list[Blocker]:
    """Everything that keeps this pairing from going forward now (being accepted or
    approved), in words for the review page.

    The one list accept() and approve() refuse on, the review page shows instead of the
    button, and withdraw_unapprovable() takes pairings out of the queue for (the lasting
    ones). The mentor's places are counted without this pairing: an accepted one holds
    its own.
    """
    blockers = []
    mentor = pairing.diaspora
    for profile in (pairing.entrepreneur, mentor):
        if not profile.user.is_active:
            blockers.append(
                Blocker(
                    "account_closed",
                    f"{profile.display_name}'s account is deactivated.",
                    lasting=True,
                )
            )
        elif not is_public(profile):
            blockers.append(
                Blocker(
                    "profile_under_review",
                    f"{profile.display_name}'s profile is “{profile.review_status.label}”: "
                    "it must be approved first.",
                    lasting=False,
                )
            )
    offered = mentor.offers_coaching if pairing.kind is PairingKind.COACHING else None
    if pairing.kind is PairingKind.INVESTMENT:
        offered = mentor.offers_investment
    if not offered:
        blockers.append(
            Blocker(
                "offer_withdrawn",
                f"{mentor.display_name} no longer offers {pairing.kind.value}.",
                lasting=True,
            )
        )
    elif pairing.kind is PairingKind.COACHING:
        load = coaching_load(session, mentor, exclude=pairing.id)
        if load >= mentor.mentee_capacity:
            blockers.append(
                Blocker("mentor_full", _mentor_full_message(mentor, load), lasting=True)
            )
    return blockers


def approve(
    session: Session,
    pairing: Pairing,
    actor: User,
    *,
    note: str = "",
    private_note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Pairing:
    """A coordinator approves; never past the mentor's capacity, never with a profile that
    is not approved (see approval_blockers). `note` is the message both people see.

    The entrepreneur's and the mentor's rows are locked (always in that order, so two
    approvals cannot deadlock) before the mentor's places are counted.
    """
    now = now or utcnow()
    if not is_coordinator(actor):
        raise NotAllowed(not_allowed_message("approve"))
    _lock_parties(session, pairing)
    if pairing.state is S.ACCEPTED:
        blockers = approval_blockers(session, pairing)
        if blockers:
            error = CapacityReached if blockers[0].reason == "mentor_full" else RequestRefused
            raise error(" ".join(b.message for b in blockers) + " Nothing was changed.")
    event = transition(
        session,
        pairing,
        "approve",
        actor,
        note=note,
        private_note=private_note,
        expected_version=expected_version,
        now=now,
    )
    pairing.coordinator_note = event.private_note
    pairing.decided_by_id = actor.id
    said = coordinators_words(event.note)
    for user in (pairing.entrepreneur.user, pairing.diaspora.user):
        other = other_party(pairing, user)
        notify(
            session,
            user,
            f"Your introduction with {display_name(other.full_name)} is approved",
            with_link(
                f"A coordinator approved {pairing.kind.an_introduction} between you and "
                f"{other.full_name}. You can now see each other's contact details "
                f"on the introduction's page.{said}",
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


def withdraw_unapprovable(
    session: Session,
    pairings: Sequence[Pairing],
    actor: User | None,
    now: datetime | None = None,
) -> list[Pairing]:
    """Take out of the approval queue the accepted pairings among `pairings` that can no
    longer be approved (a lasting blocker: the mentor's places, an offer withdrawn, an
    account closed), telling both people why. Returns those withdrawn.

    The newest accepted are withdrawn first, so when a mentor lowers their places the
    introductions accepted earliest keep theirs.
    """
    now = now or utcnow()
    withdrawn = []
    waiting = sorted(
        (p for p in pairings if p.state is S.ACCEPTED),
        key=lambda p: (p.state_changed_at, p.id),
        reverse=True,
    )
    for pairing in waiting:
        _lock_parties(session, pairing)
        if pairing.state is not S.ACCEPTED:
            continue
        lasting = [b for b in approval_blockers(session, pairing) if b.lasting]
        if not lasting:
            continue
        transition(
            session,
            pairing,
            "auto_withdraw",
            actor,
            reason=lasting[0].reason,
            note=lasting[0].message,
            now=now,
            automatic=True,
        )
        for user_id in (pairing.entrepreneur.user_id, pairing.diaspora.user_id):
            tell(
                session,
                user_id,
                pairing,
                "An introduction can no longer be approved",
                f"{pairing.kind.an_introduction[0].upper()}"
                f"{pairing.kind.an_introduction[1:]} between "
                f"{pairing.entrepreneur.display_name} and {pairing.diaspora.display_name} "
                f"was withdrawn: {lasting[0].message}",
            )
        withdrawn.append(pairing)
    return withdrawn


def withdraw_requests_of(
    session: Session,
    profile: EntrepreneurProfile | DiasporaProfile,
    actor: User,
    reason: str,
    note: str,
    now: datetime | None = None,
) -> list[Pairing]:
    """Withdraw every waiting request (requested or accepted) the profile is part of, by
    the system on `actor`'s decision (a deactivation), telling the other person."""
    now = now or utcnow()
    column = (
        Pairing.entrepreneur_id if isinstance(profile, EntrepreneurProfile) else Pairing.diaspora_id
    )
    waiting = session.scalars(
        select(Pairing)
        .where(column == profile.id, Pairing.state.in_(PENDING_STATES))
        .order_by(Pairing.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    for pairing in waiting:
        transition(
            session, pairing, "auto_withdraw", actor, reason=reason, note=note, now=now,
            automatic=True,
        )  # fmt: skip
        other = (
            pairing.diaspora.user_id
            if isinstance(profile, EntrepreneurProfile)
            else pairing.entrepreneur.user_id
        )
        tell(
            session,
            other,
            pairing,
            "A request was withdrawn",
            f"{profile.display_name} no longer takes part in the programme, so "
            f"{pairing.kind.an_introduction} between you was withdrawn. "
            "You can ask someone else from your suggestions.",
        )
    return list(waiting)


def reject(
    session: Session,
    pairing: Pairing,
    actor: User,
    *,
    reason: str,
    note: str = "",
    private_note: str = "",
    expected_version: int | None = None,
) -> Pairing:
    """A coordinator rejects an accepted pairing, with a reason, a message both people see
    (`note`) and a private note."""
    event = _locked_transition(
        session,
        pairing,
        "reject",
        actor,
        reason=reason,
        note=note,
        private_note=private_note,
        expected_version=expected_version,
    )
    pairing.coordinator_note = event.private_note
    pairing.decided_by_id = actor.id
    said = coordinators_words(event.note)
    for user_id in (pairing.entrepreneur.user_id, pairing.diaspora.user_id):
        tell(
            session,
            user_id,
            pairing,
            "An introduction was not approved",
            f"A coordinator did not approve {pairing.kind.an_introduction} "
            f"between {pairing.entrepreneur.display_name} and "
            f"{pairing.diaspora.display_name}: {REASONS['reject'][reason]}.{said}",
        )
    return pairing


def complete(
    session: Session,
    pairing: Pairing,
    actor: User,
    *,
    reason: str,
    note: str = "",
    private_note: str = "",
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
        private_note=private_note,
        expected_version=expected_version,
    )
    _tell_parties_except(
        session,
        pairing,
        actor,
        "An introduction was marked completed",
        f"{actor.full_name} marked {pairing.kind.an_introduction} "
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
    private_note: str = "",
    expected_version: int | None = None,
) -> Pairing:
    """Either party or a coordinator closes an approved introduction, with a reason. A
    party closing for conduct alerts every coordinator at once (a safety report)."""
    event = _locked_transition(
        session,
        pairing,
        "close",
        actor,
        reason=reason,
        note=note,
        private_note=private_note,
        expected_version=expected_version,
    )
    _tell_parties_except(
        session,
        pairing,
        actor,
        "An introduction was closed",
        f"{actor.full_name} closed {pairing.kind.an_introduction}: {REASONS['close'][reason]}.",
    )
    if reason == "conduct" and is_party(pairing, actor):
        alerts.file_report(
            session,
            reporter=actor,
            subject=other_party(pairing, actor),
            pairing=pairing,
            category="conduct",
            description=event.note,
            source="closure",
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
