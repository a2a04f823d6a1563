"""The worker process: email delivery with back-off, the pairing schedule, two workers at
once, a database that goes away, the matching index beside a long job, and a clean stop on
SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from mentormatch.db import utcnow
from mentormatch.models import OutboxEmail, OutboxStatus, Pairing, PairingState
from mentormatch.notifications import MAX_ATTEMPTS, deliver_outbox, queue_email
from mentormatch.worker import JOBS, Job, Worker, stop_requested
from tests.builders import People
from tests.pairing_builders import request


def queued(db: Session, count: int) -> list[int]:
    ids = []
    for n in range(count):
        email = queue_email(db, f"farmer{n}@example.org", f"Message {n}", "Hello.")
        db.flush()
        ids.append(email.id)
    db.commit()
    return ids


def test_flask_worker_once_sends_queued_email_and_expires_old_requests(
    app: Flask, db: Session, people: People, runner
) -> None:
    pairing = request(
        db, people.amina.user, people.amina, people.tesfaye, now=utcnow() - timedelta(days=15)
    )
    db.commit()

    result = runner.invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert "deliver-email" in result.output and "pairing-schedule" in result.output
    db.expire_all()
    assert db.get(Pairing, pairing.id).state is PairingState.WITHDRAWN
    # The request's email, then the expiry notice: both sent in the one run.
    subjects = [m["Subject"] for m in app.extensions["mm_mail_log"]]
    assert "Amina Bello asks for a coaching introduction" in subjects
    assert "Your request expired" in subjects
    assert db.scalars(select(OutboxEmail.status)).all() == [OutboxStatus.SENT] * 2


def test_pairings_tick_still_works_for_cron(app: Flask, db: Session, people: People, runner):
    request(db, people.amina.user, people.amina, people.tesfaye, now=utcnow() - timedelta(days=15))
    db.commit()
    result = runner.invoke(args=["pairings", "tick"])
    assert result.exit_code == 0, result.output
    assert "expired 1" in result.output


def test_a_failing_email_waits_longer_after_each_failure(db: Session) -> None:
    [email_id] = queued(db, 1)
    tries: list[str] = []

    def broken(to: str, subject: str, body: str) -> None:
        tries.append(to)
        raise OSError("connection refused")

    start = utcnow()
    waits = []
    moment = start
    for _ in range(MAX_ATTEMPTS):
        deliver_outbox(db, broken, now=moment, retry_seconds=60)
        email = db.get(OutboxEmail, email_id)
        db.refresh(email)
        assert email.status is OutboxStatus.FAILED
        assert "connection refused" in email.last_error
        if email.next_attempt_at is None:
            break
        waits.append((email.next_attempt_at - moment).total_seconds())
        # Just before the wait is over nothing is tried; just after, it is.
        before = len(tries)
        deliver_outbox(db, broken, now=email.next_attempt_at - timedelta(seconds=1))
        assert len(tries) == before
        moment = email.next_attempt_at
    assert waits == [60, 120, 240, 480]
    assert len(tries) == MAX_ATTEMPTS
    # Given up: no more attempts, however long we wait.
    deliver_outbox(db, broken, now=moment + timedelta(days=30))
    assert len(tries) == MAX_ATTEMPTS


@pytest.fixture
def sessions(app: Flask):
    """Independent sessions, as two worker processes would have."""
    engine = create_engine(app.config["DATABASE_URL"], pool_size=4, max_overflow=0)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


def test_two_workers_at_once_send_each_email_exactly_once(db: Session, sessions) -> None:
    ids = queued(db, 30)
    sent: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(2)

    def slow_send(to: str, subject: str, body: str) -> None:
        time.sleep(0.01)
        with lock:
            sent.append(subject)

    def worker() -> None:
        with sessions() as session:
            start.wait()
            deliver_outbox(session, slow_send)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(sent) == sorted(f"Message {n}" for n in range(30))
    db.expire_all()
    rows = db.scalars(select(OutboxEmail).where(OutboxEmail.id.in_(ids))).all()
    assert {(e.status, e.attempts) for e in rows} == {(OutboxStatus.SENT, 1)}


class FakeClock:
    """Time that moves only when the worker waits, so the test runs in no time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def time(self) -> float:
        return self.now

    def wait(self, seconds: float) -> bool:
        self.waits.append(seconds)
        self.now += seconds
        return False


def test_the_worker_survives_a_database_outage_and_carries_on(app: Flask) -> None:
    calls: list[float] = []
    clock = FakeClock()

    def flaky(session: Session, config) -> str:
        calls.append(clock.now)
        if len(calls) <= 3:  # the database is down for the first three tries
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))
        return "ok"

    worker = Worker(app, [Job("flaky", "MAIL_DELIVERY_INTERVAL", flaky)], clock=clock)
    with app.app_context():
        worker.run(until=lambda: len(calls) >= 6)

    assert len(calls) == 6
    gaps = [b - a for a, b in zip(calls, calls[1:], strict=False)]
    # Backs off 1, 2, 4 s while the database is down, then keeps its normal 5 s rhythm.
    assert gaps == [1, 2, 4, 5, 5]


def test_a_job_that_fails_does_not_stop_the_others(app: Flask) -> None:
    ran: list[str] = []
    clock = FakeClock()

    def broken(session: Session, config) -> str:
        ran.append("broken")
        raise ValueError("a bug")

    def fine(session: Session, config) -> str:
        ran.append("fine")
        return "done"

    jobs = [
        Job("broken", "MAIL_DELIVERY_INTERVAL", broken),
        Job("fine", "MAIL_DELIVERY_INTERVAL", fine),
    ]
    worker = Worker(app, jobs, clock=clock)
    with app.app_context():
        worker.run(until=lambda: ran.count("fine") >= 2)
    assert ran.count("broken") >= 2


def test_a_long_job_does_not_hold_up_the_matching_index(app: Flask) -> None:
    """A backlog of thousands of emails or a 10,000-row import takes minutes; meanwhile
    the worker keeps publishing the index, so profile changes still reach others'
    suggestions within seconds."""
    app.config.update(MAIL_DELIVERY_INTERVAL=0.01, MATCHING_INDEX_INTERVAL=0.01)
    index_lane = next(job.lane for job in JOBS if job.name == "matching-index")
    published: list[int] = []
    twice = threading.Event()
    long_job_saw: list[bool] = []

    def long_delivery(session: Session, config) -> str:
        # Busy until the index has been published twice meanwhile (gives up after 10 s).
        long_job_saw.append(twice.wait(10))
        return ""

    def index(session: Session, config) -> str:
        published.append(1)
        if len(published) >= 2:
            twice.set()
        return ""

    jobs = [
        Job("deliver-email", "MAIL_DELIVERY_INTERVAL", long_delivery),
        Job("matching-index", "MATCHING_INDEX_INTERVAL", index, lane=index_lane),
    ]
    with app.app_context():
        Worker(app, jobs).run(until=lambda: bool(long_job_saw))
    assert long_job_saw == [True]
    assert not stop_requested()  # nobody asked the worker to stop: the next run may go on


def test_flask_worker_stops_cleanly_on_sigterm(app: Flask, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "MENTORMATCH_ENV": "testing",
        "MENTORMATCH_INSTANCE_PATH": str(tmp_path),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "mentormatch", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert "Worker started" in first, first
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=20)[0]
    finally:
        process.kill()
    assert process.returncode == 0, output
    assert "Worker stopped" in output
