"""A fitted MatchIndex on disk: one .npy file per array, opened with memory mapping.

Every web worker that opens the same published index shares its arrays through the
operating system's page cache instead of holding a copy each. Publishing is atomic: the
files are written into a temporary folder, a manifest (every file with its size) is
written last, the folder is renamed into place, and only then does the `CURRENT` pointer
(itself replaced by a rename) name it. A reader follows `CURRENT` and refuses a folder
whose manifest is missing or whose files do not match it, so a half-written index is
never loaded. No Flask, no database.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np

from mentormatch.matching.features import DiasporaFeatures, EntrepreneurFeatures, Vocabulary
from mentormatch.matching.index import MatchIndex, PlaceTable, _Columns, _Part, _Rows
from mentormatch.matching.records import DiasporaRecord, EntrepreneurRecord, Kind, Taxonomy

FORMAT = 1
POINTER = "CURRENT"
MANIFEST = "manifest.json"
# Published folders kept besides the current one: a worker may still have one open.
KEEP_PREVIOUS = 2


R = TypeVar("R", EntrepreneurRecord, DiasporaRecord)


class StoreError(RuntimeError):
    """A published index that cannot be read (missing, half-written, another format)."""


def _arrays(prefix: str, obj: Any, skip: tuple[str, ...] = ()) -> dict[str, np.ndarray]:
    return {
        f"{prefix}.{f.name}": np.asarray(getattr(obj, f.name))
        for f in dataclasses.fields(obj)
        if f.name not in skip
    }


def save(index: MatchIndex, folder: Path, meta: Mapping[str, Any] | None = None) -> None:
    """Write a freshly fitted index (no overlay) into `folder`, manifest last."""
    if len(index.parts) != 1:
        raise ValueError("save a freshly fitted index, not an updated one")
    part = index.parts[0]
    folder.mkdir(parents=True, exist_ok=False)
    arrays = {**_arrays("e", part.e), **_arrays("d", part.d), "regions": part.regions.base}
    for kind in Kind:
        arrays.update(_arrays(f"rows.{kind.value}", part.rows[kind]))
        arrays.update(_arrays(f"columns.{kind.value}", part.columns[kind], skip=("region",)))
        arrays[f"columns.{kind.value}.region"] = part.columns[kind].region.base
    files = {}
    for name, array in arrays.items():
        path = folder / f"{name}.npy"
        np.save(path, np.ascontiguousarray(array), allow_pickle=False)
        files[path.name] = path.stat().st_size
    about = {
        "format": FORMAT,
        "taxonomy": {
            f.name: dict(getattr(index.taxonomy, f.name))
            for f in dataclasses.fields(index.taxonomy)
        },  # fmt: skip
        "vocab": dataclasses.asdict(index.vocab),
        "member_places": {str(i): [list(o), list(w)] for i, (o, w) in index.member_places.items()},
        "meta": dict(meta or {}),
    }
    (folder / "about.json").write_text(json.dumps(about), encoding="utf-8")
    files["about.json"] = (folder / "about.json").stat().st_size
    write_atomically(folder / MANIFEST, json.dumps({"format": FORMAT, "files": files}))


def load(folder: Path, mmap: bool = True) -> tuple[MatchIndex, dict[str, Any]]:
    """Open a saved index (arrays memory-mapped) and its metadata; StoreError if incomplete."""
    manifest_path = folder / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise StoreError(f"{folder} has no readable manifest: not a finished index") from error
    if manifest.get("format") != FORMAT:
        raise StoreError(f"{folder} is format {manifest.get('format')}, this code reads {FORMAT}")
    for name, size in manifest["files"].items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != size:
            raise StoreError(f"{folder}/{name} is missing or not the size the manifest says")
    about = json.loads((folder / "about.json").read_text(encoding="utf-8"))
    mode: Literal["r"] | None = "r" if mmap else None

    def array(name: str) -> np.ndarray:
        loaded = np.load(folder / f"{name}.npy", mmap_mode=mode, allow_pickle=False)
        # A plain ndarray view of the same mapped pages: np.memmap's indexing runs Python
        # code on every slice (hundreds per page of suggestions).
        return loaded.view(np.ndarray)

    def rebuild(cls: type, prefix: str, **given: Any) -> Any:
        fields = {f.name: array(f"{prefix}.{f.name}") for f in dataclasses.fields(cls)
                  if f.name not in given}  # fmt: skip
        return cls(**fields, **given)

    regions = array("regions")
    part = _Part(rebuild(EntrepreneurFeatures, "e"), rebuild(DiasporaFeatures, "d"),
                 PlaceTable(regions))  # fmt: skip
    for kind in Kind:
        part.rows[kind] = rebuild(_Rows, f"rows.{kind.value}")
        region = PlaceTable(array(f"columns.{kind.value}.region"))
        part.columns[kind] = rebuild(_Columns, f"columns.{kind.value}", region=region)
    taxonomy = Taxonomy(**about["taxonomy"])
    vocab = Vocabulary(**about["vocab"])
    places = {int(i): (tuple(o), tuple(w)) for i, (o, w) in about["member_places"].items()}
    return MatchIndex(taxonomy, vocab, [part], places), about["meta"]


# --- publishing ----------------------------------------------------------------------------


def write_atomically(path: Path, text: str) -> None:
    """Replace a small file in one step: write a sibling, flush it to disk, rename."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def publish(index: MatchIndex, root: Path, name: str, meta: Mapping[str, Any]) -> Path:
    """Save `index` under root/name and point CURRENT at it; older folders are pruned."""
    root.mkdir(parents=True, exist_ok=True)
    scratch = root / f".building-{name}-{uuid.uuid4().hex}"
    save(index, scratch, meta)
    final = root / name
    if final.exists():  # the same version built twice (two workers): keep the first
        shutil.rmtree(scratch)
    else:
        os.rename(scratch, final)
    point_at(root, name, meta)
    _prune(root, keep=name)
    return final


