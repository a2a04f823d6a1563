"""From the database to the engine's plain records, and the inputs that change per request
(excluded pairs, coaching load). No Flask here: every function takes a Session.

Amounts go to the engine in US dollars at the latest rates. An amount that cannot be
converted (its currency has no rate) is never passed as "unknown", which the engine would
let through every ticket: the profile is left out of investment matching and a warning
names it (docs/decisions/007-money.md).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from mentormatch import taxonomy as tx
from mentormatch.matching import DiasporaRecord, EntrepreneurRecord, Kind, Taxonomy
from mentormatch.models import (
    DiasporaProfile,
    EntrepreneurProfile,
    Skill,
    ValueChain,
    ValueChainGroup,
)
from mentormatch.models.pairings import OPEN_STATES, Pairing, PairingKind
from mentormatch.models.taxonomy import short_label
from mentormatch.money.rates import Rates
from mentormatch.money.store import latest_rates
from mentormatch.pairings.queries import coaching_loads, no_second_chance_yet
from mentormatch.people.visibility import is_public

log = logging.getLogger(__name__)

Pair = tuple[int, int]

# The profile attributes the records below are made of (and the account's is_active):
# changing any of them changes suggestions, so mentormatch.matches.changes watches them.
ENGINE_FIELDS: dict[type[Any], tuple[str, ...]] = {
    EntrepreneurProfile: (
        "review_status", "country_code", "region_code", "value_chains", "stage",
        "skills_needed", "skills_needed_text", "languages", "seeking_investment",
        "investment_amount", "investment_currency", "investment_instruments",
    ),
    DiasporaProfile: (
        "review_status", "residence_country", "origin_regions", "interest_regions",
        "value_chains", "skills_offered", "skills_offered_text", "languages",
        "preferred_stages", "offers_coaching", "mentee_capacity", "offers_investment",
        "ticket_min", "ticket_max", "ticket_currency", "investment_instruments",
    ),
}  # fmt: skip


def _investment_in_usd(
    rates: Rates,
    profile: EntrepreneurProfile | DiasporaProfile,
    wanted: bool,
    amounts: Sequence[int | None],
    currency: str | None,
) -> tuple[float, ...] | None:
    """The amounts in US dollars when the profile seeks or offers investment (`wanted`);
    None when it does not, or when one cannot be converted (then a warning names it)."""
    if not wanted:
        return None
    converted = [None if a is None else rates.to_usd(a, currency) for a in amounts]
    usd = tuple(value for value in converted if value is not None)
    if len(usd) == len(amounts):
        return usd
    log.warning(
        "%s (%s profile %s) has an amount that cannot be converted to US dollars (%s %s): "
        "left out of investment matching until its currency has a rate (flask rates load) "
        "or the profile changes currency.",
        profile.display_name,
        "entrepreneur" if isinstance(profile, EntrepreneurProfile) else "diaspora",
        profile.id,
        currency,
        "–".join(str(amount) for amount in amounts),
    )
    return None


def _with_relations(
    session: Session, model: type[Any], skills: str, ids: Collection[int] | None
) -> Any:
    """Profiles of a model (all, or those ids) with their user, chains and skills loaded
    in bulk: a handful of set-based queries, never one per profile."""
    relations = (model.user, model.value_chains, getattr(model, skills))
    statement = select(model).options(*(selectinload(r) for r in relations))
    if ids is not None:
        statement = statement.where(model.id.in_(list(ids)))
    return session.scalars(statement)


def entrepreneur_records(
    session: Session, ids: Collection[int] | None = None
) -> list[EntrepreneurRecord]:
    """Entrepreneur profiles (all, or those ids) as records; inactive ones are kept, marked
    inactive."""
    rates = latest_rates(session)
    records = []
    for p in _with_relations(session, EntrepreneurProfile, "skills_needed", ids):
        amount, currency = p.investment_amount, p.investment_currency
        usd = _investment_in_usd(rates, p, p.seeking_investment, [amount], currency)
        seeking = usd is not None
        records.append(
            EntrepreneurRecord(
                id=p.id,
                user_id=p.user_id,
                active=is_public(p),
                country_code=p.country_code,
                region_code=p.region_code or None,
                value_chains=tuple(c.code for c in p.value_chains),
                stage=p.stage.value,
                skills_needed=tuple(s.code for s in p.skills_needed),
                skills_needed_text=p.skills_needed_text or "",
                languages=tuple(p.languages or ()),
                seeking_investment=seeking,
                investment_amount_usd=usd[0] if usd else None,
                investment_instruments=tuple(p.investment_instruments or ()),
                investment_amount=amount if seeking else None,
                investment_currency=currency if seeking else None,
            )
        )
    return records


def diaspora_records(session: Session, ids: Collection[int] | None = None) -> list[DiasporaRecord]:
    """Diaspora profiles (all, or those ids) as records (coaching load comes per request,
    see load())."""
    rates = latest_rates(session)
    records = []
    for p in _with_relations(session, DiasporaProfile, "skills_offered", ids):
        low, high, currency = p.ticket_min, p.ticket_max, p.ticket_currency
        usd = _investment_in_usd(rates, p, p.offers_investment, [low, high], currency)
        investing = usd is not None
        records.append(
            DiasporaRecord(
                id=p.id,
                user_id=p.user_id,
                active=is_public(p),
                residence_country=p.residence_country,
                origin_regions=tuple(p.origin_regions or ()),
                interest_regions=tuple(p.interest_regions or ()),
                value_chains=tuple(c.code for c in p.value_chains),
                skills_offered=tuple(s.code for s in p.skills_offered),
                skills_offered_text=p.skills_offered_text or "",
                languages=tuple(p.languages or ()),
                preferred_stages=tuple(p.preferred_stages or ()),
                offers_coaching=bool(p.offers_coaching),
                mentee_capacity=p.mentee_capacity or 0,
                offers_investment=investing,
                ticket_min_usd=usd[0] if usd else None,
                ticket_max_usd=usd[1] if usd else None,
                investment_instruments=tuple(p.investment_instruments or ()),
                ticket_min=low if investing else None,
                ticket_max=high if investing else None,
                ticket_currency=currency if investing else None,
            )
        )
    return records


def build_taxonomy(
    session: Session, entrepreneurs: list[EntrepreneurRecord], diaspora: list[DiasporaRecord]
) -> Taxonomy:
    """The engine's taxonomy from the database, M49 areas, and names of the places and
    languages these people use (for wording reasons)."""
    chains = session.execute(
        select(ValueChain.code, ValueChain.label, ValueChain.group_code).order_by(
            ValueChain.position
        )
    ).all()
    groups = session.execute(select(ValueChainGroup.code, ValueChainGroup.label)).all()
    skills = session.execute(
        select(Skill.code, Skill.label, Skill.keywords).order_by(Skill.position)
    ).all()
    areas = tx.m49_areas()
    places: set[str] = set()
    languages: set[str] = set()
    for e in entrepreneurs:
        places.update(filter(None, (e.country_code, e.region_code)))
        languages.update(e.languages)
    for d in diaspora:
        places.update(d.places)
        places.update(p.split("-")[0] for p in d.places)
        languages.update(d.languages)
    return Taxonomy(
        chain_group={code: group for code, _, group in chains},
        chain_labels={code: short_label(label) for code, label, _ in chains},
        group_labels=dict(groups),
        skill_labels={code: label for code, label, _ in skills},
        skill_keywords={code: keywords or "" for code, _, keywords in skills},
        country_subregion={c: a.subregion_code for c, a in areas.items() if a.subregion_code},
        subregion_names={a.subregion_code: a.subregion for a in areas.values() if a.subregion},
        place_names={p: (tx.region_name(p) if "-" in p else tx.country_name(p)) for p in places},
        language_names={code: tx.language_name(code) for code in languages},
    )


def excluded_pairs(session: Session, kind: Kind, since: datetime, **party: int) -> set[Pair]:
    """(entrepreneur id, diaspora id) pairs not to suggest for this kind: an open pairing,
    or one declined or rejected after `since` (the cooling-off period) or closed for
    conduct; optionally only those of one party (entrepreneur_id=… or diaspora_id=…)."""
    statement = select(Pairing.entrepreneur_id, Pairing.diaspora_id).where(
        Pairing.kind == PairingKind(kind.value),
        or_(Pairing.state.in_(OPEN_STATES), no_second_chance_yet(since)),
    )
    for column, value in party.items():
        statement = statement.where(getattr(Pairing, column) == value)
    return {(e, d) for e, d in session.execute(statement)}


def load(session: Session) -> dict[int, int]:
    """Coaching places taken per diaspora profile id (accepted or approved pairings): the
    same count accepting and approving check, so a full mentor is not suggested."""
    return coaching_loads(session)
