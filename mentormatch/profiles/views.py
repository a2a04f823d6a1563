"""Entrepreneur and diaspora profiles: create and edit in steps, and the public view."""

from __future__ import annotations

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue
from flask_login import login_required

bp = Blueprint("profiles", __name__)


@bp.get("/profile")
@login_required
def mine() -> ResponseReturnValue:
    abort(501)
