"""`flask --app mentormatch matching …`: evaluate the ranking, benchmark the engine."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from mentormatch.db import session_scope
from mentormatch.matches import adapter, service
from mentormatch.matching import Kind, bench
from mentormatch.matching.evaluate import evaluate
from mentormatch.taxonomy import TAXONOMY_DIR

matching_cli = AppGroup("matching", help="Evaluate and benchmark the matching engine.")


@matching_cli.command("evaluate")
@click.option("--k", default=10, show_default=True, help="Length of each ranked list.")
def evaluate_command(k: int) -> None:
    """Print NDCG@k, precision@5, MRR, coverage and load Gini on the current data,
    against the coordinator rules of seed_data/labelled/README.md."""
    with session_scope() as session:
        index = service.fitted_index(session)
        load = adapter.load(session)
    active = sum(e.active for e in index.entrepreneurs), sum(d.active for d in index.diaspora)
    click.echo(
        f"Current data: {active[0]} active entrepreneurs, {active[1]} active diaspora members."
    )
    if not all(active):
        raise click.ClickException("Nothing to evaluate: load profiles first (flask seed).")
    for kind in Kind:
        for line in evaluate(index, kind, k, load=load).lines(k):
            click.echo(line)


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
def bench_command(
    entrepreneurs: int, diaspora: int, queries: int, baseline: int, jobs: int
) -> None:
    """Time fit, one user's top-10, everyone's top-10 and a dense baseline on synthetic
    profiles; the last line is one JSON object with the figures."""
    figures = bench.run(
        bench.Taxonomy.from_csv(TAXONOMY_DIR),
        n_entrepreneurs=entrepreneurs,
        n_diaspora=diaspora,
        n_queries=queries,
        n_baseline=baseline,
        n_jobs=jobs,
        echo=click.echo,
    )
    click.echo(json.dumps(figures, sort_keys=True))
