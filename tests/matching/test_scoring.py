"""Each block of the score moves it the right way, and scores stay in [0, 1]."""

from __future__ import annotations

import pytest

from mentormatch.matching import DiasporaRecord, EntrepreneurRecord, Kind, MatchIndex
from tests.matching.people import farmer, mentor, taxonomy


def score(e: EntrepreneurRecord, d: DiasporaRecord, kind: Kind = Kind.COACHING) -> float:
    """The ranked score of one pair (0 when the pair is not suggested at all)."""
    ranking = MatchIndex.fit([e], [d], taxonomy()).rank_for_entrepreneur(e.id, kind)
    return ranking.matches[0].score if ranking.matches else 0.0


def test_same_region_beats_same_country_beats_same_subregion_beats_elsewhere() -> None:
    almaz = farmer()
    same_region = score(almaz, mentor(origin_regions=("ET-OR",)))
    same_country = score(almaz, mentor(origin_regions=("ET-AM",)))
    same_subregion = score(almaz, mentor(origin_regions=("KE-30",)))
    elsewhere = score(almaz, mentor(origin_regions=("SN-TH",)))
    assert same_region > same_country > same_subregion > elsewhere > 0


def test_regions_a_mentor_wants_to_support_count_at_home_and_less_abroad() -> None:
    almaz = farmer()
    from_oromia = score(almaz, mentor(origin_regions=("ET-OR",)))
    # From Amhara, wants to support Oromia: Oromia is part of their home country.
    amhara_for_oromia = score(almaz, mentor(origin_regions=("ET-AM",), interest_regions=("ET-OR",)))
    assert amhara_for_oromia == pytest.approx(from_oromia)
    # From Senegal, wants to support Oromia: a wish, not a tie; less than any compatriot.
    senegal_for_oromia = score(
        almaz, mentor(origin_regions=("SN-TH",), interest_regions=("ET-OR",))
    )
    from_amhara = score(almaz, mentor(origin_regions=("ET-AM",)))
    from_senegal = score(almaz, mentor(origin_regions=("SN-TH",)))
    assert from_amhara > senegal_for_oromia > from_senegal


def test_a_long_list_of_regions_counts_like_the_country() -> None:
    almaz = farmer()
    everywhere = ("ET-OR", "ET-AM", "ET-SN", "ET-TI", "ET-SO", "ET-AF")
    listing_all = score(almaz, mentor(origin_regions=("ET-AA",), interest_regions=everywhere))
    from_amhara = score(almaz, mentor(origin_regions=("ET-AM",)))
    assert listing_all == pytest.approx(from_amhara)
    assert score(almaz, mentor(origin_regions=("ET-OR",))) > listing_all


def test_covered_skill_need_beats_uncovered() -> None:
    almaz = farmer()
    covered = score(almaz, mentor(skills_offered=("export_certification",)))
    uncovered = score(almaz, mentor(skills_offered=("bookkeeping",)))
    assert covered > uncovered


def test_needs_are_covered_by_offers_and_breadth_costs_on_the_members_side() -> None:
    # For the entrepreneur, offering more than is needed costs nothing (recall); for the
    # member, an entrepreneur who needs one of their many skills is a smaller share of
    # their offer (precision), so the specialist ends up ahead.
    almaz = farmer(skills_needed=("export_certification",))
    index = MatchIndex.fit(
        [almaz],
        [
            mentor(id=1, skills_offered=("export_certification", "bookkeeping")),
            mentor(id=2, skills_offered=("export_certification",)),
        ],
        taxonomy(),
    )
    generous = index.explain(1, 1, Kind.COACHING, "entrepreneur")
    exact = index.explain(1, 2, Kind.COACHING, "entrepreneur")
    assert (
        generous.components["entrepreneur"]["skills"] == exact.components["entrepreneur"]["skills"]
    )
    assert generous.components["diaspora"]["skills"] < exact.components["diaspora"]["skills"]
    assert exact.score > generous.score
    needy = farmer(skills_needed=("export_certification", "bookkeeping"))
    assert score(needy, mentor()) < exact.score


def test_free_text_need_is_matched_through_its_words() -> None:
    almaz = farmer(skills_needed=(), skills_needed_text="we keep no records of cash flow")
    with_bookkeeping = score(almaz, mentor(skills_offered=("bookkeeping",)))
    without = score(almaz, mentor(skills_offered=("irrigation",)))
    assert with_bookkeeping > without


def test_same_chain_beats_same_group_beats_unrelated() -> None:
    almaz = farmer(value_chains=("coffee",))
    same_chain = score(almaz, mentor(value_chains=("coffee",)))
    same_group = score(almaz, mentor(value_chains=("cocoa",)))
    unrelated = score(almaz, mentor(value_chains=("dairy",)))
    assert same_chain > same_group > unrelated


def test_mentor_preferring_the_entrepreneurs_stage_scores_higher() -> None:
    almaz = farmer(stage="growing")
    assert score(almaz, mentor(preferred_stages=("growing",))) > score(
        almaz, mentor(preferred_stages=("idea",))
    )


def test_overlapping_instruments_score_higher_for_investment() -> None:
    almaz = farmer(investment_instruments=("loan",))
    overlap = score(almaz, mentor(investment_instruments=("loan",)), Kind.INVESTMENT)
    other = score(almaz, mentor(investment_instruments=("equity",)), Kind.INVESTMENT)
    assert overlap > other > 0


def test_one_sided_fit_scores_low_harmonic_mean() -> None:
    # Great for Almaz (skills, region, chain) but the mentor only wants idea-stage dairy.
    index = MatchIndex.fit(
        [farmer()],
        [
            mentor(
                value_chains=("dairy",),
                # Among many other things: little of the offer is about Almaz.
                skills_offered=(
                    "export_certification",
                    "bookkeeping",
                    "marketing",
                    "irrigation",
                    "digital_tools",
                ),  # fmt: skip
                preferred_stages=("idea",),
                interest_regions=("SN-TH",),
                origin_regions=("SN-TH",),
            )
        ],
        taxonomy(),
    )
    match = index.explain(1, 1, Kind.COACHING, "entrepreneur")
    a, b = match.fit["entrepreneur"], match.fit["diaspora"]
    assert match.score == pytest.approx(2 * a * b / (a + b))
    assert match.score < (a + b) / 2
    assert b < 0.1 and match.score < 0.2


def test_perfect_pair_scores_at_most_one() -> None:
    almaz = farmer(languages=("amh",))
    perfect = mentor(languages=("amh",), preferred_stages=("growing",))
    assert 0.9 < score(almaz, perfect) <= 1.0
    assert 0.9 < score(almaz, perfect, Kind.INVESTMENT) <= 1.0


def test_ranked_scores_agree_with_their_explanations() -> None:
    mentors = [
        mentor(),
        mentor(id=2, value_chains=("tea",)),
        mentor(id=3, origin_regions=("KE-30",)),
    ]
    index = MatchIndex.fit([farmer()], mentors, taxonomy())
    top = index.top_k_all_entrepreneurs(Kind.COACHING, k=3)
    for d_id, ranked in zip(top.ids[0], top.scores[0], strict=True):
        explained = index.explain(1, int(d_id), Kind.COACHING, "entrepreneur").score
        assert ranked == pytest.approx(explained, abs=1e-5)
