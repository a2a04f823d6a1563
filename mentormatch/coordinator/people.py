"""People: the searchable list, the vetting queue, a person's page with their profile,
suggestions, pairings, ratings and trail, and the decisions about them (vetting,
deactivation), and proposing an introduction from their suggestions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from mentormatch import taxonomy
from mentormatch.auth.access import current_account, staff_required
from mentormatch.coordinator import queries as workspace
from mentormatch.coordinator.blueprint import bp, refuse
from mentormatch.coordinator.forms import (
    DeactivateForm,
    DecisionForm,
    PeopleFilterForm,
    ProposeForm,
    ReactivateForm,
    ReviewForm,
)
from mentormatch.db import get_session, utcnow
from mentormatch.forms import choices
from mentormatch.matches import service as matches
from mentormatch.matching import Kind
from mentormatch.models import (
    DiasporaProfile,
    EntrepreneurProfile,
    PairingKind,
    User,
    ValueChain,
)
from mentormatch.pagination import Page, page_number, paginate_query
from mentormatch.pairings import queries, service
from mentormatch.pairings.rules import PairingError
from mentormatch.people import accounts, audit, search, vetting
from mentormatch.people.errors import ActionRefused
from mentormatch.people.visibility import is_public
from mentormatch.safety.alerts import CATEGORY_LABELS
from mentormatch.safety.service import OUTCOMES

# The reasons a person's trail records, in words.
TRAIL_REASONS = {
    **accounts.DEACTIVATION_REASONS,
    **CATEGORY_LABELS,
    **OUTCOMES,
    "offers_investment": _l("started offering investment: investors are always vetted"),
}

# Introductions and lines of the trail shown on a person's page, newest first (the page
# stays under 60 KB; every pairing is in /coordinator/pairings).
ON_PAGE = 50
# Suggestions shown per kind on a person's page (the best ones; each can be proposed).
SUGGESTIONS_ON_PAGE = 5


def _people_form() -> PeopleFilterForm:
    session = get_session()
    form = PeopleFilterForm(request.args)
    countries = search.countries_of_people(session)
    form.status.choices = choices(search.status_choices(), blank=_("Any"))
    form.country.choices = choices(countries, blank=_("Any"))
    country = form.country.data if form.country.data in dict(countries) else None
    regions = taxonomy.regions_for(country) if country else []
    form.region.choices = choices(
        regions, blank=_("Any") if country else _("Choose a country first")
    )
    chains = session.execute(
        select(ValueChain.code, ValueChain.label).order_by(ValueChain.position)
    )
    form.value_chain.choices = choices(
        [(code, taxonomy.chain_short_name(label)) for code, label in chains], blank=_("Any")
    )
    return form


@bp.get("/people")
@staff_required
def people_list() -> ResponseReturnValue:
    """Everyone, searchable by name, business, email or phone, with filters, by name."""
    form = _people_form()
    valid = form.validate() if request.args else True
    filters = search.PeopleFilters()
    if valid:
        filters = search.PeopleFilters(
            text=(form.q.data or "").strip(),
            role=form.role.data or None,
            country=form.country.data or None,
            region=form.region.data or None,
            value_chain=form.value_chain.data or None,
            status=form.status.data or None,
            returnee=bool(form.returnee.data),
            women_led=bool(form.women_led.data),
            youth_led=bool(form.youth_led.data),
            capacity_left=bool(form.capacity_left.data),
        )
    statement = search.people(filters) if valid else search.nobody()
    args = {k: v for k, v in request.args.items() if k != "page" and v} if valid else {}
    found = paginate_query(
        get_session(),
        statement,
        page_number(request.args.get("page")),
        int(current_app.config["PER_PAGE"]),
        args=args,
    )
    page = replace(found, items=search.load_people(get_session(), found.items))
    mentors = [u.diaspora_profile.id for u in page.items if u.diaspora_profile is not None]
    loads = queries.coaching_loads(get_session(), mentors) if mentors else {}
    return render_template("coordinator/people.html", form=form, page=page, loads=loads), (
        200 if valid else 400
    )


@bp.get("/vetting")
@staff_required
def vetting_queue() -> ResponseReturnValue:
    """Finished profiles waiting for review, oldest first."""
    number = page_number(request.args.get("page"))
    per_page = int(current_app.config["PER_PAGE"])
    users, total = workspace.review_queue(get_session(), number, per_page)
    page = Page(items=users, number=number, per_page=per_page, total=total)
    return render_template("coordinator/vetting.html", page=page)


def _person_or_404(user_id: int) -> User:
    person = get_session().get(User, user_id)
    if person is None:
        abort(404, _("This person does not exist."))
    return person


def _kinds_of(profile: EntrepreneurProfile | DiasporaProfile) -> list[Kind]:
    """The kinds of introduction this person can have, for their suggestions."""
    if isinstance(profile, EntrepreneurProfile):
        return [Kind.COACHING] + ([Kind.INVESTMENT] if profile.seeking_investment else [])
    return [k for k, on in ((Kind.COACHING, profile.offers_coaching),
                            (Kind.INVESTMENT, profile.offers_investment)) if on]  # fmt: skip


def _suggestions(person: User) -> dict[Kind, list[matches.Suggestion]] | None:
    """The person's best suggestions per kind, as they would see them; None when the
    index is not ready yet."""
    profile = vetting.profile_of(person)
    if profile is None or not is_public(profile):
        return {}
    try:
        return {
            kind: list(
                matches.suggestions(get_session(), person, kind, matches.Filters()).items[
                    :SUGGESTIONS_ON_PAGE
                ]
            )
            for kind in _kinds_of(profile)
        }
    except matches.IndexNotReady:
        return None


def _person_page(person: User, failed: DecisionForm | None = None) -> ResponseReturnValue:
    session = get_session()
    me = current_account()
    profile = vetting.profile_of(person)
    version = {"version": person.record_version}
    review_forms: dict[str, DecisionForm] = {
        d.action: ReviewForm(d.action, data=version) for d in vetting.decisions_for(profile)
    }
    account_form: DecisionForm | None = None
    if accounts.may_manage(me, person):
        account_form = (
            DeactivateForm(data=version) if person.is_active else ReactivateForm(data=version)
        )
    if isinstance(failed, ReviewForm):
        review_forms[failed.action] = failed
    elif failed is not None:
        account_form = failed
    pairings = queries.history_of_profile(session, profile) if profile is not None else []
    return render_template(
        "coordinator/person.html",
        person=person,
        profile=profile,
        decisions={d.action: d for d in vetting.decisions_for(profile)},
        review_forms=review_forms,
        account_form=account_form,
        suggestions=_suggestions(person),
        pairings=pairings[:ON_PAGE],
        more_pairings=max(0, len(pairings) - ON_PAGE),
        load=(
            queries.coaching_load(session, profile)
            if isinstance(profile, DiasporaProfile)
            else None
        ),
        ratings=workspace.ratings_of(session, profile) if profile is not None else [],
        reports=workspace.reports_about(session, person),
        trail=audit.trail_of(session, person, limit=ON_PAGE),
        labels=audit.ACTION_LABELS,
        reasons=TRAIL_REASONS,
        public=profile is not None and is_public(profile),
        failed=failed,
    ), (400 if failed is not None else 200)


@bp.get("/people/<int:user_id>")
@staff_required
def person(user_id: int) -> ResponseReturnValue:
    """One person: profile, review status and decisions, suggestions, pairings, ratings,
    reports and their trail."""
    return _person_page(_person_or_404(user_id))


@bp.post("/people/<int:user_id>/review/<action>")
@staff_required
def review_profile(user_id: int, action: str) -> ResponseReturnValue:
    """Approve, ask for changes, reject, suspend or reinstate the person's profile."""
    if action not in vetting.DECISIONS:
        abort(404)
    person = _person_or_404(user_id)
    profile = vetting.profile_of(person)
    if profile is None:
        return refuse(
            ActionRefused(_("%(name)s has no profile to review yet.", name=person.full_name))
        )
    form = ReviewForm(action)
    return _decide(
        person,
        form,
        lambda notes: vetting.decide(get_session(), profile, current_account(), action, **notes),
        lambda status: _(
            "%(name)s's profile is now “%(status)s”. They are told.",
            name=person.full_name,
            status=status.label,
        ),
    )


