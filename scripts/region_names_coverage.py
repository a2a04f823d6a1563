"""Print the share of regions shown in each language's own name (not the ISO name as
written), per country of the demo data and the Kiva sample, as the app's region_name does.

    .venv/bin/python scripts/region_names_coverage.py [ar|fr|es]
"""

from __future__ import annotations

import csv
import sys

from mentormatch import taxonomy
from mentormatch.config import PROJECT_ROOT

# Countries named in the languages issue besides those of the demo and Kiva data.
ALSO = ("ML", "HN", "SV", "KH", "PK")


def countries() -> list[str]:
    """The programme countries, then the Kiva sample's, then ALSO, without repeats."""
    seed = PROJECT_ROOT / "seed_data"
    found = [
        row["code"]
        for row in csv.DictReader((seed / "taxonomy/countries.csv").open(encoding="utf-8"))
    ]
    with (seed / "kiva/kiva_loans_sample.csv").open(newline="", encoding="utf-8") as handle:
        found += sorted({row["country_code"] for row in csv.DictReader(handle)})
    found += ALSO
    return list(dict.fromkeys(code for code in found if taxonomy.regions_for(code)))


def main() -> None:
    language = sys.argv[1] if len(sys.argv) > 1 else "ar"
    total = named = 0
    for country in countries():
        regions = taxonomy.regions_for(country)
        own = [code for code, english in regions if taxonomy.region_name(code, language) != english]
        total += len(regions)
        named += len(own)
        print(f"{country}  {len(own):3d}/{len(regions):3d}  {len(own) / len(regions):4.0%}")
    print(f"all   {named}/{total}  {named / total:.1%} of regions have a {language} name")


if __name__ == "__main__":
    main()
