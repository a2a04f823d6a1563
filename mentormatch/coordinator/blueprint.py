"""The coordinator's blueprint and what its views share."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from mentormatch.db import get_session
from mentormatch.main.errors import render_error
from mentormatch.models import User
from mentormatch.pairings.rules import PairingError
from mentormatch.people import vetting
from mentormatch.people.errors import ActionRefused

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")


@bp.app_template_global()
def standing(user: User) -> str:
    """Where a person stands (account, review), for templates."""
    return vetting.standing(user)


def refuse(error: ActionRefused | PairingError) -> ResponseReturnValue:
    """Undo anything half-done and say why, with the error's status (400/403/404/409)."""
    get_session().rollback()
    return render_error(error.status, error.message)