@bp.post("/people/<int:user_id>/deactivate")
@staff_required
def deactivate(user_id: int) -> ResponseReturnValue:
    """Close the person's account, with a reason."""
    person = _person_or_404(user_id)
    form = DeactivateForm()

    def withdrawn(pairings: Sequence[Any]) -> str:
        return ngettext(
            "%(name)s's account is deactivated; %(num)d waiting request withdrawn, the "
            "other person told.",
            "%(name)s's account is deactivated; %(num)d waiting requests withdrawn, the "
            "other people told.",
            len(pairings),
            name=person.full_name,
        )

    return _decide(
        person,
        form,
        lambda notes: accounts.deactivate(
            get_session(), person, current_account(), reason=form.reason.data or "", **notes
        ),
        withdrawn,
    )


@bp.post("/people/<int:user_id>/reactivate")
@staff_required
def reactivate(user_id: int) -> ResponseReturnValue:
    """Open a deactivated account again."""
    person = _person_or_404(user_id)
    return _decide(
        person,
        ReactivateForm(),
        lambda notes: accounts.reactivate(get_session(), person, current_account(), **notes),
        lambda result: _("%(name)s's account is active again.", name=person.full_name),
    )


def _decide(
    person: User,
    form: DecisionForm,
    act: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
) -> ResponseReturnValue:
    """A decision about a person from their page: check the form, act with its message,
    private note and version, commit, say what happened; the page again with the errors,
    or the refusal (403/409/400), when it cannot."""
    if not form.validate_on_submit():
        return _person_page(person, failed=form)
    notes = {
        "message": form.message.data or "",
        "private_note": form.private_note.data or "",
        "expected_version": form.expected_version(),
    }
    try:
        result = act(notes)
    except (ActionRefused, PairingError) as error:
        return refuse(error)
    get_session().commit()
    flash(done(result), "success")
    return redirect(url_for("coordinator.person", user_id=person.id))


