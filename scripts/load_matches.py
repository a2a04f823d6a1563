"""Load test of the suggestions page at national scale (issue 10), as users would run it:
gunicorn (2 workers) and `flask worker` on a throwaway PostgreSQL holding 20,000
entrepreneurs and 5,000 diaspora members (`flask seed --synthetic`), 32 connections.

    .venv/bin/python scripts/load_matches.py        (or: make load-matches)

It measures, and prints with a JSON line at the end:

1. `/` (logged in) and `/matches` throughput and latency (p50, p99) with 32 connections
   each busy all the time (a closed loop: the most each page can serve); then `/matches`
   at the target traffic, 30 % of what `/` served, arriving at random (an open loop, up
   to 32 in flight): how long a visitor waits at that traffic; and at lighter traffic
   (`--open-shares`, default 15 % of `/`); where each page's cost goes: the CPU time
   the gunicorn workers, the worker process, PostgreSQL, Redis and the load generators
   spent per request served, and how busy the machine was;
2. `/matches` and `/` in turns while 10 profile edits a second are saved (each one moves
   the matching data version, so the worker keeps publishing overlays), then `/matches`
   at the target traffic again, the edits still coming;
3. how long a profile change takes to show in someone else's suggestions;
4. the slowest request while the worker runs a full build (a new exchange rate, which
   changes everyone's amounts): no request may wait for a build; then `/matches` with 2
   connections (one per gunicorn worker, so no request queues behind another), without
   and during a full build: a request's own time, and whether a build ever holds one up;
5. the memory of the 2 gunicorn workers and the worker process (RSS, and PSS, which
   counts the pages the processes share — the memory-mapped index — once);
6. `/matches` in each language of `--languages` (default en,fr,ar; the browser's
   Accept-Language, as the synthetic people have no language setting): throughput, p99
   and the page's size, each language's throughput as a share of English's (issue 11:
   within 10 %, pages at most 60 KB). `--languages-only` measures just this (and 1).

Only 127.0.0.1 is contacted; every phase is bounded in time. Reuses the services of
scripts/load_and_fault.py (PostgreSQL, Redis, HTTP clients).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_and_fault import (  # noqa: E402  (a sibling script, not a package)
    ROOT,
    VENV_BIN,
    Client,
    Postgres,
    Redis,
    app_environment,
    flask,
    free_port,
    wait_for_port,
    wait_until_served,
)

PASSWORD = "load test: millet and groundnuts in kano"
# Accounts that save profile edits beside the page's connections (phase 2): enough that 10
# edits a second can be in flight while each waits its turn behind 32 page requests.
EDITORS = 24
CHECKED_RE = re.compile(r'<input checked[^>]*name="([^"]+)"[^>]*value="([^"]*)"')
HIDDEN_RE = re.compile(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"')


def prepare(env: dict[str, str], count: int) -> tuple[list[str], dict[str, str]]:
    """Passwords for `count + 1` synthetic entrepreneurs (the last one watches) and for a
    mentor who shares no language with the watcher; what the watcher does and needs."""
    script = f"""
import json
from sqlalchemy import select
from mentormatch import create_app
from mentormatch.auth.service import set_password
from mentormatch.db import session_scope
from mentormatch.matches.bench_page import mentor_to_change
from mentormatch.models import EntrepreneurProfile, User
with create_app().app_context(), session_scope() as s:
    users = s.scalars(select(User).join(EntrepreneurProfile)
                      .where(User.email.like('synthetic-%')).order_by(User.id)
                      .limit({count + 1})).all()
    for user in users:
        set_password(user, {PASSWORD!r})
    watcher = users[-1].entrepreneur_profile
    spoken = set(watcher.languages)
    mentor = mentor_to_change(s, watcher)
    set_password(mentor.user, {PASSWORD!r})
    print(",".join(u.email for u in users[:-1]))
    print(json.dumps({{"watcher": users[-1].email, "mentor": mentor.user.email,
                      "mentor_id": mentor.id, "region": watcher.region_code,
                      "country": watcher.country_code, "language": sorted(spoken)[0],
                      "chains": [c.code for c in watcher.value_chains],
                      "needs": [k.code for k in watcher.skills_needed]}}))
