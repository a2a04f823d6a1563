"""The coordinator's people list: search by name, business, email or phone, and filters.

One statement, built from the filters, that the page paginates; the database does the
work (no person is loaded that the page does not show).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, cast, false, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.types import String

from mentormatch import taxonomy
from mentormatch.models import DiasporaProfile, EntrepreneurProfile, ReviewStatus, Role, User
from mentormatch.models.profiles import diaspora_value_chains, entrepreneur_value_chains
from mentormatch.pairings.queries import places_taken

E, D = EntrepreneurProfile, DiasporaProfile
R = ReviewStatus

# The roles as the programme names them: a diaspora member is a mentor, an investor or both.
ROLE_CHOICES = {
    "entrepreneur": _l("Entrepreneur"),
    "mentor": _l("Mentor (offers coaching)"),
    "investor": _l("Investor (offers investment)"),
    "coordinator": _l("Programme coordinator"),
    "admin": _l("Administrator"),
}


def status_choices() -> list[tuple[str, str]]:
    """(value, words) of the people list's status filter, in the reader's language (the
    review statuses in their model's own words, read now, not at import)."""
    review = (R.CHANGES_REQUESTED, R.APPROVED, R.REJECTED, R.SUSPENDED)
    return [
        ("waiting", _("Waiting for review")),
        ("unfinished", _("Profile not finished")),
        *((status.value, status.label) for status in review),
        ("deactivated", _("Account deactivated")),
    ]


@dataclass(frozen=True)
class PeopleFilters:
    """What the coordinator typed and chose; empty means any."""

    text: str = ""
    role: str | None = None
    country: str | None = None
    region: str | None = None
    value_chain: str | None = None
    status: str | None = None
    returnee: bool = False
    women_led: bool = False
    youth_led: bool = False
    capacity_left: bool = False


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _matches_word(word: str) -> ColumnElement[bool]:
    """A person whose name, business or email contains `word` (any case)."""
    pattern = _like(word.casefold())
    return or_(
        func.lower(User.full_name).like(pattern, escape="\\"),
        func.lower(E.business_name).like(pattern, escape="\\"),
        User.email.like(pattern, escape="\\"),
        func.lower(E.contact_email).like(pattern, escape="\\"),
        func.lower(D.contact_email).like(pattern, escape="\\"),
    )


def _matches_phone(digits: str) -> ColumnElement[bool]:
    """A person whose phone numbers (stored as + and digits) contain these digits."""
    number = _like(digits)
    return or_(
        User.phone.like(number, escape="\\"),
        E.contact_phone.like(number, escape="\\"),
        D.contact_phone.like(number, escape="\\"),
    )


def _matches_text(text: str) -> list[ColumnElement[bool]]:
    """Conditions for what was typed: a phone number (digits with spaces, dashes, a +) is
    looked up by its digits; anything else word by word, each in a name, business or email."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 4 and all(ch.isdigit() or ch in "+-(). " for ch in text):
        return [_matches_phone(digits)]
    return [_matches_word(word) for word in text.split()[:5]]


def _status(status: str) -> ColumnElement[bool]:
    active = User.is_active.is_(True)
    if status == "deactivated":
        return User.is_active.is_(False)
    if status == "waiting":
        return and_(
            active,
            or_(
                and_(E.review_status == ReviewStatus.PENDING, E.submitted_at.is_not(None)),
                and_(D.review_status == ReviewStatus.PENDING, D.submitted_at.is_not(None)),
            ),
        )
    if status == "unfinished":
        return and_(
            active,
            User.role.in_((Role.ENTREPRENEUR, Role.DIASPORA)),
            or_(E.id.is_(None), E.submitted_at.is_(None)),
            or_(D.id.is_(None), D.submitted_at.is_(None)),
        )
    review = ReviewStatus(status)
    return and_(active, or_(E.review_status == review, D.review_status == review))


def _origin(code: str) -> ColumnElement[bool]:
    """Diaspora members whose origin regions include `code` (a region) or a region of the
    country `code`: the list is stored as JSON text, e.g. ["ET-OR", "ET-SN"]."""
    text = cast(D.origin_regions, String)
    if "-" in code:
        return text.like(_like(f'"{code}"'), escape="\\")
    return text.like(_like(f'"{code}-'), escape="\\")


def people(filters: PeopleFilters) -> Select[Any]:
    """The ids of everyone matching the filters, by name: narrow rows, so sorting and
    counting ten thousand people stay cheap; `load_people` reads the page's people."""
    statement = (
        select(User.id)
        .outerjoin(E, E.user_id == User.id)
        .outerjoin(D, D.user_id == User.id)
        .order_by(func.lower(User.full_name), User.id)
    )
    conditions = _matches_text(filters.text)
    if filters.role == "mentor":
        conditions.append(D.offers_coaching.is_(True))
    elif filters.role == "investor":
        conditions.append(D.offers_investment.is_(True))
    elif filters.role:
        conditions.append(User.role == Role(filters.role))
    if filters.region:
        conditions.append(or_(E.region_code == filters.region, _origin(filters.region)))
    elif filters.country:
        conditions.append(or_(E.country_code == filters.country, _origin(filters.country)))
    if filters.value_chain:
        conditions.append(
            or_(
                select(entrepreneur_value_chains.c.profile_id)
                .where(
                    entrepreneur_value_chains.c.profile_id == E.id,
                    entrepreneur_value_chains.c.value_chain_code == filters.value_chain,
                )
                .exists(),
                select(diaspora_value_chains.c.profile_id)
                .where(
                    diaspora_value_chains.c.profile_id == D.id,
                    diaspora_value_chains.c.value_chain_code == filters.value_chain,
                )
                .exists(),
            )
        )
    if filters.status:
        conditions.append(_status(filters.status))
    for flag, column in (
        (filters.returnee, E.is_returnee),
        (filters.women_led, E.is_women_led),
        (filters.youth_led, E.is_youth_led),
    ):
        if flag:
            conditions.append(column.is_(True))
    if filters.capacity_left:
        taken = places_taken()
        statement = statement.outerjoin(taken, taken.c.diaspora_id == D.id)
        conditions.append(
            and_(
                D.offers_coaching.is_(True),
                D.mentee_capacity > func.coalesce(taken.c.taken, 0),
            )
        )
    return statement.where(*conditions) if conditions else statement


def load_people(session: Session, ids: Sequence[int]) -> list[User]:
    """The people with these ids, in this order, with their profiles."""
    found = {
        user.id: user
        for user in session.scalars(
            select(User)
            .where(User.id.in_(list(ids)))
            .options(selectinload(User.entrepreneur_profile), selectinload(User.diaspora_profile))
        )
    }
    return [found[i] for i in ids if i in found]


def countries_of_people(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the countries entrepreneurs work in and diaspora members come from,
    by name: the people list's country filter."""
    codes = set(session.scalars(select(E.country_code).distinct()))
    for regions in session.scalars(select(cast(D.origin_regions, String)).distinct()):
        codes.update(code.split("-")[0] for code in json.loads(regions or "[]"))
    codes.discard("")
    return sorted(((c, taxonomy.country_name(c)) for c in codes), key=lambda pair: pair[1])


def nobody() -> Select[Any]:
    """The same list, empty: what a bad filter shows (never everyone)."""
    return people(PeopleFilters()).where(false())
