"""Load and fault test: gunicorn on PostgreSQL, 32 connections for 60 s, and PostgreSQL
stopped for 15 s in the middle. Nothing is lost, and nothing fails outside the outage.

    .venv/bin/python scripts/load_and_fault.py        (or: make load-fault)

It starts everything it needs on loopback ports and removes it at the end: a throwaway
PostgreSQL cluster (as .ci/run does), a throwaway Redis for the shared rate limits when
redis-server is installed, gunicorn with deploy/gunicorn.conf.py in production mode
behind a pretend reverse proxy (PROXY_COUNT=1: each virtual client has its own address in
X-Forwarded-For, and the proxy says the scheme was https), and `flask worker` beside it.

Each of the 32 virtual clients logs in as an entrepreneur from the seed data and then, until
the time is up, looks at /matches, edits its profile, asks for introductions and signs new
people up. The script then compares what the server acknowledged with what PostgreSQL
holds, and prints: requests, 5xx outside the outage, acknowledged writes vs rows stored,
and the recovery time after the database came back. It exits 1 if a write was lost or a
5xx happened outside the outage.

Only 127.0.0.1 is ever contacted; every loop is bounded by the run's duration.
MM_LOAD_DEBUG=1 prints each refused request (4xx, 5xx) as it happens.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PASSWORD = "load test: millet and groundnuts in kano"
HIDDEN_RE = re.compile(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"')
PAIRING_RE = re.compile(r"/pairings/(\d+)$")


# --- the services -------------------------------------------------------------------------


def free_port(start: int) -> int:
    """The first loopback port from `start` on that nobody listens on."""
    port = start
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
        port += 1


def as_postgres(command: list[str]) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL server command; initdb refuses root, so as `postgres` when root."""
    if os.geteuid() == 0:
        command = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(map(quote, command))]
    return subprocess.run(command, check=True, capture_output=True, text=True, cwd="/")


def quote(part: str) -> str:
    return "'" + part.replace("'", "'\\''") + "'"


class Postgres:
    """A throwaway cluster in a temporary directory on a loopback port."""

    def __init__(self) -> None:
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not versions:
            sys.exit("PostgreSQL is not installed: apt-get install postgresql")
        self.bin = versions[-1].parent
        self.port = free_port(55460)
        self.data = Path(tempfile.mkdtemp(prefix="mm-load-pg."))
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        self.data.chmod(0o700)
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/mentormatch_load"

    def create(self) -> None:
        as_postgres(
            [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"]
            + ["-E", "UTF8", "--no-locale"]
        )
        self.start()
        subprocess.run(
            [str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port)]
            + ["-U", "postgres", "mentormatch_load"],
            check=True,
        )

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data}"
        as_postgres(
            [str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.data / "log")]
            + ["-w", "-o", options, "start"]
        )

    def stop(self) -> None:
        as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.data, ignore_errors=True)


class Redis:
    """A throwaway redis-server for the shared rate limits, when one is installed."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        self.port = free_port(56460)
        self.dir = Path(tempfile.mkdtemp(prefix="mm-load-redis."))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0" if self.process else "memory://"

    def start(self) -> None:
        if not self.binary:
            print("redis-server not installed: rate limits counted per gunicorn worker.")
            return
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.dir)]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


def wait_until_served(port: int, seconds: float) -> None:
    """Wait until the app answers its health check (gunicorn binds before the app loads)."""
    probe = Client(port, "192.0.2.1", time.monotonic())
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if probe.request("healthz", "GET", "/healthz")[0] == 200:
            probe.close()
            return
        time.sleep(0.2)
    raise RuntimeError(f"the app on port {port} did not answer /healthz in {seconds} s")


def app_environment(database_url: str, web_port: int, ratelimit_uri: str) -> dict[str, str]:
    """The environment of a production deployment behind one reverse proxy."""
    return {
        **os.environ,
        "MENTORMATCH_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "PUBLIC_URL": f"http://127.0.0.1:{web_port}",
        "PROXY_COUNT": "1",
        "RATELIMIT_STORAGE_URI": ratelimit_uri,
        "BIND": f"127.0.0.1:{web_port}",
        "WEB_CONCURRENCY": str(os.cpu_count() or 2),
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }


def flask(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "mentormatch", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def prepare_people(env: dict[str, str], count: int) -> tuple[list[str], list[int]]:
    """Give `count` seeded entrepreneurs with an email a password; return their emails and
    the ids of diaspora profiles that offer coaching."""
    script = f"""
