"""Account rules that views and the CLI share: finding, creating and checking users."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.auth.passwords import hash_password, needs_rehash, verify_password
from mentormatch.db import utcnow
from mentormatch.models import Role, User, normalize_email, normalize_phone


def find_user_by_login(session: Session, login: str) -> User | None:
    """Find a user by email (any case) or by phone number."""
    login = login.strip()
    if "@" in login:
        return session.scalar(select(User).where(User.email == normalize_email(login)))
    phone = normalize_phone(login)
    if not phone:
        return None
    return session.scalar(select(User).where(User.phone == phone))


def authenticate(session: Session, login: str, password: str) -> User | None:
    """Return the active user for these credentials, or None; the caller says only 'wrong'."""
    user = find_user_by_login(session, login)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active:
        return None
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def create_user(
    session: Session,
    *,
    full_name: str,
    role: Role,
    email: str | None = None,
    phone: str | None = None,
    password: str | None = None,
    registered_by: User | None = None,
) -> User:
    """Add a user; without a password the account cannot log in until a reset."""
    user = User(
        full_name=full_name.strip(),
        role=role,
        email=normalize_email(email),
        phone=normalize_phone(phone),
        password_hash=hash_password(password) if password else None,
        is_active=True,
        registered_by_id=registered_by.id if registered_by else None,
    )
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Change the password and end every other session of this user."""
    user.password_hash = hash_password(password)
    user.session_version += 1


def email_taken(session: Session, email: str, exclude_user_id: int | None = None) -> bool:
    query = select(User.id).where(User.email == normalize_email(email))
    if exclude_user_id is not None:
        query = query.where(User.id != exclude_user_id)
    return session.scalar(query) is not None


def phone_taken(session: Session, phone: str, exclude_user_id: int | None = None) -> bool:
    query = select(User.id).where(User.phone == normalize_phone(phone))
    if exclude_user_id is not None:
        query = query.where(User.id != exclude_user_id)
    return session.scalar(query) is not None
