"""Typed SQLAlchemy models; import them from here."""

from mentormatch.models.matching import ChangedSide, MatchingChange, MatchingState
from mentormatch.models.money import ExchangeRate
from mentormatch.models.pairings import (
    CAPACITY_STATES,
    OPEN_STATES,
    ContactView,
    Feedback,
    Notification,
    OutboxEmail,
    OutboxStatus,
    Pairing,
    PairingEvent,
    PairingKind,
    PairingState,
)
from mentormatch.models.people import AccountEvent, ReportState, SafetyReport
from mentormatch.models.profiles import (
    DiasporaProfile,
    EntrepreneurProfile,
    Instrument,
    RegionSource,
    ReviewStatus,
    Stage,
)
from mentormatch.models.taxonomy import Skill, ValueChain, ValueChainGroup
from mentormatch.models.users import Role, User, normalize_email, normalize_phone

__all__ = [
    "AccountEvent",
    "CAPACITY_STATES",
    "ReportState",
    "SafetyReport",
    "ChangedSide",
    "MatchingChange",
    "MatchingState",
    "OPEN_STATES",
    "ContactView",
    "Feedback",
    "Notification",
    "OutboxEmail",
    "OutboxStatus",
    "Pairing",
    "PairingEvent",
    "PairingKind",
    "PairingState",
    "DiasporaProfile",
    "EntrepreneurProfile",
    "ExchangeRate",
    "Instrument",
    "RegionSource",
    "ReviewStatus",
    "Role",
    "Skill",
    "Stage",
    "User",
    "ValueChain",
    "ValueChainGroup",
    "normalize_email",
    "normalize_phone",
]