import sys
from sqlalchemy import select
from mentormatch import create_app
from mentormatch.auth.service import set_password
from mentormatch.db import session_scope
from mentormatch.models import DiasporaProfile, EntrepreneurProfile, User
with create_app().app_context(), session_scope() as s:
    users = s.scalars(select(User).join(EntrepreneurProfile).where(User.email.is_not(None))
                      .order_by(User.id).limit({count})).all()
    for user in users:
        set_password(user, {PASSWORD!r})
    print(",".join(u.email for u in users))
    print(",".join(str(i) for i in s.scalars(select(DiasporaProfile.id)
                      .where(DiasporaProfile.offers_coaching.is_(True)))))
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    emails, mentors = result.stdout.strip().splitlines()[-2:]
    return emails.split(","), [int(i) for i in mentors.split(",")]


# --- the virtual clients ---------------------------------------------------------------------


@dataclass
class Call:
    """One request as the client saw it (times in seconds since the run started)."""

    action: str
    started: float
    ended: float
    status: int  # 0: no HTTP answer at all


@dataclass
class Client:
    """One browser behind the proxy: its own address, cookies and connection."""

    port: int
    address: str
    started: float
    calls: list[Call] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)
    connection: http.client.HTTPConnection | None = None
    # The browser's Accept-Language ("fr"); none: the site's default, English.
    language: str | None = None

    def request(
        self, action: str, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """Send one request; return status, body and Location (status 0 if it never got one)."""
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
            # The CSRF check over https wants a same-site Referer, as a browser sends.
            "Referer": f"https://127.0.0.1:{self.port}{path}",
        }
        if self.language:
            headers["Accept-Language"] = self.language
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        began = time.monotonic() - self.started
        try:
            response = self._send(method, path, body, headers)
            text = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            status, location = response.status, response.getheader("Location") or ""
            if status >= 400 and os.environ.get("MM_LOAD_DEBUG"):
                print(method, path, status, re.sub(r"\s+", " ", text)[-700:], flush=True)
            if response.getheader("Connection", "").lower() == "close":
                self.close()
        except (OSError, http.client.HTTPException):
            self.close()
            status, text, location = 0, "", ""
        self.calls.append(Call(action, began, time.monotonic() - self.started, status))
        return status, text, location

    def _send(
        self, method: str, path: str, body: str | None, headers: dict[str, str]
    ) -> http.client.HTTPResponse:
        """Send on the kept-alive connection; if the server had closed it (its keep-alive
        time ran out) before answering, send again on a new one, as browsers do."""
        reused = self.connection is not None
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            self.connection.request(method, path, body=body, headers=headers)
            return self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.close()
            if not reused:
                raise
            return self._send(method, path, body, headers)

    def form_fields(self, action: str, path: str) -> dict[str, str] | None:
        """The hidden fields (CSRF token and the like) of the form at `path`, or None."""
        status, html, _ = self.request(action, "GET", path)
        fields = dict(HIDDEN_RE.findall(html)) if status == 200 else {}
        return fields if "csrf_token" in fields else None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass
class Acknowledged:
    """The writes the server said it made (a redirect or page after commit)."""

    signups: list[str] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)
    # The last description each entrepreneur was told was saved.
    descriptions: dict[str, str] = field(default_factory=dict)
    edits: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def run_client(
    client: Client,
    email: str,
    mentors: list[int],
    deadline: float,
    acked: Acknowledged,
    seed: int,
) -> None:
    """Log in, then act like a busy entrepreneur until the deadline."""
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        hidden = client.form_fields("login", "/login")
        if hidden:
            status, _, _ = client.request(
                "login", "POST", "/login", {**hidden, "login": email, "password": PASSWORD}
            )
            if status == 302:
                break
        time.sleep(0.5)
    number = 0
    while time.monotonic() < deadline:
        number += 1
        roll = rng.random()
        if roll < 0.5:
            client.request("matches", "GET", "/matches?kind=coaching")
        elif roll < 0.75:
            hidden = client.form_fields("edit", "/profile/edit/business?from=profile")
            if hidden:
                text = f"Load test {client.address} edit {number}: layer hens and a feed mill."
                status, _, _ = client.request(
                    "edit",
                    "POST",
                    "/profile/edit/business?from=profile",
                    {
                        **hidden,
                        "business_name": f"Farm {client.address}",
                        "description": text,
                        "stage": "growing",
                    },
                )
                if status == 302:
                    with acked.lock:
                        acked.descriptions[email] = text
                        acked.edits += 1
        elif roll < 0.9:
            mentor = rng.choice(mentors)
            path = f"/introductions/new?diaspora_id={mentor}&kind=coaching"
            hidden = client.form_fields("request", path)
            if hidden:
                status, _, location = client.request(
                    "request",
                    "POST",
                    "/introductions/new",
                    {**hidden, "message": "Could you help with feed costs?"},
                )
                match = PAIRING_RE.search(location)
                if status == 302 and match:
                    with acked.lock:
                        acked.requests.append(int(match.group(1)))
        else:
            # A newcomer on another device: a fresh client, its own address.
            newcomer = Client(client.port, f"100.64.{seed}.{number % 250}", client.started)
            new_email = f"newcomer-{seed}-{number}@example.org"
            hidden = newcomer.form_fields("signup", "/signup")
            if hidden:
                status, html, _ = newcomer.request(
                    "signup",
                    "POST",
                    "/signup",
                    {
                        **hidden,
                        "role": "entrepreneur",
                        "full_name": f"Newcomer {seed} {number}",
                        "email": new_email,
                        "phone": "",
                        "password": PASSWORD,
                        "confirm": PASSWORD,
                    },
                )
                if status == 200 and "Check your email" in html:
                    with acked.lock:
                        acked.signups.append(new_email)
            newcomer.close()
            client.calls.extend(newcomer.calls)
    client.close()


