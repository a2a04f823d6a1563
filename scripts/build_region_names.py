"""Write seed_data/taxonomy/region_names.csv: names of first-level ISO 3166-2 regions in
Arabic, French and Spanish where pycountry has none (docs/decisions/025).

    .venv/bin/python scripts/build_region_names.py            # fetches the two sources
    .venv/bin/python scripts/build_region_names.py --sources DIR   # reuses a download

Sources, fetched by package name with their ordinary clients (nothing is read at run time):
- Unicode CLDR's subdivision names (common/subdivisions/{en,ar,fr,es}.xml), as shipped in
  the npm package `cldr` (no PyPI package ships them; Babel leaves them out). Licence:
  Unicode License v3.
- The Arabic local names ("... (ara)") of the PyPI package `iso3166-2` (MIT), kept to
  current ISO codes, where CLDR has no trusted name: Morocco's twelve regions of 2019 and
  Lebanon's, Eritrea's and Bahrain's regions come from there.

CLDR kept some codes that ISO gave to other regions (Morocco's MA-01..MA-12 still name the
sixteen regions before 2015, Iran's renumbered provinces): a CLDR name is taken only when
CLDR's English name for the code resembles pycountry's, and none of a country's when a
third or more of its codes do not. A region neither source names stays out of the file
(shown in its Latin form). French and Spanish names are taken only where pycountry's own
catalogue has no entry for the region.
"""

from __future__ import annotations

import argparse
import csv
import gettext
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import xml.etree.ElementTree as ElementTree
import zipfile
from collections import defaultdict
from pathlib import Path

import pycountry
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "seed_data" / "taxonomy" / "region_names.csv"
CLDR_NPM = "cldr@8.0.0"  # ships CLDR 48's common/ tree under 3rdparty/cldr
ISO3166_2_PYPI = "iso3166-2==1.8.4"
LANGUAGES = ("ar", "fr", "es")
# rapidfuzz score (0-100) CLDR's English name must reach against pycountry's: "Amhara" and
# "Amara" pass, "Meknès-Tafilalet" for MA-06 (Casablanca-Settat since 2019) does not.
SAME_REGION_MIN_SCORE = 60
ARABIC_NAME = re.compile(r"([^,]+?)\s*\(ara\)")
ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


def fetch(sources: Path) -> tuple[Path, Path]:
    """Download both packages into `sources` (once) and return their data files' folders."""
    cldr_dir = sources / "cldr" / "package" / "3rdparty" / "cldr" / "common"
    if not cldr_dir.exists():
        subprocess.run(["npm", "pack", CLDR_NPM, "--silent"], cwd=sources, check=True)
        (tarball,) = sources.glob("cldr-*.tgz")
        with tarfile.open(tarball) as archive:
            wanted = [
                m
                for m in archive.getmembers()
                if "/common/subdivisions/" in m.name or m.name.endswith("3rdparty/cldr/LICENSE")
            ]
            archive.extractall(sources / "cldr", members=wanted, filter="data")
    iso_json = sources / "iso3166_2" / "iso3166_2" / "iso3166-2.json"
    if not iso_json.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(sources),
             ISO3166_2_PYPI],
            check=True,
        )  # fmt: skip
        (wheel,) = sources.glob("iso3166_2-*.whl")
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(sources / "iso3166_2")
    return cldr_dir / "subdivisions", iso_json


def cldr_names(folder: Path, language: str) -> dict[str, str]:
    """CLDR's subdivision names in one language, keyed by ISO code ('ML-1')."""
    names = {}
    for element in ElementTree.parse(folder / f"{language}.xml").getroot().iter("subdivision"):
        code = element.get("type", "")
        if element.text and len(code) > 2:
            names[f"{code[:2].upper()}-{code[2:].upper()}"] = element.text.strip()
    return names


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def resemblance(a: str, b: str) -> float:
    a, b = fold(a), fold(b)
    return max(fuzz.token_set_ratio(a, b), fuzz.partial_ratio(a, b))


def trusted_cldr_codes(regions: dict[str, str], english: dict[str, str]) -> set[str]:
    """Codes whose CLDR names name the region ISO gives the code today."""
    by_country: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for code, name in regions.items():
        if code in english:
            same = resemblance(name, english[code]) >= SAME_REGION_MIN_SCORE
            by_country[code[:2]].append((code, same))
    trusted = set()
    for checked in by_country.values():
        if sum(not same for _, same in checked) * 3 >= len(checked):
            continue  # a renumbered country: its CLDR codes are not ISO's
        trusted |= {code for code, same in checked if same}
    return trusted


def iso3166_2_arabic(path: Path) -> dict[str, str]:
    """The first Arabic local name of each subdivision in the iso3166-2 package."""
    names = {}
    for subdivisions in json.loads(path.read_text(encoding="utf-8")).values():
        for code, record in subdivisions.items():
            found = ARABIC_NAME.search(record.get("localOtherName") or "")
            if found and ARABIC_LETTER.search(found.group(1)):
                names[code] = found.group(1).strip()
    return names


def build(cldr_dir: Path, iso_json: Path) -> list[dict[str, str]]:
    """One row per first-level region that has a name in at least one language."""
    regions = {s.code: s.name for s in pycountry.subdivisions if not s.parent_code}
    cldr = {language: cldr_names(cldr_dir, language) for language in ("en", *LANGUAGES)}
    trusted = trusted_cldr_codes(regions, cldr["en"])
    local_arabic = iso3166_2_arabic(iso_json)
    catalogues = {
        language: gettext.translation("iso3166-2", pycountry.LOCALES_DIR, [language])
        for language in ("fr", "es")
    }
    rows = []
    for code, english in sorted(regions.items()):
        row = {"code": code, "ar": "", "ar_source": "", "fr": "", "es": ""}
        if code in trusted and code in cldr["ar"]:
            row["ar"], row["ar_source"] = cldr["ar"][code], "cldr"
        elif code in local_arabic:
            row["ar"], row["ar_source"] = local_arabic[code], "iso3166-2"
        for language, catalogue in catalogues.items():
            has_own = english in catalogue._catalog  # type: ignore[attr-defined]
            name = cldr[language].get(code, "")
            if not has_own and code in trusted and name and name != english:
                row[language] = name
        if row["ar"] or row["fr"] or row["es"]:
            rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, help="folder to download the sources into")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        sources = args.sources or Path(scratch)
        sources.mkdir(parents=True, exist_ok=True)
        rows = build(*fetch(sources))
    with OUTPUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["code", "ar", "ar_source", "fr", "es"])
        writer.writeheader()
        writer.writerows(rows)
    counts = {language: sum(1 for row in rows if row[language]) for language in LANGUAGES}
    print(f"{OUTPUT.relative_to(ROOT)}: {len(rows)} regions; names per language {counts}")


if __name__ == "__main__":
    main()
