"""MatchIndex: a fitted index that ranks counterparts in both directions, per kind.

    index = MatchIndex.fit(entrepreneurs, diaspora, taxonomy)
    index.rank_for_entrepreneur(amina_id, Kind.COACHING, k=10)
    index.rank_for_diaspora(tesfaye_id, Kind.COACHING, k=10)
    index.top_k_all_entrepreneurs(Kind.COACHING, k=10)
    newer = index.updated(entrepreneurs=[amina_changed])   # an overlay, no refit
    index.save(folder); MatchIndex.load(folder)             # arrays memory-mapped

Scoring a block of pairs is two small dense BLAS products (one per side), a per-place
region table added by broadcasting, the harmonic mean, and hard constraints applied as
masks (language by a third product). Top-k is taken per chunk of rows, so no full score
matrix is ever built. See docs/decisions/003-harmonic-mean.md and 004-matching-engine.md.

Ranking keys: for coaching, a member who comes from the entrepreneur's country and whose
match is comparable (weights.HOME_TIE_MIN_SCORE) is ranked before every member without
such a tie; equal keys are ordered by the viewer's own side of the fit, then place, then
the more focused counterpart, then spare capacity, then a hash of the pair: never by
database id (docs/decisions/012-ranking-principles.md).

Parts: a fitted index is one *part* (all entrepreneurs and members). `updated()` adds an
overlay part holding only the people who changed since; their rows in the base part are
hidden. Queries score every (row part, column part) pair of blocks and merge the results,
so an overlay gives exactly what a full refit would (docs/decisions/015).
"""

from __future__ import annotations

import dataclasses
import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import ThreadpoolController

from mentormatch.matching import weights as W
from mentormatch.matching.features import (
    DiasporaFeatures,
    EntrepreneurFeatures,
    Matrix,
    Vocabulary,
    diaspora_features,
    entrepreneur_features,
    place_key,
    region_table,
    vocabulary,
)
from mentormatch.matching.reasons import Covered, Reason, reasons_for
from mentormatch.matching.records import DiasporaRecord, EntrepreneurRecord, Kind, Taxonomy
from mentormatch.matching.text import SkillText
from mentormatch.matching.topk import TIER, TieBreak, pair_hash, score_of, top_k

__all__ = ["Match", "MatchIndex", "NeedsRebuild", "Ranking", "RecordLookup", "TopK", "top_k"]

Pair = tuple[int, int]  # (entrepreneur profile id, diaspora profile id)
Side = str  # "entrepreneur" or "diaspora": whose fit, or who is looking
SIDES: tuple[Side, Side] = ("entrepreneur", "diaspora")

# Rows scored together in the all-pairs ranking: big enough for BLAS, small enough for cache.
CHUNK_ROWS = 64
# One query is a few matrix-vector products: BLAS threads only add start-up cost.
_BLAS = ThreadpoolController()

# Keeps the harmonic mean defined when both sides are 0; far below MIN_SCORE.
EPSILON = 1e-9


@dataclass(frozen=True)
class Match:
    """One suggestion: who, how well (score in [0, 1]), from what, and why in words."""

    entrepreneur_id: int
    diaspora_id: int
    kind: Kind
    score: float
    fit: Mapping[Side, float]
    components: Mapping[Side, Mapping[str, float]]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Ranking:
    """The top matches for one person, and how many suggestions there are in all."""

    matches: list[Match]
    total: int


@dataclass(frozen=True)
class TopK:
    """Top-k of many people at once: row i of `ids`/`scores` belongs to `query_ids[i]`;
    -1 pads rows with fewer than k suggestions."""

    query_ids: NDArray[np.int64]
    ids: NDArray[np.int64]
    scores: NDArray[np.float32]


class CoachingLoads(Mapping[int, int]):
    """Coaching places taken per diaspora profile id, kept as arrays too: a caller that
    keeps one between queries saves each ranking a pass over every mentor with a load."""

    def __init__(self, taken: Mapping[int, int]) -> None:
        self._taken = dict(taken)
        self.ids = np.fromiter(self._taken.keys(), dtype=np.int64, count=len(self._taken))
        self.counts = np.fromiter(self._taken.values(), dtype=np.int64, count=len(self._taken))

    def __getitem__(self, diaspora_id: int) -> int:
        return self._taken[diaspora_id]

    def __iter__(self) -> Iterator[int]:
        return iter(self._taken)

    def __len__(self) -> int:
        return len(self._taken)


class NeedsRebuild(ValueError):
    """An update the fitted vocabulary cannot express (a language nobody spoke at fit time)."""


class RecordLookup(Protocol):
    """Where the records behind a ranking come from, to word its reasons."""

    def entrepreneurs(self, ids: Collection[int]) -> Mapping[int, EntrepreneurRecord]: ...

    def diaspora(self, ids: Collection[int]) -> Mapping[int, DiasporaRecord]: ...


@dataclass(frozen=True)
class InMemoryRecords:
    """Records held in memory (a fitted index keeps those it was fitted on)."""

    by_entrepreneur: Mapping[int, EntrepreneurRecord]
    by_member: Mapping[int, DiasporaRecord]

    def entrepreneurs(self, ids: Collection[int]) -> Mapping[int, EntrepreneurRecord]:
        return {i: self.by_entrepreneur[i] for i in ids if i in self.by_entrepreneur}

    def diaspora(self, ids: Collection[int]) -> Mapping[int, DiasporaRecord]:
        return {i: self.by_member[i] for i in ids if i in self.by_member}


# --- the blocks of one part, per kind ----------------------------------------------------


