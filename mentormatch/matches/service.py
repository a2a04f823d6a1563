"""Suggestions for the logged-in person, from the matching index.

Where the index comes from is a setting (MATCHING_INDEX):

- "published" (development and production): the worker process builds and publishes the
  index (matches/builds.py); web processes map the newest published one (its arrays are
  shared through the page cache) and never build one inside a request. A person's own
  change that the published index does not have yet is applied on the fly, just for them.
- "inline" (tests and one-process tools): the index is fitted in this process when the
  matching data version (one primary-key lookup) has moved since the last fit.

Only the page's people are read from the database (one query for its cards), and reasons
are worded for the page's rows only. The records the reasons are worded from are kept
between pages (CachedRecords) and read again only for people whose change was logged after
the kept version; a newer overlay drops just the people it changed. Coaching loads are
kept too, and counted again (one grouped query) only when their version moves. A page
makes seven queries: the account with its profile, the changes since
the index, excluded pairs, the loads' version, the cards, the "shown" events, the unread
notifications.
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
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mentormatch import learning
from mentormatch import taxonomy as tx
from mentormatch.db import utcnow
from mentormatch.matches import adapter
from mentormatch.matches.changes import (
    Change,
    changed_after_version,
    loads_version,
    matching_version,
    versions,
)
from mentormatch.matching import (
    CoachingLoads,
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
from mentormatch.models.profiles import business_or_person
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
    """The index in use, the matching data version it reflects, and the version of its
    full build (an overlay applied on top of that build moves `version` only)."""

    index: MatchIndex
    version: int
    base_version: int


class DatabaseRecords:
    """The records behind a ranking, read from the database only for the people asked for."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def entrepreneurs(self, ids: Collection[int]) -> Mapping[int, EntrepreneurRecord]:
        return {r.id: r for r in adapter.entrepreneur_records(self.session, ids)} if ids else {}

    def diaspora(self, ids: Collection[int]) -> Mapping[int, DiasporaRecord]:
        return {r.id: r for r in adapter.diaspora_records(self.session, ids)} if ids else {}


# Records of people on recent pages, at most RECORDS_KEPT per process: the same mentors
# come up on many people's pages, and reading one from the database costs four queries. A
# record is used only while its profile has no change logged after the index's version
# (see CachedRecords). When a newer index is published (an overlay every second while edits
# stream in), only the people changed since the kept records' version are dropped, not all
# of them: otherwise every page after each publication would read its records again.
RECORDS_KEPT = 10_000
_records: dict[str, tuple[int, int, dict[tuple[ChangedSide, int], Any]]] = {}
_records_lock = threading.Lock()


def _kept_records(session: Session, key: str, now: Current) -> dict[tuple[ChangedSide, int], Any]:
    """This process's kept records, valid at the index's version (one query when it moved)."""
    kept = _records.get(key)
    if kept is not None and kept[:2] == (now.base_version, now.version):
        return kept[2]
    with _records_lock:
        kept = _records.get(key)
        if kept is not None and kept[:2] == (now.base_version, now.version):
            return kept[2]
        if kept is not None and kept[1] > now.version:
            return {}  # a request still on an older index: keep nothing for it
        fresh: dict[tuple[ChangedSide, int], Any] = {}
        # The same full build, a newer overlay: drop only the people changed in between.
        if kept is not None and kept[0] == now.base_version:
            since = changed_after_version(session, kept[1])
            if (ChangedSide.ALL, 0) not in since:  # a new dict: other threads read the old
                # Copied first (one C call): a request still on the old version may be
                # adding to it, and a dict must not grow while it is iterated.
                old = dict(kept[2])
                fresh = {who: record for who, record in old.items() if who not in since}
        _records[key] = (now.base_version, now.version, fresh)
        return fresh


