"""Import (CSV or XLSX, checked and imported by the worker) and export (CSV or XLSX) in
the coordinator's pages."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from mentormatch.auth.access import current_account, staff_required
from mentormatch.db import get_session, utcnow
from mentormatch.importer import MAX_FILE_BYTES, ImportFileError, too_big_message
from mentormatch.models import ImportJob, ImportState, ReviewStatus
from mentormatch.transfers import exports, jobs
from mentormatch.transfers.exports import spreadsheet_safe
from mentormatch.transfers.forms import (
    ConfirmForm,
    DiscardForm,
    PairingFilterForm,
    PeopleFilterForm,
    UploadForm,
)

bp = Blueprint("transfers", __name__, url_prefix="/coordinator")

# Problems listed on the page; all of them are in the downloadable list.
PROBLEMS_SHOWN = 100
# Room for the form fields around the file.
UPLOAD_MARGIN = 64 * 1024


@bp.url_value_preprocessor
def _allow_large_uploads(endpoint: str | None, values: dict[str, Any] | None) -> None:
    # Runs before every before_request function (the guards read the form): only the
    # import page accepts files larger than the app's MAX_CONTENT_LENGTH.
    if endpoint == "transfers.upload":
        request.max_content_length = MAX_FILE_BYTES + UPLOAD_MARGIN


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    if request.endpoint != "transfers.upload":
        return error
    size = request.content_length or MAX_FILE_BYTES + 1
    return _upload_page(UploadForm(formdata=None), 413, too_big_message(size))


def _upload_page(form: UploadForm, status: int, refusal: str | None = None) -> ResponseReturnValue:
    recent = get_session().scalars(select(ImportJob).order_by(ImportJob.id.desc()).limit(10)).all()
    return render_template(
        "transfers/upload.html", form=form, refusal=refusal, recent=recent
    ), status


@bp.route("/import", methods=["GET", "POST"])
@staff_required
def upload() -> ResponseReturnValue:
    """Upload a CSV or XLSX file; a file that cannot be imported at all is refused here."""
    if request.method == "GET":
        return _upload_page(UploadForm(), 200)
    form = UploadForm()  # a file over the limit is refused before this (_too_large)
    if not form.validate_on_submit():
        return _upload_page(form, 400)
    storage = form.file.data
    data = storage.read(MAX_FILE_BYTES + 1)
    session = get_session()
    try:
        job = jobs.store_upload(
            session,
            current_account(),
            storage.filename or "upload",
            data,
            form.kind.data or None,
            ReviewStatus(form.review_status.data),
        )
    except ImportFileError as exc:
        session.rollback()
        return _upload_page(form, 400, str(exc))
    session.commit()
    return redirect(url_for("transfers.progress", job_id=job.id))


def _job(job_id: int) -> ImportJob:
    job = get_session().get(ImportJob, job_id)
    if job is None:
        abort(404, _("This import does not exist."))
    return job


@bp.get("/imports/<int:job_id>")
@staff_required
def progress(job_id: int) -> ResponseReturnValue:
    """Where an import is: its progress (the page refreshes itself), then the problems row
    by row and the choice of what to import, then what was imported."""
    job = _job(job_id)
    problems = job.problems or []
    rejected = len({row for row, _, _ in problems})
    return render_template(
        "transfers/progress.html",
        job=job,
        S=ImportState,
        working=job.state in jobs.WORKING,
        problems=problems[:PROBLEMS_SHOWN],
        more_problems=max(0, len(problems) - PROBLEMS_SHOWN),
        rejected=rejected,
        confirm_form=ConfirmForm(),
        discard_form=DiscardForm(),
    )


@bp.get("/imports/<int:job_id>/problems.csv")
@staff_required
def problems_csv(job_id: int) -> ResponseReturnValue:
    """Every problem of a checked file, to fix it in a spreadsheet."""
    job = _job(job_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["row", "column", "problem"])
    for row, column, message in job.problems or []:
        writer.writerow([row, spreadsheet_safe(column), spreadsheet_safe(message)])
    return _download(
        ("\ufeff" + out.getvalue()).encode(), exports.CSV_TYPE, f"import-{job.id}-problems.csv"
    )


@bp.post("/imports/<int:job_id>/confirm")
@staff_required
def confirm(job_id: int) -> ResponseReturnValue:
    """Import all rows, or only the valid ones (the worker does it)."""
    job = _job(job_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400, _("Choose all rows or only the valid rows."))
    session = get_session()
    if not jobs.confirm(session, job.id, only_valid=form.rows.data == "valid"):
        session.rollback()
        abort(
            409,
            _(
                "This import is no longer waiting for a choice: it was confirmed or discarded "
                "already (a second click, or another coordinator), or it has rows with "
                "problems and only the valid rows can be imported."
            ),
        )
    session.commit()
    flash(_("The import has started: this page shows how far it is."), "info")
    return redirect(url_for("transfers.progress", job_id=job.id))


@bp.post("/imports/<int:job_id>/discard")
@staff_required
def discard(job_id: int) -> ResponseReturnValue:
    """Drop an upload before it is imported."""
    job = _job(job_id)
    if not DiscardForm().validate_on_submit():
        abort(400, _("The form expired. Open the import again."))
    session = get_session()
    if not jobs.discard(session, job.id):
        session.rollback()
        abort(409, _("This import can no longer be discarded: it is being imported or is done."))
    session.commit()
    flash(_("The file was discarded; nothing was imported."), "info")
    return redirect(url_for("transfers.upload"))


# --- export -------------------------------------------------------------------------------


def _filter_forms() -> tuple[PeopleFilterForm, PairingFilterForm]:
    session = get_session()
    chains = exports.value_chain_choices(session)
    people = PeopleFilterForm(request.args, prefix="")
    people.prepare(chains)
    pairings = PairingFilterForm(request.args, prefix="")
    pairings.prepare(chains, exports.coordinators(session))
    return people, pairings


@bp.get("/export")
@staff_required
def export_page() -> ResponseReturnValue:
    """Choose what to export and the filters; the latest exports are listed."""
    people, pairings = _filter_forms()
    return render_template(
        "transfers/export.html",
        people=people,
        pairings=pairings,
        recent=exports.recent_exports(get_session()),
        with_contacts=bool(current_app.config["EXPORT_CONTACT_DETAILS"]),
    )


@bp.get("/export/<any(people, pairings):subject>.<any(csv, xlsx):file_format>")
@staff_required
def download(subject: str, file_format: str) -> ResponseReturnValue:
    """The export file for the filters in the query string; logged."""
    people, pairings = _filter_forms()
    form: Any = people if subject == "people" else pairings
    if request.args and not form.validate():
        problems = "; ".join(
            f"{form[name].label.text}: {' '.join(errors)}" for name, errors in form.errors.items()
        )
        abort(400, _("These filters cannot be used: %(problems)s", problems=problems))
    session = get_session()
    data, content_type = exports.export(
        session,
        current_account(),
        subject,
        file_format,
        form.to_filters(),
        with_contacts=bool(current_app.config["EXPORT_CONTACT_DETAILS"]),
    )
    session.commit()
    name = f"mentormatch-{subject}-{utcnow():%Y-%m-%d}.{file_format}"
    return _download(data, content_type, name)


def _download(data: bytes, content_type: str, filename: str) -> Response:
    response = Response(data, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
