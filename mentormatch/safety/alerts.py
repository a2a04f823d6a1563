"""Filing a safety report, and alerting every coordinator at once (in the app and by email).

Kept apart from the handling (service.py) so the pairing workflow can file a report when
an introduction is closed for conduct without depending on vetting and accounts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.models import Pairing, ReportState, Role, SafetyReport, User
from mentormatch.notifications import display_name, notify, with_link
from mentormatch.people import audit
from mentormatch.people.errors import InvalidInput, NotAllowed

MAX_DESCRIPTION = 2000

# What someone can report, from a fixed list, so coordinators can count them.
CATEGORIES = {
    "money": "Asked me for money or a payment",
    "harassment": "Harassment, threats or abusive language",
    "fraud": "A false identity, fraud or a scam",
    "unsafe": "Something unsafe or illegal",
    "spam": "Spam or advertising",
    "other": "Something else",
}
# Only the pairing workflow files these: an introduction closed for "Inappropriate conduct".
CLOSURE_CATEGORIES = {"conduct": "Inappropriate conduct (the introduction was closed)"}
CATEGORY_LABELS = {**CATEGORIES, **CLOSURE_CATEGORIES}


def coordinators(session: Session) -> Sequence[User]:
    """Every active coordinator: they all hear about a safety report at once."""
    return session.scalars(
        select(User).where(User.role == Role.COORDINATOR, User.is_active.is_(True))
    ).all()


def file_report(
    session: Session,
    *,
    reporter: User,
    subject: User,
    category: str,
    description: str = "",
    pairing: Pairing | None = None,
    source: str = "report",
    now: datetime | None = None,
) -> SafetyReport:
    """Record a problem `reporter` has with `subject` (optionally on an introduction), add
    it to the subject's trail and alert every coordinator; the caller commits."""
    allowed = CLOSURE_CATEGORIES if source == "closure" else CATEGORIES
    if category not in allowed:
        raise InvalidInput("Choose what happened from the list.")
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(f"Keep the description under {MAX_DESCRIPTION} characters.")
    if category == "other" and not description:
        raise InvalidInput("Say in a few words what happened.")
    if reporter.id == subject.id:
        raise NotAllowed("You cannot report yourself.")
    now = now or utcnow()
    report = SafetyReport(
        reporter_id=reporter.id,
        subject_id=subject.id,
        pairing_id=pairing.id if pairing is not None else None,
        source=source,
        category=category,
        description=description,
        state=ReportState.OPEN,
        created_at=now,
    )
    session.add(report)
    session.flush()
    audit.record(session, subject, "report", reporter, reason=category, report=report, now=now)
    where = f" about their {pairing.kind.value} introduction" if pairing is not None else ""
    for coordinator in coordinators(session):
        notify(
            session,
            coordinator,
            f"Safety report: {display_name(subject.full_name)}",
            with_link(
                f"{reporter.full_name} reported {subject.full_name}{where}: "
                f"{CATEGORY_LABELS[category]}."
                + (f"\n\nWhat they wrote:\n{description}" if description else "")
                + "\n\nPlease look into it; you can suspend the account while you do.",
                f"/coordinator/reports/{report.id}",
            ),
        )
    session.flush()
    return report
