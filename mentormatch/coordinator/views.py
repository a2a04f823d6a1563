"""The coordinator's workspace: each area's pages live in their own module of this package
and register on the one blueprint (`bp`): home (what needs action today), people (the list,
a person's page, vetting, deactivation, proposing), pairings (every pairing), reports
(safety), and here the approval queue and the review of one introduction."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import false

from mentormatch.auth.access import current_account, staff_required
from mentormatch.coordinator import queries as workspace
from mentormatch.coordinator.blueprint import bp
from mentormatch.coordinator.forms import QueueFilterForm
from mentormatch.db import get_session
from mentormatch.forms import choices
from mentormatch.introductions.forms import TransitionForm
from mentormatch.models import Pairing, PairingKind
from mentormatch.pagination import page_number, paginate_query
from mentormatch.pairings import parties, queries, service

__all__ = ["bp"]


def _filter_form() -> QueueFilterForm:
    form = QueueFilterForm(request.args)
    countries, chains = queries.approval_filter_choices(get_session())
    form.country.choices = choices(countries, blank=_("Any"))
    form.value_chain.choices = choices(chains, blank=_("Any"))
    return form


@bp.get("/approvals")
@staff_required
def queue() -> ResponseReturnValue:
    """Accepted introductions waiting for approval, oldest first, filterable, paginated."""
    form = _filter_form()
    valid = form.validate() if request.args else True
    filters = {
        name: value
        for name, value in (
            ("country", form.country.data),
            ("value_chain", form.value_chain.data),
            ("kind", form.kind.data),
        )
        if valid and value
    }
    statement = queries.approval_queue(**filters)
    if not valid:
        statement = statement.where(false())  # a bad filter lists nothing, not everything
    page = paginate_query(
        get_session(),
        statement,
        page_number(request.args.get("page")),
        int(current_app.config["PER_PAGE"]),
        args=filters,
    )
    return render_template("coordinator/queue.html", form=form, page=page), (200 if valid else 400)


@bp.get("/pairings/<int:pairing_id>")
@staff_required
def review(pairing_id: int) -> ResponseReturnValue:
    """One introduction in full: both profiles side by side with the match reasons, loads
    and histories, its trail with private notes, ratings, reports, and the decisions that
    can succeed now (never one that must fail: the page says why instead)."""
    me = current_account()
    session = get_session()
    pairing = session.get(Pairing, pairing_id)
    if pairing is None:
        abort(404, _("This introduction does not exist."))
    blockers = (
        service.approval_blockers(session, pairing) if pairing.state.value == "accepted" else []
    )
    forms = {
        action: TransitionForm(
            action, pairing.id, coordinator=True, data={"version": pairing.version}
        )
        for action in parties.available_actions(pairing, me)
        if not (action == "approve" and blockers)
    }
    return render_template(
        "coordinator/review.html",
        pairing=pairing,
        forms=forms,
        blockers=blockers,
        coaching_load=queries.coaching_load(session, pairing.diaspora),
        entrepreneur_history=queries.history_of_profile(session, pairing.entrepreneur, pairing.id),
        diaspora_history=queries.history_of_profile(session, pairing.diaspora, pairing.id),
        ratings=workspace.ratings_of_pairing(session, pairing),
        reports=workspace.reports_on_pairing(session, pairing),
        coaching=PairingKind.COACHING,
    )


# The other areas register their routes on `bp` when imported.
from mentormatch.coordinator import home, pairings, people, reports  # noqa: E402, F401