def point_at(root: Path, folder: str, meta: Mapping[str, Any]) -> None:
    """Make CURRENT name a published folder (and its metadata), in one rename."""
    write_atomically(root / POINTER, json.dumps({**meta, "folder": folder}))


def current(root: Path) -> dict[str, Any] | None:
    """What CURRENT points at ({'folder': …, plus the metadata}), or None."""
    try:
        pointer: dict[str, Any] = json.loads((root / POINTER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return pointer


def _prune(root: Path, keep: str) -> None:
    """Remove published folders beyond the newest KEEP_PREVIOUS, and stale scratch folders.
    A process that still has an old index mapped keeps reading it: Linux frees the files
    only when the last mapping goes."""
    folders = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
    )
    for old in folders[: max(0, len(folders) - KEEP_PREVIOUS - 1)]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)
    prune_overlays(root)


# A process that read CURRENT a moment ago may still be about to open the overlay it named.
OVERLAY_GRACE_SECONDS = 60.0


def prune_overlays(root: Path) -> None:
    """Remove overlay files CURRENT no longer names, once they are a minute old."""
    pointer = current(root) or {}
    cutoff = time.time() - OVERLAY_GRACE_SECONDS
    for path in root.glob("overlay-*.json"):
        if path.name != pointer.get("overlay") and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


# --- records, for overlays -----------------------------------------------------------------


def records_to_json(
    entrepreneurs: Sequence[EntrepreneurRecord], diaspora: Sequence[DiasporaRecord]
) -> str:
    """Changed people as JSON (an overlay file the web processes apply themselves)."""
    return json.dumps(
        {
            "entrepreneurs": [dataclasses.asdict(e) for e in entrepreneurs],
            "diaspora": [dataclasses.asdict(d) for d in diaspora],
        }
    )


def _record(cls: type[R], values: Mapping[str, Any]) -> R:
    """A record from JSON: lists back to the tuples the record types declare."""
    fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    return cls(**fields)


def records_from_json(text: str) -> tuple[list[EntrepreneurRecord], list[DiasporaRecord]]:
    """The inverse of records_to_json."""
    data = json.loads(text)
    return (
        [_record(EntrepreneurRecord, e) for e in data["entrepreneurs"]],
        [_record(DiasporaRecord, d) for d in data["diaspora"]],
    )
