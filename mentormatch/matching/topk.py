"""Exact top-k of score rows without sorting whole rows, and the keys that order ties.

Sort keys are half scores (the harmonic mean halved, at most 0.5) plus TIER for a
coaching pair with a comparable home tie (weights.HOME_TIE_MIN_SCORE); the score shown is
the half score without the tier, doubled (`score_of`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from mentormatch.matching import weights as W

Matrix = NDArray[np.float32]
# Secondary keys for equal sort keys of the candidates (rows, columns), higher first.
TieBreak = Callable[[NDArray[np.int64], NDArray[np.int64]], list[NDArray[np.generic]]]

# Top-k first takes the k-th best of a sample of columns as a floor (never above the true
# k-th best), then sorts only the values that reach it. The sample is a quarter of the
# columns, at most k * SAMPLE_PER_K of them, and is used from SAMPLE_MIN_PER_K * k columns
# on: the saving then grows smoothly with the width instead of switching on at one size.
SAMPLE_PER_K = 200
SAMPLE_MIN_PER_K = 4
# Added to the half score of a coaching pair with a home tie: the sort key puts every
# such pair first.
TIER = np.float32(1.0)


def score_of(keys: NDArray[np.float32]) -> NDArray[np.float32]:
    """The score shown for a sort key: the half score, without the home-tie tier, doubled."""
    half = keys - (keys >= TIER) * TIER
    return np.minimum(2 * half, np.float32(1.0)).astype(np.float32)


def pair_hash(e_ids: NDArray[np.int64], d_ids: NDArray[np.int64]) -> NDArray[np.uint64]:
    """A fixed pseudo-random number per pair: the last tie-break, so that among identical
    candidates neither the oldest nor the newest account always comes first."""
    with np.errstate(over="ignore"):
        h = e_ids.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        h ^= d_ids.astype(np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)
        h ^= h >> np.uint64(31)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(29)
    return h


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
    k-th value included) gives the exact top k. `mask` is an optional boolean buffer of
    the keys' shape, reused to avoid allocating one.
    """
    n, m = keys.shape
    ids = np.full((n, k), -1, dtype=np.int64)
    top = np.zeros((n, k), dtype=np.float32)
    if m == 0 or k == 0:
        return ids, top
    floor = np.full(n, np.nextafter(np.float32(W.MIN_SCORE / 2), np.float32(1)), np.float32)
    sample = min(k * SAMPLE_PER_K, m // 4)
    if sample >= SAMPLE_MIN_PER_K * k:
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
