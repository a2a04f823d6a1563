"""Profile vetting: finished profiles are sent for review, and coordinators decide.

Self-registered profiles start `pending` and are seen by nobody but their owner and the
coordinators (people/visibility.py) until a coordinator approves them. A finished profile
is *sent* for review (`submitted_at`, the queue's order). A coordinator approves it, asks
for changes with a message the person sees (their next save sends it again), or rejects
it; an approved profile can be suspended while a report is looked into, and reinstated.
A diaspora member who starts offering investment is vetted again: investors always are.
Every decision is a line of the person's trail (people/audit.py) with a message to them
and a private note; imported and coordinator-registered profiles start with the status
their registrar chose (`record_initial_status`). See docs/decisions/016.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.i18n import in_language_of
from mentormatch.models import (
    DiasporaProfile,
    EntrepreneurProfile,
    Pairing,
    PairingState,
    ReviewStatus,
    SafetyReport,
    User,
)
from mentormatch.notifications import coordinators_words, notify, with_link
from mentormatch.pairings.locking import lock_row
from mentormatch.pairings.parties import is_coordinator
from mentormatch.pairings.service import clean_text, withdraw_unapprovable
from mentormatch.people import audit
from mentormatch.people.errors import ActionRefused, InvalidInput, MovedOn, NotAllowed

R = ReviewStatus
Profile = EntrepreneurProfile | DiasporaProfile


@dataclass(frozen=True)
class Decision:
    """A coordinator's decision on a profile: from which statuses, to which, its words."""

    action: str
    from_statuses: tuple[ReviewStatus, ...]
    to_status: ReviewStatus
    # Lazy texts: read in the language of whoever is reading (the page, or the person told).
    button: LazyString
    # The subject and first lines of what the person is told.
    subject: LazyString
    told: LazyString


DECISIONS: dict[str, Decision] = {
    d.action: d
    for d in (
        Decision(
            "approve",
            (R.PENDING, R.CHANGES_REQUESTED, R.REJECTED),
            R.APPROVED,
            _l("Approve profile"),
            _l("Your profile is approved"),
            _l(
                "A programme coordinator approved your profile: you now appear in others' "
                "suggestions and can ask for introductions."
            ),
        ),
        Decision(
            "request_changes",
            (R.PENDING,),
            R.CHANGES_REQUESTED,
            _l("Ask for changes"),
            _l("Please change your profile"),
            _l(
                "A programme coordinator asks you to change your profile before it is "
                "approved. Once you save it, it is sent for review again."
            ),
        ),
        Decision(
            "reject",
            (R.PENDING, R.CHANGES_REQUESTED),
            R.REJECTED,
            _l("Reject profile"),
            _l("Your profile was not accepted"),
            _l("A programme coordinator did not accept your profile for this programme."),
        ),
        Decision(
            "suspend",
            (R.APPROVED, R.PENDING, R.CHANGES_REQUESTED),
            R.SUSPENDED,
            _l("Suspend profile"),
            _l("Your profile is suspended"),
            _l(
                "A programme coordinator suspended your profile while they look into a "
                "problem: it is hidden from others for now."
            ),
        ),
        Decision(
            "reinstate",
            (R.SUSPENDED,),
            R.APPROVED,
            _l("Lift the suspension"),
            _l("Your profile is visible again"),
            _l(
                "A programme coordinator lifted the suspension of your profile: others can "
                "see it again."
            ),
        ),
    )
}

# Self-registered profiles wait for a coordinator; investors always do.
NEW_PROFILE_STATUS = R.PENDING


def profile_of(user: User) -> Profile | None:
    """The person's profile (entrepreneur or diaspora), if they have one."""
    return user.entrepreneur_profile or user.diaspora_profile


def standing(user: User) -> str:
    """Where a person stands, in a few words: their account, else their profile's review."""
    if not user.is_active:
        return _("Account deactivated")
    profile = profile_of(user)
    if profile is None:
        return (
            _("No profile yet") if user.role.value in ("entrepreneur", "diaspora") else _("Active")
        )
    if profile.review_status is R.PENDING and profile.submitted_at is None:
        return _("Profile not finished")
    return profile.review_status.label


def decisions_for(profile: Profile | None) -> list[Decision]:
    """The decisions a coordinator can take on this profile now (to draw the buttons)."""
    if profile is None:
        return []
    found = [d for d in DECISIONS.values() if profile.review_status in d.from_statuses]
    if profile.submitted_at is None:
        # An unfinished profile can be suspended (and reinstated), but not judged.
        found = [d for d in found if d.action in ("suspend", "reinstate")]
    return found


def check_version(user: User, expected_version: int | None, what: str) -> None:
    """MovedOn unless the page showed the person's current record version; `what` is
    "profile" or "account", the thing the page was about."""
    if expected_version is not None and expected_version != user.record_version:
        if what == "account":
            message = _(
                "%(name)s's account changed while you were looking at it. Nothing was "
                "changed; reload the page to see it as it is now.",
                name=user.full_name,
            )
        else:
            message = _(
                "%(name)s's profile changed while you were looking at it. Nothing was "
                "changed; reload the page to see it as it is now.",
                name=user.full_name,
            )
        raise MovedOn(message)


