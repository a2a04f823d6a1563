"""Password-reset links: signed, timed and single-use, with nothing stored in the database.

The token carries the user id and a fingerprint of the current password hash. Setting a
password changes the hash, so a used link stops working; an imported account with no
password yet has the fingerprint of "" and sets its first password the same way.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from mentormatch.auth.service import find_user_by_login
from mentormatch.models import User

_SALT = "mentormatch.password-reset"


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:32]


def make_reset_token(user: User, secret_key: str) -> str:
    """A link token that lets this user set a new password once."""
    return _serializer(secret_key).dumps({"uid": user.id, "fp": _fingerprint(user)})


def user_for_reset_token(
    session: Session, token: str, secret_key: str, max_age: int
) -> User | None:
    """The active user this token was made for, or None if it is forged, expired or used."""
    try:
        payload: Any = _serializer(secret_key).loads(token, max_age=max_age)
    except BadSignature:  # SignatureExpired is a BadSignature too
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("uid"), int):
        return None
    user = session.get(User, payload["uid"])
    if user is None or not user.is_active:
        return None
    if not hmac.compare_digest(str(payload.get("fp", "")), _fingerprint(user)):
        return None
    return user


def reset_recipient(session: Session, login: str) -> User | None:
    """The account a reset link should be emailed to: active and with an email address."""
    user = find_user_by_login(session, login)
    if user is None or not user.is_active or not user.email:
        return None
    return user
