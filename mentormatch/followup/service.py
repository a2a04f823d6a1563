"""Check-ins after approval, the job that asks for them, and coaching -> investment.

Every function takes a Session and flushes; the caller commits. The job
(`ask_for_check_ins`) is a plain function of a session and a policy so that the cron
command (`flask pairings tick`) and the worker process run the same code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mentormatch import taxonomy
from mentormatch.db import utcnow
from mentormatch.matches.service import explain_pair
from mentormatch.models import (
    CheckIn,
    CheckInRequest,
    Instrument,
    Pairing,
    PairingEvent,
    PairingKind,
    PairingState,
    User,
)
from mentormatch.money.rates import Rates
from mentormatch.money.store import latest_rates
from mentormatch.notifications import display_name
from mentormatch.pairings.parties import is_coordinator, is_party
from mentormatch.pairings.rules import (
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    RequestRefused,
)
from mentormatch.pairings.service import (
    Policy,
    clean_text,
    propose_introduction,
    request_introduction,
    tell,
)
from mentormatch.profiles.rules import Problems, whole_number
from mentormatch.profiles.service import no_rate_message

S = PairingState
# Check-ins can be filed while the introduction runs and after it was completed.
CHECK_IN_STATES = (S.APPROVED, S.COMPLETED)
MAX_SESSIONS = 500
MAX_AMOUNT = 100_000_000


@dataclass(frozen=True)
class CheckInPolicy:
    """When check-ins are due: days after approval (CHECK_IN_DAYS in the settings)."""

    days: tuple[int, ...] = (30, 90)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> CheckInPolicy:
        """Read CHECK_IN_DAYS (a list of days, or "30,90")."""
        raw = config.get("CHECK_IN_DAYS", cls.days)
        if isinstance(raw, str):
            raw = [part for part in raw.replace(" ", "").split(",") if part]
        days = tuple(sorted({int(day) for day in raw}))
        if not days or days[0] < 1:
            raise ValueError("CHECK_IN_DAYS must list whole days after approval, e.g. 30,90.")
        return cls(days)


def approved_at(session: Session, pairing: Pairing) -> datetime | None:
    """When the introduction was approved (its audit trail), or None if it never was."""
    return session.scalar(
        select(func.min(PairingEvent.created_at)).where(
            PairingEvent.pairing_id == pairing.id, PairingEvent.to_state == S.APPROVED
        )
    )


def check_ins_of(session: Session, pairing: Pairing) -> Sequence[CheckIn]:
    """Every check-in filed on the pairing, by day then by when it was filed."""
    return session.scalars(
        select(CheckIn)
        .where(CheckIn.pairing_id == pairing.id)
        .order_by(CheckIn.day, CheckIn.created_at, CheckIn.id)
    ).all()


def due_check_ins(
    session: Session,
    pairing: Pairing,
    user: User,
    policy: CheckInPolicy,
    now: datetime | None = None,
) -> list[int]:
    """The check-ins (days) `user` may file now: due, and not filed by them yet."""
    if pairing.state not in CHECK_IN_STATES or not is_party(pairing, user):
        return []
    since = approved_at(session, pairing)
    if since is None:
        return []
    now = now or utcnow()
    filed = set(
        session.scalars(
            select(CheckIn.day).where(
                CheckIn.pairing_id == pairing.id, CheckIn.author_id == user.id
            )
        )
    )
    return [day for day in policy.days if since + timedelta(days=day) <= now and day not in filed]


def file_check_in(
    session: Session,
    pairing: Pairing,
    author: User,
    *,
    day: int,
    met: bool,
    sessions: int,
    what_changed: str = "",
    money_committed: bool | None = None,
    amount: int | str | None = None,
    currency: str | None = None,
    instrument: str | None = None,
    policy: CheckInPolicy | None = None,
    now: datetime | None = None,
) -> CheckIn:
    """Store one side's check-in; the checks here are the rules, whatever the way in."""
    policy = policy or CheckInPolicy()
    now = now or utcnow()
    if not is_party(pairing, author):
        raise NotAllowed(_("Only the two people introduced can file a check-in."))
    if pairing.state not in CHECK_IN_STATES:
        raise IllegalTransition(_("Check-ins are for approved introductions."))
    if day not in due_check_ins(session, pairing, author, policy, now):
        raise InvalidInput(
            _("That check-in is not due yet, or you already filed it: choose one from the list.")
        )
    if not isinstance(sessions, int) or not 0 <= sessions <= MAX_SESSIONS:
        raise InvalidInput(
            _(
                "Give the number of sessions as a whole number from 0 to %(max)d.",
                max=MAX_SESSIONS,
            )
        )
    what_changed = clean_text(what_changed, _("answer to “what changed”"))
    money = _money(pairing, money_committed, amount, currency, instrument, latest_rates(session))
    check_in = CheckIn(
        pairing_id=pairing.id,
        author_id=author.id,
        day=day,
        met=bool(met),
        sessions=sessions,
        what_changed=what_changed,
        created_at=now,
        **money,
    )
    session.add(check_in)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise RequestRefused(_("You already filed this check-in.")) from exc
    other = (
        pairing.diaspora.user
        if author.id == pairing.entrepreneur.user_id
        else pairing.entrepreneur.user
    )
    tell(
        session,
        other.id,
        pairing,
        lambda: (
            _(
                "%(name)s filed the %(day)d-day check-in",
                name=display_name(author.full_name),
                day=day,
            ),
            _(
                "%(name)s filed the %(day)d-day check-in of your introduction (%(kind)s). "
                "You can read it, and file yours, on the introduction's page.",
                name=author.full_name,
                day=day,
                kind=pairing.kind.label,
            ),
        ),
    )
    return check_in


