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

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, func, select
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
GROUPS: tuple[tuple[str, str, str | None], ...] = (
    ("all", "All", None),
    ("women_led", "Women-led", "is_women_led"),
    ("youth_led", "Youth-led", "is_youth_led"),
    ("returnee", "Returnee", "is_returnee"),
)
NO_REGION = "none"

DEFINITIONS: dict[str, tuple[str, str]] = {
    "entrepreneurs_registered": (
        "Entrepreneurs registered",
        "Entrepreneur profiles created in the period (seeking investment, for investment).",
    ),
    "entrepreneurs_vetted": (
        "Entrepreneurs vetted",
        "Of those, profiles a coordinator approved.",
    ),
    "diaspora_registered": (
        "Diaspora members registered",
        "Diaspora profiles created in the period that come from or want to support the "
        "country, work in the value chain and offer the kind of help (All only).",
    ),
    "diaspora_vetted": ("Diaspora members vetted", "Of those, profiles a coordinator approved."),
    "requested": (
        "Introductions requested",
        "Introductions asked for in the period, by either side or proposed by a coordinator.",
    ),
    "accepted": ("… accepted", "Of those, introductions both sides agreed to."),
    "approved": ("… approved", "Of those, introductions a coordinator approved."),
    "completed": ("… completed", "Of those, introductions marked completed with an outcome."),
    "reached": (
        "Entrepreneurs reached",
        "Different entrepreneurs with at least one approved introduction of the period.",
    ),
    "median_days_to_approval": (
        "Median days from request to approval",
        "Half of the approved introductions were approved in at most this many days.",
    ),
    "ratings": ("Ratings given", "Ratings (1 to 5) either side gave these introductions."),
    "average_rating": ("Average rating", "The mean of those ratings, out of 5."),
    "with_check_in": (
        "Introductions with a check-in",
        "Approved introductions where at least one side filed a 30- or 90-day check-in.",
    ),
    "sessions": (
        "Sessions held",
        "Per introduction, the highest number of sessions either side reported; summed.",
    ),
    "investment_usd": (
        "Investment committed (USD)",
        "Per investment introduction, the latest amount reported committed, converted to "
        "US dollars at the indicative rate of the day it was reported; summed. The amounts in "
        "their own currencies are in the table below.",
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
        return DEFINITIONS[self.key][0]

    @property
    def definition(self) -> str:
        return DEFINITIONS[self.key][1]


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
STATE_GROUPS: tuple[tuple[str, str, tuple[S, ...]], ...] = (
    ("waiting", "Waiting for an answer or approval", (S.PROPOSED, S.REQUESTED, S.ACCEPTED)),
    ("approved", "Approved", (S.APPROVED,)),
    ("completed", "Completed", (S.COMPLETED,)),
    ("closed", "Closed after approval", (S.CLOSED,)),
    ("not_approved", "Declined, withdrawn or not approved", (S.DECLINED, S.WITHDRAWN, S.REJECTED)),
)
APPROVAL_BUCKETS: tuple[tuple[str, int], ...] = (
    ("0–7 days", 7),
    ("8–14 days", 14),
    ("15–30 days", 30),
    ("31–60 days", 60),
    ("over 60 days", 10**6),
)
LOAD_BUCKETS = (
    ("none", "No mentee yet"),
    ("some", "Some places left"),
    ("full", "At capacity"),
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


def _flags(row: Any) -> dict[str, bool]:
    return {key: True if flag is None else bool(getattr(row, flag)) for key, _, flag in GROUPS}


def compute(session: Session, filters: Filters) -> Results:
    """Every indicator, breakdown and chart series for the filters."""
    indicators: dict[str, dict[str, float | None]] = {
        key: {g: 0 for g, _, _ in GROUPS} for key in DEFINITIONS
    }
    regions: dict[str, RegionRow] = {}

    def region(row: Any) -> RegionRow:
        """The breakdown row of an entrepreneur: their region within the chosen country,
        or their country when all countries are shown."""
        code = row.region_code if filters.country else row.country_code
        key = code or NO_REGION
        if key not in regions:
            name = taxonomy.region_name(code) if filters.country else taxonomy.country_name(code)
            regions[key] = RegionRow(key, name if code else "No region given")
        return regions[key]

    def add(key: str, flags: dict[str, bool], amount: float = 1) -> None:
        for group, member in flags.items():
            if member:
                indicators[key][group] = (indicators[key][group] or 0) + amount

    # Entrepreneurs registered and vetted, grouped in the database.
    registered = _entrepreneur_filters(
        select(
            EntrepreneurProfile.is_women_led,
            EntrepreneurProfile.is_youth_led,
            EntrepreneurProfile.is_returnee,
            EntrepreneurProfile.region_code,
            EntrepreneurProfile.country_code,
            EntrepreneurProfile.review_status,
            func.count().label("n"),
        )
        .where(
            EntrepreneurProfile.created_at >= filters.since,
            EntrepreneurProfile.created_at < filters.until,
        )
        .group_by(
            EntrepreneurProfile.is_women_led,
            EntrepreneurProfile.is_youth_led,
            EntrepreneurProfile.is_returnee,
            EntrepreneurProfile.region_code,
            EntrepreneurProfile.country_code,
            EntrepreneurProfile.review_status,
        ),
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
        indicators[key] = {g: None for g, _, _ in GROUPS} | {"all": value}

    # The period's introductions, one row each, with how far each one got.
    cohort = _cohort(session, filters)
    by_pairing = {row.id: row for row in cohort}
    reached: dict[str, set[int]] = defaultdict(set)
    reached_by_region: dict[str, set[int]] = defaultdict(set)
    waits: dict[str, list[float]] = defaultdict(list)
    months: dict[str, Counter[str]] = defaultdict(Counter)
    state_group = {state: key for key, _, states in STATE_GROUPS for state in states}
    approval_counts: Counter[str] = Counter()
    for row in cohort:
        flags = _flags(row)
        place = region(row)
        add("requested", flags)
        place.requested += 1
        months[row.created_at.strftime("%Y-%m")][state_group[S(row.state)]] += 1
        if row.accepted:
            add("accepted", flags)
        if row.completed:
            add("completed", flags)
        if row.approved_at is not None:
            add("approved", flags)
            place.approved += 1
            for group, member in flags.items():
                if member:
                    reached[group].add(row.entrepreneur_id)
                    approved_at = _aware(row.approved_at)
                    waits[group].append(
                        (approved_at - _aware(row.created_at)).total_seconds() / 86400
                    )
            reached_by_region[place.code].add(row.entrepreneur_id)
            days = (_aware(row.approved_at) - _aware(row.created_at)).total_seconds() / 86400
            approval_counts[next(label for label, top in APPROVAL_BUCKETS if days <= top)] += 1
    for group, _, _ in GROUPS:
        indicators["reached"][group] = len(reached[group])
        indicators["median_days_to_approval"][group] = (
            round(statistics.median(waits[group]), 1) if waits[group] else None
        )
    for code, members in reached_by_region.items():
        regions[code].reached = len(members)

    # Ratings, sessions and money of those introductions.
    ids = list(by_pairing)
    ratings: dict[str, list[int]] = defaultdict(list)
    for pairing_id, rating in _in_chunks(
        session, ids, lambda chunk: select(Feedback.pairing_id, Feedback.rating).where(
            Feedback.pairing_id.in_(chunk)
        )
    ):  # fmt: skip
        for group, member in _flags(by_pairing[pairing_id]).items():
            if member:
                ratings[group].append(rating)
    for group, _, _ in GROUPS:
        indicators["ratings"][group] = len(ratings[group])
        indicators["average_rating"][group] = (
            round(statistics.fmean(ratings[group]), 2) if ratings[group] else None
        )
    sessions: dict[int, int] = {}
    money: dict[int, tuple[datetime, int, int, str, float | None]] = {}
    for c in _in_chunks(
        session, ids, lambda chunk: select(
            CheckIn.id, CheckIn.pairing_id, CheckIn.sessions, CheckIn.money_committed,
            CheckIn.amount, CheckIn.currency, CheckIn.amount_usd, CheckIn.created_at,
        ).where(CheckIn.pairing_id.in_(chunk))
    ):  # fmt: skip
        sessions[c.pairing_id] = max(sessions.get(c.pairing_id, 0), c.sessions)
        if c.money_committed and c.amount:
            latest = money.get(c.pairing_id)
            if latest is None or (c.created_at, c.id) > (latest[0], latest[1]):
                money[c.pairing_id] = (c.created_at, c.id, c.amount, c.currency, c.amount_usd)
    currencies: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for pairing_id, held in sessions.items():
        row = by_pairing[pairing_id]
        flags = _flags(row)
        add("with_check_in", flags)
        add("sessions", flags, held)
        region(row).sessions += held
    for pairing_id, (_, _, amount, currency, usd) in money.items():
        row = by_pairing[pairing_id]
        add("investment_usd", _flags(row), usd or 0.0)
        region(row).investment_usd += usd or 0.0
        currencies[currency][0] += amount
        currencies[currency][1] += usd or 0.0
    for group, _, _ in GROUPS:
        committed = indicators["investment_usd"][group]
        indicators["investment_usd"][group] = round(committed or 0.0, 2)

    load, places = _mentor_load(session, filters)
    return Results(
        filters=filters,
        indicators=[Indicator(key, values) for key, values in indicators.items()],
        regions=sorted(regions.values(), key=lambda r: (r.code == NO_REGION, r.name)),
        currencies=[(c, int(a), round(u, 2)) for c, (a, u) in sorted(currencies.items())],
        by_month=[(month, dict(months.get(month, Counter()))) for month in _months(filters)],
        reach=sorted(
            ((r.name, r.reached) for r in regions.values() if r.reached),
            key=lambda item: (-item[1], item[0]),
        ),
        load=load,
        places=places,
        approval_days=[(label, approval_counts[label]) for label, _ in APPROVAL_BUCKETS],
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _in_chunks(session: Session, ids: list[int], statement: Any, size: int = 5000) -> Iterable[Any]:
    """Rows of `statement(chunk)` for each chunk of ids (IN lists stay a sane size)."""
    for start in range(0, len(ids), size):
        yield from session.execute(statement(ids[start : start + size]))


def _cohort(session: Session, filters: Filters) -> list[Any]:
    """One row per introduction asked for in the period, with the entrepreneur's flags and
    region, and whether (and when) it reached accepted, approved and completed."""
    reached = (
        select(
            PairingEvent.pairing_id.label("pairing_id"),
            func.max(case((PairingEvent.to_state == S.ACCEPTED, 1), else_=0)).label("accepted"),
            func.min(case((PairingEvent.to_state == S.APPROVED, PairingEvent.created_at))).label(
                "approved_at"
            ),
            func.max(case((PairingEvent.to_state == S.COMPLETED, 1), else_=0)).label("completed"),
        )
        .join(Pairing, Pairing.id == PairingEvent.pairing_id)
        .where(Pairing.created_at >= filters.since, Pairing.created_at < filters.until)
        .group_by(PairingEvent.pairing_id)
        .subquery()
    )
    statement = (
        select(
            Pairing.id,
            Pairing.state,
            Pairing.created_at,
            Pairing.entrepreneur_id,
            EntrepreneurProfile.is_women_led,
            EntrepreneurProfile.is_youth_led,
            EntrepreneurProfile.is_returnee,
            EntrepreneurProfile.region_code,
            EntrepreneurProfile.country_code,
            func.coalesce(reached.c.accepted, 0).label("accepted"),
            reached.c.approved_at,
            func.coalesce(reached.c.completed, 0).label("completed"),
        )
        .join(EntrepreneurProfile, EntrepreneurProfile.id == Pairing.entrepreneur_id)
        .outerjoin(reached, reached.c.pairing_id == Pairing.id)
        .where(Pairing.created_at >= filters.since, Pairing.created_at < filters.until)
    )
    if filters.kind:
        statement = statement.where(Pairing.kind == filters.kind)
    return list(session.execute(_entrepreneur_filters(statement, filters)))


def _diaspora_rows(session: Session, filters: Filters, since: datetime | None) -> list[Any]:
    statement = select(
        DiasporaProfile.id,
        DiasporaProfile.origin_regions,
        DiasporaProfile.interest_regions,
        DiasporaProfile.review_status,
        DiasporaProfile.offers_coaching,
        DiasporaProfile.offers_investment,
        DiasporaProfile.mentee_capacity,
    )
    if since is not None:
        statement = statement.where(
            DiasporaProfile.created_at >= since, DiasporaProfile.created_at < filters.until
        )
    if filters.value_chain:
        statement = statement.where(
            select(diaspora_value_chains.c.profile_id)
            .where(
                diaspora_value_chains.c.profile_id == DiasporaProfile.id,
                diaspora_value_chains.c.value_chain_code == filters.value_chain,
            )
            .exists()
        )
    rows = []
    for row in session.execute(statement):
        places = {
            code.split("-")[0] for code in (row.origin_regions or []) + (row.interest_regions or [])
        }
        if filters.country and filters.country not in places:
            continue
        if filters.kind is PairingKind.COACHING and not row.offers_coaching:
            continue
        if filters.kind is PairingKind.INVESTMENT and not row.offers_investment:
            continue
        rows.append(row)
    return rows


def _diaspora_counts(session: Session, filters: Filters) -> tuple[int, int]:
    rows = _diaspora_rows(session, filters, filters.since)
    return len(rows), sum(1 for r in rows if r.review_status == ReviewStatus.APPROVED)


def _mentor_load(session: Session, filters: Filters) -> tuple[dict[str, int], tuple[int, int]]:
    """Approved mentors of the scope by load against capacity, now; and places taken of
    places offered."""
    mentors = [
        r
        for r in _diaspora_rows(session, filters, None)
        if r.offers_coaching and r.review_status == ReviewStatus.APPROVED and r.mentee_capacity > 0
    ]
    if filters.kind is PairingKind.INVESTMENT:
        mentors = []
    load: dict[int, int] = {}
    ids = [m.id for m in mentors]
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        rows = session.execute(
            select(Pairing.diaspora_id, func.count())
            .where(
                Pairing.kind == PairingKind.COACHING,
                Pairing.state == S.APPROVED,
                Pairing.diaspora_id.in_(chunk),
            )
            .group_by(Pairing.diaspora_id)
        )
        load.update({d: n for d, n in rows})
    buckets = Counter[str]()
    taken = offered = 0
    for m in mentors:
        used = min(load.get(m.id, 0), m.mentee_capacity)
        taken += used
        offered += m.mentee_capacity
        buckets["none" if used == 0 else "full" if used >= m.mentee_capacity else "some"] += 1
    return {key: buckets[key] for key, _ in LOAD_BUCKETS}, (taken, offered)


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
    return [(code, label) for code, label in session.execute(
        select(ValueChain.code, ValueChain.label).order_by(ValueChain.position)
    )]  # fmt: skip


def country_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the countries entrepreneurs work in, for the filter."""
    codes = session.scalars(select(EntrepreneurProfile.country_code).distinct()).all()
    return sorted(((c, taxonomy.country_name(c)) for c in codes), key=lambda x: x[1])


def csv_rows(results: Results) -> Iterable[list[str]]:
    """The page's tables as CSV rows: table, row, column, value."""
    yield ["table", "row", "column", "value"]
    for indicator in results.indicators:
        for group, label, _ in GROUPS:
            value = indicator.values.get(group)
            yield ["indicators", indicator.label, label, "" if value is None else _plain(value)]
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
