"""Pages for asking, answering and following introductions. Views hold no rules:
each one parses a form, calls one function of mentormatch.pairings, renders or redirects."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from mentormatch.auth.access import current_account, role_required
from mentormatch.db import get_session
from mentormatch.followup import service as followup
from mentormatch.followup.forms import CheckInForm, FollowWithInvestmentForm
from mentormatch.introductions.forms import FeedbackForm, RequestForm, TransitionForm
from mentormatch.main.errors import render_error
from mentormatch.models import (
    Instrument,
    Pairing,
    PairingEvent,
    PairingKind,
    PairingState,
    Role,
    User,
)
from mentormatch.money.store import latest_rates
from mentormatch.notifications import (
    link_of,
    mark_all_read,
    recent_notifications,
    unread_count,
)
from mentormatch.pairings import contacts, parties, queries, service
from mentormatch.pairings.rules import (
    ACTION_LABELS,
    REASON_LABELS,
    STATE_WORDS,
    PairingError,
)

bp = Blueprint("introductions", __name__)

PARTY_ROLES = (Role.ENTREPRENEUR, Role.DIASPORA)
DONE_MESSAGES = {
    "agree": _l("You agreed. The other person is now asked to accept."),
    "decline_proposal": _l("You declined the proposed introduction."),
    "accept": _l("You accepted. A coordinator will review the introduction."),
    "decline": _l("You declined the request."),
    "withdraw": _l("Your request is withdrawn."),
    "approve": _l("Introduction approved. Both people are notified."),
    "reject": _l("Introduction not approved. Both people are notified."),
    "complete": _l("The introduction is marked as completed."),
    "close": _l("The introduction is closed."),
}


@bp.app_context_processor
def _header_counts() -> dict[str, Any]:
    """The unread-notification count shown in the header on every page."""
    try:
        if not current_user.is_authenticated:
            return {"unread_notifications": 0}
        return {"unread_notifications": unread_count(get_session(), current_account())}
    except SQLAlchemyError:
        # An error page after a failed transaction, or with the database down, must still
        # render, without the count.
        return {"unread_notifications": 0}


@bp.app_template_global()
def reason_label(code: str | None) -> str:
    """The words for a reason code, for templates."""
    return str(REASON_LABELS.get(code or "", code or ""))


@bp.app_template_global()
def state_word(state: PairingState) -> str:
    """A state in one word ("requested"), for the history's "requested → accepted"."""
    return str(STATE_WORDS.get(state.value, state.value))


@bp.app_template_global()
def introduction_title(kind: PairingKind) -> str:
    """ "Coaching introduction" or "Investment introduction", as a title."""
    if kind is PairingKind.COACHING:
        return str(_("Coaching introduction"))
    return str(_("Investment introduction"))


@bp.app_template_global()
def bdi(text: str, strong: bool = False) -> Markup:
    """A name people typed, isolated so it reads right inside a sentence in any direction
    (and in bold when `strong`); to pass into a translated sentence in a template."""
    if strong:
        return Markup("<strong><bdi>{}</bdi></strong>").format(text)
    return Markup("<bdi>{}</bdi>").format(text)


@bp.app_template_global()
def score_markup(score: float) -> Markup:
    """A match score out of 100, in the reader's digits, to sit inside a sentence."""
    return Markup('<span class="score">{}</span>').format(format_decimal(round(score * 100)))


@bp.app_template_global()
def instrument_label(code: str | None) -> str:
    """The words for a kind of money (grant, loan…)."""
    try:
        return str(Instrument(code or "").label)
    except ValueError:
        return code or ""


@bp.app_template_global()
def notification_link(body: str) -> str | None:
    """Where a notification points (a page of this site), for templates."""
    return link_of(body)


@bp.app_template_global()
def pairing_message(pairing: Pairing) -> str:
    """What the requester or coordinator wrote with an introduction; for one a matching
    round proposed, that fact in the reader's language (not the confirming coordinator's)."""
    if pairing.message:
        return pairing.message
    if pairing.round_id is not None:
        return str(_("Proposed in matching round %(number)d.", number=pairing.round_id))
    return ""


@bp.app_template_global()
def event_note(event: PairingEvent) -> str:
    """An event's note for the history; a round's proposal says so in the reader's language."""
    if not event.note and event.action == "propose":
        return pairing_message(event.pairing)
    return event.note or ""


@bp.app_template_global()
def action_label(action: str) -> str:
    """The words for an action, for templates."""
    return str(ACTION_LABELS.get(action, action))


def _refuse(error: PairingError) -> ResponseReturnValue:
    """Undo anything half-done and say why, with the error's status (403/404/409/400)."""
    get_session().rollback()
    return render_error(error.status, error.message)


def _visible_pairing(pairing_id: int, user: User) -> Pairing:
    try:
        return parties.pairing_for(get_session(), pairing_id, user)
    except PairingError as error:
        abort(404, error.message)


