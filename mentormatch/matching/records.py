"""Plain, frozen records the matching engine works on: no database, no web.

The web side (mentormatch.matches.adapter) builds them from the profiles; the benchmark
builds them from synthetic data. Amounts are already converted to US dollars; the amounts
as people typed them ride along, optional, only to word the reasons.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Kind(StrEnum):
    """The two kinds of introduction, each ranked on its own."""

    COACHING = "coaching"
    INVESTMENT = "investment"


STAGES = ("idea", "starting", "growing", "established")
INSTRUMENTS = ("grant", "loan", "equity", "in_kind")


@dataclass(frozen=True)
class EntrepreneurRecord:
    """What the engine knows about one entrepreneur profile."""

    id: int
    user_id: int
    active: bool
    country_code: str
    region_code: str | None
    value_chains: tuple[str, ...]
    stage: str
    skills_needed: tuple[str, ...] = ()
    skills_needed_text: str = ""
    languages: tuple[str, ...] = ()
    seeking_investment: bool = False
    investment_amount_usd: float | None = None
    investment_instruments: tuple[str, ...] = ()
    # As typed, for the reasons ("you seek NGN 7,000,000"); None means show the dollars.
    investment_amount: int | None = None
    investment_currency: str | None = None


@dataclass(frozen=True)
class DiasporaRecord:
    """What the engine knows about one diaspora profile (mentor, investor or both)."""

    id: int
    user_id: int
    active: bool
    residence_country: str
    origin_regions: tuple[str, ...]
    interest_regions: tuple[str, ...]
    value_chains: tuple[str, ...]
    skills_offered: tuple[str, ...] = ()
    skills_offered_text: str = ""
    languages: tuple[str, ...] = ()
    preferred_stages: tuple[str, ...] = ()
    offers_coaching: bool = False
    mentee_capacity: int = 0
    # Open coaching pairings right now; capacity minus this is what is left.
    current_mentees: int = 0
    offers_investment: bool = False
    ticket_min_usd: float | None = None
    ticket_max_usd: float | None = None
    investment_instruments: tuple[str, ...] = ()
    # As typed, for the reasons ("invests EUR 2,000–20,000"); None means show the dollars.
    ticket_min: int | None = None
    ticket_max: int | None = None
    ticket_currency: str | None = None

    @property
    def places(self) -> tuple[str, ...]:
        """Origin and interest regions together: both count for region fit."""
        return tuple(dict.fromkeys(self.origin_regions + self.interest_regions))


@dataclass(frozen=True)
class Taxonomy:
    """The controlled vocabularies the engine needs, as plain mappings.

    Names (places, languages) are only used to word the reasons; a missing name
    falls back to the code.
    """

    chain_group: Mapping[str, str]
    chain_labels: Mapping[str, str]
    group_labels: Mapping[str, str]
    skill_labels: Mapping[str, str]
    skill_keywords: Mapping[str, str]
    country_subregion: Mapping[str, str]
    subregion_names: Mapping[str, str] = field(default_factory=dict)
    place_names: Mapping[str, str] = field(default_factory=dict)
    language_names: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_csv(
        cls,
        directory: Path,
        place_names: Mapping[str, str] | None = None,
        language_names: Mapping[str, str] | None = None,
    ) -> Taxonomy:
        """Read value chains, skills and M49 sub-regions from seed_data/taxonomy/*.csv."""
        chains = _read(directory / "value_chains.csv")
        skills = _read(directory / "skills.csv")
        m49 = [row for row in _read(directory / "m49_subregions.csv") if row["subregion_code"]]
        return cls(
            chain_group={r["code"]: r["group_code"] for r in chains},
            # Sentences name a chain without its examples ("cereals", not "cereals: maize…").
            chain_labels={r["code"]: r["label"].partition(": ")[0] for r in chains},
            group_labels={r["group_code"]: r["group_label"] for r in chains},
            skill_labels={r["code"]: r["label"] for r in skills},
            skill_keywords={r["code"]: r.get("keywords", "") for r in skills},
            country_subregion={r["country"]: r["subregion_code"] for r in m49},
            subregion_names={r["subregion_code"]: r["subregion"] for r in m49},
            place_names=dict(place_names or {}),
            language_names=dict(language_names or {}),
        )

    def place_name(self, code: str) -> str:
        return self.place_names.get(code, code)

    def language_name(self, code: str) -> str:
        return self.language_names.get(code, code)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
