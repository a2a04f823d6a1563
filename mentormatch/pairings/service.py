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

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext, ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from mentormatch import learning
from mentormatch.db import utcnow
from mentormatch.i18n import in_language_of
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
from mentormatch.notifications import coordinators_words, display_name, long_date, notify
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
from mentormatch.pairings.queries import coaching_load, cooling_off, places_taken
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

# A notification's subject and body, written when called (inside the reader's language).
Compose = Callable[[], tuple[str, str]]

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
        raise InvalidInput(
            _(
                "The %(what)s is too long: keep it under %(max)d characters.",
                what=what,
                max=MAX_TEXT,
            )
        )
    return value


def _check_reason(action: str, reason: str | None) -> str | None:
    allowed = REASONS.get(action)
    if allowed is None:
        return None
    if reason not in allowed:
        raise InvalidInput(_("Choose one of the reasons in the list."))
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
            _(
                "This introduction moved on while you were looking at it: it is now "
                "“%(state)s”. Nothing was changed; reload the page to see it.",
                state=pairing.state.label,
            )
        )
    rule = TRANSITION_BY_KEY.get((pairing.state, action))
    if rule is None:
        raise IllegalTransition(
            _(
                "An introduction that is “%(state)s” cannot be %(action)s. Nothing was changed.",
                state=pairing.state.label,
                action=str(ACTION_LABELS.get(action, action)).lower(),
            )
        )
    reason = _check_reason(action, reason)
    note = clean_text(note, _("message"))
    private_note = clean_text(private_note, _("private note"))
    if private_note and not (actor is not None and is_coordinator(actor)):
        raise NotAllowed(_("Only coordinators can add a private note."))
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
            _(
                "Someone else changed this introduction at the same moment. "
                "Nothing was changed; reload the page to see where it is now."
            )
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
            ngettext(
                "You have sent %(num)d introduction request in the last 24 hours, withdrawn "
                "ones included. Please wait until tomorrow to ask again.",
                "You have sent %(num)d introduction requests in the last 24 hours, withdrawn "
                "ones included. Please wait until tomorrow to ask again.",
                policy.max_requests_per_day,
            )
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
            ngettext(
                "You already have %(num)d open coaching request. "
                "Wait for answers or withdraw one before asking again.",
                "You already have %(num)d open coaching requests. "
                "Wait for answers or withdraw one before asking again.",
                policy.max_open_requests,
            )
            if kind is PairingKind.COACHING
            else ngettext(
                "You already have %(num)d open investment request. "
                "Wait for answers or withdraw one before asking again.",
                "You already have %(num)d open investment requests. "
                "Wait for answers or withdraw one before asking again.",
                policy.max_open_requests,
            )
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
                _(
                    "%(name)s cannot receive introductions at the moment.",
                    name=profile.display_name,
                )
            )
    if kind is PairingKind.COACHING and not diaspora.offers_coaching:
        raise RequestRefused(_("%(name)s does not offer coaching.", name=diaspora.display_name))
    if kind is PairingKind.INVESTMENT and not diaspora.offers_investment:
        raise RequestRefused(_("%(name)s does not offer investment.", name=diaspora.display_name))
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
            _(
                "There is already an open coaching introduction between %(entrepreneur)s "
                "and %(member)s (“%(state)s”).",
                entrepreneur=entrepreneur.display_name,
                member=diaspora.display_name,
                state=existing.state.label,
            )
            if kind is PairingKind.COACHING
            else _(
                "There is already an open investment introduction between %(entrepreneur)s "
                "and %(member)s (“%(state)s”).",
                entrepreneur=entrepreneur.display_name,
                member=diaspora.display_name,
                state=existing.state.label,
            )
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
            _(
                "Your profile is “%(status)s”: you can ask for introductions once a "
                "programme coordinator approves it (it is waiting for a coordinator).",
                status=own.review_status.label,
            )
            if own.review_status is ReviewStatus.PENDING
            else _(
                "Your profile is “%(status)s”: you cannot ask for introductions at the "
                "moment. See your profile page.",
                status=own.review_status.label,
            )
        )
    check_can_be_introduced(session, entrepreneur, diaspora, kind, policy, now or utcnow())