def _proposal_parties(person: User) -> tuple[EntrepreneurProfile, DiasporaProfile, PairingKind]:
    """The two profiles and the kind, from the person and the query string."""
    profile = vetting.profile_of(person)
    raw_with = request.values.get("with", "")
    other_id = int(raw_with) if raw_with.isdigit() and len(raw_with) < 10 else None
    try:
        kind = PairingKind(request.values.get("kind", "coaching"))
    except ValueError:
        abort(400, _("Choose coaching or investment."))
    session = get_session()
    if isinstance(profile, EntrepreneurProfile):
        diaspora = session.get(DiasporaProfile, other_id) if other_id else None
        if diaspora is None or not is_public(diaspora):
            abort(404, _("That profile does not exist, or it is not available."))
        return profile, diaspora, kind
    if isinstance(profile, DiasporaProfile):
        entrepreneur = session.get(EntrepreneurProfile, other_id) if other_id else None
        if entrepreneur is None or not is_public(entrepreneur):
            abort(404, _("That profile does not exist, or it is not available."))
        return entrepreneur, profile, kind
    abort(
        404,
        _("%(name)s has no profile to propose introductions for.", name=person.full_name),
    )


@bp.route("/people/<int:user_id>/propose", methods=["GET", "POST"])
@staff_required
def propose(user_id: int) -> ResponseReturnValue:
    """Propose an introduction between the person and one of their suggestions."""
    person = _person_or_404(user_id)
    entrepreneur, diaspora, kind = _proposal_parties(person)
    session = get_session()
    policy = service.Policy.from_config(current_app.config)
    score, reasons = matches.explain_pair(session, entrepreneur, diaspora, kind.value)
    form = ProposeForm()
    if form.validate_on_submit():
        try:
            pairing = service.propose_on_behalf(
                session,
                current_account(),
                entrepreneur=entrepreneur,
                diaspora=diaspora,
                kind=kind,
                score=score,
                reasons=list(reasons),
                note=form.message.data or "",
                private_note=form.private_note.data or "",
                policy=policy,
            )
        except PairingError as error:
            return refuse(error)
        session.commit()
        flash(
            _(
                "Introduction proposed: %(entrepreneur)s and %(member)s are told; the other "
                "side answers first.",
                entrepreneur=pairing.entrepreneur.display_name,
                member=pairing.diaspora.display_name,
            ),
            "success",
        )
        return redirect(url_for("coordinator.review", pairing_id=pairing.id))
    refusal: str | None = None
    try:
        service.check_can_be_introduced(session, entrepreneur, diaspora, kind, policy, utcnow())
    except PairingError as error:
        refusal = error.message
    context: dict[str, Any] = {
        "person": person,
        "entrepreneur": entrepreneur,
        "diaspora": diaspora,
        "kind": kind,
        "score": score,
        "reasons": reasons,
        "refusal": refusal,
        "form": form,
        "other": diaspora if person.id == entrepreneur.user_id else entrepreneur,
    }
    return render_template("coordinator/propose.html", **context), (400 if form.errors else 200)
