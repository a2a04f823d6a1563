"""What a coordinator does with a safety report: suspend the reported account while looking
into it, then close the report with an outcome, a message to the reporter and a private
note. Each step is in the reported person's trail and on the report itself."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from mentormatch.db import utcnow
from mentormatch.i18n import in_language_of
from mentormatch.models import ReportState, ReviewStatus, SafetyReport, User
from mentormatch.notifications import notify
from mentormatch.pairings.locking import lock_row
from mentormatch.pairings.parties import is_coordinator
from mentormatch.pairings.service import clean_text
from mentormatch.people import accounts, audit, vetting
from mentormatch.people.errors import ActionRefused, InvalidInput, MovedOn, NotAllowed, NotFound

OUTCOMES = {
    "no_action": _l("Looked into: nothing to act on"),
    "warned": _l("The person was warned"),
    "deactivated": _l("The account was deactivated"),
}


def report_for(session: Session, report_id: int, coordinator: User) -> SafetyReport:
    """The report, for a coordinator; NotFound or NotAllowed otherwise."""
    if not is_coordinator(coordinator):
        raise NotAllowed(_("Only programme coordinators handle reports."))
    report = session.get(SafetyReport, report_id)
    if report is None:
        raise NotFound(_("This report does not exist."))
    return report


def open_reports(session: Session, limit: int = 50) -> Sequence[SafetyReport]:
    """Open reports, oldest first: what the coordinators' home page shows at its top."""
    return session.scalars(
        select(SafetyReport)
        .where(SafetyReport.state == ReportState.OPEN)
        .order_by(SafetyReport.created_at, SafetyReport.id)
        .limit(limit)
    ).all()


def _locked_open(
    session: Session, report: SafetyReport, coordinator: User, expected_version: int | None
) -> None:
    if not is_coordinator(coordinator):
        raise NotAllowed(_("Only programme coordinators handle reports."))
    lock_row(session, SafetyReport, report.id)
    session.refresh(report)
    if expected_version is not None and expected_version != report.version:
        raise MovedOn(
            _(
                "This report changed while you were looking at it. Nothing was changed; "
                "reload the page to see where it is now."
            )
        )
    if report.state is not ReportState.OPEN:
        raise ActionRefused(_("This report is already handled. Nothing was changed."))


def _touch(session: Session, report: SafetyReport) -> None:
    """Write the report (its version moves on, so other open pages become stale)."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise MovedOn(
            _(
                "Someone else handled this report at the same moment. Nothing was changed; "
                "reload the page."
            )
        ) from exc


def suspend_subject(
    session: Session,
    report: SafetyReport,
    coordinator: User,
    *,
    message: str = "",
    private_note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> None:
    """Suspend the reported person's profile while the report is looked into."""
    _locked_open(session, report, coordinator, expected_version)
    profile = vetting.profile_of(report.subject)
    if profile is None:
        raise ActionRefused(
            _(
                "%(name)s has no profile to suspend; deactivate the account instead if it "
                "must stop.",
                name=report.subject.full_name,
            )
        )
    vetting.decide(
        session,
        profile,
        coordinator,
        "suspend",
        message=message,
        private_note=private_note,
        report=report,
        now=now,
    )
    report.suspended_at = now or utcnow()
    report.private_note = "\n".join(filter(None, (report.private_note, private_note)))
    _touch(session, report)


def close_report(
    session: Session,
    report: SafetyReport,
    coordinator: User,
    *,
    outcome: str,
    message: str = "",
    private_note: str = "",
    deactivation_reason: str = "conduct",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> None:
    """Close the report with an outcome. "deactivated" closes the reported account; any
    other outcome lifts a suspension this report caused, unless another report about
    the same person is still open. `message` goes to the person who reported."""
    _locked_open(session, report, coordinator, expected_version)
    if outcome not in OUTCOMES:
        raise InvalidInput(_("Choose an outcome from the list."))
    message = clean_text(message, "message")
    private_note = clean_text(private_note, "private note")
    now = now or utcnow()
    subject = report.subject
    if outcome == "deactivated":
        if subject.is_active:
            accounts.deactivate(
                session,
                subject,
                coordinator,
                reason=deactivation_reason,
                private_note=private_note,
                report=report,
                now=now,
            )
    else:
        profile = vetting.profile_of(subject)
        still_open = session.scalar(
            select(func.count())
            .select_from(SafetyReport)
            .where(
                SafetyReport.subject_id == subject.id,
                SafetyReport.state == ReportState.OPEN,
                SafetyReport.id != report.id,
            )
        )
        suspended = profile is not None and profile.review_status is ReviewStatus.SUSPENDED
        if profile is not None and suspended and not still_open:
            vetting.decide(session, profile, coordinator, "reinstate", report=report, now=now)
    report.state = ReportState.CLOSED
    report.outcome = outcome
    report.handled_by_id = coordinator.id
    report.handled_at = now
    report.message = message
    report.private_note = "\n".join(filter(None, (report.private_note, private_note)))
    audit.record(
        session,
        subject,
        "close_report",
        coordinator,
        reason=outcome,
        private_note=private_note,
        report=report,
        now=now,
    )
    _touch(session, report)
    reporter = report.reporter
    if reporter is not None and reporter.is_active:
        with in_language_of(reporter):
            thanks = _(
                "A programme coordinator looked into the problem you reported. Thank you for "
                "telling us."
            )
            if message:
                thanks += "\n\n" + _("Their message:") + "\n" + message
            notify(session, reporter, _("Your report was looked into"), thanks)
    session.flush()
