"""A matching round: never over capacity or against a constraint, at least as good as "each
takes their own top suggestion" on reach and total score, the best total score there is
(checked against every possible choice in small worlds), quotas met when they can be."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentormatch.matching import Kind, MatchIndex
from mentormatch.matching.rounds import Quota, baseline, propose_round, solve
from tests.matching.people import farmer, mentor, taxonomy
from tests.matching.test_constraints import allowed, worlds

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def score_worlds(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores (0 = not allowed), sort keys (some pairs lifted by a home tier, as the
    ranking does) and capacities of a small world."""
    rows, cols = draw(st.integers(1, 6)), draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    scores = np.round(rng.random((rows, cols)), 2).astype(np.float32)
    scores[rng.random((rows, cols)) < draw(st.floats(0, 0.7))] = 0.0
    keys = scores / 2 + (rng.random((rows, cols)) < 0.3) * (scores > 0)
    capacity = rng.integers(0, 3, size=cols).astype(np.int64)
    return scores, keys.astype(np.float32), capacity


def every_choice(scores: np.ndarray, capacity: np.ndarray) -> Iterator[list[tuple[int, int]]]:
    """Every way to give each row one allowed column or none, within the capacities."""
    rows, cols = scores.shape
    for choice in itertools.product(range(-1, cols), repeat=rows):
        pairs = [(r, c) for r, c in enumerate(choice) if c >= 0]
        if all(scores[r, c] > 0 for r, c in pairs) and all(
            sum(1 for _, c in pairs if c == col) <= capacity[col] for col in range(cols)
        ):
            yield pairs


def check_feasible(scores: np.ndarray, capacity: np.ndarray, rows: np.ndarray, cols: np.ndarray):  # type: ignore[no-untyped-def]
    assert len(set(rows.tolist())) == len(rows), "an entrepreneur got two counterparts"
    assert all(np.bincount(cols, minlength=len(capacity)) <= capacity), "over capacity"
    assert all(scores[rows, cols] > 0), "a pair a hard constraint forbids"


@SETTINGS
@given(score_worlds())
def test_the_round_beats_the_baseline_and_no_choice_beats_the_round(world) -> None:  # type: ignore[no-untyped-def]
    scores, keys, capacity = world
    base = baseline(scores, keys, capacity)
    check_feasible(scores, capacity, base.rows, base.cols)
    got = solve(scores, capacity, floor=len(base.rows), must_consider=(base.rows, base.cols))
    check_feasible(scores, capacity, got.rows, got.cols)
    total = float(scores[got.rows, got.cols].sum())
    assert len(got.rows) >= len(base.rows)
    assert total >= float(scores[base.rows, base.cols].sum()) - 1e-5
    best = max(
        sum(float(scores[r, c]) for r, c in pairs)
        for pairs in every_choice(scores, capacity)
        if len(pairs) >= len(base.rows)
    )
    assert total == np.float32(best) or abs(total - best) < 1e-4


def test_the_baseline_is_each_ones_top_suggestion_and_the_full_mentor_keeps_the_best() -> None:
    # Both want mentor 0 (one place); Kebede's top is by the home tier, not the score.
    scores = np.array([[0.9, 0.5], [0.6, 0.8]], dtype=np.float32)
    keys = np.array([[0.45, 0.25], [1.3, 0.4]], dtype=np.float32)
    base = baseline(scores, keys, np.array([1, 1]))
    assert list(zip(base.rows.tolist(), base.cols.tolist(), strict=True)) == [(0, 0)]
    got = solve(scores, np.array([1, 1]), floor=1, must_consider=(base.rows, base.cols))
    assert sorted(zip(got.rows.tolist(), got.cols.tolist(), strict=True)) == [(0, 0), (1, 1)]


