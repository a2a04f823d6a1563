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
from functools import partial
from typing import Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from mentormatch import taxonomy
from mentormatch.db import utcnow
from mentormatch.models import (
    ContactView,
    DiasporaProfile,
    EntrepreneurProfile,
    Feedback,
    Pairing,
    PairingEvent,
    PairingKind,
    PairingState,
    ReviewStatus,
    Role,
    User,
    ValueChain,
)
from mentormatch.models.profiles import entrepreneur_value_chains
from mentormatch.notifications import notify
from mentormatch.pairings.rules import (
    ACTION_LABELS,
    CONTACT_STATES,
    FEEDBACK_STATES,
    PENDING_STATES,
    REASONS,
    TRANSITION_BY_KEY,
    WHO_BY_ACTION,
    CapacityReached,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    PairingMovedOn,
    PairingNotFound,
    RequestRefused,
    Who,
)

S = PairingState
COORDINATOR_ROLES = (Role.COORDINATOR, Role.ADMIN)
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

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Policy:
        """Read PAIRING_REQUEST_TTL_DAYS, PAIRING_REMINDER_DAYS and MAX_OPEN_REQUESTS."""
        return cls(
            ttl_days=int(config.get("PAIRING_REQUEST_TTL_DAYS", cls.ttl_days)),
            reminder_days=int(config.get("PAIRING_REMINDER_DAYS", cls.reminder_days)),
            max_open_requests=int(config.get("MAX_OPEN_REQUESTS", cls.max_open_requests)),
        )


# --- who is who on a pairing -------------------------------------------------------


def is_coordinator(user: User) -> bool:
    """Coordinators (and admins, who can act as one) decide on introductions."""
    return user.role in COORDINATOR_ROLES and user.is_active


def is_party(pairing: Pairing, user: User) -> bool:
    """True when `user` is the entrepreneur or the diaspora member of the pairing."""
    return user.id in (pairing.entrepreneur.user_id, pairing.diaspora.user_id)


def requester_user_id(pairing: Pairing) -> int:
    """The user id of the person who asked for the introduction."""
    if pairing.requester_side == "entrepreneur":
        return pairing.entrepreneur.user_id
    return pairing.diaspora.user_id


def counterpart_user_id(pairing: Pairing) -> int:
    """The user id of the person who was asked."""
    if pairing.requester_side == "entrepreneur":
        return pairing.diaspora.user_id
    return pairing.entrepreneur.user_id


def other_party(pairing: Pairing, user: User) -> User:
    """The person on the other side of the pairing from `user` (a party)."""
    if user.id == pairing.entrepreneur.user_id:
        return pairing.diaspora.user
    return pairing.entrepreneur.user


def may(pairing: Pairing, user: User, action: str) -> bool:
    """True when `user` is the kind of person who may take `action` on this pairing."""
    who = WHO_BY_ACTION.get(action)
    if who is Who.COUNTERPART:
        return user.id == counterpart_user_id(pairing)
    if who is Who.REQUESTER:
        return user.id == requester_user_id(pairing)
    if who is Who.COORDINATOR:
        return is_coordinator(user)
    if who is Who.PARTY_OR_COORDINATOR:
        return is_party(pairing, user) or is_coordinator(user)
    return False


def available_actions(pairing: Pairing, user: User) -> list[str]:
    """The actions `user` may take on the pairing now (to draw the buttons)."""
    return [
        t.action
        for (state, _), t in TRANSITION_BY_KEY.items()
        if state == pairing.state and t.who is not Who.SYSTEM and may(pairing, user, t.action)
    ]


def can_see(pairing: Pairing, user: User) -> bool:
    """Parties see their own pairings; coordinators see all; nobody else sees any."""
    return is_party(pairing, user) or is_coordinator(user)


def pairing_for(session: Session, pairing_id: int, user: User) -> Pairing:
    """The pairing if `user` may see it; otherwise PairingNotFound (never reveal it exists)."""
    pairing = session.get(Pairing, pairing_id)
    if pairing is None or not can_see(pairing, user):
        raise PairingNotFound("This introduction does not exist, or it is not yours to see.")
    return pairing


# --- locking -----------------------------------------------------------------------


