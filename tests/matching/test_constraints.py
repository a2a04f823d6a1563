"""Hard constraints are never broken, in either direction, for any profiles (hypothesis)."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentormatch.matching import DiasporaRecord, EntrepreneurRecord, Kind, Match, MatchIndex
from mentormatch.matching import weights as W
from mentormatch.matching.index import top_k
from mentormatch.matching.records import INSTRUMENTS, STAGES
from tests.matching.people import farmer, mentor, taxonomy

CHAINS = ("coffee", "cocoa", "dairy", "poultry", "vegetables")
SKILLS = ("bookkeeping", "export_certification", "marketing", "irrigation")
LANGUAGES = ("amh", "eng", "fra", "wol", "hau")
PLACES = ("ET-OR", "ET-AM", "KE-30", "NG-KN", "SN-TH", "GH-AA")
TEXTS = ("", "cash flow and records", "export standards", "drip irrigation pumps", "ነጋዴ ቡና")


def subset(items: tuple[str, ...], min_size: int = 0) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(items), min_size=min_size, max_size=3, unique=True).map(tuple)


amounts = st.one_of(st.none(), st.floats(100, 200_000))


@st.composite
def entrepreneurs(draw: st.DrawFn, id_: int) -> EntrepreneurRecord:
    place = draw(st.sampled_from(PLACES))
    return EntrepreneurRecord(
        id=id_,
        user_id=id_,
        active=draw(st.booleans()),
        country_code=place[:2],
        region_code=draw(st.sampled_from((place, None))),
        value_chains=draw(subset(CHAINS)),
        stage=draw(st.sampled_from(STAGES)),
        skills_needed=draw(subset(SKILLS)),
        skills_needed_text=draw(st.sampled_from(TEXTS)),
        languages=draw(subset(LANGUAGES)),
        seeking_investment=draw(st.booleans()),
        investment_amount_usd=draw(amounts),
        investment_instruments=draw(subset(INSTRUMENTS)),
    )


@st.composite
def diaspora(draw: st.DrawFn, id_: int) -> DiasporaRecord:
    low = draw(st.one_of(st.none(), st.floats(0, 50_000)))
    high = draw(st.one_of(st.none(), st.floats(0, 200_000)))
    return DiasporaRecord(
        id=id_,
        user_id=1000 + id_,
        active=draw(st.booleans()),
        residence_country=draw(st.sampled_from(("US", "FR"))),
        origin_regions=draw(subset(PLACES)),
        interest_regions=draw(subset(PLACES)),
        value_chains=draw(subset(CHAINS)),
        skills_offered=draw(subset(SKILLS)),
        skills_offered_text=draw(st.sampled_from(TEXTS)),
        languages=draw(subset(LANGUAGES)),
        preferred_stages=draw(subset(STAGES)),
        offers_coaching=draw(st.booleans()),
        mentee_capacity=draw(st.integers(0, 3)),
        current_mentees=draw(st.integers(0, 3)),
        offers_investment=draw(st.booleans()),
        ticket_min_usd=low,
        ticket_max_usd=high,
        investment_instruments=draw(subset(INSTRUMENTS)),
    )


@st.composite
def worlds(
    draw: st.DrawFn,
) -> tuple[list[EntrepreneurRecord], list[DiasporaRecord], set[tuple[int, int]], dict[int, int]]:  # noqa: E501
    es = [draw(entrepreneurs(i)) for i in range(1, draw(st.integers(1, 8)) + 1)]
    ds = [draw(diaspora(i)) for i in range(1, draw(st.integers(1, 12)) + 1)]
    pairs = [(e.id, d.id) for e in es for d in ds]
    exclude = set(draw(st.lists(st.sampled_from(pairs), max_size=6)))
    load = {d.id: draw(st.integers(0, 3)) for d in ds}
    return es, ds, exclude, load


def allowed(e: EntrepreneurRecord, d: DiasporaRecord, kind: Kind, exclude: set[tuple[int, int]],
            load: dict[int, int]) -> bool:  # fmt: skip
    """Every hard constraint, written out plainly."""
    if not (e.active and d.active) or (e.id, d.id) in exclude:
        return False
    if not set(e.languages) & set(d.languages):
        return False
    if kind is Kind.COACHING:
        return d.offers_coaching and d.mentee_capacity - load.get(d.id, 0) > 0
    if not (e.seeking_investment and d.offers_investment):
        return False
    amount = e.investment_amount_usd
    low, high = d.ticket_min_usd or 0.0, d.ticket_max_usd
    if high is not None and low > high:
        return False
    return amount is None or (low <= amount and (high is None or amount <= high))


def home_tier(index: MatchIndex, match: Match) -> int:
    """1 when the pair is ranked in the home-tied tier (coaching, the member comes from the
    entrepreneur's country, and a comparable score), else 0: written out plainly."""
    if match.kind is not Kind.COACHING or match.score < W.HOME_TIE_MIN_SCORE - 1e-6:
        return 0
    e = next(x for x in index.entrepreneurs if x.id == match.entrepreneur_id)
    d = next(x for x in index.diaspora if x.id == match.diaspora_id)
    return int(e.country_code in {p.split("-")[0] for p in d.origin_regions})


def check_ranked(index: MatchIndex, matches: list[Match]) -> None:
    scores = [m.score for m in matches]
    assert all(0.0 < s <= 1.0 for s in scores)
    keys = [(home_tier(index, m), round(m.score, 5)) for m in matches]
    assert keys == sorted(keys, reverse=True), "home-tied first, then best first"


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(worlds(), st.sampled_from(list(Kind)))
def test_no_suggestion_ever_breaks_a_hard_constraint(world, kind) -> None:  # type: ignore[no-untyped-def]
    es, ds, exclude, load = world
    index = MatchIndex.fit(es, ds, taxonomy())
    by_id_e, by_id_d = {e.id: e for e in es}, {d.id: d for d in ds}
    for e in es:
        ranking = index.rank_for_entrepreneur(e.id, kind, k=20, exclude=exclude, load=load)
        for m in ranking.matches:
            assert allowed(e, by_id_d[m.diaspora_id], kind, exclude, load)
        check_ranked(index, ranking.matches)
        assert ranking.total == len(ranking.matches)
    for d in ds:
        ranking = index.rank_for_diaspora(d.id, kind, k=20, exclude=exclude, load=load)
        for m in ranking.matches:
            assert allowed(by_id_e[m.entrepreneur_id], d, kind, exclude, load)
        check_ranked(index, ranking.matches)
    top = index.top_k_all_entrepreneurs(kind, k=20, exclude=exclude, load=load, n_jobs=2)
    for e_id, row, scores in zip(top.query_ids, top.ids, top.scores, strict=True):
        for d_id, s in zip(row, scores, strict=True):
            if d_id >= 0:
                assert allowed(by_id_e[int(e_id)], by_id_d[int(d_id)], kind, exclude, load)
                assert 0.0 < s <= 1.0


@SETTINGS
@given(worlds(), st.sampled_from(list(Kind)))
def test_all_entrepreneurs_ranking_equals_one_by_one(world, kind) -> None:  # type: ignore[no-untyped-def]
    es, ds, exclude, load = world
    index = MatchIndex.fit(es, ds, taxonomy())
    top = index.top_k_all_entrepreneurs(kind, k=5, exclude=exclude, load=load)
    for e_id, row, scores in zip(top.query_ids, top.ids, top.scores, strict=True):
        one = index.rank_for_entrepreneur(int(e_id), kind, k=5, exclude=exclude, load=load)
        # One by one explains in float64, all at once scores in float32: equal to 1e-5.
        single = [m.score for m in one.matches]
        batch = [float(s) for s in scores if s > 0]
        assert len(single) == len(batch) and np.allclose(single, batch, atol=1e-5)
        if all(abs(a - b) > 1e-5 for a, b in itertools.pairwise(sorted(single))):
            assert [m.diaspora_id for m in one.matches] == [int(i) for i in row if i >= 0]


@SETTINGS
@given(worlds(), st.sampled_from(list(Kind)))
def test_ranking_is_deterministic(world, kind) -> None:  # type: ignore[no-untyped-def]
    es, ds, exclude, load = world
    first = MatchIndex.fit(es, ds, taxonomy())
    again = MatchIndex.fit(list(reversed(es)), list(reversed(ds)), taxonomy())
    for e in es:
        a = first.rank_for_entrepreneur(e.id, kind, exclude=exclude, load=load)
        b = again.rank_for_entrepreneur(e.id, kind, exclude=exclude, load=load)
        assert a == b


def test_no_common_language_is_never_suggested() -> None:
    index = MatchIndex.fit(
        [farmer(languages=("hau",))], [mentor(languages=("amh", "eng"))], taxonomy()
    )
    assert index.rank_for_entrepreneur(1, Kind.COACHING).matches == []
    assert index.rank_for_diaspora(1, Kind.COACHING).matches == []


def test_mentor_at_capacity_is_never_suggested_for_coaching() -> None:
    index = MatchIndex.fit([farmer()], [mentor(mentee_capacity=2, current_mentees=2)], taxonomy())
    assert index.rank_for_entrepreneur(1, Kind.COACHING).matches == []
    assert index.rank_for_diaspora(1, Kind.COACHING).matches == []
    # The same person may still invest: capacity is for coaching only.
    assert len(index.rank_for_entrepreneur(1, Kind.INVESTMENT).matches) == 1


def test_load_passed_in_overrides_the_records() -> None:
    index = MatchIndex.fit([farmer()], [mentor(mentee_capacity=2, current_mentees=0)], taxonomy())
    assert index.rank_for_entrepreneur(1, Kind.COACHING, load={1: 2}).matches == []
    assert len(index.rank_for_entrepreneur(1, Kind.COACHING, load={1: 1}).matches) == 1


def test_investor_whose_range_excludes_the_amount_is_never_suggested() -> None:
    index = MatchIndex.fit(
        [farmer(investment_amount_usd=50_000.0)],
        [mentor(ticket_min_usd=1000.0, ticket_max_usd=20_000.0)],
        taxonomy(),
    )
    assert index.rank_for_entrepreneur(1, Kind.INVESTMENT).matches == []
    assert index.rank_for_diaspora(1, Kind.INVESTMENT).matches == []


def test_inactive_accounts_and_excluded_pairs_are_never_suggested() -> None:
    tesfaye = mentor()
    index = MatchIndex.fit(
        [farmer(), farmer(id=2, active=False)],
        [tesfaye, dataclasses.replace(tesfaye, id=2, active=False)],
        taxonomy(),
    )
    assert [m.diaspora_id for m in index.rank_for_entrepreneur(1, Kind.COACHING).matches] == [1]
    assert index.rank_for_entrepreneur(2, Kind.COACHING).matches == []
    assert index.rank_for_entrepreneur(1, Kind.COACHING, exclude={(1, 1)}).matches == []
    assert index.rank_for_diaspora(1, Kind.COACHING, exclude={(1, 1)}).matches == []


def test_equal_scores_are_not_ordered_by_id_but_the_same_way_everywhere() -> None:
    # Identical mentors: the order among them comes from a hash of the pair, so it is
    # deterministic (one by one == all at once) without always favouring the oldest account.
    twins = [mentor(id=i) for i in (7, 3, 5)]
    farmers = [farmer(id=i, user_id=100 + i) for i in range(1, 13)]
    index = MatchIndex.fit(farmers, twins, taxonomy())
    top = index.top_k_all_entrepreneurs(Kind.COACHING, k=3)
    firsts = set()
    for e_id, row in zip(top.query_ids, top.ids, strict=True):
        one = index.rank_for_entrepreneur(int(e_id), Kind.COACHING, k=3)
        assert [m.diaspora_id for m in one.matches] == row.tolist()
        assert sorted(row.tolist()) == [3, 5, 7]
        firsts.add(int(row[0]))
    assert len(firsts) > 1, "the same twin always first: ties broken by id"


def test_equal_scores_go_to_the_closer_fit_for_the_viewer() -> None:
    # Two members whose scores are equal: the one who covers more of what the viewer
    # needs (the viewer's own side of the fit) comes first.
    almaz = farmer(skills_needed=("export_certification", "bookkeeping"))
    covers_need = mentor(id=1, skills_offered=("export_certification", "bookkeeping"))
    index = MatchIndex.fit([almaz], [covers_need, mentor(id=2)], taxonomy())
    keys = np.array([[0.3, 0.3]], dtype=np.float32)
    part = index.parts[0]
    rows, cols = part.rows[Kind.COACHING], part.columns[Kind.COACHING]

    def tiebreak(r: np.ndarray, c: np.ndarray) -> list[np.ndarray]:
        return index._secondary(Kind.COACHING, rows, r, cols, c, "entrepreneur")

    ids, _ = top_k(keys, 2, tiebreak=tiebreak)
    assert cols.ids[ids[0]].tolist() == [1, 2]


def test_filter_among_keeps_only_those_ids() -> None:
    index = MatchIndex.fit([farmer()], [mentor(id=i) for i in (1, 2, 3)], taxonomy())
    ranking = index.rank_for_entrepreneur(1, Kind.COACHING, among={2, 3})
    assert sorted(m.diaspora_id for m in ranking.matches) == [2, 3] and ranking.total == 2


def test_an_empty_side_gives_empty_rankings() -> None:
    for es, ds in (([], [mentor()]), ([farmer()], []), ([], [])):
        index = MatchIndex.fit(es, ds, taxonomy())
        for kind in Kind:
            assert index.rank_for_entrepreneur(1, kind).matches == []
            assert index.rank_for_diaspora(1, kind).matches == []
            assert (index.top_k_all_entrepreneurs(kind).ids == -1).all()
