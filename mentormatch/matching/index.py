"""MatchIndex: a fitted index that ranks counterparts in both directions, per kind.

    index = MatchIndex.fit(entrepreneurs, diaspora, taxonomy)
    index.rank_for_entrepreneur(amina_id, Kind.COACHING, k=10)
    index.rank_for_diaspora(tesfaye_id, Kind.COACHING, k=10)
    index.top_k_all_entrepreneurs(Kind.COACHING, k=10)

Scoring a block of pairs is two small dense BLAS products (one per side), a per-place
region table added by broadcasting, the harmonic mean, and hard constraints applied as
masks (language by a third product). Top-k is taken per chunk of rows, so no full score
matrix is ever built. See docs/decisions/003-harmonic-mean.md and 004-matching-engine.md.

Ranking keys: for coaching, a member with a tie to the entrepreneur's country and a
comparable match (weights.HOME_TIE_MIN_SCORE) is ranked before every member without one,
by adding 1 to the half score (which is at most 0.5) to make the sort key; the score
shown is the half score doubled. Equal keys are ordered by the viewer's own side of the
fit, then place, then spare capacity, then a hash of the pair: never by database id
(docs/decisions/012-ranking-principles.md).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import ThreadpoolController

from mentormatch.matching import weights as W
from mentormatch.matching.features import (
    DiasporaFeatures,
    EntrepreneurFeatures,
    Matrix,
    diaspora_features,
    entrepreneur_features,
    region_table,
    vocabulary,
)
from mentormatch.matching.reasons import Covered, Reason, reasons_for
from mentormatch.matching.records import DiasporaRecord, EntrepreneurRecord, Kind, Taxonomy
from mentormatch.matching.text import SkillText

Pair = tuple[int, int]  # (entrepreneur profile id, diaspora profile id)
Side = str  # "entrepreneur" or "diaspora": whose fit, or who is looking
SIDES: tuple[Side, Side] = ("entrepreneur", "diaspora")

# Rows scored together in the all-pairs ranking: big enough for BLAS, small enough for cache.
CHUNK_ROWS = 64
# Top-k first takes the k-th best of the first k * SAMPLE_PER_K columns as a floor (never
# above the true k-th best), then sorts only the values that reach it.
SAMPLE_PER_K = 200
# Added to the half score (at most 0.5) of a coaching pair with a home tie: the sort key
# puts every such pair first (see weights.HOME_TIE_MIN_SCORE).
TIER = np.float32(1.0)
# One query is a few matrix-vector products: BLAS threads only add start-up cost.
_BLAS = ThreadpoolController()

# Keeps the harmonic mean defined when both sides are 0; far below MIN_SCORE.
EPSILON = 1e-9


@dataclass(frozen=True)
class Match:
    """One suggestion: who, how well (score in [0, 1]), from what, and why in words."""

    entrepreneur_id: int
    diaspora_id: int
    kind: Kind
    score: float
    fit: Mapping[Side, float]
    components: Mapping[Side, Mapping[str, float]]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Ranking:
    """The top matches for one person, and how many suggestions there are in all."""

    matches: list[Match]
    total: int


@dataclass(frozen=True)
class TopK:
    """Top-k of many people at once: row i of `ids`/`scores` belongs to `query_ids[i]`;
    -1 pads rows with fewer than k suggestions."""

    query_ids: NDArray[np.int64]
    ids: NDArray[np.int64]
    scores: NDArray[np.float32]


@dataclass
class _Columns:
    """Diaspora members that can be suggested for one kind, with their blocks."""

    rows: NDArray[np.int64]  # rows of DiasporaFeatures
    ids: NDArray[np.int64]
    fit_e: Matrix  # entrepreneur-side fit, diaspora half
    fit_d: Matrix  # diaspora-side fit, diaspora half
    languages: Matrix  # 0/1
    region_e: Matrix  # places x columns, weighted for the entrepreneur side
    region_d: Matrix
    home: NDArray[np.bool_] | None  # places x columns: tied to the place's country (coaching)
    ticket_min: NDArray[np.float64]
    ticket_max: NDArray[np.float64]
    capacity_left: NDArray[np.int64]
    breadth: NDArray[np.int64]  # value chains plus skills offered: fewer is more focused

    def subset(self, keep: NDArray[np.int64]) -> _Columns:
        """The columns at positions `keep`, copied contiguous for BLAS."""
        return _Columns(
            rows=self.rows[keep],
            ids=self.ids[keep],
            fit_e=np.ascontiguousarray(self.fit_e[keep]),
            fit_d=np.ascontiguousarray(self.fit_d[keep]),
            languages=np.ascontiguousarray(self.languages[keep]),
            region_e=np.ascontiguousarray(self.region_e[:, keep]),
            region_d=np.ascontiguousarray(self.region_d[:, keep]),
            home=None if self.home is None else np.ascontiguousarray(self.home[:, keep]),
            ticket_min=self.ticket_min[keep],
            ticket_max=self.ticket_max[keep],
            capacity_left=self.capacity_left[keep],
            breadth=self.breadth[keep],
        )


@dataclass
class _KindIndex:
    """Everything needed to score pairs of one kind."""

    kind: Kind
    e_rows: NDArray[np.int64]  # rows of EntrepreneurFeatures that can be suggested
    e_ids: NDArray[np.int64]
    fit_e: Matrix  # entrepreneur-side fit, entrepreneur half
    fit_d: Matrix
    language_share: Matrix
    language_group: NDArray[np.int64]  # rows with the same languages share a group
    group_share: Matrix  # language share of each group
    place: NDArray[np.int64]
    amount: NDArray[np.float64]
    breadth: NDArray[np.int64]  # value chains plus skills needed
    language_weight: Mapping[Side, float]
    columns: _Columns


class MatchIndex:
    """Ranks entrepreneurs and diaspora members for each other; fit once, query often."""

    def __init__(
        self,
        entrepreneurs: Sequence[EntrepreneurRecord],
        diaspora: Sequence[DiasporaRecord],
        taxonomy: Taxonomy,
        e_features: EntrepreneurFeatures,
        d_features: DiasporaFeatures,
        regions: Matrix,
    ) -> None:
        self.entrepreneurs = list(entrepreneurs)
        self.diaspora = list(diaspora)
        self.taxonomy = taxonomy
        self.e = e_features
        self.d = d_features
        self.regions = regions
        self.text = SkillText(taxonomy.skill_keywords, list(taxonomy.skill_labels))
        self._kinds = {kind: self._kind_index(kind) for kind in Kind}

    # --- fitting -----------------------------------------------------------------------

    @classmethod
    def fit(
        cls,
        entrepreneurs: Sequence[EntrepreneurRecord],
        diaspora: Sequence[DiasporaRecord],
        taxonomy: Taxonomy,
    ) -> MatchIndex:
        """Build every feature block from the records; ids must be unique per side."""
        es = sorted(entrepreneurs, key=lambda r: r.id)
        ds = sorted(diaspora, key=lambda r: r.id)
        vocab = vocabulary(es, ds, taxonomy)
        text = SkillText(taxonomy.skill_keywords, vocab.skills)
        return cls(
            es,
            ds,
            taxonomy,
            entrepreneur_features(es, vocab, taxonomy, text),
            diaspora_features(ds, vocab, taxonomy, text),
            region_table(vocab.places, ds, taxonomy),
        )

    def _blocks(self, kind: Kind, side: Side) -> tuple[Matrix, Matrix]:
        """Entrepreneur and diaspora halves of one side's fit: their product is the fit
        without region and language, which are added per place and per language group.

        The entrepreneur's side takes the entrepreneur's shares against the member's 0/1
        rows (how much of my chains and needs they cover); the diaspora side the member's
        shares against the entrepreneur's rows (how much of their offer is about me)."""
        w = W.WEIGHTS[kind][side]
        e, d = self.e, self.d
        chain = w["value_chain"]
        if side == "entrepreneur":
            chains, groups, skills = (
                (e.chain_share, d.chains),
                (e.group_share, d.groups),
                (e.needs, d.offers),
            )
        else:
            chains, groups, skills = (
                (e.chains, d.chain_share),
                (e.groups, d.group_share),
                (e.need_raw, d.offer_share),
            )
        halves: list[tuple[NDArray[np.floating], NDArray[np.floating]]] = [
            (chains[0] * chain * (1 - W.GROUP_CREDIT), chains[1]),
            (groups[0] * chain * W.GROUP_CREDIT, groups[1]),
        ]
        named = {
            "skills": skills,
            "stage": (e.stage, d.stages),
            "instruments": (e.instruments, d.instruments),
        }
        for name, (e_half, d_half) in named.items():
            if name in w:
                halves.append((e_half * w[name], d_half))
        # A ticket inside the range is a hard constraint; it counts fully once it holds.
        constant = w.get("ticket", 0.0) + (EPSILON if side == "entrepreneur" else 0.0)
        n_e, n_d = len(e.ids), len(d.ids)
        halves.append((np.full((n_e, 1), constant), np.ones((n_d, 1))))
        e_half = np.hstack([h[0] for h in halves]).astype(np.float32)
        d_half = np.hstack([h[1] for h in halves]).astype(np.float32)
        return e_half, d_half

    def _kind_index(self, kind: Kind) -> _KindIndex:
        e, d = self.e, self.d
        if kind is Kind.COACHING:
            e_ok = e.active
            d_ok = d.active & d.coaching & (d.capacity > 0)
        else:
            e_ok = e.active & e.seeking
            d_ok = d.active & d.investing & (d.ticket_min <= d.ticket_max)
        e_rows, d_rows = np.flatnonzero(e_ok), np.flatnonzero(d_ok)
        e_fit_e, d_fit_e = self._blocks(kind, "entrepreneur")
        e_fit_d, d_fit_d = self._blocks(kind, "diaspora")
        wr = W.WEIGHTS[kind]
        regions = self.regions[:, d_rows]
        columns = _Columns(
            rows=d_rows,
            ids=d.ids[d_rows],
            fit_e=np.ascontiguousarray(d_fit_e[d_rows]),
            fit_d=np.ascontiguousarray(d_fit_d[d_rows]),
            languages=np.ascontiguousarray(d.languages[d_rows]),
            region_e=regions * np.float32(wr["entrepreneur"]["region"]),
            region_d=regions * np.float32(wr["diaspora"]["region"]),
            home=(regions >= W.REGION_CREDIT["country"]) if kind is Kind.COACHING else None,
            ticket_min=d.ticket_min[d_rows],
            ticket_max=d.ticket_max[d_rows],
            capacity_left=(d.capacity - d.current)[d_rows],
            breadth=_breadth(d.chains, d.offers)[d_rows],
        )
        shares = e.language_share[e_rows]
        group_share, group = np.unique(shares, axis=0, return_inverse=True)
        return _KindIndex(
            kind=kind,
            e_rows=e_rows,
            e_ids=e.ids[e_rows],
            fit_e=np.ascontiguousarray(e_fit_e[e_rows]),
            fit_d=np.ascontiguousarray(e_fit_d[e_rows]),
            language_share=np.ascontiguousarray(shares),
            language_group=group.reshape(-1).astype(np.int64),
            group_share=group_share.astype(np.float32),
            place=e.place[e_rows],
            amount=e.amount[e_rows],
            breadth=_breadth(e.chains, e.need_raw)[e_rows],
            language_weight={s: wr[s].get("language", 0.0) for s in SIDES},
            columns=columns,
        )

    # --- scoring -----------------------------------------------------------------------

    @staticmethod
    @staticmethod
    def _harmonic_half(
        fit_e: Matrix, fit_d: Matrix, common: Matrix | None, total: Matrix | None = None
    ) -> Matrix:
        """Half the harmonic mean of the two fits, in place in fit_e; 0 without a common
        language (`common` is the language share, > 0 exactly when one is shared; None
        when the columns were already chosen by language)."""
        total = np.add(fit_e, fit_d, out=total)
        np.multiply(fit_e, fit_d, out=fit_e)
        np.divide(fit_e, total, out=fit_e)
        if common is not None:
            np.multiply(fit_e, common > 0, out=fit_e)
        return fit_e

    @staticmethod
    def _ticket_ok(
        amount: NDArray[np.float64], low: NDArray[np.float64], high: NDArray[np.float64]
    ) -> NDArray[np.bool_]:
        # An unknown amount (NaN) fails both comparisons, so no range excludes it.
        return ~(amount < low) & ~(amount > high)

    @staticmethod
    def _add_tier(half: Matrix, home: NDArray[np.bool_] | None) -> Matrix:
        """Sort keys from half scores, in place: + TIER for a comparable home-tied pair."""
        if home is not None:
            comparable = home & (half >= np.float32(W.HOME_TIE_MIN_SCORE / 2))
            half += comparable * TIER
        return half

    def _row_keys(self, ki: _KindIndex, row: int) -> Matrix:
        """Sort keys of one entrepreneur against every open column of the kind."""
        cols, place, lw = ki.columns, ki.place[row], ki.language_weight
        common = cols.languages @ ki.language_share[row]
        fit_e = cols.fit_e @ ki.fit_e[row] + cols.region_e[place] + lw["entrepreneur"] * common
        fit_d = cols.fit_d @ ki.fit_d[row] + cols.region_d[place] + lw["diaspora"] * common
        half = self._harmonic_half(fit_e, fit_d, common)
        if ki.kind is Kind.INVESTMENT:
            half *= self._ticket_ok(ki.amount[row], cols.ticket_min, cols.ticket_max)
        return self._add_tier(half, None if cols.home is None else cols.home[place])

    def _column_keys(self, ki: _KindIndex, col: int) -> Matrix:
        """Sort keys of one diaspora member (a column) against every entrepreneur row."""
        cols, lw = ki.columns, ki.language_weight
        common = ki.language_share @ cols.languages[col]
        fit_e = ki.fit_e @ cols.fit_e[col] + cols.region_e[ki.place, col]
        fit_e += lw["entrepreneur"] * common
        fit_d = ki.fit_d @ cols.fit_d[col] + cols.region_d[ki.place, col]
        fit_d += lw["diaspora"] * common
        half = self._harmonic_half(fit_e, fit_d, common)
        if ki.kind is Kind.INVESTMENT:
            half *= self._ticket_ok(ki.amount, cols.ticket_min[col], cols.ticket_max[col])
        return self._add_tier(half, None if cols.home is None else cols.home[ki.place, col])

    def _side_fit(
        self, ki: _KindIndex, cols: _Columns, rows: NDArray[np.int64], at: NDArray[np.int64],
        side: Side,
    ) -> Matrix:  # fmt: skip
        """One side's fit of the pairs (rows[i], column at[i]), for ordering equal keys."""
        e_half, d_half = (
            (ki.fit_e, cols.fit_e) if side == "entrepreneur" else (ki.fit_d, cols.fit_d)
        )
        region = cols.region_e if side == "entrepreneur" else cols.region_d
        common = np.einsum("ij,ij->i", ki.language_share[rows], cols.languages[at])
        fit = np.einsum("ij,ij->i", e_half[rows], d_half[at])
        return np.asarray(
            fit + region[ki.place[rows], at] + ki.language_weight[side] * common, np.float32
        )

    def _tiebreak(
        self, ki: _KindIndex, cols: _Columns, rows: NDArray[np.int64], viewer: Side
    ) -> TieBreak:
        """Secondary keys for equal sort keys: the viewer's own side of the fit, then how
        close the places are, then the more focused counterpart (fewer chains and skills),
        then spare coaching capacity, then a hash of the pair."""

        def keys(r: NDArray[np.int64], c: NDArray[np.int64]) -> list[NDArray[np.generic]]:
            at_rows = rows[r]
            breadth = cols.breadth[c] if viewer == "entrepreneur" else ki.breadth[at_rows]
            return [
                self._side_fit(ki, cols, at_rows, c, viewer),
                cols.region_e[ki.place[at_rows], c],
                -breadth,
                cols.capacity_left[c],
                _pair_hash(ki.e_ids[at_rows], cols.ids[c]),
            ]

        return keys

    def _open(self, ki: _KindIndex, load: Mapping[int, int] | None) -> NDArray[np.bool_]:
        """Which columns have coaching capacity left under `load` (all, for investment)."""
        cols = ki.columns
        if ki.kind is not Kind.COACHING:
            return np.ones(len(cols.ids), dtype=bool)
        left = cols.capacity_left
        if load is not None:
            taken = np.array([load.get(int(i), 0) for i in cols.ids], dtype=np.int64)
            left = self.d.capacity[cols.rows] - taken
        return np.asarray(left > 0)

    # --- queries -----------------------------------------------------------------------

    def rank_for_entrepreneur(
        self,
        entrepreneur_id: int,
        kind: Kind,
        k: int = 10,
        exclude: Collection[Pair] = (),
        load: Mapping[int, int] | None = None,
        among: Collection[int] | None = None,
    ) -> Ranking:
        """The k best diaspora members for one entrepreneur, best first.

        `exclude` holds (entrepreneur id, diaspora id) pairs never to suggest, `load` the
        open coaching pairings per diaspora id (default: from the records), `among` the
        diaspora ids a filter leaves (default: all).
        """
        ki = self._kinds[Kind(kind)]
        row = _find(ki.e_ids, entrepreneur_id)
        if row is None:
            return Ranking([], 0)
        cols = ki.columns
        banned = [d for e, d in exclude if e == entrepreneur_id]
        with _BLAS.limit(limits=1, user_api="blas"):
            keys = self._row_keys(ki, row)
        keys *= _allowed(self._open(ki, load), cols.ids, among, banned)
        rows = np.array([row], dtype=np.int64)
        idx, total = _top_of_one(keys, k, self._tiebreak(ki, cols, rows, "entrepreneur"))
        e_row = int(ki.e_rows[row])
        matches = [
            self._match(ki.kind, e_row, int(cols.rows[c]), "entrepreneur") for c in idx if c >= 0
        ]
        return Ranking(matches, total)

    def rank_for_diaspora(
        self,
        diaspora_id: int,
        kind: Kind,
        k: int = 10,
        exclude: Collection[Pair] = (),
        load: Mapping[int, int] | None = None,
        among: Collection[int] | None = None,
    ) -> Ranking:
        """The k best entrepreneurs for one diaspora member, best first (same arguments)."""
        ki = self._kinds[Kind(kind)]
        col = _find(ki.columns.ids, diaspora_id)
        if col is None or not self._open(ki, load)[col]:
            return Ranking([], 0)
        banned = [e for e, d in exclude if d == diaspora_id]
        with _BLAS.limit(limits=1, user_api="blas"):
            keys = self._column_keys(ki, col)
        keys *= _allowed(np.ones(len(ki.e_ids), dtype=bool), ki.e_ids, among, banned)
        # The rows here are entrepreneurs: ask for secondary keys with rows and columns swapped.
        one_col = ki.columns.subset(np.array([col], dtype=np.int64))
        swapped = self._tiebreak(ki, one_col, np.arange(len(ki.e_ids)), "diaspora")

        def tiebreak(r: NDArray[np.int64], c: NDArray[np.int64]) -> list[NDArray[np.generic]]:
            return swapped(c, np.zeros_like(c))

        idx, total = _top_of_one(keys, k, tiebreak)
        d_row = int(ki.columns.rows[col])
        matches = [
            self._match(ki.kind, int(ki.e_rows[r]), d_row, "diaspora") for r in idx if r >= 0
        ]
        return Ranking(matches, total)

    def top_k_all_entrepreneurs(
        self,
        kind: Kind,
        k: int = 10,
        exclude: Collection[Pair] = (),
        load: Mapping[int, int] | None = None,
        n_jobs: int = 2,
    ) -> TopK:
        """Every entrepreneur's k best diaspora ids and scores, on `n_jobs` threads.

        Entrepreneurs who speak the same languages are ranked together against only the
        diaspora members they share a language with; within that, rows of the same place
        share the region broadcast, and top-k is taken per chunk of rows.
        """
        ki = self._kinds[Kind(kind)]
        open_cols = ki.columns.subset(np.flatnonzero(self._open(ki, load)))
        banned: dict[int, list[int]] = defaultdict(list)
        for e_id, d_id in exclude:
            row = _find(ki.e_ids, e_id)
            if row is not None:
                banned[row].append(d_id)
        n = len(ki.e_ids)
        ids = np.full((n, k), -1, dtype=np.int64)
        scores = np.zeros((n, k), dtype=np.float32)
        common_all = ki.group_share @ open_cols.languages.T
        order = np.lexsort((ki.place, ki.language_group))
        group_starts = np.flatnonzero(np.r_[True, np.diff(ki.language_group[order]) != 0])
        groups = np.split(order, group_starts[1:])

        width = len(open_cols.ids)
        workspaces = threading.local()

        def workspace(b: int, m: int) -> tuple[Matrix, Matrix, Matrix, NDArray[np.bool_]]:
            """Per-thread buffers reused across chunks: fresh large arrays cost page faults."""
            if not hasattr(workspaces, "buffers"):
                size = CHUNK_ROWS * width
                workspaces.buffers = (
                    np.empty(size, np.float32),
                    np.empty(size, np.float32),
                    np.empty(size, np.float32),
                    np.empty(size, bool),
                )
            return tuple(buf[: b * m].reshape(b, m) for buf in workspaces.buffers)

        def rank_group(rows: NDArray[np.int64]) -> None:
            if len(rows) == 0:
                return
            common = common_all[ki.language_group[rows[0]]]
            keep = np.flatnonzero(common > 0)
            if len(keep) == 0:
                return
            cols, common = open_cols.subset(keep), common[keep]
            places = np.unique(ki.place[rows])
            extra_e = cols.region_e[places] + ki.language_weight["entrepreneur"] * common
            extra_d = cols.region_d[places] + ki.language_weight["diaspora"] * common
            for start in range(0, len(rows), CHUNK_ROWS):
                chunk = rows[start : start + CHUNK_ROWS]
                fit_e, fit_d, total, mask = workspace(len(chunk), len(keep))
                np.matmul(ki.fit_e[chunk], cols.fit_e.T, out=fit_e)
                np.matmul(ki.fit_d[chunk], cols.fit_d.T, out=fit_d)
                at = np.searchsorted(places, ki.place[chunk])
                runs = np.flatnonzero(np.r_[True, at[1:] != at[:-1]])
                for s, e in zip(runs, np.r_[runs[1:], len(chunk)], strict=True):
                    fit_e[s:e] += extra_e[at[s]]
                    fit_d[s:e] += extra_d[at[s]]
                half = self._harmonic_half(fit_e, fit_d, None, total)
                if ki.kind is Kind.INVESTMENT:
                    amount = ki.amount[chunk][:, None]
                    half *= self._ticket_ok(amount, cols.ticket_min, cols.ticket_max)
                keys = self._add_tier(
                    half, None if cols.home is None else cols.home[ki.place[chunk]]
                )
                for i, row in enumerate(chunk):
                    if row in banned:
                        keys[i, np.isin(cols.ids, banned[row])] = 0.0
                idx, top = top_k(keys, k, mask, self._tiebreak(ki, cols, chunk, "entrepreneur"))
                ids[chunk] = np.where(idx >= 0, cols.ids[idx], -1)
                scores[chunk] = score_of(top)

        # Threads share the fitted arrays; BLAS stays single-threaded inside each one.
        with _BLAS.limit(limits=1, user_api="blas"), ThreadPoolExecutor(max(1, n_jobs)) as pool:
            list(pool.map(rank_group, sorted(groups, key=len, reverse=True)))
        return TopK(ki.e_ids.copy(), ids, scores)

    def pair_scores(
        self,
        kind: Kind,
        entrepreneur_ids: Sequence[int],
        diaspora_ids: Sequence[int],
        exclude: Collection[Pair] = (),
    ) -> tuple[Matrix, Matrix]:
        """Scores and sort keys of every pair of the given people (rows in the order of
        `entrepreneur_ids`, columns in that of `diaspora_ids`): 0 where a hard constraint
        forbids the pair, either person cannot be suggested for the kind, or it is excluded.

        Capacity is not applied: whoever asks decides how many each member may still take.
        """
        ki = self._kinds[Kind(kind)]
        cols = ki.columns
        wanted = np.asarray(diaspora_ids, dtype=np.int64)
        keys = np.zeros((len(entrepreneur_ids), len(wanted)), dtype=np.float32)
        if len(cols.ids) == 0:
            return keys, keys.copy()
        where = np.minimum(np.searchsorted(cols.ids, wanted), len(cols.ids) - 1)
        known = cols.ids[where] == wanted
        with _BLAS.limit(limits=1, user_api="blas"):
            for i, e_id in enumerate(entrepreneur_ids):
                row = _find(ki.e_ids, int(e_id))
                if row is not None:
                    keys[i, known] = self._row_keys(ki, row)[where[known]]
        keys[keys <= W.MIN_SCORE / 2] = 0.0
        if exclude:
            e_at = {int(e): i for i, e in enumerate(entrepreneur_ids)}
            d_at = {int(d): j for j, d in enumerate(diaspora_ids)}
            for e, d in exclude:
                if e in e_at and d in d_at:
                    keys[e_at[e], d_at[d]] = 0.0
        return score_of(keys), keys

    def explain(self, entrepreneur_id: int, diaspora_id: int, kind: Kind, viewer: Side) -> Match:
        """Score, components and reasons of one pair, worded for `viewer`; constraints are
        not checked here (the rankers do that)."""
        e_row, d_row = _find(self.e.ids, entrepreneur_id), _find(self.d.ids, diaspora_id)
        if e_row is None or d_row is None:
            raise KeyError((entrepreneur_id, diaspora_id))
        return self._match(Kind(kind), e_row, d_row, viewer)

    # --- explanations --------------------------------------------------------------------

    def components(self, kind: Kind, e_row: int, d_row: int) -> dict[Side, dict[str, float]]:
        """Each component in [0, 1] of both sides' fit, from the same blocks as the score."""
        e, d = self.e, self.d
        gc = W.GROUP_CREDIT
        shared = {
            "region": float(self.regions[e.place[e_row], d_row]),
            "language": float(e.language_share[e_row] @ d.languages[d_row]),
            "stage": float(e.stage[e_row] @ d.stages[d_row]),
            "instruments": float(e.instruments[e_row] @ d.instruments[d_row]),
            "ticket": 1.0,
        }
        by_side = {
            "entrepreneur": {
                "value_chain": float(
                    (1 - gc) * e.chain_share[e_row] @ d.chains[d_row]
                    + gc * e.group_share[e_row] @ d.groups[d_row]
                ),
                "skills": float(e.needs[e_row] @ d.offers[d_row]),
            },
            "diaspora": {
                "value_chain": float(
                    (1 - gc) * e.chains[e_row] @ d.chain_share[d_row]
                    + gc * e.groups[e_row] @ d.group_share[d_row]
                ),
                "skills": float(e.need_raw[e_row] @ d.offer_share[d_row]),
            },
        }
        return {
            side: {
                name: min(1.0, {**shared, **by_side[side]}[name]) for name in W.WEIGHTS[kind][side]
            }
            for side in SIDES
        }

    def _match(self, kind: Kind, e_row: int, d_row: int, viewer: Side) -> Match:
        components = self.components(kind, e_row, d_row)
        fit = {
            side: sum(W.WEIGHTS[kind][side][n] * v for n, v in components[side].items())
            for side in SIDES
        }
        a, b = fit["entrepreneur"], fit["diaspora"]
        score = 2 * a * b / (a + b) if a + b > 0 else 0.0
        entrepreneur, member = self.entrepreneurs[e_row], self.diaspora[d_row]
        reasons = reasons_for(
            kind,
            viewer,
            entrepreneur,
            member,
            components,
            self._covered(e_row, d_row),
            self.taxonomy,
        )
        return Match(
            entrepreneur_id=entrepreneur.id,
            diaspora_id=member.id,
            kind=kind,
            score=min(1.0, max(0.0, score)),
            fit=fit,
            components=components,
            reasons=reasons,
        )

    def _covered(self, e_row: int, d_row: int) -> list[Covered]:
        """The entrepreneur's needs the member's offer covers, most covered first, each with
        the words it was read from when it came from free text."""
        covered = self.e.need_raw[e_row] * self.d.offers[d_row]
        skills = list(self.taxonomy.skill_labels)
        e, d = self.entrepreneurs[e_row], self.diaspora[d_row]
        needed = self.text.evidence(e.skills_needed_text, e.languages).words
        offered = self.text.evidence(d.skills_offered_text, d.languages).words
        found = [
            Covered(
                skills[i],
                float(covered[i]),
                () if skills[i] in e.skills_needed else needed.get(skills[i], ()),
                () if skills[i] in d.skills_offered else offered.get(skills[i], ()),
            )
            for i in np.flatnonzero(covered > 0)
        ]
        position = {code: i for i, code in enumerate(skills)}
        return sorted(found, key=lambda c: (-c.value, position[c.skill]))


