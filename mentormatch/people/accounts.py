"""Deactivating and reactivating an account, with a reason, a message and a private note.

A deactivated person cannot log in (every session of theirs ends at once: the session
version moves on), leaves everyone's suggestions at once (their profile stops being
public), and their waiting requests are withdrawn, each other person told. Their
history, introductions and ratings stay. Reactivating gives back the account as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from mentormatch.auth.service import end_sessions
from mentormatch.db import utcnow
from mentormatch.i18n import in_language_of
from mentormatch.models import Pairing, Role, SafetyReport, User
from mentormatch.notifications import coordinators_words, notify, with_link
from mentormatch.pairings.parties import is_coordinator
from mentormatch.pairings.service import clean_text, withdraw_requests_of
from mentormatch.people import audit
from mentormatch.people.errors import ActionRefused, InvalidInput, NotAllowed
from mentormatch.people.vetting import check_version, lock_person, profile_of

# Why an account is closed, from a fixed list, so coordinators can count them.
DEACTIVATION_REASONS = {
    "left_programme": _l("Left the programme"),
    "asked": _l("Asked for the account to be closed"),
    "conduct": _l("Conduct, after a report"),
    "duplicate": _l("A second account of the same person"),
    "unreachable": _l("Cannot be reached any more"),
    "other": _l("Another reason"),
}


def may_manage(coordinator: User, person: User) -> bool:
    """Coordinators manage entrepreneurs' and diaspora members' accounts; only an admin
    manages a coordinator's; nobody their own."""
    if not is_coordinator(coordinator) or coordinator.id == person.id:
        return False
    return person.role in (Role.ENTREPRENEUR, Role.DIASPORA) or coordinator.role is Role.ADMIN


def _check(coordinator: User, person: User) -> None:
    if coordinator.id == person.id:
        raise NotAllowed(_("You cannot deactivate or reactivate your own account."))
    if not may_manage(coordinator, person):
        raise NotAllowed(_("Only an administrator can deactivate or reactivate staff accounts."))


def deactivate(
    session: Session,
    person: User,
    coordinator: User,
    *,
    reason: str,
    message: str = "",
    private_note: str = "",
    expected_version: int | None = None,
    report: SafetyReport | None = None,
    now: datetime | None = None,
) -> Sequence[Pairing]:
    """Close `person`'s account (see the module docstring); returns the requests withdrawn."""
    _check(coordinator, person)
    if reason not in DEACTIVATION_REASONS:
        raise InvalidInput(_("Choose a reason from the list."))
    message = clean_text(message, "message")
    private_note = clean_text(private_note, "private note")
    lock_person(session, person)
    check_version(person, expected_version, "account")
    if not person.is_active:
        raise ActionRefused(_("%(name)s's account is already deactivated.", name=person.full_name))
    now = now or utcnow()
    person.is_active = False
    end_sessions(person)
    person.record_version += 1
    audit.record(
        session,
        person,
        "deactivate",
        coordinator,
        from_status="active",
        to_status="deactivated",
        reason=reason,
        message=message,
        private_note=private_note,
        report=report,
        now=now,
    )
    profile = profile_of(person)
    withdrawn: Sequence[Pairing] = []
    if profile is not None:
        withdrawn = withdraw_requests_of(
            session,
            profile,
            coordinator,
            "account_closed",
            # Kept in the introduction's trail, in the deciding coordinator's language.
            _("%(name)s's account was deactivated.", name=profile.display_name),
            now,
        )
    with in_language_of(person):
        notify(
            session,
            person,
            _("Your MentorMatch account is closed"),
            _(
                "A programme coordinator closed your MentorMatch account: %(reason)s.",
                reason=DEACTIVATION_REASONS[reason],
            )
            + coordinators_words(message)
            + "\n\n"
            + _("If you think this is a mistake, contact your programme coordinator."),
        )
    session.flush()
    return withdrawn


def reactivate(
    session: Session,
    person: User,
    coordinator: User,
    *,
    message: str = "",
    private_note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> None:
    """Open a deactivated account again, as it was (requests withdrawn stay withdrawn)."""
    _check(coordinator, person)
    message = clean_text(message, "message")
    private_note = clean_text(private_note, "private note")
    lock_person(session, person)
    check_version(person, expected_version, "account")
    if person.is_active:
        raise ActionRefused(_("%(name)s's account is already active.", name=person.full_name))
    now = now or utcnow()
    person.is_active = True
    person.record_version += 1
    audit.record(
        session,
        person,
        "reactivate",
        coordinator,
        from_status="deactivated",
        to_status="active",
        message=message,
        private_note=private_note,
        now=now,
    )
    with in_language_of(person):
        notify(
            session,
            person,
            _("Your MentorMatch account is open again"),
            with_link(
                _(
                    "A programme coordinator reopened your MentorMatch account; you can log "
                    "in again."
                )
                + coordinators_words(message),
                "/",
            ),
        )
    session.flush()
