"""Feature blocks built with scikit-learn vectorizers, one row per profile.

Low-cardinality blocks (value chains, groups, skills, languages, stages, instruments)
become small dense float32 matrices so that scoring a block of pairs is one BLAS
product; places (thousands of ISO 3166-2 codes) go through sparse products once, at
fit time, into a table of region credit per entrepreneur place and diaspora member.

Sets come twice: as 0/1 rows and as shares (rows scaled to sum to 1). A share on one
side times 0/1 on the other is the share of that side's items the other covers: the
entrepreneur's share times the member's 0/1 is recall ("how much of what I do do they
know?"), the member's share times the entrepreneur's 0/1 is precision ("how much of
what they do is about me?"); see weights.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.preprocessing import MultiLabelBinarizer, normalize

from mentormatch.matching import weights as W
from mentormatch.matching.records import (
    INSTRUMENTS,
    STAGES,
    DiasporaRecord,
    EntrepreneurRecord,
    Taxonomy,
)
from mentormatch.matching.text import SkillText

Matrix = NDArray[np.float32]


@lru_cache(maxsize=64)
def _binarizer(classes: tuple[str, ...]) -> tuple[MultiLabelBinarizer, frozenset[str]]:
    """A binarizer fitted to `classes`, and the classes as a set."""
    binarizer = MultiLabelBinarizer(classes=list(classes), sparse_output=True)
    return binarizer.fit([]), frozenset(classes)


def multi_hot(values: Iterable[Iterable[str]], classes: Sequence[str]) -> sp.csr_matrix:
    """Sets of codes as a sparse 0/1 matrix over fixed classes; unknown codes are ignored."""
    # Fitted once per list of classes: fitting checks its parameters each time, which cost
    # more than the transform itself when an overlay of a few people is built every second.
    binarizer, known = _binarizer(tuple(classes))
    rows = [[v for v in row if v in known] for row in values]
    return sp.csr_matrix(binarizer.transform(rows), dtype=np.float32)


def dense(matrix: sp.spmatrix) -> Matrix:
    """A sparse matrix as a dense float32 array."""
    return np.asarray(matrix.toarray(), dtype=np.float32)


def share(matrix: sp.spmatrix | Matrix) -> Matrix:
    """Rows scaled to sum to 1, so a product with a 0/1 row is the share covered."""
    if 0 in matrix.shape:  # nobody at all, or no classes (nobody gave a language, say)
        return dense(sp.csr_matrix(matrix))
    return dense(normalize(sp.csr_matrix(matrix), norm="l1"))


def ones_if_empty(matrix: Matrix) -> Matrix:
    """An empty preference means 'any': a row of zeros becomes a row of ones."""
    empty = matrix.sum(axis=1) == 0
    matrix[empty] = 1.0
    return matrix


def country_of(place: str) -> str:
    """The country code of a country or ISO 3166-2 region code."""
    return place.split("-", 1)[0]


@dataclass
class EntrepreneurFeatures:
    """Entrepreneur blocks, rows in the order of `ids` (ascending)."""

    ids: NDArray[np.int64]
    active: NDArray[np.bool_]
    seeking: NDArray[np.bool_]
    amount: NDArray[np.float64]  # NaN when not given
    chains: Matrix  # 0/1
    chain_share: Matrix  # share of the entrepreneur's chains
    groups: Matrix  # 0/1
    group_share: Matrix
    need_raw: Matrix  # need per skill in [0, 1] (ticked 1, from text TEXT_SKILL_CREDIT)
    needs: Matrix  # share of need per skill
    languages: Matrix  # 0/1
    language_share: Matrix  # weighted share: a lingua franca counts less (weights.py)
    stage: Matrix  # one-hot
    instruments: Matrix  # share; all instruments when none given
    place: NDArray[np.int64]  # row of the region table


@dataclass
class DiasporaFeatures:
    """Diaspora blocks, rows in the order of `ids` (ascending)."""

    ids: NDArray[np.int64]
    active: NDArray[np.bool_]
    coaching: NDArray[np.bool_]
    capacity: NDArray[np.int64]
    current: NDArray[np.int64]
    investing: NDArray[np.bool_]
    ticket_min: NDArray[np.float64]
    ticket_max: NDArray[np.float64]
    chains: Matrix  # 0/1
    chain_share: Matrix  # share of the member's chains
    groups: Matrix  # 0/1
    group_share: Matrix
    offers: Matrix  # offer per skill in [0, 1]
    offer_share: Matrix  # share of the member's offer per skill
    languages: Matrix
    stages: Matrix  # 0/1; all stages when no preference
    instruments: Matrix  # 0/1; all when none given


@dataclass
class Vocabulary:
    chains: list[str]
    groups: list[str]
    skills: list[str]
    languages: list[str]
    places: list[str]  # entrepreneur place keys: region code, or country when no region


def vocabulary(
    entrepreneurs: Sequence[EntrepreneurRecord],
    diaspora: Sequence[DiasporaRecord],
    taxonomy: Taxonomy,
) -> Vocabulary:
    """The classes of every block, fixed at fit time. Languages of both sides, so that a
    later change to one profile (an overlay, see MatchIndex.updated) rarely needs a new one."""
    languages = sorted(
        {c for e in entrepreneurs for c in e.languages} | {c for d in diaspora for c in d.languages}
    )
    places = sorted({place_key(e) for e in entrepreneurs})
    return Vocabulary(
        chains=list(taxonomy.chain_labels),
        groups=list(taxonomy.group_labels),
        skills=list(taxonomy.skill_labels),
        languages=languages,
        places=places,
    )


def place_key(e: EntrepreneurRecord) -> str:
    """Where an entrepreneur works: the region when known, else the country."""
    return e.region_code or e.country_code


def groups_of(chains: Iterable[str], taxonomy: Taxonomy) -> list[str]:
    """The value-chain groups of some value chains, sorted, without repeats."""
    return sorted({taxonomy.chain_group[c] for c in chains if c in taxonomy.chain_group})


def language_weights(languages: Sequence[str]) -> Matrix:
    """How much sharing each language says: a lingua franca less than a local language."""
    return np.array(
        [W.LINGUA_FRANCA_WEIGHT if code in W.LINGUA_FRANCAS else 1.0 for code in languages],
        dtype=np.float32,
    )


def text_skills(
    text: SkillText, texts: Sequence[str], languages: Sequence[Sequence[str]]
) -> Matrix:
    """Per text and skill, the credit its words earn (TEXT_SKILL_CREDIT or 0)."""
    return text.credit(texts, languages, value=W.TEXT_SKILL_CREDIT)


def entrepreneur_features(
    records: Sequence[EntrepreneurRecord], vocab: Vocabulary, taxonomy: Taxonomy, text: SkillText
) -> EntrepreneurFeatures:
    """Blocks for entrepreneurs (records already sorted by id)."""
    chains = multi_hot((e.value_chains for e in records), vocab.chains)
    groups = multi_hot((groups_of(e.value_chains, taxonomy) for e in records), vocab.groups)
    ticked = dense(multi_hot((e.skills_needed for e in records), vocab.skills))
    from_text = text_skills(
        text, [e.skills_needed_text for e in records], [e.languages for e in records]
    )
    need_raw = np.maximum(ticked, from_text)
    languages = multi_hot((e.languages for e in records), vocab.languages)
    weighted_languages = languages.multiply(language_weights(vocab.languages)[None, :])
    place_index = {p: i for i, p in enumerate(vocab.places)}
    instruments = ones_if_empty(
        dense(multi_hot((e.investment_instruments for e in records), INSTRUMENTS))
    )
    return EntrepreneurFeatures(
        ids=np.array([e.id for e in records], dtype=np.int64),
        active=np.array([e.active for e in records], dtype=bool),
        seeking=np.array([e.seeking_investment for e in records], dtype=bool),
        amount=np.array(
            [
                np.nan if e.investment_amount_usd is None else e.investment_amount_usd
                for e in records
            ],
            dtype=np.float64,
        ),
        chains=dense(chains),
        chain_share=share(chains),
        groups=dense(groups),
        group_share=share(groups),
        need_raw=need_raw,
        needs=share(need_raw),
        languages=dense(languages),
        language_share=share(weighted_languages),
        stage=dense(multi_hot(((e.stage,) for e in records), STAGES)),
        instruments=instruments / instruments.sum(axis=1, keepdims=True),
        place=np.array([place_index[place_key(e)] for e in records], dtype=np.int64),
    )


def diaspora_features(
    records: Sequence[DiasporaRecord], vocab: Vocabulary, taxonomy: Taxonomy, text: SkillText
) -> DiasporaFeatures:
    """Blocks for diaspora members (records already sorted by id)."""
    ticked = dense(multi_hot((d.skills_offered for d in records), vocab.skills))
    from_text = text_skills(
        text, [d.skills_offered_text for d in records], [d.languages for d in records]
    )
    offers = np.maximum(ticked, from_text)
    chains = multi_hot((d.value_chains for d in records), vocab.chains)
    groups = multi_hot((groups_of(d.value_chains, taxonomy) for d in records), vocab.groups)
    return DiasporaFeatures(
        ids=np.array([d.id for d in records], dtype=np.int64),
        active=np.array([d.active for d in records], dtype=bool),
        coaching=np.array([d.offers_coaching for d in records], dtype=bool),
        capacity=np.array([d.mentee_capacity for d in records], dtype=np.int64),
        current=np.array([d.current_mentees for d in records], dtype=np.int64),
        investing=np.array([d.offers_investment for d in records], dtype=bool),
        ticket_min=np.array([d.ticket_min_usd or 0.0 for d in records], dtype=np.float64),
        ticket_max=np.array(
            [np.inf if d.ticket_max_usd is None else d.ticket_max_usd for d in records],
            dtype=np.float64,
        ),
        chains=dense(chains),
        chain_share=share(chains),
        groups=dense(groups),
        group_share=share(groups),
        offers=offers,
        offer_share=share(offers),
        languages=dense(multi_hot((d.languages for d in records), vocab.languages)),
        stages=ones_if_empty(dense(multi_hot((d.preferred_stages for d in records), STAGES))),
        instruments=ones_if_empty(
            dense(multi_hot((d.investment_instruments for d in records), INSTRUMENTS))
        ),
    )


class MemberPlaces(Protocol):
    """Where a diaspora member comes from and wants to help: all region_table reads."""

    @property
    def origin_regions(self) -> tuple[str, ...]: ...

    @property
    def interest_regions(self) -> tuple[str, ...]: ...

    @property
    def places(self) -> tuple[str, ...]: ...


def home_countries(d: MemberPlaces) -> set[str]:
    """The countries a member comes from (their origin regions' countries)."""
    return {country_of(p) for p in d.origin_regions}


def region_table(
    places: Sequence[str], diaspora: Sequence[MemberPlaces], taxonomy: Taxonomy
) -> Matrix:
    """Region credit of each entrepreneur place (rows) for each diaspora member (columns).

    Sparse products, one per level, combined with max: the same region beats the same
    country beats the same M49 sub-region. A member's home is where they come from: their
    origin regions, the other regions of those countries they want to support, and those
    countries. A region they want to support in a country they do not come from is a wish,
    not a tie: it earns FOREIGN_INTEREST_CREDIT, below any compatriot.
    """
    sub = taxonomy.country_subregion
    homes = [home_countries(d) for d in diaspora]
    d_regions = [
        [p for p in d.places if "-" in p and country_of(p) in home]
        for d, home in zip(diaspora, homes, strict=True)
    ]
    d_foreign = [
        [p for p in d.interest_regions if "-" in p and country_of(p) not in home]
        for d, home in zip(diaspora, homes, strict=True)
    ]
    d_countries = [sorted(home) for home in homes]
    d_subs = [
        sorted({sub[c] for c in {*home, *map(country_of, far)} if c in sub})
        for home, far in zip(homes, d_foreign, strict=True)
    ]
    region_classes = sorted(
        {p for ps in (*d_regions, *d_foreign) for p in ps} | {p for p in places if "-" in p}
    )
    country_classes = sorted(
        {c for cs in d_countries for c in cs} | {country_of(p) for p in places}
    )
    sub_classes = sorted(set(sub.values()))
    place_regions = multi_hot([[p] if "-" in p else [] for p in places], region_classes)
    levels = [
        (place_regions, _region_focus(d_regions, region_classes), W.REGION_CREDIT["region"]),
        (place_regions, _region_focus(d_foreign, region_classes), W.FOREIGN_INTEREST_CREDIT),
        (
            multi_hot([[country_of(p)] for p in places], country_classes),
            multi_hot(d_countries, country_classes),
            W.REGION_CREDIT["country"],
        ),
        (
            multi_hot(
                [[sub[country_of(p)]] if country_of(p) in sub else [] for p in places],
                sub_classes,
            ),
            multi_hot(d_subs, sub_classes),
            W.REGION_CREDIT["subregion"],
        ),
    ]
    table = np.zeros((len(places), len(diaspora)), dtype=np.float32)
    for place_side, member_side, credit in levels:
        hits = place_side @ member_side.T
        np.maximum(table, dense(hits) * np.float32(credit), out=table)
    return table


def _region_focus(d_regions: Sequence[Sequence[str]], classes: Sequence[str]) -> sp.csr_matrix:
    """Per member and region class, how much a match on that region counts: 1 for a member
    listing at most FOCUS_REGIONS regions of a country, less for a longer list."""
    column = {code: i for i, code in enumerate(classes)}
    rows, cols, values = [], [], []
    for row, regions in enumerate(d_regions):
        per_country: dict[str, int] = {}
        for code in regions:
            per_country[country_of(code)] = per_country.get(country_of(code), 0) + 1
        for code in regions:
            rows.append(row)
            cols.append(column[code])
            values.append(min(1.0, W.FOCUS_REGIONS / per_country[country_of(code)]))
    shape = (len(d_regions), len(classes))
    return sp.csr_matrix((values, (rows, cols)), shape=shape, dtype=np.float32)
