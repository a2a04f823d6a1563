"""Suggestions for the logged-in person, from the matching index.

Where the index comes from is a setting (MATCHING_INDEX):

- "published" (development and production): the worker process builds and publishes the
  index (matches/builds.py); web processes map the newest published one (its arrays are
  shared through the page cache) and never build one inside a request. A person's own
  change that the published index does not have yet is applied on the fly, just for them.
- "inline" (tests and one-process tools): the index is fitted in this process when the
  matching data version (one primary-key lookup) has moved since the last fit.

Only the page's people are read from the database (one query for its cards), reasons are
worded for the page's rows only, and coaching loads come from one grouped query.
See docs/decisions/015.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mentormatch import learning
from mentormatch import taxonomy as tx
from mentormatch.db import utcnow
from mentormatch.matches import adapter
from mentormatch.matches.changes import changed_after, changes_since, matching_version
from mentormatch.matching import (
    DiasporaRecord,
    EntrepreneurRecord,
    Kind,
    Match,
    MatchIndex,
    Ranking,
)
from mentormatch.matching.index import NeedsRebuild
from mentormatch.matching.store import current, load, records_from_json
from mentormatch.models import ChangedSide, DiasporaProfile, EntrepreneurProfile, User
from mentormatch.pagination import Page
from mentormatch.pairings.service import Policy
from mentormatch.people.visibility import is_public

PER_PAGE = 10
# Nobody reads past ten pages of suggestions; the engine is asked for at most this many.
MAX_SUGGESTIONS = 100


class IndexNotReady(RuntimeError):
    """No index has been published yet (the worker is building the first one)."""


@dataclass(frozen=True)
class Current:
    """The index in use and the matching data version it reflects."""

    index: MatchIndex
    version: int


class DatabaseRecords:
    """The records behind a ranking, read from the database only for the people asked for."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def entrepreneurs(self, ids: Collection[int]) -> Mapping[int, EntrepreneurRecord]:
        return {r.id: r for r in adapter.entrepreneur_records(self.session, ids)} if ids else {}

    def diaspora(self, ids: Collection[int]) -> Mapping[int, DiasporaRecord]:
        return {r.id: r for r in adapter.diaspora_records(self.session, ids)} if ids else {}


_inline: dict[str, Current] = {}
_published: dict[str, tuple[tuple[int, int], str, Current]] = {}
_bases: dict[str, MatchIndex] = {}
_lock = threading.Lock()


def current_index(session: Session) -> Current:
    """The index to rank with now (see the module docstring)."""
    if current_app.config["MATCHING_INDEX"] == "inline":
        return _inline_index(session)
    return _published_index(Path(current_app.config["MATCHING_INDEX_DIR"]))


def fitted_index(session: Session) -> MatchIndex:
    """The index to rank with now."""
    return current_index(session).index


def _inline_index(session: Session) -> Current:
    key = str(session.get_bind().engine.url)
    version = matching_version(session)
    cached = _inline.get(key)
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        cached = _inline.get(key)
        if cached is None or cached.version != version:
            es, ds = adapter.entrepreneur_records(session), adapter.diaspora_records(session)
            index = MatchIndex.fit(es, ds, adapter.build_taxonomy(session, es, ds))
            # Stamped with the version read before loading: a change that lands in between
            # only causes one more fit on the next request.
            cached = _inline[key] = Current(index, version)
    return cached


def _published_index(root: Path) -> Current:
    """The newest published index: CURRENT is checked with one stat() per request, the
    base folder mapped once, the overlay applied once per version."""
    key = str(root)
    try:
        stat = os.stat(root / "CURRENT")
    except FileNotFoundError:
        raise IndexNotReady("no matching index has been published yet") from None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _published.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[2]
    with _lock:
        pointer = current(root)
        if pointer is None:
            raise IndexNotReady("no matching index has been published yet")
        folder = pointer["folder"]
        base = _bases.get(f"{key}/{folder}")
        if base is None:
            base, _ = load(root / folder)
            _bases.clear()  # the previous base is unmapped once nothing holds it
            _bases[f"{key}/{folder}"] = base
        index = base
        if pointer.get("overlay"):
            data = json.loads((root / pointer["overlay"]).read_text(encoding="utf-8"))
            changed_e, changed_d = records_from_json(json.dumps(data))
            gone_e = set(data.get("changed_entrepreneurs", ())) - {e.id for e in changed_e}
            gone_d = set(data.get("changed_diaspora", ())) - {d.id for d in changed_d}
            index = base.updated(changed_e, changed_d, gone_e, gone_d)
        found = Current(index, int(pointer["version"]))
        _published[key] = (stamp, folder, found)
    return found


def clear_cache() -> None:
    """Forget every index held by this process (tests)."""
    with _lock:
        _inline.clear()
        _published.clear()
        _bases.clear()


