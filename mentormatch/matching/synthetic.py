"""Synthetic profiles at scale for the benchmark and property tests (seeded, repeatable).

Places and languages are drawn from a dozen programme countries with made-up region
codes; chains and skills from the real taxonomy; free text from the skill keywords.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from mentormatch.matching.records import (
    INSTRUMENTS,
    STAGES,
    DiasporaRecord,
    EntrepreneurRecord,
    Taxonomy,
)

# country -> (local languages, lingua franca)
COUNTRIES: dict[str, tuple[tuple[str, ...], str]] = {
    "ET": (("amh", "orm", "tir", "som"), "eng"),
    "KE": (("swa", "kik", "luo", "kam"), "eng"),
    "UG": (("lug", "swa", "nyn"), "eng"),
    "TZ": (("swa",), "eng"),
    "RW": (("kin",), "fra"),
    "NG": (("hau", "yor", "ibo", "pcm"), "eng"),
    "GH": (("aka", "ewe", "gaa"), "eng"),
    "SN": (("wol", "fuc", "srr"), "fra"),
    "ML": (("bam", "fuc"), "fra"),
    "MA": (("ary", "zgh"), "fra"),
    "GT": (("quc", "cak", "mam"), "spa"),
    "PH": (("ceb", "ilo", "tgl"), "eng"),
}
RESIDENCES = ("US", "FR", "GB", "DE", "IT", "CA", "AE", "SA", "ES", "NL", "BE", "SE")
REGIONS_PER_COUNTRY = 14
FILLER = ("we need help with", "looking for support on", "our problem is", "want to improve")


def _pick(rng: np.random.Generator, items: Sequence[str], low: int, high: int) -> tuple[str, ...]:
    n = int(rng.integers(low, high + 1))
    chosen = rng.choice(len(items), size=min(n, len(items)), replace=False)
    return tuple(items[i] for i in sorted(chosen))


def _text(rng: np.random.Generator, skills: tuple[str, ...], taxonomy: Taxonomy) -> str:
    phrases = []
    for code in skills:
        words = [w.strip() for w in taxonomy.skill_keywords.get(code, "").split(";") if w.strip()]
        if words:
            phrases.append(str(rng.choice(words)))
    return f"{rng.choice(FILLER)} {', '.join(phrases)}" if phrases else ""


def _region(
    rng: np.random.Generator, country: str, regions: Mapping[str, Sequence[str]] | None = None
) -> str:
    """A region of the country: one of `regions[country]` when given (real ISO codes),
    else a made-up code."""
    if regions and regions.get(country):
        choices = regions[country][:REGIONS_PER_COUNTRY]
        return choices[int(rng.integers(len(choices)))]
    return f"{country}-{int(rng.integers(1, REGIONS_PER_COUNTRY + 1)):02d}"


def _country(rng: np.random.Generator) -> tuple[str, tuple[str, ...], str]:
    """A programme country with its local languages and its lingua franca."""
    countries = list(COUNTRIES)
    country = countries[int(rng.integers(len(countries)))]
    local, franca = COUNTRIES[country]
    return country, local, franca


def entrepreneurs(
    n: int,
    taxonomy: Taxonomy,
    seed: int = 1,
    start_id: int = 1,
    regions: Mapping[str, Sequence[str]] | None = None,
) -> list[EntrepreneurRecord]:
    """`n` entrepreneurs with ids from `start_id` (regions: see _region)."""
    rng = np.random.default_rng(seed)
    chains, skills = list(taxonomy.chain_labels), list(taxonomy.skill_labels)
    out = []
    for i in range(n):
        country, local, franca = _country(rng)
        needs = _pick(rng, skills, 1, 4)
        seeking = bool(rng.random() < 0.4)
        out.append(
            EntrepreneurRecord(
                id=start_id + i,
                user_id=start_id + i,
                active=bool(rng.random() < 0.97),
                country_code=country,
                region_code=_region(rng, country, regions),
                value_chains=_pick(rng, chains, 1, 2),
                stage=STAGES[int(rng.integers(len(STAGES)))],
                skills_needed=needs[:-1] if rng.random() < 0.5 else needs,
                skills_needed_text=_text(rng, needs, taxonomy),
                languages=_pick(rng, local, 1, 2) + ((franca,) if rng.random() < 0.7 else ()),
                seeking_investment=seeking,
                investment_amount_usd=float(np.round(10 ** rng.uniform(2.5, 5.0), -2))
                if seeking
                else None,
                investment_instruments=_pick(rng, INSTRUMENTS, 1, 2) if seeking else (),
            )
        )
    return out


def diaspora(
    n: int,
    taxonomy: Taxonomy,
    seed: int = 2,
    start_id: int = 1,
    regions: Mapping[str, Sequence[str]] | None = None,
) -> list[DiasporaRecord]:
    """`n` diaspora members with ids from `start_id`; about 70 % mentor, 40 % invest."""
    rng = np.random.default_rng(seed)
    chains, skills = list(taxonomy.chain_labels), list(taxonomy.skill_labels)
    out = []
    for i in range(n):
        country, local, franca = _country(rng)
        origin = (_region(rng, country, regions),)
        interest = tuple({_region(rng, country, regions) for _ in range(int(rng.integers(0, 3)))})
        offers = _pick(rng, skills, 2, 5)
        investing = bool(rng.random() < 0.4)
        low = float(np.round(10 ** rng.uniform(2.5, 4.0), -2)) if investing else None
        out.append(
            DiasporaRecord(
                id=start_id + i,
                user_id=1_000_000 + start_id + i,
                active=bool(rng.random() < 0.97),
                residence_country=RESIDENCES[int(rng.integers(len(RESIDENCES)))],
                origin_regions=origin,
                interest_regions=tuple(sorted(interest)),
                value_chains=_pick(rng, chains, 1, 3),
                skills_offered=offers,
                skills_offered_text=_text(rng, offers, taxonomy),
                languages=_pick(rng, local, 1, 2)
                + (franca,)
                + (("eng",) if rng.random() < 0.5 else ()),
                preferred_stages=_pick(rng, STAGES, 1, 3) if rng.random() < 0.5 else (),
                offers_coaching=bool(rng.random() < 0.7 or not investing),
                mentee_capacity=int(rng.integers(1, 6)),
                current_mentees=int(rng.integers(0, 3)),
                offers_investment=investing,
                ticket_min_usd=low,
                ticket_max_usd=low * float(10 ** rng.uniform(0.5, 1.5)) if low else None,
                investment_instruments=_pick(rng, INSTRUMENTS, 1, 3) if investing else (),
            )
        )
    return out
