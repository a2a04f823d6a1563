"""Countries, regions and languages (from pycountry) and value chains and skills (our data).

Value chains and skills are kept in seed_data/taxonomy/*.csv and loaded into the
database by `flask seed`; countries, regions and languages always come from pycountry,
and UN M49 sub-regions from seed_data/taxonomy/m49_subregions.csv.

Names are shown in the reader's language: countries, sub-regions and languages from
Babel's CLDR data, regions from pycountry's own translations (iso3166-2) and, where it has
none (every Arabic name), from seed_data/taxonomy/region_names.csv (CLDR's subdivision
names, built by scripts/build_region_names.py; docs/decisions/025), value chains,
skills and their groups from our catalogues (`make messages` reads the CSV files through
`extract_taxonomy`, with a context per kind). Parsing (imports, forms) stays on codes
and English names, which are part of the CSV contract.
"""

from __future__ import annotations

import csv
import gettext as gettext_module
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pycountry
from babel import Locale
from flask_babel import get_locale, pgettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.config import PROJECT_ROOT
from mentormatch.models import Skill, ValueChain, ValueChainGroup

TAXONOMY_DIR = PROJECT_ROOT / "seed_data" / "taxonomy"
REGION_NAMES_PATH = TAXONOMY_DIR / "region_names.csv"

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


def country_name(code: str | None, language: str | None = None) -> str:
    """'ET' -> 'Ethiopia' ('Éthiopie' for a French reader); an unknown code is returned
    as it is. `language` forces one ('en' for data files), else the reader's."""
    if not code:
        return ""
    english = _country_names().get(code.upper())
    if english is None:
        return code
    language = language or reader_language()
    if language == "en":
        return english
    return _babel_locale(language).territories.get(code.upper()) or _iso("iso3166-1", language)(
        english
    )


def country_choices() -> list[tuple[str, str]]:
    """Every country as (alpha-2, name in the reader's language), sorted as they read."""
    language = reader_language()
    if language == "en":
        return countries()
    return sort_by_name(((code, country_name(code, language)) for code, _ in countries()))


def reader_language() -> str:
    """The language of the page or message being written ('en' outside a request)."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


@cache
def _babel_locale(language: str) -> Locale:
    return Locale.parse(language)


@cache
def _iso(domain: str, language: str) -> Any:
    """pycountry's own translations of ISO names (iso3166-1, iso3166-2, iso639-3); the
    English name when a language has none (pycountry has no Arabic region names)."""
    translation = gettext_module.translation(
        domain, pycountry.LOCALES_DIR, languages=[language], fallback=True
    )
    return translation.gettext


def sort_by_name(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name as a reader of the language expects: accents
    and case do not move a name (Éthiopie sits between Espagne and Fidji)."""
    return sorted(pairs, key=lambda pair: _collation_key(pair[1]))


def _collation_key(name: str) -> tuple[str, str]:
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c)), name


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


def region_name(code: str | None, language: str | None = None) -> str:
    """'ML-1' -> 'Kayes' ('منطقة كايس' for an Arabic reader): pycountry's translation,
    else CLDR's name, else the ISO name as written; an unknown code is returned as it is."""
    if not code:
        return ""
    english = _region_names().get(code.upper())
    if english is None:
        return code
    language = language or reader_language()
    if language == "en":
        return english
    translated = _iso("iso3166-2", language)(english)
    if translated != english:
        return str(translated)
    return _region_translations(language).get(code.upper(), english)


@cache
def _region_translations(language: str) -> dict[str, str]:
    """Region code -> name in one language from region_names.csv, read once per process
    and language on first use (Arabic: about 3,200 names)."""
    with REGION_NAMES_PATH.open(newline="", encoding="utf-8") as handle:
        return {row["code"]: row[language] for row in csv.DictReader(handle) if row.get(language)}


def region_choices(country_code: str) -> list[tuple[str, str]]:
    """A country's first-level regions as (code, name in the reader's language), sorted."""
    language = reader_language()
    listed = regions_for(country_code)
    if language == "en":
        return listed
    return sort_by_name((code, region_name(code, language)) for code, _ in listed)


def place_name(country_code: str | None, region_code: str | None = None, locality: str = "") -> str:
    """A place as people read it: 'Central Visayas (Region VII), Philippines'; without a
    region, the locality and the country ('Nkubu, Kenya'); never a region alone."""
    first = region_name(region_code) if region_code else (locality or "").strip()
    country = country_name(country_code)
    if first and country:
        if reader_language() == "en":
            return f"{first}, {country}"
        return pgettext("place", "%(place)s, %(country)s", place=first, country=country)
    return first or country


def region_places(region_codes: list[str]) -> str:
    """Several regions, each with its country: 'Oromia, Ethiopia; Amhara, Ethiopia'."""
    return "; ".join(place_name(code.split("-")[0], code) for code in region_codes)


