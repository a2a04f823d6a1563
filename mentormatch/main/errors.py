"""Error pages that say what happened and what to do next; JSON for /api and /healthz.

The page must render even when the error came from the database (a broken connection,
an aborted transaction): the session is rolled back first, and if the full page still
cannot be drawn (its header asks the database who is logged in) a standalone page is.
"""

from __future__ import annotations

from flask import Flask, current_app, g, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: _l("The request could not be understood. Go back, reload the page and try again."),
    403: _l("You do not have permission to see this page."),
    404: _l("This page does not exist, or it is not available to you."),
    405: _l("This action is not allowed here."),
    409: _l(
        "This item changed while you were looking at it. Reload the page to see where it is now."
    ),
    413: _l("What you sent is too large. Make it smaller and try again."),
    429: _l("Too many attempts. Wait a few minutes before you try again."),
    500: _l("Something went wrong on our side. Try again in a moment."),
    503: _l(
        "MentorMatch cannot reach its database at the moment, so nothing was saved. "
        "Try again in a few minutes."
    ),
}
# The page's heading for each status.
HEADINGS = {
    400: _l("Bad request"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Not allowed"),
    409: _l("Changed meanwhile"),
    413: _l("Too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong"),
    503: _l("Not available just now"),
}
# Seconds a client is asked to wait after a 503 (the database usually comes back quickly).
RETRY_AFTER_UNAVAILABLE = 30


def wants_json() -> bool:
    """True when the request is for the API or asks for JSON."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _rollback() -> None:
    """Undo the request's half-done work, so drawing the page can still use the database."""
    session = g.get("db_session")
    if session is not None:
        try:
            session.rollback()
        except Exception:  # the connection itself is gone; the page does without it
            current_app.logger.warning("Rollback failed while showing an error page")


def _forget_who_is_logged_in() -> None:
    """Draw the rest of the page as for a visitor: Flask-Login (and the page's language,
    which is the person's setting) would ask the database who is logged in again."""
    g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]


def _in_readers_language(message: object) -> str:
    """The message as a plain string in the reader's language (JSON cannot carry a lazy
    string); the browser's language when the person's setting cannot be read."""
    try:
        return str(message or _("Something went wrong."))
    except Exception:  # their setting is in the database, which may be the error
        current_app.logger.warning("Error message written without the person's language")
        _forget_who_is_logged_in()
        return str(message or _("Something went wrong."))


def render_error(status: int, message: str | None = None) -> ResponseReturnValue:
    """The error page (or JSON error) for `status`, with a message saying what to do."""
    message = _in_readers_language(message or MESSAGES.get(status))
    if wants_json():
        return {"error": {"code": status, "message": message}}, status
    if status >= 500:
        _rollback()
    try:
        page = render_template("errors/error.html", status=status, message=message)
    except Exception:
        current_app.logger.warning("Error page drawn without the site header", exc_info=True)
        _forget_who_is_logged_in()
        page = render_template("errors/standalone.html", status=status, message=message)
    return page, status


def error_heading(status: int) -> str:
    """The error page's heading for `status`, in the reader's language."""
    return str(HEADINGS.get(status) or _("Something went wrong"))


def register(app: Flask) -> None:
    """Answer CSRF failures, HTTP errors, an unreachable database and unexpected exceptions."""

    app.add_template_global(error_heading)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> ResponseReturnValue:
        return render_error(
            400,
            _(
                "This form has expired or was not sent from MentorMatch. "
                "Reload the page and send it again."
            ),
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        custom = error.description if status in (400, 403, 404, 409) else None
        if custom and custom == type(error).description:
            custom = None
        return render_error(status, custom)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def _database_unavailable(error: Exception) -> ResponseReturnValue:
        app.logger.warning("Database unavailable: %s", error)
        response = make_response(render_error(503))
        response.headers["Retry-After"] = str(RETRY_AFTER_UNAVAILABLE)
        return response

    if app.testing:
        return  # let tests see the real traceback

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> ResponseReturnValue:
        app.logger.exception("Unhandled error")
        return render_error(500)
