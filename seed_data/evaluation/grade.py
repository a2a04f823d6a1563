"""Grade every (kind, entrepreneur, diaspora member) pair by the coordinator's rubric.

`python seed_data/evaluation/grade.py` rewrites grades.csv byte for byte from
entrepreneurs.csv, diaspora.csv, load.csv, needs.csv, grade_overrides.csv, the value-chain
groups of the vocabulary and the indicative currency rates. The steps below follow
rubric.md one by one; there are no weights and nothing from the matching engine.
Plain Python and pycountry only.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TAXONOMY = HERE.parent / "taxonomy"
FORBIDDEN = "F"
KINDS = ("coaching", "investment")

FOCUSED_CHAINS = 3  # a member listing more chains than this is broad (rubric step 2)
FOCUSED_SKILLS = 6  # ... more skills than this (step 3)
REGIONS_THAT_ARE_A_TIE = 3  # a longer interest list is not a tie to any one region (step 4)
MIXED_CHAINS = {"field_crops", "livestock", "horticulture", "cash_crops"}
CROP_GROUPS = {"staples", "horticulture", "cash_crops"}
# After the needs step: knowing a related chain is good but not first choice unless a
# home tie lifts it; an unrelated chain is at most acceptable (rubric, second look).
SECTOR_CAP = {"same": 3, "related": 2, "unrelated": 1}

# Languages everybody in the country shares: a common one is no sign of a home tie.
NATIONAL_LANGUAGES = {
    "PH": {"tgl", "eng"},
    "KE": {"swa", "eng"},
    "SV": {"spa"},
    "KH": {"khm"},
    "PE": {"spa"},
    "TJ": {"tgk", "rus"},
    "NG": {"eng"},
}
# Languages a smallholder uses with officials rather than at home (step 5).
LINGUA_FRANCAS = {"PH": {"eng"}, "KE": {"eng"}, "NG": {"eng"}, "TJ": {"rus"}}
NEIGHBOURS = {
    "KE": {"UG", "TZ", "ET", "SO", "SS"},
    "SV": {"GT", "HN"},
    "PE": {"EC", "CO", "BR", "BO", "CL"},
    "KH": {"TH", "LA", "VN"},
    "TJ": {"UZ", "KG", "AF", "CN"},
    "NG": {"BJ", "NE", "TD", "CM"},
    "PH": set(),
}


def _split(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(";") if item.strip()]


def _read(name: str, folder: Path = HERE) -> list[dict[str, str]]:
    with (folder / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Entrepreneur:
    email: str
    country: str
    region: str  # region_by_hand, "" when the town could not be placed
    languages: frozenset[str]
    stage: str
    amount_usd: float | None
    seeking: bool
    chains: tuple[str, ...]  # the coordinator's value_chain_judgement
    needs: tuple[str, ...]  # main_needs, the first is the most important


@dataclass(frozen=True)
class Member:
    email: str
    origin: tuple[str, ...]
    interest: tuple[str, ...]
    chains: tuple[str, ...]
    skills: frozenset[str]
    languages: frozenset[str]
    stages: frozenset[str]
    coaching_places_left: int
    offers_coaching: bool
    offers_investment: bool
    ticket_usd: tuple[float, float] | None  # None: no ticket or no rate for its currency
    instruments: frozenset[str]

    @property
    def origin_countries(self) -> set[str]:
        return {code.split("-")[0] for code in self.origin}

    def tie_regions(self) -> set[str]:
        """Origin regions, plus interest regions when the list is short enough to mean it."""
        regions = set(self.origin)
        if len(self.interest) <= REGIONS_THAT_ARE_A_TIE:
            regions |= set(self.interest)
        return regions


def load_rates() -> dict[str, float]:
    """USD value of one unit of each currency with an indicative rate."""
    return {
        row["currency"]: float(row["usd_per_unit"]) for row in _read("currency_rates.csv", TAXONOMY)
    }


def load_groups() -> dict[str, str]:
    """Value chain code -> its group in the vocabulary."""
    return {row["code"]: row["group_code"] for row in _read("value_chains.csv", TAXONOMY)}


def load_entrepreneurs(rates: dict[str, float]) -> list[Entrepreneur]:
    """entrepreneurs.csv joined with the coordinator's needs.csv, in file order."""
    needs = {row["kiva_id"]: row for row in _read("needs.csv")}
    people = []
    for row in _read("entrepreneurs.csv"):
        reading = needs[row["email"].removeprefix("kiva-").split("@")[0]]
        rate = rates.get(row["investment_currency"])
        amount = row["investment_amount"]
        people.append(
            Entrepreneur(
                email=row["email"],
                country=row["country"],
                region=reading["region_by_hand"],
                languages=frozenset(_split(row["languages"])),
                stage=row["stage"],
                amount_usd=float(amount) * rate if amount and rate is not None else None,
                seeking=row["seeking_investment"] == "yes",
                chains=tuple(_split(reading["value_chain_judgement"])),
                needs=tuple(_split(reading["main_needs"])),
            )
        )
    return people


