"""The coordinator's labelled set: built from the rules, committed, and used to evaluate."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from mentormatch.matches import adapter, service
from mentormatch.matches.cli import LABELS_FILE
from mentormatch.matching import Kind
from tests import builders

METRICS = ("NDCG@10", "precision@5", "MRR", "coverage", "load Gini")
HEADER = "kind,entrepreneur_login,diaspora_login,grade,rules_met\n"


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    service.clear_cache()
    yield
    service.clear_cache()


def metrics(output: str, kind: Kind) -> dict[str, float]:
    """The figures printed under one kind's heading, by metric name."""
    section = output.split(f"{kind.value}: ")[-1]
    return {
        name: float(re.search(rf"^  {re.escape(name)}\s+([0-9.]+)", section, re.M)[1])  # type: ignore[index]
        for name in METRICS
    }


def evaluate(runner: FlaskCliRunner, *args: str) -> str:
    result = runner.invoke(args=["matching", "evaluate", "--current-data", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_committed_label_file_is_what_the_rules_give_for_the_seed_data(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    assert runner.invoke(args=["seed"]).exit_code == 0
    rebuilt = tmp_path / "labels.csv"
    result = runner.invoke(args=["matching", "label", "--output", str(rebuilt)])
    assert result.exit_code == 0, result.output
    committed = LABELS_FILE.read_text(encoding="utf-8")
    pairs = committed.count("\n") - 1
    assert f"Wrote {pairs} labelled pairs" in result.output
    # If this fails, the rules or the seed data changed: rebuild the file with the command
    # in seed_data/labelled/README.md and commit it with the change.
    assert rebuilt.read_text(encoding="utf-8") == committed
    assert committed.startswith(HEADER)
    # The demo accounts and the phone-only seed entrepreneurs are labelled too.
    assert (
        "\ncoaching,entrepreneur@demo.mentormatch.org,mentor@demo.mentormatch.org,3," in committed
    )
    assert "\ncoaching,+" in committed


def test_evaluate_judges_the_seed_data_by_the_committed_labels(runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["seed"]).exit_code == 0
    pairs = LABELS_FILE.read_text(encoding="utf-8").count("\n") - 1
    by_file = evaluate(runner)
    assert f"{pairs} of {pairs} labelled pairs found" in by_file
    assert "entrepreneurs judged by the file, 0 by the rules" in by_file
    by_rules = evaluate(runner, "--rules")
    assert "every pair judged by the rules" in by_rules
    for kind in Kind:
        figures = metrics(by_file, kind)
        assert 0 < figures["NDCG@10"] <= 1 and 0 < figures["MRR"] <= 1
        # The file is the rules written out, so on the seed data the two agree exactly.
        assert figures == metrics(by_rules, kind)


@pytest.fixture
def ranked_mentors(app: Flask, db: Session) -> list[str]:
    """Amina and twelve mentors she may be introduced to; their emails as the engine
    ranks them for her."""
    amina = builders.make_entrepreneur(db)
    places = (["NG-KN"], ["NG-LA"], ["ET-OR"])
    mentors = {
        builders.make_diaspora(
            db,
            full_name=f"Mentor {i}",
            email=f"mentor{i}@example.org",
            value_chains=(("poultry",), ("dairy",), ("coffee",))[i % 3],
            skills_offered=(("bookkeeping",), ("marketing",))[i % 2],
            origin_regions=places[i % 3],
            interest_regions=places[i % 3],
            languages=["hau", "eng"],
        ).id: f"mentor{i}@example.org"
        for i in range(12)
    }
    db.commit()
    with app.app_context():
        index = service.fitted_index(db)
    ranking = index.rank_for_entrepreneur(amina.id, Kind.COACHING, k=12, load=adapter.load(db))
    ranked = [mentors[m.diaspora_id] for m in ranking.matches]
    assert len(ranked) == 12
    return ranked


def label_file(path: Path, *rows: str) -> str:
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return str(path)


def test_labels_that_mark_the_engines_top_pick_relevant_give_mrr_one(
    runner: FlaskCliRunner, ranked_mentors: list[str], tmp_path: Path
) -> None:
    labels = label_file(
        tmp_path / "labels.csv", f"coaching,AMINA@example.org,{ranked_mentors[0]},3,"
    )
    output = evaluate(runner, "--labels", labels)
    assert "1 of 1 labelled pairs found" in output
    assert (
        "coaching: 1 labelled pairs found; 1 entrepreneurs judged by the file, 0 by the rules"
        in output
    )
    figures = metrics(output, Kind.COACHING)
    assert figures["MRR"] == 1.0 and figures["NDCG@10"] == 1.0
    assert figures["precision@5"] == pytest.approx(0.2)  # one relevant among five


def test_labels_that_mark_nothing_in_the_top_ten_relevant_give_mrr_zero(
    runner: FlaskCliRunner, ranked_mentors: list[str], tmp_path: Path
) -> None:
    labels = label_file(
        tmp_path / "labels.csv",
        f"coaching,amina@example.org,{ranked_mentors[11]},3,sector;place;need",
        f"coaching,amina@example.org,{ranked_mentors[10]},2,place;need",
    )
    output = evaluate(runner, "--labels", labels)
    assert "coaching: 1 entrepreneurs with at least one relevant match" in output
    figures = metrics(output, Kind.COACHING)
    assert figures["MRR"] == 0.0 and figures["NDCG@10"] == 0.0 and figures["precision@5"] == 0.0


def test_people_the_committed_labels_do_not_name_are_judged_by_the_rules(
    runner: FlaskCliRunner, ranked_mentors: list[str]
) -> None:
    output = evaluate(runner)
    assert "0 entrepreneurs judged by the file, 1 by the rules" in output
    assert metrics(output, Kind.COACHING) == metrics(evaluate(runner, "--rules"), Kind.COACHING)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["coaching,amina@example.org,mentor0@example.org,high,"], "Line 2: kind must be"),
        (["coaching,amina@example.org,mentor0@example.org,7,"], "Line 2: give both logins"),
        (["coaching,amina@example.org,,2,", "mentoring,a@b.org,c@d.org,2,"], "Line 2"),
    ],
)
def test_a_label_file_with_a_bad_line_is_refused_with_its_line_number(
    runner: FlaskCliRunner,
    ranked_mentors: list[str],
    tmp_path: Path,
    rows: list[str],
    message: str,
) -> None:
    labels = label_file(tmp_path / "labels.csv", *rows)
    result = runner.invoke(args=["matching", "evaluate", "--labels", labels])
    assert result.exit_code != 0
    assert message in result.output and "NDCG" not in result.output


def test_labels_and_rules_are_one_choice(runner: FlaskCliRunner, tmp_path: Path) -> None:
    labels = label_file(tmp_path / "labels.csv")
    result = runner.invoke(args=["matching", "evaluate", "--rules", "--labels", labels])
    assert result.exit_code != 0
    assert "not both" in result.output


def test_labelling_an_empty_database_writes_nothing(runner: FlaskCliRunner, tmp_path: Path) -> None:
    output = tmp_path / "labels.csv"
    result = runner.invoke(args=["matching", "label", "--output", str(output)])
    assert result.exit_code != 0 and "flask seed" in result.output
    assert not output.exists()


def test_a_label_file_saved_from_a_spreadsheet_is_read(
    runner: FlaskCliRunner, ranked_mentors: list[str], tmp_path: Path
) -> None:
    labels = tmp_path / "labels.csv"
    row = f"coaching,amina@example.org,{ranked_mentors[0]},3,\r\n"
    labels.write_bytes(("\ufeff" + HEADER.replace("\n", "\r\n") + row).encode("utf-8"))
    assert "1 of 1 labelled pairs found" in evaluate(runner, "--labels", str(labels))
