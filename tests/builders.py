"""Realistic people for tests: Amina in Kano, Tesfaye from Oromia, Fatou from Thiès, Jean."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.auth.service import create_user
from mentormatch.models import (
    DiasporaProfile,
    EntrepreneurProfile,
    RegionSource,
    ReviewStatus,
    Role,
    Skill,
    Stage,
    User,
    ValueChain,
)

PASSWORD = "correct horse battery staple"


def chains(session: Session, *codes: str) -> list[ValueChain]:
    return list(session.scalars(select(ValueChain).where(ValueChain.code.in_(codes))))


def skills(session: Session, *codes: str) -> list[Skill]:
    return list(session.scalars(select(Skill).where(Skill.code.in_(codes))))


def make_user(
    session: Session,
    role: Role,
    full_name: str,
    email: str | None,
    password: str | None = PASSWORD,
    phone: str | None = None,
) -> User:
    return create_user(
        session, full_name=full_name, role=role, email=email, phone=phone, password=password
    )


def make_entrepreneur(
    session: Session,
    full_name: str = "Amina Bello",
    email: str | None = "amina@example.org",
    value_chains: tuple[str, ...] = ("poultry",),
    skills_needed: tuple[str, ...] = ("bookkeeping", "supply_chain"),
    **fields: Any,
) -> EntrepreneurProfile:
    """An approved entrepreneur profile; defaults describe Amina's poultry farm near Kano."""
    user = make_user(session, Role.ENTREPRENEUR, full_name, email, phone=fields.pop("phone", None))
    values: dict[str, Any] = {
        "business_name": "Amina Poultry",
        "description": "Layer hens near Kano; selling eggs to local markets.",
        "country_code": "NG",
        "region_code": "NG-KN",
        "locality": "Dawakin Kudu",
        "stage": Stage.STARTING,
        "skills_needed_text": "bookkeeping and feed sourcing",
        "languages": ["hau", "eng"],
        "seeking_investment": True,
        "investment_amount": 5000,
        "investment_currency": "USD",
        "investment_instruments": ["loan"],
        "is_returnee": True,
        "is_women_led": True,
        "is_youth_led": True,
        "contact_email": email,
        "contact_phone": "+2348031234567",
        "review_status": ReviewStatus.APPROVED,
    }
    values.update(fields)
    # A region given here was chosen, as on the 'where' step; none means country level.
    values.setdefault(
        "region_source",
        RegionSource.CHOSEN if values["region_code"] else RegionSource.UNRESOLVED,
    )
    profile = EntrepreneurProfile(user=user, **values)
    # Added before the taxonomy look-ups, whose autoflush would otherwise skip it.
    session.add(profile)
    profile.value_chains = chains(session, *value_chains)
    profile.skills_needed = skills(session, *skills_needed)
    session.flush()
    return profile


def make_diaspora(
    session: Session,
    full_name: str = "Tesfaye Bekele",
    email: str | None = "tesfaye@example.org",
    value_chains: tuple[str, ...] = ("coffee",),
    skills_offered: tuple[str, ...] = ("export_certification", "post_harvest"),
    **fields: Any,
) -> DiasporaProfile:
    """An approved diaspora profile; defaults describe Tesfaye, coffee mentor from Oromia."""
    user = make_user(session, Role.DIASPORA, full_name, email, phone=fields.pop("phone", None))
    values: dict[str, Any] = {
        "headline": "Agronomist, coffee quality and export certification",
        "bio": "Twenty years in coffee quality labs; grew up near Jimma.",
        "residence_country": "US",
        "origin_regions": ["ET-OR"],
        "interest_regions": ["ET-OR", "ET-SN"],
        "skills_offered_text": "coffee cupping, export certification, washing stations",
        "languages": ["amh", "orm", "eng"],
        "offers_coaching": True,
        "mentee_capacity": 2,
        "hours_per_month": 6,
        "offers_investment": False,
        "contact_email": email,
        "contact_phone": "+12025550143",
        "review_status": ReviewStatus.APPROVED,
    }
    values.update(fields)
    profile = DiasporaProfile(user=user, **values)
    # Added before the taxonomy look-ups, whose autoflush would otherwise skip it.
    session.add(profile)
    profile.value_chains = chains(session, *value_chains)
    profile.skills_offered = skills(session, *skills_offered)
    session.flush()
    return profile


@dataclass
class People:
    amina: EntrepreneurProfile
    tesfaye: DiasporaProfile
    fatou: DiasporaProfile
    jean: User
    admin: User

    @classmethod
    def create(cls, session: Session) -> People:
        amina = make_entrepreneur(session)
        tesfaye = make_diaspora(session)
        fatou = make_diaspora(
            session,
            full_name="Fatou Diop",
            email="fatou@example.org",
            value_chains=("vegetables", "agro_processing"),
            skills_offered=("access_to_finance", "marketing"),
            headline="Engineer investing in horticulture in Thiès and Ziguinchor",
            residence_country="FR",
            origin_regions=["SN-TH"],
            interest_regions=["SN-TH", "SN-ZG"],
            languages=["fra", "wol"],
            offers_coaching=False,
            mentee_capacity=0,
            hours_per_month=0,
            offers_investment=True,
            ticket_min=2000,
            ticket_max=20000,
            ticket_currency="EUR",
            investment_instruments=["loan", "equity"],
            contact_phone="+33612345678",
        )
        jean = make_user(session, Role.COORDINATOR, "Jean Mukendi", "jean@example.org")
        admin = make_user(session, Role.ADMIN, "Programme IT", "it@example.org")
        return cls(amina=amina, tesfaye=tesfaye, fatou=fatou, jean=jean, admin=admin)
