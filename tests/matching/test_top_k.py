"""The fused top-k equals a plain sort: best first, ties by lower column (or by the
tie-break keys given), zeros dropped."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mentormatch.matching.index import top_k


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 5),
    st.integers(1, 6000),
    st.integers(1, 15),
    st.booleans(),
    st.integers(0, 2**32 - 1),
)
def test_top_k_equals_a_plain_sort(n: int, m: int, k: int, ties: bool, seed: int) -> None:
    rng = np.random.default_rng(seed)
    if ties:  # few distinct values: ties everywhere, as with discrete profiles
        half = (rng.integers(0, 5, size=(n, m)) / 10).astype(np.float32)
    else:
        half = (rng.random((n, m)) * 0.5).astype(np.float32)
    ids, scores = top_k(half.copy(), k)
    for i in range(n):
        expected = sorted(
            (j for j in range(m) if half[i, j] > 5e-5), key=lambda j: (-half[i, j], j)
        )
        assert [int(x) for x in ids[i] if x >= 0] == expected[:k]
        assert np.allclose(scores[i][: len(expected[:k])], half[i, expected[:k]])


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(1, 3000), st.integers(1, 8), st.integers(0, 2**32 - 1))
def test_top_k_orders_ties_by_the_tiebreak_keys(n: int, m: int, k: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    half = (rng.integers(0, 4, size=(n, m)) / 10).astype(np.float32)
    second = rng.integers(0, 3, size=(n, m))

    def tiebreak(r: np.ndarray, c: np.ndarray) -> list[np.ndarray]:
        return [second[r, c], -c]  # then the higher column first

    ids, _ = top_k(half.copy(), k, tiebreak=tiebreak)
    for i in range(n):
        expected = sorted(
            (j for j in range(m) if half[i, j] > 5e-5),
            key=lambda j: (-half[i, j], -second[i, j], j),
        )
        assert [int(x) for x in ids[i] if x >= 0] == expected[:k]
