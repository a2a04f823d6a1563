"""/coordinator/pairings: every pairing in any state, with filters; each links to its full
page (views.review)."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from mentormatch.auth.access import staff_required
from mentormatch.coordinator import queries as workspace
from mentormatch.coordinator.blueprint import bp
from mentormatch.coordinator.forms import PairingFilterForm
from mentormatch.db import get_session, utcnow
from mentormatch.forms import choices
from mentormatch.models import Pairing, PairingKind, PairingState
from mentormatch.pagination import page_number, paginate_query
from mentormatch.pairings import queries
from mentormatch.pairings.service import Policy


def _form() -> PairingFilterForm:
    session = get_session()
    form = PairingFilterForm(request.args)
    countries, chains = queries.approval_filter_choices(session)
    form.state.choices = choices(((s.value, s.label) for s in PairingState), blank=_("Any"))
    form.country.choices = choices(countries, blank=_("Any"))
    form.value_chain.choices = choices(
        [(code, label.partition(": ")[0]) for code, label in chains], blank=_("Any")
    )
    form.coordinator.choices = choices(
        [(str(ident), name) for ident, name in workspace.coordinators(session)],
        blank=_("Anyone"),
    )
    return form


@bp.get("/pairings")
@staff_required
def pairings_list() -> ResponseReturnValue:
    """Every pairing, latest change first, filtered by state, kind, country, value chain,
    period, deciding coordinator, or what needs attention."""
    form = _form()
    valid = form.validate() if request.args else True
    statement = queries.every_pairing(queries.PairingFilters())
    if valid:
        statement = queries.every_pairing(
            queries.PairingFilters(
                state=PairingState(form.state.data) if form.state.data else None,
                kind=PairingKind(form.kind.data) if form.kind.data else None,
                country=form.country.data or None,
                value_chain=form.value_chain.data or None,
                since=form.since.data,
                until=form.until.data,
                coordinator_id=int(form.coordinator.data) if form.coordinator.data else None,
            )
        )
        attention = form.attention.data
        if attention == "expiring":
            policy = Policy.from_config(current_app.config)
            soon = workspace.expiring_soon(utcnow(), policy.reminder_days)
            statement = statement.where(Pairing.id.in_(soon.with_only_columns(Pairing.id)))
        elif attention == "full":
            stuck = workspace.stuck_on_capacity().with_only_columns(Pairing.id)
            statement = statement.where(Pairing.id.in_(stuck))
    else:
        statement = statement.where(Pairing.id.is_(None))  # a bad filter lists nothing
    args = {k: v for k, v in request.args.items() if k != "page" and v} if valid else {}
    page = paginate_query(
        get_session(),
        statement,
        page_number(request.args.get("page")),
        int(current_app.config["PER_PAGE"]),
        args=args,
    )
    return render_template("coordinator/pairings.html", form=form, page=page), (
        200 if valid else 400
    )