def subregion_name(m49_code: str | None) -> str:
    """A UN M49 area ('11' -> 'Western Africa') in the reader's language (CLDR)."""
    if not m49_code:
        return ""
    english = _subregions().get(m49_code, m49_code)
    language = reader_language()
    if language == "en":
        return english
    return _babel_locale(language).territories.get(m49_code.zfill(3)) or english


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


def language_name(code: str | None, language: str | None = None) -> str:
    """'amh' -> 'Amharic' ('Amharique' for a French reader); accepts ISO 639-1 or 639-3
    codes."""
    lang = lookup_language(code)
    if not lang:
        return code or ""
    language = language or reader_language()
    if language == "en":
        return lang[1]
    return _language_name(lang[0], language)


@lru_cache(maxsize=4096)
def _language_name(alpha_3: str, language: str) -> str:
    record = pycountry.languages.get(alpha_3=alpha_3)
    names = _babel_locale(language).languages
    # CLDR keys a language by its shortest code.
    cldr = names.get(getattr(record, "alpha_2", "")) or names.get(alpha_3)
    if cldr:
        # CLDR writes French and Spanish language names in lower case; a name on its own
        # (a checkbox, a list) starts with a capital, as the other names do.
        return cldr[:1].upper() + cldr[1:]
    english = str(getattr(record, "name", alpha_3))
    return _plain_language_name(_iso("iso639-3", language)(english))


def language_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    """Languages as (code, name in the reader's language), in the order given."""
    return [(code, language_name(code)) for code in codes]


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
    return name.removesuffix(" (macrolanguage)").removesuffix(" (macrolangue)")


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
def _subregions() -> dict[str, str]:
    return {a.subregion_code: a.subregion for a in m49_areas().values() if a.subregion_code}


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


# --- value chains and skills in the reader's language ----------------------------------------

# The catalogues' context of each kind of label, so "Marketing" the skill and a page's
# "Marketing" are translated apart.
CHAIN_CONTEXT = "value chain"
GROUP_CONTEXT = "value chain group"
SKILL_CONTEXT = "skill"


def chain_name(label: str) -> str:
    """A value chain's label (as loaded from the CSV) in the reader's language."""
    return str(pgettext(CHAIN_CONTEXT, label)) if label else label


def chain_short_name(label: str) -> str:
    """A value chain's name without its examples, in the reader's language: 'Cereals'."""
    # French puts a space before the colon ("Céréales : maïs…").
    return chain_name(label).partition(":")[0].strip()


def group_name(label: str) -> str:
    """A value-chain group's label in the reader's language."""
    return str(pgettext(GROUP_CONTEXT, label)) if label else label


def skill_name(label: str) -> str:
    """A skill's label in the reader's language."""
    return str(pgettext(SKILL_CONTEXT, label)) if label else label


@cache
def _csv_labels() -> dict[str, dict[str, str]]:
    """English labels by code, as the CSV files (and so the database) have them."""
    chains = _read_csv(TAXONOMY_DIR / "value_chains.csv")
    return {
        "chain": {row["code"]: row["label"] for row in chains},
        "group": {row["group_code"]: row["group_label"] for row in chains},
        "skill": {row["code"]: row["label"] for row in _read_csv(TAXONOMY_DIR / "skills.csv")},
    }


def value_chain_name(code: str) -> str:
    """A value chain's short name by code, in the reader's language (the code if unknown)."""
    label = _csv_labels()["chain"].get(code)
    return chain_short_name(label) if label else code


def value_chain_group_name(code: str) -> str:
    """A value-chain group's name by code, in the reader's language."""
    label = _csv_labels()["group"].get(code)
    return group_name(label) if label else code


def skill_name_of(code: str) -> str:
    """A skill's name by code, in the reader's language."""
    label = _csv_labels()["skill"].get(code)
    return skill_name(label) if label else code


def extract_taxonomy(
    fileobj: Any, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extractor (babel.cfg) for the taxonomy CSV files: each label once, as
    pgettext(kind, label), so `make messages` puts the vocabulary in the catalogues."""
    rows = csv.DictReader(io.TextIOWrapper(fileobj, encoding="utf-8"))
    seen: set[tuple[str, str]] = set()
    for line, row in enumerate(rows, start=2):
        found = []
        if "group_label" in row:
            found.append((GROUP_CONTEXT, row["group_label"]))
            found.append((CHAIN_CONTEXT, row["label"]))
        else:
            found.append((SKILL_CONTEXT, row["label"]))
        for context, label in found:
            if label and (context, label) not in seen:
                seen.add((context, label))
                note = f"{context} '{row.get('code', '')}' in seed_data/taxonomy"
                if context == CHAIN_CONTEXT and ": " in label:
                    note += "; the words after the colon are examples, keep the colon"
                yield line, "pgettext", (context, label), [note]
