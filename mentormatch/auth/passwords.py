"""Password hashing with argon2id and the rules a new password must meet.

See docs/decisions/002-passwords-argon2.md.
"""

from __future__ import annotations

import gzip
import re
import string
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

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


_LIST = Path(__file__).with_name("common_passwords.txt.gz")
# Runs a guesser tries early: digits, the alphabet and the keyboard's rows, both ways.
_SEQUENCES = ("01234567890", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")
# Words of this site that people reach for (context-specific words, NIST SP 800-63B).
_SITE_WORDS = ("mentormatch", "mentor", "match")
_EDGE_CHARACTERS = string.digits + string.punctuation + " "

COMMON = _l(
    "This is one of the most common passwords: it is among the first that anyone guessing "
    "would try. Choose something else; a few words you will remember work well."
)
RUNS = _l(
    "This password repeats or runs through characters in order (like aaaa or 1234), which "
    "is quick to guess. Choose something else; a few words you will remember work well."
)
OWN_NAME = _l(
    "Do not build your password from your name or email address: people who know you "
    "would guess it. Choose something else."
)


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords, shipped with the app (see COMMON_PASSWORDS.md)."""
    with gzip.open(_LIST, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().casefold() for line in lines if line.strip())


def _is_common(folded: str) -> bool:
    # "password12" and "Sunshine2024!" are a listed password with digits or signs added.
    core = folded.strip(_EDGE_CHARACTERS)
    words = common_passwords()
    return folded in words or (len(core) >= 4 and core in words)


def _is_run(folded: str) -> bool:
    compact = folded.replace(" ", "")
    for unit in range(1, 5):
        repeated = (compact[:unit] * (len(compact) // unit + 1))[: len(compact)]
        if len(compact) >= 2 * unit and repeated == compact:
            return True
    core = compact.rstrip(string.digits) if compact[:1].isalpha() else compact
    return (
        any(
            len(core) >= 6 and (core in sequence or core in sequence[::-1])
            for sequence in _SEQUENCES
        )
        or len(set(compact)) <= 2
    )


def _is_made_of(folded: str, parts: list[str]) -> bool:
    """True when only digits and signs remain once the parts are taken out."""
    rest = folded
    for part in sorted(parts, key=len, reverse=True):
        rest = rest.replace(part, "")
    return not rest.strip(_EDGE_CHARACTERS) or all(not ch.isalpha() for ch in rest)


def _own_words(email: str | None, name: str | None) -> list[str]:
    words: list[str] = []
    if email:
        local, _, domain = email.casefold().strip().partition("@")
        words += [local, *re.split(r"[^\w]+", local), *domain.split(".")]
    if name:
        words += re.split(r"[^\w]+", name.casefold())
    return [word for word in words if len(word) >= 3]


def password_problem(
    password: str, email: str | None = None, name: str | None = None
) -> str | None:
    """Say what is wrong with a new password in words a user can act on, or None if it is fine.

    Follows NIST SP 800-63B: a length, no upper bound on what characters to use, and a
    refusal of passwords that guessers try first: common ones, runs, the person's own
    name or email, this site's name.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return _(
            "Use at least %(least)d characters; this one has %(length)d.",
            least=MIN_PASSWORD_LENGTH,
            length=len(password),
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        return _(
            "Use at most %(most)d characters; this one has %(length)d.",
            most=MAX_PASSWORD_LENGTH,
            length=len(password),
        )
    folded = password.strip().casefold()
    if email and folded == email.strip().casefold():
        return _("Do not use your email address as your password; choose something else.")
    if _is_common(folded):
        return str(COMMON)
    if _is_run(folded):
        return str(RUNS)
    own = _own_words(email, name)
    if own and _is_made_of(folded, own + list(_SITE_WORDS)):
        return str(OWN_NAME)
    if _is_made_of(folded, list(_SITE_WORDS)):
        return str(COMMON)
    return None
