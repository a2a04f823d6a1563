"""Every weight of the matching score, in one place.

A match is scored from each side (see docs/decisions/003-harmonic-mean.md):

- the entrepreneur's side: how well the diaspora member's offer meets the
  entrepreneur's needs (value chain, region, skills, language, and for investment the
  instruments);
- the diaspora side: how well the entrepreneur fits the diaspora member's stated
  interests (value chains, regions, preferred stages, and for investment the ticket and
  instruments).

Each side's weights sum to 1 and every component is in [0, 1], so each side's fit is in
[0, 1]; the harmonic mean of the two is the score, also in [0, 1].
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from mentormatch.matching.records import Kind

# Partial credit for a value chain of the same group (dairy ~ poultry: livestock).
GROUP_CREDIT = 0.5

# Region: the same ISO 3166-2 region > the same country > the same UN M49 sub-region.
REGION_CREDIT = MappingProxyType({"region": 1.0, "country": 0.6, "subregion": 0.25})

# Skills found in free text count less than skills ticked from the controlled list.
TEXT_SKILL_CREDIT = 0.8
# TF-IDF cosine between a text and a skill's keywords at which the skill counts fully,
# and below which it does not count at all.
TEXT_SKILL_FULL = 0.45
TEXT_SKILL_MIN = 0.12

# Scores below this are not suggestions: one side has nothing to gain.
MIN_SCORE = 1e-4

SideWeights = Mapping[str, float]

WEIGHTS: Mapping[Kind, Mapping[str, SideWeights]] = MappingProxyType(
    {
        Kind.COACHING: MappingProxyType(
            {
                "entrepreneur": MappingProxyType(
                    {"value_chain": 0.35, "region": 0.20, "skills": 0.35, "language": 0.10}
                ),
                "diaspora": MappingProxyType({"value_chain": 0.45, "region": 0.35, "stage": 0.20}),
            }
        ),
        Kind.INVESTMENT: MappingProxyType(
            {
                "entrepreneur": MappingProxyType(
                    {
                        "value_chain": 0.30,
                        "region": 0.20,
                        "instruments": 0.30,
                        "skills": 0.10,
                        "language": 0.10,
                    }
                ),
                "diaspora": MappingProxyType(
                    {
                        "value_chain": 0.35,
                        "region": 0.25,
                        "stage": 0.10,
                        "ticket": 0.15,
                        "instruments": 0.15,
                    }
                ),
            }
        ),
    }
)
