"""/coordinator/rounds: ask for a proposal, read it beside the baseline, confirm it."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from mentormatch import taxonomy as tx
from mentormatch.auth.access import current_account, staff_required
from mentormatch.db import get_session
from mentormatch.forms import choices
from mentormatch.main.errors import render_error
from mentormatch.models import MatchingRound, PairingKind, RoundStatus
from mentormatch.pagination import page_number, paginate_list
from mentormatch.pairings.service import Policy
from mentormatch.rounds import service
from mentormatch.rounds.forms import ConfirmForm, RoundForm

bp = Blueprint("rounds", __name__, url_prefix="/coordinator/rounds")

PAIRS_PER_PAGE = 50


def _round_form() -> RoundForm:
    session = get_session()
    form = RoundForm()
    form.country.choices = choices(service.countries_with_entrepreneurs(session))
    form.region.choices = choices(
        service.regions_with_entrepreneurs(session), blank=_("Any region")
    )
    form.value_chain.choices = choices(
        (
            (code, tx.chain_name(label))
            for code, label, _examples in tx.value_chain_choices(session)
        ),
        blank=_("Any value chain"),
    )
    return form


@bp.route("", methods=["GET", "POST"])
@staff_required
def start() -> ResponseReturnValue:
    """The round's form and the latest rounds; posting asks the engine for a proposal."""
    session = get_session()
    form = _round_form()
    if form.validate_on_submit():
        wanted = service.RoundRequest(
            kind=PairingKind(form.kind.data),
            country=form.country.data or "",
            region=form.region.data or None,
            value_chain=form.value_chain.data or None,
            quotas={
                name: value
                for name in service.GROUPS
                if (value := getattr(form, name).data) is not None
            },
            each_region=form.each_region.data,
            per_investor=form.per_investor.data or service.DEFAULT_PER_INVESTOR,
        )
        try:
            matching_round = service.propose(
                session,
                current_account(),
                wanted,
                policy=Policy.from_config(current_app.config),
            )
        except service.RoundError as error:
            session.rollback()
            form.country.errors = [*form.country.errors, error.message]
        else:
            session.commit()
            return redirect(url_for("rounds.show", round_id=matching_round.id))
    status = 400 if form.errors else 200
    rounds = service.recent_rounds(session)
    return render_template("rounds/start.html", form=form, rounds=rounds), status


def _round(round_id: int) -> MatchingRound:
    matching_round = get_session().get(MatchingRound, round_id)
    if matching_round is None:
        abort(404, _("This matching round does not exist."))
    return matching_round


@bp.get("/<int:round_id>")
@staff_required
def show(round_id: int) -> ResponseReturnValue:
    """The proposal beside "each takes their own top suggestion", who is left out and why,
    the quotas; once confirmed, the introductions it created and where they are."""
    session = get_session()
    matching_round = _round(round_id)
    entrepreneurs, members = service.names(session, matching_round)
    pairs = paginate_list(
        matching_round.proposal.get("pairs", []),
        page_number(request.args.get("page")),
        PAIRS_PER_PAGE,
        args={"round_id": matching_round.id},
    )
    confirmed = matching_round.status is RoundStatus.CONFIRMED
    return render_template(
        "rounds/show.html",
        round=matching_round,
        proposal=matching_round.proposal,
        pairs=pairs,
        entrepreneurs=entrepreneurs,
        members=members,
        introductions=service.introductions_of(session, matching_round) if confirmed else [],
        confirm_form=None if confirmed else ConfirmForm(),
        left_out_words=service.left_out_words,
        quota_words=service.quota_words,
    )


@bp.post("/<int:round_id>/confirm")
@staff_required
def confirm(round_id: int) -> ResponseReturnValue:
    """Send the proposal's pairs to both sides as proposals to accept."""
    session = get_session()
    matching_round = _round(round_id)
    if not ConfirmForm().validate_on_submit():
        return render_error(400, _("The form expired. Go back, reload the page and confirm again."))
    try:
        done = service.confirm(
            session,
            matching_round,
            current_account(),
            policy=Policy.from_config(current_app.config),
        )
    except service.RoundError as error:
        session.rollback()
        return render_error(error.status, error.message)
    session.commit()
    said = ngettext(
        "%(num)d introduction proposed: both sides are asked to agree.",
        "%(num)d introductions proposed: both sides of each are asked to agree.",
        done.created,
    )
    if done.skipped:
        said += " " + ngettext(
            "%(num)d skipped: %(why)s",
            "%(num)d skipped: %(why)s",
            len(done.skipped),
            why=" ".join(done.skipped[:5]),
        )
    flash(said, "success")
    return redirect(url_for("rounds.show", round_id=matching_round.id))
