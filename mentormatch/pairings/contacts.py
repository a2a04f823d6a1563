"""Contact details once an introduction is approved (each view logged), and feedback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mentormatch import learning
from mentormatch.db import utcnow
from mentormatch.models import (
    ContactView,
    DiasporaProfile,
    EntrepreneurProfile,
    Feedback,
    Pairing,
    User,
)
from mentormatch.pairings.parties import is_party
from mentormatch.pairings.rules import (
    CONTACT_STATES,
    FEEDBACK_STATES,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    RequestRefused,
)
from mentormatch.pairings.service import clean_text
from mentormatch.people.visibility import is_public


@dataclass(frozen=True)
class ContactCard:
    """The other side's name and how to reach them, as a party sees it."""

    name: str
    email: str | None
    phone: str | None


def contact_visible(pairing: Pairing, viewer: User) -> bool:
    """Only the two parties, only while the introduction is approved or completed, and
    only while both profiles are public: a profile suspended while a report is looked into
    (or a closed account) neither sees nor shows contact details."""
    return (
        pairing.state in CONTACT_STATES
        and is_party(pairing, viewer)
        and is_public(pairing.entrepreneur)
        and is_public(pairing.diaspora)
    )


def reveal_contact(
    session: Session, pairing: Pairing, viewer: User, now: datetime | None = None
) -> ContactCard | None:
    """The other side's contact details for `viewer`, logging the view; None if not allowed."""
    if not contact_visible(pairing, viewer):
        return None
    if viewer.id == pairing.entrepreneur.user_id:
        profile: EntrepreneurProfile | DiasporaProfile = pairing.diaspora
    else:
        profile = pairing.entrepreneur
    session.add(
        ContactView(
            viewer_id=viewer.id,
            subject_id=profile.user_id,
            pairing_id=pairing.id,
            viewed_at=now or utcnow(),
        )
    )
    return ContactCard(
        name=profile.user.full_name,
        email=profile.contact_email or profile.user.email,
        phone=profile.contact_phone or profile.user.phone,
    )


def contact_views_of(session: Session, user: User, limit: int = 200) -> Sequence[ContactView]:
    """Who was shown `user`'s contact details, newest first."""
    return session.scalars(
        select(ContactView)
        .where(ContactView.subject_id == user.id)
        .order_by(ContactView.viewed_at.desc(), ContactView.id.desc())
        .limit(limit)
    ).all()


def feedback_by(session: Session, pairing: Pairing, user: User) -> Feedback | None:
    """The rating `user` gave this pairing, if any."""
    return session.scalar(
        select(Feedback).where(Feedback.pairing_id == pairing.id, Feedback.author_id == user.id)
    )


def can_rate(session: Session, pairing: Pairing, user: User) -> bool:
    """A party may rate once an introduction was approved, once."""
    return (
        pairing.state in FEEDBACK_STATES
        and is_party(pairing, user)
        and feedback_by(session, pairing, user) is None
    )


def leave_feedback(
    session: Session, pairing: Pairing, author: User, *, rating: int, comment: str = ""
) -> Feedback:
    """Store one party's 1-5 rating of an approved introduction; a second one is refused."""
    if not is_party(pairing, author):
        raise NotAllowed(_("Only the two people introduced can rate an introduction."))
    if pairing.state not in FEEDBACK_STATES:
        raise IllegalTransition(_("You can rate an introduction once a coordinator approved it."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput(_("Choose a rating from 1 to 5."))
    comment = clean_text(comment, "comment")
    if feedback_by(session, pairing, author) is not None:
        raise RequestRefused(_("You already rated this introduction; a rating is given once."))
    feedback = Feedback(pairing_id=pairing.id, author_id=author.id, rating=rating, comment=comment)
    session.add(feedback)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise RequestRefused(
            _("You already rated this introduction; a rating is given once.")
        ) from exc
    learning.record_decision(session, pairing, "rate", author, value=str(rating))
    return feedback
