"""Write entrepreneurs.csv: real Kiva agricultural borrowers in the CSV import format.

Deterministic: `python seed_data/evaluation/build_entrepreneurs.py` rewrites the file byte
for byte. Text fields (the town in `locality`, the loan `use` in `skills_needed_text`)
are copied verbatim from the Kiva sample, never cleaned by hand. Only plain Python.

Value chains are chosen as a field officer would: the crop or animal words of the `use`
text (CROP_WORDS, a hand-written table) decide; only when the text names none does the
Kiva activity's default chain (../kiva/activity_value_chains.csv) apply.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
KIVA = HERE.parent / "kiva" / "kiva_loans_sample.csv"
ACTIVITY_CHAINS = HERE.parent / "kiva" / "activity_value_chains.csv"
OUTPUT = HERE / "entrepreneurs.csv"

# Countries with many agricultural rows in the sample; every agricultural row of each is
# taken (even Kiva id = tuning half, odd = held-out half).
COUNTRIES = ("PH", "KE", "SV", "KH", "PE", "TJ", "NG")

# Crop and animal words of the `use` text -> value chain, in this order. Exceptions to
# the activity defaults worth knowing:
# - "alfalfa" is a forage crop: field_crops (not livestock);
# - "nipa" palms (thatch and sap, gathered in mangroves): agroforestry;
# - "watermelon" is a melon, which ISIC 0113 files with vegetables: vegetables;
# - "cocao bean" is cocoa, not a pulse;
# - "basic grains" (granos básicos in El Salvador) means maize and beans;
# - "cow"/"cows" alone says nothing about milk or meat: see COW_WORDS.
CROP_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"basic grains", ("cereals", "pulses")),
    (r"maize|corn|millet|sorghum|cereals", ("cereals",)),
    (r"rice", ("rice",)),
    (r"(?<!cocao )(?<!cocoa )(?<!cacao )(?<!coffee )beans?", ("pulses",)),
    (r"alfalfa", ("field_crops",)),
    (r"cassava", ("roots_tubers",)),
    (r"vegetables?", ("vegetables",)),
    (r"watermelons?", ("vegetables",)),
    (r"horticultur\w*", ("horticulture",)),
    (r"bananas?|pineapples?", ("fruits",)),
    (r"coffee", ("coffee",)),
    (r"cacao|cocoa|cocao", ("cocoa",)),
    (r"tea", ("tea",)),
    (r"nipa", ("agroforestry",)),
    (r"dairy|milk", ("dairy",)),
    (r"cattle", ("beef_cattle",)),
    (r"goats?", ("small_ruminants",)),
    (r"pigs?|piglets?|hogs?", ("pigs",)),
    (r"chickens?|chicks|poultry|hens|turkeys|turducken", ("poultry",)),
    (r"fish", ("aquaculture",)),
)
COW_WORDS = r"cows?"
MEAT_WORDS = r"fatten\w*|sale|sell\w*|resell\w*"
GENERIC_ANIMAL_WORDS = r"livestock"
MAX_CHAINS = 5
ANIMAL_CHAINS = (
    "livestock", "dairy", "beef_cattle", "small_ruminants", "pigs", "poultry", "aquaculture"
)  # fmt: skip

# What a borrower speaks, by place words in the Kiva `region` text (first match wins),
# else by country. ISO 639-3 codes.
LANGUAGES_BY_PLACE: tuple[tuple[str, str, str], ...] = (
    ("PH", "negros occidental", "hil;tgl;eng"),
    ("PH", "capiz", "hil;tgl;eng"),
    ("PH", "aklan", "akl;hil;tgl;eng"),
    ("PH", "tacloban", "war;tgl;eng"),
    ("PH", "negros oriental", "ceb;tgl;eng"),
    ("PH", "cebu", "ceb;tgl;eng"),
    ("PH", "bohol", "ceb;tgl;eng"),
    ("PH", "leyte", "ceb;tgl;eng"),  # Sogod, Southern Leyte: Cebuano
    ("PH", "misamis", "ceb;tgl;eng"),
    ("PH", "mis. occ", "ceb;tgl;eng"),
    ("PH", "oroquieta", "ceb;tgl;eng"),
    ("PH", "zambo", "ceb;tgl;eng"),
    ("PH", "dipolog", "ceb;tgl;eng"),
    ("PH", "isabela", "ilo;tgl;eng"),
    ("PH", "cagayan", "ilo;tgl;eng"),
    ("KE", "bungoma", "luy;swa;eng"),
    ("KE", "chwele", "luy;swa;eng"),
    ("KE", "webuye", "luy;swa;eng"),
    ("KE", "kimilili", "luy;swa;eng"),
    ("KE", "sirisia", "luy;swa;eng"),
    ("KE", "kakamega", "luy;swa;eng"),
    ("KE", "butere", "luy;swa;eng"),
    ("KE", "matete", "luy;swa;eng"),
    ("KE", "teso", "teo;swa;eng"),
    ("KE", "kisii", "guz;swa;eng"),
    ("KE", "kenyenya", "guz;swa;eng"),
    ("KE", "nyamira", "guz;swa;eng"),
    ("KE", "nyeri", "kik;swa;eng"),
    ("KE", "thika", "kik;swa;eng"),
    ("KE", "mwea", "kik;swa;eng"),
    ("KE", "nkubu", "mer;swa;eng"),
    ("KE", "maua", "mer;swa;eng"),
    ("KE", "chuka", "mer;swa;eng"),
    ("KE", "eldoret", "kln;swa;eng"),
    ("KE", "kapsabet", "kln;swa;eng"),
    ("KE", "narok", "mas;swa;eng"),
    ("KE", "machakos", "kam;swa;eng"),
    ("PE", "cusco", "que;spa"),
    ("PE", "cañaris", "que;spa"),  # Inkawasi-Kañaris Quechua
    ("TJ", "rasulov", "tgk;uzb;rus"),
)
LANGUAGES_BY_COUNTRY = {
    "PH": "tgl;eng",
    "KE": "swa;eng",
    "SV": "spa",
    "KH": "khm",
    "PE": "spa",
    "TJ": "tgk;rus",
    "NG": "hau;eng",
}
STARTING_UP_TO_USD = 500  # a loan of at most this is a farm still starting out

COLUMNS = (
    "full_name",
    "email",
    "business_name",
    "country",
    "locality",
    "stage",
    "value_chains",
    "skills_needed",
    "skills_needed_text",
    "languages",
    "seeking_investment",
    "investment_amount",
    "investment_currency",
    "investment_instruments",
    "is_returnee",
    "is_women_led",
    "is_youth_led",
)


def _has(pattern: str, text: str) -> bool:
    return re.search(rf"\b(?:{pattern})\b", text) is not None


def value_chains(activity: str, use: str, defaults: dict[str, str]) -> list[str]:
    """The chains a field officer would tick, from the use text, else the activity."""
    text = use.lower()
    chains: list[str] = []
    for pattern, found in CROP_WORDS:
        if _has(pattern, text):
            chains.extend(code for code in found if code not in chains)
    if _has(COW_WORDS, text) and not {"dairy", "beef_cattle"} & set(chains):
        if activity == "Dairy":
            chains.append("dairy")
        elif activity == "Cattle" or _has(MEAT_WORDS, text):
            chains.append("beef_cattle")
        else:
            chains.insert(0, "livestock")
    if _has(GENERIC_ANIMAL_WORDS, text) and not set(ANIMAL_CHAINS) & set(chains):
        # "raise her livestock" under the Pigs activity means pigs
        default = defaults[activity]
        chains.insert(0, default if default in ANIMAL_CHAINS else "livestock")
    if not chains:
        chains.append(defaults[activity])
    return chains[:MAX_CHAINS]


def languages(country: str, locality: str) -> str:
    """The languages such a borrower speaks, by place words, else by country."""
    place = locality.lower()
    for place_country, word, codes in LANGUAGES_BY_PLACE:
        if place_country == country and word in place:
            return codes
    return LANGUAGES_BY_COUNTRY[country]


def entrepreneur_row(loan: dict[str, str], defaults: dict[str, str]) -> dict[str, str]:
    """One Kiva loan as a row of the entrepreneur import format (no region column)."""
    kiva_id = loan["id"]
    amount = round(float(loan["loan_amount"]))
    genders = [g.strip() for g in loan["borrower_genders"].split(",") if g.strip()]
    town = loan["region"]
    where = town.strip() or loan["country"]
    return {
        "full_name": f"Kiva borrower {kiva_id}",
        "email": f"kiva-{kiva_id}@example.org",
        "business_name": f"{loan['activity']} in {where}",
        "country": loan["country_code"],
        "locality": town,
        "stage": "starting" if amount <= STARTING_UP_TO_USD else "growing",
        "value_chains": ";".join(value_chains(loan["activity"], loan["use"], defaults)),
        "skills_needed": "",
        "skills_needed_text": loan["use"],
        "languages": languages(loan["country_code"], town),
        "seeking_investment": "yes",
        "investment_amount": str(amount),
        "investment_currency": "USD",
        "investment_instruments": "loan",
        "is_returnee": "no",
        "is_women_led": "yes" if genders and all(g == "female" for g in genders) else "no",
        "is_youth_led": "no",
    }


def build() -> list[dict[str, str]]:
    """Every agricultural loan of the chosen countries, by country then Kiva id."""
    with ACTIVITY_CHAINS.open(newline="", encoding="utf-8") as handle:
        defaults = {row["activity"]: row["value_chain"] for row in csv.DictReader(handle)}
    with KIVA.open(newline="", encoding="utf-8") as handle:
        loans = [
            row
            for row in csv.DictReader(handle)
            if row["sector"] == "Agriculture" and row["country_code"] in COUNTRIES
        ]
    loans.sort(key=lambda row: (COUNTRIES.index(row["country_code"]), int(row["id"])))
    return [entrepreneur_row(loan, defaults) for loan in loans]


def main() -> None:
    """Rewrite entrepreneurs.csv."""
    rows = build()
    with OUTPUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} entrepreneurs to {OUTPUT.name}")


if __name__ == "__main__":
    main()
