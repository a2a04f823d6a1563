"""The worker process (`flask worker`): everything periodic that must not run in a request.

Jobs are a small registry: a name, the setting that holds its interval in seconds, and
a function that takes a Session and the app config and returns a line for the log. The
loop runs each job when it is due, in its own unit of work, and

- stops cleanly on SIGTERM or SIGINT (the job in progress finishes, then it exits);
- survives a database outage: it logs, waits 1, 2, 4 … up to 60 s, and carries on;
- may run twice at once: each job is safe to run concurrently (the outbox claims each
  email before sending it, the pairing schedule locks or version-checks each pairing);
- runs the matching index in a lane of its own (a thread), so a profile change reaches
  others' suggestions within seconds even while a long job runs in the main lane (a
  backlog of thousands of emails, a 10,000-row import).

To add a job, append a `Job` to `JOBS`; give it a lane of its own only if others must
never wait for it (each lane is one more thread). See docs/decisions/008-worker.md.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from flask import Flask
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from mentormatch.followup.service import CheckInPolicy, ask_for_check_ins
from mentormatch.mail import send_email
from mentormatch.matches.builds import build_full, build_full_in_child, index_root, refresh_index
from mentormatch.notifications import deliver_outbox
from mentormatch.pairings.schedule import expire_and_remind
from mentormatch.pairings.service import Policy
from mentormatch.sms import SmsGateway, deliver_sms_outbox, load_gateway
from mentormatch.transfers.jobs import run_next as run_next_import

logger = logging.getLogger("mentormatch.worker")

# Errors that mean "the database is not reachable", as opposed to a bug in a job.
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeout)
MAX_BACKOFF_SECONDS = 60.0

# A job returns a line for the log, or "" when there was nothing to do.
JobFunction = Callable[[Session, Mapping[str, Any]], str]


@dataclass(frozen=True)
class Job:
    """A periodic job: its name, the setting holding its interval (seconds), what it does."""

    name: str
    interval_setting: str
    run: JobFunction
    #: Jobs of another lane than "main" run in a thread of their own, one after another
    #: within their lane: no job of another lane holds them up.
    lane: str = "main"

    def interval(self, config: Mapping[str, Any]) -> float:
        """Seconds between two runs, from the app config."""
        return float(config[self.interval_setting])


# --- the jobs -------------------------------------------------------------------------


def stop_requested() -> bool:
    """True once the running worker was asked to stop (long jobs check it between items)."""
    return _current_stop.is_set()


_current_stop = threading.Event()


def deliver_email(session: Session, config: Mapping[str, Any]) -> str:
    """Send the queued emails that are due, retrying failed ones with back-off."""
    report = deliver_outbox(
        session,
        send_email,
        public_url=config["PUBLIC_URL"],
        retry_seconds=float(config["MAIL_RETRY_SECONDS"]),
        keep_going=lambda: not stop_requested(),
    )
    if not report.sent and not report.failed:
        return ""
    return f"emails sent {report.sent}, failed {report.failed}"


def pairing_schedule(session: Session, config: Mapping[str, Any]) -> str:
    """Remind counterparts of requests about to expire, expire overdue ones, and take out
    of the queue introductions that can no longer be approved."""
    report = expire_and_remind(session, Policy.from_config(config))
    if not report.reminded and not report.expired and not report.withdrawn:
        return ""
    return (
        f"reminded {report.reminded}, expired {report.expired}, "
        f"withdrew {report.withdrawn} that can no longer be approved"
    )


def matching_index(session: Session, config: Mapping[str, Any]) -> str:
    """Publish the matching index up to the current data version: nothing, an overlay of
    the people who changed, or a full build (in a child process, so the memory a build
    takes goes back to the system when it ends). See matches/builds.py."""
    if config["MATCHING_INDEX"] != "published":
        return ""
    full = build_full_in_child if config["MATCHING_BUILD_IN_CHILD"] else build_full
    report = refresh_index(
        session,
        index_root(config),
        overlay_limit=int(config["MATCHING_OVERLAY_LIMIT"]),
        full_after_seconds=float(config["MATCHING_FULL_BUILD_HOURS"]) * 3600,
        build_full_now=full,
    )
    return report.line()


def check_ins(session: Session, config: Mapping[str, Any]) -> str:
    """Ask both sides of approved introductions for the check-ins now due (once each)."""
    report = ask_for_check_ins(session, CheckInPolicy.from_config(config))
    return f"check-ins asked {report.asked}" if report.asked else ""


def deliver_sms(session: Session, config: Mapping[str, Any]) -> str:
    """Send the queued text messages that are due through the configured gateway."""
    report = deliver_sms_outbox(
        session,
        _sms_gateway(config),
        retry_seconds=float(config["MAIL_RETRY_SECONDS"]),
        keep_going=lambda: not stop_requested(),
    )
    if not report.sent and not report.failed:
        return ""
    return f"text messages sent {report.sent}, failed {report.failed}"


_gateways: dict[str, SmsGateway] = {}


def _sms_gateway(config: Mapping[str, Any]) -> SmsGateway:
    # One gateway per process and setting (a provider's client keeps its connection).
    name = str(config.get("SMS_GATEWAY") or "log")
    if name not in _gateways:
        _gateways[name] = load_gateway(config)
    return _gateways[name]


def profile_imports(session: Session, config: Mapping[str, Any]) -> str:
    """Check the next file uploaded on the import page, or import the next confirmed one."""
    return run_next_import(session, keep_going=lambda: not stop_requested())


# In this order, so one `--once` run also sends the emails the schedule just queued.
JOBS: list[Job] = [
    Job("matching-index", "MATCHING_INDEX_INTERVAL", matching_index, lane="index"),
    Job("profile-imports", "IMPORT_INTERVAL", profile_imports),
    Job("pairing-schedule", "PAIRING_SCHEDULE_INTERVAL", pairing_schedule),
    Job("check-ins", "PAIRING_SCHEDULE_INTERVAL", check_ins),
    Job("deliver-email", "MAIL_DELIVERY_INTERVAL", deliver_email),
    Job("deliver-sms", "SMS_DELIVERY_INTERVAL", deliver_sms),
]


# --- the loop -------------------------------------------------------------------------


class Clock(Protocol):
    def time(self) -> float: ...

    def wait(self, seconds: float) -> bool: ...


class _RealClock:
    """Monotonic time; waiting ends early when the worker is asked to stop."""

    def __init__(self, stop: threading.Event) -> None:
        self._stop = stop

    def time(self) -> float:
        return time.monotonic()

    def wait(self, seconds: float) -> bool:
        return self._stop.wait(seconds)


@dataclass(frozen=True)
class Outcome:
    """How one run of one job ended."""

    job: str
    ok: bool
    message: str
    database_down: bool = False


class Worker:
    """Runs the jobs on their intervals until asked to stop."""

    def __init__(self, app: Flask, jobs: Sequence[Job], clock: Clock | None = None) -> None:
        self.app = app
        self.jobs = list(jobs)
        self.stop = _current_stop
        self.stop.clear()
        self.clock = clock or _RealClock(self.stop)

    def run_job(self, job: Job) -> Outcome:
        """Run one job in its own session; report how it went instead of raising."""
        session: Session = self.app.extensions["mm_sessionmaker"]()
        try:
            message = job.run(session, self.app.config)
            session.commit()
            return Outcome(job.name, True, message)
        except DATABASE_DOWN as exc:
            session.rollback()
            return Outcome(job.name, False, f"database unavailable: {exc}", database_down=True)
        except Exception as exc:  # a bug in one job must not stop the others
            session.rollback()
            logger.exception("Job %s failed", job.name)
            return Outcome(job.name, False, f"failed: {exc}")
        finally:
            session.close()

    def run_once(self) -> list[Outcome]:
        """Run every job once, in order (`flask worker --once`, and cron)."""
        return [self.run_job(job) for job in self.jobs]

    def run(self, until: Callable[[], bool] = lambda: False) -> None:
        """Run the jobs when they are due until stop is set (or `until()` is true): the
        main lane in this thread, every other lane in a thread of its own."""
        lanes: dict[str, list[Job]] = {}
        for job in sorted(self.jobs, key=lambda job: job.lane != "main"):  # main first
            lanes.setdefault(job.lane, []).append(job)
        if not lanes:
            return
        mine, *others = lanes.values()
        threads = [
            threading.Thread(
                target=self._lane_in_app,
                args=(jobs, until),
                name=f"worker-{jobs[0].lane}",
                daemon=True,
            )
            for jobs in others
        ]
        for thread in threads:
            thread.start()
        try:
            self._run_lane(mine, until)
        finally:
            if threads:
                # Wake the other lanes from their waits and let them finish their job.
                stopping = self.stop.is_set()
                self.stop.set()
                for thread in threads:
                    thread.join()
                if not stopping:
                    self.stop.clear()

    def _lane_in_app(self, jobs: list[Job], until: Callable[[], bool]) -> None:
        with self.app.app_context():
            self._run_lane(jobs, until)

    def _run_lane(self, jobs: list[Job], until: Callable[[], bool]) -> None:
        """One lane's loop: each job when it is due, backing off while the database is down."""
        next_due = {job.name: self.clock.time() for job in jobs}
        backoff = 0.0
        while not self.stop.is_set() and not until():
            for job in jobs:
                if self.stop.is_set() or until() or next_due[job.name] > self.clock.time():
                    continue
                outcome = self.run_job(job)
                if outcome.database_down:
                    backoff = min(MAX_BACKOFF_SECONDS, backoff * 2 if backoff else 1.0)
                    logger.warning(
                        "%s: %s; trying again in %.0f s", job.name, outcome.message, backoff
                    )
                    break
                if backoff:
                    logger.info("Database reachable again; carrying on")
                    backoff = 0.0
                if outcome.ok and outcome.message:
                    logger.info("%s: %s", job.name, outcome.message)
                next_due[job.name] = self.clock.time() + job.interval(self.app.config)
            if self.stop.is_set() or until():
                break
            if backoff:
                self.clock.wait(backoff)
            else:
                self.clock.wait(max(0.0, min(next_due.values()) - self.clock.time()))
