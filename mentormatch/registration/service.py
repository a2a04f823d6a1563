"""Assisted registration: a coordinator or a field officer registers an entrepreneur met in
the field (a phone number is enough), records their consent, and may edit them later;
coordinators create field officers.

The answers go through the profile rules (mentormatch.profiles.rules), as in the wizard
and the import. Functions take a Session and flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from mentormatch import phones, vocabulary
from mentormatch.auth.service import create_user, email_taken, phone_taken
from mentormatch.i18n import in_language_of
from mentormatch.i18n.choices import language_from
from mentormatch.models import (
    ConsentMethod,
    ConsentRecord,
    EntrepreneurProfile,
    ReviewStatus,
    Role,
    User,
)
from mentormatch.notifications import public_link
from mentormatch.people import vetting
from mentormatch.profiles import rules
from mentormatch.profiles.rules import Problems, ProfileInputError, Vocabularies
from mentormatch.profiles.service import apply_taxonomy, apply_where
from mentormatch.registration import consent as statements
from mentormatch.sms import queue_sms

# Who may register entrepreneurs in the field.
REGISTRARS = (Role.COORDINATOR, Role.ADMIN, Role.FIELD_OFFICER)
# Who may create field officers.
OFFICER_MAKERS = (Role.COORDINATOR, Role.ADMIN)


@dataclass(frozen=True)
class Consent:
    """What the person agreed to (statement keys) and how they said it."""

    statements: list[str] = field(default_factory=list)
    method: ConsentMethod | None = None


def status_for(registrar: User, chosen: ReviewStatus | None) -> ReviewStatus:
    """The review status of a new registration: a coordinator's choice (approved unless
    they say otherwise); a field officer's registrations wait for a coordinator."""
    if registrar.role is Role.FIELD_OFFICER:
        return ReviewStatus.PENDING
    return chosen or ReviewStatus.APPROVED


def may_edit(editor: User, person: User) -> bool:
    """Coordinators edit anyone registered on someone's behalf; a field officer only the
    people they registered."""
    if person.role is not Role.ENTREPRENEUR or person.registered_by_id is None:
        return False
    if editor.is_staff:
        return True
    return editor.role is Role.FIELD_OFFICER and person.registered_by_id == editor.id


def _check(
    session: Session, answers: Mapping[str, Any], person: User | None
) -> tuple[dict[str, Any], dict[str, Any], rules.Whereabouts | None, Problems]:
    vocabs = Vocabularies(session)
    problems = Problems()
    where = rules.where(answers, vocabs, problems, place_required=True)
    fields = rules.check_all([rules.business, rules.value_chains], answers, vocabs, problems)
    languages = rules.code_list(
        problems,
        answers,
        "languages",
        vocabulary.parse_language_list,
        _("Choose at least one language for talking with a partner."),
    )
    fields["languages"] = languages
    for name in ("is_returnee", "is_women_led", "is_youth_led"):
        fields[name] = bool(rules.flag(problems, answers, name))
    account = rules.account(answers, vocabs, problems, where.country_code if where else None)
    if not account["phone"] and not problems.has("phone"):
        problems.add("phone", _("Enter the person's phone number: they claim the account with it."))
    exclude = person.id if person is not None else None
    if account["phone"] and phone_taken(session, account["phone"], exclude):
        problems.add("phone", _taken(account["phone"]))
    if account["email"] and email_taken(session, account["email"], exclude):
        problems.add("email", _taken(account["email"]))
    account["language"] = reading_language(answers.get("language"), problems)
    return fields, account, where, problems


def _taken(login: str) -> str:
    return _("%(login)s is already registered to another account.", login=login)


def reading_language(answer: Any, problems: Problems) -> str | None:
    """The language a person reads (en, fr, es or ar; its name is fine too), None when not
    given; a problem under "language" when it is none of them."""
    text = str(answer or "").strip()
    if not text:
        return None
    code = language_from(text)
    if code is None:
        problems.add(
            "language",
            _(
                "MentorMatch writes in English (en), French (fr), Spanish (es) and Arabic "
                "(ar): choose one of them, or leave it empty."
            ),
        )
    return code


