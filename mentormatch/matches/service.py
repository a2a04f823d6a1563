"""Suggestions for the logged-in person, from a fitted index cached per process.

The index is refitted only when the data it was built from changes: each call compares
a cheap data version (adapter.data_version) with the cached one, so several worker
processes each stay fresh without talking to each other (docs/decisions/005).
Pairings change what is excluded and each mentor's load, which are query inputs, so
requesting an introduction never forces a refit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mentormatch import learning
from mentormatch import taxonomy as tx
from mentormatch.matches import adapter
from mentormatch.matching import Kind, Match, MatchIndex, Ranking
from mentormatch.models import DiasporaProfile, EntrepreneurProfile, User
from mentormatch.pagination import Page

PER_PAGE = 10
# Nobody reads past ten pages of suggestions; the engine is asked for at most this many.
MAX_SUGGESTIONS = 100


@dataclass(frozen=True)
class Fitted:
    version: tuple[Any, ...]
    index: MatchIndex


_cache: dict[str, Fitted] = {}
_lock = threading.Lock()


def fitted_index(session: Session) -> MatchIndex:
    """The index for this database, refitted first if the profiles changed."""
    key = str(session.get_bind().engine.url)
    version = adapter.data_version(session)
    cached = _cache.get(key)
    if cached is not None and cached.version == version:
        return cached.index
    with _lock:
        cached = _cache.get(key)
        if cached is None or cached.version != version:
            es, ds = adapter.entrepreneur_records(session), adapter.diaspora_records(session)
            index = MatchIndex.fit(es, ds, adapter.build_taxonomy(session, es, ds))
            # Stamped with the version read before loading: a change that lands in between
            # only causes one more refit on the next request.
            cached = _cache[key] = Fitted(version, index)
    return cached.index


def clear_cache() -> None:
    """Forget every fitted index (tests; after a bulk import in the same process)."""
    with _lock:
        _cache.clear()


@dataclass(frozen=True)
class Suggestion:
    """One row of the suggestions page: the match and the public face of the counterpart."""

    match: Match
    profile_id: int
    name: str
    summary: str
    place: str

    @property
    def percent(self) -> int:
        return round(self.match.score * 100)


@dataclass(frozen=True)
class Filters:
    value_chain: str | None = None
    country: str | None = None

    def args(self) -> dict[str, str]:
        return {
            k: v for k, v in (("value_chain", self.value_chain), ("country", self.country)) if v
        }


def _among(index: MatchIndex, side: str, filters: Filters) -> Collection[int] | None:
    """Ids of counterparts the filters leave, or None when there is no filter."""
    if not (filters.value_chain or filters.country):
        return None
    chain, country = filters.value_chain, filters.country
    if side == "diaspora":
        return {
            d.id
            for d in index.diaspora
            if (not chain or chain in d.value_chains)
            and (not country or country in {p.split("-")[0] for p in d.places})
        }
    return {
        e.id
        for e in index.entrepreneurs
        if (not chain or chain in e.value_chains) and (not country or e.country_code == country)
    }


def countries_of_counterparts(session: Session, user: User) -> list[tuple[str, str]]:
    """(code, name) of the countries the user's counterparts work in or come from."""
    index = fitted_index(session)
    if user.entrepreneur_profile is not None:
        codes = {p.split("-")[0] for d in index.diaspora if d.active for p in d.places}
    else:
        codes = {e.country_code for e in index.entrepreneurs if e.active}
    return sorted(((c, tx.country_name(c)) for c in codes), key=lambda x: x[1])


def suggestions(
    session: Session, user: User, kind: Kind, filters: Filters, page: int = 1
) -> Page[Suggestion]:
    """One page of ranked counterparts for the user (entrepreneur or diaspora member); the
    page shown is recorded for the learning data (the caller commits)."""
    index = fitted_index(session)
    k = min(page * PER_PAGE, MAX_SUGGESTIONS)
    if user.entrepreneur_profile is not None:
        me, mine, theirs = user.entrepreneur_profile.id, "entrepreneur", "diaspora"
        rank: Callable[..., Ranking] = index.rank_for_entrepreneur
    elif user.diaspora_profile is not None:
        me, mine, theirs = user.diaspora_profile.id, "diaspora", "entrepreneur"
        rank = index.rank_for_diaspora
    else:
        raise ValueError("only entrepreneurs and diaspora members have suggestions")
    ranking = rank(
        me,
        kind,
        k,
        exclude=adapter.excluded_pairs(session, kind, **{f"{mine}_id": me}),
        load=adapter.load(session),
        among=_among(index, theirs, filters),
    )
    counterpart_ids: list[int] = [getattr(m, f"{theirs}_id") for m in ranking.matches]
    start = (page - 1) * PER_PAGE
    shown = list(
        zip(ranking.matches[start : start + PER_PAGE], counterpart_ids[start:], strict=False)
    )
    items = _faces(session, shown, diaspora=user.entrepreneur_profile is not None)
    learning.record_shown(session, mine, [match for match, _ in shown], start + 1)
    total = min(ranking.total, MAX_SUGGESTIONS)
    args = {"kind": kind.value, **filters.args()}
    return Page(items=items, number=page, per_page=PER_PAGE, total=total, args=args)


def _faces(session: Session, shown: list[tuple[Match, int]], diaspora: bool) -> list[Suggestion]:
    """Names and one-line summaries of the counterparts; never contact details."""
    model: type[Any] = DiasporaProfile if diaspora else EntrepreneurProfile
    ids = [i for _, i in shown]
    found = {
        p.id: p
        for p in session.scalars(
            select(model).where(model.id.in_(ids)).options(selectinload(model.user))
        )
    }
    faces = []
    for match, i in shown:
        person = found.get(i)
        if isinstance(person, DiasporaProfile):
            place = ", ".join(tx.region_name(r) for r in person.origin_regions[:2])
            faces.append(Suggestion(match, i, person.display_name, person.headline, place))
        elif isinstance(person, EntrepreneurProfile):
            where = (tx.region_name(person.region_code), tx.country_name(person.country_code))
            place = ", ".join(filter(None, where))
            summary = person.description[:160]
            faces.append(Suggestion(match, i, person.display_name, summary, place))
    return faces


def explain_pair(
    session: Session, entrepreneur: EntrepreneurProfile, diaspora: DiasporaProfile, kind: str
) -> tuple[float, list[dict[str, str]]]:
    """Score and reasons of one pair as the engine sees it now (for the pairing record);
    (0, []) when either profile is not in the index yet."""
    index = fitted_index(session)
    try:
        match = index.explain(entrepreneur.id, diaspora.id, Kind(kind), "entrepreneur")
    except KeyError:
        return 0.0, []
    return match.score, [{"component": r.component, "text": r.text} for r in match.reasons]