class PlaceTable:
    """Region credit of every place (rows) for the members of one part (columns): the
    table fitted with the part, plus rows for places first seen in a later update."""

    def __init__(self, base: Matrix, extra: Matrix | None = None) -> None:
        self.base = base
        self.extra = extra
        self.n_base = base.shape[0]

    def with_extra(self, extra: Matrix | None) -> PlaceTable:
        return PlaceTable(self.base, extra)

    def rows(self, places: NDArray[np.int64]) -> Matrix:
        """The rows of these places (n x members)."""
        if self.extra is None or not (places >= self.n_base).any():
            return self.base[places]
        both = np.vstack([self.base, self.extra])
        return both[places]

    def row(self, place: int) -> Matrix:
        if place < self.n_base:
            return self.base[place]
        assert self.extra is not None
        return self.extra[place - self.n_base]

    def at(self, places: NDArray[np.int64], columns: NDArray[np.int64]) -> Matrix:
        """Element-wise: the credit of places[i] for column columns[i]."""
        out = np.empty(len(places), dtype=np.float32)
        known = places < self.n_base
        out[known] = self.base[places[known], columns[known]]
        if not known.all():
            assert self.extra is not None
            out[~known] = self.extra[places[~known] - self.n_base, columns[~known]]
        return out

    def column(self, col: int, places: NDArray[np.int64]) -> Matrix:
        """The credit of one column for each of these places."""
        return self.at(places, np.full(len(places), col, dtype=np.int64))


@dataclass
class _Rows:
    """Entrepreneurs of one part that can be suggested for one kind."""

    ids: NDArray[np.int64]
    features: NDArray[np.int64]  # rows of the part's EntrepreneurFeatures
    fit_e: Matrix  # entrepreneur-side fit, entrepreneur half
    fit_d: Matrix
    language_share: Matrix
    place: NDArray[np.int64]  # into the index's places
    amount: NDArray[np.float64]
    breadth: NDArray[np.int64]  # value chains plus skills needed
    visible: NDArray[np.bool_]  # False: superseded by a later part


@dataclass
class _Columns:
    """Diaspora members of one part that can be suggested for one kind."""

    ids: NDArray[np.int64]
    features: NDArray[np.int64]  # rows of the part's DiasporaFeatures
    fit_e: Matrix  # entrepreneur-side fit, diaspora half
    fit_d: Matrix  # diaspora-side fit, diaspora half
    languages: Matrix  # 0/1
    region: PlaceTable  # places x these columns
    ticket_min: NDArray[np.float64]
    ticket_max: NDArray[np.float64]
    capacity: NDArray[np.int64]
    current: NDArray[np.int64]
    breadth: NDArray[np.int64]  # value chains plus skills offered: fewer is more focused
    visible: NDArray[np.bool_]

    def subset(self, keep: NDArray[np.int64]) -> _Columns:
        """The columns at positions `keep`, copied contiguous for BLAS (batch ranking)."""
        extra = self.region.extra
        return _Columns(
            ids=self.ids[keep],
            features=self.features[keep],
            fit_e=np.ascontiguousarray(self.fit_e[keep]),
            fit_d=np.ascontiguousarray(self.fit_d[keep]),
            languages=np.ascontiguousarray(self.languages[keep]),
            region=PlaceTable(
                np.ascontiguousarray(self.region.base[:, keep]),
                None if extra is None else np.ascontiguousarray(extra[:, keep]),
            ),
            ticket_min=self.ticket_min[keep],
            ticket_max=self.ticket_max[keep],
            capacity=self.capacity[keep],
            current=self.current[keep],
            breadth=self.breadth[keep],
            visible=self.visible[keep],
        )


def _e_half(e: EntrepreneurFeatures, kind: Kind, side: Side) -> Matrix:
    """The entrepreneur half of one side's fit (see _d_half): their product is the fit
    without region and language, which are added per place and per language group.

    The entrepreneur's side takes the entrepreneur's shares against the member's 0/1 rows
    (how much of my chains and needs they cover); the diaspora side the member's shares
    against the entrepreneur's rows (how much of their offer is about me)."""
    w = W.WEIGHTS[kind][side]
    mine = side == "entrepreneur"
    chain = w["value_chain"]
    blocks: list[NDArray[np.floating]] = [
        (e.chain_share if mine else e.chains) * chain * (1 - W.GROUP_CREDIT),
        (e.group_share if mine else e.groups) * chain * W.GROUP_CREDIT,
    ]
    named = {
        "skills": e.needs if mine else e.need_raw,
        "stage": e.stage,
        "instruments": e.instruments,
    }
    blocks += [block * w[name] for name, block in named.items() if name in w]
    # A ticket inside the range is a hard constraint; it counts fully once it holds.
    constant = w.get("ticket", 0.0) + (EPSILON if mine else 0.0)
    blocks.append(np.full((len(e.ids), 1), constant))
    return np.hstack(blocks).astype(np.float32)


def _d_half(d: DiasporaFeatures, kind: Kind, side: Side) -> Matrix:
    """The diaspora half of one side's fit, column for column against _e_half."""
    w = W.WEIGHTS[kind][side]
    mine = side == "entrepreneur"
    blocks: list[NDArray[np.floating]] = [
        d.chains if mine else d.chain_share,
        d.groups if mine else d.group_share,
    ]
    named = {"skills": d.offers if mine else d.offer_share, "stage": d.stages,
             "instruments": d.instruments}  # fmt: skip
    blocks += [block for name, block in named.items() if name in w]
    blocks.append(np.ones((len(d.ids), 1)))
    return np.hstack(blocks).astype(np.float32)


def _breadth(chains: Matrix, skills: Matrix) -> NDArray[np.int64]:
    """How many value chains and skills each row lists."""
    return np.asarray((chains > 0).sum(axis=1) + (skills > 0).sum(axis=1), dtype=np.int64)


def _rows_of(e: EntrepreneurFeatures, kind: Kind) -> _Rows:
    ok = e.active if kind is Kind.COACHING else e.active & e.seeking
    rows = np.flatnonzero(ok)
    return _Rows(
        ids=e.ids[rows],
        features=rows,
        fit_e=np.ascontiguousarray(_e_half(e, kind, "entrepreneur")[rows]),
        fit_d=np.ascontiguousarray(_e_half(e, kind, "diaspora")[rows]),
        language_share=np.ascontiguousarray(e.language_share[rows]),
        place=e.place[rows],
        amount=e.amount[rows],
        breadth=_breadth(e.chains, e.need_raw)[rows],
        visible=np.ones(len(rows), dtype=bool),
    )


