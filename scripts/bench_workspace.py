"""How fast the coordinator's workspace answers with 10,000 entrepreneurs on PostgreSQL.

    .venv/bin/python scripts/bench_workspace.py            (or: make bench-workspace)
    DATABASE_URL=postgresql+psycopg://… .venv/bin/python scripts/bench_workspace.py

Without DATABASE_URL it starts a throwaway PostgreSQL cluster on a loopback port (as
scripts/load_and_fault.py does) and removes it at the end; with it, the database it names
is emptied (its public schema dropped) and filled. It writes a programme of realistic
size with set-based inserts: 10,000 entrepreneurs in ten countries, 1,200 diaspora members
(mentors, investors or both), 8,000 pairings in every state over a year, profiles waiting
for review, safety reports open and handled. Then a coordinator logs in (through the log-in
form of the app's test client) and each page is asked for `--repeat` times after two
warm-up requests; it prints the median, 95th percentile and largest time per page, and the
page's size, with the machine it ran on. Times are measured in the process (routing,
queries, rendering), without the network.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mentormatch import create_app, taxonomy  # noqa: E402
from mentormatch.auth.service import create_user  # noqa: E402
from mentormatch.cli import alembic_config  # noqa: E402
from mentormatch.db import make_engine  # noqa: E402
from mentormatch.models import (  # noqa: E402
    DiasporaProfile,
    EntrepreneurProfile,
    Pairing,
    PairingEvent,
    Role,
    SafetyReport,
    User,
    ValueChain,
)
from mentormatch.models.profiles import diaspora_value_chains, entrepreneur_value_chains  # noqa: E402
from mentormatch.money.store import load_seed_rates  # noqa: E402

COUNTRIES = ("NG", "ET", "KE", "GH", "SN", "UG", "TZ", "ML", "RW", "PH")
LANGUAGES = {
    "NG": ["hau", "eng"], "ET": ["amh", "orm"], "KE": ["swa", "eng"], "GH": ["aka", "eng"],
    "SN": ["wol", "fra"], "UG": ["lug", "eng"], "TZ": ["swa"], "ML": ["bam", "fra"],
    "RW": ["kin", "fra"], "PH": ["fil", "ceb"],
}  # fmt: skip
FIRST = (
    "Amina", "Kwame", "Fatou", "Tesfaye", "Wanjiru", "Moussa", "Grace", "Ibrahim", "Aisha",
    "Kofi", "Mariam", "Yusuf", "Esther", "Samuel", "Halima", "Joseph", "Nadia", "Peter",
)  # fmt: skip
LAST = (
    "Bello", "Mensah", "Diop", "Bekele", "Kamau", "Traoré", "Okafor", "Abdullahi", "Sani",
    "Owusu", "Keita", "Mwangi", "Haile", "Ndiaye", "Mugisha", "Santos", "Reyes", "Ali",
)  # fmt: skip
STATES = (
    ("requested", 1600), ("accepted", 500), ("approved", 1500), ("completed", 900),
    ("declined", 1300), ("rejected", 600), ("withdrawn", 1200), ("closed", 400),
)  # fmt: skip
PAGES = (
    "/coordinator",
    "/coordinator/vetting",
    "/coordinator/people",
    "/coordinator/people?q=amina",
    "/coordinator/people?q=0803",
    "/coordinator/people?role=entrepreneur&country=NG&value_chain=poultry&status=approved",
    "/coordinator/people?country=ET&region=ET-OR&returnee=y&women_led=y",
    "/coordinator/people?role=mentor&capacity_left=y",
    "/coordinator/people?page=200",
    "/coordinator/pairings",
    "/coordinator/pairings?state=approved&kind=coaching&country=KE",
    "/coordinator/pairings?since=2026-06-01&until=2026-09-30&value_chain=coffee",
    "/coordinator/pairings?attention=full",
    "/coordinator/pairings?attention=expiring",
    "/coordinator/approvals",
    "/coordinator/reports",
)
PASSWORD = "bench coordinator passphrase"


def fill(url: str, entrepreneurs: int, diaspora: int, seed: int) -> None:
    """Empty the database, migrate it, and write the programme (set-based inserts)."""
    from alembic import command as alembic_command

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    alembic_command.upgrade(alembic_config(url), "head")
    rng = random.Random(seed)
    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    with Session(engine) as session:
        taxonomy.load_taxonomy(session)
        load_seed_rates(session)
        chains = list(session.scalars(select(ValueChain.code)))
        create_user(
            session, full_name="Bench Coordinator", role=Role.COORDINATOR,
            email="bench@example.org", password=PASSWORD,
        )  # fmt: skip
        session.commit()
        regions = {c: [code for code, _ in taxonomy.regions_for(c)] for c in COUNTRIES}

        def name() -> str:
            return f"{rng.choice(FIRST)} {rng.choice(LAST)}"

        def when(days: int = 365) -> datetime:
            return now - timedelta(days=rng.uniform(0, days))

        base = 1000
        users, profiles, links = [], [], []
        for i in range(entrepreneurs):
            uid, country = base + i, rng.choice(COUNTRIES)
            status = rng.choices(("approved", "pending", "changes_requested", "suspended"),
                                 (95, 3, 1, 1))[0]  # fmt: skip
            users.append({
                "id": uid, "full_name": name(), "role": "entrepreneur",
                "email": f"farmer{i}@example.org", "phone": f"+23480{i:08d}",
                "is_active": rng.random() > 0.01, "session_version": 1, "record_version": 1,
                "created_at": when(), "updated_at": now,
            })  # fmt: skip
            profiles.append({
                "id": i + 1, "user_id": uid, "business_name": f"Farm {i}",
                "description": "Layers and maize on two hectares.", "country_code": country,
                "region_code": rng.choice(regions[country]) if regions[country] else None,
                "locality": "", "region_source": "chosen", "stage": "starting",
                "skills_needed_text": "", "languages": LANGUAGES[country],
                "seeking_investment": rng.random() < 0.4, "investment_amount": 5000,
                "investment_currency": "USD", "investment_instruments": ["loan"],
                "is_returnee": rng.random() < 0.3, "is_women_led": rng.random() < 0.45,
                "is_youth_led": rng.random() < 0.35, "review_status": status,
                "submitted_at": when(60), "created_at": when(), "updated_at": now,
            })  # fmt: skip
            for code in rng.sample(chains, rng.randint(1, 3)):
                links.append({"profile_id": i + 1, "value_chain_code": code})
        session.execute(insert(User), users)
        session.execute(insert(EntrepreneurProfile), profiles)
        session.execute(insert(entrepreneur_value_chains), links)

        users, profiles, links, capacity = [], [], [], {}
        base = 100_000
        for i in range(diaspora):
            uid, country = base + i, rng.choice(COUNTRIES)
            coaching = rng.random() < 0.7
            investing = not coaching or rng.random() < 0.3
            capacity[i + 1] = rng.randint(1, 4) if coaching else 0
            origin = regions[country][:1] if regions[country] else []
            users.append({
                "id": uid, "full_name": name(), "role": "diaspora",
                "email": f"member{i}@example.org", "is_active": True, "session_version": 1,
                "record_version": 1, "created_at": when(), "updated_at": now,
            })  # fmt: skip
            profiles.append({
                "id": i + 1, "user_id": uid, "headline": "Agronomist abroad", "bio": "",
                "residence_country": rng.choice(("US", "GB", "FR", "DE", "IT")),
                "origin_regions": origin, "interest_regions": origin,
                "skills_offered_text": "", "languages": LANGUAGES[country] + ["eng"],
                "preferred_stages": [], "offers_coaching": coaching,
                "mentee_capacity": capacity[i + 1], "hours_per_month": 6 if coaching else 0,
                "offers_investment": investing, "ticket_min": 1000 if investing else None,
                "ticket_max": 20000 if investing else None,
                "ticket_currency": "USD" if investing else None,
                "investment_instruments": ["loan"] if investing else [],
                "review_status": rng.choices(("approved", "pending"), (96, 4))[0],
                "submitted_at": when(60), "created_at": when(), "updated_at": now,
            })  # fmt: skip
            for code in rng.sample(chains, rng.randint(1, 3)):
                links.append({"profile_id": i + 1, "value_chain_code": code})
        session.execute(insert(User), users)
        session.execute(insert(DiasporaProfile), profiles)
        session.execute(insert(diaspora_value_chains), links)

        pairings, events, seen = [], [], set()
        pid = 0
        for state, count in STATES:
            for _ in range(count):
                while True:
                    e, d = rng.randint(1, entrepreneurs), rng.randint(1, diaspora)
                    kind = "coaching" if capacity[d] else "investment"
                    if (e, d, kind) not in seen:
                        break
                seen.add((e, d, kind))
                pid += 1
                created = when()
                changed = min(now, created + timedelta(days=rng.uniform(0, 20)))
                pairings.append({
                    "id": pid, "entrepreneur_id": e, "diaspora_id": d, "kind": kind,
                    "state": state, "requested_by_id": 1000 + e - 1,
                    "requester_side": "entrepreneur", "message": "", "score": rng.random(),
                    "reasons": [], "reason_code": None, "reason_text": "",
                    "coordinator_note": "", "created_at": created, "state_changed_at": changed,
                    "expires_at": created + timedelta(days=14) if state == "requested" else None,
                    "version": 2,
                })  # fmt: skip
                events.append({
                    "pairing_id": pid, "action": "request", "from_state": None,
                    "to_state": "requested", "actor_id": 1000 + e - 1, "automatic": False,
                    "note": "", "private_note": "", "created_at": created,
                })  # fmt: skip
        session.execute(insert(Pairing), pairings)
        session.execute(insert(PairingEvent), events)
        reports = [
            {
                "reporter_id": 1000 + rng.randrange(entrepreneurs),
                "subject_id": 100_000 + rng.randrange(diaspora),
                "source": "report",
                "category": rng.choice(("money", "harassment", "spam")),
                "description": "He asked for a fee.",
                "state": "open" if n < 30 else "closed",
                "created_at": when(90),
                "message": "",
                "private_note": "",
                "version": 1,
            }  # fmt: skip
            for n in range(130)
        ]
        session.execute(insert(SafetyReport), reports)
        for table in ("users", "entrepreneur_profiles", "diaspora_profiles", "pairings"):
            session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                     f"(SELECT max(id) FROM {table}))")
            )  # fmt: skip
        session.commit()
        # Fresh statistics, as autovacuum would gather them soon after such a load.
        session.execute(text("ANALYZE"))
        session.commit()
    engine.dispose()


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(
            int(line.split()[1]) // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        memory = 0
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_mb": memory,
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
    }


def measure(url: str, repeat: int) -> list[dict[str, Any]]:
    """Log in as the coordinator and time every page."""
    app = create_app({"DATABASE_URL": url, "MATCHING_INDEX": "inline", "RATELIMIT_ENABLED": False})
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    answer = client.post(
        "/login", data={"csrf_token": token, "login": "bench@example.org", "password": PASSWORD}
    )
    assert answer.status_code == 302, answer.status_code
    with app.app_context():
        engine = app.extensions["mm_engine"]
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar_one()
    rows = []
    for path in PAGES:
        for _ in range(2):
            client.get(path)
        times, size, status = [], 0, 0
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            size, status = len(response.data), response.status_code
        times.sort()
        rows.append(
            {
                "page": path,
                "status": status,
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
                "max_ms": round(times[-1], 1),
                "kb": round(size / 1024, 1),
                "postgresql": version,
            }
        )
    app.extensions["mm_engine"].dispose()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entrepreneurs", type=int, default=10_000)
    parser.add_argument("--diaspora", type=int, default=1_200)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    os.environ.setdefault("MENTORMATCH_ENV", "testing")
    url = os.environ.get("DATABASE_URL", "")
    cluster = None
    if not url.startswith("postgresql"):
        from load_and_fault import Postgres  # the throwaway cluster of the load test

        cluster = Postgres()
        cluster.create()
        url = cluster.url
    try:
        started = time.perf_counter()
        fill(url, args.entrepreneurs, args.diaspora, args.seed)
        print(f"filled in {time.perf_counter() - started:.1f} s: {args.entrepreneurs} "
              f"entrepreneurs, {args.diaspora} diaspora members, "
              f"{sum(n for _, n in STATES)} pairings")  # fmt: skip
        rows = measure(url, args.repeat)
    finally:
        if cluster is not None:
            cluster.remove()
    print(json.dumps(machine()))
    print(f"{'page':<88} {'status':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'KB':>6}")
    for row in rows:
        print(f"{row['page']:<88} {row['status']:>6} {row['p50_ms']:>7} {row['p95_ms']:>7} "
              f"{row['max_ms']:>7} {row['kb']:>6}")  # fmt: skip
    slow = [r for r in rows if r["p95_ms"] > 300 or r["status"] != 200 or r["kb"] > 60]
    if slow:
        print("over 300 ms (p95), over 60 KB or not 200:", ", ".join(r["page"] for r in slow))
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
