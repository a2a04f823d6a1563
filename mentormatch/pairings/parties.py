"""Who is who on a pairing, and who may see it or act on it."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from mentormatch.models import Pairing, Role, User
from mentormatch.pairings.rules import TRANSITION_BY_KEY, WHO_BY_ACTION, PairingNotFound, Who

COORDINATOR_ROLES = (Role.COORDINATOR, Role.ADMIN)


def is_coordinator(user: User) -> bool:
    """Coordinators (and admins, who can act as one) decide on introductions."""
    return user.role in COORDINATOR_ROLES and user.is_active


def is_party(pairing: Pairing, user: User) -> bool:
    """True when `user` is the entrepreneur or the diaspora member of the pairing."""
    return user.id in (pairing.entrepreneur.user_id, pairing.diaspora.user_id)


def requester_user_id(pairing: Pairing) -> int:
    """The user id of the person who asked for the introduction (for a coordinator's
    proposal nobody agreed to yet, the diaspora member: callers check the state first)."""
    if pairing.requester_side == "entrepreneur":
        return pairing.entrepreneur.user_id
    return pairing.diaspora.user_id


def counterpart_user_id(pairing: Pairing) -> int:
    """The user id of the person who was asked."""
    if pairing.requester_side == "entrepreneur":
        return pairing.diaspora.user_id
    return pairing.entrepreneur.user_id


def other_party(pairing: Pairing, user: User) -> User:
    """The person on the other side of the pairing from `user` (a party)."""
    if user.id == pairing.entrepreneur.user_id:
        return pairing.diaspora.user
    return pairing.entrepreneur.user


def may(pairing: Pairing, user: User, action: str) -> bool:
    """True when `user` is the kind of person who may take `action` on this pairing."""
    who = WHO_BY_ACTION.get(action)
    if who is Who.COUNTERPART:
        return user.id == counterpart_user_id(pairing)
    if who is Who.REQUESTER:
        return user.id == requester_user_id(pairing)
    if who is Who.COORDINATOR:
        return is_coordinator(user)
    if who is Who.PARTY:
        return is_party(pairing, user)
    if who is Who.PARTY_OR_COORDINATOR:
        return is_party(pairing, user) or is_coordinator(user)
    return False


def available_actions(pairing: Pairing, user: User) -> list[str]:
    """The actions `user` may take on the pairing now (to draw the buttons)."""
    return [
        t.action
        for (state, _), t in TRANSITION_BY_KEY.items()
        if state == pairing.state and t.who is not Who.SYSTEM and may(pairing, user, t.action)
    ]


def can_see(pairing: Pairing, user: User) -> bool:
    """Parties see their own pairings; coordinators see all; nobody else sees any."""
    return is_party(pairing, user) or is_coordinator(user)


def pairing_for(session: Session, pairing_id: int, user: User) -> Pairing:
    """The pairing if `user` may see it; otherwise PairingNotFound (never reveal it exists)."""
    pairing = session.get(Pairing, pairing_id)
    if pairing is None or not can_see(pairing, user):
        raise PairingNotFound(_("This introduction does not exist, or it is not yours to see."))
    return pairing


def not_allowed_message(action: str) -> str:
    """Who may take `action`, in words, for a refusal."""
    if action == "propose":
        return str(_("Only a programme coordinator can propose an introduction."))
    who = WHO_BY_ACTION.get(action)
    return str(
        {
            Who.COUNTERPART: _("Only the person who was asked can answer this request."),
            Who.REQUESTER: _("Only the person who asked for this introduction can withdraw it."),
            Who.COORDINATOR: _(
                "Only a programme coordinator can approve or reject an introduction."
            ),
            Who.PARTY: _("Only the two people introduced can answer a coordinator's proposal."),
            Who.PARTY_OR_COORDINATOR: _(
                "Only the two people introduced or a coordinator can do this."
            ),
        }.get(who or Who.SYSTEM, _("Nobody can do this by hand."))
    )
