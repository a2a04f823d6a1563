"""Typed SQLAlchemy models; import them from here."""

from mentormatch.models.followup import CheckIn, CheckInRequest
from mentormatch.models.learning import MatchEvent
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
from mentormatch.models.registration import (
    AccountClaim,
    ClaimChannel,
    ConsentMethod,
    ConsentRecord,
    OutboxSms,
)
from mentormatch.models.rounds import MatchingRound, RoundStatus
from mentormatch.models.taxonomy import Skill, ValueChain, ValueChainGroup
from mentormatch.models.transfers import ExportLog, ImportJob, ImportState
from mentormatch.models.users import Role, User, normalize_email, normalize_phone

__all__ = [
    "AccountClaim",
    "ClaimChannel",
    "ConsentMethod",
    "ConsentRecord",
    "ExportLog",
    "ImportJob",
    "ImportState",
    "OutboxSms",
    "AccountEvent",
    "CAPACITY_STATES",
    "ReportState",
    "SafetyReport",
    "ChangedSide",
    "MatchingChange",
    "MatchingState",
    "OPEN_STATES",
    "CheckIn",
    "CheckInRequest",
    "MatchEvent",
    "MatchingRound",
    "RoundStatus",
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
