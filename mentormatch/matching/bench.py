"""The benchmark behind `make bench`: synthetic profiles at scale, timed end to end.

Prints one line per figure and, last, one JSON object with every figure and the sizes
used, so scripts can read it.
"""

from __future__ import annotations

import dataclasses
import resource
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors

from mentormatch.matching import synthetic
from mentormatch.matching.features import country_of, groups_of, multi_hot
from mentormatch.matching.index import MatchIndex
from mentormatch.matching.records import (
    INSTRUMENTS,
    STAGES,
    DiasporaRecord,
    EntrepreneurRecord,
    Kind,
    Taxonomy,
)


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dense_profiles(
    es: Sequence[EntrepreneurRecord], ds: Sequence[DiasporaRecord], taxonomy: Taxonomy
) -> tuple[np.ndarray, np.ndarray]:
    """Every attribute one-hot (places, languages, TF-IDF words too), as dense arrays:
    what a brute-force cosine matcher would compare."""
    text = TfidfVectorizer().fit(
        [e.skills_needed_text for e in es] + [d.skills_offered_text for d in ds]
    )
    sub = taxonomy.country_subregion

    def places(codes: Sequence[str]) -> list[str]:
        countries = {country_of(c) for c in codes}
        return [*codes, *countries, *(sub[c] for c in countries if c in sub)]

    e_sets = [
        [*e.value_chains, *groups_of(e.value_chains, taxonomy), *e.skills_needed, *e.languages,
         *places([e.region_code or e.country_code]), e.stage, *e.investment_instruments]
        for e in es
    ]  # fmt: skip
    d_sets = [
        [*d.value_chains, *groups_of(d.value_chains, taxonomy), *d.skills_offered, *d.languages,
         *places(d.places), *d.preferred_stages, *d.investment_instruments]
        for d in ds
    ]  # fmt: skip
    classes = sorted({c for s in e_sets + d_sets for c in s} | set(STAGES) | set(INSTRUMENTS))
    e_dense = sp.hstack(
        [multi_hot(e_sets, classes), text.transform([e.skills_needed_text for e in es])]
    ).toarray()
    d_dense = sp.hstack(
        [multi_hot(d_sets, classes), text.transform([d.skills_offered_text for d in ds])]
    ).toarray()
    return e_dense, d_dense


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    """The action's result and how many seconds it took."""
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def run(
    taxonomy: Taxonomy,
    n_entrepreneurs: int = 100_000,
    n_diaspora: int = 20_000,
    n_queries: int = 300,
    n_baseline: int = 2_000,
    n_jobs: int = 2,
    k: int = 10,
    echo: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Run every measurement, print it, and return the figures."""
    (es, ds), gen_s = timed(
        lambda: (
            synthetic.entrepreneurs(n_entrepreneurs, taxonomy),
            synthetic.diaspora(n_diaspora, taxonomy),
        )
    )
    echo(
        f"generated {n_entrepreneurs:,} entrepreneurs and {n_diaspora:,} diaspora in {gen_s:.1f} s"
    )

    index, fit_s = timed(lambda: MatchIndex.fit(es, ds, taxonomy))
    echo(f"fit on {n_entrepreneurs + n_diaspora:,} profiles: {fit_s:.2f} s")

    rng = np.random.default_rng(7)
    latencies = []
    for e_id in rng.choice([e.id for e in es], size=n_queries, replace=False):
        started = time.perf_counter()
        index.rank_for_entrepreneur(int(e_id), Kind.COACHING, k)
        latencies.append((time.perf_counter() - started) * 1000)
    p50, p95 = float(np.percentile(latencies, 50)), float(np.percentile(latencies, 95))
    echo(f"one entrepreneur's top-{k} mentors, constraints and reasons included: "
         f"p50 {p50:.2f} ms, p95 {p95:.2f} ms")  # fmt: skip
    mentors = [d.id for d in ds if d.offers_coaching]
    d_latencies = []
    for d_id in rng.choice(mentors, size=min(len(mentors), n_queries // 3), replace=False):
        started = time.perf_counter()
        index.rank_for_diaspora(int(d_id), Kind.COACHING, k)
        d_latencies.append((time.perf_counter() - started) * 1000)
    d_p50 = float(np.percentile(d_latencies, 50))
    echo(f"one mentor's top-{k} among {n_entrepreneurs:,} entrepreneurs: p50 {d_p50:.2f} ms")

    top, all_s = timed(lambda: index.top_k_all_entrepreneurs(Kind.COACHING, k, n_jobs=n_jobs))
    filled = float((top.ids >= 0).mean())
    echo(f"all {len(top.query_ids):,} active entrepreneurs' top-{k} (coaching, {n_jobs} threads): "
         f"{all_s:.2f} s ({filled:.0%} of slots filled)")  # fmt: skip
    _, invest_s = timed(lambda: index.top_k_all_entrepreneurs(Kind.INVESTMENT, k, n_jobs=n_jobs))
    echo(f"all entrepreneurs seeking investment, top-{k} investors: {invest_s:.2f} s")
    engine_peak = peak_mb()
    echo(f"peak memory so far: {engine_peak:.0f} MB")

    # The baseline: dense one-hot vectors, scikit-learn's brute-force cosine k-NN.
    subset = es[:n_baseline]
    (e_dense, d_dense), _ = timed(lambda: dense_profiles(subset, ds, taxonomy))
    knn = NearestNeighbors(n_neighbors=k, algorithm="brute", metric="cosine").fit(d_dense)
    _, base_s = timed(lambda: knn.kneighbors(e_dense))
    per_base = base_s / n_baseline
    per_ours = all_s / len(top.query_ids)
    speedup = per_base / per_ours
    size = f"{e_dense.shape[1]} features, {n_baseline:,} x {n_diaspora:,}"
    echo(f"dense brute-force cosine ({size}): "
         f"{base_s:.2f} s = {per_base * 1000:.2f} ms per entrepreneur, "
         f"{per_base * n_entrepreneurs:.0f} s for all (extrapolated); "
         f"ours {per_ours * 1000:.3f} ms per entrepreneur: {speedup:.0f}x faster")  # fmt: skip
    figures = {
        "fit_s": round(fit_s, 3),
        "query_p50_ms": round(p50, 3),
        "query_p95_ms": round(p95, 3),
        "diaspora_query_p50_ms": round(d_p50, 3),
        "all_pairs_s": round(all_s, 3),
        "all_pairs_investment_s": round(invest_s, 3),
        "peak_mb": round(engine_peak, 1),
        "speedup_vs_dense": round(speedup, 1),
        "dense_baseline_s": round(base_s, 3),
        "n_entrepreneurs": n_entrepreneurs,
        "n_diaspora": n_diaspora,
        "n_baseline": n_baseline,
        "n_queries": n_queries,
        "k": k,
        "n_jobs": n_jobs,
    }
    figures.update(round_figures(taxonomy, echo=echo))
    return figures


def round_figures(
    taxonomy: Taxonomy,
    n_entrepreneurs: int = 5_000,
    n_mentors: int = 1_000,
    capacity: int = 3,
    echo: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Time a matching round (issue 12): every entrepreneur against mentors who each take
    `capacity` mentees, without quotas and with two (40 % women-led, 40 % youth-led)."""
    from mentormatch.matching.rounds import Quota, propose_round

    es = synthetic.entrepreneurs(n_entrepreneurs, taxonomy, seed=5)
    ds = [
        dataclasses.replace(d, active=True, offers_coaching=True, mentee_capacity=capacity,
                            current_mentees=0)
        for d in synthetic.diaspora(n_mentors, taxonomy, seed=6)
    ]  # fmt: skip
    index, fit_s = timed(lambda: MatchIndex.fit(es, ds, taxonomy))
    ids = [e.id for e in es]
    places = {d.id: capacity for d in ds}
    proposal, round_s = timed(lambda: propose_round(index, Kind.COACHING, ids, places))
    rng = np.random.default_rng(8)
    quotas = [
        Quota(code, code, frozenset(i for i in ids if rng.random() < 0.3), 0.4)
        for code in ("women_led", "youth_led")
    ]
    with_quotas, quotas_s = timed(
        lambda: propose_round(index, Kind.COACHING, ids, places, quotas=quotas)
    )
    plan, base = proposal.plan, proposal.baseline
    echo(
        f"matching round, {n_entrepreneurs:,} entrepreneurs x {n_mentors:,} mentors of capacity "
        f"{capacity}: {round_s:.1f} s (fit {fit_s:.1f} s); reaches {plan.reached:,} (score "
        f"{plan.total_score:,.0f}) against {base.reached:,} ({base.total_score:,.0f}) for "
        f"'each takes their own top suggestion'; with two 40 % quotas {quotas_s:.1f} s, met: "
        + ", ".join(str(q.met) for q in with_quotas.quotas)
    )
    return {
        "round_s": round(round_s, 2),
        "round_quotas_s": round(quotas_s, 2),
        "round_fit_s": round(fit_s, 2),
        "round_reached": plan.reached,
        "round_baseline_reached": base.reached,
        "round_score": round(plan.total_score, 1),
        "round_baseline_score": round(base.total_score, 1),
    }
