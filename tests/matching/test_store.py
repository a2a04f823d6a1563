"""A saved index opens memory-mapped and ranks as it did; a half-written one never opens."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mentormatch.matching import Kind, MatchIndex
from mentormatch.matching.store import StoreError, current, load, publish, save
from tests.matching.people import farmer, mentor, taxonomy


def fitted() -> MatchIndex:
    mentors = [mentor(), mentor(id=2, origin_regions=("ET-AM",), value_chains=("tea",)),
               mentor(id=3, origin_regions=("KE-30",))]  # fmt: skip
    return MatchIndex.fit([farmer(), farmer(id=2, region_code=None)], mentors, taxonomy())


def test_a_saved_index_ranks_as_it_did_with_its_arrays_mapped(tmp_path: Path) -> None:
    index = fitted()
    save(index, tmp_path / "v1", {"version": 1})
    opened, meta = load(tmp_path / "v1")
    assert meta == {"version": 1}
    # Mapped from the file (shared by every process through the page cache), not read in.
    assert isinstance(opened.parts[0].rows[Kind.COACHING].fit_e.base, np.memmap)
    for kind in Kind:
        for e_id in (1, 2):
            before = index.rank_for_entrepreneur(e_id, kind)
            after = opened.rank_for_entrepreneur(e_id, kind, records=index.records)
            assert before == after
        assert index.rank_for_diaspora(1, kind) == opened.rank_for_diaspora(
            1, kind, records=index.records
        )


def test_a_loaded_index_updates_like_the_fitted_one(tmp_path: Path) -> None:
    index = fitted()
    save(index, tmp_path / "v1")
    opened, _ = load(tmp_path / "v1")
    moved = mentor(id=2, origin_regions=("ET-OR",), value_chains=("coffee",))
    expected = index.updated(diaspora=[moved])
    got = opened.updated(diaspora=[moved])
    for kind in Kind:
        assert got.rank_for_entrepreneur(1, kind, records=expected.records) == (
            expected.rank_for_entrepreneur(1, kind)
        )


def test_a_folder_without_its_manifest_or_with_a_short_file_is_refused(tmp_path: Path) -> None:
    save(fitted(), tmp_path / "v1")
    (tmp_path / "v1" / "manifest.json").unlink()
    with pytest.raises(StoreError, match="manifest"):
        load(tmp_path / "v1")
    save(fitted(), tmp_path / "v2")
    victim = next((tmp_path / "v2").glob("rows.coaching.fit_e.npy"))
    victim.write_bytes(victim.read_bytes()[:-8])
    with pytest.raises(StoreError, match="size"):
        load(tmp_path / "v2")


def test_publish_moves_the_pointer_only_when_the_folder_is_complete(tmp_path: Path) -> None:
    assert current(tmp_path) is None
    publish(fitted(), tmp_path, "v1", {"version": 1})
    assert current(tmp_path) == {"folder": "v1", "version": 1}
    # A build that died half-way leaves a scratch folder and the pointer where it was.
    (tmp_path / ".building-v2-dead").mkdir()
    assert json.loads((tmp_path / "CURRENT").read_text())["folder"] == "v1"
    publish(fitted(), tmp_path, "v2", {"version": 2})
    assert current(tmp_path) == {"folder": "v2", "version": 2}
    load(tmp_path / "v2")
