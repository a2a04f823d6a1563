"""Countries, regions and languages (from pycountry) and value chains and skills (our data).

Value chains and skills are kept in seed_data/taxonomy/*.csv and loaded into the
database by `flask seed`; countries, regions and languages always come from pycountry,
and UN M49 sub-regions from seed_data/taxonomy/m49_subregions.csv.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.config import PROJECT_ROOT
from mentormatch.models import Skill, ValueChain, ValueChainGroup

TAXONOMY_DIR = PROJECT_ROOT / "seed_data" / "taxonomy"

# Languages with no ISO 639-1 code that people in the programme countries speak.
EXTRA_LANGUAGE_CODES = (
    "quc", "cak", "mam", "kek", "ceb", "ilo", "hil", "war", "ary", "tzm", "zgh", "fuc",
    "srr", "mnk", "dyo", "luo", "kln", "kam", "sid", "wal", "shi", "rif", "pcm", "bik",
)  # fmt: skip


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- countries, regions, languages ---------------------------------------------------------


@cache
def countries() -> list[tuple[str, str]]:
    """All ISO 3166-1 countries as (alpha-2, name), sorted by name."""
    return sorted(((c.alpha_2, _country_label(c)) for c in pycountry.countries), key=lambda x: x[1])


def _country_label(country: object) -> str:
    return str(getattr(country, "common_name", None) or country.name)  # type: ignore[attr-defined]


@cache
def _country_names() -> dict[str, str]:
    return dict(countries())


def country_name(code: str | None) -> str:
    """'ET' -> 'Ethiopia'; an unknown code is returned as it is."""
    if not code:
        return ""
    return _country_names().get(code.upper(), code)


def is_country(code: str | None) -> bool:
    """True for an ISO 3166-1 alpha-2 country code, in any case."""
    return code is not None and code.upper() in _country_names()


@cache
def regions_for(country_code: str) -> list[tuple[str, str]]:
    """First-level ISO 3166-2 subdivisions of a country as (code, name), sorted by name."""
    subdivisions = pycountry.subdivisions.get(country_code=country_code.upper()) or []
    first_level = [s for s in subdivisions if getattr(s, "parent_code", None) is None]
    return sorted(((s.code, s.name) for s in first_level), key=lambda x: x[1])


@cache
def _region_names() -> dict[str, str]:
    return {s.code: s.name for s in pycountry.subdivisions}


def region_name(code: str | None) -> str:
    """'ET-OR' -> 'Oromia'; an unknown code is returned as it is."""
    if not code:
        return ""
    return _region_names().get(code.upper(), code)


def place_name(country_code: str | None, region_code: str | None = None, locality: str = "") -> str:
    """A place as people read it: 'Central Visayas (Region VII), Philippines'; without a
    region, the locality and the country ('Nkubu, Kenya'); never a region alone."""
    first = region_name(region_code) if region_code else (locality or "").strip()
    return ", ".join(part for part in (first, country_name(country_code)) if part)


def region_places(region_codes: list[str]) -> str:
    """Several regions, each with its country: 'Oromia, Ethiopia; Amhara, Ethiopia'."""
    return "; ".join(place_name(code.split("-")[0], code) for code in region_codes)


def is_region_of(region_code: str | None, country_code: str | None) -> bool:
    """True when the region is a first-level subdivision of the country."""
    if not region_code or not country_code:
        return False
    return region_code.upper() in {code for code, _ in regions_for(country_code)}


def is_region(region_code: str | None) -> bool:
    """True for an ISO 3166-2 region code of a known country."""
    if not region_code or "-" not in region_code:
        return False
    return is_region_of(region_code, region_code.split("-")[0])


@cache
def languages() -> list[tuple[str, str]]:
    """Languages offered in forms as (ISO 639-3 code, name): every ISO 639-1 language
    plus regional languages of the programme countries, sorted by name."""
    offered = {
        lang.alpha_3: _plain_language_name(lang.name)
        for lang in pycountry.languages
        if hasattr(lang, "alpha_2")
    }
    for code in EXTRA_LANGUAGE_CODES:
        lang = pycountry.languages.get(alpha_3=code)
        if lang is not None:
            offered[lang.alpha_3] = _plain_language_name(lang.name)
    return sorted(offered.items(), key=lambda x: x[1])


def language_name(code: str | None) -> str:
    """'amh' -> 'Amharic'; accepts ISO 639-1 or 639-3 codes."""
    lang = lookup_language(code)
    return lang[1] if lang else (code or "")


@lru_cache(maxsize=2048)  # keyed by what people type: bounded
def lookup_language(text: str | None) -> tuple[str, str] | None:
    """Find a language by ISO 639-1 code, ISO 639-3 code or English name (any case)."""
    if not text:
        return None
    text = text.strip()
    lang = None
    if len(text) == 2:
        lang = pycountry.languages.get(alpha_2=text.lower())
    elif len(text) == 3:
        lang = pycountry.languages.get(alpha_3=text.lower())
    if lang is None:
        lang = pycountry.languages.get(name=text)
    if lang is None:
        return None
    return lang.alpha_3, _plain_language_name(lang.name)


def _plain_language_name(name: str) -> str:
    # pycountry says "Swahili (macrolanguage)"; people say "Swahili".
    return name.removesuffix(" (macrolanguage)")


@cache
def currencies() -> list[tuple[str, str]]:
    """ISO 4217 currencies as (code, name), sorted by code."""
    return sorted((c.alpha_3, c.name) for c in pycountry.currencies)


def is_currency(code: str | None) -> bool:
    """True for an ISO 4217 currency code, in any case."""
    if not code:
        return False
    return pycountry.currencies.get(alpha_3=code.upper()) is not None


@dataclass(frozen=True)
class M49Area:
    continent: str
    subregion_code: str
    subregion: str


@cache
def m49_areas() -> dict[str, M49Area]:
    """UN M49 area of each country (intermediate region where M49 has one)."""
    return {
        row["country"]: M49Area(row["continent"], row["subregion_code"], row["subregion"])
        for row in _read_csv(TAXONOMY_DIR / "m49_subregions.csv")
    }


# --- value chains and skills (database, loaded from seed_data/taxonomy) ---------------------


def load_taxonomy(session: Session) -> tuple[int, int]:
    """Insert or update value chains and skills from the CSV files; returns (chains, skills)."""
    chain_rows = _read_csv(TAXONOMY_DIR / "value_chains.csv")
    groups: dict[str, ValueChainGroup] = {}
    for position, row in enumerate(chain_rows):
        group = groups.get(row["group_code"]) or session.get(ValueChainGroup, row["group_code"])
        if group is None:
            group = ValueChainGroup(code=row["group_code"])
            session.add(group)
        if row["group_code"] not in groups:
            group.label = row["group_label"]
            group.position = len(groups)
            groups[row["group_code"]] = group
        chain = session.get(ValueChain, row["code"]) or ValueChain(code=row["code"])
        chain.label = row["label"]
        chain.group_code = row["group_code"]
        chain.position = position
        chain.isic_code = row.get("isic", "")
        session.add(chain)
    skill_rows = _read_csv(TAXONOMY_DIR / "skills.csv")
    for position, row in enumerate(skill_rows):
        skill = session.get(Skill, row["code"]) or Skill(code=row["code"])
        skill.label = row["label"]
        skill.keywords = row.get("keywords", "")
        skill.position = position
        session.add(skill)
    session.flush()
    return len(chain_rows), len(skill_rows)


def value_chain_choices(session: Session) -> list[tuple[str, str, str]]:
    """(code, label, group label) of every value chain, in taxonomy order."""
    rows = session.execute(
        select(ValueChain.code, ValueChain.label, ValueChainGroup.label)
        .join(ValueChainGroup)
        .order_by(ValueChainGroup.position, ValueChain.position)
    )
    return [(code, label, group) for code, label, group in rows]


def skill_choices(session: Session) -> list[tuple[str, str]]:
    """(code, label) of every skill, in taxonomy order."""
    rows = session.execute(select(Skill.code, Skill.label).order_by(Skill.position))
    return [(code, label) for code, label in rows]