def _money(
    pairing: Pairing,
    committed: bool | None,
    amount: int | str | None,
    currency: str | None,
    instrument: str | None,
    rates: Rates,
) -> dict[str, Any]:
    """The investment part of a check-in, checked: all of it when money was committed,
    none of it otherwise, and nothing at all for coaching. The amount is kept as typed and
    in dollars at the latest rate; a currency without a rate is refused, as on profiles.
    The amount is read as people type it ("4,000", "4 000"), by the profiles' rule."""
    amount = _whole_amount(amount)
    if pairing.kind is PairingKind.COACHING:
        if committed or amount or currency or instrument:
            raise InvalidInput(_("Money is reported on investment introductions only."))
        return {}
    if committed is None:
        raise InvalidInput(_("Say whether money was committed: yes or no."))
    if not committed:
        if amount or instrument:
            raise InvalidInput(
                _("Leave the amount and the kind of money empty when none was committed.")
            )
        return {"money_committed": False}
    if not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise InvalidInput(_amount_message())
    currency = (currency or "").strip().upper()
    if not taxonomy.is_currency(currency):
        raise InvalidInput(_("Choose the currency of the amount from the list."))
    if currency not in rates:
        raise InvalidInput(no_rate_message(currency, rates, "investment_currency"))
    if instrument not in {i.value for i in Instrument}:
        raise InvalidInput(
            _("Choose the kind of money from the list: grant, loan, equity or in kind.")
        )
    return {
        "money_committed": True,
        "amount": amount,
        "currency": currency,
        "instrument": instrument,
        "amount_usd": rates.to_usd(amount, currency),
    }


def _amount_message() -> str:
    return str(
        _(
            "Give the amount committed as a whole number from 1 to %(max)s.",
            max=format_decimal(MAX_AMOUNT),
        )
    )


def _whole_amount(amount: int | str | None) -> int | None:
    """The amount as a number when it reads as one (the profile rules' reading), else None."""
    if amount is None or isinstance(amount, int):
        return amount
    problems = Problems()
    number = whole_number(problems, {"amount": amount}, "amount", 1, MAX_AMOUNT)
    if problems.errors:
        raise InvalidInput(_amount_message())
    return number


# --- the job: ask both sides for each check-in once ----------------------------------------


@dataclass(frozen=True)
class CheckInReport:
    """How many (pairing, day) check-ins one run asked for."""

    asked: int


def ask_for_check_ins(
    session: Session, policy: CheckInPolicy, now: datetime | None = None
) -> CheckInReport:
    """Ask both sides of each approved introduction for the check-in now due, once.

    A check-in is due from its day after approval until the next one is; a run that comes
    late asks for the current one only. A row in check_in_requests (unique per pairing and
    day) is written with the notifications, so a second run, or two at once, ask nobody
    twice. Flushes; the caller commits.
    """
    now = now or utcnow()
    approved = (
        select(
            PairingEvent.pairing_id.label("pairing_id"),
            func.min(PairingEvent.created_at).label("at"),
        )
        .where(PairingEvent.to_state == S.APPROVED)
        .group_by(PairingEvent.pairing_id)
        .subquery()
    )
    asked = 0
    for day, next_day in zip(policy.days, (*policy.days[1:], None), strict=True):
        statement = (
            select(Pairing)
            .join(approved, approved.c.pairing_id == Pairing.id)
            .where(
                Pairing.state == S.APPROVED,
                approved.c.at <= now - timedelta(days=day),
                ~select(CheckInRequest.id)
                .where(CheckInRequest.pairing_id == Pairing.id, CheckInRequest.day == day)
                .exists(),
            )
            .order_by(Pairing.id)
        )
        if next_day is not None:
            statement = statement.where(approved.c.at > now - timedelta(days=next_day))
        for pairing in session.scalars(statement).all():
            if _ask(session, pairing, day, now):
                asked += 1
    return CheckInReport(asked=asked)