def load_members(rates: dict[str, float]) -> list[Member]:
    """diaspora.csv with each member's coaching places left (load.csv), in file order."""
    load = {
        row["diaspora_email"]: int(row["approved_coaching_pairings"]) for row in _read("load.csv")
    }
    members = []
    for row in _read("diaspora.csv"):
        offers_investment = row["offers_investment"] == "yes"
        rate = rates.get(row["ticket_currency"])
        ticket = None
        if offers_investment and rate is not None:
            ticket = (float(row["ticket_min"]) * rate, float(row["ticket_max"]) * rate)
        offers_coaching = row["offers_coaching"] == "yes"
        capacity = int(row["mentee_capacity"] or 0) if offers_coaching else 0
        members.append(
            Member(
                email=row["email"],
                origin=tuple(_split(row["origin_regions"])),
                interest=tuple(_split(row["interest_regions"]) or _split(row["origin_regions"])),
                chains=tuple(_split(row["value_chains"])),
                skills=frozenset(_split(row["skills_offered"])),
                languages=frozenset(_split(row["languages"])),
                stages=frozenset(_split(row["preferred_stages"])),
                coaching_places_left=capacity - load.get(row["email"], 0),
                offers_coaching=offers_coaching,
                offers_investment=offers_investment,
                ticket_usd=ticket,
                instruments=frozenset(_split(row["investment_instruments"])),
            )
        )
    return members


def _clamp(grade: int, most: int = 3) -> int:
    return max(0, min(grade, most))


def forbidden_reason(kind: str, person: Entrepreneur, member: Member) -> str | None:
    """Step 1: why the pair must never be suggested, or None."""
    if not person.languages & member.languages:
        return "no common language"
    if kind == "coaching":
        if not member.offers_coaching:
            return "offers no coaching"
        if member.coaching_places_left <= 0:
            return "no mentee place left"
        return None
    if not member.offers_investment:
        return "does not invest"
    if not person.seeking:
        return "seeks no money"
    if member.ticket_usd is None or person.amount_usd is None:
        return "amount cannot be converted"
    low, high = member.ticket_usd
    if not low <= person.amount_usd <= high:
        return "amount outside ticket"
    return None


def sector_start(person: Entrepreneur, member: Member, groups: dict[str, str]) -> tuple[int, str]:
    """Step 2: the starting grade from how well the member knows the farm's value chain."""
    focused = len(member.chains) <= FOCUSED_CHAINS
    mine = set(person.chains)
    theirs = set(member.chains)
    # A mixed chain (field_crops, livestock, ...) means "I cannot tell which crop or
    # animal": a specialist of that group is as close as anyone can be.
    unknown_groups = {groups[code] for code in mine if code in MIXED_CHAINS}
    if mine & theirs or unknown_groups & {groups[code] for code in theirs}:
        return (3, "same chain") if focused else (2, "same chain among many")
    related_groups = {groups[code] for code in mine}
    if "field_crops" in mine:
        related_groups |= CROP_GROUPS
    if related_groups & {groups[code] for code in theirs}:
        return (2, "related chain") if focused else (1, "related chain among many")
    return 0, "unrelated chain"


def need_step(grade: int, person: Entrepreneur, member: Member) -> tuple[int, str]:
    """Step 3: can the member help with what the loan is really for (coaching only)."""
    focused = len(member.skills) <= FOCUSED_SKILLS
    if focused and person.needs[0] in member.skills:
        return _clamp(grade + 1, 1 if grade == 0 else 3), f"offers {person.needs[0]}"
    # Without the first need, only a home tie can still make them the first choice.
    if set(person.needs) & member.skills:
        why = "covers a need" if focused else "claims the need among many skills"
        return _clamp(grade, 1 if grade == 0 else 2), why
    return _clamp(grade - 1, 2), "offers none of the needs"


def has_home_tie(person: Entrepreneur, member: Member) -> str | None:
    """Step 4: same region, or a shared regional language, between compatriots only."""
    if person.country not in member.origin_countries:
        return None  # wanting to help a country is not knowing it
    if person.region and person.region in member.tie_regions():
        return "home region"
    regional = (person.languages & member.languages) - NATIONAL_LANGUAGES[person.country]
    if regional:
        return f"speaks {sorted(regional)[0]}"
    return None