@st.composite
def quota_worlds(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    scores, keys, capacity = draw(score_worlds())
    rows = scores.shape[0]
    groups = [
        (np.array(draw(st.lists(st.booleans(), min_size=rows, max_size=rows))), share)
        for share in draw(st.lists(st.sampled_from([0.2, 0.34, 0.5, 0.75, 1.0]), max_size=2))
    ]
    return scores, keys, capacity, groups


def meets(pairs: list[tuple[int, int]], mask: np.ndarray, share: float) -> bool:
    return not pairs or sum(mask[r] for r, _ in pairs) >= share * len(pairs) - 1e-9


@SETTINGS
@given(quota_worlds())
def test_quotas_are_met_when_they_can_be_and_named_when_they_cannot(world) -> None:  # type: ignore[no-untyped-def]
    scores, keys, capacity, groups = world
    base = baseline(scores, keys, capacity)
    floor = len(base.rows)
    got = solve(scores, capacity, groups, floor=floor, must_consider=(base.rows, base.cols))
    check_feasible(scores, capacity, got.rows, got.cols)
    assert len(got.rows) >= floor
    choices = [p for p in every_choice(scores, capacity) if len(p) >= floor]
    kept: list[tuple[np.ndarray, float]] = []
    for (mask, share), met in zip(groups, got.met, strict=True):
        possible = any(
            meets(p, mask, share) and all(meets(p, m, s) for m, s in kept) for p in choices
        )
        assert met == possible, f"share {share} of {mask.tolist()}: met {met}, possible {possible}"
        if possible:
            kept.append((mask, share))
    chosen = list(zip(got.rows.tolist(), got.cols.tolist(), strict=True))
    for mask, share in kept:
        assert meets(chosen, mask, share)
    best = max(
        sum(float(scores[r, c]) for r, c in p)
        for p in choices
        if all(meets(p, m, s) for m, s in kept)
    )
    assert abs(float(scores[got.rows, got.cols].sum()) - best) < 1e-4


def test_a_quota_only_a_fractional_answer_meets_is_named_and_costs_no_score() -> None:
    # Two mentors with one place each; the first quota (rows 2-4) can be met, the second
    # (rows 1 and 4, 75 %) only by half-pairs. Found by Hypothesis: the half-pairs made the
    # second quota look met, and the round gave up 1.25 for 0.97 chasing it.
    scores = np.array(
        [[0.51, 0.95], [0.14, 0.95], [0.31, 0.42], [0.83, 0.41], [0.55, 0.03]], dtype=np.float32
    )
    capacity = np.array([1, 1])
    first = np.array([False, False, True, True, True])
    second = np.array([False, True, False, False, True])
    base = baseline(scores, scores / 2, capacity)
    got = solve(
        scores,
        capacity,
        [(first, 0.75), (second, 0.75)],
        floor=2,
        must_consider=(base.rows, base.cols),
    )
    assert got.met == [True, False] and got.best_share[1] == 0.5
    assert abs(float(scores[got.rows, got.cols].sum()) - 1.25) < 1e-6


def test_a_quota_that_cannot_be_met_is_named_with_the_best_share_possible() -> None:
    # Four entrepreneurs, two women-led; only one woman has an allowed mentor.
    scores = np.array([[0.9, 0.0], [0.0, 0.0], [0.7, 0.6], [0.5, 0.8]], dtype=np.float32)
    women = np.array([True, True, False, False])
    capacity = np.array([2, 1])
    base = baseline(scores, scores / 2, capacity)
    got = solve(scores, capacity, [(women, 0.5)], floor=len(base.rows))
    assert got.met == [False]
    assert got.best_share[0] is not None and abs(got.best_share[0] - 1 / 3) < 1e-6
    assert len(got.rows) == 3  # everyone who can be reached still is


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.sampled_from(list(Kind)), st.integers(0, 2**32 - 1))
def test_a_round_on_real_profiles_keeps_every_hard_constraint(world, kind, seed) -> None:  # type: ignore[no-untyped-def]
    es, ds, exclude, load = world
    index = MatchIndex.fit(es, ds, taxonomy())
    rng = np.random.default_rng(seed)
    if kind is Kind.COACHING:
        capacity = {d.id: max(0, d.mentee_capacity - load[d.id]) for d in ds}
    else:
        capacity = {d.id: int(rng.integers(0, 3)) for d in ds}
    proposal = propose_round(index, kind, [e.id for e in es], capacity, exclude)
    by_e, by_d = {e.id: e for e in es}, {d.id: d for d in ds}
    taken: dict[int, int] = {}
    for a in proposal.assignments:
        assert allowed(by_e[a.entrepreneur_id], by_d[a.diaspora_id], kind, exclude, load)
        taken[a.diaspora_id] = taken.get(a.diaspora_id, 0) + 1
    assert all(n <= capacity[d] for d, n in taken.items())
    assert len({a.entrepreneur_id for a in proposal.assignments}) == len(proposal.assignments)
    assert proposal.plan.reached >= proposal.baseline.reached
    assert proposal.plan.total_score >= proposal.baseline.total_score - 1e-5
    reached = {a.entrepreneur_id for a in proposal.assignments}
    assert {x.entrepreneur_id for x in proposal.left_out} == {e.id for e in es} - reached


def test_a_round_says_why_someone_is_left_out_and_gives_reasons_for_each_pair() -> None:
    almaz = farmer()
    kebede = farmer(id=2, user_id=102, languages=("amh",))
    chaltu = farmer(id=3, user_id=103, languages=("wol",))  # nobody speaks Wolof
    tesfaye = mentor(mentee_capacity=1)
    index = MatchIndex.fit([almaz, kebede, chaltu], [tesfaye], taxonomy())
    women = Quota("women_led", "Women-led businesses", frozenset({3}), 0.5)
    proposal = propose_round(index, Kind.COACHING, [1, 2, 3], {tesfaye.id: 1}, quotas=[women])
    assert len(proposal.assignments) == 1
    pair = proposal.assignments[0]
    assert pair.diaspora_id == tesfaye.id and pair.score > 0 and pair.reasons
    why = {x.entrepreneur_id: x.why for x in proposal.left_out}
    assert "shares a language" in why[3]
    assert "full" in why[({1, 2} - {pair.entrepreneur_id}).pop()]
    assert proposal.quotas[0].met is False and proposal.quotas[0].best_share == 0.0
    assert proposal.places == 1
