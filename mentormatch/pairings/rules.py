"""The pairing state machine as data: one transition table, the reasons, the errors.

Pages, the CLI and the API read these; nothing else decides what may happen.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from mentormatch.models import PairingState

S = PairingState


class Who(enum.StrEnum):
    """Who may make a transition, relative to the pairing."""

    COUNTERPART = "counterpart"  # the side that was asked
    REQUESTER = "requester"  # the side that asked
    COORDINATOR = "coordinator"  # a coordinator (or an admin acting as one)
    PARTY = "party"  # either of the two people introduced
    PARTY_OR_COORDINATOR = "party_or_coordinator"
    SYSTEM = "system"  # expiry from `flask pairings tick`, withdrawals caused by an approval


@dataclass(frozen=True)
class Transition:
    from_state: PairingState
    action: str
    to_state: PairingState
    who: Who


# The whole state machine. `expire` and `auto_withdraw` are made by the system only.
# A coordinator's proposal (a matching round) waits for both sides: the first to agree
# turns it into a request from their side, which the other side answers as usual.
TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.PROPOSED, "agree", S.REQUESTED, Who.PARTY),
    Transition(S.PROPOSED, "decline_proposal", S.DECLINED, Who.PARTY),
    Transition(S.PROPOSED, "expire", S.WITHDRAWN, Who.SYSTEM),
    Transition(S.PROPOSED, "auto_withdraw", S.WITHDRAWN, Who.SYSTEM),
    Transition(S.REQUESTED, "accept", S.ACCEPTED, Who.COUNTERPART),
    Transition(S.REQUESTED, "decline", S.DECLINED, Who.COUNTERPART),
    Transition(S.REQUESTED, "withdraw", S.WITHDRAWN, Who.REQUESTER),
    Transition(S.ACCEPTED, "withdraw", S.WITHDRAWN, Who.REQUESTER),
    Transition(S.ACCEPTED, "approve", S.APPROVED, Who.COORDINATOR),
    Transition(S.ACCEPTED, "reject", S.REJECTED, Who.COORDINATOR),
    Transition(S.APPROVED, "complete", S.COMPLETED, Who.PARTY_OR_COORDINATOR),
    Transition(S.APPROVED, "close", S.CLOSED, Who.PARTY_OR_COORDINATOR),
    Transition(S.REQUESTED, "expire", S.WITHDRAWN, Who.SYSTEM),
    Transition(S.REQUESTED, "auto_withdraw", S.WITHDRAWN, Who.SYSTEM),
    Transition(S.ACCEPTED, "auto_withdraw", S.WITHDRAWN, Who.SYSTEM),
)

TRANSITION_BY_KEY: dict[tuple[PairingState, str], Transition] = {
    (t.from_state, t.action): t for t in TRANSITIONS
}
WHO_BY_ACTION: dict[str, Who] = {t.action: t.who for t in TRANSITIONS}
ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(t.action for t in TRANSITIONS))

# Actions that create a pairing (not moves between states, so not in TRANSITIONS).
CREATING_ACTIONS = ("request", "propose")

ACTION_LABELS: dict[str, str] = {
    "propose": _l("Proposed by a coordinator"),
    "agree": _l("Agreed to the proposal"),
    "decline_proposal": _l("Declined the proposal"),
    "request": _l("Requested"),
    "accept": _l("Accepted"),
    "decline": _l("Declined"),
    "withdraw": _l("Withdrawn"),
    "approve": _l("Approved"),
    "reject": _l("Rejected"),
    "complete": _l("Completed"),
    "close": _l("Closed"),
    "expire": _l("Expired (no answer in time)"),
    "auto_withdraw": _l("Withdrawn automatically"),
}

# One word per state, for the history ("requested → accepted"); PairingState.label is the
# longer phrase for badges.
STATE_WORDS: dict[str, str] = {
    "proposed": _l("proposed"),
    "requested": _l("requested"),
    "accepted": _l("accepted"),
    "approved": _l("approved"),
    "completed": _l("completed"),
    "declined": _l("declined"),
    "rejected": _l("rejected"),
    "withdrawn": _l("withdrawn"),
    "closed": _l("closed"),
}

# Pending requests count against the per-person limit; an approved pairing does not.
PENDING_STATES = (S.PROPOSED, S.REQUESTED, S.ACCEPTED)
# Contact details show only while an introduction is live or done; closing hides them.
CONTACT_STATES = (S.APPROVED, S.COMPLETED)
# Feedback is possible once an introduction was approved, whatever happened after.
FEEDBACK_STATES = (S.APPROVED, S.COMPLETED, S.CLOSED)

# Reasons from a fixed list per action, so coordinators can count why pairings fail.
_DECLINE_REASONS: dict[str, str] = {
    "no_time": _l("I do not have time right now"),
    "outside_expertise": _l("This is outside what I know"),
    "not_my_region": _l("I cannot help in this region"),
    "language": _l("We do not share a working language"),
    "other": _l("Another reason"),
}
REASONS: dict[str, dict[str, str]] = {
    "decline": _DECLINE_REASONS,
    "decline_proposal": _DECLINE_REASONS,
    # Completing says what came of it: the outcome programmes report.
    "complete": {
        "goals_met": _l("We reached what we set out to do"),
        "partly_met": _l("We reached part of it"),
        "not_met": _l("It did not lead to a change"),
        "other_outcome": _l("Another outcome"),
    },
    "withdraw": {
        "found_help": _l("I found help elsewhere"),
        "no_longer_needed": _l("I no longer need this introduction"),
        "no_answer": _l("The answer took too long"),
        "other": _l("Another reason"),
    },
    "reject": {
        "poor_fit": _l("The match is not a good fit"),
        "profile_incomplete": _l("A profile needs more information first"),
        "capacity": _l("The mentor or investor is fully committed"),
        "programme_rules": _l("Outside the programme's rules"),
        "other": _l("Another reason"),
    },
    "close": {
        "no_contact": _l("We could not get in touch"),
        "not_working": _l("The introduction is not working"),
        "conduct": _l("Inappropriate conduct"),
        "left_programme": _l("Someone left the programme"),
        "other": _l("Another reason"),
    },
    "expire": {"expired": _l("Nobody answered in time")},
    "auto_withdraw": {
        "matched_elsewhere": _l("The entrepreneur's coaching was approved with someone else"),
        "mentor_full": _l("The mentor has no place left for another entrepreneur"),
        "offer_withdrawn": _l("The mentor or investor no longer offers this kind of help"),
        "account_closed": _l("One of the two no longer takes part in the programme"),
    },
}
REASON_LABELS: dict[str, str] = {
    code: label for reasons in REASONS.values() for code, label in reasons.items()
}


class PairingError(Exception):
    """A pairing action that is refused; the message says why, for a person to read."""

    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PairingNotFound(PairingError):
    status = 404


class NotAllowed(PairingError):
    status = 403


class IllegalTransition(PairingError):
    status = 409


class PairingMovedOn(PairingError):
    """The page was stale, or the same button was pressed twice."""

    status = 409


class CapacityReached(PairingError):
    status = 409


class RequestRefused(PairingError):
    """A new request breaks a rule (duplicate, limit, the other side offers no such help)."""

    status = 409


class InvalidInput(PairingError):
    status = 400