def _columns_of(d: DiasporaFeatures, kind: Kind, region: Matrix) -> _Columns:
    if kind is Kind.COACHING:
        ok = d.active & d.coaching & (d.capacity > 0)
    else:
        ok = d.active & d.investing & (d.ticket_min <= d.ticket_max)
    cols = np.flatnonzero(ok)
    return _Columns(
        ids=d.ids[cols],
        features=cols,
        fit_e=np.ascontiguousarray(_d_half(d, kind, "entrepreneur")[cols]),
        fit_d=np.ascontiguousarray(_d_half(d, kind, "diaspora")[cols]),
        languages=np.ascontiguousarray(d.languages[cols]),
        region=PlaceTable(np.ascontiguousarray(region[:, cols])),
        ticket_min=d.ticket_min[cols],
        ticket_max=d.ticket_max[cols],
        capacity=d.capacity[cols],
        current=d.current[cols],
        breadth=_breadth(d.chains, d.offers)[cols],
        visible=np.ones(len(cols), dtype=bool),
    )


@dataclass
class _Part:
    """People fitted together: their features and, per kind, their row and column blocks."""

    e: EntrepreneurFeatures
    d: DiasporaFeatures
    regions: PlaceTable  # places x every member of the part (for explanations)
    rows: dict[Kind, _Rows] = field(default_factory=dict)
    columns: dict[Kind, _Columns] = field(default_factory=dict)

    @classmethod
    def build(cls, e: EntrepreneurFeatures, d: DiasporaFeatures, regions: Matrix) -> _Part:
        part = cls(e, d, PlaceTable(regions))
        for kind in Kind:
            part.rows[kind] = _rows_of(e, kind)
            part.columns[kind] = _columns_of(d, kind, regions)
        return part


# --- the index -----------------------------------------------------------------------------


