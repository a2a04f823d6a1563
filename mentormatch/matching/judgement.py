"""Grading the ranking against a coordinator's judgement set, side by side with baselines.

The set (seed_data/evaluation/, built from real Kiva borrowers and hand-written diaspora
members, graded by a written rubric before the engine ran on it) gives every
(kind, entrepreneur, member) pair a grade 0-3 or F (forbidden). Three rankings are graded
in the same run, on the same people and the same hard filters:

- the engine (`MatchIndex.rank_for_entrepreneur`);
- a naive overlap count: among the pairs the hard filters allow, the most shared codes
  (value chains, skills needed/offered, places, languages) first, ties by id;
- a random order among the allowed pairs.

Metrics per half (tuning / held-out): NDCG@10 and NDCG@5 (gains 2^grade - 1, over the
entrepreneurs with at least one pair graded 2 or more), precision@5 (share of the first
five graded 2+), MRR (first 2+), forbidden suggestions (pairs graded F among everyone's
top 10) and how often a generalist is ranked first. No Flask, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from mentormatch.matching.evaluate import RELEVANT, feasible, ndcg
from mentormatch.matching.features import country_of
from mentormatch.matching.index import MatchIndex
from mentormatch.matching.records import DiasporaRecord, EntrepreneurRecord, Kind

FORBIDDEN = -1  # the grade of a pair the rubric forbids
HALVES = ("tuning", "held-out")
RANKERS = ("engine", "naive overlap", "random allowed")

Ranker = Callable[[EntrepreneurRecord], list[int]]


@dataclass(frozen=True)
class Judgement:
    """A coordinator's grades, by profile ids: (kind, entrepreneur id, member id) -> grade
    (FORBIDDEN for F); which members are generalists; which half each entrepreneur is in."""

    grades: Mapping[tuple[Kind, int, int], int]
    generalists: frozenset[int]
    held_out: frozenset[int]

    def grade(self, kind: Kind, e_id: int, d_id: int) -> int:
        """The pair's grade; a pair the set does not grade counts as 0."""
        return self.grades.get((kind, e_id, d_id), 0)

    def half(self, e_id: int) -> str:
        return HALVES[1] if e_id in self.held_out else HALVES[0]


@dataclass(frozen=True)
class Scores:
    """One ranking's figures on one half for one kind."""

    ranker: str
    queries: int
    ndcg_10: float
    ndcg_5: float
    precision_5: float
    mrr: float
    forbidden: int
    generalist_first: float


def overlap(e: EntrepreneurRecord, d: DiasporaRecord) -> int:
    """How many codes two profiles share: the naive baseline's whole idea of a match."""
    places = set(d.places) | {country_of(p) for p in d.places}
    here = {e.country_code} | ({e.region_code} if e.region_code else set())
    return (
        len(set(e.value_chains) & set(d.value_chains))
        + len(set(e.skills_needed) & set(d.skills_offered))
        + len(here & places)
        + len(set(e.languages) & set(d.languages))
    )


def rankers(
    index: MatchIndex, kind: Kind, load: Mapping[int, int], k: int, seed: int = 0
) -> dict[str, Ranker]:
    """The engine and the two baselines, each giving a list of member ids, best first."""
    rng = np.random.default_rng(seed)

    def allowed(e: EntrepreneurRecord) -> list[DiasporaRecord]:
        return [d for d in index.diaspora if feasible(e, d, kind, load)]

    def engine(e: EntrepreneurRecord) -> list[int]:
        ranking = index.rank_for_entrepreneur(e.id, kind, k, load=load)
        return [m.diaspora_id for m in ranking.matches]

    def naive(e: EntrepreneurRecord) -> list[int]:
        ranked = sorted(allowed(e), key=lambda d: (-overlap(e, d), d.id))
        return [d.id for d in ranked[:k]]

    def random(e: EntrepreneurRecord) -> list[int]:
        ids = [d.id for d in allowed(e)]
        return [ids[i] for i in rng.permutation(len(ids))[:k]]

    return {RANKERS[0]: engine, RANKERS[1]: naive, RANKERS[2]: random}


def grade_rankings(
    judgement: Judgement,
    kind: Kind,
    entrepreneurs: Sequence[EntrepreneurRecord],
    members: Sequence[DiasporaRecord],
    rank: Ranker,
    name: str,
    k: int = 10,
) -> Scores:
    """Grade one ranker's lists for these entrepreneurs against the judgement."""
    ndcg10, ndcg5, p5, rr = [], [], [], []
    forbidden = generalist_first = asked = 0
    for e in entrepreneurs:
        ranked = rank(e)[:k]
        grades = [judgement.grade(kind, e.id, d) for d in ranked]
        forbidden += sum(g == FORBIDDEN for g in grades)
        every = [max(0, judgement.grade(kind, e.id, d.id)) for d in members]
        if not any(g >= RELEVANT for g in every):
            continue
        asked += 1
        gains = [max(0, g) for g in grades]
        ndcg10.append(ndcg(gains, every, k))
        ndcg5.append(ndcg(gains, every, 5))
        p5.append(sum(g >= RELEVANT for g in gains[:5]) / 5)
        first = next((i for i, g in enumerate(gains, 1) if g >= RELEVANT), None)
        rr.append(1 / first if first else 0.0)
        generalist_first += bool(ranked) and ranked[0] in judgement.generalists

    def mean(values: list[float]) -> float:
        return float(np.mean(values)) if values else 0.0

    return Scores(
        ranker=name,
        queries=asked,
        ndcg_10=mean(ndcg10),
        ndcg_5=mean(ndcg5),
        precision_5=mean(p5),
        mrr=mean(rr),
        forbidden=forbidden,
        generalist_first=generalist_first / asked if asked else 0.0,
    )


def side_by_side(
    index: MatchIndex, judgement: Judgement, load: Mapping[int, int], k: int = 10
) -> dict[tuple[Kind, str], list[Scores]]:
    """Every ranker's scores, per kind and half, in RANKERS order."""
    report: dict[tuple[Kind, str], list[Scores]] = {}
    active = [e for e in index.entrepreneurs if e.active]
    for kind in Kind:
        ranked_by = rankers(index, kind, load, k)
        for half in HALVES:
            people = [e for e in active if judgement.half(e.id) == half]
            report[kind, half] = [
                grade_rankings(judgement, kind, people, index.diaspora, rank, name, k)
                for name, rank in ranked_by.items()
            ]
    return report


def table(report: Mapping[tuple[Kind, str], list[Scores]], k: int = 10) -> list[str]:
    """The report as aligned text lines, one block per kind and half."""
    lines = []
    for (kind, half), rows in report.items():
        lines.append(f"{kind.value}, {half} half ({rows[0].queries} entrepreneurs with a "
                     f"member graded {RELEVANT} or more)")  # fmt: skip
        lines.append(
            f"  {'ranking':<16}{f'NDCG@{k}':>9}{'NDCG@5':>9}{'P@5':>7}{'MRR':>7}"
            f"{'forbidden':>11}{'generalist 1st':>16}"
        )
        for s in rows:
            lines.append(
                f"  {s.ranker:<16}{s.ndcg_10:>9.3f}{s.ndcg_5:>9.3f}{s.precision_5:>7.3f}"
                f"{s.mrr:>7.3f}{s.forbidden:>11d}{s.generalist_first:>16.1%}"
            )
    return lines
