"""`flask --app mentormatch matching …`: label, evaluate the ranking, benchmark the engine."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch import learning
from mentormatch.config import PROJECT_ROOT
from mentormatch.db import session_scope
from mentormatch.matches import adapter, service
from mentormatch.matching import Kind, MatchIndex, bench
from mentormatch.matching.evaluate import evaluate
from mentormatch.matching.judgement import side_by_side, table
from mentormatch.matching.labels import (
    LabelFileError,
    LabelSet,
    build_labels,
    read_labels,
    write_labels,
)
from mentormatch.models import User
from mentormatch.models.users import normalize_email, normalize_phone
from mentormatch.taxonomy import TAXONOMY_DIR

LABELS_FILE = PROJECT_ROOT / "seed_data" / "labelled" / "coordinator_labels.csv"
EVALUATION_DIR = PROJECT_ROOT / "seed_data" / "evaluation"
RULES_PAGE = "seed_data/labelled/README.md"

matching_cli = AppGroup("matching", help="Label, evaluate and benchmark the matching engine.")


def _logins(session: Session) -> dict[int, str | None]:
    """Each user's login as stored: email, or phone for those without one."""
    rows = session.execute(select(User.id, User.email, User.phone))
    return {user_id: email or phone for user_id, email, phone in rows}


def _normalise_login(login: str) -> str | None:
    return normalize_email(login) if "@" in login else normalize_phone(login)