class MatchIndex:
    """Ranks entrepreneurs and diaspora members for each other; fit once, query often."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        vocab: Vocabulary,
        parts: list[_Part],
        member_places: Mapping[int, tuple[tuple[str, ...], tuple[str, ...]]],
        records: RecordLookup | None = None,
        entrepreneurs: Sequence[EntrepreneurRecord] = (),
        diaspora: Sequence[DiasporaRecord] = (),
        text: SkillText | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.vocab = vocab
        self.parts = parts
        # Origin and interest regions of every member, so places first seen in an update
        # can be given a region row against everyone (see updated()).
        self.member_places = member_places
        self.records = records
        # Ids of the base part superseded by an overlay (changed or removed people).
        self.hidden_e: frozenset[int] = frozenset()
        self.hidden_d: frozenset[int] = frozenset()
        # The records the index was fitted on, when it was (not when loaded from disk).
        self.entrepreneurs = list(entrepreneurs)
        self.diaspora = list(diaspora)
        # Reading the keyword list takes a few milliseconds: an updated index reuses its
        # base's (and the words it has already looked up), since updates never add skills.
        self.text = text or SkillText(taxonomy.skill_keywords, list(taxonomy.skill_labels))
        self._countries: dict[Side, frozenset[str]] = {}

    # --- fitting -----------------------------------------------------------------------

    @classmethod
    def fit(
        cls,
        entrepreneurs: Sequence[EntrepreneurRecord],
        diaspora: Sequence[DiasporaRecord],
        taxonomy: Taxonomy,
    ) -> MatchIndex:
        """Build every feature block from the records; ids must be unique per side."""
        es = sorted(entrepreneurs, key=lambda r: r.id)
        ds = sorted(diaspora, key=lambda r: r.id)
        vocab = vocabulary(es, ds, taxonomy)
        text = SkillText(taxonomy.skill_keywords, vocab.skills)
        part = _Part.build(
            entrepreneur_features(es, vocab, taxonomy, text),
            diaspora_features(ds, vocab, taxonomy, text),
            region_table(vocab.places, ds, taxonomy),
        )
        records = InMemoryRecords({e.id: e for e in es}, {d.id: d for d in ds})
        places = {d.id: (d.origin_regions, d.interest_regions) for d in ds}
        return cls(taxonomy, vocab, [part], places, records, es, ds, text)

    def updated(
        self,
        entrepreneurs: Sequence[EntrepreneurRecord] = (),
        diaspora: Sequence[DiasporaRecord] = (),
        removed_entrepreneurs: Collection[int] = (),
        removed_diaspora: Collection[int] = (),
    ) -> MatchIndex:
        """This index with some people changed, added or removed, without a refit: the
        changed people form an overlay part scored against everyone; their old rows are
        hidden. Rankings equal those of a full refit on the same records.

        Changes accumulate: pass everyone changed since the base was fitted (an index
        already updated is updated from its base). Raises NeedsRebuild when a changed
        profile speaks a language the fitted vocabulary lacks.
        """
        base = self.parts[0]
        vocab = self.vocab
        new_languages = {c for e in entrepreneurs for c in e.languages}
        new_languages |= {c for d in diaspora for c in d.languages}
        unknown = new_languages - set(vocab.languages)
        if unknown:
            raise NeedsRebuild(f"languages not in the fitted vocabulary: {sorted(unknown)}")
        es = sorted(entrepreneurs, key=lambda r: r.id)
        ds = sorted(diaspora, key=lambda r: r.id)
        new_places = sorted({place_key(e) for e in es} - set(vocab.places))
        places = [*vocab.places, *new_places]
        grown = Vocabulary(vocab.chains, vocab.groups, vocab.skills, vocab.languages, places)
        member_places = {**self.member_places, **{d.id: (d.origin_regions, d.interest_regions)
                                                  for d in ds}}  # fmt: skip
        for gone in removed_diaspora:
            member_places.pop(gone, None)
        # Places first seen now get a row against every member of the base part.
        extra = None
        if new_places:
            base_members = [_Places(*self.member_places.get(int(i), ((), ()))) for i in base.d.ids]
            extra = region_table(new_places, base_members, self.taxonomy)
        text = self.text
        if text.skills != list(vocab.skills):  # not expected: vocabularies list every skill
            text = SkillText(self.taxonomy.skill_keywords, vocab.skills)
        overlay = _Part.build(
            entrepreneur_features(es, grown, self.taxonomy, text),
            diaspora_features(ds, grown, self.taxonomy, text),
            region_table(places, ds, self.taxonomy),
        )
        hidden_e = {e.id for e in es} | set(removed_entrepreneurs)
        hidden_d = {d.id for d in ds} | set(removed_diaspora)
        updated_base = _Part(base.e, base.d, base.regions.with_extra(extra))
        for kind in Kind:
            rows, cols = base.rows[kind], base.columns[kind]
            updated_base.rows[kind] = _with_visible(rows, ~np.isin(rows.ids, list(hidden_e)))
            shown = _with_visible(cols, ~np.isin(cols.ids, list(hidden_d)))
            if extra is not None:
                shown.region = shown.region.with_extra(
                    np.ascontiguousarray(extra[:, cols.features])
                )
            updated_base.columns[kind] = shown
        records = _Layered(self.records, es, ds, hidden_e, hidden_d)
        index = MatchIndex(
            self.taxonomy, grown, [updated_base, overlay], member_places, records, text=text
        )
        index.hidden_e, index.hidden_d = frozenset(hidden_e), frozenset(hidden_d)
        if self.entrepreneurs or self.diaspora:
            index.entrepreneurs = [e for e in self.entrepreneurs if e.id not in hidden_e] + es
            index.diaspora = [d for d in self.diaspora if d.id not in hidden_d] + ds
        return index

    # --- scoring -----------------------------------------------------------------------

    @staticmethod
    def _harmonic_half(
        fit_e: Matrix, fit_d: Matrix, common: Matrix | None, total: Matrix | None = None
    ) -> Matrix:
        """Half the harmonic mean of the two fits, in place in fit_e; 0 without a common
        language (`common` is the language share, > 0 exactly when one is shared; None
        when the columns were already chosen by language)."""
        total = np.add(fit_e, fit_d, out=total)
        np.multiply(fit_e, fit_d, out=fit_e)
        np.divide(fit_e, total, out=fit_e)
        if common is not None:
            np.multiply(fit_e, common > 0, out=fit_e)
        return fit_e

    @staticmethod
    def _ticket_ok(
        amount: NDArray[np.float64], low: NDArray[np.float64], high: NDArray[np.float64]
    ) -> NDArray[np.bool_]:
        # An unknown amount (NaN) fails both comparisons, so no range excludes it.
        return ~(amount < low) & ~(amount > high)

    @staticmethod
    def _add_tier(half: Matrix, home: NDArray[np.bool_] | None) -> Matrix:
        """Sort keys from half scores, in place: + TIER for a comparable home-tied pair."""
        if home is not None:
            comparable = home & (half >= np.float32(W.HOME_TIE_MIN_SCORE / 2))
            half += comparable * TIER
        return half

    @staticmethod
    def _home(kind: Kind, region: Matrix) -> NDArray[np.bool_] | None:
        """Which region credits are a tie to the entrepreneur's country (coaching only)."""
        return region >= W.REGION_CREDIT["country"] if kind is Kind.COACHING else None

    def _row_keys(self, kind: Kind, rows: _Rows, row: int, cols: _Columns) -> Matrix:
        """Sort keys of one entrepreneur against every column of a block."""
        wr = W.WEIGHTS[kind]
        region = cols.region.row(int(rows.place[row]))
        common = cols.languages @ rows.language_share[row]
        lang_e, lang_d = (
            wr["entrepreneur"].get("language", 0.0),
            wr["diaspora"].get("language", 0.0),
        )
        fit_e = cols.fit_e @ rows.fit_e[row] + region * np.float32(wr["entrepreneur"]["region"])
        fit_e += np.float32(lang_e) * common
        fit_d = cols.fit_d @ rows.fit_d[row] + region * np.float32(wr["diaspora"]["region"])
        fit_d += np.float32(lang_d) * common
        half = self._harmonic_half(fit_e, fit_d, common)
        if kind is Kind.INVESTMENT:
            half *= self._ticket_ok(rows.amount[row], cols.ticket_min, cols.ticket_max)
        return self._add_tier(half, self._home(kind, region))

    def _column_keys(self, kind: Kind, rows: _Rows, cols: _Columns, col: int) -> Matrix:
        """Sort keys of one diaspora member (a column) against every row of a block."""
        wr = W.WEIGHTS[kind]
        region = cols.region.column(col, rows.place)
        common = rows.language_share @ cols.languages[col]
        lang_e, lang_d = (
            wr["entrepreneur"].get("language", 0.0),
            wr["diaspora"].get("language", 0.0),
        )
        fit_e = rows.fit_e @ cols.fit_e[col] + region * np.float32(wr["entrepreneur"]["region"])
        fit_e += np.float32(lang_e) * common
        fit_d = rows.fit_d @ cols.fit_d[col] + region * np.float32(wr["diaspora"]["region"])
        fit_d += np.float32(lang_d) * common
        half = self._harmonic_half(fit_e, fit_d, common)
        if kind is Kind.INVESTMENT:
            half *= self._ticket_ok(rows.amount, cols.ticket_min[col], cols.ticket_max[col])
        return self._add_tier(half, self._home(kind, region))

    def _side_fit(
        self, kind: Kind, rows: _Rows, r: NDArray[np.int64], cols: _Columns,
        c: NDArray[np.int64], side: Side,
    ) -> Matrix:  # fmt: skip
        """One side's fit of the pairs (rows r[i], columns c[i]), for ordering equal keys."""
        w = W.WEIGHTS[kind][side]
        e_half, d_half = (rows.fit_e, cols.fit_e) if side == "entrepreneur" else (
            rows.fit_d, cols.fit_d)  # fmt: skip
        common = np.einsum("ij,ij->i", rows.language_share[r], cols.languages[c])
        fit = np.einsum("ij,ij->i", e_half[r], d_half[c])
        region = cols.region.at(rows.place[r], c) * np.float32(w["region"])
        return np.asarray(fit + region + w.get("language", 0.0) * common, np.float32)

    def _secondary(
        self, kind: Kind, rows: _Rows, r: NDArray[np.int64], cols: _Columns,
        c: NDArray[np.int64], viewer: Side,
    ) -> list[NDArray[np.generic]]:  # fmt: skip
        """Secondary keys for equal sort keys: the viewer's own side of the fit, then how
        close the places are, then the more focused counterpart (fewer chains and skills),
        then spare coaching capacity, then a hash of the pair."""
        breadth = cols.breadth[c] if viewer == "entrepreneur" else rows.breadth[r]
        return [
            self._side_fit(kind, rows, r, cols, c, viewer),
            cols.region.at(rows.place[r], c),
            -breadth,
            cols.capacity[c] - cols.current[c],
            pair_hash(rows.ids[r], cols.ids[c]),
        ]

    @staticmethod
    def _open(kind: Kind, cols: _Columns, load: Mapping[int, int] | None) -> NDArray[np.bool_]:
        """Which columns are shown and have coaching capacity left under `load`."""
        if kind is not Kind.COACHING:
            return cols.visible.copy()
        taken = cols.current
        if load is not None:
            # Only the members with a load: no loop over every member.
            taken = np.zeros(len(cols.ids), dtype=np.int64)
            if load:
                ids, counts = _load_arrays(load)
                at = np.clip(np.searchsorted(cols.ids, ids), 0, max(len(cols.ids) - 1, 0))
                found = (cols.ids[at] == ids) if len(cols.ids) else np.zeros(0, dtype=bool)
                taken[at[found]] = counts[found]
        return np.asarray((cols.capacity - taken > 0) & cols.visible)

    # --- queries -----------------------------------------------------------------------

    def _find_row(self, kind: Kind, entrepreneur_id: int) -> tuple[_Rows, int] | None:
        for part in reversed(self.parts):
            rows = part.rows[kind]
            at = _find(rows.ids, entrepreneur_id)
            if at is not None and rows.visible[at]:
                return rows, at
        return None

    def _find_column(self, kind: Kind, diaspora_id: int) -> tuple[_Columns, int] | None:
        for part in reversed(self.parts):
            cols = part.columns[kind]
            at = _find(cols.ids, diaspora_id)
            if at is not None and cols.visible[at]:
                return cols, at
        return None

    def rank_for_entrepreneur(
        self,
        entrepreneur_id: int,
        kind: Kind,
        k: int = 10,
        exclude: Collection[Pair] = (),
        load: Mapping[int, int] | None = None,
        among: Collection[int] | None = None,
        records: RecordLookup | None = None,
        start: int = 0,
    ) -> Ranking:
        """The k best diaspora members for one entrepreneur, best first.

        `exclude` holds (entrepreneur id, diaspora id) pairs never to suggest, `load` the
        approved coaching pairings per diaspora id (default: from the records), `among` the
        diaspora ids a filter leaves (default: all), `records` where to read the people for
        the reasons (default: those the index was fitted on); only matches from position
        `start` on are returned (a later page), all k are ranked.
        """
        kind = Kind(kind)
        found = self._find_row(kind, entrepreneur_id)
        if found is None:
            return Ranking([], 0)
        rows, row = found
        banned = [d for e, d in exclude if e == entrepreneur_id]
        blocks = [part.columns[kind] for part in self.parts]
        with _BLAS.limit(limits=1, user_api="blas"):
            keys = [self._row_keys(kind, rows, row, cols) for cols in blocks]
        for block_keys, cols in zip(keys, blocks, strict=True):
            block_keys *= _allowed(self._open(kind, cols, load), cols.ids, among, banned)
        merged = _Merged.of(keys)

        def tiebreak(r: NDArray[np.int64], c: NDArray[np.int64]) -> list[NDArray[np.generic]]:
            return merged.secondary(c, lambda b, at: self._secondary(
                kind, rows, np.full(len(at), row), blocks[b], at, "entrepreneur"))  # fmt: skip

        idx, total = _top_of_one(merged.keys, k, tiebreak)
        chosen = [merged.where(int(c)) for c in idx[start:] if c >= 0]
        pairs = [(entrepreneur_id, int(blocks[b].ids[at])) for b, at in chosen]
        return Ranking(self._matches(kind, pairs, "entrepreneur", records), total)

    def rank_for_diaspora(
        self,
        diaspora_id: int,
        kind: Kind,
        k: int = 10,
        exclude: Collection[Pair] = (),
        load: Mapping[int, int] | None = None,
        among: Collection[int] | None = None,
        records: RecordLookup | None = None,
        start: int = 0,
    ) -> Ranking:
        """The k best entrepreneurs for one diaspora member, best first (same arguments)."""
        kind = Kind(kind)
        found = self._find_column(kind, diaspora_id)
        if found is None:
            return Ranking([], 0)
        cols, col = found
        if not self._open(kind, cols, load)[col]:
            return Ranking([], 0)
        banned = [e for e, d in exclude if d == diaspora_id]
        blocks = [part.rows[kind] for part in self.parts]
        with _BLAS.limit(limits=1, user_api="blas"):
            keys = [self._column_keys(kind, rows, cols, col) for rows in blocks]
        for block_keys, rows in zip(keys, blocks, strict=True):
            block_keys *= _allowed(rows.visible.copy(), rows.ids, among, banned)
        merged = _Merged.of(keys)

        def tiebreak(r: NDArray[np.int64], c: NDArray[np.int64]) -> list[NDArray[np.generic]]:
            return merged.secondary(c, lambda b, at: self._secondary(
                kind, blocks[b], at, cols, np.full(len(at), col), "diaspora"))  # fmt: skip

        idx, total = _top_of_one(merged.keys, k, tiebreak)
        chosen = [merged.where(int(r)) for r in idx[start:] if r >= 0]
        pairs = [(int(blocks[b].ids[at]), diaspora_id) for b, at in chosen]
        return Ranking(self._matches(kind, pairs, "diaspora", records), total)

    def top_k_all_entrepreneurs(
        self,
        kind: Kind,
        k: int = 10,
        exclude: Collection[Pair] = (),
        load: Mapping[int, int] | None = None,
        n_jobs: int = 2,
    ) -> TopK:
        """Every entrepreneur's k best diaspora ids and scores, on `n_jobs` threads.

        Entrepreneurs who speak the same languages are ranked together against only the
        diaspora members they share a language with; within that, rows of the same place
        share the region broadcast, and top-k is taken per chunk of rows. Needs a fitted
        index without an overlay (a round or an evaluation fits afresh).
        """
        if len(self.parts) != 1:
            raise ValueError("rank everyone on a freshly fitted index, not an updated one")
        kind = Kind(kind)
        rows_all, columns = self.parts[0].rows[kind], self.parts[0].columns[kind]
        open_cols = columns.subset(np.flatnonzero(self._open(kind, columns, load)))
        banned: dict[int, list[int]] = defaultdict(list)
        for e_id, d_id in exclude:
            row = _find(rows_all.ids, e_id)
            if row is not None:
                banned[row].append(d_id)
        n = len(rows_all.ids)
        ids = np.full((n, k), -1, dtype=np.int64)
        scores = np.zeros((n, k), dtype=np.float32)
        group_share, language_group = np.unique(
            rows_all.language_share, axis=0, return_inverse=True
        )
        language_group = language_group.reshape(-1)
        common_all = group_share.astype(np.float32) @ open_cols.languages.T
        order = np.lexsort((rows_all.place, language_group))
        group_starts = np.flatnonzero(np.r_[True, np.diff(language_group[order]) != 0])
        groups = np.split(order, group_starts[1:])
        wr = W.WEIGHTS[kind]
        lang = {s: np.float32(wr[s].get("language", 0.0)) for s in SIDES}
        reg = {s: np.float32(wr[s]["region"]) for s in SIDES}

        width = len(open_cols.ids)
        workspaces = threading.local()

        def workspace(b: int, m: int) -> tuple[Matrix, Matrix, Matrix, NDArray[np.bool_]]:
            """Per-thread buffers reused across chunks: fresh large arrays cost page faults."""
            if not hasattr(workspaces, "buffers"):
                size = CHUNK_ROWS * width
                workspaces.buffers = (
                    np.empty(size, np.float32),
                    np.empty(size, np.float32),
                    np.empty(size, np.float32),
                    np.empty(size, bool),
                )
            return tuple(buf[: b * m].reshape(b, m) for buf in workspaces.buffers)

        def rank_group(rows: NDArray[np.int64]) -> None:
            if len(rows) == 0:
                return
            common = common_all[language_group[rows[0]]]
            keep = np.flatnonzero(common > 0)
            if len(keep) == 0:
                return
            cols, common = open_cols.subset(keep), common[keep]
            places = np.unique(rows_all.place[rows])
            region = cols.region.rows(places)
            extra_e = region * reg["entrepreneur"] + lang["entrepreneur"] * common
            extra_d = region * reg["diaspora"] + lang["diaspora"] * common
            for start in range(0, len(rows), CHUNK_ROWS):
                chunk = rows[start : start + CHUNK_ROWS]
                fit_e, fit_d, total, mask = workspace(len(chunk), len(keep))
                np.matmul(rows_all.fit_e[chunk], cols.fit_e.T, out=fit_e)
                np.matmul(rows_all.fit_d[chunk], cols.fit_d.T, out=fit_d)
                at = np.searchsorted(places, rows_all.place[chunk])
                runs = np.flatnonzero(np.r_[True, at[1:] != at[:-1]])
                for s, e in zip(runs, np.r_[runs[1:], len(chunk)], strict=True):
                    fit_e[s:e] += extra_e[at[s]]
                    fit_d[s:e] += extra_d[at[s]]
                half = self._harmonic_half(fit_e, fit_d, None, total)
                if kind is Kind.INVESTMENT:
                    amount = rows_all.amount[chunk][:, None]
                    half *= self._ticket_ok(amount, cols.ticket_min, cols.ticket_max)
                keys = self._add_tier(half, self._home(kind, region[at]))
                for i, row in enumerate(chunk):
                    if row in banned:
                        keys[i, np.isin(cols.ids, banned[row])] = 0.0

                def tiebreak(
                    r: NDArray[np.int64], c: NDArray[np.int64], chunk: NDArray[np.int64] = chunk
                ) -> list[NDArray[np.generic]]:
                    return self._secondary(kind, rows_all, chunk[r], cols, c, "entrepreneur")

                idx, top = top_k(keys, k, mask, tiebreak)
                ids[chunk] = np.where(idx >= 0, cols.ids[idx], -1)
                scores[chunk] = score_of(top)

        # Threads share the fitted arrays; BLAS stays single-threaded inside each one.
        with _BLAS.limit(limits=1, user_api="blas"), ThreadPoolExecutor(max(1, n_jobs)) as pool:
            list(pool.map(rank_group, sorted(groups, key=len, reverse=True)))
        return TopK(rows_all.ids.copy(), ids, scores)

    def pair_scores(
        self,
        kind: Kind,
        entrepreneur_ids: Sequence[int],
        diaspora_ids: Sequence[int],
        exclude: Collection[Pair] = (),
    ) -> tuple[Matrix, Matrix]:
        """Scores and sort keys of every pair of the given people (rows in the order of
        `entrepreneur_ids`, columns in that of `diaspora_ids`): 0 where a hard constraint
        forbids the pair, either person cannot be suggested for the kind, or it is excluded.

        Capacity is not applied: whoever asks decides how many each member may still take.
        """
        kind = Kind(kind)
        wanted = np.asarray(diaspora_ids, dtype=np.int64)
        keys = np.zeros((len(entrepreneur_ids), len(wanted)), dtype=np.float32)
        located = []
        for part in self.parts:
            cols = part.columns[kind]
            if len(cols.ids) == 0:
                continue
            at = np.minimum(np.searchsorted(cols.ids, wanted), len(cols.ids) - 1)
            known = (cols.ids[at] == wanted) & cols.visible[at]
            if known.any():
                located.append((cols, at, known))
        with _BLAS.limit(limits=1, user_api="blas"):
            for i, e_id in enumerate(entrepreneur_ids):
                found = self._find_row(kind, int(e_id))
                if found is None:
                    continue
                rows, row = found
                for cols, at, known in located:
                    keys[i, known] = self._row_keys(kind, rows, row, cols)[at[known]]
        keys[keys <= W.MIN_SCORE / 2] = 0.0
        if exclude:
            e_at = {int(e): i for i, e in enumerate(entrepreneur_ids)}
            d_at = {int(d): j for j, d in enumerate(diaspora_ids)}
            for e, d in exclude:
                if e in e_at and d in d_at:
                    keys[e_at[e], d_at[d]] = 0.0
        return score_of(keys), keys

    def explain(
        self,
        entrepreneur_id: int,
        diaspora_id: int,
        kind: Kind,
        viewer: Side,
        records: RecordLookup | None = None,
    ) -> Match:
        """Score, components and reasons of one pair, worded for `viewer`; constraints are
        not checked here (the rankers do that)."""
        matches = self._matches(Kind(kind), [(entrepreneur_id, diaspora_id)], viewer, records)
        if not matches:
            raise KeyError((entrepreneur_id, diaspora_id))
        return matches[0]

    # --- who is in the index --------------------------------------------------------------

    def people(
        self, side: Side, value_chain: str | None = None, country: str | None = None
    ) -> set[int]:
        """Ids of the active people of one side ("entrepreneur" or "diaspora") working in a
        value chain and/or a country (a member's country: where they come from or want to
        help). Filters of the suggestions page, without the records."""
        found: set[int] = set()
        seen: set[int] = set()
        chain = self.vocab.chains.index(value_chain) if value_chain in self.vocab.chains else None
        if value_chain and chain is None:
            return found
        place_country = np.array([p.split("-", 1)[0] for p in self.vocab.places], dtype=object)
        for number, part in reversed(list(enumerate(self.parts))):
            features = part.e if side == "entrepreneur" else part.d
            hidden = (
                (self.hidden_e if side == "entrepreneur" else self.hidden_d) if number == 0 else ()
            )
            keep = features.active.copy()
            if chain is not None:
                keep &= features.chains[:, chain] > 0
            if country and side == "entrepreneur":
                keep &= place_country[part.e.place] == country
            for person in features.ids[keep].tolist():
                if person in seen or person in hidden:
                    continue
                if country and side == "diaspora" and country not in self._countries_of(person):
                    continue
                found.add(person)
            seen.update(features.ids.tolist())
        return found

    def countries(self, side: Side) -> set[str]:
        """Countries of the active people of one side (see people()); worked out once per
        index (a page asks on every request)."""
        if side not in self._countries:
            self._countries[side] = frozenset(self._work_out_countries(side))
        return set(self._countries[side])

    def _work_out_countries(self, side: Side) -> set[str]:
        ids = self.people(side)
        if side == "entrepreneur":
            out: set[str] = set()
            for part in self.parts:
                rows = np.isin(part.e.ids, list(ids))
                out |= {self.vocab.places[p].split("-", 1)[0] for p in part.e.place[rows].tolist()}
            return out
        return {c for person in ids for c in self._countries_of(person)}

    def _countries_of(self, member: int) -> set[str]:
        origin, interest = self.member_places.get(member, ((), ()))
        return {p.split("-", 1)[0] for p in (*origin, *interest)}

    # --- explanations --------------------------------------------------------------------

    def _locate(
        self, entrepreneur_id: int, diaspora_id: int
    ) -> tuple[_Part, int, _Part, int] | None:
        """The parts and feature rows holding the current version of both people."""
        e_at = d_at = None
        for part in reversed(self.parts):
            if e_at is None and (i := _find(part.e.ids, entrepreneur_id)) is not None:
                e_at = (part, i)
            if d_at is None and (j := _find(part.d.ids, diaspora_id)) is not None:
                d_at = (part, j)
        if e_at is None or d_at is None:
            return None
        return (*e_at, *d_at)

    def components(
        self, kind: Kind, entrepreneur_id: int, diaspora_id: int
    ) -> dict[Side, dict[str, float]]:
        """Each component in [0, 1] of both sides' fit, from the same blocks as the score."""
        found = self._locate(entrepreneur_id, diaspora_id)
        if found is None:
            raise KeyError((entrepreneur_id, diaspora_id))
        e_part, e_row, d_part, d_row = found
        e, d = e_part.e, d_part.d
        gc = W.GROUP_CREDIT
        shared = {
            "region": float(d_part.regions.row(int(e.place[e_row]))[d_row]),
            "language": float(e.language_share[e_row] @ d.languages[d_row]),
            "stage": float(e.stage[e_row] @ d.stages[d_row]),
            "instruments": float(e.instruments[e_row] @ d.instruments[d_row]),
            "ticket": 1.0,
        }
        by_side = {
            "entrepreneur": {
                "value_chain": float(
                    (1 - gc) * e.chain_share[e_row] @ d.chains[d_row]
                    + gc * e.group_share[e_row] @ d.groups[d_row]
                ),
                "skills": float(e.needs[e_row] @ d.offers[d_row]),
            },
            "diaspora": {
                "value_chain": float(
                    (1 - gc) * e.chains[e_row] @ d.chain_share[d_row]
                    + gc * e.groups[e_row] @ d.group_share[d_row]
                ),
                "skills": float(e.need_raw[e_row] @ d.offer_share[d_row]),
            },
        }
        return {
            side: {
                name: min(1.0, {**shared, **by_side[side]}[name]) for name in W.WEIGHTS[kind][side]
            }
            for side in SIDES
        }

    def _matches(
        self, kind: Kind, pairs: list[Pair], viewer: Side, records: RecordLookup | None
    ) -> list[Match]:
        """Matches with reasons for these pairs; the records are read once for them all."""
        source = records or self.records
        if source is None:
            raise ValueError("no records to word the reasons: pass records=")
        people_e = source.entrepreneurs({e for e, _ in pairs})
        people_d = source.diaspora({d for _, d in pairs})
        out = []
        for e_id, d_id in pairs:
            if e_id not in people_e or d_id not in people_d:
                continue
            out.append(self._match(kind, people_e[e_id], people_d[d_id], viewer))
        return out

    def _match(
        self, kind: Kind, entrepreneur: EntrepreneurRecord, member: DiasporaRecord, viewer: Side
    ) -> Match:
        components = self.components(kind, entrepreneur.id, member.id)
        fit = {
            side: sum(W.WEIGHTS[kind][side][n] * v for n, v in components[side].items())
            for side in SIDES
        }
        a, b = fit["entrepreneur"], fit["diaspora"]
        score = 2 * a * b / (a + b) if a + b > 0 else 0.0
        reasons = reasons_for(
            kind,
            viewer,
            entrepreneur,
            member,
            components,
            self._covered(entrepreneur, member),
            self.taxonomy,
        )
        return Match(
            entrepreneur_id=entrepreneur.id,
            diaspora_id=member.id,
            kind=kind,
            score=min(1.0, max(0.0, score)),
            fit=fit,
            components=components,
            reasons=reasons,
        )

    def _covered(self, e: EntrepreneurRecord, d: DiasporaRecord) -> list[Covered]:
        """The entrepreneur's needs the member's offer covers, most covered first, each with
        the words it was read from when it came from free text."""
        found = self._locate(e.id, d.id)
        assert found is not None
        e_part, e_row, d_part, d_row = found
        covered = e_part.e.need_raw[e_row] * d_part.d.offers[d_row]
        skills = self.vocab.skills
        needed = self.text.evidence(e.skills_needed_text, e.languages).words
        offered = self.text.evidence(d.skills_offered_text, d.languages).words
        items = [
            Covered(
                skills[i],
                float(covered[i]),
                () if skills[i] in e.skills_needed else needed.get(skills[i], ()),
                () if skills[i] in d.skills_offered else offered.get(skills[i], ()),
            )
            for i in np.flatnonzero(covered > 0)
        ]
        return sorted(items, key=lambda c: (-c.value, skills.index(c.skill)))


