"""A matching round: many entrepreneurs paired at once, within every member's capacity.

    proposal = propose_round(index, Kind.COACHING, entrepreneur_ids, capacity, quotas=...)

The round is a global optimisation, not a greedy loop (docs/decisions/014):

- the objective is the total match score of the pairs chosen;
- every hard constraint of the engine holds (a pair scored 0 is never chosen), each
  entrepreneur gets at most one counterpart, no member goes over the places left to them;
- the round never reaches fewer entrepreneurs than the baseline "each takes their own top
  suggestion" on the same input (a floor on the number of pairs), so it beats the baseline
  on reach and, without quotas, on total score (the baseline is one of the choices);
- optional quotas ask for a minimum share of women-led, youth-led or returnee businesses,
  or of each region, among the entrepreneurs reached. They are taken in the order given;
  one that cannot be met together with the floor and the quotas before it is reported
  with the best share that was possible, and left out.

Without quotas the problem is a bipartite b-matching with a cardinality floor, whose
linear programme has integral vertices, so scipy's HiGHS dual simplex solves it exactly.
It is solved on a short list of candidate pairs (each entrepreneur's best, each member's
best, the baseline's pairs); the duals then price every other allowed pair, and any pair
that would improve the answer joins the list until none does (column generation): the
result is optimal over all pairs. Quotas add a few rows that can make a handful of
values fractional; those are settled by a small integer programme around them.

No Flask and no database: scores come from a fitted MatchIndex, capacities from the caller.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from mentormatch.matching.index import MatchIndex, Pair
from mentormatch.matching.reasons import Reason
from mentormatch.matching.records import Kind

# Candidate pairs to start from: each entrepreneur's best, and each member's best per place.
CANDIDATES_PER_ENTREPRENEUR = 10
CANDIDATES_PER_PLACE = 4
# Pairs that would improve the answer, added per entrepreneur per pricing pass.
ADDED_PER_ROW = 5
# ... and the pairs whose reduced cost is below this, since they may improve next time.
NEARLY = 0.02
MAX_PRICING_PASSES = 50
# A reduced cost below this improves the objective (scores are in [0, 1]).
TOLERANCE = 1e-7
# The small integer programme that settles fractional values may take this long; with up
# to this many candidate pairs it is exact (all pairs free), beyond it is local.
MILP_SECONDS = 10.0
WHOLE_MILP_PAIRS = 3000

Matrix = NDArray[np.float32]
IntArray = NDArray[np.int64]
Group = tuple[NDArray[np.bool_], float]  # a row mask and the minimum share of the pairs


@dataclass(frozen=True)
class Quota:
    """A minimum share of the entrepreneurs reached who belong to a group."""

    code: str  # "women_led", "youth_led", "returnee" or "region:NG-KN"
    label: str  # "Women-led businesses", for people
    members: frozenset[int]  # entrepreneur ids in the group
    share: float  # a whole percentage, as a fraction: 0.4 for 40 %


@dataclass(frozen=True)
class QuotaResult:
    """Whether a quota was met, and the share the proposal reaches."""

    quota: Quota
    met: bool
    reached: int  # members of the group the proposal reaches
    share: float  # of all the entrepreneurs it reaches
    best_share: float | None = None  # when not met: the most that was possible


@dataclass(frozen=True)
class Assignment:
    """One proposed pair, with its score, the score's components and the reasons, worded
    for the entrepreneur."""

    entrepreneur_id: int
    diaspora_id: int
    score: float
    reasons: tuple[Reason, ...] = ()
    components: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class LeftOut:
    """An entrepreneur of the round who gets no counterpart, and why, in words."""

    entrepreneur_id: int
    why: str


@dataclass(frozen=True)
class Plan:
    """A set of pairs and what it achieves: people reached and total score."""

    pairs: tuple[tuple[int, int], ...]  # (entrepreneur id, diaspora id)
    total_score: float

    @property
    def reached(self) -> int:
        return len(self.pairs)


@dataclass(frozen=True)
class RoundProposal:
    """The optimised pairs, who is left out, the quotas, and the baseline beside them."""

    kind: Kind
    assignments: list[Assignment]
    left_out: list[LeftOut]
    quotas: list[QuotaResult]
    baseline: Plan
    places: int  # places offered in the round (sum of capacities)

    @property
    def plan(self) -> Plan:
        return Plan(
            tuple((a.entrepreneur_id, a.diaspora_id) for a in self.assignments),
            float(sum(a.score for a in self.assignments)),
        )


# --- the core, on matrices -----------------------------------------------------------------


@dataclass(frozen=True)
class Solution:
    """Rows and columns of the chosen pairs, and per quota: met, and the best share possible."""

    rows: NDArray[np.int64]
    cols: NDArray[np.int64]
    met: list[bool] = field(default_factory=list)
    best_share: list[float | None] = field(default_factory=list)


def baseline(scores: Matrix, keys: Matrix, capacity: NDArray[np.int64]) -> Solution:
    """Each entrepreneur takes their own top suggestion (by the ranking's sort key, among
    members with places); a member asked by more people than they have places keeps the
    best-scored ones, and the others are left without a counterpart."""
    if scores.size == 0:
        return Solution(np.zeros(0, np.int64), np.zeros(0, np.int64))
    open_keys = np.where((scores > 0) & (capacity[None, :] > 0), keys, 0.0)
    top = np.argmax(open_keys, axis=1)
    rows = np.flatnonzero(open_keys[np.arange(len(top)), top] > 0)
    cols = top[rows]
    order = np.lexsort((rows, -scores[rows, cols], cols))
    rows, cols = rows[order], cols[order]
    starts = np.searchsorted(cols, cols)
    rank = np.arange(len(cols)) - starts
    kept = rank < capacity[cols]
    return Solution(np.sort(rows[kept]), cols[kept][np.argsort(rows[kept])])


def solve(
    scores: Matrix,
    capacity: NDArray[np.int64],
    groups: Sequence[Group] = (),
    floor: int = 0,
    must_consider: tuple[IntArray, IntArray] | None = None,
) -> Solution:
    """The pairs of highest total score with at most one per row, at most `capacity` per
    column, only where scores > 0, at least `floor` pairs, and each group (a row mask and
    a minimum share of the pairs) met when it can be, in order.

    `must_consider` holds pairs known to be feasible together (the baseline's), so the
    floor can always be met.
    """
    problem = _Problem(scores, capacity.astype(np.float64), must_consider)
    kept: list[Group] = []
    best: list[float | None] = []  # None for a group kept as a constraint
    current = problem.optimise(kept, floor)
    for mask, share in groups:
        if _share(current[0], mask) < share - 1e-9:
            attempt = problem.optimise([*kept, (mask, share)], floor, elastic=True)
            if attempt[2] > 1e-6:  # short of the share even at the best
                best.append(_share(attempt[0], mask))
                continue
            current = attempt
        kept.append((mask, share))
        best.append(None)
    rows, cols, _ = current
    # Judged on the final pairs: settling fractional values can, rarely, miss a share.
    met = [
        b is None and _share(rows, m) >= s - 1e-9 for b, (m, s) in zip(best, groups, strict=True)
    ]
    best = [
        _share(rows, m) if b is None and not ok else b
        for b, ok, (m, _) in zip(best, met, groups, strict=True)
    ]
    return Solution(rows, cols, met, best)


def _share(rows: NDArray[np.int64], mask: NDArray[np.bool_]) -> float:
    """The share of `mask` rows among the chosen rows (1 when none is chosen)."""
    return float(mask[rows].sum() / len(rows)) if len(rows) else 1.0


class _Problem:
    """The linear programme on a growing list of candidate pairs (column generation)."""

    def __init__(
        self,
        scores: Matrix,
        capacity: NDArray[np.float64],
        must: tuple[IntArray, IntArray] | None,
    ) -> None:
        self.scores = scores
        self.capacity = capacity
        self.allowed = (scores > 0) & (capacity[None, :] > 0)
        self.candidates = self._start(must)

    def _start(self, must: tuple[IntArray, IntArray] | None) -> NDArray[np.bool_]:
        n_rows, n_cols = self.scores.shape
        chosen = np.zeros((n_rows, n_cols), dtype=bool)
        if n_rows == 0 or n_cols == 0:
            return chosen
        masked = np.where(self.allowed, self.scores, -1.0)
        k = min(CANDIDATES_PER_ENTREPRENEUR, n_cols)
        best = np.argpartition(-masked, k - 1, axis=1)[:, :k]
        chosen[np.arange(n_rows)[:, None], best] = True
        per_col = np.minimum(self.capacity * CANDIDATES_PER_PLACE, n_rows).astype(np.int64)
        k_col = int(per_col.max(initial=0))
        if k_col > 0:
            order = np.argpartition(-masked, k_col - 1, axis=0)[:k_col, :]
            take = np.arange(k_col)[:, None] < per_col[None, :]
            chosen[order[take], np.broadcast_to(np.arange(n_cols), order.shape)[take]] = True
        if must is not None and len(must[0]):
            chosen[must[0], must[1]] = True
        return chosen & self.allowed

    def optimise(
        self, groups: list[Group], floor: int, elastic: bool = False
    ) -> tuple[IntArray, IntArray, float]:
        """The best pairs under the groups and the floor, and by how many entrepreneurs
        the last group falls short. With `elastic`, the last group may fall short at a
        cost above any score, so the answer meets it whenever that is possible."""
        return self._lp(self.scores, groups, floor, elastic)

    # --- the linear programme --------------------------------------------------------------

    def _matrix(
        self, r: IntArray, c: IntArray, groups: list[Group], elastic: bool = False
    ) -> sp.csr_matrix:
        """Rows: one counterpart per entrepreneur, places per member, the floor (as
        -pairs <= -floor), then each group (share * pairs - members <= 0). Columns: the
        pairs, then with `elastic` the last group's shortfall."""
        n_rows, n_cols = self.scores.shape
        n = len(r)
        at = np.arange(n)
        blocks = [
            sp.csr_matrix((np.ones(n), (r, at)), shape=(n_rows, n)),
            sp.csr_matrix((np.ones(n), (c, at)), shape=(n_cols, n)),
            sp.csr_matrix(-np.ones((1, n))),
        ]
        for mask, share in groups:
            blocks.append(sp.csr_matrix((share - mask[r].astype(np.float64)).reshape(1, -1)))
        matrix = sp.vstack(blocks, format="csr")
        if elastic:
            shortfall = np.zeros((matrix.shape[0], 1))
            shortfall[-1, 0] = -1.0
            matrix = sp.hstack([matrix, sp.csr_matrix(shortfall)], format="csr")
        return matrix

    def _lp(
        self,
        weights: NDArray[np.floating],
        groups: list[Group],
        floor: int,
        elastic: bool = False,
    ) -> tuple[IntArray, IntArray, float]:
        """Solve on the candidates, price every allowed pair with the duals, add the ones
        that improve, repeat until none does; then make the answer integral. Returns the
        pairs and the shortfall of the elastic group (0 without one)."""
        n_rows, n_cols = self.scores.shape
        bounds = np.r_[np.ones(n_rows), self.capacity, -float(floor), np.zeros(len(groups))]
        weights = np.asarray(weights, dtype=np.float64)
        # Shares are whole percentages, so a choice that misses one misses it by at least
        # 1/100 of an entrepreneur: at this price a shortfall never buys score.
        shortfall_cost = [100.0 * (n_rows + 1)] if elastic else []
        empty = np.zeros(0, np.int64)
        for _ in range(MAX_PRICING_PASSES):
            r, c = np.nonzero(self.candidates)
            if len(r) == 0:
                return empty, empty, 0.0
            a = self._matrix(r, c, groups, elastic)
            cost = np.r_[-weights[r, c], shortfall_cost]
            limits = [(0, 1)] * len(r) + [(0, None)] * elastic
            result = linprog(cost, A_ub=a, b_ub=bounds, bounds=limits, method="highs-ds")
            if result.status != 0:
                # The baseline's pairs meet the floor and kept groups were met: cannot happen
                # for callers that keep to that; an empty answer says so.
                return empty, empty, float("inf")
            y = result.ineqlin.marginals
            reduced = -weights - y[:n_rows, None] - y[n_rows : n_rows + n_cols][None, :]
            reduced += y[n_rows + n_cols]
            for g, (mask, share) in enumerate(groups):
                reduced -= y[n_rows + n_cols + 1 + g] * (share - mask.astype(np.float64))[:, None]
            outside = self.allowed & ~self.candidates
            if not (outside & (reduced < -TOLERANCE)).any():
                break
            # Pairs that nearly improve join too: each pass costs a whole solve.
            self._add_best(outside & (reduced < NEARLY), reduced)
        x = self._settle(result.x, r, c, cost, groups, bounds, elastic)
        chosen = x[: len(r)] > 0.5
        order = np.argsort(r[chosen], kind="stable")
        rows, cols = r[chosen][order], c[chosen][order]
        # The shortfall of the whole pairs, not of the relaxation: a fractional answer can
        # meet a share that no whole answer meets (a quota then looked met and was kept).
        shortfall = 0.0
        if elastic:
            mask, share = groups[-1]
            shortfall = max(0.0, share * len(rows) - float(mask[rows].sum()))
        return rows, cols, shortfall

    def _add_best(self, improving: NDArray[np.bool_], reduced: NDArray[np.float64]) -> None:
        """Per row, the few pairs of lowest reduced cost join the candidates."""
        rows = np.flatnonzero(improving.any(axis=1))
        block = np.where(improving[rows], reduced[rows], np.inf)
        k = min(ADDED_PER_ROW, block.shape[1])
        best = np.argpartition(block, k - 1, axis=1)[:, :k]
        good = np.isfinite(block[np.arange(len(rows))[:, None], best])
        self.candidates[np.broadcast_to(rows[:, None], best.shape)[good], best[good]] = True

    def _settle(
        self,
        x: NDArray[np.float64],
        r: NDArray[np.int64],
        c: NDArray[np.int64],
        cost: NDArray[np.float64],
        groups: list[Group],
        bounds: NDArray[np.float64],
        elastic: bool,
    ) -> NDArray[np.float64]:
        """Make fractional values 0 or 1: an integer programme over the pairs that touch a
        fractional row or column, with every other pair fixed where the relaxation put it
        (over every candidate pair when there are few). Without groups the relaxation is
        integral already."""
        pairs = x[: len(r)]
        fractional = (pairs > 1e-6) & (pairs < 1 - 1e-6)
        if not fractional.any():
            return np.round(pairs)
        rows_touched = np.zeros(self.scores.shape[0], bool)
        cols_touched = np.zeros(self.scores.shape[1], bool)
        rows_touched[r[fractional]] = True
        cols_touched[c[fractional]] = True
        free = rows_touched[r] | cols_touched[c] | (len(r) <= WHOLE_MILP_PAIRS)
        low = np.r_[np.where(free, 0.0, np.round(pairs)), [0.0] * elastic]
        high = np.r_[np.where(free, 1.0, np.round(pairs)), [np.inf] * elastic]
        result = milp(
            cost,
            constraints=LinearConstraint(self._matrix(r, c, groups, elastic), -np.inf, bounds),
            integrality=np.r_[np.ones(len(r)), [0] * elastic],
            bounds=Bounds(low, high),
            options={"time_limit": MILP_SECONDS},
        )
        if result.x is not None:
            return np.round(result.x[: len(r)])
        return np.floor(pairs + 1e-6)  # keep the integral part; the quotas say what was met


# --- the round, on people ------------------------------------------------------------------


def propose_round(
    index: MatchIndex,
    kind: Kind,
    entrepreneur_ids: Sequence[int],
    capacity: Mapping[int, int],
    exclude: Collection[Pair] = (),
    quotas: Sequence[Quota] = (),
) -> RoundProposal:
    """Pair the entrepreneurs with the members in `capacity` (diaspora id -> places left in
    this round; 0 for a member who is full) for the highest total score; see the module
    docstring for the rules."""
    kind = Kind(kind)
    e_ids = np.asarray(sorted(set(entrepreneur_ids)), dtype=np.int64)
    # Members with no place left stay in, so that the reasons can say they are full.
    d_ids = np.asarray(sorted(capacity), dtype=np.int64)
    places = np.asarray([max(0, capacity[int(d)]) for d in d_ids], dtype=np.int64)
    scores, keys = index.pair_scores(kind, e_ids.tolist(), d_ids.tolist(), exclude)
    base = baseline(scores, keys, places)
    groups = [(np.isin(e_ids, list(q.members)), q.share) for q in quotas]
    solution = solve(
        scores, places, groups, floor=len(base.rows), must_consider=(base.rows, base.cols)
    )
    assignments = []
    for i, j in zip(solution.rows, solution.cols, strict=True):
        match = index.explain(int(e_ids[i]), int(d_ids[j]), kind, "entrepreneur")
        assignments.append(
            Assignment(
                match.entrepreneur_id,
                match.diaspora_id,
                float(scores[i, j]),
                match.reasons,
                match.components,
            )
        )
    reached_rows = set(solution.rows.tolist())
    left_out = [
        LeftOut(int(e_ids[i]), _why_left_out(index, kind, scores[i], places, solution, i))
        for i in range(len(e_ids))
        if i not in reached_rows
    ]
    results = []
    for quota, (mask, _), met, best in zip(
        quotas, groups, solution.met, solution.best_share, strict=True
    ):
        members = int(mask[solution.rows].sum())
        share = members / len(solution.rows) if len(solution.rows) else 0.0
        results.append(QuotaResult(quota, met, members, share, best))
    return RoundProposal(
        kind=kind,
        assignments=assignments,
        left_out=left_out,
        quotas=results,
        baseline=Plan(
            tuple(
                (int(e_ids[i]), int(d_ids[j])) for i, j in zip(base.rows, base.cols, strict=True)
            ),
            float(scores[base.rows, base.cols].sum()),
        ),
        places=int(places.sum()),
    )


def _why_left_out(
    index: MatchIndex,
    kind: Kind,
    row_scores: NDArray[np.float32],
    places: NDArray[np.int64],
    solution: Solution,
    row: int,
) -> str:
    """Why one entrepreneur got nobody, in words a coordinator can act on."""
    counterpart = "mentor" if kind is Kind.COACHING else "investor"
    if not (row_scores > 0).any():
        return (
            f"No {counterpart} in the round can be suggested: none shares a language"
            + (" or has a ticket range that fits" if kind is Kind.INVESTMENT else "")
            + ", or every possible one was already asked."
        )
    taken = np.bincount(solution.cols, minlength=len(places))
    if ((row_scores > 0) & (taken < places)).any():
        return (
            f"A {counterpart} had a place left, but reaching everyone else with better "
            "matches (and the quotas) left no room for this one."
        )
    return (
        f"Every {counterpart} who could be suggested is full: their places went to "
        "entrepreneurs they match better."
    )
