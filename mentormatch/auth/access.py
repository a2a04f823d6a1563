"""Who may see what: the decorators and checks every view uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user, login_required

from mentormatch.models import Role, User

P = ParamSpec("P")
R = TypeVar("R")


def role_required(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Allow the view only to logged-in users with one of the roles; others get 403."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        @login_required
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = role_required(Role.COORDINATOR, Role.ADMIN)
admin_required = role_required(Role.ADMIN)


def current_account() -> User:
    """The logged-in user as a typed User (call only behind login_required)."""
    user: User = current_user._get_current_object()
    return user
