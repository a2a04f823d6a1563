"""/coordinator: what needs a coordinator's action today, each figure linking to its list,
with open safety reports first."""

from __future__ import annotations

from flask import current_app, render_template
from flask.typing import ResponseReturnValue

from mentormatch.auth.access import staff_required
from mentormatch.coordinator import queries
from mentormatch.coordinator.blueprint import bp
from mentormatch.db import get_session, utcnow
from mentormatch.pairings.service import Policy
from mentormatch.safety.service import open_reports

# Open reports listed by name at the top of the home page; the rest are behind the count.
REPORTS_ON_HOME = 10


@bp.get("")
@staff_required
def home() -> ResponseReturnValue:
    """Counts that need action today and the open safety reports."""
    session = get_session()
    policy = Policy.from_config(current_app.config)
    return render_template(
        "coordinator/home.html",
        today=queries.today(session, utcnow(), policy.reminder_days),
        reports=open_reports(session, limit=REPORTS_ON_HOME),
    )