def _profile_id(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None


# --- asking ------------------------------------------------------------------------


@bp.route("/introductions/new", methods=["GET", "POST"])
@role_required(*PARTY_ROLES)
def new() -> ResponseReturnValue:
    """Ask for an introduction from a suggestion, with an optional message."""
    me = current_account()
    session = get_session()
    source = request.form if request.method == "POST" else request.args
    try:
        entrepreneur, diaspora = queries.parties_of_request(
            session,
            me,
            _profile_id(source.get("entrepreneur_id")),
            _profile_id(source.get("diaspora_id")),
        )
    except PairingError as error:
        abort(error.status, error.message)
    kind = source.get("kind") or ("coaching" if diaspora.offers_coaching else "investment")
    policy = service.Policy.from_config(current_app.config)
    refusal = None
    if request.method == "GET":
        # Opened by URL: say at once why a request would be refused (cooling-off, a
        # profile waiting for review, no such offer) instead of offering to send it.
        try:
            service.check_can_ask(session, me, entrepreneur, diaspora, kind, policy)
        except PairingError as error:
            refusal = error.message
    form = RequestForm(
        data={"entrepreneur_id": entrepreneur.id, "diaspora_id": diaspora.id, "kind": kind}
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        try:
            pairing = service.request_introduction(
                session,
                me,
                entrepreneur_id=entrepreneur.id,
                diaspora_id=diaspora.id,
                kind=form.kind.data or "",
                message=form.message.data or "",
                policy=policy,
            )
        except PairingError as error:
            return _refuse(error)
        session.commit()
        flash(_("Your request is sent. You will be told when they answer."), "success")
        return redirect(url_for("introductions.pairing", pairing_id=pairing.id))
    status = 400 if form.errors else 200
    other = diaspora if me.id == entrepreneur.user_id else entrepreneur
    return render_template(
        "introductions/new.html",
        form=form,
        other=other,
        kind=kind,
        entrepreneur=entrepreneur,
        diaspora=diaspora,
        refusal=refusal,
    ), status


# --- the inbox and one pairing -------------------------------------------------------


def _forms_for(pairing: Pairing, user: User) -> dict[str, TransitionForm]:
    coordinator = parties.is_coordinator(user)
    return {
        action: TransitionForm(
            action, pairing.id, coordinator=coordinator, data={"version": pairing.version}
        )
        for action in parties.available_actions(pairing, user)
    }


@bp.get("/inbox")
@role_required(*PARTY_ROLES)
def inbox() -> ResponseReturnValue:
    """Incoming and outgoing requests with their buttons, then introductions and the past."""
    me = current_account()
    groups = queries.inbox_of(get_session(), me)
    forms = {p.id: _forms_for(p, me) for p in groups["incoming"] + groups["outgoing"]}
    return render_template("introductions/inbox.html", groups=groups, forms=forms, me=me)


def _check_in_policy() -> followup.CheckInPolicy:
    return followup.CheckInPolicy.from_config(current_app.config)


def _pairing_page(
    pairing: Pairing,
    me: User,
    failed: TransitionForm | FeedbackForm | CheckInForm | None = None,
) -> ResponseReturnValue:
    session = get_session()
    contact = contacts.reveal_contact(session, pairing, me)
    forms = _forms_for(pairing, me)
    feedback_form = FeedbackForm() if contacts.can_rate(session, pairing, me) else None
    due = followup.due_check_ins(session, pairing, me, _check_in_policy())
    check_in_form = CheckInForm(pairing, due, latest_rates(session)) if due else None
    if isinstance(failed, TransitionForm):
        forms[failed.action] = failed
    elif isinstance(failed, FeedbackForm):
        feedback_form = failed
    elif isinstance(failed, CheckInForm):
        check_in_form = failed
    my_feedback = contacts.feedback_by(session, pairing, me)
    invest_form = (
        FollowWithInvestmentForm() if followup.can_follow_with_investment(pairing, me) else None
    )
    check_ins = followup.check_ins_of(session, pairing)
    session.commit()  # the contact view log
    return render_template(
        "introductions/pairing.html",
        pairing=pairing,
        contact=contact,
        forms=forms,
        feedback_form=feedback_form,
        my_feedback=my_feedback,
        check_in_form=check_in_form,
        check_ins=check_ins,
        invest_form=invest_form,
        me=me,
        is_party=parties.is_party(pairing, me),
    ), (400 if failed is not None else 200)


@bp.get("/pairings/<int:pairing_id>")
@login_required
def pairing(pairing_id: int) -> ResponseReturnValue:
    """One introduction: both sides, the reasons, its history, contact details once approved."""
    me = current_account()
    return _pairing_page(_visible_pairing(pairing_id, me), me)


@bp.post("/pairings/<int:pairing_id>/<action>")
@login_required
def act(pairing_id: int, action: str) -> ResponseReturnValue:
    """Agree to or decline a proposal; accept, decline, withdraw, approve, reject, complete
    or close one pairing."""
    if action not in service.TRANSITION_FUNCTIONS:
        abort(404)
    me = current_account()
    pairing = _visible_pairing(pairing_id, me)
    if not parties.may(pairing, me, action):
        return render_error(403, parties.not_allowed_message(action))
    form = TransitionForm(action, pairing.id, coordinator=parties.is_coordinator(me))
    if not form.validate_on_submit():
        return _pairing_page(pairing, me, failed=form)
    arguments: dict[str, Any] = {
        "note": form.note.data or "",
        "expected_version": form.expected_version(),
    }
    if "reason" in form:
        arguments["reason"] = form.reason.data
    if "private_note" in form:
        arguments["private_note"] = form.private_note.data or ""
    try:
        service.TRANSITION_FUNCTIONS[action](get_session(), pairing, me, **arguments)
    except PairingError as error:
        return _refuse(error)
    get_session().commit()
    flash(str(DONE_MESSAGES[action]), "success")
    if action in ("approve", "reject"):
        return redirect(url_for("coordinator.queue"))
    if parties.is_coordinator(me):
        return redirect(url_for("coordinator.review", pairing_id=pairing.id))
    if action in ("agree", "decline_proposal", "accept", "decline", "withdraw"):
        return redirect(url_for("introductions.inbox"))
    return redirect(url_for("introductions.pairing", pairing_id=pairing.id))


@bp.post("/pairings/<int:pairing_id>/feedback")
@login_required
def feedback(pairing_id: int) -> ResponseReturnValue:
    """Rate an approved introduction once, 1 to 5, with an optional comment."""
    me = current_account()
    pairing = _visible_pairing(pairing_id, me)
    if not parties.is_party(pairing, me):
        return render_error(403, _("Only the two people introduced can rate an introduction."))
    form = FeedbackForm()
    if not form.validate_on_submit():
        return _pairing_page(pairing, me, failed=form)
    try:
        contacts.leave_feedback(
            get_session(),
            pairing,
            me,
            rating=form.rating.data or 0,
            comment=form.comment.data or "",
        )
    except PairingError as error:
        return _refuse(error)
    get_session().commit()
    flash(_("Thank you: your rating is saved."), "success")
    return redirect(url_for("introductions.pairing", pairing_id=pairing.id))


# --- after approval: check-ins and coaching -> investment ------------------------------------


@bp.post("/pairings/<int:pairing_id>/check-ins")
@login_required
def check_in(pairing_id: int) -> ResponseReturnValue:
    """File one side's 30- or 90-day check-in (met? sessions, what changed, money)."""
    me = current_account()
    pairing = _visible_pairing(pairing_id, me)
    if not parties.is_party(pairing, me):
        return render_error(403, _("Only the two people introduced can file a check-in."))
    session = get_session()
    policy = _check_in_policy()
    form = CheckInForm(
        pairing, followup.due_check_ins(session, pairing, me, policy), latest_rates(session)
    )
    if not form.validate_on_submit():
        return _pairing_page(pairing, me, failed=form)
    money: dict[str, Any] = {}
    if "money_committed" in form:
        money = {
            "money_committed": form.money_committed.data,
            "amount": form.amount.data,
            "currency": form.currency.data or None,
            "instrument": form.instrument.data or None,
        }
    try:
        followup.file_check_in(
            session,
            pairing,
            me,
            day=form.day.data,
            met=bool(form.met.data),
            sessions=form.sessions.data or 0,
            what_changed=form.what_changed.data or "",
            policy=policy,
            **money,
        )
    except PairingError as error:
        return _refuse(error)
    session.commit()
    flash(_("Thank you: your check-in is saved."), "success")
    return redirect(url_for("introductions.pairing", pairing_id=pairing.id))


@bp.post("/pairings/<int:pairing_id>/investment")
@login_required
def follow_with_investment(pairing_id: int) -> ResponseReturnValue:
    """From a coaching introduction, ask for (or, as a coordinator, propose) an investment
    introduction with the same member, in one step."""
    me = current_account()
    pairing = _visible_pairing(pairing_id, me)
    if not (parties.is_party(pairing, me) or parties.is_coordinator(me)):
        return render_error(403, _("Only the two people introduced or a coordinator can do this."))
    form = FollowWithInvestmentForm()
    if not form.validate_on_submit():
        return render_error(400, _("The form expired. Go back, reload the page and try again."))
    try:
        investment = followup.follow_with_investment(
            get_session(), pairing, me, policy=service.Policy.from_config(current_app.config)
        )
    except PairingError as error:
        return _refuse(error)
    get_session().commit()
    flash(_("The investment introduction is asked for; both of you will be told."), "success")
    return redirect(url_for("introductions.pairing", pairing_id=investment.id))


# --- notifications and contact views ---------------------------------------------------


@bp.get("/notifications")
@login_required
def notifications() -> ResponseReturnValue:
    """The latest notifications, new ones marked; opening the list marks them read."""
    me = current_account()
    session = get_session()
    items = recent_notifications(session, me)
    unread_ids = {n.id for n in items if n.read_at is None}
    page = render_template(
        "introductions/notifications.html",
        items=items,
        unread_ids=unread_ids,
        unread_notifications=0,
    )
    mark_all_read(session, me)
    session.commit()
    return page


@bp.get("/contact-views")
@login_required
def contact_views() -> ResponseReturnValue:
    """Who was shown my contact details, and when."""
    me = current_account()
    views = contacts.contact_views_of(get_session(), me)
    return render_template("introductions/contact_views.html", views=views)