def _for_viewer(session: Session, now: Current, user: User) -> MatchIndex:
    """The index as the viewer should see it: with their own latest change applied when
    the index does not have it yet (rescored just for them, at once)."""
    e, d = user.entrepreneur_profile, user.diaspora_profile
    if e is not None and changed_after(session, ChangedSide.ENTREPRENEUR, e.id, now.version):
        changes: dict[str, Any] = {"entrepreneurs": adapter.entrepreneur_records(session, [e.id])}
    elif d is not None and changed_after(session, ChangedSide.DIASPORA, d.id, now.version):
        changes = {"diaspora": adapter.diaspora_records(session, [d.id])}
    else:
        return now.index
    try:
        return now.index.updated(**changes)
    except NeedsRebuild:  # a language nobody spoke yet: seen once the worker has rebuilt
        return now.index


def default_kind(user: User) -> Kind:
    """The suggestions a person lands on: investment for a member who only invests,
    coaching for everyone else."""
    d = user.diaspora_profile
    if d is not None and d.offers_investment and not d.offers_coaching:
        return Kind.INVESTMENT
    return Kind.COACHING


def _gone_since(session: Session, version: int, side: str) -> set[int]:
    """Profiles of `side` hidden since the index was built (an account deactivated, a
    profile suspended): left out at once, before the worker publishes the next index."""
    changed_side = ChangedSide(side)
    changed = {
        ident
        for which, ident in changes_since(session, version)[1]
        if which is changed_side and ident
    }
    if not changed:
        return set()
    model: type[Any] = EntrepreneurProfile if side == "entrepreneur" else DiasporaProfile
    profiles = session.scalars(
        select(model).where(model.id.in_(changed)).options(selectinload(model.user))
    )
    return {p.id for p in profiles if not is_public(p)}


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
    return index.people(side, filters.value_chain, filters.country)


def countries_of_counterparts(session: Session, user: User) -> list[tuple[str, str]]:
    """(code, name) of the countries the user's counterparts work in or come from."""
    index = fitted_index(session)
    side = "diaspora" if user.entrepreneur_profile is not None else "entrepreneur"
    codes = index.countries(side)
    return tx.sort_by_name((c, tx.country_name(c)) for c in codes)


def suggestions(
    session: Session, user: User, kind: Kind, filters: Filters, page: int = 1
) -> Page[Suggestion]:
    """One page of ranked counterparts for the user (entrepreneur or diaspora member); the
    page shown is recorded for the learning data (the caller commits)."""
    now = current_index(session)
    index = _for_viewer(session, now, user)
    k = min(page * PER_PAGE, MAX_SUGGESTIONS)
    if user.entrepreneur_profile is not None:
        me, mine, theirs = user.entrepreneur_profile.id, "entrepreneur", "diaspora"
        rank: Callable[..., Ranking] = index.rank_for_entrepreneur
    elif user.diaspora_profile is not None:
        me, mine, theirs = user.diaspora_profile.id, "diaspora", "entrepreneur"
        rank = index.rank_for_diaspora
    else:
        raise ValueError("only entrepreneurs and diaspora members have suggestions")
    start = (page - 1) * PER_PAGE
    since = Policy.from_config(current_app.config).cooling_off_since(utcnow())
    exclude = adapter.excluded_pairs(session, kind, since, **{f"{mine}_id": me})
    gone = _gone_since(session, now.version, theirs)
    exclude |= {(me, other) if mine == "entrepreneur" else (other, me) for other in gone}
    ranking = rank(
        me,
        kind,
        k,
        exclude=exclude,
        load=adapter.load(session),
        among=_among(index, theirs, filters),
        records=DatabaseRecords(session),
        start=start,
    )
    shown = [(m, getattr(m, f"{theirs}_id")) for m in ranking.matches]
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
            place = tx.region_places(person.origin_regions[:2])
            faces.append(Suggestion(match, i, person.display_name, person.headline, place))
        elif isinstance(person, EntrepreneurProfile):
            place = tx.place_name(person.country_code, person.region_code, person.locality)
            summary = person.description[:160]
            faces.append(Suggestion(match, i, person.display_name, summary, place))
    return faces


def explain_pair(
    session: Session, entrepreneur: EntrepreneurProfile, diaspora: DiasporaProfile, kind: str
) -> tuple[float, list[dict[str, Any]]]:
    """Score and reasons of one pair from both people's profiles as they are now (for the
    pairing record): a pair's components depend only on the two of them, so a small index
    of these two gives exactly what the full one would; (0, []) when either is missing."""
    es = adapter.entrepreneur_records(session, [entrepreneur.id])
    ds = adapter.diaspora_records(session, [diaspora.id])
    if not (es and ds):
        return 0.0, []
    index = MatchIndex.fit(es, ds, adapter.build_taxonomy(session, es, ds))
    match = index.explain(entrepreneur.id, diaspora.id, Kind(kind), "entrepreneur")
    return match.score, [r.stored() for r in match.reasons]
