"""Building and publishing the matching index, outside any request (the worker does it).

`refresh_index` is the worker's job: it compares the matching data version
(matches/changes.py) with what it last published and then

- does nothing when they agree;
- publishes an *overlay*, the records of the people who changed since the last full build
  (a small JSON file; each web process applies it with MatchIndex.updated);
- or builds the whole index afresh and publishes it (folder of memory-mapped arrays, see
  matching/store.py) when the overlay would be too big, when rates or the taxonomy changed
  (everyone's records change), when a change needs a new language, or on schedule.

Several machines behind a load balancer each run their own worker: each builds the same
version from the database, which the version number makes them agree on, so no shared
disk is needed (docs/decisions/015).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.matches import adapter
from mentormatch.matches.changes import changes_since, forget_changes_up_to, matching_version
from mentormatch.matching import MatchIndex
from mentormatch.matching.index import NeedsRebuild
from mentormatch.matching.store import (
    current,
    load,
    point_at,
    prune_overlays,
    publish,
    records_to_json,
    write_atomically,
)
from mentormatch.models import ChangedSide

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildReport:
    """What one refresh did: 'none', 'overlay' or 'full', at which version, how long."""

    action: str
    version: int
    seconds: float = 0.0
    changed: int = 0

    def line(self) -> str:
        if self.action == "none":
            return ""
        what = f"{self.changed} people changed" if self.action == "overlay" else "everyone"
        return (
            f"matching index {self.action} at version {self.version} ({what}, {self.seconds:.2f} s)"
        )


def index_root(config: Any) -> Path:
    """Where published indexes live (MATCHING_INDEX_DIR)."""
    return Path(config["MATCHING_INDEX_DIR"])


def load_all(session: Session) -> MatchIndex:
    """Every profile, read with set-based queries, fitted into a new index."""
    entrepreneurs = adapter.entrepreneur_records(session)
    diaspora = adapter.diaspora_records(session)
    return MatchIndex.fit(
        entrepreneurs, diaspora, adapter.build_taxonomy(session, entrepreneurs, diaspora)
    )


def build_full(session: Session, root: Path) -> BuildReport:
    """Fit the whole index from the database and publish it; forget the change log up to
    the build before this one (the caller commits)."""
    started = time.perf_counter()
    previous = current(root)
    # Read before loading: a change landing meanwhile shows up as the next version.
    version = matching_version(session)
    index = load_all(session)
    meta = {"version": version, "base_version": version, "overlay": None,
            "built_at": utcnow().isoformat()}  # fmt: skip
    publish(index, root, f"v{version}-{os.getpid()}-{int(time.time())}", meta)
    # Web processes read the log after the version of the index they hold; one still on
    # the previous build (or another machine's worker a build behind) reads after that
    # build's version at the earliest. Older entries are read by nobody: 10 edits a second
    # would otherwise add close to a million rows a day.
    if previous is not None:
        forget_changes_up_to(session, int(previous["base_version"]))
    return BuildReport("full", version, time.perf_counter() - started)


# A full build runs this much "nicer" than the worker (Linux nice levels): on a machine that
# also serves pages, the build takes the cores only when the web processes leave them free,
# so pages queue behind each other, not behind the build. It takes longer under load.
BUILD_NICENESS = 10


def build_full_in_child(session: Session, root: Path) -> BuildReport:
    """build_full in a child process (`flask matching build-index --full`, same
    environment) at a lower CPU priority: a long-lived worker keeps nothing of the build's
    peak memory, and the web processes keep the CPU first."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "mentormatch", "matching", "build-index",
         "--full"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
    )  # fmt: skip
    _lower_priority(child.pid)
    _, errors = child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"index build failed: {errors.strip()[-2000:]}")
    pointer = current(root) or {}
    return BuildReport("full", int(pointer.get("version", 0)), time.perf_counter() - started)


def _lower_priority(pid: int) -> None:
    """Run `pid` BUILD_NICENESS levels below this process (where the system allows it)."""
    try:
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        os.setpriority(os.PRIO_PROCESS, pid, min(19, mine + BUILD_NICENESS))
    except ProcessLookupError:  # it has already ended
        pass
    except (AttributeError, OSError):  # no process priorities on this system
        log.warning("the index build runs at the worker's priority")


def refresh_index(
    session: Session,
    root: Path,
    overlay_limit: int,
    full_after_seconds: float,
    build_full_now: Any = build_full,
) -> BuildReport:
    """Bring the published index up to the current version, as cheaply as possible."""
    pointer = current(root)
    version = matching_version(session)
    if pointer is None:
        return build_full_now(session, root)
    if pointer.get("version") == version:
        return BuildReport("none", version)
    built_at = pointer.get("built_at", "")
    age = time.time() - _timestamp(built_at)
    now, changed = changes_since(session, int(pointer["base_version"]))
    if (ChangedSide.ALL, 0) in changed or len(changed) > overlay_limit or age > full_after_seconds:
        return build_full_now(session, root)
    started = time.perf_counter()
    e_ids = [i for side, i in changed if side is ChangedSide.ENTREPRENEUR]
    d_ids = [i for side, i in changed if side is ChangedSide.DIASPORA]
    entrepreneurs = adapter.entrepreneur_records(session, e_ids)
    diaspora = adapter.diaspora_records(session, d_ids)
    try:
        # Checked here, so every web process can apply the overlay without a surprise.
        _check_overlay(root / pointer["folder"], entrepreneurs, diaspora)
    except NeedsRebuild:
        return build_full_now(session, root)
    name = f"overlay-{now}-{os.getpid()}.json"
    _write(root / name, records_to_json(entrepreneurs, diaspora), e_ids, d_ids)
    point_at(root, pointer["folder"], {**pointer, "version": now, "overlay": name})
    prune_overlays(root)
    return BuildReport("overlay", now, time.perf_counter() - started, len(changed))


def _timestamp(iso: str) -> float:
    try:
        return datetime.fromisoformat(iso).timestamp()
    except ValueError:
        return 0.0


# The base folder the worker last opened: checking an overlay maps it once, not each look.
_opened: dict[Path, MatchIndex] = {}


def _check_overlay(folder: Path, entrepreneurs: list[Any], diaspora: list[Any]) -> None:
    """Raise NeedsRebuild if the base cannot take these changes as an overlay."""
    base = _opened.get(folder)
    if base is None:
        _opened.clear()
        base = _opened[folder] = load(folder)[0]
    base.updated(entrepreneurs, diaspora)


def _write(path: Path, records: str, e_ids: list[int], d_ids: list[int]) -> None:
    """The overlay file: the changed records, and every changed id (a profile that is gone
    has an id but no record: the web processes hide it)."""
    data = json.loads(records)
    data["changed_entrepreneurs"], data["changed_diaspora"] = e_ids, d_ids
    write_atomically(path, json.dumps(data))
