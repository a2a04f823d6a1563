"""Offline evaluation: how well the ranking agrees with a coordinator's rules.

The labels come from explicit rules (seed_data/labelled/README.md): written out for the
seed profiles in seed_data/labelled/coordinator_labels.csv (see labels.py), and applied
at evaluation time to anyone the file does not judge. Metrics:
NDCG@k (graded), precision@5, MRR, coverage (share of eligible diaspora members
suggested to anyone) and the Gini coefficient of how often each is suggested.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from mentormatch.matching.features import country_of
from mentormatch.matching.index import MatchIndex
from mentormatch.matching.records import DiasporaRecord, EntrepreneurRecord, Kind, Taxonomy

RELEVANT = 2  # grade at which a coordinator would propose the introduction
# How a pair is graded: by the rules, or by a label file (labels.LabelSet.grader).
Grader = Callable[[EntrepreneurRecord, DiasporaRecord], int]


def feasible(e: EntrepreneurRecord, d: DiasporaRecord, kind: Kind, load: Mapping[int, int]) -> bool:
    """The hard constraints, written out plainly (the coordinator's first filter)."""
    if not (e.active and d.active) or not set(e.languages) & set(d.languages):
        return False
    if kind is Kind.COACHING:
        return d.offers_coaching and d.mentee_capacity - load.get(d.id, d.current_mentees) > 0
    if not (e.seeking_investment and d.offers_investment):
        return False
    low, high, amount = d.ticket_min_usd or 0.0, d.ticket_max_usd, e.investment_amount_usd
    if high is not None and low > high:
        return False
    return amount is None or (low <= amount and (high is None or amount <= high))


def rules_met(
    e: EntrepreneurRecord, d: DiasporaRecord, kind: Kind, taxonomy: Taxonomy
) -> tuple[str, ...]:
    """The rules of seed_data/labelled/README.md that the pair meets, by name, in order."""
    groups = {taxonomy.chain_group.get(c) for c in d.value_chains}
    same_chain = bool(set(e.value_chains) & set(d.value_chains))
    same_group = any(taxonomy.chain_group.get(c) in groups for c in e.value_chains)
    knows_place = (e.region_code in d.places) or e.country_code in {country_of(p) for p in d.places}
    if kind is Kind.COACHING:
        # Chain, place and a need met; a related chain earns the chain point only with the place.
        need_met = bool(set(e.skills_needed) & set(d.skills_offered))
        chain_point = same_chain or (same_group and knows_place)
        met = {"sector": chain_point, "place": knows_place, "need": need_met}
    else:
        wanted = set(e.investment_instruments) or {"grant", "loan", "equity", "in_kind"}
        instruments = not d.investment_instruments or bool(wanted & set(d.investment_instruments))
        met = {"sector": same_chain or same_group, "place": knows_place, "instrument": instruments}
    return tuple(name for name, holds in met.items() if holds)


def coordinator_grade(
    e: EntrepreneurRecord, d: DiasporaRecord, kind: Kind, taxonomy: Taxonomy
) -> int:
    """0-3 points, one per rule of seed_data/labelled/README.md that the pair meets."""
    return len(rules_met(e, d, kind, taxonomy))


def ndcg(grades_in_order: Sequence[int], all_grades: Sequence[int], k: int) -> float:
    """Normalised discounted cumulative gain at k with gains 2^grade - 1."""
    discounts = 1 / np.log2(np.arange(2, k + 2))
    gains = (2.0 ** np.asarray(grades_in_order[:k], dtype=float)) - 1
    ideal = (2.0 ** np.sort(np.asarray(all_grades, dtype=float))[::-1][:k]) - 1
    best = float(ideal @ discounts[: len(ideal)])
    return float(gains @ discounts[: len(gains)]) / best if best > 0 else 0.0


def gini(counts: Sequence[int]) -> float:
    """0 when every mentor is suggested equally often, towards 1 when a few take it all."""
    values = np.sort(np.asarray(counts, dtype=float))
    if len(values) == 0 or values.sum() == 0:
        return 0.0
    n = len(values)
    return float((2 * np.arange(1, n + 1) - n - 1) @ values / (n * values.sum()))


@dataclass(frozen=True)
class Report:
    kind: Kind
    queries: int
    ndcg: float
    precision_at_5: float
    mrr: float
    coverage: float
    gini: float
    random_ndcg: float

    def lines(self, k: int) -> list[str]:
        return [
            f"{self.kind.value}: {self.queries} entrepreneurs with at least one relevant match",
            f"  NDCG@{k}       {self.ndcg:.3f}   (allowed matches in random order: "
            f"{self.random_ndcg:.3f})",
            f"  precision@5   {self.precision_at_5:.3f}",
            f"  MRR           {self.mrr:.3f}",
            f"  coverage      {self.coverage:.3f}   (eligible diaspora suggested to anyone)",
            f"  load Gini     {self.gini:.3f}   (0 = suggestions spread evenly)",
        ]


def evaluate(index: MatchIndex, kind: Kind, k: int = 10, load: Mapping[int, int] | None = None,
             seed: int = 0, grader: Grader | None = None) -> Report:  # fmt: skip
    """Rank every active entrepreneur's top k and score it against the labels.

    The grade of an allowed pair comes from `grader` (default: the coordinator rules).
    """
    load = dict(load or {})
    grade = grader or (lambda e, d: coordinator_grade(e, d, kind, index.taxonomy))
    rng = np.random.default_rng(seed)
    eligible = [
        d for d in index.diaspora if any(feasible(e, d, kind, load) for e in index.entrepreneurs)
    ]
    suggested: Counter[int] = Counter()
    ndcgs, precisions, rrs, random_ndcgs = [], [], [], []
    for e in index.entrepreneurs:
        allowed = [d for d in index.diaspora if feasible(e, d, kind, load)]
        grades = {d.id: grade(e, d) for d in allowed}
        ranking = index.rank_for_entrepreneur(e.id, kind, k, load=load)
        ranked = [m.diaspora_id for m in ranking.matches]
        suggested.update(ranked)
        if not any(g >= RELEVANT for g in grades.values()):
            continue
        in_order = [grades.get(i, 0) for i in ranked]
        ndcgs.append(ndcg(in_order, list(grades.values()), k))
        precisions.append(sum(g >= RELEVANT for g in in_order[:5]) / 5)
        first = next((r for r, g in enumerate(in_order, 1) if g >= RELEVANT), None)
        rrs.append(1 / first if first else 0.0)
        shuffled = [grades[i] for i in rng.permutation(list(grades))]
        random_ndcgs.append(ndcg(shuffled, list(grades.values()), k))
    counts = [suggested.get(d.id, 0) for d in eligible]
    return Report(
        kind=kind,
        queries=len(ndcgs),
        ndcg=float(np.mean(ndcgs)) if ndcgs else 0.0,
        precision_at_5=float(np.mean(precisions)) if precisions else 0.0,
        mrr=float(np.mean(rrs)) if rrs else 0.0,
        coverage=sum(c > 0 for c in counts) / len(counts) if counts else 0.0,
        gini=gini(counts),
        random_ndcg=float(np.mean(random_ndcgs)) if random_ndcgs else 0.0,
    )
