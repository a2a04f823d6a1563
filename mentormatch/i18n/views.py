"""The language switcher: a form of plain buttons on every page, no JavaScript needed; and
the account page where a person sets their language and time zone."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from mentormatch.auth.access import current_account
from mentormatch.db import get_session
from mentormatch.i18n import (
    LANGUAGES,
    SESSION_KEY,
    current_language,
    home_country_of,
    in_language_of,
)
from mentormatch.i18n.forms import LanguageAndTimeZoneForm
from mentormatch.i18n.zones import zone_label

bp = Blueprint("i18n", __name__)


@bp.post("/language")
def choose() -> ResponseReturnValue:
    """Show the site in the chosen language from now on, and return to the same page."""
    language = request.form.get("language", "")
    if language in LANGUAGES:
        session[SESSION_KEY] = language
        if current_user.is_authenticated and current_user.language != language:
            current_user.language = language
            get_session().commit()
    return redirect(_same_site(request.form.get("next")) or url_for("main.index"))


@bp.route("/account/language", methods=["GET", "POST"])
@login_required
def account_language() -> ResponseReturnValue:
    """Set the language pages, emails and SMS are written in, and the time zone of times."""
    user = current_account()
    form = LanguageAndTimeZoneForm()
    form.offer_zones(home_country_of(user), current_language().code)
    if request.method == "GET":
        form.language.data = current_language().code
        form.time_zone.data = user.time_zone or "UTC"
    if form.validate_on_submit():
        user.language, user.time_zone = form.language.data, form.time_zone.data
        session[SESSION_KEY] = user.language
        get_session().commit()
        # Said in the language just chosen: it is the one the next page is in.
        with in_language_of(user):
            flash(
                _(
                    "Saved. Language: %(language)s. Time zone: %(zone)s.",
                    language=LANGUAGES[user.language].native_name,
                    zone=zone_label(user.time_zone, user.language),
                ),
                "success",
            )
        return redirect(url_for("i18n.account_language"))
    status = 400 if form.errors else 200
    return render_template("i18n/language.html", form=form), status


def _same_site(target: str | None) -> str | None:
    """`target` if it is a path on this site, never another host (no open redirect)."""
    if not target:
        return None
    # "//host" and "/\\host" both leave the site in a browser.
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or "\\" in target:
        return None
    return target
