"""Account rules that views and the CLI share: finding, creating and checking users."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mentormatch import phones
from mentormatch.auth.passwords import hash_password, needs_rehash, verify_password
from mentormatch.db import utcnow
from mentormatch.models import Role, User, normalize_email, normalize_phone


def home_country(user: User) -> str | None:
    """The country of the person's profile (where the business is, or where the diaspora
    member lives): the one a phone number written without its country code is read in."""
    if user.entrepreneur_profile is not None:
        return user.entrepreneur_profile.country_code or None
    if user.diaspora_profile is not None:
        return user.diaspora_profile.residence_country or None
    return None


def find_user_by_login(session: Session, login: str) -> User | None:
    """Find a user by email (any case) or by phone number, written with its country code
    or as it is dialled in the country of the person's profile ('0803 123 4567')."""
    login = login.strip()
    if "@" in login:
        return session.scalar(select(User).where(User.email == normalize_email(login)))
    if len(login) > phones.MAX_TYPED_LENGTH:
        return None
    numbers = phones.login_numbers(login)
    if not numbers:
        return None
    users = session.scalars(select(User).where(User.phone.in_(list(numbers)))).all()
    # A national number is the account's only when it was read in the account's country.
    found = [u for u in users if numbers[u.phone or ""] in (None, home_country(u))]
    return found[0] if len(found) == 1 else None


def canonical_login(login: str) -> str:
    """An email or phone number written one way, however it was typed (for counting)."""
    login = login.strip()
    if "@" in login:
        return normalize_email(login) or ""
    try:
        return phones.parse_phone(login, None)
    except phones.PhoneError:
        return normalize_phone(login) or login.casefold()


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
    email_confirmed: bool = True,
    flush: bool = True,
    language: str | None = None,
) -> User:
    """Add a user; without a password the account cannot log in until it is claimed.

    `phone` is already in E.164 (mentormatch.phones.parse_phone). Accounts made by a
    coordinator, the CLI or an import count their email as confirmed; a self-registered
    one passes `email_confirmed=False` until its link is followed. An import of many
    rows passes `flush=False` and flushes once. `language` is the one their pages and
    emails are written in (None: the browser's, and English for emails).
    """
    user = User(
        full_name=full_name.strip(),
        role=role,
        email=normalize_email(email),
        phone=normalize_phone(phone),
        password_hash=hash_password(password) if password else None,
        is_active=True,
        registered_by_id=registered_by.id if registered_by else None,
        email_confirmed_at=utcnow() if email and email_confirmed else None,
        language=language,
    )
    session.add(user)
    if flush:
        session.flush()
    return user


def end_sessions(user: User) -> None:
    """Make every session cookie issued to this user so far stop working (log-out,
    password change, deactivation): the cookie carries the version it was issued with."""
    user.session_version += 1


def set_password(user: User, password: str) -> None:
    """Change the password and end every other session of this user."""
    user.password_hash = hash_password(password)
    end_sessions(user)


def email_taken(session: Session, email: str, exclude_user_id: int | None = None) -> bool:
    """True when another account already uses this email address (in any case)."""
    query = select(User.id).where(User.email == normalize_email(email))
    if exclude_user_id is not None:
        query = query.where(User.id != exclude_user_id)
    return session.scalar(query) is not None


def phone_taken(session: Session, phone: str, exclude_user_id: int | None = None) -> bool:
    """True when another account already uses this phone number (in E.164)."""
    query = select(User.id).where(User.phone == normalize_phone(phone))
    if exclude_user_id is not None:
        query = query.where(User.id != exclude_user_id)
    return session.scalar(query) is not None


# Coordinators and administrators are created with `flask create-user`, never by signing up.
SELF_SERVICE_ROLES = (Role.ENTREPRENEUR, Role.DIASPORA)
MAX_FULL_NAME_LENGTH = 120
# Bidirectional embedding, override and isolate marks: invisible, and used to disguise text.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def full_name_problem(full_name: str) -> str | None:
    """Say what is wrong with a person's name, or None; any script is welcome."""
    name = full_name.strip()
    if not name:
        return _("Enter your full name.")
    if len(name) > MAX_FULL_NAME_LENGTH:
        return _(
            "Use at most %(most)d characters; this has %(length)d.",
            most=MAX_FULL_NAME_LENGTH,
            length=len(name),
        )
    # Cc: tabs, line breaks; Zl, Zp: the line and paragraph separators U+2028 and U+2029.
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in BIDI_CONTROLS for ch in name):
        return _("Remove the invisible control characters (such as tabs or line breaks).")
    return None


def email_confirmed(user: User) -> bool:
    """True unless the account still waits for its sign-up link to be followed."""
    return user.email is None or user.email_confirmed_at is not None


def confirm_email(user: User) -> None:
    """Record that the person showed they read mail at the account's address."""
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()


@dataclass(frozen=True)
class Registration:
    """What a sign-up did: made a new account, or found the one that has the address.

    The page answers the same in both cases (so it cannot tell who is registered); the
    difference is told by email to the address's owner.
    """

    user: User | None = None
    existing: User | None = None
    phone_left_out: bool = False


def register_account(
    session: Session,
    *,
    full_name: str,
    role: Role,
    email: str,
    password: str,
    phone: str | None = None,
    language: str | None = None,
) -> Registration:
    """Create a self-registered account waiting for its email to be confirmed, unless the
    email is taken; a phone number another account uses is left out. `language` is the
    language the sign-up page was read in: the new account's emails come in it.

    Both outcomes hash the password and write one email, so they take the same time.
    When two sign-ups race past the check, the unique constraint decides.
    """
    if role not in SELF_SERVICE_ROLES:
        raise ValueError(f"{role.value} accounts are created by an administrator")
    password_hash = hash_password(password)
    if email_taken(session, email):
        return Registration(existing=find_user_by_login(session, email))
    phone_left_out = bool(phone and phone_taken(session, phone))
    try:
        with session.begin_nested():
            user = create_user(
                session,
                full_name=full_name,
                role=role,
                email=email,
                phone=None if phone_left_out else phone,
                email_confirmed=False,
                language=language,
            )
            user.password_hash = password_hash
            session.flush()
    except IntegrityError:
        existing = find_user_by_login(session, email)
        if existing is not None:
            return Registration(existing=existing)
        if phone_left_out or not phone:
            raise
        # The phone number was taken meanwhile: make the account without it.
        again = register_account(
            session,
            full_name=full_name,
            role=role,
            email=email,
            password=password,
            phone=None,
            language=language,
        )
        return replace(again, phone_left_out=again.user is not None)
    return Registration(user=user, phone_left_out=phone_left_out)
