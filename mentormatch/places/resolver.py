"""From a country and what a person wrote ("Liloan, Cebu") to a first-level ISO 3166-2 region.

A locality is split into parts ("a, b - c / d"); each part, or each run of words in it,
is looked up as a region, a lower subdivision, a district or a town of the country,
exactly first, then allowing a misspelling. Every mention found is a piece of evidence
for the regions it lies in; the evidence of all pieces is added up per region, so pieces
that agree ("Liloan" is in Cebu and in Leyte, "Cebu" only in Central Visayas) decide.

When two regions stay close, the answer is AMBIGUOUS with the candidates listed: the
person chooses, nothing is guessed. Text in another script is UNREADABLE, and text that
matches nothing is UNRESOLVED: the person still matches at country level.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

import pycountry

from mentormatch.places import gazetteer
from mentormatch.places import text as t

# Two regions whose evidence differs by less than this are both candidates: one town in
# two regions (0.6 each) is ambiguous; a province name (1.0) beats a namesake town (0.6).
AMBIGUITY_MARGIN = 0.25
# Below this confidence the best region is offered as a candidate, not placed.
MIN_CONFIDENCE = 0.5
# Runs of words tried as one name inside a part ("Misamis Occidental" in "Oroquieta City
# Misamis Occidental"); no place name here is longer.
MAX_NAME_WORDS = 6
MAX_CANDIDATES = 5
# What a name found among unexplained words counts for, relative to a name standing alone.
PARTIAL_NAME = 0.5
# Localities longer than this are cut: the form and the import allow 120 characters.
MAX_LOCALITY_LENGTH = 200


class Status(enum.StrEnum):
    RESOLVED = "resolved"
    AMBIGUOUS = "ambiguous"
    UNRESOLVED = "unresolved"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Candidate:
    """A region the locality may lie in, with how strongly the text points at it (0..1)."""

    region_code: str
    region_name: str
    score: float


@dataclass(frozen=True)
class Placement:
    """What a locality was resolved to, with the original text and the alternatives."""

    country_code: str
    locality: str
    region_code: str | None
    confidence: float
    status: Status
    candidates: tuple[Candidate, ...] = ()

    @property
    def country_name(self) -> str:
        """The country's name: 'Philippines'."""
        return country_name(self.country_code)

    @property
    def region_name(self) -> str:
        """The placed region's name, '' when none was placed."""
        return region_name(self.region_code) if self.region_code else ""

    @property
    def message(self) -> str:
        """What happened, in words a person can act on, in the reader's language."""
        # Names in the reader's language (taxonomy), not the cached English ones.
        from babel.lists import format_list
        from flask_babel import gettext as _

        from mentormatch import taxonomy

        shown = f"“{self.locality.strip()}”"
        country = taxonomy.country_name(self.country_code)
        if self.status is Status.RESOLVED:
            region = taxonomy.region_name(self.region_code)
            return _("We placed you in %(region)s, %(country)s.", region=region, country=country)
        if self.status is Status.AMBIGUOUS and len(self.candidates) == 1:
            return _(
                "Is %(locality)s in %(region)s, %(country)s? Confirm it or choose your region.",
                locality=shown,
                region=taxonomy.region_name(self.candidates[0].region_code),
                country=country,
            )
        if self.status is Status.AMBIGUOUS:
            names = [taxonomy.region_name(c.region_code) for c in self.candidates]
            return _(
                "%(locality)s could be in %(regions)s (%(country)s): choose one.",
                locality=shown,
                regions=format_list(names, style="or", locale=taxonomy.reader_language()),
                country=country,
            )
        if self.status is Status.UNREADABLE:
            return _(
                "We cannot read %(locality)s yet: write the town in Latin letters, or choose "
                "your region of %(country)s from the list.",
                locality=shown,
                country=country,
            )
        if not self.locality.strip():
            return _("Choose your region of %(country)s from the list.", country=country)
        return _(
            "We could not find %(locality)s in %(country)s: choose your region from the list.",
            locality=shown,
            country=country,
        )


