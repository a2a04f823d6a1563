"""Sign-up confirmation links: signed and timed, good for logging in once.

The token carries the user id and the address it was sent to. Following it records the
confirmation; after that the same link no longer logs anyone in.
"""

from __future__ import annotations

import enum
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from mentormatch.models import User

_SALT = "mentormatch.confirm-email"


class LinkState(enum.Enum):
    VALID = "valid"
    ALREADY_USED = "already_used"
    INVALID = "invalid"


def make_confirmation_token(user: User, secret_key: str) -> str:
    """A link token that confirms this user's email address and logs them in, once."""
    return URLSafeTimedSerializer(secret_key, salt=_SALT).dumps(
        {"uid": user.id, "email": user.email}
    )


def user_for_confirmation_token(
    session: Session, token: str, secret_key: str, max_age: int
) -> tuple[User | None, LinkState]:
    """The account a confirmation link is for, and whether it may still log in."""
    try:
        payload: Any = URLSafeTimedSerializer(secret_key, salt=_SALT).loads(token, max_age=max_age)
    except BadSignature:  # SignatureExpired is a BadSignature too
        return None, LinkState.INVALID
    if not isinstance(payload, dict) or not isinstance(payload.get("uid"), int):
        return None, LinkState.INVALID
    user = session.get(User, payload["uid"])
    if user is None or not user.is_active or user.email != payload.get("email"):
        return None, LinkState.INVALID
    if user.email_confirmed_at is not None:
        return user, LinkState.ALREADY_USED
    return user, LinkState.VALID
