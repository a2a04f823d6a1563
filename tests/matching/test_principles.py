"""The ranking principles a coordinator would sign (issue 7), one test or property each:
specialists before generalists, home ties first, text evidence from content words only,
and ties broken by a secondary fit (test_constraints.py), never by id."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentormatch.matching import EntrepreneurRecord, Kind, MatchIndex
from mentormatch.matching import weights as W
from mentormatch.matching.features import country_of
from mentormatch.matching.records import INSTRUMENTS
from tests.matching.people import farmer, mentor, taxonomy
from tests.matching.test_constraints import worlds

ALL_CHAINS = tuple(taxonomy().chain_labels)
ALL_SKILLS = tuple(taxonomy().skill_labels)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def order(index: MatchIndex, entrepreneur_id: int = 1, kind: Kind = Kind.COACHING) -> list[int]:
    return [m.diaspora_id for m in index.rank_for_entrepreneur(entrepreneur_id, kind, k=50).matches]


# --- specificity ---------------------------------------------------------------------------


def test_a_specialist_from_the_province_beats_a_generalist_from_the_capital() -> None:
    # Almaz grows coffee in Oromia and needs export certification. Tesfaye comes from
    # Oromia and does exactly that; the other ticks five chains and every skill, from
    # Addis Ababa.
    specialist = mentor(id=1)
    generalist = mentor(
        id=2,
        origin_regions=("ET-AA",),
        value_chains=("coffee", "dairy", "poultry", "vegetables", "cereals"),
        skills_offered=ALL_SKILLS,
    )
    index = MatchIndex.fit([farmer()], [generalist, specialist], taxonomy())
    for kind in Kind:
        assert order(index, kind=kind) == [1, 2]


def test_breadth_gets_less_credit_per_item_on_the_members_side() -> None:
    narrow = mentor(id=1, value_chains=("coffee",))
    broad = mentor(id=2, value_chains=("coffee", "tea", "cocoa", "dairy", "poultry"))
    index = MatchIndex.fit([farmer()], [narrow, broad], taxonomy())
    one = index.explain(1, 1, Kind.COACHING, "entrepreneur").components
    five = index.explain(1, 2, Kind.COACHING, "entrepreneur").components
    # The entrepreneur's side (is coffee covered?) is the same; the member's is not.
    assert one["entrepreneur"]["value_chain"] == five["entrepreneur"]["value_chain"] == 1.0
    assert five["diaspora"]["value_chain"] < one["diaspora"]["value_chain"]


@st.composite
def specialist_and_generalist(draw: st.DrawFn) -> tuple[EntrepreneurRecord, list[object]]:
    chains = draw(st.lists(st.sampled_from(ALL_CHAINS), min_size=1, max_size=3, unique=True))
    needs = draw(st.lists(st.sampled_from(ALL_SKILLS), min_size=0, max_size=3, unique=True))
    region = draw(st.sampled_from(("ET-OR", "ET-AM", None)))
    e = farmer(
        region_code=region,
        value_chains=tuple(chains),
        skills_needed=tuple(needs),
        investment_instruments=tuple(draw(st.sampled_from([(), ("loan",), INSTRUMENTS]))),
    )
    # The specialist does what the entrepreneur needs; the generalist does all that and
    # more, from a place no closer to the entrepreneur.
    extra_chains = draw(st.lists(st.sampled_from(ALL_CHAINS), min_size=0, max_size=3))
    extra_skills = draw(st.lists(st.sampled_from(ALL_SKILLS), min_size=0, max_size=12))
    if not (set(extra_chains) - set(chains) or set(extra_skills) - set(needs)):
        extra_skills = [s for s in ALL_SKILLS if s not in needs][:5]
    places = [("ET-OR",), ("ET-AM",), ("KE-30",), ("SN-TH",)]
    tie = {("ET-OR",): 3, ("ET-AM",): 2, ("KE-30",): 1, ("SN-TH",): 0}

    def closeness(p: tuple[str, ...]) -> int:
        if region and p[0] == region:
            return 3
        return 2 if p[0][:2] == "ET" else tie[p] if tie[p] < 2 else 0

    s_place = draw(st.sampled_from(places))
    g_place = draw(st.sampled_from([p for p in places if closeness(p) <= closeness(s_place)]))
    specialist = mentor(
        id=1, origin_regions=s_place, value_chains=tuple(chains), skills_offered=tuple(needs)
    )
    generalist = mentor(
        id=2,
        origin_regions=g_place,
        value_chains=tuple(dict.fromkeys([*chains, *extra_chains]))[:5],
        skills_offered=tuple(dict.fromkeys([*needs, *extra_skills])),
    )
    return e, [specialist, generalist]


@SETTINGS
@given(specialist_and_generalist(), st.sampled_from(list(Kind)))
def test_a_generalist_never_outranks_a_specialist_with_an_equal_or_closer_tie(
    people: tuple[EntrepreneurRecord, list[object]], kind: Kind
) -> None:
    e, members = people
    index = MatchIndex.fit([e], members, taxonomy())  # type: ignore[arg-type]
    ranked = order(index, kind=kind)
    if 2 in ranked:
        assert 1 in ranked and ranked.index(1) < ranked.index(2)


# --- home ties -----------------------------------------------------------------------------


def test_same_region_beats_same_country_beats_neighbours_beats_strangers() -> None:
    members = [
        mentor(id=1, origin_regions=("SN-TH",)),  # West Africa: no tie to Ethiopia
        mentor(id=2, origin_regions=("KE-30",)),  # Eastern Africa, like Ethiopia
        mentor(id=3, origin_regions=("ET-AM",)),  # Ethiopia
        mentor(id=4, origin_regions=("ET-OR",)),  # Oromia, where Almaz farms
    ]
    index = MatchIndex.fit([farmer()], members, taxonomy())
    for kind in Kind:
        assert order(index, kind=kind) == [4, 3, 2, 1]


def test_a_stranger_sharing_only_a_lingua_franca_never_passes_a_compatriot() -> None:
    # Abebe speaks Amharic and English. The compatriot is a weaker match on paper (a related
    # chain only, no needed skill); the stranger from Kenya is a perfect one but shares only
    # English with him.
    abebe = farmer(languages=("amh", "eng"), skills_needed=("export_certification",))
    compatriot = mentor(
        id=1, origin_regions=("ET-AM",), value_chains=("tea",), skills_offered=("marketing",),
        languages=("amh", "eng"),
    )  # fmt: skip
    stranger = mentor(id=2, origin_regions=("KE-30",), languages=("eng", "swa"))
    index = MatchIndex.fit([abebe], [stranger, compatriot], taxonomy())
    compatriot_score = index.explain(1, 1, Kind.COACHING, "entrepreneur").score
    assert compatriot_score >= W.HOME_TIE_MIN_SCORE  # comparable
    assert order(index) == [1, 2]


def test_a_lingua_franca_counts_less_than_a_local_language() -> None:
    amina = farmer(country_code="NG", region_code="NG-KN", languages=("hau", "eng"))
    hausa = mentor(id=1, origin_regions=("NG-KN",), languages=("hau",))
    english = mentor(id=2, origin_regions=("NG-KN",), languages=("eng",))
    index = MatchIndex.fit([amina], [english, hausa], taxonomy())
    by_hausa = index.explain(1, 1, Kind.COACHING, "entrepreneur").components["entrepreneur"]
    by_english = index.explain(1, 2, Kind.COACHING, "entrepreneur").components["entrepreneur"]
    assert by_hausa["language"] > by_english["language"] > 0
    assert order(index) == [1, 2]


@SETTINGS
@given(worlds())
def test_for_coaching_members_from_the_country_come_first_when_comparable(world) -> None:  # type: ignore[no-untyped-def]
    es, ds, exclude, load = world
    index = MatchIndex.fit(es, ds, taxonomy())
    by_id = {d.id: d for d in ds}
    for e in es:
        matches = index.rank_for_entrepreneur(e.id, Kind.COACHING, k=20, exclude=exclude,
                                              load=load).matches  # fmt: skip
        tied = [
            e.country_code in {country_of(p) for p in by_id[m.diaspora_id].origin_regions}
            and m.score >= W.HOME_TIE_MIN_SCORE - 1e-6
            for m in matches
        ]
        # Once a member without a comparable tie appears, no tied one follows.
        assert tied == sorted(tied, reverse=True)


# --- text evidence ---------------------------------------------------------------------------


def needs_from_text(text: str, languages: tuple[str, ...] = ("eng",)) -> dict[str, float]:
    index = MatchIndex.fit(
        [farmer(skills_needed=(), skills_needed_text=text, languages=languages)],
        [],
        taxonomy(),
    )
    return {
        code: round(float(v), 3)
        for code, v in zip(ALL_SKILLS, index.parts[0].e.need_raw[0], strict=True)
        if v > 0
    }


def test_stop_words_never_earn_a_skill() -> None:
    # "to" is in "Access to finance"; "and" in a dozen labels: neither is evidence.
    assert needs_from_text("to buy a water filter for the family") == {"irrigation": 0.8}
    assert needs_from_text("to and for the of in") == {}
    assert "access_to_finance" not in needs_from_text("to buy more goods to sell")


def test_stop_words_of_the_writers_language_are_removed() -> None:
    assert needs_from_text("pour acheter des engrais et des semences", ("fra",)) == {
        "soil_fertility": 0.8,
        "seed_selection": 0.8,
    }
    assert needs_from_text("para comprar semillas y pagar la mano de obra", ("spa",)) == {
        "seed_selection": 0.8,
        "leadership": 0.8,
    }


def test_a_misspelling_counts_only_when_close_enough() -> None:
    assert "pest_disease" in needs_from_text("to buy pestisides and insecticid")
    # "husband's" is close to "husbandry", but not close enough to count.
    assert needs_from_text("to pay for her husband's operation") == {}


def test_text_derived_reasons_show_the_words_they_came_from() -> None:
    almaz = farmer(
        skills_needed=(), skills_needed_text="to buy fertilizer and seeds and to pay plowing fees"
    )
    agronomist = mentor(skills_offered=("soil_fertility", "seed_selection"))
    index = MatchIndex.fit([almaz], [agronomist], taxonomy())
    reasons = [r.text for r in index.explain(1, 1, Kind.COACHING, "entrepreneur").reasons]
    assert (
        "Offers soil fertility and fertiliser use, seeds and planting material, which you "
        "need (you wrote “fertilizer”, “seeds”)"
    ) in reasons
    for_mentor = [r.text for r in index.explain(1, 1, Kind.COACHING, "diaspora").reasons]
    assert any("(they wrote “fertilizer”, “seeds”)" in r for r in for_mentor)