def register_entrepreneur(
    session: Session,
    registrar: User,
    answers: Mapping[str, Any],
    consent: Consent,
    review_status: ReviewStatus | None = None,
) -> User:
    """Create the account (no password: the person claims it) and the profile of an
    entrepreneur met in the field, with the consent they gave. Raises ProfileInputError
    (nothing written) when an answer breaks a rule or consent is missing."""
    if registrar.role not in REGISTRARS:
        raise PermissionError(f"a {registrar.role.value} does not register people")
    fields, account, where, problems = _check(session, answers, None)
    for key in statements.REQUIRED:
        if key not in consent.statements:
            problems.add(
                f"consent_{key}",
                _(
                    "The person must agree to this to be registered: read it to them and tick "
                    "it when they say yes."
                ),
            )
    if consent.method is None:
        problems.add("consent_method", _("Say how the person gave their consent."))
    problems.check()
    assert where is not None and consent.method is not None  # no problem means both
    user = create_user(
        session,
        full_name=account["full_name"],
        role=Role.ENTREPRENEUR,
        email=account["email"],
        phone=account["phone"],
        registered_by=registrar,
    )
    user.language = account["language"]
    profile = EntrepreneurProfile(
        user=user,
        contact_email=account["email"],
        contact_phone=account["phone"],
        country_code=where.country_code,
    )
    session.add(profile)
    # The registrar's status (field officers: pending), counted as sent, in the trail.
    vetting.record_initial_status(session, profile, status_for(registrar, review_status), registrar)
    apply_where(profile, where)
    apply_taxonomy(session, profile, fields)
    agreed = [key for key in statements.STATEMENTS if key in consent.statements]
    session.add(
        ConsentRecord(
            user=user,
            recorded_by=registrar,
            version=statements.VERSION,
            statements=agreed,
            text=statements.consent_text(agreed),
            method=consent.method,
        )
    )
    session.flush()
    return user


def update_registration(
    session: Session, editor: User, person: User, answers: Mapping[str, Any]
) -> User:
    """Change what was registered about a person (the same rules as registering)."""
    if not may_edit(editor, person):
        raise PermissionError("only coordinators and the field officer who registered them")
    fields, account, where, problems = _check(session, answers, person)
    problems.check()
    assert where is not None and person.entrepreneur_profile is not None
    profile = person.entrepreneur_profile
    person.full_name = account["full_name"]
    person.phone = account["phone"]
    person.email = account["email"]
    profile.contact_phone = account["phone"]
    profile.contact_email = account["email"]
    if account["language"] is not None:
        person.language = account["language"]
    apply_where(profile, where)
    apply_taxonomy(session, profile, fields)
    session.flush()
    return person


def registration_answers(person: User) -> dict[str, Any]:
    """What the registration form shows for a person already registered."""
    profile = person.entrepreneur_profile
    assert profile is not None
    return {
        "full_name": person.full_name,
        "phone": phones.display_phone(person.phone),
        "email": person.email or "",
        "country_code": profile.country_code,
        "region_code": profile.region_code or "",
        "locality": profile.locality,
        "business_name": profile.business_name,
        "description": profile.description,
        "stage": profile.stage.value,
        "value_chains": [chain.code for chain in profile.value_chains],
        "languages": "; ".join(profile.languages),
        "is_returnee": profile.is_returnee,
        "is_women_led": profile.is_women_led,
        "is_youth_led": profile.is_youth_led,
        "language": person.language or "",
    }


def registered_by(registrar: User | None) -> Select[Any]:
    """Entrepreneurs registered on someone's behalf, newest first: by `registrar`, or by
    anyone when None (a statement, for a page of them)."""
    query = select(User).where(User.role == Role.ENTREPRENEUR, User.registered_by_id.is_not(None))
    if registrar is not None:
        query = query.where(User.registered_by_id == registrar.id)
    return query.order_by(User.created_at.desc(), User.id.desc())


def invite_by_sms(session: Session, person: User, registrar: User, public_url: str) -> None:
    """Queue a text telling the person how to claim their account (no code: they ask for
    one on the claim page when they are ready), in the language the person reads."""
    if not person.phone:
        return
    link = public_link(public_url, "/claim")
    name = " ".join(registrar.full_name.split()[:2])[:40]
    with in_language_of(person):
        text = _(
            "%(registrar)s registered you on MentorMatch, which connects farmers with mentors "
            "and investors. To use your account, open %(link)s and type this phone number.",
            registrar=name or _("A coordinator"),
            link=link,
        )
    queue_sms(session, person.phone, text)


def create_field_officer(
    session: Session, creator: User, full_name: str, email: str | None, phone: str | None
) -> User:
    """A field officer's account, without a password: they claim it with a code sent to
    their email or phone. Raises ProfileInputError (nothing written) on a bad answer."""
    if creator.role not in OFFICER_MAKERS:
        raise PermissionError("only coordinators and administrators create field officers")
    problems = Problems()
    answers = {"full_name": full_name, "email": email, "phone": phone}
    account = rules.account(answers, Vocabularies(session), problems, None)
    if account["phone"] and phone_taken(session, account["phone"]):
        problems.add("phone", _taken(account["phone"]))
    if account["email"] and email_taken(session, account["email"]):
        problems.add("email", _taken(account["email"]))
    problems.check()
    return create_user(
        session,
        full_name=account["full_name"],
        role=Role.FIELD_OFFICER,
        email=account["email"],
        phone=account["phone"],
        registered_by=creator,
    )


def field_officers(session: Session) -> list[User]:
    """Every field officer, by name."""
    return list(
        session.scalars(
            select(User).where(User.role == Role.FIELD_OFFICER).order_by(User.full_name)
        )
    )


__all__ = [
    "Consent",
    "ProfileInputError",
    "create_field_officer",
    "field_officers",
    "invite_by_sms",
    "may_edit",
    "register_entrepreneur",
    "registered_by",
    "registration_answers",
    "status_for",
    "update_registration",
]
