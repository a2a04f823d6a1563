"""Imports from the coordinator's page, run by the worker (`profile-imports` job).

A request only stores the uploaded file (after reading it whole, so a file that is not
CSV/XLSX, has formulas or several kinds is refused on the spot) and answers at once. The
worker then checks every row through the profile rules, recording how far it got so the
page can show the progress; the coordinator reads the problems row by row and confirms
"all rows" or "only the valid rows"; the worker checks the file again (the database may
have changed meanwhile) and writes the profiles in one transaction, so nothing is
written if anything fails. Two workers at once are safe: a job is taken with a
compare-and-set on its state. What the worker writes for people (the problems row by row,
the notes, the messages) is in the language of the coordinator who uploaded the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.i18n import in_language_of
from mentormatch.importer import ImportFileError, check_records, read_file, write_records
from mentormatch.models import ImportJob, ImportState, ReviewStatus, User

T = TypeVar("T")
S = ImportState

# The page is updated every this many rows (one small commit each).
PROGRESS_EVERY = 250
# A job left "checking" or "importing" this long was abandoned by a worker that died.
LEASE = timedelta(minutes=15)
# States the page keeps refreshing in.
WORKING = (S.QUEUED, S.CHECKING, S.CONFIRMED, S.IMPORTING)


class Stopped(Exception):
    """The worker was asked to stop in the middle of a file; the job goes back in line."""


def store_upload(
    session: Session,
    user: User,
    filename: str,
    data: bytes,
    kind: str | None,
    review_status: ReviewStatus,
) -> ImportJob:
    """Read the file whole (ImportFileError when it cannot be imported at all) and keep it
    for the worker to check row by row."""
    table = read_file(data, kind)
    job = ImportJob(
        created_by=user,
        filename=filename[:255],
        content=data,
        kind=table.kind,
        review_status=review_status,
        rows_total=len(table.rows) + len(table.errors),
    )
    session.add(job)
    session.flush()
    return job


def confirm(session: Session, job_id: int, only_valid: bool) -> bool:
    """Ask the worker to import a checked file; False when it is no longer waiting for that
    (confirmed or discarded already: a second click, or another coordinator)."""
    condition = [ImportJob.id == job_id, ImportJob.state == S.CHECKED]
    if not only_valid:
        condition.append(ImportJob.valid_rows == ImportJob.rows_total)
    done = session.execute(
        update(ImportJob)
        .where(*condition)
        .values(state=S.CONFIRMED, only_valid=only_valid, rows_done=0, message="")
        .execution_options(synchronize_session=False)
    )
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def discard(session: Session, job_id: int) -> bool:
    """Drop an upload that is not being imported; False when it is too late."""
    done = session.execute(
        update(ImportJob)
        .where(
            ImportJob.id == job_id,
            ImportJob.state.in_((S.QUEUED, S.CHECKED, S.REFUSED, S.FAILED)),
        )
        .values(state=S.DISCARDED, content=None, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def _take(session: Session) -> ImportJob | None:
    """The oldest job waiting for the worker, taken (its state moved on) for this worker."""
    now = utcnow()
    # A worker that died left its job half done: put it back in line.
    for working, waiting in ((S.CHECKING, S.QUEUED), (S.IMPORTING, S.CONFIRMED)):
        session.execute(
            update(ImportJob)
            .where(ImportJob.state == working, ImportJob.updated_at < now - LEASE)
            .values(state=waiting)
            .execution_options(synchronize_session=False)
        )
    session.commit()
    candidates = session.scalars(
        select(ImportJob.id)
        .where(or_(ImportJob.state == S.QUEUED, ImportJob.state == S.CONFIRMED))
        .order_by(ImportJob.id)
        .limit(5)
    )
    for job_id in list(candidates):
        job = session.get(ImportJob, job_id)
        if job is None:
            continue
        target = S.CHECKING if job.state is S.QUEUED else S.IMPORTING
        taken = session.execute(
            update(ImportJob)
            .where(ImportJob.id == job.id, ImportJob.state == job.state)
            .values(state=target, rows_done=0, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        session.commit()
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            session.refresh(job)
            return job
    return None


class _Progress:
    """A `track` for the importer that records every PROGRESS_EVERY rows how far the check
    got (a commit of its own: the check writes nothing else)."""

    def __init__(self, session: Session, job: ImportJob, keep_going: Callable[[], bool]) -> None:
        self.session, self.job, self.keep_going = session, job, keep_going

    def __call__(self, items: Sequence[T], description: str) -> Iterable[T]:
        if description != "Checking":
            yield from items
            return
        for done, item in enumerate(items):
            if done % PROGRESS_EVERY == 0 and done:
                if not self.keep_going():
                    raise Stopped
                self.job.rows_done = done
                self.session.commit()
            yield item
        self.job.rows_done = len(items)
        self.session.commit()


def _problems(result: Any) -> list[list[Any]]:
    return [[error.row, error.column or "", error.message] for error in result.errors]


def run_next(session: Session, keep_going: Callable[[], bool] = lambda: True) -> str:
    """Check the next uploaded file or import the next confirmed one; a line for the log."""
    job = _take(session)
    if job is None:
        return ""
    waiting = S.QUEUED if job.state is S.CHECKING else S.CONFIRMED
    try:
        # The uploader reads the problems and notes: in their language, not the worker's.
        with in_language_of(job.created_by):
            if job.state is S.CHECKING:
                return _check(session, job, keep_going)
            return _import(session, job, keep_going)
    except Stopped:
        session.rollback()
        job.state = waiting
        session.commit()
        return f"import {job.id}: stopped, back in line"


def _check(session: Session, job: ImportJob, keep_going: Callable[[], bool]) -> str:
    try:
        table = read_file(job.content or b"", job.kind)
        checked = check_records(
            session,
            table.kind,
            table.rows,
            track=_Progress(session, job, keep_going),
            read_errors=table.errors,
        )
    except ImportFileError as exc:
        job.state, job.message, job.content = S.REFUSED, str(exc), None
        job.finished_at = utcnow()
        return f"import {job.id}: refused ({exc})"
    result = checked.result
    job.kind = table.kind
    job.rows_total = result.rows_read
    job.rows_done = result.rows_read
    job.valid_rows = result.valid_rows
    job.problems = _problems(result)
    job.notes = [[note.row, note.column, note.message] for note in result.notes]
    job.state = S.CHECKED
    bad = len(result.rejected_rows)
    return f"import {job.id}: checked {result.rows_read} rows, {bad} with problems"


def _import(session: Session, job: ImportJob, keep_going: Callable[[], bool]) -> str:
    table = read_file(job.content or b"", job.kind)
    kind = table.kind
    checked = check_records(
        session,
        kind,
        table.rows,
        track=_Progress(session, job, keep_going),
        read_errors=table.errors,
    )
    result = checked.result
    if (result.errors and not job.only_valid) or not checked.records:
        # Something changed since the check (a phone registered meanwhile): choose again.
        job.problems = _problems(result)
        job.valid_rows = result.valid_rows
        job.state = S.CHECKED
        job.message = _(
            "Checked again before importing, the file now has problems it did not have "
            "(someone may have registered the same people meanwhile). Nothing was imported: "
            "choose again."
        )
        return f"import {job.id}: changed since the check, back to the coordinator"
    registrar = session.get(User, job.created_by_id) if job.created_by_id else None
    job_id = job.id
    try:
        write_records(session, kind, checked.records, registrar, job.review_status)
        job.created = len(checked.records)
        job.state = S.IMPORTED
        job.content = None
        job.finished_at = utcnow()
        job.notes = [[note.row, note.column, note.message] for note in result.notes]
        session.flush()
    except IntegrityError:
        session.rollback()
        failed = session.get(ImportJob, job_id)
        assert failed is not None
        failed.state = S.FAILED
        failed.message = _(
            "Nothing was imported: while the file was being written someone registered one "
            "of its email addresses or phone numbers. Check the file again."
        )
        failed.finished_at = utcnow()
        return f"import {job_id}: failed on a duplicate written meanwhile"
    return f"import {job_id}: {job.created} profiles imported"
