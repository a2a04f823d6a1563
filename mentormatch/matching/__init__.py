"""The matching engine: plain records in, ranked matches with reasons out.

No Flask, no SQLAlchemy: numpy, scipy and scikit-learn only, so it can be tested,
benchmarked and replaced alone. The web side lives in mentormatch.matches.
"""

from mentormatch.matching.index import CoachingLoads, Match, MatchIndex, Ranking, TopK
from mentormatch.matching.reasons import Reason
from mentormatch.matching.records import DiasporaRecord, EntrepreneurRecord, Kind, Taxonomy

__all__ = [
    "CoachingLoads",
    "DiasporaRecord",
    "EntrepreneurRecord",
    "Kind",
    "Match",
    "MatchIndex",
    "Ranking",
    "Reason",
    "Taxonomy",
    "TopK",
]