class CachedRecords:
    """The page's records from this process's cache when the profile has not changed since
    the index's version, else from the database (and kept for the next page)."""

    def __init__(self, session: Session, key: str, now: Current, changed: set[Change]) -> None:
        self.database = DatabaseRecords(session)
        self.kept = _kept_records(session, key, now)
        # Rates or the taxonomy changed: every record may differ from the cached one.
        self.everyone = (ChangedSide.ALL, 0) in changed
        self.changed = changed

    def _get(self, side: ChangedSide, ids: Collection[int], read: Callable[..., Any]) -> Any:
        found: dict[int, Any] = {}
        missing = []
        for i in ids:
            record = (
                None if self.everyone or (side, i) in self.changed else self.kept.get((side, i))
            )
            if record is None:
                missing.append(i)
            else:
                found[i] = record
        if missing:
            fresh = read(missing)
            found.update(fresh)
            if not self.everyone:
                if len(self.kept) + len(fresh) > RECORDS_KEPT:
                    # Full: start again with the people of recent pages rather than grow
                    # with every person who ever looked (100,000 at national scale).
                    self.kept.clear()
                self.kept.update(
                    ((side, i), r) for i, r in fresh.items() if (side, i) not in self.changed
                )
        return found

    def entrepreneurs(self, ids: Collection[int]) -> Mapping[int, EntrepreneurRecord]:
        return self._get(ChangedSide.ENTREPRENEUR, ids, self.database.entrepreneurs)

    def diaspora(self, ids: Collection[int]) -> Mapping[int, DiasporaRecord]:
        return self._get(ChangedSide.DIASPORA, ids, self.database.diaspora)


# Coaching loads per database, with the loads version they were read at: counting every
# accepted or approved coaching pairing on each page cost more than the rest of the page
# together once a programme has thousands of them (11 of 25 ms at 20,000 x 5,000 with
# 7,300). Read again only when the version moves (a pairing took or freed a place).
_loads: dict[str, tuple[int, Mapping[int, int]]] = {}


def coaching_loads(session: Session, version: int | None = None) -> Mapping[int, int]:
    """Coaching places taken per mentor now: this process's copy while the loads version
    (read here with one primary-key lookup unless given) has not moved, else read again."""
    key = _cache_key(session)
    if version is None:
        version = loads_version(session)
    # The version is read before the loads: loads read after it are at least as new.
    kept = _loads.get(key)
    if kept is not None and kept[0] == version:
        return kept[1]
    loads = CoachingLoads(adapter.load(session))
    _loads[key] = (version, loads)
    return loads


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
            cached = _inline[key] = Current(index, version, version)
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
        found = Current(index, int(pointer["version"]), int(pointer["base_version"]))
        _published[key] = (stamp, folder, found)
    return found


def _cache_key(session: Session) -> str:
    """Whose records: one cache per database (tests run several apps in one process)."""
    if current_app.config["MATCHING_INDEX"] == "inline":
        return str(session.get_bind().engine.url)
    return str(current_app.config["MATCHING_INDEX_DIR"])


def clear_cache() -> None:
    """Forget every index held by this process (tests)."""
    with _lock:
        _inline.clear()
        _published.clear()
        _bases.clear()
        _records.clear()
        _chain_options.clear()
        _loads.clear()


def _for_viewer(now: Current, user: User, changed: set[Change], session: Session) -> MatchIndex:
    """The index as the viewer should see it: with their own latest change applied when
    the index does not have it yet (rescored just for them, at once)."""
    e, d = user.entrepreneur_profile, user.diaspora_profile
    if e is not None and (ChangedSide.ENTREPRENEUR, e.id) in changed:
        changes: dict[str, Any] = {"entrepreneurs": adapter.entrepreneur_records(session, [e.id])}
    elif d is not None and (ChangedSide.DIASPORA, d.id) in changed:
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


