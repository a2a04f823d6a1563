"""The evaluation metrics and the coordinator's rules behave as documented."""

from __future__ import annotations

import pytest

from mentormatch.matching import Kind, MatchIndex
from mentormatch.matching.evaluate import coordinator_grade, evaluate, gini, ndcg
from tests.matching.people import farmer, mentor, taxonomy


def test_ndcg_is_one_for_the_ideal_order_and_lower_otherwise() -> None:
    assert ndcg([3, 2, 0], [0, 2, 3], k=10) == pytest.approx(1.0)
    assert ndcg([0, 2, 3], [0, 2, 3], k=10) < 1.0
    assert ndcg([], [0, 0], k=10) == 0.0


def test_gini_is_zero_when_even_and_high_when_one_takes_all() -> None:
    assert gini([3, 3, 3]) == pytest.approx(0.0)
    assert gini([0, 0, 0, 9]) == pytest.approx(0.75)


def test_coordinator_grade_counts_sector_place_and_need() -> None:
    t = taxonomy()
    assert coordinator_grade(farmer(), mentor(), Kind.COACHING, t) == 3
    assert coordinator_grade(farmer(), mentor(origin_regions=("SN-TH",)), Kind.COACHING, t) == 2
    # A related chain counts only from someone who knows the place.
    far_cocoa = mentor(value_chains=("cocoa",), origin_regions=("SN-TH",))
    assert coordinator_grade(farmer(), far_cocoa, Kind.COACHING, t) == 1


def test_evaluate_reports_every_metric_in_range() -> None:
    mentors = [mentor(), mentor(id=2, origin_regions=("SN-TH",), value_chains=("dairy",))]
    index = MatchIndex.fit([farmer()], mentors, taxonomy())
    report = evaluate(index, Kind.COACHING)
    assert report.queries == 1
    assert report.ndcg == pytest.approx(1.0) and report.mrr == 1.0
    assert report.precision_at_5 == pytest.approx(0.2)
    assert report.coverage == 1.0 and 0 <= report.gini <= 1
