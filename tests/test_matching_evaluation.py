"""The acceptance bar of issue 7 on the coordinator's judgement set (seed_data/evaluation/):
on the held-out half the engine beats the naive overlap baseline, and no ranking suggests a
pair the rubric forbids. Run through the product's own import, as `matching evaluate` does."""

from __future__ import annotations

import pytest
from flask.testing import FlaskCliRunner

from mentormatch.config import PROJECT_ROOT
from mentormatch.matches.judgement_set import LoadedSet, load_judgement_set
from mentormatch.matching import Kind
from mentormatch.matching.judgement import RANKERS, side_by_side

EVALUATION = PROJECT_ROOT / "seed_data" / "evaluation"


@pytest.fixture(scope="module")
def loaded() -> LoadedSet:
    return load_judgement_set(EVALUATION)


@pytest.mark.parametrize("kind", list(Kind))
def test_the_engine_beats_the_naive_baseline_on_the_held_out_half(
    loaded: LoadedSet, kind: Kind
) -> None:
    report = side_by_side(loaded.index, loaded.judgement, loaded.load)
    engine, naive, random = report[kind, "held-out"]
    assert (engine.ranker, naive.ranker, random.ranker) == RANKERS
    assert engine.queries >= 30
    assert engine.ndcg_10 > naive.ndcg_10 > random.ndcg_10
    assert engine.mrr >= naive.mrr
    for half in ("tuning", "held-out"):
        assert [s.forbidden for s in report[kind, half]] == [0, 0, 0]


def test_matching_evaluate_prints_the_side_by_side_table(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["matching", "evaluate"])
    assert result.exit_code == 0, result.output
    assert "183 profiles imported" in result.output
    for words in (
        "coaching, held-out half",
        "investment, tuning half",
        "NDCG@5",
        "P@5",
        "MRR",
        "forbidden",
        "generalist 1st",
        "naive overlap",
        "random allowed",
    ):
        assert words in result.output  # fmt: skip


def test_matching_evaluate_names_what_is_wrong_with_a_broken_set(
    runner: FlaskCliRunner, tmp_path: object
) -> None:
    result = runner.invoke(args=["matching", "evaluate", "--set", str(PROJECT_ROOT / "docs")])
    assert result.exit_code != 0
    assert "diaspora.csv is missing" in result.output