def cooling_off_message(refused: Pairing, policy: Policy) -> str:
    """Why these two cannot be introduced again yet, and until when."""
    names = {
        "entrepreneur": refused.entrepreneur.display_name,
        "member": refused.diaspora.display_name,
    }
    if refused.state is S.CLOSED:
        return _(
            "The introduction between %(entrepreneur)s and %(member)s was closed for "
            "inappropriate conduct, so these two are not introduced again.",
            **names,
        )
    until = refused.state_changed_at + timedelta(days=policy.cooling_off_days)
    dates = {
        "date": long_date(refused.state_changed_at),
        "until": long_date(until),
    }
    if refused.state is S.DECLINED:
        return ngettext(
            "The introduction between %(entrepreneur)s and %(member)s was declined on "
            "%(date)s. To give both a rest, they cannot be introduced again for %(num)d "
            "day, until %(until)s.",
            "The introduction between %(entrepreneur)s and %(member)s was declined on "
            "%(date)s. To give both a rest, they cannot be introduced again for %(num)d "
            "days, until %(until)s.",
            policy.cooling_off_days,
            **names,
            **dates,
        )
    return ngettext(
        "The introduction between %(entrepreneur)s and %(member)s was not approved by a "
        "coordinator on %(date)s. To give both a rest, they cannot be introduced again for "
        "%(num)d day, until %(until)s.",
        "The introduction between %(entrepreneur)s and %(member)s was not approved by a "
        "coordinator on %(date)s. To give both a rest, they cannot be introduced again for "
        "%(num)d days, until %(until)s.",
        policy.cooling_off_days,
        **names,
        **dates,
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
            _("There is already an open coaching introduction between these two people.")
            if pairing.kind is PairingKind.COACHING
            else _("There is already an open investment introduction between these two people.")
        ) from exc


