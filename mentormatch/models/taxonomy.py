"""The controlled vocabularies loaded from seed_data/taxonomy/."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentormatch.db import Base


class ValueChainGroup(Base):
    """A family of related value chains (livestock, cash crops) that score partially."""

    __tablename__ = "value_chain_groups"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)

    value_chains: Mapped[list[ValueChain]] = relationship(
        back_populates="group", order_by="ValueChain.position"
    )


class ValueChain(Base):
    __tablename__ = "value_chains"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(80))
    group_code: Mapped[str] = mapped_column(ForeignKey("value_chain_groups.code"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: ISIC Rev.4 classes (or a group or division) the chain corresponds to, ';'-separated.
    isic_code: Mapped[str] = mapped_column(String(40), default="")

    group: Mapped[ValueChainGroup] = relationship(back_populates="value_chains")

    @property
    def short_label(self) -> str:
        """The label without its examples: "Cereals: maize, wheat…" -> "Cereals"."""
        return short_label(self.label)


def short_label(label: str) -> str:
    """A label without the examples after ': ', for lists and sentences."""
    return label.partition(": ")[0]


class Skill(Base):
    __tablename__ = "skills"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(80))
    # Words a person might write for this skill; they feed the free-text matching.
    keywords: Mapped[str] = mapped_column(String(400), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
