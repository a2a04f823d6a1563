"""How fast localities are placed: `python -m mentormatch.places.bench [COUNT]`.

Real Kiva locality strings (seed_data/kiva/kiva_loans_sample.csv) repeated with the
variations people make (case, accents dropped, "City"/"Province" added or not, other
separators, a letter swapped), resolved in a fresh process so the cold start (opening
the compiled gazetteer, indexing each country) is part of the figure. Building the
compiled gazetteer, when it is missing, is timed apart: a deployment pays it once per
package version (`flask places build-gazetteer`). Prints one line per figure.
"""

from __future__ import annotations

import csv
import random
import resource
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

from mentormatch.places import gazetteer, resolver, store

KIVA_SAMPLE = Path(__file__).resolve().parents[2] / "seed_data" / "kiva" / "kiva_loans_sample.csv"
DEFAULT_COUNT = 10_000


def kiva_localities() -> list[tuple[str, str]]:
    """(country code, locality) of every Kiva loan in the sample that gives a locality."""
    with KIVA_SAMPLE.open(newline="", encoding="utf-8") as handle:
        return [
            (row["country_code"], row["region"])
            for row in csv.DictReader(handle)
            if row["region"].strip() and row["country_code"]
        ]


def vary(text: str, rng: random.Random) -> str:
    """One way a person might write the same place differently."""
    choice = rng.randrange(7)
    if choice == 0:
        return text.upper()
    if choice == 1:
        return text.lower()
    if choice == 2:
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if choice == 3:
        return text.replace(",", " -")
    if choice == 4:
        return f"{text} {rng.choice(['City', 'Province', 'District'])}"
    if choice == 5 and len(text) > 6:
        i = rng.randrange(1, len(text) - 2)
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text


def main(argv: list[str]) -> None:
    """Print how long placing COUNT localities takes, loading included."""
    count = int(argv[0]) if argv else DEFAULT_COUNT
    rng = random.Random(7)
    real = kiva_localities()
    pairs = [real[i % len(real)] for i in range(count)]
    pairs = [
        (cc, vary(text, rng) if i >= len(real) else text) for i, (cc, text) in enumerate(pairs)
    ]
    build_started = time.perf_counter()
    path, built = store.ensure_gazetteer()
    build_seconds = time.perf_counter() - build_started
    resident_before = _peak_resident_mb()
    started = time.perf_counter()
    store.opened()
    loaded = time.perf_counter()
    countries = sorted({cc for cc, _ in pairs})
    for cc in countries:
        gazetteer.country_index(cc)
    indexed = time.perf_counter()
    placements = resolver.resolve_many(pairs)
    done = time.perf_counter()
    statuses = Counter(p.status.value for p in placements)
    distinct = len(set(pairs))
    print(f"localities: {count:,} ({distinct:,} distinct texts, {len(countries)} countries)")
    if built:
        print(f"build the compiled gazetteer (once, apart): {build_seconds:.1f} s")
    print(f"compiled gazetteer: {path.name}, {path.stat().st_size / 1e6:.0f} MB")
    print(f"open it: {loaded - started:.2f} s")
    print(f"index the {len(countries)} countries: {indexed - loaded:.2f} s")
    print(f"resolve: {done - indexed:.2f} s ({(done - indexed) / count * 1e3:.3f} ms each)")
    print(f"total, cold start included: {done - started:.2f} s")
    print("statuses: " + ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items())))
    peak = _peak_resident_mb()
    print(f"memory: peak resident {peak:.0f} MB ({peak - resident_before:+.0f} MB for the places)")


def _peak_resident_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main(sys.argv[1:])