def _kind(kind: PairingKind | str) -> PairingKind:
    try:
        return PairingKind(kind)
    except ValueError as exc:
        raise InvalidInput(_("Choose coaching or investment.")) from exc


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
    message = clean_text(message, _("message"))
    entrepreneur = session.get(EntrepreneurProfile, entrepreneur_id)
    diaspora = session.get(DiasporaProfile, diaspora_id)
    if entrepreneur is None or diaspora is None:
        raise PairingNotFound(_("That profile does not exist, or it is not available."))
    if requester.id == entrepreneur.user_id:
        side, counterpart = "entrepreneur", diaspora.user
    elif requester.id == diaspora.user_id:
        side, counterpart = "diaspora", entrepreneur.user
    else:
        raise NotAllowed(_("You can ask for introductions only for your own profile."))
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

    def asked() -> tuple[str, str]:
        paragraphs = [
            _(
                "%(name)s would like %(an_introduction)s with you.",
                name=asker,
                an_introduction=kind.an_introduction,
            )
        ]
        if message:
            paragraphs.append(_("Their message:") + "\n" + message)
        paragraphs.append(_("Please answer by %(date)s.", date=long_date(pairing.expires_at)))
        subject = _(
            "%(name)s asks for %(an_introduction)s",
            name=display_name(asker),
            an_introduction=kind.an_introduction,
        )
        return subject, "\n\n".join(paragraphs)

    tell_user(session, counterpart, pairing, asked)
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
        raise NotAllowed(_("Only a programme coordinator can propose introductions."))
    kind = _kind(kind)
    check_can_be_introduced(session, entrepreneur, diaspora, kind, policy, now)
    pairing = Pairing(
        entrepreneur=entrepreneur,
        diaspora=diaspora,
        kind=kind,
        state=S.PROPOSED,
        requested_by_id=coordinator.id,
        requester_side="coordinator",
        message=clean_text(note, _("note")),
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
        tell_user(
            session,
            user,
            pairing,
            lambda: (
                _(
                    "A coordinator proposes %(an_introduction)s with %(name)s",
                    an_introduction=kind.an_introduction,
                    name=display_name(other.full_name),  # noqa: B023 (told at once)
                ),
                _(
                    "A programme coordinator thinks you and %(name)s would work well "
                    "together, and proposes %(an_introduction)s. Please say whether you "
                    "agree by %(date)s; once you both agree, the coordinator approves the "
                    "introduction and you see each other's contact details.",
                    name=other.full_name,  # noqa: B023 (told at once)
                    an_introduction=kind.an_introduction,
                    date=long_date(pairing.expires_at),
                ),
            ),
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
        lambda: (
            _(
                "%(name)s agreed to the proposed introduction",
                name=display_name(actor.full_name),
            ),
            _(
                "%(name)s agreed to %(an_introduction)s a coordinator proposed. "
                "Please accept or decline it.",
                name=actor.full_name,
                an_introduction=pairing.kind.an_introduction,
            ),
        ),
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
                lambda: (
                    _(
                        "%(name)s declined a proposed introduction",
                        name=display_name(actor.full_name),
                    ),
                    _(
                        "%(name)s declined %(an_introduction)s between %(entrepreneur)s and "
                        "%(member)s: %(reason)s.",
                        name=actor.full_name,
                        an_introduction=pairing.kind.an_introduction,
                        entrepreneur=pairing.entrepreneur.display_name,
                        member=pairing.diaspora.display_name,
                        reason=REASONS["decline_proposal"][reason],
                    ),
                ),
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
    note = clean_text(note, _("message"))
    private_note = clean_text(private_note, _("private note"))
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
    member, owner = diaspora.user, entrepreneur.user
    tell_user(
        session,
        member,
        pairing,
        lambda: (
            _(
                "A coordinator proposes %(an_introduction)s with %(name)s",
                an_introduction=kind.an_introduction,
                name=display_name(owner.full_name),
            ),
            _(
                "A programme coordinator proposes %(an_introduction)s between you and "
                "%(business)s (%(name)s).",
                an_introduction=kind.an_introduction,
                business=entrepreneur.display_name,
                name=owner.full_name,
            )
            + coordinators_words(note)
            + "\n\n"
            + _(
                "Please accept or decline it by %(date)s.",
                date=long_date(pairing.expires_at),
            ),
        ),
    )
    tell_user(
        session,
        owner,
        pairing,
        lambda: (
            _("A coordinator proposed you to %(name)s", name=display_name(member.full_name)),
            _(
                "A programme coordinator asked %(name)s for %(an_introduction)s with you.",
                name=member.full_name,
                an_introduction=kind.an_introduction,
            )
            + coordinators_words(note)
            + "\n\n"
            + _("You will be told when they answer; you can withdraw the request on its page."),
        ),
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
    # Lazy, like every blocker: written out in the language of whoever reads it.
    return lazy_ngettext(
        "%(name)s is at full capacity: %(num)d coaching place, %(load)d taken by "
        "introductions accepted or approved.",
        "%(name)s is at full capacity: %(num)d coaching places, %(load)d taken by "
        "introductions accepted or approved.",
        mentor.mentee_capacity,
        name=mentor.display_name,
        load=load,
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
            str(blockers[0].message)
            + " "
            + _(
                "Nothing was changed: the request stays open, and can be accepted when a "
                "place frees up (an introduction completed, closed or not approved), or "
                "after raising the number of entrepreneurs in the profile's “What you "
                "offer” step."
            )
        )
    raise RequestRefused(_nothing_changed(blockers))


def _nothing_changed(blockers: Sequence[Blocker]) -> str:
    """The blockers' sentences, then "Nothing was changed."."""
    return " ".join([*(str(b.message) for b in blockers), _("Nothing was changed.")])


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
        tell_user(
            session,
            requester,
            pairing,
            lambda: (
                _("%(name)s accepted your request", name=display_name(actor.full_name)),
                _(
                    "%(name)s accepted %(an_introduction)s with you. "
                    "A programme coordinator will now review it.",
                    name=actor.full_name,
                    an_introduction=pairing.kind.an_introduction,
                ),
            ),
        )
    for coordinator in alerts.coordinators(session):
        tell_user(
            session,
            coordinator,
            pairing,
            lambda: (
                _("An introduction waits for your approval"),
                _(
                    "%(entrepreneur)s and %(member)s agreed to %(an_introduction)s. "
                    "Please review it.",
                    entrepreneur=pairing.entrepreneur.display_name,
                    member=pairing.diaspora.display_name,
                    an_introduction=pairing.kind.an_introduction,
                ),
            ),
            link=f"/coordinator/pairings/{pairing.id}",
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
        lambda: (
            _("%(name)s declined your request", name=display_name(actor.full_name)),
            _(
                "%(name)s declined %(an_introduction)s with you: %(reason)s.",
                name=actor.full_name,
                an_introduction=pairing.kind.an_introduction,
                reason=REASONS["decline"][reason],
            ),
        ),
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
        lambda: (
            _("%(name)s withdrew a request", name=display_name(actor.full_name)),
            _(
                "%(name)s withdrew the request for %(an_introduction)s.",
                name=actor.full_name,
                an_introduction=pairing.kind.an_introduction,
            ),
        ),
    )
    return pairing


@dataclass(frozen=True)
class Blocker:
    """Why a pairing cannot be approved now; `lasting` ones take it out of the queue."""

    reason: str  # a code of REASONS["auto_withdraw"], or "profile_under_review"
    message: str  # lazy: in the language of whoever reads it
    lasting: bool


def approval_blockers(
    session: Session, pairing: Pairing, *, mentor_load: int | None = None
) -> list[Blocker]:
    """Everything that keeps this pairing from going forward now (being accepted or
    approved), in words for the review page.

    The one list accept() and approve() refuse on, the review page shows instead of the
    button, and withdraw_unapprovable() takes pairings out of the queue for (the lasting
    ones). The mentor's places are counted without this pairing: an accepted one holds
    its own. `mentor_load`, when given, is that count, already made (a sweep over many
    pairings counts every mentor's places at once).
    """
    blockers = []
    mentor = pairing.diaspora
    for profile in (pairing.entrepreneur, mentor):
        if not profile.user.is_active:
            blockers.append(
                Blocker(
                    "account_closed",
                    _l("%(name)s's account is deactivated.", name=profile.display_name),
                    lasting=True,
                )
            )
        elif not is_public(profile):
            blockers.append(
                Blocker(
                    "profile_under_review",
                    _l(
                        "%(name)s's profile is “%(status)s”: it must be approved first.",
                        name=profile.display_name,
                        status=profile.review_status.label,
                    ),
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
                _l("%(name)s no longer offers coaching.", name=mentor.display_name)
                if pairing.kind is PairingKind.COACHING
                else _l("%(name)s no longer offers investment.", name=mentor.display_name),
                lasting=True,
            )
        )
    elif pairing.kind is PairingKind.COACHING:
        load = (
            coaching_load(session, mentor, exclude=pairing.id)
            if mentor_load is None
            else mentor_load
        )
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
            raise error(_nothing_changed(blockers))
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
    for user in (pairing.entrepreneur.user, pairing.diaspora.user):
        other = other_party(pairing, user)
        tell_user(
            session,
            user,
            pairing,
            lambda: (
                _(
                    "Your introduction with %(name)s is approved",
                    name=display_name(other.full_name),  # noqa: B023 (told at once)
                ),
                _(
                    "A coordinator approved %(an_introduction)s between you and %(name)s. "
                    "You can now see each other's contact details on the introduction's page.",
                    an_introduction=pairing.kind.an_introduction,
                    name=other.full_name,  # noqa: B023 (told at once)
                )
                + coordinators_words(event.note),
            ),
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
            note=_("Coaching with %(name)s was approved.", name=approved.diaspora.display_name),
            now=now,
            automatic=True,
        )
        tell(
            session,
            other.diaspora.user_id,
            other,
            lambda: (
                _("A coaching request was withdrawn"),
                _(
                    "%(name)s now has an approved coach, so their request to you was "
                    "withdrawn automatically.",
                    name=other.entrepreneur.display_name,  # noqa: B023 (told at once)
                ),
            ),
        )


def unapprovable_accepted(session: Session) -> list[int]:
    """Ids of the accepted pairings that have a lasting approval blocker now (see
    approval_blockers), found with a few queries however many there are, without locking
    or changing anything: the ones withdraw_unapprovable() then needs to look at, under
    locks, one by one. Looking at every accepted pairing that way took 12 s of the
    worker's CPU every five minutes with 1,592 of them (20,000 × 5,000); this takes 0.5 s."""
    accepted = session.scalars(
        select(Pairing)
        .where(Pairing.state == S.ACCEPTED)
        .options(
            selectinload(Pairing.entrepreneur).selectinload(EntrepreneurProfile.user),
            selectinload(Pairing.diaspora).selectinload(DiasporaProfile.user),
        )
    ).all()
    taken = places_taken()
    rows = session.execute(select(taken.c.diaspora_id, taken.c.taken))
    loads: dict[int, int] = {mentor: count for mentor, count in rows}
    found = []
    for pairing in accepted:
        # An accepted coaching pairing holds one of its mentor's places: counted without it.
        own = 1 if pairing.kind is PairingKind.COACHING else 0
        blockers = approval_blockers(
            session, pairing, mentor_load=loads.get(pairing.diaspora_id, 0) - own
        )
        if any(b.lasting for b in blockers):
            found.append(pairing.id)
    return found


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
                lambda: (
                    _("An introduction can no longer be approved"),
                    _(
                        "The introduction between %(entrepreneur)s and %(member)s was "
                        "withdrawn: %(why)s",
                        entrepreneur=pairing.entrepreneur.display_name,  # noqa: B023 (told at once)
                        member=pairing.diaspora.display_name,  # noqa: B023 (told at once)
                        why=lasting[0].message,  # noqa: B023 (told at once)
                    ),
                ),
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
            lambda: (
                _("A request was withdrawn"),
                _(
                    "%(name)s no longer takes part in the programme, so the request for "
                    "%(an_introduction)s between you was withdrawn. You can ask someone "
                    "else from your suggestions.",
                    name=profile.display_name,
                    an_introduction=pairing.kind.an_introduction,  # noqa: B023 (told at once)
                ),
            ),
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
    for user_id in (pairing.entrepreneur.user_id, pairing.diaspora.user_id):
        tell(
            session,
            user_id,
            pairing,
            lambda: (
                _("An introduction was not approved"),
                _(
                    "A coordinator did not approve %(an_introduction)s between "
                    "%(entrepreneur)s and %(member)s: %(reason)s.",
                    an_introduction=pairing.kind.an_introduction,
                    entrepreneur=pairing.entrepreneur.display_name,
                    member=pairing.diaspora.display_name,
                    reason=REASONS["reject"][reason],
                )
                + coordinators_words(event.note),
            ),
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
        lambda: (
            _("An introduction was marked completed"),
            _(
                "%(name)s marked %(an_introduction)s as completed: %(outcome)s. "
                "You can rate it on its page.",
                name=actor.full_name,
                an_introduction=pairing.kind.an_introduction,
                outcome=REASONS["complete"][reason],
            ),
        ),
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
        lambda: (
            _("An introduction was closed"),
            _(
                "%(name)s closed %(an_introduction)s: %(reason)s.",
                name=actor.full_name,
                an_introduction=pairing.kind.an_introduction,
                reason=REASONS["close"][reason],
            ),
        ),
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


def tell_user(
    session: Session, user: User, pairing: Pairing, compose: Compose, link: str | None = None
) -> None:
    """Notify `user` about the pairing, the text written by `compose()` in their language
    and time zone, with the line pointing to the pairing's page (or `link`)."""
    with in_language_of(user):
        subject, body = compose()
    notify(session, user, subject, body, pairing, link=link or f"/pairings/{pairing.id}")


def tell(session: Session, user_id: int, pairing: Pairing, compose: Compose) -> None:
    """Notify one person about the pairing in their language (nobody when their account is
    closed); see tell_user."""
    user = session.get(User, user_id)
    if user is not None and user.is_active:
        tell_user(session, user, pairing, compose)


def _tell_parties_except(session: Session, pairing: Pairing, actor: User, compose: Compose) -> None:
    for user_id in (pairing.entrepreneur.user_id, pairing.diaspora.user_id):
        if user_id != actor.id:
            tell(session, user_id, pairing, compose)
