"""Exports of people and pairings (with their history) as CSV or XLSX, for the filters a
coordinator chose, safe to open in a spreadsheet, and logged.

- Spreadsheet-safe: a text cell that begins with =, +, -, @, a tab or a carriage return
  is what spreadsheets run as a formula (CSV injection); it gets a leading apostrophe,
  which spreadsheets show as text. Numbers stay numbers.
- Contact details (email, phone) are exported only when the programme allows it
  (EXPORT_CONTACT_DETAILS); otherwise their columns are not in the file at all.
- Every export writes an ExportLog row: who, when, what, which filters, how many rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from mentormatch import phones, taxonomy
from mentormatch.db import utcnow
from mentormatch.models import (
    DiasporaProfile,
    EntrepreneurProfile,
    ExportLog,
    Pairing,
    PairingEvent,
    PairingKind,
    PairingState,
    ReviewStatus,
    Role,
    User,
    ValueChain,
)
from mentormatch.models.profiles import diaspora_value_chains, entrepreneur_value_chains

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
MAX_ROWS = 100_000


def spreadsheet_safe(value: Any) -> Any:
    """A cell value no spreadsheet will run as a formula: text that begins with =, +, -,
    @, a tab or a carriage return gets a leading apostrophe; other values are kept."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# --- filters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeopleFilters:
    """Which people to export (the parameters of the people list, all optional)."""

    role: str = ""  # entrepreneur or diaspora; both when empty
    q: str = ""  # part of a name, business, headline, email or phone
    country: str = ""
    region: str = ""
    value_chain: str = ""
    status: str = ""
    returnee: bool = False
    women_led: bool = False
    youth_led: bool = False

    def described(self) -> dict[str, Any]:
        """The filters set, for the export log."""
        return {key: value for key, value in self.__dict__.items() if value}


@dataclass(frozen=True)
class PairingFilters:
    """Which pairings to export (the parameters of the pairings list, all optional)."""

    state: str = ""
    kind: str = ""
    country: str = ""
    value_chain: str = ""
    since: date | None = None
    until: date | None = None
    coordinator: int | None = None

    def described(self) -> dict[str, Any]:
        """The filters set, for the export log."""
        return {
            key: (value.isoformat() if isinstance(value, date) else value)
            for key, value in self.__dict__.items()
            if value
        }


def _entrepreneurs(filters: PeopleFilters) -> Select[Any]:
    query = select(EntrepreneurProfile).join(User, EntrepreneurProfile.user_id == User.id)
    if filters.country:
        query = query.where(EntrepreneurProfile.country_code == filters.country)
    if filters.region:
        query = query.where(EntrepreneurProfile.region_code == filters.region)
    if filters.value_chain:
        query = query.where(
            EntrepreneurProfile.id.in_(
                select(entrepreneur_value_chains.c.profile_id).where(
                    entrepreneur_value_chains.c.value_chain_code == filters.value_chain
                )
            )
        )
    if filters.status:
        query = query.where(EntrepreneurProfile.review_status == ReviewStatus(filters.status))
    for flag, column in (
        (filters.returnee, EntrepreneurProfile.is_returnee),
        (filters.women_led, EntrepreneurProfile.is_women_led),
        (filters.youth_led, EntrepreneurProfile.is_youth_led),
    ):
        if flag:
            query = query.where(column.is_(True))
    if filters.q:
        like = f"%{filters.q.casefold()}%"
        query = query.where(
            or_(
                User.full_name.ilike(like),
                EntrepreneurProfile.business_name.ilike(like),
                User.email.ilike(like),
                User.phone.ilike(like),
            )
        )
    return query.order_by(EntrepreneurProfile.id)


def _diaspora(filters: PeopleFilters) -> Select[Any] | None:
    if filters.region or filters.returnee or filters.women_led or filters.youth_led:
        return None  # these describe businesses only
    query = select(DiasporaProfile).join(User, DiasporaProfile.user_id == User.id)
    if filters.country:
        query = query.where(DiasporaProfile.residence_country == filters.country)
    if filters.value_chain:
        query = query.where(
            DiasporaProfile.id.in_(
                select(diaspora_value_chains.c.profile_id).where(
                    diaspora_value_chains.c.value_chain_code == filters.value_chain
                )
            )
        )
    if filters.status:
        query = query.where(DiasporaProfile.review_status == ReviewStatus(filters.status))
    if filters.q:
        like = f"%{filters.q.casefold()}%"
        query = query.where(
            or_(
                User.full_name.ilike(like),
                DiasporaProfile.headline.ilike(like),
                User.email.ilike(like),
                User.phone.ilike(like),
            )
        )
    return query.order_by(DiasporaProfile.id)


# --- rows ---------------------------------------------------------------------------------