def _gone_since(session: Session, changed: set[Change], side: str) -> set[int]:
    """Profiles of `side` hidden since the index was built (an account deactivated, a
    profile suspended): left out at once, before the worker publishes the next index."""
    changed_side = ChangedSide(side)
    ids = {ident for which, ident in changed if which is changed_side and ident}
    if not ids:
        return set()
    model: type[Any] = EntrepreneurProfile if side == "entrepreneur" else DiasporaProfile
    profiles = session.scalars(
        select(model).where(model.id.in_(ids)).options(selectinload(model.user))
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


_chain_options: dict[tuple[str, int, str], list[tuple[str, str]]] = {}


def value_chain_options(session: Session) -> list[tuple[str, str]]:
    """(code, "Chain (Group)") of every value chain in the reader's language, for the filter:
    read and translated once per full build of the index and language, not on every page
    (50 chains, three translations each). The taxonomy changes only with a full build."""
    key = (_cache_key(session), current_index(session).base_version, str(get_locale()))
    found = _chain_options.get(key)
    if found is None:
        found = [
            (
                code,
                _("%(chain)s (%(group)s)", chain=tx.chain_name(label), group=tx.group_name(group)),
            )
            for code, label, group in tx.value_chain_choices(session)
        ]
        if len(_chain_options) > 64:  # old versions
            _chain_options.clear()
        _chain_options[key] = found
    return found


def suggestions(
    session: Session, user: User, kind: Kind, filters: Filters, page: int = 1
) -> Page[Suggestion]:
    """One page of ranked counterparts for the user (entrepreneur or diaspora member); the
    page shown is recorded for the learning data (the caller commits)."""
    now = current_index(session)
    data_version, loads_at = versions(session)
    # What changed after the index's version, read once: the viewer's own change, people
    # hidden since, and which cached records still hold. Nothing can have when the data
    # version is the index's own (the log never runs ahead of the version).
    changed = changed_after_version(session, now.version) if data_version > now.version else set()
    index = _for_viewer(now, user, changed, session)
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
    gone = _gone_since(session, changed, theirs)
    exclude |= {(me, other) if mine == "entrepreneur" else (other, me) for other in gone}
    ranking = rank(
        me,
        kind,
        k,
        exclude=exclude,
        load=coaching_loads(session, loads_at),
        among=_among(index, theirs, filters),
        records=CachedRecords(session, _cache_key(session), now, changed),
        start=start,
    )
    shown = [(m, getattr(m, f"{theirs}_id")) for m in ranking.matches]
    items = _faces(session, shown, diaspora=user.entrepreneur_profile is not None)
    learning.record_shown(session, mine, [match for match, _ in shown], start + 1)
    total = min(ranking.total, MAX_SUGGESTIONS)
    args = {"kind": kind.value, **filters.args()}
    return Page(items=items, number=page, per_page=PER_PAGE, total=total, args=args)


def _faces(session: Session, shown: list[tuple[Match, int]], diaspora: bool) -> list[Suggestion]:
    """Names and one-line summaries of the counterparts (one query for the page's cards);
    never contact details."""
    ids = [i for _, i in shown]
    if diaspora:
        d = DiasporaProfile
        members = session.execute(
            select(d.id, User.full_name, d.headline, d.origin_regions)
            .join(User, User.id == d.user_id)
            .where(d.id.in_(ids))
        )
        faces = {
            i: (name, headline, tx.region_places(list(regions or ())[:2]))
            for i, name, headline, regions in members
        }
    else:
        e = EntrepreneurProfile
        businesses = session.execute(
            select(e.id, e.business_name, User.full_name, e.description, e.country_code,
                   e.region_code, e.locality)
            .join(User, User.id == e.user_id)
            .where(e.id.in_(ids))
        )  # fmt: skip
        faces = {
            i: (
                business_or_person(business, name),
                (description or "")[:160],
                tx.place_name(country, region, locality),
            )
            for i, business, name, description, country, region, locality in businesses
        }
    return [Suggestion(match, i, *faces[i]) for match, i in shown if i in faces]


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
