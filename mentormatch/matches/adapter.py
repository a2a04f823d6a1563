"""From the database to the engine's plain records, and the inputs that change per request
(excluded pairs, coaching load). No Flask here: every function takes a Session.

Amounts go to the engine in US dollars at the latest rates. An amount that cannot be
converted (its currency has no rate) is never passed as "unknown", which the engine would
let through every ticket: the profile is left out of investment matching and a warning
names it (docs/decisions/007-money.md).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, String, bindparam, or_, select, type_coerce
from sqlalchemy.orm import Session

from mentormatch import taxonomy as tx
from mentormatch.matching import DiasporaRecord, EntrepreneurRecord, Kind, Taxonomy
from mentormatch.models import (
    DiasporaProfile,
    EntrepreneurProfile,
    Skill,
    Stage,
    User,
    ValueChain,
    ValueChainGroup,
)
from mentormatch.models.pairings import OPEN_STATES, Pairing, PairingKind
from mentormatch.models.profiles import (
    diaspora_skills_offered,
    diaspora_value_chains,
    entrepreneur_skills_needed,
    entrepreneur_value_chains,
)
from mentormatch.models.taxonomy import short_label
from mentormatch.models.types import CodeList
from mentormatch.money.rates import Rates
from mentormatch.money.store import latest_rates
from mentormatch.pairings.queries import coaching_loads, no_second_chance_yet
from mentormatch.people.visibility import is_public_state

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
    who: str,
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
        "%s has an amount that cannot be converted to US dollars (%s %s): left out of "
        "investment matching until its currency has a rate (flask rates load) or the profile "
        "changes currency.",
        who,
        currency,
        "–".join(str(amount) for amount in amounts),
    )
    return None


def _rows(session: Session, model: type[Any], columns: Sequence[str],
          ids: Collection[int] | None) -> list[Any]:  # fmt: skip
    """The profiles' columns with their account's is_active: one set-based query (per 5,000
    ids when a list is given), no ORM objects. Code lists come back as stored (JSON text
    on SQLite) and are decoded by _codes, once per distinct list."""
    table = model.__table__
    picked = [
        type_coerce(table.c[c], String) if isinstance(table.c[c].type, CodeList)
        else getattr(model, c)
        for c in columns
    ]  # fmt: skip
    statement = select(model.id, model.user_id, User.is_active, *picked).join(
        User, User.id == model.user_id
    )
    if ids is None:
        return list(session.execute(statement.order_by(model.id)))
    wanted = sorted(set(ids))
    found: list[Any] = []
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        found.extend(session.execute(statement.where(model.id.in_(chunk))))
    return found


@lru_cache(maxsize=65536)
def _decoded(stored: str) -> tuple[str, ...]:
    return tuple(json.loads(stored) or ())


def _codes(stored: Any) -> tuple[str, ...]:
    """A stored code list (JSON text, or a list where the driver already decoded it)."""
    if stored is None:
        return ()
    if isinstance(stored, str):
        return _decoded(stored)
    return tuple(stored)


def _links(session: Session, table: Any, target: Any, column: str,
           ids: Collection[int] | None) -> dict[int, tuple[str, ...]]:  # fmt: skip
    """profile id -> codes of a link table (chains or skills), in taxonomy order."""
    statement = (
        select(table.c.profile_id, table.c[column])
        .join(target, target.code == table.c[column])
        .order_by(table.c.profile_id, target.position)
    )
    if ids is not None:
        statement = statement.where(table.c.profile_id.in_(sorted(set(ids))))
    codes: dict[int, list[str]] = {}
    for profile_id, code in session.execute(statement):
        codes.setdefault(profile_id, []).append(code)
    return {k: tuple(v) for k, v in codes.items()}


ENTREPRENEUR_COLUMNS = (
    "review_status", "country_code", "region_code", "stage", "skills_needed_text", "languages",
    "seeking_investment", "investment_amount", "investment_currency", "investment_instruments",
)  # fmt: skip
DIASPORA_COLUMNS = (
    "review_status", "residence_country", "origin_regions", "interest_regions",
    "skills_offered_text", "languages", "preferred_stages", "offers_coaching",
    "mentee_capacity", "offers_investment", "ticket_min", "ticket_max", "ticket_currency",
    "investment_instruments",
)  # fmt: skip


def entrepreneur_records(
    session: Session, ids: Collection[int] | None = None
) -> list[EntrepreneurRecord]:
    """Entrepreneur profiles (all, or those ids) as records; inactive ones are kept, marked
    inactive. Three set-based queries, whatever the number of profiles."""
    rates = latest_rates(session)
    chains = _links(session, entrepreneur_value_chains, ValueChain, "value_chain_code", ids)
    skills = _links(session, entrepreneur_skills_needed, Skill, "skill_code", ids)
    records = []
    for row in _rows(session, EntrepreneurProfile, ENTREPRENEUR_COLUMNS, ids):
        amount, currency = row.investment_amount, row.investment_currency
        usd = _investment_in_usd(rates, f"Entrepreneur profile {row.id}",
                                 bool(row.seeking_investment), [amount], currency)  # fmt: skip
        seeking = usd is not None
        records.append(
            EntrepreneurRecord(
                id=row.id,
                user_id=row.user_id,
                active=is_public_state(row.review_status, row.is_active),
                country_code=row.country_code,
                region_code=row.region_code or None,
                value_chains=chains.get(row.id, ()),
                stage=Stage(row.stage).value,
                skills_needed=skills.get(row.id, ()),
                skills_needed_text=row.skills_needed_text or "",
                languages=_codes(row.languages),
                seeking_investment=seeking,
                investment_amount_usd=usd[0] if usd else None,
                investment_instruments=_codes(row.investment_instruments),
                investment_amount=amount if seeking else None,
                investment_currency=currency if seeking else None,
            )
        )
    return records


def diaspora_records(session: Session, ids: Collection[int] | None = None) -> list[DiasporaRecord]:
    """Diaspora profiles (all, or those ids) as records (coaching load comes per request,
    see load()). Three set-based queries, whatever the number of profiles."""
    rates = latest_rates(session)
    chains = _links(session, diaspora_value_chains, ValueChain, "value_chain_code", ids)
    skills = _links(session, diaspora_skills_offered, Skill, "skill_code", ids)
    records = []
    for row in _rows(session, DiasporaProfile, DIASPORA_COLUMNS, ids):
        low, high, currency = row.ticket_min, row.ticket_max, row.ticket_currency
        usd = _investment_in_usd(rates, f"Diaspora profile {row.id}",
                                 bool(row.offers_investment), [low, high], currency)  # fmt: skip
        investing = usd is not None
        records.append(
            DiasporaRecord(
                id=row.id,
                user_id=row.user_id,
                active=is_public_state(row.review_status, row.is_active),
                residence_country=row.residence_country,
                origin_regions=_codes(row.origin_regions),
                interest_regions=_codes(row.interest_regions),
                value_chains=chains.get(row.id, ()),
                skills_offered=skills.get(row.id, ()),
                skills_offered_text=row.skills_offered_text or "",
                languages=_codes(row.languages),
                preferred_stages=_codes(row.preferred_stages),
                offers_coaching=bool(row.offers_coaching),
                mentee_capacity=row.mentee_capacity or 0,
                offers_investment=investing,
                ticket_min_usd=usd[0] if usd else None,
                ticket_max_usd=usd[1] if usd else None,
                investment_instruments=_codes(row.investment_instruments),
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
        # English: the engine's `text`; pages render the reader's language from the codes.
        place_names={
            p: (tx.region_name(p, "en") if "-" in p else tx.country_name(p, "en")) for p in places
        },
        language_names={code: tx.language_name(code, "en") for code in languages},
    )


def excluded_pairs(session: Session, kind: Kind, since: datetime, **party: int) -> set[Pair]:
    """(entrepreneur id, diaspora id) pairs not to suggest for this kind: an open pairing,
    or one declined or rejected after `since` (the cooling-off period) or closed for
    conduct; optionally only those of one party (entrepreneur_id=… or diaspora_id=…)."""
    values: dict[str, Any] = {"kind": PairingKind(kind.value), "since": since}
    values.update((f"party_{column}", value) for column, value in party.items())
    return {(e, d) for e, d in session.execute(_excluded_statement(tuple(party)), values)}


@lru_cache(maxsize=8)
def _excluded_statement(columns: tuple[str, ...]) -> Select[int, int]:
    # Built once with placeholders: building it took half the query's time on every page.
    statement = select(Pairing.entrepreneur_id, Pairing.diaspora_id).where(
        Pairing.kind == bindparam("kind"),
        or_(
            Pairing.state.in_(OPEN_STATES),
            no_second_chance_yet(bindparam("since", type_=Pairing.state_changed_at.type)),
        ),
    )
    for column in columns:
        statement = statement.where(getattr(Pairing, column) == bindparam(f"party_{column}"))
    return statement


def load(session: Session) -> dict[int, int]:
    """Coaching places taken per diaspora profile id (accepted or approved pairings): the
    same count accepting and approving check, so a full mentor is not suggested."""
    return coaching_loads(session)