def lock_person(session: Session, user: User) -> None:
    """Hold the person's row until commit and re-read it, so two coordinators' decisions
    (or two clicks) are made one after the other, each on what the other left."""
    lock_row(session, User, user.id)
    session.refresh(user)


def decide(
    session: Session,
    profile: Profile,
    coordinator: User,
    action: str,
    *,
    message: str = "",
    private_note: str = "",
    expected_version: int | None = None,
    report: SafetyReport | None = None,
    now: datetime | None = None,
) -> ReviewStatus:
    """Make a coordinator's decision on a profile, tell the person, and audit it.

    `message` is shown to the person (required when asking for changes); `private_note`
    only to coordinators. Refusals (ActionRefused) change nothing.
    """
    decision = DECISIONS.get(action)
    if decision is None:
        raise NotAllowed(_("That is not a decision coordinators can take on a profile."))
    if not is_coordinator(coordinator):
        raise NotAllowed(_("Only a programme coordinator can decide on profiles."))
    person = profile.user
    lock_person(session, person)
    session.refresh(profile)
    check_version(person, expected_version, "profile")
    before = profile.review_status
    if before not in decision.from_statuses or decision not in decisions_for(profile):
        if profile.submitted_at is None:
            refusal = _(
                "This profile is “%(status)s” and unfinished: “%(action)s” is not possible. "
                "Nothing was changed.",
                status=before.label,
                action=decision.button,
            )
        else:
            refusal = _(
                "This profile is “%(status)s”: “%(action)s” is not possible. Nothing was changed.",
                status=before.label,
                action=decision.button,
            )
        raise ActionRefused(refusal)
    message = clean_text(message, "message")
    private_note = clean_text(private_note, "private note")
    if action == "request_changes" and not message:
        raise InvalidInput(_("Say what should change: the person reads this message."))
    now = now or utcnow()
    profile.review_status = decision.to_status
    person.record_version += 1
    audit.record(
        session,
        person,
        action,
        coordinator,
        from_status=before.value,
        to_status=decision.to_status.value,
        message=message,
        private_note=private_note,
        report=report,
        now=now,
    )
    with in_language_of(person):
        notify(
            session,
            person,
            str(decision.subject),
            with_link(str(decision.told) + coordinators_words(message), "/profile"),
        )
    session.flush()
    return decision.to_status


def record_initial_status(
    session: Session,
    profile: Profile,
    status: ReviewStatus,
    registrar: User | None,
    now: datetime | None = None,
) -> None:
    """Give a profile someone else registered (an import, a coordinator) the status its
    registrar chose, counted as sent for review, with a line in the person's trail."""
    now = now or utcnow()
    profile.review_status = status
    profile.submitted_at = now
    audit.record(session, profile.user, "registered", registrar, to_status=status.value, now=now)


def profile_saved(
    session: Session,
    profile: Profile,
    owner: User,
    complete: bool,
    *,
    offered_investment: bool = False,
    now: datetime | None = None,
) -> None:
    """What saving a step means for the review (the wizard calls this before flushing).

    A profile finished for the first time is sent for review; one the coordinator asked to
    change is sent again; an approved member who starts offering investment (they did not
    before the save: `offered_investment`) is vetted again. Any change while under review
    makes a coordinator's open page stale. Accepted introductions the change makes
    impossible (fewer places, an offer withdrawn) leave the approval queue with the reason.
    """
    now = now or utcnow()
    status = profile.review_status
    starts_investing = (
        isinstance(profile, DiasporaProfile)
        and profile.offers_investment
        and not offered_investment
    )
    if status is R.APPROVED and starts_investing:
        profile.review_status = R.PENDING
        profile.submitted_at = now
        owner.record_version += 1
        audit.record(
            session,
            owner,
            "submit",
            owner,
            from_status=status.value,
            to_status=R.PENDING.value,
            reason="offers_investment",
            now=now,
        )
    elif status in (R.PENDING, R.CHANGES_REQUESTED) and complete:
        again = status is R.CHANGES_REQUESTED
        if again or profile.submitted_at is None:
            profile.review_status = NEW_PROFILE_STATUS
            profile.submitted_at = now
            audit.record(
                session,
                owner,
                "resubmit" if again else "submit",
                owner,
                from_status=status.value,
                to_status=NEW_PROFILE_STATUS.value,
                now=now,
            )
        owner.record_version += 1
    if isinstance(profile, DiasporaProfile) and profile.id is not None:
        session.flush()  # the locks below re-read the mentor's row: write the change first
        withdraw_unapprovable(session, _waiting_for_approval(session, profile), owner, now)


def _waiting_for_approval(session: Session, mentor: DiasporaProfile) -> Sequence[Pairing]:
    return session.scalars(
        select(Pairing).where(
            Pairing.diaspora_id == mentor.id, Pairing.state == PairingState.ACCEPTED
        )
    ).all()
