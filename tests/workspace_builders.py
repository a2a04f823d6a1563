"""People and reports in the states the coordinator's workspace deals with."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.models import DiasporaProfile, EntrepreneurProfile, ReviewStatus, SafetyReport
from mentormatch.safety import alerts
from tests import builders
from tests.builders import People


def waiting_mentor(session: Session, **fields: Any) -> DiasporaProfile:
    """Abebe, a coffee mentor from Oromia who signed up himself and finished his profile:
    it waits for a coordinator's review."""
    values: dict[str, Any] = {
        "full_name": "Abebe Girma",
        "email": "abebe@example.org",
        "headline": "Coffee roaster in Seattle, from Jimma",
        "review_status": ReviewStatus.PENDING,
        "submitted_at": utcnow(),
        "contact_phone": "+12065550111",
    }
    values.update(fields)
    return builders.make_diaspora(session, **values)


def waiting_entrepreneur(session: Session, **fields: Any) -> EntrepreneurProfile:
    """Hauwa, who keeps poultry near Kano like Amina, and whose profile waits for review."""
    values: dict[str, Any] = {
        "full_name": "Hauwa Sani",
        "email": "hauwa@example.org",
        "business_name": "Hauwa Layers",
        "review_status": ReviewStatus.PENDING,
        "submitted_at": utcnow(),
        "contact_phone": "+2348035550000",
    }
    values.update(fields)
    return builders.make_entrepreneur(session, **values)


def money_report(session: Session, people: People, **fields: Any) -> SafetyReport:
    """Amina reports that Tesfaye asked her for money (every coordinator is alerted)."""
    values: dict[str, Any] = {
        "reporter": people.amina.user,
        "subject": people.tesfaye.user,
        "category": "money",
        "description": "He asked me to pay USD 200 before he would help.",
    }
    values.update(fields)
    return alerts.file_report(session, **values)