def _breadth(chains: Matrix, skills: Matrix) -> NDArray[np.int64]:
    """How many value chains and skills each row lists."""
    return np.asarray((chains > 0).sum(axis=1) + (skills > 0).sum(axis=1), dtype=np.int64)


TieBreak = Callable[[NDArray[np.int64], NDArray[np.int64]], list[NDArray[np.generic]]]


def _pair_hash(e_ids: NDArray[np.int64], d_ids: NDArray[np.int64]) -> NDArray[np.uint64]:
    """A fixed pseudo-random number per pair: the last tie-break, so that among identical
    candidates neither the oldest nor the newest account always comes first."""
    with np.errstate(over="ignore"):
        h = e_ids.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        h ^= d_ids.astype(np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)
        h ^= h >> np.uint64(31)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(29)
    return h


def score_of(keys: NDArray[np.float32]) -> NDArray[np.float32]:
    """The score shown for a sort key: the half score, without the home-tie tier, doubled."""
    half = keys - (keys >= TIER) * TIER
    return np.minimum(2 * half, np.float32(1.0)).astype(np.float32)


def _allowed(
    allowed: NDArray[np.bool_],
    ids: NDArray[np.int64],
    among: Collection[int] | None,
    banned: list[int],
) -> NDArray[np.bool_]:
    """Narrow `allowed` to the ids a filter leaves, minus the excluded ones."""
    if among is not None:
        allowed &= np.isin(ids, np.fromiter(among, dtype=np.int64))
    if banned:
        allowed &= ~np.isin(ids, np.array(banned, dtype=np.int64))
    return allowed


