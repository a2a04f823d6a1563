"""Password hashing with argon2id and the rules a new password must meet.

See docs/decisions/002-passwords-argon2.md.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200

_hasher = PasswordHasher()
# A real hash to verify against when the account does not exist, so that a wrong email
# costs as long as a wrong password and timing does not tell which accounts exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def use_hasher(hasher: PasswordHasher) -> None:
    """Hash with other argon2 parameters from now on, in this whole process.

    For test suites: `use_hasher(PasswordHasher.from_parameters(argon2.profiles.CHEAPEST))`
    makes each hash take microseconds instead of a fifth of a second.
    """
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; always spends the same work, even with no hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with older parameters and should be replaced."""
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str, email: str | None = None) -> str | None:
    """Say what is wrong with a new password in words a user can act on, or None if it is fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters; this one has {len(password)}."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters; this one has {len(password)}."
    if email and password.strip().casefold() == email.strip().casefold():
        return "Do not use your email address as your password; choose something else."
    return None
