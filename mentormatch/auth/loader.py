"""Flask-Login's user loader: the session id carries the user id and a session version."""

from __future__ import annotations

from sqlalchemy.orm import joinedload

from mentormatch.db import get_session
from mentormatch.models import User


def load_user(session_id: str) -> User | None:
    """Return the active user whose session is still current, or None (logged out)."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    # Nearly every page asks whose profile this is (menus, suggestions): one query, not three.
    profiles = (joinedload(User.entrepreneur_profile), joinedload(User.diaspora_profile))
    user = get_session().get(User, int(user_id), options=profiles)
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user
