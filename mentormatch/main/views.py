"""The landing page, the dashboard and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from mentormatch.db import get_session
from mentormatch.extensions import talisman

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    """The landing page (a dashboard once logged in)."""
    return render_template("main/index.html")


@bp.get("/healthz")
@talisman(force_https=False)  # load balancers probe over plain http inside the network
def healthz() -> ResponseReturnValue:
    """Liveness and database check for load balancers and monitoring."""
    try:
        get_session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="error", database="error"), 503
    return jsonify(status="ok", database="ok")
