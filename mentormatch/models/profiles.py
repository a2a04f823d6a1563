"""The two sides of a match: entrepreneur and diaspora profiles."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentormatch.db import Base, utcnow
from mentormatch.models.taxonomy import Skill, ValueChain
from mentormatch.models.types import CodeList, UTCDateTime
from mentormatch.models.users import User, enum_column


class ReviewStatus(enum.StrEnum):
    """Where a profile stands with the coordinators (mentormatch/people/vetting.py): only
    approved profiles are seen by others and matched (docs/decisions/016)."""

    PENDING = "pending"  # unfinished, or finished and waiting for a coordinator
    CHANGES_REQUESTED = "changes_requested"  # the person is asked to change something
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"  # hidden while a coordinator looks into a report

    @property
    def label(self) -> str:
        """The status in the reader's language."""
        from flask_babel import gettext as _

        return {
            "pending": _("Waiting for review"),
            "changes_requested": _("Changes asked for"),
            "approved": _("Approved"),
            "rejected": _("Not accepted"),
            "suspended": _("Suspended"),
        }[self.value]


class RegionSource(enum.StrEnum):
    """Where an entrepreneur's region came from."""

    CHOSEN = "chosen"  # picked by the person or a coordinator: always wins over a guess
    RESOLVED = "resolved"  # placed from the locality text, with a confidence
    UNRESOLVED = "unresolved"  # no region: matched at country level (locality kept)


class Stage(enum.StrEnum):
    IDEA = "idea"
    STARTING = "starting"
    GROWING = "growing"
    ESTABLISHED = "established"

    @property
    def label(self) -> str:
        from mentormatch.vocabulary import stage_label

        return stage_label(self.value)

    @property
    def english_label(self) -> str:
        """The label in English, as CSV files and the import read it."""
        return {
            "idea": "Idea: not yet producing or selling",
            "starting": "Starting: first season or first sales",
            "growing": "Growing: selling regularly, want to expand",
            "established": "Established: several years of steady business",
        }[self.value]


class Instrument(enum.StrEnum):
    GRANT = "grant"
    LOAN = "loan"
    EQUITY = "equity"
    IN_KIND = "in_kind"

    @property
    def label(self) -> str:
        from mentormatch.vocabulary import instrument_label

        return instrument_label(self.value)

    @property
    def english_label(self) -> str:
        """The label in English, as CSV files and the import read it."""
        return {"grant": "Grant", "loan": "Loan", "equity": "Equity", "in_kind": "In kind"}[
            self.value
        ]


def _link_table(name: str, profile_table: str, target: str, target_column: str) -> Table:
    return Table(
        name,
        Base.metadata,
        Column(
            "profile_id",
            ForeignKey(f"{profile_table}.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column(
            f"{target}_code",
            ForeignKey(f"{target_column}", ondelete="CASCADE"),
            primary_key=True,
            index=True,
        ),
    )


entrepreneur_value_chains = _link_table(
    "entrepreneur_value_chains", "entrepreneur_profiles", "value_chain", "value_chains.code"
)
entrepreneur_skills_needed = _link_table(
    "entrepreneur_skills_needed", "entrepreneur_profiles", "skill", "skills.code"
)
diaspora_value_chains = _link_table(
    "diaspora_value_chains", "diaspora_profiles", "value_chain", "value_chains.code"
)
diaspora_skills_offered = _link_table(
    "diaspora_skills_offered", "diaspora_profiles", "skill", "skills.code"
)


class ProfileRecord:
    """The columns both profiles share: private contact, review status, timestamps."""

    # Private: shown only to the counterpart of an approved pairing.
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    review_status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus), default=ReviewStatus.PENDING, index=True
    )
    #: When the finished profile was sent for review (its first completion, or again after
    #: changes were asked for): the vetting queue's order. None while it is unfinished.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


def business_or_person(business_name: str | None, full_name: str) -> str:
    """The name an entrepreneur is shown under: the business's, else the person's."""
    return business_name or full_name


class EntrepreneurProfile(ProfileRecord, Base):
    __tablename__ = "entrepreneur_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    business_name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    country_code: Mapped[str] = mapped_column(String(2), index=True)
    region_code: Mapped[str | None] = mapped_column(String(10), index=True)
    locality: Mapped[str] = mapped_column(String(120), default="")
    # How sure the resolver was (0..1) when it placed the locality; None when chosen.
    region_confidence: Mapped[float | None] = mapped_column(Float)
    region_source: Mapped[RegionSource] = mapped_column(
        enum_column(RegionSource), default=RegionSource.UNRESOLVED
    )
    stage: Mapped[Stage] = mapped_column(enum_column(Stage), default=Stage.STARTING)
    skills_needed_text: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list[str]] = mapped_column(CodeList(), default=list)
    seeking_investment: Mapped[bool] = mapped_column(Boolean, default=False)
    investment_amount: Mapped[int | None] = mapped_column(Integer)
    investment_currency: Mapped[str | None] = mapped_column(String(3))
    investment_instruments: Mapped[list[str]] = mapped_column(CodeList(), default=list)
    is_returnee: Mapped[bool] = mapped_column(Boolean, default=False)
    is_women_led: Mapped[bool] = mapped_column(Boolean, default=False)
    is_youth_led: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship(back_populates="entrepreneur_profile")
    value_chains: Mapped[list[ValueChain]] = relationship(
        secondary=entrepreneur_value_chains, order_by="ValueChain.position"
    )
    skills_needed: Mapped[list[Skill]] = relationship(
        secondary=entrepreneur_skills_needed, order_by="Skill.position"
    )

    @property
    def display_name(self) -> str:
        return business_or_person(self.business_name, self.user.full_name)


class DiasporaProfile(ProfileRecord, Base):
    __tablename__ = "diaspora_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    headline: Mapped[str] = mapped_column(String(140))
    bio: Mapped[str] = mapped_column(Text, default="")
    residence_country: Mapped[str] = mapped_column(String(2), index=True)
    origin_regions: Mapped[list[str]] = mapped_column(CodeList(), default=list)
    interest_regions: Mapped[list[str]] = mapped_column(CodeList(), default=list)
    skills_offered_text: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list[str]] = mapped_column(CodeList(), default=list)
    # Stages of business they want to work with; empty means any.
    preferred_stages: Mapped[list[str]] = mapped_column(CodeList(), default=list)
    offers_coaching: Mapped[bool] = mapped_column(Boolean, default=False)
    mentee_capacity: Mapped[int] = mapped_column(Integer, default=0)
    hours_per_month: Mapped[int] = mapped_column(Integer, default=0)
    offers_investment: Mapped[bool] = mapped_column(Boolean, default=False)
    ticket_min: Mapped[int | None] = mapped_column(Integer)
    ticket_max: Mapped[int | None] = mapped_column(Integer)
    ticket_currency: Mapped[str | None] = mapped_column(String(3))
    investment_instruments: Mapped[list[str]] = mapped_column(CodeList(), default=list)

    user: Mapped[User] = relationship(back_populates="diaspora_profile")
    value_chains: Mapped[list[ValueChain]] = relationship(
        secondary=diaspora_value_chains, order_by="ValueChain.position"
    )
    skills_offered: Mapped[list[Skill]] = relationship(
        secondary=diaspora_skills_offered, order_by="Skill.position"
    )

    @property
    def display_name(self) -> str:
        return self.user.full_name

    @property
    def origin_countries(self) -> list[str]:
        return sorted({code.split("-")[0] for code in self.origin_regions})