# --- helpers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Places:
    """A member's places, as far as region_table needs them."""

    origin_regions: tuple[str, ...]
    interest_regions: tuple[str, ...]

    @property
    def places(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.origin_regions + self.interest_regions))


@dataclass(frozen=True)
class _Layered:
    """Records of an updated index: the changed people first, then the base's."""

    base: RecordLookup | None
    changed_e: Sequence[EntrepreneurRecord]
    changed_d: Sequence[DiasporaRecord]
    hidden_e: set[int]
    hidden_d: set[int]

    def entrepreneurs(self, ids: Collection[int]) -> Mapping[int, EntrepreneurRecord]:
        mine = {e.id: e for e in self.changed_e if e.id in ids}
        rest = [i for i in ids if i not in mine and i not in self.hidden_e]
        older = self.base.entrepreneurs(rest) if self.base and rest else {}
        return {**older, **mine}

    def diaspora(self, ids: Collection[int]) -> Mapping[int, DiasporaRecord]:
        mine = {d.id: d for d in self.changed_d if d.id in ids}
        rest = [i for i in ids if i not in mine and i not in self.hidden_d]
        older = self.base.diaspora(rest) if self.base and rest else {}
        return {**older, **mine}


Block = TypeVar("Block", _Rows, _Columns)


def _load_arrays(load: Mapping[int, int]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Diaspora ids and their coaching loads as arrays (kept ones as they are)."""
    if isinstance(load, CoachingLoads):
        return load.ids, load.counts
    ids = np.fromiter(load.keys(), dtype=np.int64, count=len(load))
    return ids, np.fromiter(load.values(), dtype=np.int64, count=len(load))


def _with_visible(block: Block, visible: NDArray[np.bool_]) -> Block:
    """A shallow copy of a block with fewer people shown (the arrays are shared)."""
    return dataclasses.replace(block, visible=visible & block.visible)


@dataclass(frozen=True)
class _Merged:
    """The keys of several blocks end to end, and where each position came from."""

    keys: Matrix
    sizes: NDArray[np.int64]  # cumulative block sizes, starting at 0

    @classmethod
    def of(cls, keys: list[Matrix]) -> _Merged:
        sizes = np.cumsum([0, *(len(k) for k in keys)]).astype(np.int64)
        merged = np.concatenate(keys) if keys else np.zeros(0, dtype=np.float32)
        return cls(merged.astype(np.float32, copy=False), sizes)

    def block_of(self, positions: NDArray[np.int64]) -> NDArray[np.int64]:
        return np.searchsorted(self.sizes, positions, side="right") - 1

    def where(self, position: int) -> tuple[int, int]:
        """(block, position within the block) of a merged position."""
        block = int(self.block_of(np.array([position]))[0])
        return block, int(position - self.sizes[block])

    def secondary(
        self,
        positions: NDArray[np.int64],
        keys_of: Callable[[int, NDArray[np.int64]], list[NDArray[np.generic]]],
    ) -> list[NDArray[np.generic]]:
        """Secondary keys of merged positions, computed block by block, back in order."""
        block = self.block_of(positions)
        out: list[NDArray[np.generic]] = []
        for b in np.unique(block):
            chosen = np.flatnonzero(block == b)
            parts = keys_of(int(b), positions[chosen] - self.sizes[b])
            if not out:
                out = [np.empty(len(positions), dtype=np.asarray(p).dtype) for p in parts]
            for target, values in zip(out, parts, strict=True):
                target[chosen] = values
        return out


def _allowed(
    allowed: NDArray[np.bool_],
    ids: NDArray[np.int64],
    among: Collection[int] | None,
    banned: list[int],
) -> NDArray[np.bool_]:
    """Narrow `allowed` to the ids a filter leaves, minus the excluded ones."""
    if among is not None:
        allowed &= np.isin(ids, np.fromiter(among, dtype=np.int64))
    if banned:
        allowed &= ~np.isin(ids, np.array(banned, dtype=np.int64))
    return allowed


def _top_of_one(keys: Matrix, k: int, tiebreak: TieBreak) -> tuple[NDArray[np.int64], int]:
    """Top-k positions of one query's sort keys, and how many suggestions there are."""
    idx, _ = top_k(keys[None, :], k, tiebreak=tiebreak)
    return idx[0], int(np.count_nonzero(keys > W.MIN_SCORE / 2))


def _find(sorted_ids: NDArray[np.int64], wanted: int) -> int | None:
    """Position of an id in an ascending id array, or None."""
    pos = int(np.searchsorted(sorted_ids, wanted))
    return pos if pos < len(sorted_ids) and sorted_ids[pos] == wanted else None
