"""/matches: ranked suggestions for the logged-in entrepreneur or diaspora member."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session

from mentormatch.auth.access import current_account
from mentormatch.db import get_session
from mentormatch.forms import ListSelectField, RememberedOptions, choices
from mentormatch.matches import service
from mentormatch.matches.reasons import reason_text
from mentormatch.matching import Kind
from mentormatch.models import Role, User
from mentormatch.pagination import page_number

bp = Blueprint("matches", __name__)

HEADINGS = {
    (Role.ENTREPRENEUR, Kind.COACHING): _l("Mentors suggested for you"),
    (Role.ENTREPRENEUR, Kind.INVESTMENT): _l("Investors suggested for you"),
    (Role.DIASPORA, Kind.COACHING): _l("Entrepreneurs you could coach"),
    (Role.DIASPORA, Kind.INVESTMENT): _l("Ventures you could invest in"),
}

# A reason for a match in the reader's language, from an engine Match or a stored pairing.
bp.add_app_template_filter(reason_text, "reason_text")


@bp.app_template_global()
def suggestions_url(user: User) -> str:
    """Where a person's suggestions are: an investor lands on investment suggestions."""
    kind = service.default_kind(user)
    if kind is Kind.COACHING:
        return url_for("matches.index")
    return url_for("matches.index", kind=kind.value)


class FilterForm(FlaskForm):
    """The filters above the list: a GET form, so it changes nothing and needs no token."""

    class Meta:
        csrf = False

    value_chain = ListSelectField(
        _l("Value chain"), choices=[], default="", widget=RememberedOptions()
    )
    country = ListSelectField(_l("Country"), choices=[], default="", widget=RememberedOptions())


@bp.get("/matches")
@login_required
def index() -> ResponseReturnValue:
    """Ranked counterparts per kind of introduction, with score, reasons and filters."""
    me = current_account()
    if me.role not in (Role.ENTREPRENEUR, Role.DIASPORA):
        return render_template("matches/not_for_you.html"), 403
    raw_kind = request.args.get("kind", service.default_kind(me).value)
    if raw_kind not in {k.value for k in Kind}:
        return render_template("matches/bad_kind.html"), 400
    kind = Kind(raw_kind)
    heading = str(HEADINGS[(me.role, kind)])
    profile = me.entrepreneur_profile or me.diaspora_profile
    if profile is None:
        return render_template("matches/no_profile.html", heading=heading, kind=kind)
    session = get_session()
    try:
        return _suggestions_page(session, me, kind, heading, profile)
    except service.IndexNotReady:
        # Only right after a first start: the worker is building the first index.
        return render_template("matches/preparing.html", heading=heading, kind=kind), 503


def _suggestions_page(
    session: Session, me: User, kind: Kind, heading: str, profile: Any
) -> ResponseReturnValue:
    """The page itself: filters, one page of suggestions, its status code."""
    form = FilterForm(request.args)
    form.value_chain.choices = choices(
        service.value_chain_options(session), blank=_("Any value chain")
    )
    form.country.choices = choices(
        service.countries_of_counterparts(session, me), blank=_("Any country")
    )
    status = 200
    if not form.validate():
        status = 400
        filters = service.Filters()
    else:
        filters = service.Filters(form.value_chain.data or None, form.country.data or None)
    page = service.suggestions(session, me, kind, filters, page_number(request.args.get("page")))
    session.commit()  # what was shown, for the learning data
    return render_template(
        "matches/index.html",
        heading=heading,
        kind=kind,
        kinds=list(Kind),
        form=form,
        page=page,
        viewer="entrepreneur" if me.entrepreneur_profile else "diaspora",
        profile=profile,
        max_suggestions=service.MAX_SUGGESTIONS,
    ), status
