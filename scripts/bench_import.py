"""How long the coordinator waits for an import of 10,000 rows (target: 60 s in all).

Builds a survey of N entrepreneurs (default 10,000) from the rows of
seed_data/entrepreneurs.csv (real places, chains and languages; every email and phone made
unique), then runs it through the same path as the import page: the upload is read and
stored (the request), the worker checks every row (recording progress), the coordinator
confirms, the worker checks again and writes every profile in one transaction. Prints the
time of each step, rows per second, how many progress updates the page could show, and
one JSON line for scripts.

    .venv/bin/python scripts/bench_import.py [--rows 10000] [--xlsx]

The database is a throwaway SQLite file, or the one DATABASE_URL names (its tables are
dropped and migrated again: point it at a database made for this).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def survey(rows: int) -> bytes:
    """N rows made from the seed entrepreneurs, each with its own email and phone."""
    with (ROOT / "seed_data" / "entrepreneurs.csv").open(encoding="utf-8") as handle:
        templates = list(csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(templates[0]), lineterminator="\n")
    writer.writeheader()
    for n in range(rows):
        row = dict(templates[n % len(templates)])
        row["email"] = f"bench{n}@example.org"
        if row["phone"]:
            digits = row["phone"].replace(" ", "")
            row["phone"] = digits[:-5] + f"{n:05d}"
        row["full_name"] = f"{row['full_name']} {n}"
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def as_xlsx(data: bytes) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Survey")
    for row in csv.reader(io.StringIO(data.decode("utf-8"))):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--xlsx", action="store_true", help="upload an Excel workbook")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="mm-bench-import-"))
    os.environ.setdefault("MENTORMATCH_INSTANCE_PATH", str(workdir / "instance"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"

    from alembic import command as alembic_command
    from sqlalchemy import func, select, text

    from mentormatch import create_app
    from mentormatch.cli import alembic_config
    from mentormatch.db import make_engine, session_scope
    from mentormatch.models import EntrepreneurProfile, ImportJob, ReviewStatus, Role
    from mentormatch.money.store import load_seed_rates
    from mentormatch.places.store import ensure_gazetteer
    from mentormatch.taxonomy import load_taxonomy
    from mentormatch.transfers import jobs
    from tests.builders import make_user

    if url.startswith("postgresql"):
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    alembic_command.upgrade(alembic_config(url), "head")
    ensure_gazetteer()
    app = create_app({"DATABASE_URL": url, "MATCHING_INDEX": "inline"})
    data = survey(args.rows)
    if args.xlsx:
        data = as_xlsx(data)
    updates: list[int] = []
    with app.app_context():
        with session_scope() as session:
            load_taxonomy(session)
            load_seed_rates(session)
            jean = make_user(session, Role.COORDINATOR, "Jean Mukendi", "jean@example.org")
            jean_id = jean.id

        started = time.perf_counter()
        with session_scope() as session:
            coordinator = session.get(type(jean), jean_id)
            assert coordinator is not None, "the benchmark's coordinator was not saved"
            job = jobs.store_upload(
                session,
                coordinator,
                "survey.xlsx" if args.xlsx else "survey.csv",
                data,
                None,
                ReviewStatus.APPROVED,
            )
            job_id = job.id
        uploaded = time.perf_counter()

        original = jobs._Progress.__call__

        def counting(self, items, description):  # type: ignore[no-untyped-def]
            for item in original(self, items, description):
                if self.job.rows_done and (not updates or updates[-1] != self.job.rows_done):
                    updates.append(self.job.rows_done)
                yield item

        jobs._Progress.__call__ = counting  # type: ignore[method-assign]
        with session_scope() as session:
            line = jobs.run_next(session)
        checked = time.perf_counter()
        print(line)
        with session_scope() as session:
            assert jobs.confirm(session, job_id, only_valid=True)
        with session_scope() as session:
            line = jobs.run_next(session)
        imported = time.perf_counter()
        print(line)
        with session_scope() as session:
            created = session.scalar(select(func.count()).select_from(EntrepreneurProfile))
            final = session.get(ImportJob, job_id)
            assert final is not None
            state, problems = final.state.value, len(final.problems or [])
    figures = {
        "rows": args.rows,
        "format": "xlsx" if args.xlsx else "csv",
        "file_mb": round(len(data) / 1024 / 1024, 2),
        "database": url.split(":")[0],
        "upload_s": round(uploaded - started, 2),
        "check_s": round(checked - uploaded, 2),
        "import_s": round(imported - checked, 2),
        "total_s": round(imported - started, 2),
        "rows_per_s_check": round(args.rows / (checked - uploaded)),
        "progress_updates": len(updates),
        "created": created,
        "problems": problems,
        "state": state,
    }
    print(
        f"{args.rows:,} rows ({figures['format']}, {figures['file_mb']} MB) on "
        f"{figures['database']}: upload read and stored in {figures['upload_s']} s, "
        f"checked in {figures['check_s']} s ({figures['rows_per_s_check']} rows/s, "
        f"{len(updates)} progress updates), checked again and written in "
        f"{figures['import_s']} s; {created:,} profiles created, {problems} problems; "
        f"total {figures['total_s']} s (target 60 s)"
    )
    print(
        f"machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
