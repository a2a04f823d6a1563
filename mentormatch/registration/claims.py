"""Claiming an account someone else made (assisted registration, an import, a field
officer's account): a one-time code by SMS or email, then a password of one's own.

- Codes are single use, expire (`ClaimPolicy.code_minutes`), allow a few wrong tries
  (`max_attempts`) and a few requests an hour per account (`codes_per_hour`); the pages
  add per-client limits (Flask-Limiter).
- A code is never stored and never shown to anyone but its recipient: the outbox row
  holds "{code}", and `with_code` makes the code at delivery time (in the worker) and
  keeps only its HMAC, keyed with the app's secret key, so a copy of the database is not
  enough to claim an account.
- Asking for a code answers the same whether or not the phone or email belongs to an
  account waiting to be claimed, so the page cannot be used to find out who is registered.

Every function takes a Session and flushes; the caller commits (`with_code` commits
itself: the worker sends right after, and the code must work when it arrives).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from mentormatch.auth.service import confirm_email, find_user_by_login, set_password
from mentormatch.db import utcnow
from mentormatch.i18n import in_language_of
from mentormatch.models import AccountClaim, ClaimChannel, User
from mentormatch.notifications import queue_email
from mentormatch.sms import queue_sms

CODE_DIGITS = 6
CODE_SLOT = "{code}"


@dataclass(frozen=True)
class ClaimPolicy:
    """How long a code works, how many wrong tries and new codes are allowed."""

    secret_key: str
    code_minutes: int = 30
    max_attempts: int = 5
    codes_per_hour: int = 3

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ClaimPolicy:
        """Read SECRET_KEY, CLAIM_CODE_MINUTES, CLAIM_CODE_ATTEMPTS and CLAIM_CODES_PER_HOUR."""
        return cls(
            secret_key=str(config["SECRET_KEY"]),
            code_minutes=int(config.get("CLAIM_CODE_MINUTES", cls.code_minutes)),
            max_attempts=int(config.get("CLAIM_CODE_ATTEMPTS", cls.max_attempts)),
            codes_per_hour=int(config.get("CLAIM_CODES_PER_HOUR", cls.codes_per_hour)),
        )


class ClaimRefused(ValueError):
    """A code that is wrong, used, expired or tried too often; one message for all."""


def _wrong_code(minutes: int) -> ClaimRefused:
    return ClaimRefused(
        _(
            "That code does not work: it may be mistyped, used already, or older than "
            "%(minutes)s minutes. Check the phone number or email and the code, or ask for a "
            "new code.",
            minutes=minutes,
        )
    )


def waiting_to_be_claimed(user: User) -> bool:
    """True for an active account that has never had a password (someone made it)."""
    return user.is_active and user.password_hash is None


def _code_hash(policy: ClaimPolicy, claim: AccountClaim, code: str) -> str:
    message = f"{claim.id}:{claim.user_id}:{code}".encode()
    return hmac.new(policy.secret_key.encode(), message, hashlib.sha256).hexdigest()


def sms_text(minutes: int) -> str:
    """The text message carrying a code (the code itself is put in by the worker)."""
    return _(
        "Your MentorMatch code is %(code)s. It works for %(minutes)s minutes. Nobody from "
        "MentorMatch will ask you for it.",
        code=CODE_SLOT,
        minutes=minutes,
    )


def _email_text(name: str, minutes: int) -> str:
    greeting = _("Hello %(name)s,", name=name)
    code = _("Your MentorMatch code is %(code)s", code=CODE_SLOT)
    how = _(
        "Type it on the page where you asked for it, with the new password you choose. It "
        "works for %(minutes)s minutes and only once. Nobody from MentorMatch will ever ask "
        "you for it.",
        minutes=minutes,
    )
    ignore = _("If you did not ask for a code, you can ignore this email.")
    return f"{greeting}\n\n{code}\n\n{how}\n\n{ignore}\n"


def request_code(
    session: Session, login: str, policy: ClaimPolicy, now: datetime | None = None
) -> AccountClaim | None:
    """Queue a one-time code to the phone number or email address typed, when it belongs
    to an account waiting to be claimed and that account has not had `codes_per_hour`
    codes in the last hour; None (nothing queued) otherwise."""
    now = now or utcnow()
    user = find_user_by_login(session, login)
    if user is None or not waiting_to_be_claimed(user):
        return None
    channel = ClaimChannel.EMAIL if "@" in login else ClaimChannel.SMS
    destination = user.email if channel is ClaimChannel.EMAIL else user.phone
    if not destination:
        return None
    recent = session.scalar(
        select(func.count())
        .select_from(AccountClaim)
        .where(AccountClaim.user_id == user.id, AccountClaim.created_at > now - timedelta(hours=1))
    )
    if (recent or 0) >= policy.codes_per_hour:
        return None
    claim = AccountClaim(user=user, channel=channel, destination=destination, created_at=now)
    session.add(claim)
    session.flush()
    minutes = policy.code_minutes
    # In the language the person reads (set when they were registered), not the page's.
    with in_language_of(user):
        if channel is ClaimChannel.SMS:
            queue_sms(session, destination, sms_text(minutes), claim.id)
        else:
            from mentormatch.notifications import display_name

            body = _email_text(display_name(user.full_name), minutes)
            email = queue_email(session, destination, _("Your MentorMatch code"), body)
            email.claim_id = claim.id
    session.flush()
    return claim


def with_code(session: Session, claim_id: int, body: str, policy: ClaimPolicy | None = None) -> str:
    """The message with a new one-time code in place of "{code}"; only the code's hash is
    kept, and it is committed before the message goes out (called by the worker, once per
    attempt to send: a retry makes a new code and the earlier one stops working)."""
    policy = policy or ClaimPolicy.from_config(current_app.config)
    claim = session.get(AccountClaim, claim_id)
    if claim is None or claim.used_at is not None:
        with in_language_of(claim.user if claim is not None else None):
            return body.replace(CODE_SLOT, _("(no longer needed)"))
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    now = utcnow()
    claim.code_hash = _code_hash(policy, claim, code)
    claim.sent_at = now
    claim.expires_at = now + timedelta(minutes=policy.code_minutes)
    claim.failed_attempts = 0
    session.commit()
    return body.replace(CODE_SLOT, code)


def claim_account(
    session: Session,
    login: str,
    code: str,
    password: str,
    policy: ClaimPolicy,
    now: datetime | None = None,
) -> User:
    """Check the code sent to `login` and set the account's first password; the code is
    used up. Raises ClaimRefused (the caller commits anyway, so a wrong try is counted)."""
    now = now or utcnow()
    refused = _wrong_code(policy.code_minutes)
    user = find_user_by_login(session, login)
    if user is None or not waiting_to_be_claimed(user):
        raise refused
    claim = session.scalars(
        select(AccountClaim)
        .where(
            AccountClaim.user_id == user.id,
            AccountClaim.code_hash.is_not(None),
            AccountClaim.used_at.is_(None),
        )
        .order_by(AccountClaim.sent_at.desc(), AccountClaim.id.desc())
        .limit(1)
    ).first()
    if (
        claim is None
        or claim.expires_at is None
        or claim.expires_at <= now
        or claim.failed_attempts >= policy.max_attempts
    ):
        raise refused
    typed = "".join(ch for ch in code if ch.isdigit())
    if not hmac.compare_digest(_code_hash(policy, claim, typed), claim.code_hash or ""):
        claim.failed_attempts += 1
        session.flush()
        raise refused
    # Single use even when the form is sent twice at once: only one update finds it unused.
    used = session.execute(
        update(AccountClaim)
        .where(AccountClaim.id == claim.id, AccountClaim.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        raise refused
    # Codes sent earlier stop working too.
    session.execute(
        update(AccountClaim)
        .where(AccountClaim.user_id == user.id, AccountClaim.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    set_password(user, password)
    if claim.channel is ClaimChannel.EMAIL:
        confirm_email(user)  # the code reached that mailbox
    session.flush()
    return user
