"""Plain-language reasons, each built from a score component that is above zero.

Reasons are ordered by how much their component added to the score (weight times value,
both sides together); at most four are given. A component that did not count (value 0)
never yields a reason, and every reason names the component it comes from, so tests can
check that the data supports it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from mentormatch.matching import weights as W
from mentormatch.matching.records import DiasporaRecord, EntrepreneurRecord, Kind, Taxonomy
from mentormatch.money.display import amount_text, range_text

MAX_REASONS = 4
# Shared languages people rarely name as a bond; a shared local language says more.
WIDE_LANGUAGES = ("eng", "fra", "ara", "por", "spa")
STAGE_WORDS = {
    "idea": "idea",
    "starting": "starting",
    "growing": "growing",
    "established": "established",
}
INSTRUMENT_WORDS = {
    "grant": "grants",
    "loan": "loans",
    "equity": "equity",
    "in_kind": "in-kind support",
}


@dataclass(frozen=True)
class Reason:
    """One sentence and the component it comes from."""

    component: str
    text: str


@dataclass(frozen=True)
class Covered:
    """A need the offer covers: how much, and the words it was read from when one side
    wrote it in free text rather than ticking it (empty when ticked)."""

    skill: str
    value: float
    need_words: tuple[str, ...] = ()
    offer_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Pair:
    kind: Kind
    viewer: str  # "entrepreneur" or "diaspora": who reads the reason
    e: EntrepreneurRecord
    d: DiasporaRecord
    components: Mapping[str, Mapping[str, float]]
    covered: Sequence[Covered]  # most covered first
    taxonomy: Taxonomy

    @property
    def for_entrepreneur(self) -> bool:
        return self.viewer == "entrepreneur"


def reasons_for(
    kind: Kind,
    viewer: str,
    e: EntrepreneurRecord,
    d: DiasporaRecord,
    components: Mapping[str, Mapping[str, float]],
    covered: Sequence[Covered],
    taxonomy: Taxonomy,
) -> tuple[Reason, ...]:
    """Up to four reasons for a pair, strongest first, worded for `viewer`."""
    pair = _Pair(kind, viewer, e, d, components, covered, taxonomy)
    weights = W.WEIGHTS[kind]
    contribution: dict[str, float] = {}
    for side, values in components.items():
        for name, value in values.items():
            contribution[name] = contribution.get(name, 0.0) + weights[side][name] * value
    reasons = []
    for name in sorted(contribution, key=lambda n: (-contribution[n], n)):
        if contribution[name] <= 0:
            continue
        text = WORDING[name](pair)
        if text:
            reasons.append(Reason(name, text))
        if len(reasons) == MAX_REASONS:
            break
    return tuple(reasons)


def _labels(codes: list[str], names: Mapping[str, str], limit: int = 2) -> str:
    words = [names.get(code, code).lower() for code in codes[:limit]]
    # Labels often contain "and" themselves ("bookkeeping and accounts"): join with commas.
    return ", ".join(words)


def _value_chain(p: _Pair) -> str | None:
    t = p.taxonomy
    shared = [c for c in p.e.value_chains if c in p.d.value_chains]
    if shared:
        return f"Both work in {_labels(shared, t.chain_labels)}"
    for mine_code in p.e.value_chains if p.for_entrepreneur else p.d.value_chains:
        group = t.chain_group.get(mine_code, "")
        theirs = p.d.value_chains if p.for_entrepreneur else p.e.value_chains
        related = [c for c in theirs if group and t.chain_group.get(c) == group]
        if related:
            mine = t.chain_labels.get(mine_code, mine_code).lower()
            other = _labels(related, t.chain_labels)
            group_label = t.group_labels.get(group, group).lower()
            return f"Works in {other}, close to your {mine} ({group_label})"
    return None


def _region(p: _Pair) -> str | None:
    t, e, d = p.taxonomy, p.e, p.d
    homes = {r.split("-")[0] for r in d.origin_regions}
    interests = {r.split("-")[0] for r in d.interest_regions}
    country = e.country_code
    origin = bool(e.region_code) and e.region_code in d.origin_regions
    supported = bool(e.region_code) and e.region_code in d.interest_regions
    if origin or (supported and country in homes):
        place = t.place_name(e.region_code or "")
    elif country in homes or supported:
        # A long list of regions or a region abroad counts less: name only what is true.
        place = t.place_name(e.region_code or "") if supported else t.place_name(country)
        origin = country in homes and not supported
    elif country in interests:
        place, origin = t.place_name(country), False
    else:
        subregion = t.subregion_names.get(t.country_subregion.get(country, ""), "")
        if not subregion:
            return None
        return (
            f"Has ties to {subregion}, where you work"
            if p.for_entrepreneur
            else f"Works in {t.place_name(country)}, in {subregion} like the places you know"
        )
    if p.for_entrepreneur:
        return (
            f"Comes from {place}, where you work"
            if origin
            else f"Wants to support {place}, where you work"
        )
    return (
        f"Works in {place}, where you come from"
        if origin
        else f"Works in {place}, which you want to support"
    )


def _quoted(words: Sequence[str], limit: int = 2) -> str:
    return ", ".join(f"“{w}”" for w in words[:limit])


def _skills(p: _Pair) -> str | None:
    if not p.covered:
        return None
    best = list(p.covered[:2])
    skills = _labels([c.skill for c in best], p.taxonomy.skill_labels)
    # Needs and offers read from free text say which words they came from.
    need_words = [w for c in best for w in c.need_words]
    offer_words = [w for c in best for w in c.offer_words]
    if p.for_entrepreneur:
        text = f"Offers {skills}, which you need"
        if need_words:
            text += f" (you wrote {_quoted(need_words)})"
        if offer_words:
            text += f"; they wrote {_quoted(offer_words)}"
        return text
    text = f"Needs {skills}, which you offer"
    if need_words:
        text += f" (they wrote {_quoted(need_words)})"
    if offer_words:
        text += f"; you wrote {_quoted(offer_words)}"
    return text


def _language(p: _Pair) -> str | None:
    shared = [c for c in p.e.languages if c in p.d.languages]
    if not shared:
        return None
    local = [c for c in shared if c not in WIDE_LANGUAGES] or shared
    return f"You both speak {p.taxonomy.language_name(local[0])}"


def _stage(p: _Pair) -> str | None:
    if not p.d.preferred_stages or p.e.stage not in p.d.preferred_stages:
        return None  # 'any stage' is no reason to meet
    stage = STAGE_WORDS.get(p.e.stage, p.e.stage)
    if p.for_entrepreneur:
        return f"Prefers to work with businesses at your stage ({stage})"
    return f"At the {stage} stage you prefer"


def _instruments(p: _Pair) -> str | None:
    wanted = p.e.investment_instruments or p.d.investment_instruments
    shared = [
        i for i in wanted if not p.d.investment_instruments or i in p.d.investment_instruments
    ]
    if not shared:
        return None
    words = " and ".join(INSTRUMENT_WORDS.get(i, i) for i in shared[:2])
    return (
        f"Offers {words}, as you want"
        if p.for_entrepreneur
        else f"Looks for {words}, which you offer"
    )


def _ticket(p: _Pair) -> str | None:
    e, d = p.e, p.d
    amount, low, high = e.investment_amount_usd, d.ticket_min_usd, d.ticket_max_usd
    if amount is None or (low is None and high is None):
        return None
    # In the currency each person typed, dollars beside; records without it show dollars.
    if e.investment_amount is not None and e.investment_currency:
        sought = amount_text(e.investment_amount, e.investment_currency, amount)
    else:
        sought = amount_text(amount, "USD", amount)
    if high is None:
        span = "from " + amount_text(low or 0, "USD", low)
    elif d.ticket_min is not None and d.ticket_max is not None and d.ticket_currency:
        span = range_text(d.ticket_min, d.ticket_max, d.ticket_currency, low, high)
    else:
        span = range_text(low or 0, high, "USD", low, high)
    if p.for_entrepreneur:
        return f"Invests {span}; you seek {sought}"
    return f"Seeks {sought}, inside your ticket of {span}"


WORDING: Mapping[str, Callable[[_Pair], str | None]] = {
    "value_chain": _value_chain,
    "region": _region,
    "skills": _skills,
    "language": _language,
    "stage": _stage,
    "instruments": _instruments,
    "ticket": _ticket,
}
