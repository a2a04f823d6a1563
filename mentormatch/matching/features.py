"""Feature blocks built with scikit-learn vectorizers, one row per profile.

Low-cardinality blocks (value chains, groups, skills, languages, stages, instruments)
become small dense float32 matrices so that scoring a block of pairs is one BLAS
product; places (thousands of ISO 3166-2 codes) go through sparse products once, at
fit time, into a table of region credit per entrepreneur place and diaspora member.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import MultiLabelBinarizer, normalize

from mentormatch.matching import weights as W
from mentormatch.matching.records import (
    INSTRUMENTS,
    STAGES,
    DiasporaRecord,
    EntrepreneurRecord,
    Taxonomy,
)

Matrix = NDArray[np.float32]


def multi_hot(values: Iterable[Iterable[str]], classes: Sequence[str]) -> sp.csr_matrix:
    """Sets of codes as a sparse 0/1 matrix over fixed classes; unknown codes are ignored."""
    known = set(classes)
    binarizer = MultiLabelBinarizer(classes=list(classes), sparse_output=True)
    rows = [[v for v in row if v in known] for row in values]
    return sp.csr_matrix(binarizer.fit_transform(rows), dtype=np.float32)


def dense(matrix: sp.spmatrix) -> Matrix:
    """A sparse matrix as a dense float32 array."""
    return np.asarray(matrix.toarray(), dtype=np.float32)


def share(matrix: sp.csr_matrix) -> Matrix:
    """Rows scaled to sum to 1, so a product with a 0/1 row is the share covered."""
    if 0 in matrix.shape:  # nobody at all, or no classes (nobody gave a language, say)
        return dense(matrix)
    return dense(normalize(matrix, norm="l1"))


def ones_if_empty(matrix: Matrix) -> Matrix:
    """An empty preference means 'any': a row of zeros becomes a row of ones."""
    empty = matrix.sum(axis=1) == 0
    matrix[empty] = 1.0
    return matrix


class SkillText:
    """Free text mapped onto the controlled skills by TF-IDF against each skill's keywords."""

    def __init__(self, taxonomy: Taxonomy, skills: Sequence[str]) -> None:
        docs = [
            f"{taxonomy.skill_labels.get(code, code)}; {taxonomy.skill_keywords.get(code, '')}"
            for code in skills
        ]
        self.vectorizer = TfidfVectorizer(
            ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode"
        )
        self.skill_docs = self.vectorizer.fit_transform(docs)

    def credit(self, texts: Sequence[str]) -> Matrix:
        """Per text and skill, the credit in [0, TEXT_SKILL_CREDIT] the text earns."""
        if not texts:
            return np.zeros((0, self.skill_docs.shape[0]), dtype=np.float32)
        similarity = dense(self.vectorizer.transform(texts) @ self.skill_docs.T)
        credit = np.clip(similarity / W.TEXT_SKILL_FULL, 0.0, 1.0) * W.TEXT_SKILL_CREDIT
        credit[similarity < W.TEXT_SKILL_MIN] = 0.0
        return credit.astype(np.float32)


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
    chains: Matrix  # share of the entrepreneur's chains
    groups: Matrix  # share of the entrepreneur's chain groups
    needs: Matrix  # share of need per skill (controlled list or text)
    need_raw: Matrix  # need per skill in [0, 1]
    languages: Matrix  # 0/1
    language_share: Matrix
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
    groups: Matrix
    offers: Matrix  # offer per skill in [0, 1]
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
    """The classes of every block, fixed at fit time."""
    languages = sorted({c for e in entrepreneurs for c in e.languages})
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


def entrepreneur_features(
    records: Sequence[EntrepreneurRecord], vocab: Vocabulary, taxonomy: Taxonomy, text: SkillText
) -> EntrepreneurFeatures:
    """Blocks for entrepreneurs (records already sorted by id)."""
    chains = multi_hot((e.value_chains for e in records), vocab.chains)
    groups = multi_hot((groups_of(e.value_chains, taxonomy) for e in records), vocab.groups)
    ticked = dense(multi_hot((e.skills_needed for e in records), vocab.skills))
    need_raw = np.maximum(ticked, text.credit([e.skills_needed_text for e in records]))
    languages = multi_hot((e.languages for e in records), vocab.languages)
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
        chains=share(chains),
        groups=share(groups),
        needs=share(sp.csr_matrix(need_raw)),
        need_raw=need_raw,
        languages=dense(languages),
        language_share=share(languages),
        stage=dense(multi_hot(((e.stage,) for e in records), STAGES)),
        instruments=instruments / instruments.sum(axis=1, keepdims=True),
        place=np.array([place_index[place_key(e)] for e in records], dtype=np.int64),
    )


def diaspora_features(
    records: Sequence[DiasporaRecord], vocab: Vocabulary, taxonomy: Taxonomy, text: SkillText
) -> DiasporaFeatures:
    """Blocks for diaspora members (records already sorted by id)."""
    ticked = dense(multi_hot((d.skills_offered for d in records), vocab.skills))
    offers = np.maximum(ticked, text.credit([d.skills_offered_text for d in records]))
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
        chains=dense(multi_hot((d.value_chains for d in records), vocab.chains)),
        groups=dense(
            multi_hot((groups_of(d.value_chains, taxonomy) for d in records), vocab.groups)
        ),
        offers=offers,
        languages=dense(multi_hot((d.languages for d in records), vocab.languages)),
        stages=ones_if_empty(dense(multi_hot((d.preferred_stages for d in records), STAGES))),
        instruments=ones_if_empty(
            dense(multi_hot((d.investment_instruments for d in records), INSTRUMENTS))
        ),
    )


def region_table(
    places: Sequence[str], diaspora: Sequence[DiasporaRecord], taxonomy: Taxonomy
) -> Matrix:
    """Region credit of each entrepreneur place (rows) for each diaspora member (columns).

    Three sparse products, one per level, combined with max: the same region beats the
    same country beats the same M49 sub-region.
    """
    sub = taxonomy.country_subregion
    d_regions = [[p for p in d.places if "-" in p] for d in diaspora]
    d_countries = [sorted({country_of(p) for p in d.places}) for d in diaspora]
    d_subs = [sorted({sub[c] for c in cs if c in sub}) for cs in d_countries]
    region_classes = sorted({p for ps in d_regions for p in ps} | {p for p in places if "-" in p})
    country_classes = sorted(
        {c for cs in d_countries for c in cs} | {country_of(p) for p in places}
    )
    sub_classes = sorted(set(sub.values()))
    levels = [
        ([[p] if "-" in p else [] for p in places], d_regions, region_classes, "region"),
        ([[country_of(p)] for p in places], d_countries, country_classes, "country"),
        (
            [[sub[country_of(p)]] if country_of(p) in sub else [] for p in places],
            d_subs,
            sub_classes,
            "subregion",
        ),
    ]
    table = np.zeros((len(places), len(diaspora)), dtype=np.float32)
    for place_sets, d_sets, classes, level in levels:
        hits = multi_hot(place_sets, classes) @ multi_hot(d_sets, classes).T
        np.maximum(table, dense(hits > 0) * W.REGION_CREDIT[level], out=table)
    return table
