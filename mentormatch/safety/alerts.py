"""Filing a safety report, and alerting every coordinator at once (in the app and by email).

Kept apart from the handling (service.py) so the pairing workflow can file a report when
an introduction is closed for conduct without depending on vetting and accounts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.db import utcnow
from mentormatch.i18n import in_language_of
from mentormatch.models import Pairing, ReportState, Role, SafetyReport, User
from mentormatch.notifications import display_name, notify, with_link
from mentormatch.people import audit
from mentormatch.people.errors import InvalidInput, NotAllowed

MAX_DESCRIPTION = 2000

# What someone can report, from a fixed list, so coordinators can count them.
CATEGORIES = {
    "money": _l("Asked me for money or a payment"),
    "harassment": _l("Harassment, threats or abusive language"),
    "fraud": _l("A false identity, fraud or a scam"),
    "unsafe": _l("Something unsafe or illegal"),
    "spam": _l("Spam or advertising"),
    "other": _l("Something else"),
}
# Only the pairing workflow files these: an introduction closed for "Inappropriate conduct".
CLOSURE_CATEGORIES = {"conduct": _l("Inappropriate conduct (the introduction was closed)")}
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
        raise InvalidInput(_("Choose what happened from the list."))
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(
            _("Keep the description under %(most)d characters.", most=MAX_DESCRIPTION)
        )
    if category == "other" and not description:
        raise InvalidInput(_("Say in a few words what happened."))
    if reporter.id == subject.id:
        raise NotAllowed(_("You cannot report yourself."))
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
    for coordinator in coordinators(session):
        # Each coordinator reads the alert in their own language.
        with in_language_of(coordinator):
            notify(
                session,
                coordinator,
                _("Safety report: %(name)s", name=display_name(subject.full_name)),
                with_link(
                    _alert_text(report, reporter, subject, pairing),
                    f"/coordinator/reports/{report.id}",
                ),
            )
    session.flush()
    return report


def _alert_text(
    report: SafetyReport, reporter: User, subject: User, pairing: Pairing | None
) -> str:
    """What a coordinator is told about a new report, in the current language."""
    names = {
        "reporter": reporter.full_name,
        "subject": subject.full_name,
        "category": str(CATEGORY_LABELS[report.category]),
    }
    if pairing is None:
        what = _("%(reporter)s reported %(subject)s: %(category)s.", **names)
    elif pairing.kind.value == "investment":
        what = _(
            "%(reporter)s reported %(subject)s about their investment introduction: %(category)s.",
            **names,
        )
    else:
        what = _(
            "%(reporter)s reported %(subject)s about their coaching introduction: %(category)s.",
            **names,
        )
    parts = [what]
    if report.description:
        parts.append(_("What they wrote:") + "\n" + report.description)
    parts.append(_("Please look into it; you can suspend the account while you do."))
    return "\n\n".join(parts)