def _shown(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


def _label_sets(
    path: Path, index: MatchIndex, logins: dict[int, str | None]
) -> dict[Kind, LabelSet]:
    """The label file matched to the current people, one set per kind; echoes the counts."""
    try:
        # utf-8-sig: a file saved from a spreadsheet may start with a byte-order mark.
        with path.open(encoding="utf-8-sig", newline="") as source:
            labels = read_labels(source, _normalise_login)
    except (LabelFileError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{_shown(path)}: {error}") from None
    sets = {
        kind: LabelSet.match(labels, kind, index.entrepreneurs, index.diaspora,
                             index.taxonomy, logins)
        for kind in Kind
    }  # fmt: skip
    found = sum(s.found for s in sets.values())
    click.echo(
        f"Labels: {_shown(path)}, {found} of {len(labels)} labelled pairs found in this data; "
        f"entrepreneurs it does not name are judged by the rules in {RULES_PAGE}."
    )
    return sets


@matching_cli.command("evaluate")
@click.option("--k", default=10, show_default=True, help="Length of each ranked list.")
@click.option(
    "--set",
    "set_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Judgement set folder (default: seed_data/evaluation).",
)
@click.option(
    "--current-data",
    is_flag=True,
    help="Instead, rank the database's current profiles and judge them by the rule-made "
    "labels (a regression check, not a measure of quality).",
)
@click.option(
    "--labels",
    "labels_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With --current-data: the label file to judge by.",
)
@click.option("--rules", is_flag=True, help="With --current-data: judge every pair by the rules.")
def evaluate_command(
    k: int, set_dir: Path | None, current_data: bool, labels_path: Path | None, rules: bool
) -> None:
    """Grade the ranking on the coordinator's judgement set (real Kiva borrowers, graded
    before the engine ran on them), side by side with a naive overlap count and a random
    order, for the tuning and the held-out half (seed_data/evaluation/README.md)."""
    if rules and labels_path:
        raise click.UsageError("Give --labels FILE or --rules, not both.")
    if current_data or rules or labels_path:
        if set_dir:
            raise click.UsageError("--set grades the judgement set; leave out --current-data.")
        _evaluate_current_data(k, labels_path, rules)
        return
    from mentormatch.matches.judgement_set import JudgementSetError, load_judgement_set

    folder = set_dir or EVALUATION_DIR
    try:
        loaded = load_judgement_set(folder)
    except JudgementSetError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Judgement set: {_shown(folder)} (odd Kiva ids are the held-out half).")
    for note in loaded.notes:
        click.echo(f"  {note}")
    report = side_by_side(loaded.index, loaded.judgement, loaded.load, k)
    for line in table(report, k):
        click.echo(line)


def _evaluate_current_data(k: int, labels_path: Path | None, rules: bool) -> None:
    """The regression check on the current database, by the rule-made labels."""
    with session_scope() as session:
        index = service.fitted_index(session)
        load = adapter.load(session)
        logins = _logins(session)
    active = sum(e.active for e in index.entrepreneurs), sum(d.active for d in index.diaspora)
    click.echo(
        f"Current data: {active[0]} active entrepreneurs, {active[1]} active diaspora members."
    )
    if not all(active):
        raise click.ClickException("Nothing to evaluate: load profiles first (flask seed).")
    path = labels_path or (None if rules or not LABELS_FILE.exists() else LABELS_FILE)
    if path is None:
        click.echo(f"Labels: every pair judged by the rules in {RULES_PAGE}.")
    sets = _label_sets(path, index, logins) if path else {}
    for kind in Kind:
        labelled = sets.get(kind)
        if labelled is not None:
            by_file = sum(e.active and e.id in labelled.judged for e in index.entrepreneurs)
            click.echo(
                f"{kind.value}: {labelled.found} labelled pairs found; {by_file} entrepreneurs "
                f"judged by the file, {active[0] - by_file} by the rules"
            )
        grader = labelled.grader if labelled is not None else None
        for line in evaluate(index, kind, k, load=load, grader=grader).lines(k):
            click.echo(line)


@matching_cli.command("label")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=LABELS_FILE,
    show_default=True,
    help="CSV file to write.",
)
@click.option(
    "--min-grade", default=1, show_default=True, type=click.IntRange(0, 3),
    help="Leave out pairs with fewer points.",
)  # fmt: skip
def label_command(output: Path, min_grade: int) -> None:
    """Write the coordinator's labelled set for the current data: every allowed pair the
    rules of seed_data/labelled/README.md give at least --min-grade points."""
    with session_scope() as session:
        entrepreneurs = adapter.entrepreneur_records(session)
        diaspora = adapter.diaspora_records(session)
        taxonomy = adapter.build_taxonomy(session, entrepreneurs, diaspora)
        load = adapter.load(session)
        logins = _logins(session)
    if not (entrepreneurs and diaspora):
        # Refuse rather than overwrite the committed set with an empty one.
        raise click.ClickException("Nothing to label: load profiles first (flask seed).")
    labels = build_labels(entrepreneurs, diaspora, taxonomy, logins, load, min_grade)
    with output.open("w", encoding="utf-8", newline="") as out:
        write_labels(labels, out)
    by_grade = Counter(label.grade for label in labels)
    grades = ", ".join(
        f"{by_grade[g]} with {g} point{'s' * (g != 1)}" for g in sorted(by_grade, reverse=True)
    )
    click.echo(f"Wrote {len(labels)} labelled pairs to {_shown(output)} ({grades or 'none'}).")


@matching_cli.command("build-index")
@click.option("--full", is_flag=True, help="Build everything afresh even if an overlay would do.")
def build_index_command(full: bool) -> None:
    """Build and publish the matching index now (the worker does this by itself; this is
    for a first start, after a bulk change, or for cron users without the worker)."""
    from mentormatch.matches.builds import build_full, index_root, refresh_index

    config = current_app.config
    root = index_root(config)
    with session_scope() as session:
        if full:
            report = build_full(session, root)
        else:
            report = refresh_index(
                session,
                root,
                overlay_limit=int(config["MATCHING_OVERLAY_LIMIT"]),
                full_after_seconds=float(config["MATCHING_FULL_BUILD_HOURS"]) * 3600,
            )
    click.echo(report.line() or f"The published index is current (version {report.version}).")


@matching_cli.command("export-decisions")
@click.argument("output", type=click.File("w", encoding="utf-8", lazy=False))
def export_decisions_command(output: TextIO) -> None:
    """Write the learning data as CSV to OUTPUT ('-' for the screen): every suggestion shown
    and every decision (requests, answers, approvals, outcomes, ratings) with the score and
    components the engine used then. People appear as pseudonyms: no names, emails or phones."""
    with session_scope() as session:
        written = learning.export_decisions(session, output, current_app.config["SECRET_KEY"])
    if output is not sys.stdout:
        click.echo(f"Wrote {written} events to {output.name}.")


@matching_cli.command("bench")
@click.option("--entrepreneurs", default=100_000, show_default=True)
@click.option("--diaspora", default=20_000, show_default=True)
@click.option("--queries", default=300, show_default=True, help="Single-user queries timed.")
@click.option(
    "--baseline", default=2_000, show_default=True, help="Entrepreneurs in the dense baseline."
)
@click.option(
    "--jobs", default=2, show_default=True, help="Threads for the all-entrepreneurs ranking."
)
@click.option(
    "--round-size",
    nargs=2,
    type=click.IntRange(1),
    default=(5_000, 1_000),
    show_default=True,
    metavar="N_ENTREPRENEURS N_MENTORS",
    help="The matching round timed (mentors of capacity 3).",
)
@click.option(
    "--results-size",
    nargs=2,
    type=click.IntRange(1),
    default=(10_000, 20_000),
    show_default=True,
    metavar="N_ENTREPRENEURS N_INTRODUCTIONS",
    help="The data behind the /coordinator/results timing.",
)
@click.option(
    "--page-size",
    nargs=2,
    type=click.IntRange(0),
    default=(20_000, 5_000),
    show_default=True,
    metavar="N_ENTREPRENEURS N_DIASPORA",
    help="Profiles behind the /matches page timing (0 0: skip it).",
)
@click.option(
    "--language-rounds",
    type=click.IntRange(0),
    default=4,
    show_default=True,
    help="Turns of /matches in English, French and Arabic, compared (0: skip).",
)
@click.option(
    "--results-database",
    envvar="BENCH_DATABASE_URL",
    help="An EMPTY database to fill for timing /coordinator/results (default: a temporary "
    "SQLite file; `make bench` gives a throwaway PostgreSQL).",
)
def bench_command(
    entrepreneurs: int,
    diaspora: int,
    queries: int,
    baseline: int,
    jobs: int,
    round_size: tuple[int, int],
    results_size: tuple[int, int],
    page_size: tuple[int, int],
    language_rounds: int,
    results_database: str | None,
) -> None:
    """Time fit, one user's top-10, everyone's top-10, a dense baseline, a matching round
    and the results page on synthetic data; the last line is one JSON object with the
    figures."""
    figures = bench.run(
        bench.Taxonomy.from_csv(TAXONOMY_DIR),
        n_entrepreneurs=entrepreneurs,
        n_diaspora=diaspora,
        n_queries=queries,
        n_baseline=baseline,
        n_jobs=jobs,
        echo=click.echo,
        round_size=round_size,
    )
    if all(page_size):
        from mentormatch.matches.bench_page import time_matches_page_alone

        figures.update(time_matches_page_alone(*page_size, language_rounds=language_rounds))
    from mentormatch.results.load import BenchDatabaseError, time_results_page

    try:
        figures.update(time_results_page(results_database, *results_size, echo=click.echo))
    except BenchDatabaseError as error:
        raise click.ClickException(str(error)) from None
    # The whole command: this process and the page's (both alive while the page runs),
    # an upper bound.
    main, page = bench.peak_mb(), figures.get("peak_mb_page_process", 0.0)
    figures["peak_mb_process"] = round(main + page, 1)
    click.echo(f"peak memory of the whole command: at most {main + page:.0f} MB (this "
               f"process {main:.0f} MB, the page's process {page:.0f} MB)")  # fmt: skip
    click.echo(json.dumps(figures, sort_keys=True))