def grade_coaching(person: Entrepreneur, member: Member, groups: dict[str, str]) -> tuple[int, str]:
    """Steps 2 to 6 for coaching."""
    grade, sector = sector_start(person, member, groups)
    grade, need = need_step(grade, person, member)
    grade = min(grade, SECTOR_CAP[sector.split(" ")[0]])
    reasons = [sector, need]
    home = has_home_tie(person, member)
    if home:
        if grade >= 1:
            grade = _clamp(grade + 1)
        reasons.append(home)
    elif person.country in member.origin_countries:
        reasons.append("same country")
    elif member.origin_countries & NEIGHBOURS[person.country]:
        grade = _clamp(grade - 1, 2)
        reasons.append("neighbouring country")
    else:
        grade = _clamp(grade - 1, 1)
        reasons.append("stranger")
    shared = person.languages & member.languages
    if shared <= LINGUA_FRANCAS.get(person.country, set()):
        grade = _clamp(grade - 1)
        reasons.append("only a lingua franca in common")
    if member.stages and person.stage not in member.stages:
        grade = _clamp(grade - 1)
        reasons.append("prefers other stages")
    if sector == "unrelated chain":
        grade = min(grade, 1)
    return grade, "; ".join(reasons)


def grade_investment(
    person: Entrepreneur, member: Member, groups: dict[str, str]
) -> tuple[int, str]:
    """Steps 2, 4 and 6 for investment."""
    countries = {code.split("-")[0] for code in (*member.origin, *member.interest)}
    if person.country not in countries:
        return 0, "invests elsewhere"
    if "loan" not in member.instruments:
        return 0, "makes no loans"
    grade, sector = sector_start(person, member, groups)
    reasons = [sector]
    named = member.tie_regions()
    if person.region and person.region in named:
        if grade >= 1:
            grade = _clamp(grade + 1)
        reasons.append("home region")
    elif person.region in {*member.origin, *member.interest}:
        reasons.append("a region on their long list")
    elif person.region and any(code.startswith(f"{person.country}-") for code in named):
        grade = _clamp(grade - 1)  # in their country but outside the regions they chose
        reasons.append("outside the regions they named")
    if member.stages and person.stage not in member.stages:
        grade = _clamp(grade - 1)
        reasons.append("prefers other stages")
    return grade, "; ".join(reasons)


def load_overrides() -> dict[tuple[str, str, str], tuple[str, str]]:
    """(kind, entrepreneur, member) -> (grade, reason) from grade_overrides.csv."""
    path = HERE / "grade_overrides.csv"
    if not path.exists():
        return {}
    return {
        (row["kind"], row["entrepreneur_email"], row["diaspora_email"]): (
            row["grade"],
            row["reason"],
        )
        for row in _read(path.name)
    }


def grade_all() -> list[dict[str, str]]:
    """Every pair's grade and why, coaching first, in file order."""
    rates = load_rates()
    groups = load_groups()
    people = load_entrepreneurs(rates)
    members = load_members(rates)
    overrides = load_overrides()
    used: set[tuple[str, str, str]] = set()
    rows = []
    for kind in KINDS:
        for person in people:
            for member in members:
                reason = forbidden_reason(kind, person, member)
                if reason:
                    grade, why = FORBIDDEN, reason
                else:
                    rule = grade_coaching if kind == "coaching" else grade_investment
                    number, why = rule(person, member, groups)
                    grade = str(number)
                key = (kind, person.email, member.email)
                if key in overrides:
                    new_grade, note = overrides[key]
                    if (grade == FORBIDDEN) != (new_grade == FORBIDDEN):
                        raise ValueError(f"override {key} would change whether the pair is F")
                    grade, why = new_grade, f"override: {note}"
                    used.add(key)
                rows.append(
                    {
                        "kind": kind,
                        "entrepreneur_email": person.email,
                        "diaspora_email": member.email,
                        "grade": grade,
                        "why": why,
                    }
                )
    unused = set(overrides) - used
    if unused:
        raise ValueError(f"overrides name pairs that do not exist: {sorted(unused)}")
    return rows


def write(rows: Iterable[dict[str, str]], path: Path = HERE / "grades.csv") -> None:
    """Write grades.csv."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle,
            fieldnames=("kind", "entrepreneur_email", "diaspora_email", "grade", "why"),
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    """Rewrite grades.csv and print how many pairs got each grade."""
    rows = grade_all()
    write(rows)
    for kind in KINDS:
        counts = {g: 0 for g in (FORBIDDEN, "0", "1", "2", "3")}
        for row in rows:
            if row["kind"] == kind:
                counts[row["grade"]] += 1
        print(kind, " ".join(f"{grade}={count}" for grade, count in counts.items()))


if __name__ == "__main__":
    main()
