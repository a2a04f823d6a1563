"""The language switcher: a form of plain buttons on every page, no JavaScript needed."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from mentormatch.db import get_session
from mentormatch.i18n import LANGUAGES, SESSION_KEY

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


def _same_site(target: str | None) -> str | None:
    """`target` if it is a path on this site, never another host (no open redirect)."""
    if not target:
        return None
    # "//host" and "/\\host" both leave the site in a browser.
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or "\\" in target:
        return None
    return target
