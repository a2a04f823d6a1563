"""Programme indicators for donors: who registered and was vetted, the introductions
funnel, time to approval, ratings, sessions held and money committed, each broken down
by women-led, youth-led and returnee businesses and by region.

Definitions (also shown on the page, from DEFINITIONS):

- The period selects *when people registered* (profiles) and *when introductions were
  asked for* (a cohort): everything that later happened to an introduction asked for in
  the period counts in that period, whenever it happened.
- Country and value chain are the entrepreneur's; kind is coaching or investment.
- Breakdowns are by the entrepreneur's business (women-led, youth-led, returnee, region);
  diaspora members have no such attributes and are counted in "All" only.

A few aggregate queries and one pass over the period's introductions; no per-row queries,
so the page stays fast at programme scale (`make bench` measures it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import String, and_, case, cast, func, or_, select, text
from sqlalchemy.orm import Session

from mentormatch import taxonomy
from mentormatch.models import (
    CheckIn,
    DiasporaProfile,
    EntrepreneurProfile,
    Feedback,
    Pairing,
    PairingEvent,
    PairingKind,
    PairingState,
    ReviewStatus,
    ValueChain,
)
from mentormatch.models.profiles import diaspora_value_chains, entrepreneur_value_chains

S = PairingState

# The breakdown columns: the entrepreneur flag each one counts.
GROUPS: tuple[tuple[str, LazyString, str | None], ...] = (
    ("all", _l("All"), None),
    ("women_led", _l("Women-led"), "is_women_led"),
    ("youth_led", _l("Youth-led"), "is_youth_led"),
    ("returnee", _l("Returnee"), "is_returnee"),
)
NO_REGION = "none"

# Each indicator's name and definition, read in the reader's language (lazy); the CSV
# download reads them in English (views.download), its stable contract.
DEFINITIONS: dict[str, tuple[LazyString, LazyString]] = {
    "entrepreneurs_registered": (
        _l("Entrepreneurs registered"),
        _l("Entrepreneur profiles created in the period (seeking investment, for investment)."),
    ),
    "entrepreneurs_vetted": (
        _l("Entrepreneurs vetted"),
        _l("Of those, profiles a coordinator approved."),
    ),
    "diaspora_registered": (
        _l("Diaspora members registered"),
        _l(
            "Diaspora profiles created in the period that come from or want to support the "
            "country, work in the value chain and offer the kind of help (All only)."
        ),
    ),
    "diaspora_vetted": (
        _l("Diaspora members vetted"),
        _l("Of those, profiles a coordinator approved."),
    ),
    "requested": (
        _l("Introductions requested"),
        _l("Introductions asked for in the period, by either side or proposed by a coordinator."),
    ),
    "accepted": (_l("… accepted"), _l("Of those, introductions both sides agreed to.")),
    "approved": (_l("… approved"), _l("Of those, introductions a coordinator approved.")),
    "completed": (
        _l("… completed"),
        _l("Of those, introductions marked completed with an outcome."),
    ),
    "reached": (
        _l("Entrepreneurs reached"),
        _l("Different entrepreneurs with at least one approved introduction of the period."),
    ),
    "median_days_to_approval": (
        _l("Median days from request to approval"),
        _l("Half of the approved introductions were approved in at most this many days."),
    ),
    "ratings": (
        _l("Ratings given"),
        _l("Ratings (1 to 5) either side gave these introductions."),
    ),
    "average_rating": (_l("Average rating"), _l("The mean of those ratings, out of 5.")),
    "with_check_in": (
        _l("Introductions with a check-in"),
        _l("Approved introductions where at least one side filed a 30- or 90-day check-in."),
    ),
    "sessions": (
        _l("Sessions held"),
        _l("Per introduction, the highest number of sessions either side reported; summed."),
    ),
    "investment_usd": (
        _l("Investment committed (USD)"),
        _l(
            "Per investment introduction, the latest amount reported committed, converted to "
            "US dollars at the indicative rate of the day it was reported; summed. The amounts "
            "in their own currencies are in the table below."
        ),
    ),
}
ENTREPRENEUR_ONLY = ("diaspora_registered", "diaspora_vetted")


@dataclass(frozen=True)
class Filters:
    """The page's filters: a period (dates, both included), country, value chain, kind."""

    start: date
    end: date
    country: str | None = None
    value_chain: str | None = None
    kind: PairingKind | None = None

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def until(self) -> datetime:
        """The first moment after the period."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)

    def args(self) -> dict[str, str]:
        """The filters as query-string arguments (for the CSV link)."""
        values = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "country": self.country or "",
            "value_chain": self.value_chain or "",
            "kind": self.kind.value if self.kind else "",
        }
        return {k: v for k, v in values.items() if v}


@dataclass
class Indicator:
    """One row of the table: a value per breakdown column (None: does not apply)."""

    key: str
    values: dict[str, float | None]

    @property
    def label(self) -> str:
        return str(DEFINITIONS[self.key][0])

    @property
    def definition(self) -> str:
        return str(DEFINITIONS[self.key][1])


@dataclass
class RegionRow:
    code: str
    name: str
    registered: int = 0
    requested: int = 0
    approved: int = 0
    reached: int = 0
    sessions: int = 0
    investment_usd: float = 0.0


@dataclass
class Results:
    """Everything the page, its charts and its CSV show."""

    filters: Filters
    indicators: list[Indicator]
    regions: list[RegionRow]  # regions of the chosen country, or countries
    currencies: list[tuple[str, int, float | None]]  # currency, amount, in USD
    by_month: list[tuple[str, dict[str, int]]]  # "2026-03", state group -> introductions
    reach: list[tuple[str, int]]  # region (or country) name, entrepreneurs reached
    load: dict[str, int] = field(default_factory=dict)  # mentor load bucket -> mentors
    places: tuple[int, int] = (0, 0)  # coaching places taken, offered
    approval_days: list[tuple[str, int]] = field(default_factory=list)  # bucket -> count


# Introductions by month are stacked by where they are now.
STATE_GROUPS: tuple[tuple[str, LazyString, tuple[S, ...]], ...] = (
    ("waiting", _l("Waiting for an answer or approval"), (S.PROPOSED, S.REQUESTED, S.ACCEPTED)),
    ("approved", _l("Approved"), (S.APPROVED,)),
    ("completed", _l("Completed"), (S.COMPLETED,)),
    ("closed", _l("Closed after approval"), (S.CLOSED,)),
    (
        "not_approved",
        _l("Declined, withdrawn or not approved"),
        (S.DECLINED, S.WITHDRAWN, S.REJECTED),
    ),
)
# Days from request to approval: each bucket's label and its last day.
APPROVAL_BUCKETS: tuple[tuple[LazyString, int], ...] = (
    (_l("0–7 days"), 7),
    (_l("8–14 days"), 14),
    (_l("15–30 days"), 30),
    (_l("31–60 days"), 60),
    (_l("over 60 days"), 10**6),
)
LOAD_BUCKETS: tuple[tuple[str, LazyString], ...] = (
    ("none", _l("No mentee yet")),
    ("some", _l("Some places left")),
    ("full", _l("At capacity")),
)


def _entrepreneur_filters(statement: Any, filters: Filters) -> Any:
    """`statement` (which selects from entrepreneur profiles) narrowed to the country and
    value chain of the filters."""
    if filters.country:
        statement = statement.where(EntrepreneurProfile.country_code == filters.country)
    if filters.value_chain:
        statement = statement.where(
            select(entrepreneur_value_chains.c.profile_id)
            .where(
                entrepreneur_value_chains.c.profile_id == EntrepreneurProfile.id,
                entrepreneur_value_chains.c.value_chain_code == filters.value_chain,
            )
            .exists()
        )
    return statement


FLAGS = (
    EntrepreneurProfile.is_women_led,
    EntrepreneurProfile.is_youth_led,
    EntrepreneurProfile.is_returnee,
)
FLAG_NAMES = tuple(flag.key for flag in FLAGS)
# Introductions in these states were approved (or accepted) on the way: completing and
# closing follow approval only, rejecting follows acceptance only (pairings.rules).
AFTER_APPROVAL = (S.APPROVED, S.COMPLETED, S.CLOSED)
AFTER_ACCEPTANCE = (S.ACCEPTED, S.REJECTED, *AFTER_APPROVAL)


def _place(filters: Filters) -> Any:
    """The breakdown column: the region within a chosen country, else the country."""
    column = (
        EntrepreneurProfile.region_code if filters.country else EntrepreneurProfile.country_code
    )
    return column.label("place")


def _flags(row: Any) -> dict[str, bool]:
    return {key: True if flag is None else bool(getattr(row, flag)) for key, _label, flag in GROUPS}


def _epoch_days(session: Session, column: Any) -> Any:
    """A timestamp as days since an epoch, in SQL (the two databases spell it differently)."""
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(column)
    return func.extract("epoch", column) / 86400.0


def compute(session: Session, filters: Filters) -> Results:
    """Every indicator, breakdown and chart series for the filters.

    The counting happens in the database, grouped by the entrepreneur's flags and place
    (each entrepreneur has one combination, so per-group counts add up, distinct ones
    included); Python only adds up the few grouped rows.
    """
    if session.get_bind().dialect.name == "postgresql":
        # PostgreSQL's JIT spends ~20 ms compiling each of these small aggregates, more
        # than running them takes; off for this transaction only.
        session.execute(text("SET LOCAL jit = off"))
    indicators: dict[str, dict[str, float | None]] = {
        key: {g: 0 for g, _label, _flag in GROUPS} for key in DEFINITIONS
    }
    regions: dict[str, RegionRow] = {}

    def region(row: Any) -> RegionRow:
        """The breakdown row of an entrepreneur: their region within the chosen country,
        or their country when all countries are shown."""
        code = row.place
        key = code or NO_REGION
        if key not in regions:
            name = taxonomy.region_name(code) if filters.country else taxonomy.country_name(code)
            regions[key] = RegionRow(key, name if code else _("No region given"))
        return regions[key]

    def add(key: str, flags: dict[str, bool], amount: float = 1) -> None:
        for group, member in flags.items():
            if member:
                indicators[key][group] = (indicators[key][group] or 0) + amount

    # Entrepreneurs registered and vetted.
    place = _place(filters)
    registered = _entrepreneur_filters(
        select(*FLAGS, place, EntrepreneurProfile.review_status, func.count().label("n"))
        .where(
            EntrepreneurProfile.created_at >= filters.since,
            EntrepreneurProfile.created_at < filters.until,
        )
        .group_by(*FLAGS, place, EntrepreneurProfile.review_status),
        filters,
    )
    if filters.kind is PairingKind.INVESTMENT:
        registered = registered.where(EntrepreneurProfile.seeking_investment.is_(True))
    for row in session.execute(registered):
        flags = _flags(row)
        add("entrepreneurs_registered", flags, row.n)
        if row.review_status == ReviewStatus.APPROVED:
            add("entrepreneurs_vetted", flags, row.n)
        region(row).registered += row.n

    diaspora_total, diaspora_vetted = _diaspora_counts(session, filters)
    for key, value in (
        ("diaspora_registered", diaspora_total),
        ("diaspora_vetted", diaspora_vetted),
    ):
        indicators[key] = {g: None for g, _label, _flag in GROUPS} | {"all": value}

    # The funnel of the period's introductions, from where each one is now (the states
    # that can only follow approval or acceptance) and, for withdrawn ones, their trail.
    was_approved = Pairing.state.in_(AFTER_APPROVAL)
    was_accepted = or_(
        Pairing.state.in_(AFTER_ACCEPTANCE),
        and_(
            Pairing.state == S.WITHDRAWN,
            select(PairingEvent.id)
            .where(PairingEvent.pairing_id == Pairing.id, PairingEvent.to_state == S.ACCEPTED)
            .exists(),
        ),
    )
    # Per entrepreneur first (hash aggregates), then per group: "reached" needs no
    # COUNT(DISTINCT), which would sort every introduction.
    per_entrepreneur = _in_cohort(
        select(
            Pairing.entrepreneur_id,
            func.count().label("requested"),
            func.sum(case((was_accepted, 1), else_=0)).label("accepted"),
            func.sum(case((was_approved, 1), else_=0)).label("approved"),
            func.sum(case((Pairing.state == S.COMPLETED, 1), else_=0)).label("completed"),
        )
        .select_from(Pairing)
        .join(EntrepreneurProfile, EntrepreneurProfile.id == Pairing.entrepreneur_id)
        .group_by(Pairing.entrepreneur_id),
        filters,
    ).subquery()
    funnel = (
        select(
            *FLAGS,
            place,
            func.sum(per_entrepreneur.c.requested).label("requested"),
            func.sum(per_entrepreneur.c.accepted).label("accepted"),
            func.sum(per_entrepreneur.c.approved).label("approved"),
            func.sum(per_entrepreneur.c.completed).label("completed"),
            func.sum(case((per_entrepreneur.c.approved > 0, 1), else_=0)).label("reached"),
        )
        .select_from(per_entrepreneur)
        .join(EntrepreneurProfile, EntrepreneurProfile.id == per_entrepreneur.c.entrepreneur_id)
        .group_by(*FLAGS, place)
    )
    for row in session.execute(funnel):
        flags = _flags(row)
        for key in ("requested", "accepted", "approved", "completed", "reached"):
            add(key, flags, int(getattr(row, key) or 0))
        where = region(row)
        where.requested += int(row.requested or 0)
        where.approved += int(row.approved or 0)
        where.reached += int(row.reached or 0)

    # Days from request to approval: the approval event of each approved introduction.
    waits = _in_cohort(
        select(
            *FLAGS,
            (
                _epoch_days(session, PairingEvent.created_at)
                - _epoch_days(session, Pairing.created_at)
            ).label("days"),
        )
        .select_from(Pairing)
        .join(EntrepreneurProfile, EntrepreneurProfile.id == Pairing.entrepreneur_id)
        .join(PairingEvent, PairingEvent.pairing_id == Pairing.id)
        .where(PairingEvent.to_state == S.APPROVED),
        filters,
    )
    # Columns, not rows: ten thousand approvals without a Python step per row and flag.
    rows = session.execute(waits).all()
    columns = list(zip(*rows, strict=True)) if rows else [()] * (len(FLAGS) + 1)
    days = np.array([float(d) for d in columns[-1]], dtype=np.float64)
    member_of = {key: np.array(columns[FLAG_NAMES.index(flag)], dtype=bool)
                 for key, _label, flag in GROUPS if flag}  # fmt: skip
    for group, _label, _flag in GROUPS:
        values = days if group == "all" else days[member_of[group]]
        indicators["median_days_to_approval"][group] = (
            round(float(np.median(values)), 1) if len(values) else None
        )
    tops = np.array([top for _label, top in APPROVAL_BUCKETS])
    counts = np.bincount(np.searchsorted(tops, days), minlength=len(tops))
    approval_counts = [int(n) for n in counts]

    # Introductions by month of the request, by where they are now.
    months = _months(filters)
    month_of = case(
        *((Pairing.created_at < _month_start(month, 1), i) for i, month in enumerate(months[:-1])),
        else_=len(months) - 1,
    )
    by_month: dict[int, Counter[str]] = defaultdict(Counter)
    state_group = {state: key for key, _label, states in STATE_GROUPS for state in states}
    monthly = _in_cohort(
        select(month_of.label("month"), Pairing.state, func.count().label("n"))
        .select_from(Pairing)
        .join(EntrepreneurProfile, EntrepreneurProfile.id == Pairing.entrepreneur_id)
        .group_by(month_of, Pairing.state),
        filters,
    )
    for row in session.execute(monthly):
        by_month[int(row.month)][state_group[S(row.state)]] += row.n

    # Ratings.
    rating_rows = _in_cohort(
        select(*FLAGS, func.count(Feedback.id).label("n"), func.sum(Feedback.rating).label("total"))
        .select_from(Feedback)
        .join(Pairing, Pairing.id == Feedback.pairing_id)
        .join(EntrepreneurProfile, EntrepreneurProfile.id == Pairing.entrepreneur_id)
        .group_by(*FLAGS),
        filters,
    )
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in session.execute(rating_rows):
        for group, member in _flags(row).items():
            if member:
                totals[group][0] += row.n
                totals[group][1] += int(row.total or 0)
    for group, _label, _flag in GROUPS:
        n, total = totals[group]
        indicators["ratings"][group] = n
        indicators["average_rating"][group] = round(total / n, 2) if n else None

    # Sessions: per introduction the most either side reported.
    held = (
        select(CheckIn.pairing_id.label("pairing_id"), func.max(CheckIn.sessions).label("held"))
        .group_by(CheckIn.pairing_id)
        .subquery()
    )
    session_rows = _in_cohort(
        select(*FLAGS, place, func.count().label("n"), func.sum(held.c.held).label("held"))
        .select_from(Pairing)
        .join(EntrepreneurProfile, EntrepreneurProfile.id == Pairing.entrepreneur_id)
        .join(held, held.c.pairing_id == Pairing.id)
        .group_by(*FLAGS, place),
        filters,
    )
    for row in session.execute(session_rows):
        flags = _flags(row)
        add("with_check_in", flags, row.n)
        add("sessions", flags, int(row.held or 0))
        region(row).sessions += int(row.held or 0)

    # Money: per investment introduction the latest amount reported committed.
    latest = (
        select(
            CheckIn.pairing_id.label("pairing_id"),
            CheckIn.amount.label("amount"),
            CheckIn.currency.label("currency"),
            CheckIn.amount_usd.label("amount_usd"),
            func.row_number()
            .over(
                partition_by=CheckIn.pairing_id,
                order_by=(CheckIn.created_at.desc(), CheckIn.id.desc()),
            )
            .label("rank"),
        )
        .where(CheckIn.money_committed.is_(True), CheckIn.amount.is_not(None))
        .subquery()
    )
    money_rows = _in_cohort(
        select(
            *FLAGS,
            place,
            latest.c.currency,
            func.sum(latest.c.amount).label("amount"),
            func.sum(latest.c.amount_usd).label("usd"),
        )
        .select_from(Pairing)
        .join(EntrepreneurProfile, EntrepreneurProfile.id == Pairing.entrepreneur_id)
        .join(latest, latest.c.pairing_id == Pairing.id)
        .where(latest.c.rank == 1)
        .group_by(*FLAGS, place, latest.c.currency),
        filters,
    )
    currencies: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for row in session.execute(money_rows):
        usd = float(row.usd or 0.0)
        add("investment_usd", _flags(row), usd)
        region(row).investment_usd += usd
        currencies[row.currency][0] += int(row.amount or 0)
        currencies[row.currency][1] += usd
    for group, _label, _flag in GROUPS:
        committed = indicators["investment_usd"][group]
        indicators["investment_usd"][group] = round(committed or 0.0, 2)

    load, places = _mentor_load(session, filters)
    return Results(
        filters=filters,
        indicators=[Indicator(key, values) for key, values in indicators.items()],
        regions=sorted(regions.values(), key=lambda r: (r.code == NO_REGION, r.name)),
        currencies=[(c, int(a), round(u, 2)) for c, (a, u) in sorted(currencies.items())],
        by_month=[(month, dict(by_month.get(i, Counter()))) for i, month in enumerate(months)],
        reach=sorted(
            ((r.name, r.reached) for r in regions.values() if r.reached),
            key=lambda item: (-item[1], item[0]),
        ),
        load=load,
        places=places,
        approval_days=[
            (str(label), n)
            for (label, _top), n in zip(APPROVAL_BUCKETS, approval_counts, strict=True)
        ],
    )


def _month_start(month: str, add: int = 0) -> datetime:
    """The first moment of "YYYY-MM" plus `add` months, in UTC."""
    year, number = int(month[:4]), int(month[5:]) - 1 + add
    return datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)


def _in_cohort(statement: Any, filters: Filters) -> Any:
    """`statement` (over pairings joined to their entrepreneur) narrowed to the
    introductions asked for in the period, of the kind, country and value chain."""
    statement = statement.where(
        Pairing.created_at >= filters.since, Pairing.created_at < filters.until
    )
    if filters.kind:
        statement = statement.where(Pairing.kind == filters.kind)
    return _entrepreneur_filters(statement, filters)


def _diaspora_scope(statement: Any, filters: Filters) -> Any:
    """`statement` over diaspora profiles narrowed to members from or for the country (any
    region code of theirs in it), in the value chain, offering the kind of help."""
    if filters.country:
        places = or_(
            *(
                cast(column, String).like(pattern)
                for column in (DiasporaProfile.origin_regions, DiasporaProfile.interest_regions)
                for pattern in (f'%"{filters.country}-%', f'%"{filters.country}"%')
            )
        )
        statement = statement.where(places)
    if filters.value_chain:
        statement = statement.where(
            select(diaspora_value_chains.c.profile_id)
            .where(
                diaspora_value_chains.c.profile_id == DiasporaProfile.id,
                diaspora_value_chains.c.value_chain_code == filters.value_chain,
            )
            .exists()
        )
    if filters.kind is PairingKind.COACHING:
        statement = statement.where(DiasporaProfile.offers_coaching.is_(True))
    if filters.kind is PairingKind.INVESTMENT:
        statement = statement.where(DiasporaProfile.offers_investment.is_(True))
    return statement


def _diaspora_counts(session: Session, filters: Filters) -> tuple[int, int]:
    """Members of the scope registered in the period, and of those the vetted ones."""
    vetted = DiasporaProfile.review_status == ReviewStatus.APPROVED
    row = session.execute(
        _diaspora_scope(
            select(func.count(), func.sum(case((vetted, 1), else_=0))).where(
                DiasporaProfile.created_at >= filters.since,
                DiasporaProfile.created_at < filters.until,
            ),
            filters,
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


def _mentor_load(session: Session, filters: Filters) -> tuple[dict[str, int], tuple[int, int]]:
    """Approved mentors of the scope by coaching load against capacity, now; and places
    taken of places offered."""
    if filters.kind is PairingKind.INVESTMENT:
        return {key: 0 for key, _label in LOAD_BUCKETS}, (0, 0)
    approved = (
        select(Pairing.diaspora_id.label("diaspora_id"), func.count().label("n"))
        .where(Pairing.kind == PairingKind.COACHING, Pairing.state == S.APPROVED)
        .group_by(Pairing.diaspora_id)
        .subquery()
    )
    load = func.coalesce(approved.c.n, 0)
    capacity = DiasporaProfile.mentee_capacity
    used = case((load < capacity, load), else_=capacity)
    bucket = case((load == 0, "none"), (load >= capacity, "full"), else_="some").label("bucket")
    rows = session.execute(
        _diaspora_scope(
            select(bucket, func.count().label("mentors"), func.sum(used), func.sum(capacity))
            .outerjoin(approved, approved.c.diaspora_id == DiasporaProfile.id)
            .where(
                DiasporaProfile.offers_coaching.is_(True),
                DiasporaProfile.review_status == ReviewStatus.APPROVED,
                capacity > 0,
            )
            .group_by(bucket),
            filters,
        )
    ).all()
    counts = {key: 0 for key, _label in LOAD_BUCKETS} | {r.bucket: int(r.mentors) for r in rows}
    return counts, (sum(int(r[2] or 0) for r in rows), sum(int(r[3] or 0) for r in rows))


def _months(filters: Filters) -> list[str]:
    """Every month of the period, oldest first."""
    months = []
    year, month = filters.start.year, filters.start.month
    while (year, month) <= (filters.end.year, filters.end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def value_chain_choices(session: Session) -> list[tuple[str, str]]:
    """(code, label) of every value chain, for the filter."""
    return [(code, taxonomy.chain_name(label)) for code, label in session.execute(
        select(ValueChain.code, ValueChain.label).order_by(ValueChain.position)
    )]  # fmt: skip


def country_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the countries entrepreneurs work in, for the filter."""
    codes = session.scalars(select(EntrepreneurProfile.country_code).distinct()).all()
    return sorted(((c, taxonomy.country_name(c)) for c in codes), key=lambda x: x[1])


def csv_rows(results: Results) -> Iterable[list[str]]:
    """The page's tables as CSV rows: table, row, column, value. The table and column names
    are a contract in English (scripts read them); the caller computes the results and
    reads these rows in English (views.download)."""
    yield ["table", "row", "column", "value"]
    for indicator in results.indicators:
        for group, label, _flag in GROUPS:
            value = indicator.values.get(group)
            value_text = "" if value is None else _plain(value)
            yield ["indicators", indicator.label, str(label), value_text]
    places = "by region" if results.filters.country else "by country"
    for r in results.regions:
        for column, value in (
            ("Entrepreneurs registered", r.registered),
            ("Introductions requested", r.requested),
            ("Introductions approved", r.approved),
            ("Entrepreneurs reached", r.reached),
            ("Sessions held", r.sessions),
            ("Investment committed (USD)", round(r.investment_usd, 2)),
        ):
            yield [places, r.name, column, _plain(value)]
    for currency, amount, usd in results.currencies:
        yield ["investment by currency", currency, "Amount", str(amount)]
        yield ["investment by currency", currency, "In USD", "" if usd is None else _plain(usd)]


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"