"""
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()  # fmt: skip
    return out[-2].split(","), json.loads(out[-1])


def post_step(client: Client, step: str, changes: dict[str, object]) -> int:
    """Save one step of the client's profile with some fields changed; the status."""
    html = client.request("form", "GET", f"/profile/edit/{step}")[1]
    form: dict[str, object] = dict(HIDDEN_RE.findall(html))
    checked: dict[str, list[str]] = {}
    for name, value in CHECKED_RE.findall(html):
        checked.setdefault(name, []).append(value)
    form.update(checked)
    form.update(changes)
    path = f"/profile/edit/{step}?from=profile"
    return client.request("edit", "POST", path, form)[0]  # type: ignore[arg-type]


def log_in(client: Client, email: str) -> None:
    fields = client.form_fields("login form", "/login")
    assert fields, "no login form"
    status, _, _ = client.request(
        "login", "POST", "/login", {**fields, "login": email, "password": PASSWORD}
    )
    assert status in (302, 303), f"login of {email} answered {status}"


Run = dict[str, float]  # requests, seconds, p50_ms, p99_ms, max_ms, errors

# Issue 10: /matches must serve at least this share of what `/` (logged in) serves.
TARGET_SHARE = 0.30


# How the load reaches gunicorn. Behind nginx as deployed (proxy_pass without upstream
# keepalive), every request comes on a new connection, and whichever gunicorn worker is
# free accepts it. A client that keeps its connections open instead pins each to the
# worker that accepted it first: 32 connections were seen split 32/0, 28/4 and 5/27, so
# one process served while the other idled and a phase measured half the machine.
# `--keep-alive` measures that way too, for comparison.
KEEP_ALIVE = False


def hammer(clients: list[Client], path: str, seconds: float) -> Run:
    """`path` requested over and over for `seconds` by as many connections as `clients`,
    each request as one of them (their cookies, address and language): by wrk when it is
    installed (C: it leaves the 2 cores to the server), else by the Python clients. Each
    request on a new connection unless KEEP_ALIVE."""
    if shutil.which("wrk"):
        run = wrk_run(clients, path, seconds)
        drain(clients[0].port)
        return run
    return python_run(clients, path, seconds)


def drain(port: int, seconds: float = 30) -> None:
    """Wait until the requests wrk left behind are served. When it stops, up to one request
    per connection is already sent and queued, and the workers still serve them all: the
    next phase's first requests waited behind 32 pages of this one (0.3–0.6 s), which was
    most of each phase's p99 until 1 December. Done when two health checks in a row are
    answered at once (a request queued after the others is served after them)."""
    probe = Client(port, "192.0.2.2", time.monotonic())
    deadline, quick = time.monotonic() + seconds, 0
    while quick < 2 and time.monotonic() < deadline:
        started = time.monotonic()
        probe.request("drain", "GET", "/healthz")
        probe.close()
        quick = quick + 1 if time.monotonic() - started < 0.05 else 0


