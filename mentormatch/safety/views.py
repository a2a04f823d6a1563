"""Report a problem, from an introduction's page or a profile's page; coordinators are
alerted at once. Handling reports is on the coordinators' pages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from mentormatch.auth.access import current_account
from mentormatch.db import get_session
from mentormatch.main.errors import render_error
from mentormatch.models import DiasporaProfile, EntrepreneurProfile, Pairing, User
from mentormatch.pairings import parties
from mentormatch.pairings.rules import PairingError
from mentormatch.people.errors import ActionRefused
from mentormatch.people.visibility import can_view
from mentormatch.safety import alerts
from mentormatch.safety.forms import ReportForm

bp = Blueprint("safety", __name__)


@bp.app_template_global()
def category_label(code: str) -> str:
    """The words for a report's category, for templates."""
    return str(alerts.CATEGORY_LABELS.get(code, code))


THANKS = _l(
    "Thank you: your report is sent to the programme coordinators, who look into it at "
    "once. The person you reported is not told who reported them."
)


def _report_page(
    form: ReportForm, subject: User, back: str, pairing: Pairing | None = None
) -> ResponseReturnValue:
    """Show the form; on a valid post, file the report and go back where it came from."""
    me = current_account()
    if form.validate_on_submit():
        try:
            alerts.file_report(
                get_session(),
                reporter=me,
                subject=subject,
                pairing=pairing,
                category=form.category.data or "",
                description=form.description.data or "",
            )
        except ActionRefused as error:
            get_session().rollback()
            return render_error(error.status, error.message)
        get_session().commit()
        flash(str(THANKS), "success")
        return redirect(back)
    return render_template(
        "safety/report.html", form=form, subject=subject, pairing=pairing, back=back
    ), (400 if form.errors else 200)


@bp.route("/pairings/<int:pairing_id>/report", methods=["GET", "POST"])
@login_required
def report_pairing(pairing_id: int) -> ResponseReturnValue:
    """Report a problem with an introduction: about the other person in it."""
    me = current_account()
    try:
        pairing = parties.pairing_for(get_session(), pairing_id, me)
    except PairingError as error:
        abort(404, error.message)
    if not parties.is_party(pairing, me):
        return render_error(403, _("Coordinators act on introductions from their own pages."))
    subject = parties.other_party(pairing, me)
    back = url_for("introductions.pairing", pairing_id=pairing.id)
    return _report_page(ReportForm(), subject, back, pairing)


@bp.route(
    "/people/<any(entrepreneurs, diaspora):side>/<int:profile_id>/report", methods=["GET", "POST"]
)
@login_required
def report_profile(side: str, profile_id: int) -> ResponseReturnValue:
    """Report a problem with a profile someone can see."""
    me = current_account()
    profile: EntrepreneurProfile | DiasporaProfile | None
    if side == "entrepreneurs":
        profile = get_session().get(EntrepreneurProfile, profile_id)
    else:
        profile = get_session().get(DiasporaProfile, profile_id)
    if profile is None or not can_view(profile, me):
        abort(404)
    if me.is_staff:
        return render_error(403, _("Coordinators act on profiles from the people pages."))
    if profile.user_id == me.id:
        return render_error(403, _("You cannot report your own profile."))
    endpoint = "profiles.entrepreneur" if side == "entrepreneurs" else "profiles.diaspora"
    return _report_page(ReportForm(), profile.user, url_for(endpoint, profile_id=profile.id))
