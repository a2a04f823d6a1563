"""The vocabulary covers what real farm loans ask for, checked on the Kiva sample (issue 7):
figures and the mapping are in docs/vocabulary.md."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from mentormatch.config import PROJECT_ROOT
from mentormatch.matching.text import SkillText, content_words, stop_words
from tests.matching.people import taxonomy

KIVA = PROJECT_ROOT / "seed_data" / "kiva"
TAXONOMY = PROJECT_ROOT / "seed_data" / "taxonomy"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def agricultural_loans() -> list[dict[str, str]]:
    return [r for r in rows(KIVA / "kiva_loans_sample.csv") if r["sector"] == "Agriculture"]


def skill_text() -> SkillText:
    t = taxonomy()
    return SkillText(t.skill_keywords, list(t.skill_labels))


def test_at_least_90_percent_of_kiva_farm_loans_map_to_a_specific_skill() -> None:
    loans = agricultural_loans()
    text = skill_text()
    specific = [
        loan
        for loan in loans
        if set(text.evidence(loan["use"], ["eng"]).skills) - {"business_planning"}
    ]
    share = len(specific) / len(loans)
    missed = [loan["use"] for loan in loans if loan not in specific]
    assert share >= 0.90, f"{share:.1%} mapped; missed: {missed}"


def test_the_skills_loans_ask_for_most_are_farm_skills_not_general_business() -> None:
    text = skill_text()
    counts = Counter(s for loan in agricultural_loans() for s in text.evidence(loan["use"]).skills)
    top = [skill for skill, _ in counts.most_common(5)]
    assert {"soil_fertility", "animal_husbandry", "animal_nutrition", "seed_selection"} <= set(top)


def test_every_kiva_agricultural_activity_maps_to_a_value_chain() -> None:
    mapping = {r["activity"]: r["value_chain"] for r in rows(KIVA / "activity_value_chains.csv")}
    activities = {loan["activity"] for loan in agricultural_loans()}
    assert activities <= set(mapping), f"unmapped: {activities - set(mapping)}"
    assert set(mapping.values()) <= set(taxonomy().chain_labels)


def test_the_chains_people_asked_for_can_be_chosen() -> None:
    chains = set(taxonomy().chain_labels)
    for code in ("field_crops", "cereals", "pulses", "horticulture", "roots_tubers",
                 "cash_crops", "livestock", "pigs", "poultry", "aquaculture",
                 "capture_fisheries", "agro_processing"):  # fmt: skip
        assert code in chains


def test_every_value_chain_keeps_an_isic_rev4_code() -> None:
    for row in rows(TAXONOMY / "value_chains.csv"):
        codes = row["isic"].split(";")
        assert codes and all(c.isdigit() and 2 <= len(c) <= 4 for c in codes), row


# English "hay" is Spanish for "there is": a Spanish writer's "hay" is not evidence of feed.
KNOWN_COLLISIONS = {"hay"}


def test_a_keyword_belongs_to_one_skill_and_is_never_a_stop_word() -> None:
    every_stop_word = stop_words(frozenset({"fra", "spa", "por", "ara", "rus"}))
    owner: dict[tuple[str, ...], str] = {}
    for code, keywords in taxonomy().skill_keywords.items():
        for keyword in filter(None, (k.strip() for k in keywords.split(";"))):
            key = tuple(t.key for t in content_words(keyword))
            assert key, f"{code}: '{keyword}' has no content word"
            assert owner.setdefault(key, code) == code, f"'{keyword}' in {owner[key]} and {code}"
            if len(key) == 1 and keyword.casefold() not in KNOWN_COLLISIONS:
                assert keyword.casefold() not in every_stop_word, f"{code}: '{keyword}'"
