"""Grading rankings against a judgement set: the figures mean what the table says."""

from __future__ import annotations

import pytest

from mentormatch.matching import Kind, MatchIndex
from mentormatch.matching.judgement import (
    FORBIDDEN,
    Judgement,
    grade_rankings,
    overlap,
    rankers,
    side_by_side,
    table,
)
from tests.matching.people import farmer, mentor, taxonomy

C = Kind.COACHING


def judgement(grades: dict[int, int], generalists: tuple[int, ...] = ()) -> Judgement:
    return Judgement({(C, 1, d): g for d, g in grades.items()}, frozenset(generalists), frozenset())


def test_a_perfect_list_scores_one_and_a_forbidden_pair_is_counted() -> None:
    index = MatchIndex.fit([farmer()], [mentor(id=i) for i in (1, 2, 3)], taxonomy())
    grades = {1: 3, 2: 2, 3: FORBIDDEN}
    perfect = grade_rankings(judgement(grades), C, index.entrepreneurs, index.diaspora,
                             lambda e: [1, 2], "perfect")  # fmt: skip
    assert perfect.ndcg_10 == pytest.approx(1.0) and perfect.mrr == 1.0
    assert perfect.precision_5 == pytest.approx(2 / 5) and perfect.forbidden == 0
    careless = grade_rankings(judgement(grades, generalists=(3,)), C, index.entrepreneurs,
                              index.diaspora, lambda e: [3, 2, 1], "careless")  # fmt: skip
    assert careless.forbidden == 1 and careless.generalist_first == 1.0
    assert careless.mrr == pytest.approx(1 / 2) and careless.ndcg_10 < 1.0


def test_entrepreneurs_without_a_relevant_member_are_not_queries() -> None:
    index = MatchIndex.fit([farmer()], [mentor(id=1)], taxonomy())
    scores = grade_rankings(judgement({1: 1}), C, index.entrepreneurs, index.diaspora,
                            lambda e: [1], "any")  # fmt: skip
    assert scores.queries == 0 and scores.ndcg_10 == 0.0


def test_naive_baseline_counts_shared_codes_among_allowed_members_only() -> None:
    almaz = farmer()
    assert overlap(almaz, mentor()) == 5  # coffee, export certification, ET-OR, ET, amh
    index = MatchIndex.fit(
        [almaz],
        [mentor(id=1, value_chains=("tea",)), mentor(id=2), mentor(id=3, languages=("fra",))],
        taxonomy(),
    )
    naive = rankers(index, C, {}, k=10)["naive overlap"]
    assert naive(almaz) == [2, 1]  # no common language with 3: never ranked


def test_the_table_has_every_ranker_for_both_halves_and_kinds() -> None:
    index = MatchIndex.fit([farmer(), farmer(id=2)], [mentor(id=1)], taxonomy())
    judged = Judgement({(k, e, 1): 3 for k in Kind for e in (1, 2)}, frozenset(), frozenset({2}))
    lines = table(side_by_side(index, judged, {}))
    text = "\n".join(lines)
    for words in (
        "coaching, tuning half",
        "coaching, held-out half",
        "investment, held-out",
        "engine",
        "naive overlap",
        "random allowed",
        "NDCG@10",
        "generalist 1st",
    ):
        assert words in text  # fmt: skip