PEOPLE_COLUMNS = [
    "role", "profile_id", "full_name", "business_or_headline", "country", "region",
    "locality", "value_chains", "skills", "languages", "stage", "review_status",
    "is_returnee", "is_women_led", "is_youth_led", "seeking_investment",
    "investment_amount", "investment_currency", "offers_coaching", "mentee_capacity",
    "offers_investment", "ticket_min", "ticket_max", "ticket_currency",
    "registered_by", "registered_on", "account_active",
]  # fmt: skip
CONTACT_COLUMNS = ["email", "phone"]


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _day(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d") if moment else ""


def _contacts(user: User, email: str | None, phone: str | None) -> list[Any]:
    return [email or user.email or "", phones.display_phone(phone or user.phone)]


def people_rows(
    session: Session, filters: PeopleFilters, with_contacts: bool
) -> tuple[list[str], list[list[Any]]]:
    """The header and one row per person matching the filters."""
    registrars = select(User.registered_by_id).where(User.registered_by_id.is_not(None))
    names = {
        user_id: name
        for user_id, name in session.execute(
            select(User.id, User.full_name).where(User.id.in_(registrars))
        )
    }
    rows: list[list[Any]] = []
    if filters.role in ("", Role.ENTREPRENEUR.value):
        for e in session.scalars(
            _entrepreneurs(filters).options(
                selectinload(EntrepreneurProfile.value_chains),
                selectinload(EntrepreneurProfile.skills_needed),
                selectinload(EntrepreneurProfile.user),
            )
        ):
            row = [
                "entrepreneur", e.id, e.user.full_name, e.business_name,
                taxonomy.country_name(e.country_code),
                taxonomy.region_name(e.region_code) if e.region_code else "",
                e.locality, "; ".join(c.code for c in e.value_chains),
                "; ".join(s.code for s in e.skills_needed), "; ".join(e.languages),
                e.stage.value, e.review_status.value, _yes(e.is_returnee),
                _yes(e.is_women_led), _yes(e.is_youth_led), _yes(e.seeking_investment),
                e.investment_amount, e.investment_currency or "", "", "", "", "", "", "",
                names.get(e.user.registered_by_id or 0, ""), _day(e.user.created_at),
                _yes(e.user.is_active),
            ]  # fmt: skip
            if with_contacts:
                row += _contacts(e.user, e.contact_email, e.contact_phone)
            rows.append(row)
    diaspora = _diaspora(filters) if filters.role in ("", Role.DIASPORA.value) else None
    if diaspora is not None:
        for d in session.scalars(
            diaspora.options(
                selectinload(DiasporaProfile.value_chains),
                selectinload(DiasporaProfile.skills_offered),
                selectinload(DiasporaProfile.user),
            )
        ):
            row = [
                "diaspora", d.id, d.user.full_name, d.headline,
                taxonomy.country_name(d.residence_country), "; ".join(d.origin_regions), "",
                "; ".join(c.code for c in d.value_chains),
                "; ".join(s.code for s in d.skills_offered), "; ".join(d.languages), "",
                d.review_status.value, "", "", "", "", None, "", _yes(d.offers_coaching),
                d.mentee_capacity, _yes(d.offers_investment), d.ticket_min, d.ticket_max,
                d.ticket_currency or "", names.get(d.user.registered_by_id or 0, ""),
                _day(d.user.created_at), _yes(d.user.is_active),
            ]  # fmt: skip
            if with_contacts:
                row += _contacts(d.user, d.contact_email, d.contact_phone)
            rows.append(row)
    header = PEOPLE_COLUMNS + (CONTACT_COLUMNS if with_contacts else [])
    return header, rows[:MAX_ROWS]


PAIRING_COLUMNS = [
    "pairing_id", "kind", "state", "entrepreneur", "business", "country", "region",
    "value_chains", "diaspora_member", "score", "requested_on", "state_changed_on",
    "decided_by", "reason", "history",
]  # fmt: skip
HISTORY_COLUMNS = ["pairing_id", "when", "action", "from_state", "to_state", "by", "reason", "note"]


def _pairings(filters: PairingFilters) -> Select[Any]:
    query = select(Pairing).join(
        EntrepreneurProfile, Pairing.entrepreneur_id == EntrepreneurProfile.id
    )
    if filters.state:
        query = query.where(Pairing.state == PairingState(filters.state))
    if filters.kind:
        query = query.where(Pairing.kind == PairingKind(filters.kind))
    if filters.country:
        query = query.where(EntrepreneurProfile.country_code == filters.country)
    if filters.value_chain:
        query = query.where(
            EntrepreneurProfile.id.in_(
                select(entrepreneur_value_chains.c.profile_id).where(
                    entrepreneur_value_chains.c.value_chain_code == filters.value_chain
                )
            )
        )
    if filters.since:
        query = query.where(
            Pairing.created_at >= datetime.combine(filters.since, time.min, tzinfo=UTC)
        )
    if filters.until:
        query = query.where(
            Pairing.created_at <= datetime.combine(filters.until, time.max, tzinfo=UTC)
        )
    if filters.coordinator:
        query = query.where(Pairing.decided_by_id == filters.coordinator)
    return query.order_by(Pairing.id)


def _event_line(event: PairingEvent) -> str:
    by = event.actor.full_name if event.actor else "MentorMatch"
    line = f"{event.created_at:%Y-%m-%d %H:%M} {event.action} by {by}"
    if event.reason_code:
        line += f" ({event.reason_code})"
    if event.note:
        line += f": {' '.join(event.note.split())}"
    return line


def pairing_rows(
    session: Session, filters: PairingFilters
) -> tuple[list[str], list[list[Any]], list[str], list[list[Any]]]:
    """The pairings matching the filters, one row each with its history in one cell, and
    every event of their history one row each (for a second sheet)."""
    rows: list[list[Any]] = []
    history: list[list[Any]] = []
    pairings = session.scalars(
        _pairings(filters).options(
            selectinload(Pairing.entrepreneur).selectinload(EntrepreneurProfile.user),
            selectinload(Pairing.entrepreneur).selectinload(EntrepreneurProfile.value_chains),
            selectinload(Pairing.diaspora).selectinload(DiasporaProfile.user),
            selectinload(Pairing.events).selectinload(PairingEvent.actor),
            selectinload(Pairing.decided_by),
        )
    )
    for p in pairings:
        e = p.entrepreneur
        rows.append([
            p.id, p.kind.value, p.state.value, e.user.full_name, e.business_name,
            taxonomy.country_name(e.country_code),
            taxonomy.region_name(e.region_code) if e.region_code else "",
            "; ".join(c.code for c in e.value_chains), p.diaspora.user.full_name,
            round(p.score, 3), _day(p.created_at), _day(p.state_changed_at),
            p.decided_by.full_name if p.decided_by else "", p.reason_code or "",
            "\n".join(_event_line(event) for event in p.events),
        ])  # fmt: skip
        for event in p.events:
            history.append([
                p.id, f"{event.created_at:%Y-%m-%d %H:%M}", event.action,
                event.from_state.value if event.from_state else "", event.to_state.value,
                event.actor.full_name if event.actor else "MentorMatch",
                event.reason_code or "", event.note,
            ])  # fmt: skip
        if len(rows) >= MAX_ROWS:
            break
    return PAIRING_COLUMNS, rows, HISTORY_COLUMNS, history


# --- files --------------------------------------------------------------------------------


@dataclass
class Sheet:
    """One table of an export: a sheet of the workbook (the CSV holds the first only)."""

    title: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def to_csv(sheet: Sheet) -> bytes:
    """The sheet as CSV (UTF-8 with a byte-order mark, which spreadsheets need to read
    accents right), every cell spreadsheet-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.header)
    for row in sheet.rows:
        writer.writerow(["" if v is None else spreadsheet_safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an Excel workbook, every cell spreadsheet-safe."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=sheet.title[:31])
        worksheet.append(sheet.header)
        for row in sheet.rows:
            worksheet.append([spreadsheet_safe(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export(
    session: Session,
    user: User,
    subject: str,
    file_format: str,
    filters: PeopleFilters | PairingFilters,
    with_contacts: bool,
) -> tuple[bytes, str]:
    """Build the export file and log it; (the file, its content type)."""
    sheets: list[Sheet]
    if isinstance(filters, PeopleFilters):
        header, rows = people_rows(session, filters, with_contacts)
        sheets = [Sheet("People", header, rows)]
    else:
        with_contacts = False
        header, rows, history_header, history = pairing_rows(session, filters)
        sheets = [Sheet("Pairings", header, rows), Sheet("History", history_header, history)]
    session.add(
        ExportLog(
            user_id=user.id,
            created_at=utcnow(),
            subject=subject,
            file_format=file_format,
            filters=filters.described(),
            rows=len(sheets[0].rows),
            with_contacts=with_contacts,
        )
    )
    session.flush()
    if file_format == "xlsx":
        return to_xlsx(sheets), XLSX_TYPE
    return to_csv(sheets[0]), CSV_TYPE


def recent_exports(session: Session, limit: int = 20) -> Sequence[ExportLog]:
    """The latest exports, newest first, with who made them."""
    return session.scalars(
        select(ExportLog)
        .options(selectinload(ExportLog.user))
        .order_by(ExportLog.created_at.desc(), ExportLog.id.desc())
        .limit(limit)
    ).all()


def value_chain_choices(session: Session) -> list[tuple[str, str]]:
    """(code, label) of every value chain, for the filters."""
    return [
        (c.code, taxonomy.chain_name(c.label))
        for c in session.scalars(select(ValueChain).order_by(ValueChain.position))
    ]


def coordinators(session: Session) -> list[tuple[int, str]]:
    """(id, name) of the people who decide pairings, for the filters."""
    staff = session.scalars(
        select(User).where(User.role.in_((Role.COORDINATOR, Role.ADMIN))).order_by(User.full_name)
    )
    return [(u.id, u.full_name) for u in staff]
