"""The fused top-k equals a plain sort: best first, ties by lower column, zeros dropped."""

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
        assert np.allclose(scores[i][: len(expected[:k])], 2 * half[i, expected[:k]])
