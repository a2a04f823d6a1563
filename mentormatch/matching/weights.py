"""Every weight of the matching score, in one place, each with the reason for its value.

A match is scored from each side (see docs/decisions/003-harmonic-mean.md):

- the entrepreneur's side: how much of what the entrepreneur needs the member covers
  (value chains, skills, place, language, and for investment the instruments): a
  recall-like view, "does this person know my business?";
- the diaspora side: how much of what the member offers is about this entrepreneur
  (value chains, skills, places, preferred stages, and for investment the ticket and
  instruments): a precision-like view, "is this what the member really does?". Someone
  who ticks every value chain and every skill has a little of everything, so each
  entrepreneur is a small share of it; a specialist's whole offer is about them.

The harmonic mean of the two (an F-measure of recall and precision) therefore prefers
the specialist over the generalist when both cover the need (docs/decisions/012).

Each side's weights sum to 1 and every component is in [0, 1], so each side's fit is in
[0, 1]; the harmonic mean of the two is the score, also in [0, 1].
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from mentormatch.matching.records import Kind

# Partial credit for a value chain of the same group (dairy ~ poultry: livestock): someone
# in a related chain knows the inputs and markets, not the animal or the crop itself.
GROUP_CREDIT = 0.5

# Region: the same ISO 3166-2 region > the same country > the same UN M49 sub-region.
# A country tie keeps well over half the credit of a regional one, because diaspora members
# mostly know their country's institutions and markets even outside their home province;
# a neighbouring country is a quarter: language and climate, not the people.
REGION_CREDIT = MappingProxyType({"region": 1.0, "country": 0.6, "subregion": 0.25})
# A region a member wants to support in a country they do not come from: a wish, not a
# tie. It counts more than a neighbouring country, less than any compatriot.
FOREIGN_INTEREST_CREDIT = 0.4

# A member can know a few provinces of a country well; a list of ten is a wish. Each of up
# to this many regions of one country counts as home; with more, each region's credit is
# scaled down by this number over the count (never below the country's credit).
FOCUS_REGIONS = 3

# Language: the entrepreneur's languages are weighted by how much sharing them says. A
# lingua franca shared with anyone from anywhere counts half of a local language, so it
# cannot lift a stranger above a compatriot who speaks the entrepreneur's own language.
LINGUA_FRANCAS = ("eng", "fra", "ara", "spa", "por", "rus")
LINGUA_FRANCA_WEIGHT = 0.5

# Skills found in free text count less than skills ticked from the list: a keyword is
# weaker evidence than a person's own choice (docs/decisions/012).
TEXT_SKILL_CREDIT = 0.8

# Home ties first, for coaching: a member who comes from the entrepreneur's country and whose
# match is at least this good is "comparable" and is ranked
# before every member without such a tie. Below it, a compatriot's tie alone is not worth
# more than a stranger's real expertise. 0.3 is about "same group of value chains and the
# same country" for a typical profile.
HOME_TIE_MIN_SCORE = 0.3

# Scores below this are not suggestions: one side has nothing to gain.
MIN_SCORE = 1e-4

SideWeights = Mapping[str, float]

# Entrepreneur side, coaching: the chain and the skills are what coaching is about (0.35
# each); the place matters less to the entrepreneur than to the mentor (0.20); a common
# language is required anyway, so sharing more of them adds only a little (0.10).
# Diaspora side, coaching: diaspora members come to help their home area, so place weighs
# more here (0.30); chains 0.30 and skills 0.20 are the precision terms that prefer
# specialists; a preferred stage is a mild wish (0.20).
# Investment: instruments must fit the entrepreneur (0.30); for the investor the ticket is
# a hard constraint that counts fully once it holds (0.15), skills matter little.
WEIGHTS: Mapping[Kind, Mapping[str, SideWeights]] = MappingProxyType(
    {
        Kind.COACHING: MappingProxyType(
            {
                "entrepreneur": MappingProxyType(
                    {"value_chain": 0.35, "region": 0.20, "skills": 0.35, "language": 0.10}
                ),
                "diaspora": MappingProxyType(
                    {"value_chain": 0.30, "region": 0.30, "skills": 0.20, "stage": 0.20}
                ),
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