def country_name(code: str) -> str:
    """'KE' -> 'Kenya' (pycountry's common name when it has one)."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def region_name(code: str) -> str:
    """'PH-07' -> 'Central Visayas (Region VII)' (pycountry's name)."""
    subdivision = pycountry.subdivisions.get(code=code)
    return str(subdivision.name) if subdivision else code


def resolve(country_code: str, locality: str) -> Placement:
    """Place a free-text locality of a country in one of the country's first-level regions."""
    country_code = (country_code or "").strip().upper()
    if pycountry.countries.get(alpha_2=country_code) is None:
        raise ValueError(f"{country_code!r} is not an ISO 3166-1 alpha-2 country code")
    text = " ".join((locality or "").split())[:MAX_LOCALITY_LENGTH]
    # Cached per (country, text in any case): an import repeats the same towns many times.
    placement = _resolve(country_code, unicodedata.normalize("NFC", text).casefold())
    return replace(placement, locality=text)


def resolve_many(pairs: Iterable[tuple[str, str]]) -> list[Placement]:
    """Resolve many (country, locality) pairs, e.g. an import; repeated texts cost nothing."""
    return [resolve(country, locality) for country, locality in pairs]


@lru_cache(maxsize=20_000)
def _resolve(country_code: str, locality: str) -> Placement:
    if not gazetteer.region_names(country_code) or not t.fold(locality):
        unreadable = t.has_other_script(locality)
        status = Status.UNREADABLE if unreadable else Status.UNRESOLVED
        return Placement(country_code, locality, None, 0.0, status)
    index = gazetteer.country_index(country_code)
    pieces = [piece for part in t.split_parts(locality) for piece in _evidence(index, part)]
    totals: dict[str, float] = {}
    for piece in pieces:
        for region, weight in piece.items():
            totals[region] = totals.get(region, 0.0) + weight
    if not totals:
        status = Status.UNREADABLE if t.has_other_script(locality) else Status.UNRESOLVED
        return Placement(country_code, locality, None, 0.0, status)
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    best_region, best = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    close = [region for region, total in ranked if total > best - AMBIGUITY_MARGIN]
    confidence = _confidence(pieces, best_region, best, second)
    candidates = tuple(
        Candidate(region, region_name(region), round(min(total / best, 1.0) * confidence, 2))
        for region, total in ranked[:MAX_CANDIDATES]
        if region in close or len(close) == 1
    )
    if len(close) > 1 or confidence < MIN_CONFIDENCE:
        shown = tuple(c for c in candidates if c.region_code in close)
        return Placement(country_code, locality, None, 0.0, Status.AMBIGUOUS, shown)
    return Placement(
        country_code, locality, best_region, confidence, Status.RESOLVED, candidates[:1]
    )


def _confidence(pieces: list[dict[str, float]], region: str, best: float, second: float) -> float:
    """How sure the placement is (0..1): the strongest mention of the region (a region name
    beats a town), how far ahead of the next region it is, and how many mentions agree."""
    strongest = max(piece.get(region, 0.0) for piece in pieces)
    lead = (best - second) / best
    agreeing = sum(1 for piece in pieces if region in piece) / len(pieces)
    return round(strongest * (0.6 + 0.4 * lead) * (0.5 + 0.5 * agreeing), 2)


def _evidence(index: gazetteer.CountryIndex, part: str) -> list[dict[str, float]]:
    """The regions one part of a locality points at, one dict per name found in it."""
    tokens = tuple(t.fold(part).split())
    if not t.can_stand_alone(tokens):
        return []
    whole = index.exact(tokens)
    if whole:
        return [whole]
    close, _ = index.fuzzy(tokens)
    if close:
        return [close]
    # Several names in one part ("Sogod Cebu", "Oroquieta City Misamis Occidental"): the
    # longest runs of words that name a place, then misspellings among the words left.
    found: list[dict[str, float]] = []
    used = [False] * len(tokens)
    for length in range(min(len(tokens), MAX_NAME_WORDS), 0, -1):
        for start in range(len(tokens) - length + 1):
            span = tokens[start : start + length]
            if any(used[start : start + length]) or not t.can_stand_alone(span):
                continue
            regions = index.exact(span)
            if regions:
                found.append(regions)
                used[start : start + length] = [True] * length
    for run in _unused_runs(tokens, used):
        if t.can_stand_alone(run):
            regions, _ = index.fuzzy(run)
            if regions:
                found.append(regions)
                used[tokens.index(run[0]) : tokens.index(run[0]) + len(run)] = [True] * len(run)
    unexplained = [
        token
        for token, taken in zip(tokens, used, strict=True)
        if not taken and token not in t.GENERIC_WORDS and t.can_stand_alone((token,))
    ]
    if unexplained:
        # "San Andrés de Sotavento" is not San Andrés: a name found inside words we cannot
        # explain may be part of a longer name we do not know.
        found = [{r: w * PARTIAL_NAME for r, w in regions.items()} for regions in found]
    return found


def _unused_runs(tokens: tuple[str, ...], used: list[bool]) -> list[tuple[str, ...]]:
    runs: list[tuple[str, ...]] = []
    current: list[str] = []
    for token, taken in zip(tokens, used, strict=True):
        if taken:
            if current:
                runs.append(tuple(current))
            current = []
        else:
            current.append(token)
    if current:
        runs.append(tuple(current))
    return runs