def _top_of_one(keys: Matrix, k: int, tiebreak: TieBreak) -> tuple[NDArray[np.int64], int]:
    """Top-k positions of one query's sort keys, and how many suggestions there are."""
    idx, _ = top_k(keys[None, :], k, tiebreak=tiebreak)
    return idx[0], int(np.count_nonzero(keys > W.MIN_SCORE / 2))


def _find(sorted_ids: NDArray[np.int64], wanted: int) -> int | None:
    """Position of an id in an ascending id array, or None."""
    pos = int(np.searchsorted(sorted_ids, wanted))
    return pos if pos < len(sorted_ids) and sorted_ids[pos] == wanted else None


def top_k(
    keys: Matrix,
    k: int,
    mask: NDArray[np.bool_] | None = None,
    tiebreak: TieBreak | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """Per row, the columns of the k highest keys and their keys; -1 and 0 where a row has
    fewer than k keys above MIN_SCORE / 2.

    Equal keys are ordered by `tiebreak(rows, columns)` (secondary keys, higher first),
    else by lower column. The k-th best of a sample of columns is a floor no higher than
    the row's true k-th best, so sorting only the values at or above it (all ties of the
    k-th value included) gives the exact top k.
    """
    n, m = keys.shape
    ids = np.full((n, k), -1, dtype=np.int64)
    top = np.zeros((n, k), dtype=np.float32)
    if m == 0 or k == 0:
        return ids, top
    floor = np.full(n, np.nextafter(np.float32(W.MIN_SCORE / 2), np.float32(1)), np.float32)
    sample = k * SAMPLE_PER_K
    if m > 2 * sample:
        # Any subset of columns gives a valid floor; a contiguous one partitions fastest.
        kth = np.partition(keys[:, :sample], sample - k, axis=1)[:, sample - k]
        np.maximum(floor, kth, out=floor)
    # flatnonzero is many times faster than a 2-D nonzero on a mostly-False mask; its
    # order is (row, column), which a stable sort keeps for equal keys.
    flat = np.flatnonzero(np.greater_equal(keys, floor[:, None], out=mask))
    r, c = np.divmod(flat, m)
    v = keys.reshape(-1)[flat]
    if tiebreak is None:
        # One integer key (row, then key descending): the bits of a float >= 0 sort like it.
        descending = np.int64(0x7FFFFFFF) - v.view(np.int32).astype(np.int64)
        order = np.argsort((r << 32) | descending, kind="stable")
    else:
        secondary = [np.negative(np.asarray(s, dtype=np.float64)) for s in tiebreak(r, c)]
        # lexsort sorts by the last key first: row, then key, then each secondary in turn.
        order = np.lexsort((*reversed(secondary), -v.astype(np.float64), r))
    r, c, v = r[order], c[order], v[order]
    rank = np.arange(len(r)) - np.searchsorted(r, np.arange(n))[r]
    kept = rank < k
    ids[r[kept], rank[kept]] = c[kept]
    top[r[kept], rank[kept]] = v[kept]
    return ids, top