# --- the run -------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--outage-at", type=float, default=20, help="seconds into the load")
    parser.add_argument("--outage", type=float, default=15, help="seconds PostgreSQL is down")
    options = parser.parse_args()

    postgres, redis = Postgres(), Redis()
    processes: list[subprocess.Popen[bytes]] = []
    logs = Path(tempfile.mkdtemp(prefix="mm-load-logs."))
    try:
        print(f"PostgreSQL on 127.0.0.1:{postgres.port} in {postgres.data}")
        postgres.create()
        redis.start()
        web_port = free_port(58470)
        env = app_environment(postgres.url, web_port, redis.url)
        flask(env, "db", "upgrade")
        flask(env, "seed", "--no-demo-accounts")
        emails, mentors = prepare_people(env, options.connections)
        if len(emails) < options.connections:
            sys.exit(f"only {len(emails)} seeded entrepreneurs have an email address")

        web_log = (logs / "gunicorn.log").open("wb")
        worker_log = (logs / "worker.log").open("wb")
        gunicorn = [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"]
        processes.append(
            subprocess.Popen(
                [*gunicorn, "mentormatch:create_app()"],
                env=env,
                cwd=ROOT,
                stdout=web_log,
                stderr=subprocess.STDOUT,
            )
        )
        worker_env = {**env, "MAIL_DELIVERY_INTERVAL": "1"}
        worker = subprocess.Popen(
            [str(VENV_BIN / "flask"), "--app", "mentormatch", "worker"],
            env=worker_env,
            cwd=ROOT,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
        processes.append(worker)
        wait_for_port(web_port, 60)
        wait_until_served(web_port, 120)
        print(
            f"gunicorn on 127.0.0.1:{web_port} ({env['WEB_CONCURRENCY']} workers), worker "
            f"running, rate limits in {redis.url}; load: {options.connections} connections "
            f"for {options.seconds:g} s, PostgreSQL down from {options.outage_at:g} s for "
            f"{options.outage:g} s"
        )

        started = time.monotonic()
        deadline = started + options.seconds
        acked = Acknowledged()
        clients = [
            Client(web_port, f"198.18.{n // 250}.{n % 250 + 1}", started)
            for n in range(options.connections)
        ]
        threads = [
            threading.Thread(
                target=run_client,
                args=(client, emails[n], mentors, deadline, acked, n),
                daemon=True,
            )
            for n, client in enumerate(clients)
        ]
        for thread in threads:
            thread.start()

        time.sleep(max(0.0, started + options.outage_at - time.monotonic()))
        down_at = time.monotonic() - started
        postgres.stop()
        time.sleep(max(0.0, started + options.outage_at + options.outage - time.monotonic()))
        postgres.start()
        up_at = time.monotonic() - started
        print(
            f"PostgreSQL stopped at {down_at:.1f} s, accepting connections again at {up_at:.1f} s"
        )

        for thread in threads:
            thread.join(options.seconds + 120)
        calls = [call for client in clients for call in client.calls]
        # Give the worker a moment to send what the last requests queued.
        time.sleep(3)
        for process in reversed(processes):
            process.send_signal(signal.SIGTERM)
        worker_status = worker.wait(30)
        processes[0].wait(30)
        web_log.close()
        worker_log.close()

        return report(options, calls, acked, down_at, up_at, postgres.url, worker_status, logs)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
        redis.stop()
        postgres.remove()


def report(
    options: argparse.Namespace,
    calls: list[Call],
    acked: Acknowledged,
    down_at: float,
    up_at: float,
    database_url: str,
    worker_status: int,
    logs: Path,
) -> int:
    from sqlalchemy import create_engine, select

    from mentormatch.models import EntrepreneurProfile, OutboxEmail, OutboxStatus, Pairing, User

    def during_outage(call: Call) -> bool:
        return call.started < up_at and call.ended > down_at

    statuses = Counter(call.status // 100 for call in calls)
    errors = [call for call in calls if call.status >= 500 or call.status == 0]
    outside = [call for call in errors if not during_outage(call)]
    inside = [call for call in errors if during_outage(call)]
    by_action = Counter(call.action for call in calls)
    writes = ("edit", "request", "signup")
    first_write_after = min(
        (
            call.ended - up_at
            for call in calls
            if call.action in writes and call.started >= up_at and call.status in (200, 302)
        ),
        default=float("nan"),
    )
    last_error_after = max(
        (call.ended - up_at for call in errors if call.ended > up_at), default=0.0
    )

    engine = create_engine(database_url)
    with engine.connect() as conn:
        stored_signups = set(
            conn.scalars(select(User.email).where(User.email.in_(acked.signups))).all()
        )
        stored_requests = set(
            conn.scalars(select(Pairing.id).where(Pairing.id.in_(acked.requests))).all()
        )
        stored_descriptions = dict(
            conn.execute(
                select(User.email, EntrepreneurProfile.description)
                .join(EntrepreneurProfile)
                .where(User.email.in_(list(acked.descriptions)))
            ).all()
        )
        outbox = Counter(conn.scalars(select(OutboxEmail.status)).all())
    engine.dispose()
    edits_kept = sum(
        1 for email, text in acked.descriptions.items() if stored_descriptions.get(email) == text
    )
    lost = (
        len(acked.signups)
        - len(stored_signups)
        + len(acked.requests)
        - len(stored_requests)
        + len(acked.descriptions)
        - edits_kept
    )

    print()
    print(
        f"requests: {len(calls)} in {options.seconds:g} s ({len(calls) / options.seconds:.0f}/s); "
        + ", ".join(f"{action} {count}" for action, count in sorted(by_action.items()))
    )
    refused = Counter(call.status for call in calls if 400 <= call.status < 500)
    print(
        f"  answers: 2xx {statuses[2]}, 3xx {statuses[3]}, 4xx {statuses[4]} "
        f"({', '.join(f'{code}: {n}' for code, n in sorted(refused.items())) or 'none'}), "
        f"5xx {statuses[5]}, no answer {statuses[0]}"
    )
    print(f"  5xx or no answer during the outage ({down_at:.1f}-{up_at:.1f} s): {len(inside)}")
    print(f"  5xx or no answer outside the outage: {len(outside)}")
    for call in outside[:10]:
        print(
            f"    {call.action} {call.started:.1f}-{call.ended:.1f} s: {call.status or 'no answer'}"
        )
    slowest = sorted(calls, key=lambda call: call.ended - call.started)[-3:]
    print(
        "  slowest: "
        + ", ".join(
            f"{c.action} {c.ended - c.started:.1f} s (from {c.started:.1f} s)" for c in slowest
        )
    )
    print("writes acknowledged vs stored:")
    print(f"  sign-ups: {len(acked.signups)} acknowledged, {len(stored_signups)} stored")
    print(
        f"  introduction requests: {len(acked.requests)} acknowledged, "
        f"{len(stored_requests)} stored"
    )
    print(
        f"  profile edits: {acked.edits} acknowledged; last edit of {len(acked.descriptions)} "
        f"profiles, {edits_kept} stored as acknowledged"
    )
    print(f"  lost writes: {lost}")
    print(
        f"recovery: first successful write {first_write_after:.2f} s after PostgreSQL was back; "
        f"last error {last_error_after:.2f} s after"
    )
    print(
        f"worker: exit status {worker_status} after SIGTERM; outbox "
        + ", ".join(f"{status.value} {outbox[status]}" for status in OutboxStatus)
    )
    print(f"logs: {logs}")
    return 1 if lost or outside or worker_status != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
