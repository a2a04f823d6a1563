"""The benchmark behind `make bench`: synthetic profiles at scale, timed end to end.

Prints one line per figure and, last, one JSON object with every figure and the sizes
used, so scripts can read it.
"""

from __future__ import annotations

import dataclasses
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors

from mentormatch.matching import synthetic
from mentormatch.matching import weights as W
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
from mentormatch.matching.store import save


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB. From VmHWM where Linux has it:
    ru_maxrss is carried over from the parent through fork and exec, so a fresh process
    (the page benchmark's) would report its parent's peak."""
    status = Path("/proc/self/status")
    for line in status.read_text().splitlines() if status.exists() else []:
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
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
    round_size: tuple[int, int] = (5_000, 1_000),
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

    growth = size_figures(taxonomy, n_entrepreneurs, n_jobs, k, echo)
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

    # The fair baseline: the same features, float32 and constraints, scored as one dense
    # matrix per chunk and sorted by argpartition (no language groups, no sampled floor).
    same_s = dense_same_features(index, [e.id for e in es[:n_baseline]], k)
    per_same = same_s / n_baseline
    per_ours_each = all_s / len(top.query_ids)
    echo(f"dense baseline with the same features, float32 and constraints "
         f"({n_baseline:,} x {n_diaspora:,}): {same_s:.2f} s = {per_same * 1000:.3f} ms per "
         f"entrepreneur; ours {per_ours_each * 1000:.3f} ms: "
         f"{per_same / per_ours_each:.1f}x faster")  # fmt: skip
    update_ms = one_update_ms(index, es, rng)
    echo(f"one person's change applied as an overlay (MatchIndex.updated): "
         f"p50 {update_ms:.1f} ms")  # fmt: skip
    memory = process_memory(index, es, echo)

    # The old baseline, kept for comparison and labelled as what it is: different features
    # (one-hot attributes and TF-IDF words, no second side), float64, no constraints.
    subset = es[:n_baseline]
    (e_dense, d_dense), _ = timed(lambda: dense_profiles(subset, ds, taxonomy))
    knn = NearestNeighbors(n_neighbors=k, algorithm="brute", metric="cosine").fit(d_dense)
    _, base_s = timed(lambda: knn.kneighbors(e_dense))
    per_base = base_s / n_baseline
    per_ours = all_s / len(top.query_ids)
    speedup = per_base / per_ours
    size = f"{e_dense.shape[1]} features, {n_baseline:,} x {n_diaspora:,}"
    echo(f"[not like for like] dense brute-force cosine, other features, float64, no "
         f"constraints ({size}): "
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
        "speedup_vs_dense_same_features": round(per_same / per_ours_each, 1),
        "dense_same_features_s": round(same_s, 3),
        "speedup_vs_cosine_other_features": round(speedup, 1),
        "cosine_other_features_s": round(base_s, 3),
        "update_one_person_ms": round(update_ms, 2),
        **growth,
        **memory,
        "n_entrepreneurs": n_entrepreneurs,
        "n_diaspora": n_diaspora,
        "n_baseline": n_baseline,
        "n_queries": n_queries,
        "k": k,
        "n_jobs": n_jobs,
    }
    figures.update(round_figures(taxonomy, *round_size, echo=echo))
    echo(f"peak memory of this process so far: {peak_mb():.0f} MB")
    return figures


SIZES = ((10_000, 2_000), (30_000, 6_000))


def size_figures(
    taxonomy: Taxonomy, largest: int, n_jobs: int, k: int, echo: Callable[[str], None]
) -> dict[str, float]:
    """Fit and everyone's top-k at the sizes below `largest`, to see how the cost grows."""
    out: dict[str, float] = {}
    for n_e, n_d in (size for size in SIZES if size[0] < largest):
        es = synthetic.entrepreneurs(n_e, taxonomy, seed=11)
        ds = synthetic.diaspora(n_d, taxonomy, seed=12)
        started = time.perf_counter()
        index = MatchIndex.fit(es, ds, taxonomy)
        fit_s = time.perf_counter() - started
        started = time.perf_counter()
        index.top_k_all_entrepreneurs(Kind.COACHING, k, n_jobs=n_jobs)
        all_s = time.perf_counter() - started
        echo(f"{n_e:,} x {n_d:,}: fit {fit_s:.2f} s, everyone's top-{k} {all_s:.2f} s")
        out[f"fit_s_{n_e // 1000}k"] = round(fit_s, 3)
        out[f"all_pairs_s_{n_e // 1000}k"] = round(all_s, 3)
    return out


def dense_same_features(index: MatchIndex, entrepreneur_ids: Sequence[int], k: int) -> float:
    """Seconds to rank these entrepreneurs against every member with the engine's own blocks,
    dtype and constraints, brute force: a full key matrix per 64 rows, then argpartition."""
    part = index.parts[0]
    rows, cols = part.rows[Kind.COACHING], part.columns[Kind.COACHING]
    wanted = np.isin(rows.ids, np.asarray(entrepreneur_ids))
    chosen = np.flatnonzero(wanted)
    w = W.WEIGHTS[Kind.COACHING]
    open_ = cols.capacity - cols.current > 0
    started = time.perf_counter()
    for start in range(0, len(chosen), 64):
        chunk = chosen[start : start + 64]
        common = rows.language_share[chunk] @ cols.languages.T
        region = cols.region.rows(rows.place[chunk])
        fit_e = (
            rows.fit_e[chunk] @ cols.fit_e.T
            + region * np.float32(w["entrepreneur"]["region"])
            + np.float32(w["entrepreneur"]["language"]) * common
        )
        fit_d = rows.fit_d[chunk] @ cols.fit_d.T + region * np.float32(w["diaspora"]["region"])
        half = fit_e * fit_d / (fit_e + fit_d)
        half *= (common > 0) & open_
        home = (region >= W.REGION_CREDIT["country"]) & (half >= W.HOME_TIE_MIN_SCORE / 2)
        keys = half + home
        best = np.argpartition(-keys, k, axis=1)[:, :k]
        np.take_along_axis(keys, best, axis=1).argsort(axis=1)
    return time.perf_counter() - started


def one_update_ms(index: MatchIndex, es: Sequence[EntrepreneurRecord], rng: Any) -> float:
    """Median milliseconds to apply one changed entrepreneur as an overlay."""
    times = []
    for i in rng.choice(len(es), size=20, replace=False):
        changed = dataclasses.replace(es[int(i)], skills_needed=("bookkeeping",))
        started = time.perf_counter()
        index.updated(entrepreneurs=[changed])
        times.append((time.perf_counter() - started) * 1000)
    return float(np.median(times))


WEB_LIKE = """
import sys, time
import numpy as np
from pathlib import Path
from mentormatch.matching.store import load
from mentormatch.matching import Kind
class NoRecords:  # the web reads the page's people from the database; here: the ranking
    def entrepreneurs(self, ids): return {}
    def diaspora(self, ids): return {}
index, _ = load(Path(sys.argv[1]))
ids = index.parts[0].rows[Kind.COACHING].ids
for e_id in np.random.default_rng(int(sys.argv[2])).choice(ids, 200):
    index.rank_for_entrepreneur(int(e_id), Kind.COACHING, 10, records=NoRecords())
text = Path("/proc/self/smaps_rollup").read_text().splitlines()
values = {l.split(":")[0]: float(l.split()[1]) / 1024 for l in text[1:]}
print(values["Rss"], values["Pss"])
time.sleep(float(sys.argv[3]))
"""


def process_memory(
    index: MatchIndex, es: Sequence[EntrepreneurRecord], echo: Callable[[str], None]
) -> dict[str, float]:
    """Resident memory of two web-like processes that map the same saved index and answer
    queries, plus an idle process with the app loaded (the worker between builds): RSS
    counts shared pages in each process, PSS once."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "index"
        save(index, folder)
        web = [
            subprocess.Popen(
                [sys.executable, "-c", WEB_LIKE, str(folder), str(n), "3"],
                stdout=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for n in range(2)
        ]
        idle = subprocess.Popen(
            [sys.executable, "-c", "import mentormatch, mentormatch.worker\n"
             "from pathlib import Path\n"
             "t = Path('/proc/self/smaps_rollup').read_text().splitlines()\n"
             "v = {l.split(':')[0]: float(l.split()[1]) / 1024 for l in t[1:]}\n"
             "print(v['Rss'], v['Pss'])"],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        readings = [p.communicate(timeout=600)[0].split() for p in (*web, idle)]
    rss = sum(float(r[0]) for r in readings)
    pss = sum(float(r[1]) for r in readings)
    echo(f"memory of two processes serving from the mapped index and an idle worker: "
         f"RSS {rss:.0f} MB (shared pages counted in each), "
         f"PSS {pss:.0f} MB (counted once)")  # fmt: skip
    return {"rss_mb_workers": round(rss, 1), "pss_mb_workers": round(pss, 1)}


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
