"""Safety reports for coordinators: the list, one report with the reported person's
standing, suspending their profile while looking into it, and closing it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from mentormatch.auth.access import current_account, staff_required
from mentormatch.coordinator import queries as workspace
from mentormatch.coordinator.blueprint import bp, refuse
from mentormatch.coordinator.forms import CloseReportForm, DecisionForm, SuspendForm
from mentormatch.db import get_session
from mentormatch.models import ReportState, ReviewStatus, SafetyReport
from mentormatch.pagination import page_number, paginate_query
from mentormatch.pairings.rules import PairingError
from mentormatch.people import vetting
from mentormatch.people.errors import ActionRefused
from mentormatch.safety import service
from mentormatch.safety.alerts import CATEGORY_LABELS


@bp.get("/reports")
@staff_required
def reports_list() -> ResponseReturnValue:
    """Safety reports: open ones (oldest first) or handled ones, or all."""
    raw = request.args.get("state", "open")
    states = {"open": ReportState.OPEN, "closed": ReportState.CLOSED, "all": None}
    if raw not in states:
        abort(400, _("Choose open, handled or all reports."))
    page = paginate_query(
        get_session(),
        workspace.reports(states[raw]),
        page_number(request.args.get("page")),
        int(current_app.config["PER_PAGE"]),
        args={"state": raw},
    )
    return render_template(
        "coordinator/reports.html", page=page, state=raw, categories=CATEGORY_LABELS
    )


def _report_or_404(report_id: int) -> SafetyReport:
    report = get_session().get(SafetyReport, report_id)
    if report is None:
        abort(404, _("This report does not exist."))
    return report


def _report_page(report: SafetyReport, failed: DecisionForm | None = None) -> ResponseReturnValue:
    profile = vetting.profile_of(report.subject)
    version = {"version": report.version}
    suspend_form: DecisionForm | None = None
    close_form: DecisionForm | None = None
    if report.state is ReportState.OPEN:
        if profile is not None and "suspend" in {d.action for d in vetting.decisions_for(profile)}:
            suspend_form = SuspendForm(data=version)
        close_form = CloseReportForm(data=version)
    if isinstance(failed, SuspendForm):
        suspend_form = failed
    elif failed is not None:
        close_form = failed
    return render_template(
        "coordinator/report.html",
        report=report,
        profile=profile,
        suspended=profile is not None and profile.review_status is ReviewStatus.SUSPENDED,
        suspend_form=suspend_form,
        close_form=close_form,
        categories=CATEGORY_LABELS,
        outcomes=service.OUTCOMES,
        others=[
            r for r in workspace.reports_about(get_session(), report.subject) if r.id != report.id
        ],
        failed=failed,
    ), (400 if failed is not None else 200)


@bp.get("/reports/<int:report_id>")
@staff_required
def report(report_id: int) -> ResponseReturnValue:
    """One report: who reported whom, about what, and what can be done."""
    return _report_page(_report_or_404(report_id))


@bp.post("/reports/<int:report_id>/suspend")
@staff_required
def suspend_reported(report_id: int) -> ResponseReturnValue:
    """Suspend the reported person's profile while the report is looked into."""
    report = _report_or_404(report_id)
    return _handle(
        report,
        SuspendForm(),
        lambda notes: service.suspend_subject(get_session(), report, current_account(), **notes),
        _(
            "%(name)s's profile is suspended while you look into it.",
            name=report.subject.full_name,
        ),
        url_for("coordinator.report", report_id=report.id),
    )


@bp.post("/reports/<int:report_id>/close")
@staff_required
def close_report(report_id: int) -> ResponseReturnValue:
    """Close the report with an outcome."""
    report = _report_or_404(report_id)
    form = CloseReportForm()
    return _handle(
        report,
        form,
        lambda notes: service.close_report(
            get_session(), report, current_account(), outcome=form.outcome.data or "", **notes
        ),
        _("The report is handled; the person who reported it is told."),
        url_for("coordinator.home"),
    )


def _handle(
    report: SafetyReport,
    form: DecisionForm,
    act: Callable[[dict[str, Any]], Any],
    done: str,
    then: str,
) -> ResponseReturnValue:
    """A coordinator's step on a report: check the form, act with its message, private note
    and version, commit, say so; the page again with the errors, or the refusal."""
    if not form.validate_on_submit():
        return _report_page(report, failed=form)
    try:
        act(
            {
                "message": form.message.data or "",
                "private_note": form.private_note.data or "",
                "expected_version": form.expected_version(),
            }
        )
    except (ActionRefused, PairingError) as error:
        return refuse(error)
    get_session().commit()
    flash(done, "success")
    return redirect(then)