def _ask(session: Session, pairing: Pairing, day: int, now: datetime) -> bool:
    """Record that the day's check-in was asked and tell both sides; False if another run
    got there first."""
    try:
        with session.begin_nested():
            session.add(CheckInRequest(pairing_id=pairing.id, day=day, asked_at=now))
            session.flush()
    except IntegrityError:
        return False
    for user, other in (
        (pairing.entrepreneur.user, pairing.diaspora.user),
        (pairing.diaspora.user, pairing.entrepreneur.user),
    ):
        tell(
            session,
            user.id,
            pairing,
            lambda: (
                _(
                    "How is it going with %(name)s? (%(day)d-day check-in)",
                    name=display_name(other.full_name),  # noqa: B023 (told at once)
                    day=day,
                ),
                _(
                    "It is %(day)d days since your investment introduction with %(name)s "
                    "was approved. Please take two minutes to say whether you met, how many "
                    "sessions you held, what changed and whether money was committed.",
                    day=day,
                    name=other.full_name,  # noqa: B023 (told at once)
                )
                if pairing.kind is PairingKind.INVESTMENT
                else _(
                    "It is %(day)d days since your coaching introduction with %(name)s was "
                    "approved. Please take two minutes to say whether you met, how many "
                    "sessions you held and what changed.",
                    day=day,
                    name=other.full_name,  # noqa: B023 (told at once)
                ),
            ),
        )
    return True


# --- coaching that went well -> an investment introduction with the same person --------------

INVESTMENT_FROM = (S.APPROVED, S.COMPLETED)


def can_follow_with_investment(pairing: Pairing, user: User) -> bool:
    """Whether `user` may turn this coaching introduction into an investment one now."""
    return (
        pairing.kind is PairingKind.COACHING
        and pairing.state in INVESTMENT_FROM
        and pairing.diaspora.offers_investment
        and (is_party(pairing, user) or is_coordinator(user))
    )


def follow_with_investment(
    session: Session,
    coaching: Pairing,
    actor: User,
    *,
    policy: Policy | None = None,
    now: datetime | None = None,
) -> Pairing:
    """One step from coaching to investment with the same member: a party's request (the
    other side answers) or, from a coordinator, a proposal both sides answer. Either way a
    coordinator approves it, as any introduction."""
    if not (is_party(coaching, actor) or is_coordinator(actor)):
        raise NotAllowed(_("Only the two people introduced or a coordinator can do this."))
    if coaching.kind is not PairingKind.COACHING or coaching.state not in INVESTMENT_FROM:
        raise IllegalTransition(
            _("An investment introduction can follow an approved or completed coaching one.")
        )
    if not coaching.diaspora.offers_investment:
        raise RequestRefused(
            _("%(name)s does not offer investment.", name=coaching.diaspora.display_name)
        )
    # Kept as the request's message, in the words of whoever asks (the other reads it).
    message = _(
        "Following our coaching introduction (introduction %(number)d).", number=coaching.id
    )
    pairing: Pairing
    if is_party(coaching, actor):
        pairing = request_introduction(
            session,
            actor,
            entrepreneur_id=coaching.entrepreneur_id,
            diaspora_id=coaching.diaspora_id,
            kind=PairingKind.INVESTMENT,
            message=message,
            policy=policy,
            now=now,
        )
    else:
        score, reasons = explain_pair(
            session, coaching.entrepreneur, coaching.diaspora, PairingKind.INVESTMENT.value
        )
        pairing = propose_introduction(
            session,
            actor,
            entrepreneur=coaching.entrepreneur,
            diaspora=coaching.diaspora,
            kind=PairingKind.INVESTMENT,
            score=score,
            reasons=list(reasons),
            note=message,
            policy=policy,
            now=now,
        )
    pairing.origin_pairing_id = coaching.id
    session.flush()
    return pairing