def _lock(session: Session, model: Any, ident: int) -> None:
    """Hold the row's write lock until commit.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite has no row locks; a no-op UPDATE takes
    the database write lock now (before we read counts), which serialises writers.
    """
    if session.get_bind().dialect.name == "sqlite":
        values: dict[str, Any] = {"id": model.id}
        if hasattr(model, "updated_at"):
            values["updated_at"] = model.updated_at  # keep onupdate from bumping it
        session.execute(
            update(model).where(model.id == ident).values(values),
            execution_options={"synchronize_session": False},
        )
    else:
        session.execute(select(model.id).where(model.id == ident).with_for_update())


def _lock_and_refresh(session: Session, pairing: Pairing) -> None:
    _lock(session, Pairing, pairing.id)
    session.refresh(pairing)


def _locked_transition(
    session: Session, pairing: Pairing, action: str, actor: User, **kwargs: Any
) -> PairingEvent:
    """Lock the pairing, re-read it, then make the transition (see `_transition`)."""
    _lock_and_refresh(session, pairing)
    return _transition(session, pairing, action, actor, **kwargs)


# --- transitions -------------------------------------------------------------------


def _clean_text(value: str | None, what: str) -> str:
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


def _transition(
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
    note = _clean_text(note, "note")
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
    return event


def not_allowed_message(action: str) -> str:
    """Who may take `action`, in words, for a refusal."""
    who = WHO_BY_ACTION.get(action)
    return {
        Who.COUNTERPART: "Only the person who was asked can answer this request.",
        Who.REQUESTER: "Only the person who asked for this introduction can withdraw it.",
        Who.COORDINATOR: "Only a programme coordinator can approve or reject an introduction.",
        Who.PARTY_OR_COORDINATOR: "Only the two people introduced or a coordinator can do this.",
    }.get(who or Who.SYSTEM, "Nobody can do this by hand.")


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
    message = _clean_text(message, "message")
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
            Pairing.state.in_((S.REQUESTED, S.ACCEPTED, S.APPROVED)),
        )
    )
    if existing is not None:
        raise RequestRefused(
            f"There is already an open {kind.value} introduction between "
            f"{entrepreneur.display_name} and {diaspora.display_name} "
            f"(“{existing.state.label}”)."
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
    session.add(pairing)
    session.add(
        PairingEvent(
            pairing=pairing,
            action="request",
            from_state=None,
            to_state=S.REQUESTED,
            actor_id=requester.id,
            note=message,
            created_at=now,
        )
    )
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        # Someone created the same open pairing between our check and our insert.
        raise RequestRefused(
            f"There is already an open {kind.value} introduction between these two people."
        ) from exc
    asker = requester.full_name
    notify(
        session,
        counterpart,
        f"{asker} asks for a {kind.value} introduction",
        f"{asker} would like a {kind.value} introduction with you."
        + (f"\n\nTheir message:\n{message}" if message else "")
        + f"\n\nAnswer by {pairing.expires_at:%d %B %Y} on /pairings/{pairing.id}.",
        pairing,
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
            f"{actor.full_name} accepted your request",
            f"{actor.full_name} accepted your {pairing.kind.value} introduction. "
            "A programme coordinator will now review it.",
            pairing,
        )
    for coordinator in _coordinators(session):
        notify(
            session,
            coordinator,
            "An introduction waits for your approval",
            f"{pairing.entrepreneur.display_name} and {pairing.diaspora.display_name} "
            f"agreed to a {pairing.kind.value} introduction. Review it in Approvals.",
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
    _tell(
        session,
        requester_user_id(pairing),
        pairing,
        f"{actor.full_name} declined your request",
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
    _tell(
        session,
        counterpart_user_id(pairing),
        pairing,
        f"{actor.full_name} withdrew a request",
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
    _lock(session, EntrepreneurProfile, pairing.entrepreneur_id)
    _lock(session, DiasporaProfile, pairing.diaspora_id)
    _lock_and_refresh(session, pairing)
    if pairing.kind is PairingKind.COACHING and pairing.state is S.ACCEPTED:
        mentor = pairing.diaspora
        session.refresh(mentor)
        if coaching_load(session, mentor) >= mentor.mentee_capacity:
            raise CapacityReached(
                f"{mentor.display_name} already coaches {mentor.mentee_capacity} "
                f"{'entrepreneur' if mentor.mentee_capacity == 1 else 'entrepreneurs'}, "
                "their full capacity. Nothing was changed."
            )
    event = _transition(
        session, pairing, "approve", actor, note=note, expected_version=expected_version, now=now
    )
    pairing.coordinator_note = event.note
    pairing.decided_by_id = actor.id
    for user in (pairing.entrepreneur.user, pairing.diaspora.user):
        other = other_party(pairing, user)
        notify(
            session,
            user,
            f"Your introduction with {other.full_name} is approved",
            f"A coordinator approved your {pairing.kind.value} introduction with "
            f"{other.full_name}. You can now see each other's contact details "
            f"on /pairings/{pairing.id}.",
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
        _transition(
            session,
            other,
            "auto_withdraw",
            coordinator,
            reason="matched_elsewhere",
            note=f"Coaching with {approved.diaspora.display_name} was approved.",
            now=now,
            automatic=True,
        )
        _tell(
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
        _tell(
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
    note: str = "",
    expected_version: int | None = None,
) -> Pairing:
    """Either party or a coordinator marks an approved introduction as completed."""
    _locked_transition(
        session, pairing, "complete", actor, note=note, expected_version=expected_version
    )
    _tell_parties_except(
        session,
        pairing,
        actor,
        "An introduction was marked completed",
        f"{actor.full_name} marked the {pairing.kind.value} introduction "
        "as completed. You can rate it on its page.",
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


TRANSITION_FUNCTIONS: dict[str, Callable[..., Pairing]] = {
    "accept": accept,
    "decline": decline,
    "withdraw": withdraw,
    "approve": approve,
    "reject": reject,
    "complete": complete,
    "close": close,
}


def _tell(session: Session, user_id: int, pairing: Pairing, subject: str, body: str) -> None:
    user = session.get(User, user_id)
    if user is not None and user.is_active:
        notify(session, user, subject, f"{body}\n\nSee /pairings/{pairing.id}.", pairing)


def _tell_parties_except(
    session: Session, pairing: Pairing, actor: User, subject: str, body: str
) -> None:
    for user_id in (pairing.entrepreneur.user_id, pairing.diaspora.user_id):
        if user_id != actor.id:
            _tell(session, user_id, pairing, subject, body)


def _coordinators(session: Session) -> Sequence[User]:
    return session.scalars(
        select(User).where(User.role == Role.COORDINATOR, User.is_active.is_(True))
    ).all()


# --- the cron job ------------------------------------------------------------------


@dataclass(frozen=True)
class TickReport:
    reminded: int
    expired: int


def expire_and_remind(session: Session, policy: Policy, now: datetime | None = None) -> TickReport:
    """Remind counterparts of requests about to expire, and expire overdue ones.

    Safe to run twice: a reminder sets `reminded_at`, an expiry changes the state, so a
    second run finds nothing to do. Each pairing is its own commit.
    """
    now = now or utcnow()
    locking = session.get_bind().dialect.name == "postgresql"
    due_soon = (
        select(Pairing)
        .where(
            Pairing.state == S.REQUESTED,
            Pairing.reminded_at.is_(None),
            Pairing.expires_at > now,
            Pairing.expires_at <= now + timedelta(days=policy.reminder_days),
        )
        .order_by(Pairing.id)
    )
    overdue = (
        select(Pairing)
        .where(Pairing.state == S.REQUESTED, Pairing.expires_at <= now)
        .order_by(Pairing.id)
    )
    reminded = expired = 0
    for pairing in _claim_each(session, due_soon, locking):
        if _each_in_own_commit(session, partial(_remind, session, pairing, now)):
            reminded += 1
    for pairing in _claim_each(session, overdue, locking):
        if _each_in_own_commit(session, partial(_expire, session, pairing, policy, now)):
            expired += 1
    return TickReport(reminded=reminded, expired=expired)


def _claim_each(session: Session, statement: Select[Any], locking: bool) -> Sequence[Pairing]:
    if locking:
        # Two ticks at once: each takes the rows the other has not locked.
        statement = statement.with_for_update(skip_locked=True)
    return session.scalars(statement).all()


def _each_in_own_commit(session: Session, work: Callable[[], None]) -> bool:
    """Run `work` and commit; if another run changed the pairing meanwhile, skip it."""
    try:
        work()
        session.commit()
    except (StaleDataError, PairingMovedOn, IllegalTransition):
        session.rollback()
        return False
    return True


def _remind(session: Session, pairing: Pairing, now: datetime) -> None:
    pairing.reminded_at = now
    requester = session.get(User, requester_user_id(pairing))
    asker = requester.full_name if requester else "Someone"
    _tell(
        session,
        counterpart_user_id(pairing),
        pairing,
        "A request waits for your answer",
        f"{asker} asked you for a {pairing.kind.value} introduction. It expires on "
        f"{pairing.expires_at:%d %B %Y} unless you answer.",
    )


def _expire(session: Session, pairing: Pairing, policy: Policy, now: datetime) -> None:
    _transition(session, pairing, "expire", None, reason="expired", now=now, automatic=True)
    _tell(
        session,
        requester_user_id(pairing),
        pairing,
        "Your request expired",
        f"Your {pairing.kind.value} introduction request got no answer in "
        f"{policy.ttl_days} days, so it expired. You can ask someone else.",
    )


# --- contact details, feedback ------------------------------------------------------


@dataclass(frozen=True)
class ContactCard:
    name: str
    email: str | None
    phone: str | None


def contact_visible(pairing: Pairing, viewer: User) -> bool:
    """Only the two parties, and only while the introduction is approved or completed."""
    return pairing.state in CONTACT_STATES and is_party(pairing, viewer)


def reveal_contact(
    session: Session, pairing: Pairing, viewer: User, now: datetime | None = None
) -> ContactCard | None:
    """The other side's contact details for `viewer`, logging the view; None if not allowed."""
    if not contact_visible(pairing, viewer):
        return None
    if viewer.id == pairing.entrepreneur.user_id:
        profile: EntrepreneurProfile | DiasporaProfile = pairing.diaspora
    else:
        profile = pairing.entrepreneur
    session.add(
        ContactView(
            viewer_id=viewer.id,
            subject_id=profile.user_id,
            pairing_id=pairing.id,
            viewed_at=now or utcnow(),
        )
    )
    return ContactCard(
        name=profile.user.full_name,
        email=profile.contact_email or profile.user.email,
        phone=profile.contact_phone or profile.user.phone,
    )


def contact_views_of(session: Session, user: User, limit: int = 200) -> Sequence[ContactView]:
    """Who was shown `user`'s contact details, newest first."""
    return session.scalars(
        select(ContactView)
        .where(ContactView.subject_id == user.id)
        .order_by(ContactView.viewed_at.desc(), ContactView.id.desc())
        .limit(limit)
    ).all()


def feedback_by(session: Session, pairing: Pairing, user: User) -> Feedback | None:
    """The rating `user` gave this pairing, if any."""
    return session.scalar(
        select(Feedback).where(Feedback.pairing_id == pairing.id, Feedback.author_id == user.id)
    )


def can_rate(session: Session, pairing: Pairing, user: User) -> bool:
    """A party may rate once an introduction was approved, once."""
    return (
        pairing.state in FEEDBACK_STATES
        and is_party(pairing, user)
        and feedback_by(session, pairing, user) is None
    )


def leave_feedback(
    session: Session, pairing: Pairing, author: User, *, rating: int, comment: str = ""
) -> Feedback:
    """Store one party's 1-5 rating of an approved introduction; a second one is refused."""
    if not is_party(pairing, author):
        raise NotAllowed("Only the two people introduced can rate an introduction.")
    if pairing.state not in FEEDBACK_STATES:
        raise IllegalTransition("You can rate an introduction once a coordinator approved it.")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput("Choose a rating from 1 to 5.")
    comment = _clean_text(comment, "comment")
    if feedback_by(session, pairing, author) is not None:
        raise RequestRefused("You already rated this introduction; a rating is given once.")
    feedback = Feedback(pairing_id=pairing.id, author_id=author.id, rating=rating, comment=comment)
    session.add(feedback)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise RequestRefused(
            "You already rated this introduction; a rating is given once."
        ) from exc
    return feedback


# --- lists for pages ---------------------------------------------------------------


def coaching_load(session: Session, mentor: DiasporaProfile) -> int:
    """How many approved coaching pairings the mentor has now."""
    count = session.scalar(
        select(func.count())
        .select_from(Pairing)
        .where(
            Pairing.diaspora_id == mentor.id,
            Pairing.kind == PairingKind.COACHING,
            Pairing.state == S.APPROVED,
        )
    )
    return count or 0


def pairings_of(session: Session, user: User) -> Sequence[Pairing]:
    """Every pairing `user` is a party to, newest change first."""
    conditions = []
    if user.entrepreneur_profile is not None:
        conditions.append(Pairing.entrepreneur_id == user.entrepreneur_profile.id)
    if user.diaspora_profile is not None:
        conditions.append(Pairing.diaspora_id == user.diaspora_profile.id)
    if not conditions:
        return []
    return session.scalars(
        select(Pairing)
        .where(or_(*conditions))
        .order_by(Pairing.state_changed_at.desc(), Pairing.id.desc())
    ).all()


def inbox_of(session: Session, user: User) -> dict[str, list[Pairing]]:
    """The user's pairings as the inbox groups them: requests to answer, requests sent,
    current introductions, and the past."""
    pairings = pairings_of(session, user)
    pending = [p for p in pairings if p.state in PENDING_STATES]
    return {
        "incoming": [p for p in pending if counterpart_user_id(p) == user.id],
        "outgoing": [p for p in pending if requester_user_id(p) == user.id],
        "current": [p for p in pairings if p.state is S.APPROVED],
        "past": [
            p for p in pairings if p.state not in PENDING_STATES and p.state is not S.APPROVED
        ],
    }


def parties_of_request(
    session: Session, asker: User, entrepreneur_id: int | None, diaspora_id: int | None
) -> tuple[EntrepreneurProfile, DiasporaProfile]:
    """The two profiles of an introduction `asker` wants; a missing id means their own.

    Raises PairingNotFound when either profile does not exist, NotAllowed when neither is
    the asker's.
    """
    entrepreneur_id = entrepreneur_id or (
        asker.entrepreneur_profile.id if asker.entrepreneur_profile else None
    )
    diaspora_id = diaspora_id or (asker.diaspora_profile.id if asker.diaspora_profile else None)
    entrepreneur = session.get(EntrepreneurProfile, entrepreneur_id) if entrepreneur_id else None
    diaspora = session.get(DiasporaProfile, diaspora_id) if diaspora_id else None
    if entrepreneur is None or diaspora is None:
        raise PairingNotFound("That profile does not exist, or it is not available.")
    if asker.id not in (entrepreneur.user_id, diaspora.user_id):
        raise NotAllowed("You can ask for introductions only for your own profile.")
    return entrepreneur, diaspora


def history_of_profile(
    session: Session, profile: EntrepreneurProfile | DiasporaProfile, exclude: int | None = None
) -> Sequence[Pairing]:
    """Past and present pairings of one profile (for the coordinator's review)."""
    column = (
        Pairing.entrepreneur_id if isinstance(profile, EntrepreneurProfile) else Pairing.diaspora_id
    )
    statement = select(Pairing).where(column == profile.id).order_by(Pairing.created_at.desc())
    if exclude is not None:
        statement = statement.where(Pairing.id != exclude)
    return session.scalars(statement).all()


def approval_filter_choices(
    session: Session,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(code, name) of the countries entrepreneurs work in and of every value chain,
    for the approval queue's filters."""
    countries = session.scalars(
        select(EntrepreneurProfile.country_code)
        .distinct()
        .order_by(EntrepreneurProfile.country_code)
    ).all()
    chains = session.execute(
        select(ValueChain.code, ValueChain.label).order_by(ValueChain.position)
    )
    return (
        [(code, taxonomy.country_name(code) or code) for code in countries],
        [(code, label) for code, label in chains],
    )


def approval_queue(
    *, country: str | None = None, value_chain: str | None = None, kind: str | None = None
) -> Select[Any]:
    """Accepted pairings waiting for a coordinator, oldest first, with optional filters."""
    statement = (
        select(Pairing)
        .join(Pairing.entrepreneur)
        .where(Pairing.state == S.ACCEPTED)
        .order_by(Pairing.state_changed_at, Pairing.id)
    )
    if country:
        statement = statement.where(EntrepreneurProfile.country_code == country)
    if kind:
        statement = statement.where(Pairing.kind == PairingKind(kind))
    if value_chain:
        statement = statement.where(
            select(entrepreneur_value_chains.c.profile_id)
            .where(
                entrepreneur_value_chains.c.profile_id == EntrepreneurProfile.id,
                entrepreneur_value_chains.c.value_chain_code == value_chain,
            )
            .exists()
        )
    return statement
