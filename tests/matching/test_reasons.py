"""Reasons are plain sentences, 2 to 4 of them, each backed by a component above zero
and by the data of the two people."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentormatch.matching import DiasporaRecord, EntrepreneurRecord, Kind, Match, MatchIndex
from tests.matching.people import farmer, mentor, taxonomy
from tests.matching.test_constraints import worlds


def reasons_of(e: EntrepreneurRecord, d: DiasporaRecord, viewer: str = "entrepreneur") -> list[str]:
    index = MatchIndex.fit([e], [d], taxonomy())
    return [r.text for r in index.explain(e.id, d.id, Kind.COACHING, viewer).reasons]


def test_tesfaye_and_almaz_get_the_reasons_from_the_brief() -> None:
    reasons = reasons_of(farmer(), mentor())
    assert "Both work in coffee" in reasons
    assert "Comes from Oromia, where you work" in reasons
    assert "Offers export and certification, which you need" in reasons
    assert "You both speak Amharic" in reasons
    assert 2 <= len(reasons) <= 4


def test_reasons_are_worded_for_the_mentor_too() -> None:
    reasons = reasons_of(farmer(), mentor(), viewer="diaspora")
    assert "Works in Oromia, where you come from" in reasons
    assert "Needs export and certification, which you offer" in reasons


def test_region_reason_names_the_level_that_matched() -> None:
    assert "Wants to support Oromia, where you work" in reasons_of(
        farmer(), mentor(origin_regions=("KE-30",), interest_regions=("ET-OR",))
    )
    assert "Comes from Ethiopia, where you work" in reasons_of(
        farmer(), mentor(origin_regions=("ET-AM",))
    )


def test_related_chain_is_named_as_related_not_shared() -> None:
    reasons = reasons_of(farmer(value_chains=("coffee",)), mentor(value_chains=("cocoa",)))
    assert "Works in cocoa, close to your coffee (cash and tree crops)" in reasons
    assert not any(r.startswith("Both work in") for r in reasons)


def test_no_reason_without_support_in_the_data() -> None:
    reasons = reasons_of(
        farmer(value_chains=("dairy",), skills_needed=("irrigation",)),
        mentor(value_chains=("coffee",), skills_offered=("marketing",), origin_regions=("SN-TH",)),
    )
    assert reasons == ["You both speak Amharic"]


def backed(match: Match, e: EntrepreneurRecord, d: DiasporaRecord) -> None:
    """Each reason's component counted, and the words it uses come from the two profiles."""
    t = taxonomy()
    for reason in match.reasons:
        values = [side[reason.component] for side in match.components.values()
                  if reason.component in side]  # fmt: skip
        assert values and max(values) > 0, reason
        if reason.component == "language":
            shared = set(e.languages) & set(d.languages)
            assert any(reason.text.endswith(t.language_name(c)) for c in shared), reason
        if reason.text.startswith("Both work in"):
            shared = set(e.value_chains) & set(d.value_chains)
            assert any(t.chain_labels[c].lower() in reason.text for c in shared), reason
        if reason.component == "skills":
            assert any(t.skill_labels[s].lower() in reason.text for s in t.skill_labels), reason


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.sampled_from(list(Kind)))
def test_every_reason_shown_is_backed_by_its_component(world, kind) -> None:  # type: ignore[no-untyped-def]
    es, ds, exclude, load = world
    index = MatchIndex.fit(es, ds, taxonomy())
    by_e, by_d = {e.id: e for e in es}, {d.id: d for d in ds}
    for e in es:
        for match in index.rank_for_entrepreneur(e.id, kind, exclude=exclude, load=load).matches:
            assert len(match.reasons) <= 4
            backed(match, e, by_d[match.diaspora_id])
    for d in ds:
        for match in index.rank_for_diaspora(d.id, kind, exclude=exclude, load=load).matches:
            backed(match, by_e[match.entrepreneur_id], d)


def investment_reasons(e: EntrepreneurRecord, d: DiasporaRecord, viewer: str) -> list[str]:
    index = MatchIndex.fit([e], [d], taxonomy())
    match = index.explain(e.id, d.id, Kind.INVESTMENT, viewer)
    return [r.text.replace("\u00a0", " ") for r in match.reasons if r.component == "ticket"]


def test_ticket_reason_gives_each_amount_in_the_currency_typed_with_dollars_beside() -> None:
    e = farmer(investment_amount_usd=4830.0, investment_amount=7_000_000, investment_currency="NGN")
    d = mentor(ticket_min_usd=2320.0, ticket_max_usd=23_200.0, ticket_min=2000,
               ticket_max=20_000, ticket_currency="EUR")  # fmt: skip
    assert investment_reasons(e, d, "entrepreneur") == [
        "Invests EUR 2,000–20,000 (about USD 2,320–23,200); "
        "you seek NGN 7,000,000 (about USD 4,830)"
    ]
    assert investment_reasons(e, d, "diaspora") == [
        "Seeks NGN 7,000,000 (about USD 4,830), inside your ticket of "
        "EUR 2,000–20,000 (about USD 2,320–23,200)"
    ]


def test_ticket_reason_shows_dollars_when_the_record_has_no_typed_amount() -> None:
    # Synthetic and benchmark records carry dollars only.
    assert investment_reasons(farmer(), mentor(), "entrepreneur") == [
        "Invests USD 1,000–20,000; you seek USD 5,000"
    ]
