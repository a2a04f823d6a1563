"""Plain-language reasons, each built from a score component that is above zero.

Reasons are ordered by how much their component added to the score (weight times value,
both sides together); at most four are given. A component that did not count (value 0)
never yields a reason, and every reason names the component it comes from, so tests can
check that the data supports it.

Each reason is also given as a sentence `key` and its `params` (codes, amounts, words
people wrote): mentormatch.matches.reasons renders that in the reader's language, for
the few shown, so the engine stays free of Flask and of translation. `text` is the
English sentence, for the CLI, evaluation and logs. SENTENCES holds the wording once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

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


def N_(message: str) -> str:
    """Marks a sentence for the catalogues (`make messages`) without translating it here."""
    return message


# Every sentence a reason can be, by key; %(name)s are filled from the reason's params.
SENTENCES: Mapping[str, str] = {
    "both_work_in": N_("Both work in %(chains)s"),
    "works_close_to": N_("Works in %(chains)s, close to your %(chain)s (%(group)s)"),
    "ties_to_area": N_("Has ties to %(area)s, where you work"),
    "works_in_area_you_know": N_("Works in %(place)s, in %(area)s like the places you know"),
    "comes_from_where_you_work": N_("Comes from %(place)s, where you work"),
    "supports_where_you_work": N_("Wants to support %(place)s, where you work"),
    "works_where_you_come_from": N_("Works in %(place)s, where you come from"),
    "works_where_you_support": N_("Works in %(place)s, which you want to support"),
    "offers_skills": N_("Offers %(skills)s, which you need"),
    "offers_skills_you_wrote": N_("Offers %(skills)s, which you need (you wrote %(need_words)s)"),
    "offers_skills_they_wrote": N_("Offers %(skills)s, which you need; they wrote %(offer_words)s"),
    "offers_skills_both_wrote": N_(
        "Offers %(skills)s, which you need (you wrote %(need_words)s); they wrote %(offer_words)s"
    ),
    "needs_skills": N_("Needs %(skills)s, which you offer"),
    "needs_skills_they_wrote": N_("Needs %(skills)s, which you offer (they wrote %(need_words)s)"),
    "needs_skills_you_wrote": N_("Needs %(skills)s, which you offer; you wrote %(offer_words)s"),
    "needs_skills_both_wrote": N_(
        "Needs %(skills)s, which you offer (they wrote %(need_words)s); you wrote %(offer_words)s"
    ),
    "both_speak": N_("You both speak %(language)s"),
    "prefers_your_stage": N_("Prefers to work with businesses at your stage (%(stage)s)"),
    "at_stage_you_prefer": N_("At the %(stage)s stage you prefer"),
    "offers_instruments": N_("Offers %(instruments)s, as you want"),
    "looks_for_instruments": N_("Looks for %(instruments)s, which you offer"),
    "invests_you_seek": N_("Invests %(span)s; you seek %(sought)s"),
    "invests_from_you_seek": N_("Invests from %(low)s; you seek %(sought)s"),
    "seeks_inside_ticket": N_("Seeks %(sought)s, inside your ticket of %(span)s"),
    "seeks_from_ticket": N_("Seeks %(sought)s, inside your ticket from %(low)s"),
}


@dataclass(frozen=True)
class Reason:
    """One sentence and the component it comes from; `key` and `params` say the same
    sentence in a form any language can render (codes, amounts, words people wrote)."""

    component: str
    text: str
    key: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def stored(self) -> dict[str, Any]:
        """The reason as a pairing keeps it (JSON): renderable later in any language."""
        return {
            "component": self.component,
            "text": self.text,
            "key": self.key,
            "params": dict(self.params),
        }


@dataclass(frozen=True)
class _Said:
    """A sentence by key with its params (codes) and the English words for `text`."""

    key: str
    params: Mapping[str, Any]
    english: Mapping[str, str]

    def text(self) -> str:
        return SENTENCES[self.key] % self.english


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
        said = WORDING[name](pair)
        if said:
            reasons.append(Reason(name, said.text(), said.key, said.params))
        if len(reasons) == MAX_REASONS:
            break
    return tuple(reasons)


def _labels(codes: list[str], names: Mapping[str, str], limit: int = 2) -> str:
    words = [names.get(code, code).lower() for code in codes[:limit]]
    # Labels often contain "and" themselves ("bookkeeping and accounts"): join with commas.
    return ", ".join(words)


def _value_chain(p: _Pair) -> _Said | None:
    t = p.taxonomy
    shared = [c for c in p.e.value_chains if c in p.d.value_chains]
    if shared:
        return _Said(
            "both_work_in", {"chains": shared[:2]}, {"chains": _labels(shared, t.chain_labels)}
        )
    for mine_code in p.e.value_chains if p.for_entrepreneur else p.d.value_chains:
        group = t.chain_group.get(mine_code, "")
        theirs = p.d.value_chains if p.for_entrepreneur else p.e.value_chains
        related = [c for c in theirs if group and t.chain_group.get(c) == group]
        if related:
            mine = t.chain_labels.get(mine_code, mine_code).lower()
            other = _labels(related, t.chain_labels)
            group_label = t.group_labels.get(group, group).lower()
            return _Said(
                "works_close_to",
                {"chains": related[:2], "chain": mine_code, "group": group},
                {"chains": other, "chain": mine, "group": group_label},
            )
    return None


def _region(p: _Pair) -> _Said | None:
    t, e, d = p.taxonomy, p.e, p.d
    homes = {r.split("-")[0] for r in d.origin_regions}
    interests = {r.split("-")[0] for r in d.interest_regions}
    country = e.country_code
    origin = bool(e.region_code) and e.region_code in d.origin_regions
    supported = bool(e.region_code) and e.region_code in d.interest_regions
    if origin or (supported and country in homes):
        place = e.region_code or ""
    elif country in homes or supported:
        # A long list of regions or a region abroad counts less: name only what is true.
        place = (e.region_code or "") if supported else country
        origin = country in homes and not supported
    elif country in interests:
        place, origin = country, False
    else:
        area = t.country_subregion.get(country, "")
        subregion = t.subregion_names.get(area, "")
        if not subregion:
            return None
        if p.for_entrepreneur:
            return _Said("ties_to_area", {"area": area}, {"area": subregion})
        return _Said(
            "works_in_area_you_know",
            {"place": country, "area": area},
            {"place": t.place_name(country), "area": subregion},
        )
    if p.for_entrepreneur:
        key = "comes_from_where_you_work" if origin else "supports_where_you_work"
    else:
        key = "works_where_you_come_from" if origin else "works_where_you_support"
    return _Said(key, {"place": place}, {"place": t.place_name(place)})


def _quoted(words: Sequence[str], limit: int = 2) -> str:
    return ", ".join(f"“{w}”" for w in words[:limit])


def _skills(p: _Pair) -> _Said | None:
    if not p.covered:
        return None
    best = list(p.covered[:2])
    codes = [c.skill for c in best]
    # Needs and offers read from free text say which words they came from.
    need_words = [w for c in best for w in c.need_words][:2]
    offer_words = [w for c in best for w in c.offer_words][:2]
    if p.for_entrepreneur:
        mine, theirs, key = need_words, offer_words, "offers_skills"
    else:
        mine, theirs, key = offer_words, need_words, "needs_skills"
    if mine and theirs:
        key += "_both_wrote"
    elif mine:
        key += "_you_wrote"
    elif theirs:
        key += "_they_wrote"
    params: dict[str, Any] = {"skills": codes}
    english = {"skills": _labels(codes, p.taxonomy.skill_labels)}
    for name, words in (("need_words", need_words), ("offer_words", offer_words)):
        if words:
            params[name] = words
            english[name] = _quoted(words)
    return _Said(key, params, english)


def _language(p: _Pair) -> _Said | None:
    shared = [c for c in p.e.languages if c in p.d.languages]
    if not shared:
        return None
    local = [c for c in shared if c not in WIDE_LANGUAGES] or shared
    return _Said(
        "both_speak", {"language": local[0]}, {"language": p.taxonomy.language_name(local[0])}
    )


def _stage(p: _Pair) -> _Said | None:
    if not p.d.preferred_stages or p.e.stage not in p.d.preferred_stages:
        return None  # 'any stage' is no reason to meet
    stage = STAGE_WORDS.get(p.e.stage, p.e.stage)
    key = "prefers_your_stage" if p.for_entrepreneur else "at_stage_you_prefer"
    return _Said(key, {"stage": p.e.stage}, {"stage": stage})


def _instruments(p: _Pair) -> _Said | None:
    wanted = p.e.investment_instruments or p.d.investment_instruments
    shared = [
        i for i in wanted if not p.d.investment_instruments or i in p.d.investment_instruments
    ]
    if not shared:
        return None
    words = " and ".join(INSTRUMENT_WORDS.get(i, i) for i in shared[:2])
    key = "offers_instruments" if p.for_entrepreneur else "looks_for_instruments"
    return _Said(key, {"instruments": shared[:2]}, {"instruments": words})


def _ticket(p: _Pair) -> _Said | None:
    e, d = p.e, p.d
    amount, low, high = e.investment_amount_usd, d.ticket_min_usd, d.ticket_max_usd
    if amount is None or (low is None and high is None):
        return None
    # In the currency each person typed, dollars beside; records without it show dollars.
    if e.investment_amount is not None and e.investment_currency:
        sought: list[Any] = [e.investment_amount, e.investment_currency, amount]
    else:
        sought = [amount, "USD", amount]
    params: dict[str, Any] = {"sought": sought}
    english = {"sought": amount_text(*sought)}
    if high is None:
        params["low"] = [low or 0, "USD", low]
        english["low"] = amount_text(*params["low"])
        key = "invests_from_you_seek" if p.for_entrepreneur else "seeks_from_ticket"
    else:
        if d.ticket_min is not None and d.ticket_max is not None and d.ticket_currency:
            params["span"] = [d.ticket_min, d.ticket_max, d.ticket_currency, low, high]
        else:
            params["span"] = [low or 0, high, "USD", low, high]
        english["span"] = range_text(*params["span"])
        key = "invests_you_seek" if p.for_entrepreneur else "seeks_inside_ticket"
    return _Said(key, params, english)


WORDING: Mapping[str, Callable[[_Pair], _Said | None]] = {
    "value_chain": _value_chain,
    "region": _region,
    "skills": _skills,
    "language": _language,
    "stage": _stage,
    "instruments": _instruments,
    "ticket": _ticket,
}
