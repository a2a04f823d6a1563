"""The pairing workflow and its state machine; no Flask in here.

rules: the transition table. service: one function per transition. parties: who may
see and do what. locking: row locks. schedule: the expiry and reminder job. contacts:
contact reveal and feedback. queries: the lists pages show.
"""

from mentormatch.pairings.contacts import leave_feedback, reveal_contact
from mentormatch.pairings.rules import (
    ACTION_LABELS,
    REASON_LABELS,
    REASONS,
    TRANSITIONS,
    CapacityReached,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    PairingError,
    PairingMovedOn,
    PairingNotFound,
    RequestRefused,
    Who,
)
from mentormatch.pairings.schedule import expire_and_remind
from mentormatch.pairings.service import (
    Policy,
    accept,
    approve,
    close,
    complete,
    decline,
    propose_introduction,
    propose_on_behalf,
    reject,
    request_introduction,
    withdraw,
)

__all__ = [
    "ACTION_LABELS",
    "REASONS",
    "REASON_LABELS",
    "TRANSITIONS",
    "CapacityReached",
    "IllegalTransition",
    "InvalidInput",
    "NotAllowed",
    "PairingError",
    "PairingMovedOn",
    "PairingNotFound",
    "Policy",
    "RequestRefused",
    "Who",
    "accept",
    "approve",
    "close",
    "complete",
    "decline",
    "expire_and_remind",
    "leave_feedback",
    "propose_introduction",
    "propose_on_behalf",
    "reject",
    "request_introduction",
    "reveal_contact",
    "withdraw",
]
