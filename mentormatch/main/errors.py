"""Error pages that say what happened and what to do next; JSON for /api and /healthz."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: "The request could not be understood. Go back, reload the page and try again.",
    403: "You do not have permission to see this page.",
    404: "This page does not exist, or it is not available to you.",
    405: "This action is not allowed here.",
    409: "This item changed while you were looking at it. Reload the page to see where it is now.",
    413: "What you sent is too large. Make it smaller and try again.",
    429: "Too many attempts. Wait a few minutes before you try again.",
    500: "Something went wrong on our side. Try again in a moment.",
}


def wants_json() -> bool:
    """True when the request is for the API or asks for JSON."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def render_error(status: int, message: str | None = None) -> ResponseReturnValue:
    """The error page (or JSON error) for `status`, with a message saying what to do."""
    message = message or MESSAGES.get(status, "Something went wrong.")
    if wants_json():
        return {"error": {"code": status, "message": message}}, status
    return render_template("errors/error.html", status=status, message=message), status


def register(app: Flask) -> None:
    """Answer CSRF failures, HTTP errors and unexpected exceptions with render_error."""

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> ResponseReturnValue:
        return render_error(
            400,
            "This form has expired or was not sent from MentorMatch. "
            "Reload the page and send it again.",
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        custom = error.description if status in (400, 403, 404, 409) else None
        if custom and custom == type(error).description:
            custom = None
        return render_error(status, custom)

    if app.testing:
        return  # let tests see the real traceback

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> ResponseReturnValue:
        app.logger.exception("Unhandled error")
        return render_error(500)
