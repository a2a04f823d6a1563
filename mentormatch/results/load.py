"""A programme at scale for timing /coordinator/results: set-based inserts of 10,000
entrepreneurs, 2,000 diaspora members and 20,000 introductions with their audit trail,
ratings and check-ins, into an empty database; then the page timed through the app.

Used by `flask matching bench` (`make bench` runs it on a throwaway PostgreSQL).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from alembic import command as alembic_command
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from mentormatch import taxonomy
from mentormatch.auth.passwords import hash_password
from mentormatch.db import make_engine, utcnow
from mentormatch.models import (
    CheckIn,
    DiasporaProfile,
    EntrepreneurProfile,
    Feedback,
    Pairing,
    PairingEvent,
    ReviewStatus,
    Role,
    User,
    ValueChain,
)
from mentormatch.models.profiles import diaspora_value_chains, entrepreneur_value_chains

COUNTRIES = ("NG", "ET", "KE", "SN", "GH", "UG")
LANGUAGES = {"NG": "hau", "ET": "amh", "KE": "swa", "SN": "wol", "GH": "aka", "UG": "lug"}
COORDINATOR = ("bench-coordinator@example.org", "bench-coordinator-password")
BATCH = 5000


class BenchDatabaseError(RuntimeError):
    """The database given for the benchmark is not empty."""


def _rows(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(insert(table), rows[start : start + BATCH])


def fill(
    session: Session, n_entrepreneurs: int = 10_000, n_pairings: int = 20_000, seed: int = 12
) -> None:
    """A random programme of the given size in the last year (the taxonomy must be loaded)."""
    rng = np.random.default_rng(seed)
    now = utcnow()
    chains = list(session.scalars(select(ValueChain.code)))
    regions = {c: [code for code, _ in taxonomy.regions_for(c)] for c in COUNTRIES}
    n_diaspora = max(10, n_entrepreneurs // 5)

    def when(days: float) -> Any:
        return now - timedelta(days=float(days))

    users = [
        {"email": f"e{i}@bench.example.org", "full_name": f"Entrepreneur {i}",
         "role": Role.ENTREPRENEUR, "is_active": True, "session_version": 1,
         "created_at": now, "updated_at": now}
        for i in range(n_entrepreneurs)
    ] + [
        {"email": f"d{i}@bench.example.org", "full_name": f"Member {i}", "role": Role.DIASPORA,
         "is_active": True, "session_version": 1, "created_at": now, "updated_at": now}
        for i in range(n_diaspora)
    ]  # fmt: skip
    _rows(session, User.__table__, users)
    user_ids = dict(session.execute(select(User.email, User.id)).all())
    session.add(
        User(
            email=COORDINATOR[0],
            full_name="Bench Coordinator",
            role=Role.COORDINATOR,
            password_hash=hash_password(COORDINATOR[1]),
            email_confirmed_at=utcnow(),
        )
    )
    countries = rng.choice(COUNTRIES, size=n_entrepreneurs)
    entrepreneurs = []
    for i, country in enumerate(countries):
        entrepreneurs.append(
            {
                "user_id": user_ids[f"e{i}@bench.example.org"],
                "business_name": f"Farm {i}",
                "description": "",
                "country_code": str(country),
                "region_code": str(rng.choice(regions[country])),
                "locality": "",
                "stage": "starting",
                "skills_needed_text": "",
                "languages": [LANGUAGES[country], "eng"],
                "seeking_investment": bool(rng.random() < 0.4),
                "investment_instruments": [],
                "is_returnee": bool(rng.random() < 0.3),
                "is_women_led": bool(rng.random() < 0.45),
                "is_youth_led": bool(rng.random() < 0.4),
                "review_status": ReviewStatus.APPROVED
                if rng.random() < 0.9
                else ReviewStatus.PENDING,
                "created_at": when(rng.uniform(0, 360)),
                "updated_at": now,
            }
        )
    _rows(session, EntrepreneurProfile.__table__, entrepreneurs)
    diaspora = []
    for i in range(n_diaspora):
        country = str(rng.choice(COUNTRIES))
        diaspora.append(
            {
                "user_id": user_ids[f"d{i}@bench.example.org"],
                "headline": f"Member {i}",
                "bio": "",
                "residence_country": "FR",
                "origin_regions": [str(rng.choice(regions[country]))],
                "interest_regions": [],
                "skills_offered_text": "",
                "languages": [LANGUAGES[country], "eng"],
                "preferred_stages": [],
                "offers_coaching": True,
                "mentee_capacity": int(rng.integers(1, 6)),
                "hours_per_month": 4,
                "offers_investment": bool(rng.random() < 0.4),
                "investment_instruments": [],
                "review_status": ReviewStatus.APPROVED,
                "created_at": when(rng.uniform(0, 360)),
                "updated_at": now,
            }
        )
    _rows(session, DiasporaProfile.__table__, diaspora)
    e_ids = np.array(
        session.scalars(select(EntrepreneurProfile.id).order_by(EntrepreneurProfile.id)).all()
    )  # noqa: E501
    d_ids = np.array(session.scalars(select(DiasporaProfile.id).order_by(DiasporaProfile.id)).all())
    _rows(session, entrepreneur_value_chains, [
        {"profile_id": int(e), "value_chain_code": str(c)}
        for e in e_ids for c in rng.choice(chains, size=int(rng.integers(1, 3)), replace=False)
    ])  # fmt: skip
    _rows(session, diaspora_value_chains, [
        {"profile_id": int(d), "value_chain_code": str(c)}
        for d in d_ids for c in rng.choice(chains, size=int(rng.integers(1, 4)), replace=False)
    ])  # fmt: skip
    _pairings(session, rng, e_ids, d_ids, n_pairings, when)
    session.flush()


def _pairings(
    session: Session,
    rng: np.random.Generator,
    e_ids: Any,
    d_ids: Any,
    n: int,
    when: Callable[[float], Any],
) -> None:
    """Distinct (entrepreneur, member, kind) triples, each driven to a random end state."""
    triples = rng.choice(len(e_ids) * len(d_ids) * 2, size=n, replace=False)
    fate = rng.choice(
        ["requested", "accepted", "approved", "completed", "declined", "withdrawn", "rejected"],
        size=n,
        p=[0.1, 0.1, 0.35, 0.15, 0.1, 0.1, 0.1],
    )
    pairings = []
    for t, state in zip(triples, fate, strict=True):
        kind = "coaching" if t % 2 == 0 else "investment"
        pair = t // 2
        asked = when(rng.uniform(0, 360))
        pairings.append(
            {
                "entrepreneur_id": int(e_ids[pair // len(d_ids)]),
                "diaspora_id": int(d_ids[pair % len(d_ids)]),
                "kind": kind, "state": str(state), "requester_side": "entrepreneur",
                "message": "", "score": float(rng.uniform(0.2, 0.9)), "reasons": [],
                "reason_text": "", "coordinator_note": "", "created_at": asked,
                "state_changed_at": asked, "version": 1,
            }
        )  # fmt: skip
    _rows(session, Pairing.__table__, pairings)
    rows = session.execute(
        select(Pairing.id, Pairing.state, Pairing.created_at, Pairing.kind).order_by(Pairing.id)
    ).all()
    events: list[dict[str, Any]] = []
    feedback: list[dict[str, Any]] = []
    check_ins: list[dict[str, Any]] = []
    for pairing_id, state, asked, kind in rows:
        path = {
            "requested": [], "accepted": ["accepted"], "approved": ["accepted", "approved"],
            "completed": ["accepted", "approved", "completed"], "declined": ["declined"],
            "withdrawn": ["withdrawn"], "rejected": ["accepted", "rejected"],
        }[state.value]  # fmt: skip
        moment, before = asked, "requested"
        events.append(
            {"pairing_id": pairing_id, "action": "request", "from_state": None,
             "to_state": "requested", "automatic": False, "note": "", "created_at": asked}
        )  # fmt: skip
        for step in path:
            moment = moment + timedelta(days=float(rng.uniform(0.5, 15)))
            events.append(
                {"pairing_id": pairing_id, "action": step, "from_state": before, "to_state": step,
                 "automatic": False, "note": "", "created_at": moment}
            )  # fmt: skip
            before = step
        if "approved" in path:
            if rng.random() < 0.3:
                feedback.append(
                    {"pairing_id": pairing_id, "author_id": None, "rating": int(rng.integers(1, 6)),
                     "comment": "", "created_at": moment}
                )  # fmt: skip
            if rng.random() < 0.5:
                committed = kind.value == "investment" and rng.random() < 0.5
                amount = int(rng.integers(500, 20_000)) if committed else None
                check_ins.append(
                    {"pairing_id": pairing_id, "author_id": None, "day": 30, "met": True,
                     "sessions": int(rng.integers(0, 8)), "what_changed": "",
                     "money_committed": committed if kind.value == "investment" else None,
                     "amount": amount, "currency": "USD" if committed else None,
                     "instrument": "loan" if committed else None,
                     "amount_usd": float(amount) if amount else None, "created_at": moment}
                )  # fmt: skip
    _rows(session, PairingEvent.__table__, events)
    # Feedback needs an author: the entrepreneur of the pairing.
    authors = dict(
        session.execute(
            select(Pairing.id, EntrepreneurProfile.user_id).join(
                EntrepreneurProfile, EntrepreneurProfile.id == Pairing.entrepreneur_id
            )
        ).all()
    )
    for row in feedback + check_ins:
        row["author_id"] = authors[row["pairing_id"]]
    _rows(session, Feedback.__table__, feedback)
    _rows(session, CheckIn.__table__, check_ins)


def time_results_page(
    url: str | None,
    n_entrepreneurs: int = 10_000,
    n_pairings: int = 20_000,
    repeats: int = 15,
    echo: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Fill an empty database (`url`, or a temporary SQLite file) and time the results
    page: the median of `repeats` requests, for all countries and for one country."""
    from mentormatch import create_app
    from mentormatch.cli import alembic_config
    from mentormatch.taxonomy import load_taxonomy

    with tempfile.TemporaryDirectory() as scratch:
        url = url or "sqlite:///" + str(Path(scratch) / "bench.sqlite3")
        alembic_command.upgrade(alembic_config(url), "head")
        engine = make_engine(url)
        with Session(engine) as session:
            if session.scalar(select(func.count()).select_from(EntrepreneurProfile)):
                raise BenchDatabaseError(
                    "The results benchmark fills its database: give it an empty one."
                )
            load_taxonomy(session)
            started = time.perf_counter()
            fill(session, n_entrepreneurs, n_pairings)
            session.commit()
            if engine.dialect.name == "postgresql":
                # Planner statistics, as autovacuum keeps them on a live database; right
                # after a bulk insert there are none and the plans are guesses.
                session.execute(text("ANALYZE"))
                session.commit()
            echo(
                f"results page data: {n_entrepreneurs:,} entrepreneurs, {n_pairings:,} "
                f"introductions in {time.perf_counter() - started:.1f} s ({engine.dialect.name})"
            )
        engine.dispose()
        app = create_app({"ENV_NAME": "testing", "DATABASE_URL": url, "WTF_CSRF_ENABLED": False})
        client = app.test_client()
        logged_in = client.post(
            "/login", data={"login": COORDINATOR[0], "password": COORDINATOR[1]}
        )
        assert logged_in.status_code in (302, 303) and "/login" not in logged_in.location, (
            "the benchmark's coordinator could not log in"
        )
        figures: dict[str, Any] = {"results_database": engine.dialect.name}
        for name, path in (
            ("results_page_ms", "/coordinator/results"),
            ("results_page_country_ms", "/coordinator/results?country=NG"),
        ):
            client.get(path)  # warm: templates compiled, pools open
            times, size = [], 0
            for _ in range(repeats):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
                size = len(response.data)
            figures[name] = round(statistics.median(times), 1)
            echo(f"GET {path}: median {figures[name]:.0f} ms of {repeats}, {size / 1000:.0f} kB")
        app.extensions["mm_engine"].dispose()
    return figures