def python_run(clients: list[Client], path: str, seconds: float) -> Run:
    """Every client requests `path` in a loop (one thread each; with 32 connections these
    threads take a good part of 2 cores, so the server gets less)."""
    results: list[tuple[float, int]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop(client: Client) -> None:
        while time.monotonic() < deadline:
            timed_get(client, path, time.monotonic(), results, lock)

    each_in_a_thread(clients, loop, seconds + 60)
    return run_figures(results, seconds)


def steady_run(
    clients: list[Client], path: str, per_second: float, seconds: float, seed: int = 10
) -> Run:
    """An open loop: requests for `path` arrive at random moments (a Poisson process, as
    independent visitors do) at `per_second` on average, whatever the server's speed; each
    is sent by a free client, so at most len(clients) are in flight, and one due while all
    are busy waits for a client. A request's time runs from the moment it was due, not
    from when it could be sent, so a server that falls behind shows its queue in the
    figures instead of slowing the arrivals down (no "coordinated omission").

    The closed loops of `hammer` keep every connection busy, so their latency is the
    queue of 32 (Little's law: 32 / throughput); this measures what a visitor waits at a
    given traffic."""
    arrivals = random.Random(seed)
    due: queue.Queue[float] = queue.Queue()
    moment = arrivals.expovariate(per_second)
    start = time.monotonic() + 0.1
    while moment < seconds:
        due.put(start + moment)
        moment += arrivals.expovariate(per_second)
    results: list[tuple[float, int]] = []
    lock = threading.Lock()

    def send(client: Client) -> None:
        while True:
            try:
                at = due.get_nowait()
            except queue.Empty:
                return
            time.sleep(max(0.0, at - time.monotonic()))
            timed_get(client, path, at, results, lock)

    each_in_a_thread(clients, send, seconds + 90)
    # Served per second: until the last answer, so a queue left at the end counts.
    return run_figures(results, max(seconds, time.monotonic() - start))


def timed_get(
    client: Client,
    path: str,
    since: float,
    results: list[tuple[float, int]],
    lock: threading.Lock,
) -> None:
    """GET `path` as `client`; add (seconds since `since`, status) to `results`."""
    status, _, _ = client.request(path, "GET", path)
    if not KEEP_ALIVE:
        client.close()
    with lock:
        results.append((time.monotonic() - since, status))


def each_in_a_thread(clients: list[Client], work: Callable[[Client], None], timeout: float) -> None:
    """`work(client)` for every client at once, one thread each; back when all are done."""
    threads = [threading.Thread(target=work, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)


def run_figures(results: list[tuple[float, int]], seconds: float) -> Run:
    """(seconds taken, status) of each request, as a Run; only 200s count as served."""
    ok = sorted(latency for latency, status in results if status == 200)

    def pct(p: float) -> float:
        return ok[min(len(ok) - 1, int(p / 100 * len(ok)))] * 1000 if ok else 0.0

    return {"requests": len(ok), "seconds": seconds, "p50_ms": pct(50), "p99_ms": pct(99),
            "max_ms": ok[-1] * 1000 if ok else 0.0,
            "errors": len(results) - len(ok)}  # fmt: skip


WRK_SCRIPT = """
local people = {%(people)s}
local n = 0
init = function(args) n = math.random(1, #people) end
request = function()
  n = n + 1
  local p = people[(n %% #people) + 1]
  local headers = {["Cookie"] = p[1], ["X-Forwarded-For"] = p[2], ["X-Forwarded-Proto"] = "https"}
  if p[3] ~= "" then headers["Accept-Language"] = p[3] end
  if %(close)s then headers["Connection"] = "close" end
  return wrk.format("GET", "%(path)s", headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %%d %%f %%f %%f %%f %%d\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status + e.connect + e.read + e.write + e.timeout))
end
"""


def wrk_run(clients: list[Client], path: str, seconds: float) -> Run:
    """wrk with 2 threads and one connection per client; each request is sent as the next
    client in turn. Statuses other than 2xx/3xx and socket errors count as errors."""

    def lua(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    cookie = {id(c): "; ".join(f"{k}={v}" for k, v in c.cookies.items()) for c in clients}
    people = ", ".join(
        f"{{{lua(cookie[id(c)])}, {lua(c.address)}, {lua(c.language or '')}}}" for c in clients
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        close = "false" if KEEP_ALIVE else "true"
        script.write(WRK_SCRIPT % {"people": people, "path": path, "close": close})
    url = f"http://127.0.0.1:{clients[0].port}{path}"
    duration = f"-d{max(1, round(seconds))}s"
    command = ["wrk", "-t2", f"-c{len(clients)}", duration, "--timeout", "30s",
               "-s", script.name, url]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 90).stdout
    Path(script.name).unlink()
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    requests, duration, p50, p99, most, errors = line.split()[1:]
    return {"requests": int(requests) - int(errors), "seconds": float(duration),
            "p50_ms": float(p50), "p99_ms": float(p99), "max_ms": float(most),
            "errors": int(errors)}  # fmt: skip


def summary(name: str, runs: list[Run]) -> dict[str, float]:
    """Runs of one measurement put together: throughput over their whole time, p50 weighted
    by requests, and the worst p99 and maximum of any run (so never flattering)."""
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["seconds"] for r in runs) or 1.0
    failed = int(sum(r["errors"] for r in runs))
    p50 = sum(r["p50_ms"] * r["requests"] for r in runs) / requests if requests else 0.0
    figures = {"rps": requests / seconds, "p50_ms": p50,
               "p99_ms": max(r["p99_ms"] for r in runs), "max_ms": max(r["max_ms"] for r in runs),
               "errors": failed}  # fmt: skip
    print(f"{name}: {figures['rps']:.0f} requests/s, p50 {figures['p50_ms']:.0f} ms, "
          f"p99 {figures['p99_ms']:.0f} ms, max {figures['max_ms']:.0f} ms, "
          f"{failed} not 200")  # fmt: skip
    return figures


def edit_once(client: Client, n: int) -> bool:
    """Save the 'needs' step of the client's profile with a new sentence; whether it saved."""
    status, html, _ = client.request("edit form", "GET", "/profile/edit/needs")
    if status != 200:
        return False
    form: dict[str, object] = dict(HIDDEN_RE.findall(html))
    checked: dict[str, list[str]] = {}
    for name, value in CHECKED_RE.findall(html):
        checked.setdefault(name, []).append(value)
    form.update(checked)
    form["skills_needed_text"] = f"edit {n}: to buy fertilizer and seeds, plough {n}"
    status, _, _ = client.request("edit", "POST", "/profile/edit/needs?from=profile",
                                  form)  # type: ignore[arg-type]  # fmt: skip
    return status in (302, 303)


def editors(clients: list[Client], per_second: float, until: float, counter: list[int]) -> None:
    """Start an edit every 1/per_second s whatever the server's speed (an open loop: under
    load an edit takes seconds, so a closed loop would save far fewer than asked), each on
    a free logged-in client; an edit due while all are busy waits for one."""
    free: queue.Queue[Client] = queue.Queue()
    for client in clients:
        free.put(client)
    lock = threading.Lock()

    def one(client: Client, n: int) -> None:
        try:
            if edit_once(client, n):
                with lock:
                    counter[0] += 1
        finally:
            free.put(client)

    n, started = 0, time.monotonic()
    while time.monotonic() < until:
        n += 1
        try:
            client = free.get(timeout=max(0.0, until - time.monotonic()))
        except queue.Empty:
            break
        threading.Thread(target=one, args=(client, n), daemon=True).start()
        time.sleep(max(0.0, started + n / per_second - time.monotonic()))
    for _ in clients:  # the edits started before `until` finish
        free.get(timeout=60)


def new_rate(env: dict[str, str], usd_per_unit: float, days_ago: int) -> None:
    """Store a new EUR rate (one per currency and day), as `flask rates load` would:
    everyone's amounts change, so the worker's next look is a full build."""
    code = (
        "from datetime import date, timedelta\n"
        "from mentormatch import create_app\n"
        "from mentormatch.db import session_scope\n"
        "from mentormatch.models import ExchangeRate\n"
        "with create_app().app_context(), session_scope() as s:\n"
        f"    s.add(ExchangeRate(currency='EUR', usd_per_unit={usd_per_unit},"
        f" as_of=date.today() - timedelta(days={days_ago}), source='load test'))\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,
                   capture_output=True, text=True)  # fmt: skip


def pss_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process in MB, from /proc/<pid>/smaps_rollup."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, _, rest = line.partition(":")
        values[key] = float(rest.split()[0]) / 1024
    return values.get("Rss", 0.0), values.get("Pss", 0.0)


def children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in found.split()]


class CpuMeter:
    """CPU time used by each part of the set-up (the gunicorn workers, the worker process,
    PostgreSQL, Redis, the load generators: wrk and this script's clients), so a phase can
    say where a request's cost goes and how much of the 2 cores was left idle. A part is a
    process with all its descendants; those that exited are counted in their parent's
    children times (wrk, reaped by this script; PostgreSQL's short-lived workers)."""

    def __init__(self, parts: dict[str, int]) -> None:
        self.parts = parts

    @staticmethod
    def _table() -> dict[int, tuple[int, float, float]]:
        """pid: (parent pid, own CPU seconds, reaped children's CPU seconds)."""
        tick = os.sysconf("SC_CLK_TCK")
        table = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # exited meanwhile
                continue
            own = (int(fields[11]) + int(fields[12])) / tick
            reaped = (int(fields[13]) + int(fields[14])) / tick
            table[int(stat.parent.name)] = (int(fields[1]), own, reaped)
        return table

    def snapshot(self) -> dict[str, float]:
        table = self._table()
        kids: dict[int, list[int]] = {}
        for pid, (parent, _, _) in table.items():
            kids.setdefault(parent, []).append(pid)
        used = {}
        for name, root in self.parts.items():
            total, todo = table.get(root, (0, 0.0, 0.0))[2], [root]
            while todo:
                pid = todo.pop()
                total += table.get(pid, (0, 0.0, 0.0))[1]
                # This script's own part stops at its children: they are parts of their own.
                if pid != os.getpid():
                    todo += kids.get(pid, [])
            used[name] = total
        # The machine's busy time: all but idle and waiting for the disk.
        ticks = [float(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        used["all"] = (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")
        return used

    def per_request(self, before: dict[str, float], after: dict[str, float],
                    served: float, seconds: float) -> dict[str, float]:  # fmt: skip
        """Milliseconds of CPU per request served, by part, and how busy the cores were."""
        figures = {name: round((after[name] - before[name]) / max(served, 1) * 1000, 2)
                   for name in self.parts}  # fmt: skip
        busy = (after["all"] - before["all"]) / (seconds * (os.cpu_count() or 1))
        figures["machine_busy_share"] = round(min(1.0, busy), 3)
        return figures


def metered(
    meter: CpuMeter, run: Callable[..., Run], *args: object
) -> tuple[Run, dict[str, float]]:
    """`run(*args)`, with the CPU each part spent per request served during it."""
    before, started = meter.snapshot(), time.monotonic()
    result = run(*args)
    cpu = meter.per_request(before, meter.snapshot(), result["requests"],
                            time.monotonic() - started)  # fmt: skip
    return result, cpu


def print_cpu(name: str, cpu: dict[str, float]) -> None:
    parts = ", ".join(f"{k} {v:.1f}" for k, v in cpu.items() if k != "machine_busy_share")
    print(
        f"  CPU ms per request ({name}): {parts}; the machine {cpu['machine_busy_share']:.0%} busy"
    )


MOST_PAGE_BYTES = 60 * 1024


def by_language(
    clients: list[Client], languages: list[str], seconds: float, rounds: int = 6
) -> dict[str, dict[str, float]]:
    """/matches read in each language: throughput, latency, page size, and the throughput
    as a share of the first language's (English). The languages take turns, `rounds`
    times, so a slow patch of the machine (the worker publishing) weighs on all alike."""
    results: dict[str, list[Run]] = {language: [] for language in languages}
    pages: dict[str, str] = {}
    for _ in range(rounds):
        for language in languages:
            for client in clients:
                client.language = language
            pages[language] = clients[0].request("size", "GET", "/matches")[1]
            results[language].append(hammer(clients, "/matches", seconds / rounds))
    for client in clients:
        client.language = None
    figures: dict[str, dict[str, float]] = {}
    for language in languages:
        shown = summary(f"/matches in {language}", results[language])
        page = pages[language]
        shown["page_kb"] = round(len(page.encode()) / 1024, 1)
        first = figures[languages[0]]["rps"] if figures else shown["rps"]
        shown["share_of_first"] = round(shown["rps"] / first, 3) if first else 0.0
        figures[language] = shown
        lang_attribute = re.search(r'<html lang="([^"]+)"', page)
        served = lang_attribute.group(1) if lang_attribute else "?"
        verdict = "ok" if len(page.encode()) <= MOST_PAGE_BYTES else "OVER 60 KB"
        print(f"  /matches served in {served}: {shown['page_kb']} KB ({verdict}), "
              f"{shown['share_of_first']:.0%} of {languages[0]}'s throughput")  # fmt: skip
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entrepreneurs", type=int, default=20_000)
    parser.add_argument("--diaspora", type=int, default=5_000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20, help="per measured phase")
    parser.add_argument("--languages", default="en,fr,ar",
                        help="Accept-Language of each /matches phase, comma-separated")  # fmt: skip
    parser.add_argument("--language-rounds", type=int, default=6,
                        help="turns of the languages (slow patches weigh on all)")  # fmt: skip
    parser.add_argument("--languages-only", action="store_true",
                        help="measure / and /matches in each language only")  # fmt: skip
    parser.add_argument("--open-shares", type=lambda text: [float(x) for x in text.split(",")],
                        default=[0.15],
                        help="/matches arriving at random at these shares of /'s throughput, "
                             "besides the target 0.30 (comma-separated)")  # fmt: skip
    parser.add_argument(
        "--keep-alive", action="store_true", help="keep connections open (each stays on one worker)"
    )
    options = parser.parse_args()
    global KEEP_ALIVE
    KEEP_ALIVE = options.keep_alive

    postgres, redis = Postgres(), Redis()
    processes: list[subprocess.Popen[bytes]] = []
    logs = Path(tempfile.mkdtemp(prefix="mm-load-matches."))
    index_dir = Path(tempfile.mkdtemp(prefix="mm-load-index."))
    try:
        postgres.create()
        redis.start()
        web_port = free_port(58490)
        env = {**app_environment(postgres.url, web_port, redis.url), "WEB_CONCURRENCY": "2",
               "MATCHING_INDEX_DIR": str(index_dir)}  # fmt: skip
        flask(env, "db", "upgrade")
        started = time.monotonic()
        flask(env, "seed", "--no-demo-accounts", "--synthetic",
              str(options.entrepreneurs), str(options.diaspora))  # fmt: skip
        print(f"seeded {options.entrepreneurs:,} x {options.diaspora:,} and published the "
              f"index in {time.monotonic() - started:.0f} s")  # fmt: skip
        # A deployment's tables have been vacuumed and analysed long before anyone measures;
        # right after a bulk seed, autovacuum would otherwise run during the first phases.
        psql = [str(postgres.bin / "psql"), "-h", "127.0.0.1", "-p", str(postgres.port),
                "-U", "postgres", "-d", "mentormatch_load", "-q"]  # fmt: skip
        subprocess.run([*psql, "-c", "VACUUM ANALYZE"], check=True, capture_output=True)
        emails, about = prepare(env, options.connections + EDITORS)
        emails, editor_emails = emails[: options.connections], emails[options.connections :]

        web_log, worker_log = (logs / "gunicorn.log").open("wb"), (logs / "worker.log").open("wb")
        gunicorn = [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"]
        web = subprocess.Popen([*gunicorn, "mentormatch:create_app()"], env=env, cwd=ROOT,
                               stdout=web_log, stderr=subprocess.STDOUT)  # fmt: skip
        worker = subprocess.Popen([str(VENV_BIN / "flask"), "--app", "mentormatch", "worker"],
                                  env=env, cwd=ROOT, stdout=worker_log,
                                  stderr=subprocess.STDOUT)  # fmt: skip
        processes += [web, worker]
        wait_for_port(web_port, 60)
        wait_until_served(web_port, 120)
        postmaster = int((postgres.data / "postmaster.pid").read_text().split()[0])
        meter = CpuMeter({"gunicorn": web.pid, "worker": worker.pid, "postgres": postmaster,
                          "redis": redis.process.pid if redis.process else -1,
                          "load generator": os.getpid()})  # fmt: skip
        t0 = time.monotonic()
        clients = [Client(web_port, f"198.18.{n // 250}.{n % 250 + 1}", t0)
                   for n in range(options.connections)]  # fmt: skip
        for client, email in zip(clients, emails, strict=False):
            log_in(client, email)
        for client in clients:  # warm every worker's index
            client.request("warm", "GET", "/matches")

        figures: dict[str, object] = {"n_entrepreneurs": options.entrepreneurs,
                                      "n_diaspora": options.diaspora,
                                      "connections": options.connections,
                                      "keep_alive": KEEP_ALIVE}  # fmt: skip
        # In turns, three times each, so a slow patch of the machine weighs on both alike.
        home_runs, matches_runs = [], []
        cpu: dict[str, dict[str, float]] = {}
        for _ in range(3):
            home_runs.append(hammer(clients, "/", options.seconds / 3))
            matches_runs.append(hammer(clients, "/matches", options.seconds / 3))
        home = summary("/ (logged in)", home_runs)
        matches = summary("/matches", matches_runs)
        figures["home"], figures["matches"] = home, matches
        # Where each page's cost goes, measured on one more short run of each.
        for path in ("/", "/matches"):
            cpu[path] = metered(meter, hammer, clients, path, options.seconds / 3)[1]
            print_cpu(f"{path}, one more closed-loop run", cpu[path])
        figures["matches_share_of_home"] = matches["rps"] / home["rps"] if home["rps"] else 0
        # The target traffic, /matches at 30 % of what `/` serves, arriving at random; and
        # lighter traffic, to see at what traffic a visitor's wait holds.
        target_rate = TARGET_SHARE * home["rps"]
        arriving = f"/matches arriving at {target_rate:.0f}/s (30 % of /)"
        open_loop = {}
        for share in sorted({TARGET_SHARE, *options.open_shares}, reverse=True):
            rate = share * home["rps"]
            run, cpu[f"/matches at {share:g}"] = metered(
                meter, steady_run, clients, "/matches", rate, options.seconds
            )
            steady = summary(
                f"/matches arriving at {rate:.0f}/s ({share:.0%} of /), up to "
                f"{len(clients)} in flight",
                [run],
            )
            print_cpu("the run above", cpu[f"/matches at {share:g}"])
            open_loop[f"{share:g}"] = {**steady, "offered_rps": rate}
        figures["matches_open_loop"] = open_loop
        figures["cpu_ms_per_request"] = cpu
        figures["languages"] = by_language(
            clients, options.languages.split(","), options.seconds, options.language_rounds
        )
        if options.languages_only:
            print(json.dumps(figures, sort_keys=True, default=float))
            return 0

        # 10 profile edits a second, each on a different entrepreneur's account (up to
        # EDITORS more connections beside the page's 32), for the whole of a phase in which
        # /matches and `/` take turns, three times each: both pages share the same edits and
        # the same slow patches of the machine, so the share compares like with like.
        editing = [Client(web_port, f"198.19.0.{n + 1}", t0) for n in range(EDITORS)]
        for client, email in zip(editing, editor_emails, strict=True):
            log_in(client, email)
        edits = [0]
        turn = options.seconds / 3
        editing_seconds = 2 * options.seconds + options.seconds
        pacer = threading.Thread(
            target=editors,
            args=(editing, 10.0, time.monotonic() + editing_seconds, edits),
            daemon=True,
        )
        pacer.start()
        busy_runs, home_busy_runs = [], []
        for _ in range(3):
            busy_runs.append(hammer(clients, "/matches", turn))
            home_busy_runs.append(hammer(clients, "/", turn))
        steady_busy = steady_run(clients, "/matches", target_rate, options.seconds, seed=11)
        pacer.join(90)
        busy = summary("/matches with 10 edits/s", busy_runs)
        home_busy = summary("/ with 10 edits/s", home_busy_runs)
        steady_busy_figures = summary(f"{arriving} with 10 edits/s", [steady_busy])
        figures["matches_open_loop_during_edits"] = {
            f"{TARGET_SHARE:g}": {**steady_busy_figures, "offered_rps": target_rate}
        }
        print(f"profile edits saved meanwhile: {edits[0]} "
              f"({edits[0] / editing_seconds:.1f}/s)")  # fmt: skip
        figures["edits_saved"] = edits[0]
        figures["matches_during_edits"], figures["home_during_edits"] = busy, home_busy
        figures["matches_share_of_home_during_edits"] = (
            busy["rps"] / home_busy["rps"] if home_busy["rps"] else 0
        )
        print(f"/matches is {figures['matches_share_of_home']:.0%} of /, and "
              f"{figures['matches_share_of_home_during_edits']:.0%} of / while both take "
              f"10 edits a second")  # fmt: skip

        # A mentor who had nothing in common with the watcher becomes their perfect match:
        # same region, chains and language, offering what they need. How long until the
        # watcher sees them?
        watcher_client = Client(web_port, "198.19.1.1", t0)
        mentor_client = Client(web_port, "198.19.1.2", t0)
        log_in(watcher_client, about["watcher"])
        log_in(mentor_client, about["mentor"])
        seen = watcher_client.request("before", "GET", "/matches?kind=coaching")[1]
        target = f'href="/people/diaspora/{about["mentor_id"]}"'
        assert target not in seen, "the mentor was already suggested"
        statuses = [
            post_step(mentor_client, "roots", {"country": about["country"],
                                               "origin_regions": [about["region"]],
                                               "interest_regions": []}),
            post_step(mentor_client, "value-chains", {"value_chains": about["chains"]}),
            post_step(mentor_client, "skills", {"skills_offered": about["needs"] or [],
                                                "other_languages": about["language"]}),
        ]  # fmt: skip
        changed_at = time.monotonic()
        visible = None
        while time.monotonic() - changed_at < 30:
            if target in watcher_client.request("poll", "GET", "/matches?kind=coaching")[1]:
                visible = time.monotonic() - changed_at
                break
            time.sleep(0.2)
        figures["change_visible_s"] = visible
        print(f"a mentor's changes (saved: {statuses}) visible in another person's suggestions "
              f"after {visible if visible is None else round(visible, 2)} s")  # fmt: skip

        # A full build under load: a new exchange rate changes everyone's amounts.
        new_rate(env, 1.17, 0)
        building = hammer(clients, "/matches", options.seconds)
        during_build = summary("/matches while the worker builds everything", [building])
        figures["matches_during_full_build"] = during_build

        # The same page without a queue: one connection per gunicorn worker, so a request's
        # time is its own (with 32 connections it is mostly waiting behind the others); then
        # again while the worker builds everything, to see whether a build ever holds a
        # request up.
        alone = summary(
            "/matches, 2 connections (one per worker)",
            [hammer(clients[:2], "/matches", options.seconds)],
        )
        new_rate(env, 1.16, 1)
        alone_build = summary(
            "/matches, 2 connections, while the worker builds everything",
            [hammer(clients[:2], "/matches", options.seconds)],
        )
        figures["matches_2_connections"] = alone
        figures["matches_2_connections_during_full_build"] = alone_build  # fmt: skip

        gunicorn_workers = children(web.pid)
        memory = [pss_mb(pid) for pid in [*gunicorn_workers, worker.pid]]
        figures["rss_mb_workers"] = round(sum(m[0] for m in memory), 1)
        figures["pss_mb_workers"] = round(sum(m[1] for m in memory), 1)
        print(f"memory of {len(gunicorn_workers)} gunicorn workers and the worker process: "
              f"RSS {figures['rss_mb_workers']:.0f} MB in all (shared pages counted in each), "
              f"PSS {figures['pss_mb_workers']:.0f} MB (shared pages counted once)")  # fmt: skip
        print(f"logs in {logs}")
        print(json.dumps(figures, sort_keys=True, default=float))
        return 0
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        redis.stop()
        postgres.remove()


if __name__ == "__main__":
    sys.exit(main())
