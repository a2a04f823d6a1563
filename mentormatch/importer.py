"""Import entrepreneur or diaspora profiles from a CSV file (field surveys, seed data).

Every row is checked first and every problem is reported as "row N, column X: what to
fix", where N is the spreadsheet row (the header is row 1). Nothing is written if any
row is bad, unless `skip_invalid` is set: then the good rows are written and the bad
ones reported. The caller owns the transaction: commit on success, roll back otherwise.
The columns are documented in seed_data/README.md.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch import places, vocabulary
from mentormatch.auth.service import create_user
from mentormatch.models import (
    DiasporaProfile,
    EntrepreneurProfile,
    RegionSource,
    ReviewStatus,
    Role,
    Skill,
    Stage,
    User,
    ValueChain,
    normalize_email,
    normalize_phone,
)
from mentormatch.money.rates import Rates
from mentormatch.money.store import latest_rates
from mentormatch.people import vetting
from mentormatch.profiles.service import (
    MAX_INVESTMENT_AMOUNT,
    MAX_REGIONS,
    MAX_VALUE_CHAINS,
    ProfileInputError,
    Whereabouts,
    currency_with_rate,
    locate,
)
from mentormatch.vocabulary import Vocabulary, VocabularyError

ENTREPRENEURS = "entrepreneurs"
DIASPORA = "diaspora"
KINDS = (ENTREPRENEURS, DIASPORA)

# Longest text per column, the same limits as the profile forms.
MAX_LENGTH = {
    "full_name": 120,
    "email": 254,
    "phone": 20,
    "business_name": 120,
    "headline": 140,
    "description": 2000,
    "bio": 2000,
    "locality": 120,
    "skills_needed_text": 2000,
    "skills_offered_text": 2000,
}
MAX_LIST_LENGTH = 1000  # a cell holding a ';'-separated list
MAX_SHORT_LENGTH = 100  # a cell holding one code, a number or yes/no
MAX_MENTEES = 20
MAX_HOURS_PER_MONTH = 160

TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
# Control characters break terminals and PostgreSQL (NUL), bidirectional overrides disguise
# text; tabs and line breaks are fine.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
PHONE_PATTERN = re.compile(r"\+[1-9][0-9]{7,14}")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, header); the message says what to fix."""


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (or in a whole row when column is None)."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, column {self.column}" if self.column else f"row {self.row}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RowNote:
    """What the import worked out for a row without refusing it (a place read from a town)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.message}"


@dataclass
class ImportResult:
    """What an import did: how many profiles it created, which rows it refused, and the
    notes on the rows it imported (where each locality was placed)."""

    kind: str
    rows_read: int
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[RowNote] = field(default_factory=list)

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({error.row for error in self.errors})

    @property
    def ok(self) -> bool:
        return not self.errors


T = TypeVar("T")


class Track(Protocol):
    """Wraps the rows being worked through, e.g. to draw a progress bar."""

    def __call__(self, items: Sequence[T], description: str) -> Iterable[T]: ...


def _no_tracking(items: Sequence[T], description: str) -> Iterable[T]:
    return items


# --- columns -------------------------------------------------------------------------------

SHARED_COLUMNS = ("full_name", "email", "phone", "value_chains", "languages")
ENTREPRENEUR_COLUMNS = (
    *SHARED_COLUMNS,
    "business_name",
    "description",
    "country",
    "region",
    "locality",
    "stage",
    "skills_needed",
    "skills_needed_text",
    "seeking_investment",
    "investment_amount",
    "investment_currency",
    "investment_instruments",
    "is_returnee",
    "is_women_led",
    "is_youth_led",
)
DIASPORA_COLUMNS = (
    *SHARED_COLUMNS,
    "headline",
    "bio",
    "residence_country",
    "origin_regions",
    "interest_regions",
    "skills_offered",
    "skills_offered_text",
    "preferred_stages",
    "offers_coaching",
    "mentee_capacity",
    "hours_per_month",
    "offers_investment",
    "ticket_min",
    "ticket_max",
    "ticket_currency",
    "investment_instruments",
)
COLUMNS = {ENTREPRENEURS: ENTREPRENEUR_COLUMNS, DIASPORA: DIASPORA_COLUMNS}
REQUIRED_COLUMNS = {
    ENTREPRENEURS: ("full_name", "business_name", "country", "value_chains", "languages"),
    DIASPORA: ("full_name", "headline", "residence_country", "origin_regions", "value_chains",
               "languages"),
}  # fmt: skip
# The column that tells an entrepreneurs file from a diaspora file.
KIND_MARKERS = {"business_name": ENTREPRENEURS, "headline": DIASPORA}


def header_name(text: str) -> str:
    """'Business name ' -> 'business_name', so spreadsheet-style headers are accepted too."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


# --- reading the file ----------------------------------------------------------------------


@dataclass(frozen=True)
class CsvTable:
    kind: str
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, cells by column)
    errors: list[RowError]


def decode(data: bytes) -> str:
    """UTF-8 text of the file (a byte-order mark is allowed); ImportFileError otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFileError(
            f"The file is not UTF-8 text (unreadable byte 0x{data[exc.start]:02x} on line "
            f"{line}). Save it as “CSV UTF-8” in your spreadsheet and import it again."
        ) from None


def read_table(text: str, kind: str | None = None) -> CsvTable:
    """Split CSV text into numbered rows and work out (or check) the kind of profiles."""
    if not text.strip():
        raise ImportFileError("The file is empty: it needs a header row and at least one row.")
    # The csv module refuses cells over 128 KiB; we want to report their size instead.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [header_name(cell) for cell in next(reader)]
    except csv.Error as exc:
        raise ImportFileError(f"The header row cannot be read as CSV: {exc}.") from None
    if len(header) == 1 and ";" in header[0]:
        raise ImportFileError(
            "The columns are separated by ';'. Save the file as CSV with commas between "
            "columns (';' is only for lists inside a cell)."
        )
    kind = kind or _detect_kind(header)
    _check_header(header, kind)
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[RowError] = []
    row_number = 1
    while True:
        row_number += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(row_number, None, f"cannot be read as CSV ({exc})."))
            continue
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets leave blank rows at the end
        if len(cells) > len(header):
            errors.append(
                RowError(
                    row_number,
                    None,
                    f"has {len(cells)} cells but the header has {len(header)} columns; "
                    "a cell with a comma in it needs double quotes around it.",
                )
            )
            continue
        rows.append((row_number, dict(zip(header, cells, strict=False))))
    if not rows and not errors:
        raise ImportFileError("The file has a header row but no profiles below it.")
    return CsvTable(kind, rows, errors)


def _detect_kind(header: list[str]) -> str:
    found = {KIND_MARKERS[column] for column in header if column in KIND_MARKERS}
    if len(found) == 1:
        return found.pop()
    if found:
        raise ImportFileError(
            "The header has both business_name (entrepreneurs) and headline (diaspora): "
            "import entrepreneurs and diaspora members from separate files."
        )
    raise ImportFileError(
        "Cannot tell what the file holds: an entrepreneurs file has a business_name column, "
        "a diaspora file a headline column. Add the column or choose the kind "
        "(--kind entrepreneurs or --kind diaspora)."
    )


def _check_header(header: list[str], kind: str) -> None:
    known = COLUMNS[kind]
    problems: list[str] = []
    repeated = sorted({column for column in header if header.count(column) > 1 and column})
    if repeated:
        problems.append(f"These columns appear twice: {', '.join(repeated)}.")
    if "" in header:
        problems.append(f"Column {header.index('') + 1} has no name in the header row.")
    unknown = [column for column in header if column and column not in known]
    if unknown:
        described = []
        for column in unknown:
            close = difflib.get_close_matches(column, known, n=1)
            described.append(f"{column} (did you mean {close[0]}?)" if close else column)
        problems.append(f"Unknown columns for {kind}: {', '.join(described)}.")
    missing = [column for column in REQUIRED_COLUMNS[kind] if column not in header]
    if missing:
        problems.append(f"Missing required columns for {kind}: {', '.join(missing)}.")
    if "email" not in header and "phone" not in header:
        problems.append("The file needs an email column, a phone column or both.")
    if problems:
        raise ImportFileError(" ".join(problems) + f" The columns are: {', '.join(known)}.")


# --- checking one row ----------------------------------------------------------------------


class Vocabularies:
    """The vocabularies a row is checked against, built once per import."""

    def __init__(self, session: Session) -> None:
        self.value_chains = vocabulary.value_chains(session)
        self.skills = vocabulary.skills(session)
        self.countries = vocabulary.countries()
        self.stages = vocabulary.stages()
        self.instruments = vocabulary.instruments()
        self.rates = latest_rates(session)
        self._regions: dict[str, Vocabulary] = {}
        if not self.value_chains.entries:
            raise ImportFileError(
                "The value chains and skills are not loaded yet: run "
                "`flask --app mentormatch seed` first."
            )

    def regions(self, country: str) -> Vocabulary:
        if country not in self._regions:
            self._regions[country] = vocabulary.regions(country)
        return self._regions[country]


class RowReader:
    """Reads typed values out of one row, collecting an error per bad cell."""

    def __init__(self, number: int, cells: Mapping[str, str]) -> None:
        self.number = number
        self.cells = cells
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def has_error(self, column: str) -> bool:
        return any(error.column == column for error in self.errors)

    def raw(self, column: str, max_length: int = MAX_SHORT_LENGTH, multiline: bool = False) -> str:
        """The cell's text, trimmed and NFC-normalised; '' (with an error) when unusable."""
        text = unicodedata.normalize("NFC", self.cells.get(column) or "").strip()
        if len(text) > max_length:
            self.error(column, f"is {len(text):,} characters long; at most {max_length:,} fit.")
            return ""
        if CONTROL_CHARACTERS.search(text) or (not multiline and ("\n" in text or "\r" in text)):
            line_rule = "" if multiline else " or line breaks"
            self.error(column, f"contains control characters{line_rule}; remove them.")
            return ""
        return text

    def text(self, column: str, required: bool = False) -> str:
        multiline = MAX_LENGTH[column] > 200
        text = self.raw(column, MAX_LENGTH[column], multiline)
        if required and not text and not self.has_error(column):
            self.error(column, "is required.")
        return text

    def flag(self, column: str) -> bool | None:
        """yes/no; None when the cell is empty or absent (the caller picks the default)."""
        text = self.raw(column).casefold()
        if not text:
            return None
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        self.error(column, f'write yes or no (not "{text[:40]}").')
        return None

    def integer(self, column: str, minimum: int, maximum: int) -> int | None:
        text = self.raw(column)
        if not text:
            return None
        digits = re.sub(r"[\s,_'\u00a0\u202f]", "", text)  # 5,000 / 5 000 / 5'000
        if not digits.isascii() or not digits.isdigit():
            self.error(column, f'write a whole number such as 5000 (not "{text[:40]}").')
            return None
        value = int(digits)
        if not minimum <= value <= maximum:
            self.error(column, f"must be between {minimum:,} and {maximum:,} (not {value:,}).")
            return None
        return value

    def choice(self, column: str, vocab: Vocabulary, required: bool = False) -> str | None:
        text = self.raw(column)
        if not text:
            if required and not self.has_error(column):
                self.error(column, "is required.")
            return None
        try:
            return vocab.parse(text)
        except VocabularyError as exc:
            self.error(column, str(exc))
            return None

    def currency(self, column: str, rates: Rates) -> str | None:
        """A currency amounts can be compared in, by the profile rules (as in the wizard)."""
        text = self.raw(column)
        if not text:
            return None
        try:
            return currency_with_rate(text, rates, column)
        except ProfileInputError as exc:
            self.error(column, exc.errors[column])
            return None

    def choices(
        self,
        column: str,
        parse: Callable[[str], list[str]],
        required: bool = False,
        most: int | None = None,
    ) -> list[str]:
        text = self.raw(column, MAX_LIST_LENGTH)
        if self.has_error(column):
            return []
        try:
            codes = parse(text)
        except VocabularyError as exc:
            self.error(column, str(exc))
            return []
        if required and not codes:
            self.error(column, "is required: give at least one, separated by ';'.")
        if most is not None and len(codes) > most:
            self.error(column, f"has {len(codes)}; give at most {most}, the main ones.")
            return []
        return codes

    def email(self) -> str | None:
        text = self.raw("email", MAX_LENGTH["email"])
        if not text:
            return None
        try:
            return normalize_email(validate_email(text, check_deliverability=False).normalized)
        except EmailNotValidError as exc:
            self.error("email", f'"{text[:60]}" is not an email address: {exc}')
            return None

    def phone(self) -> str | None:
        text = self.raw("phone", MAX_LENGTH["phone"])
        phone = normalize_phone(text)
        if phone and not PHONE_PATTERN.fullmatch(phone):
            self.error(
                "phone",
                f'"{text}" is not a phone number in international form; write it with its '
                "country code, such as +234 803 123 4567.",
            )
            return None
        return phone


@dataclass
class ProfileRecord:
    """A checked row, ready to be written."""

    row: int
    full_name: str
    email: str | None
    phone: str | None
    value_chains: list[str]
    skills: list[str]
    fields: dict[str, Any]
    notes: list[RowNote] = field(default_factory=list)


def _read_person(reader: RowReader, vocabs: Vocabularies, skills_column: str) -> ProfileRecord:
    """The columns both kinds share; the caller adds its own to `fields`."""
    email = reader.email()
    phone = reader.phone()
    if not email and not phone and not reader.has_error("email") and not reader.has_error("phone"):
        reader.error("email", "give an email address or a phone number (or both).")
    return ProfileRecord(
        row=reader.number,
        full_name=reader.text("full_name", required=True),
        email=email,
        phone=phone,
        value_chains=reader.choices(
            "value_chains", vocabs.value_chains.parse_list, required=True, most=MAX_VALUE_CHAINS
        ),
        skills=reader.choices(skills_column, vocabs.skills.parse_list),
        fields={"languages": reader.choices("languages", vocabulary.parse_language_list, True)},
    )


def _read_entrepreneur(reader: RowReader, vocabs: Vocabularies) -> ProfileRecord:
    record = _read_person(reader, vocabs, "skills_needed")
    country = reader.choice("country", vocabs.countries, required=True)
    region = reader.choice("region", vocabs.regions(country)) if country else None
    locality = reader.text("locality")
    where = None
    if country and not reader.has_error("region") and not reader.has_error("locality"):
        # The same rule as the profile wizard: a chosen region wins, else the locality is
        # placed when the resolver is sure, else the row is imported at country level.
        try:
            where = locate(country, region, locality)
        except ProfileInputError as exc:
            for message in exc.errors.values():
                reader.error("region", message)
        else:
            record.notes.extend(_place_notes(reader.number, where))
    seeking = reader.flag("seeking_investment")
    amount = reader.integer("investment_amount", 1, MAX_INVESTMENT_AMOUNT)
    instruments = reader.choices("investment_instruments", vocabs.instruments.parse_list)
    if seeking is None:
        seeking = amount is not None
    # Checked only when used: a survey may fill the column in for everybody.
    currency = reader.currency("investment_currency", vocabs.rates) if seeking else None
    if seeking and amount is None and not reader.has_error("investment_amount"):
        reader.error("investment_amount", "is required when seeking_investment is yes.")
    if not seeking and amount is not None:
        reader.error("investment_amount", "is given but seeking_investment is no; write yes.")
    if (
        seeking
        and amount is not None
        and currency is None
        and not reader.has_error("investment_currency")
    ):
        reader.error("investment_currency", "is required with an investment amount (e.g. USD).")
    record.fields.update(
        {
            "business_name": reader.text("business_name", required=True),
            "description": reader.text("description"),
            "country_code": country,
            "region_code": where.region_code if where else None,
            "region_source": where.region_source if where else RegionSource.UNRESOLVED,
            "region_confidence": where.region_confidence if where else None,
            "locality": locality,
            "stage": Stage(reader.choice("stage", vocabs.stages) or Stage.STARTING),
            "skills_needed_text": reader.text("skills_needed_text"),
            "seeking_investment": seeking,
            "investment_amount": amount if seeking else None,
            "investment_currency": currency if seeking else None,
            "investment_instruments": instruments if seeking else [],
            "is_returnee": bool(reader.flag("is_returnee")),
            "is_women_led": bool(reader.flag("is_women_led")),
            "is_youth_led": bool(reader.flag("is_youth_led")),
        }
    )
    return record


def _read_diaspora(reader: RowReader, vocabs: Vocabularies) -> ProfileRecord:
    record = _read_person(reader, vocabs, "skills_offered")
    regions = vocabulary.parse_region_list
    origin = reader.choices("origin_regions", regions, required=True, most=MAX_REGIONS)
    interest = reader.choices("interest_regions", regions, most=MAX_REGIONS) or origin
    coaching = bool(reader.flag("offers_coaching"))
    capacity = reader.integer("mentee_capacity", 0, MAX_MENTEES)
    hours = reader.integer("hours_per_month", 0, MAX_HOURS_PER_MONTH)
    investing = bool(reader.flag("offers_investment"))
    ticket_min = reader.integer("ticket_min", 1, MAX_INVESTMENT_AMOUNT)
    ticket_max = reader.integer("ticket_max", 1, MAX_INVESTMENT_AMOUNT)
    currency = reader.currency("ticket_currency", vocabs.rates) if investing else None
    instruments = reader.choices("investment_instruments", vocabs.instruments.parse_list)
    if not coaching and not investing and not reader.has_error("offers_coaching"):
        reader.error(
            "offers_coaching",
            "a diaspora member offers coaching, investment or both: write yes in "
            "offers_coaching or offers_investment.",
        )
    if coaching and not capacity and not reader.has_error("mentee_capacity"):
        reader.error("mentee_capacity", f"is required with coaching: 1 to {MAX_MENTEES} mentees.")
    if investing:
        for column, value in (
            ("ticket_min", ticket_min),
            ("ticket_max", ticket_max),
            ("ticket_currency", currency),
        ):
            if value is None and not reader.has_error(column):
                reader.error(column, "is required when offers_investment is yes.")
        if ticket_min is not None and ticket_max is not None and ticket_min > ticket_max:
            reader.error("ticket_max", f"must be at least ticket_min ({ticket_min:,}).")
    record.fields.update(
        {
            "headline": reader.text("headline", required=True),
            "bio": reader.text("bio"),
            "residence_country": reader.choice(
                "residence_country", vocabs.countries, required=True
            ),
            "origin_regions": origin,
            "interest_regions": interest,
            "skills_offered_text": reader.text("skills_offered_text"),
            "preferred_stages": reader.choices("preferred_stages", vocabs.stages.parse_list),
            "offers_coaching": coaching,
            "mentee_capacity": (capacity or 0) if coaching else 0,
            "hours_per_month": (hours or 0) if coaching else 0,
            "offers_investment": investing,
            "ticket_min": ticket_min if investing else None,
            "ticket_max": ticket_max if investing else None,
            "ticket_currency": currency if investing else None,
            "investment_instruments": instruments if investing else [],
        }
    )
    return record


def _place_notes(row: int, where: Whereabouts) -> list[RowNote]:
    """Say where a row was placed when the region was not written in the file."""
    placement = where.placement
    country = places.country_name(where.country_code)
    if placement is None:
        if where.region_code or not vocabulary.regions(where.country_code).entries:
            return []
        return [RowNote(row, "region", f"none given, imported at country level ({country}).")]
    shown = f"“{placement.locality}”"
    if placement.status is places.Status.RESOLVED:
        message = (
            f"{shown} placed in {placement.region_name} ({placement.region_code}), "
            f"confidence {placement.confidence:.2f}."
        )
    elif placement.status is places.Status.AMBIGUOUS:
        names = [f"{c.region_name} ({c.region_code})" for c in placement.candidates]
        listed = (
            " or ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " or " + names[-1]
        )
        message = (
            f"{shown} could be in {listed}, imported at country level ({country}): "
            "write the region to choose."
        )
    elif placement.status is places.Status.UNREADABLE:
        message = (
            f"{shown} is not in Latin letters, imported at country level ({country}): "
            "write the region, or the town in Latin letters."
        )
    else:
        message = (
            f"{shown} was not found in {country}, imported at country level: write the "
            "region to place it."
        )
    return [RowNote(row, "locality", message)]


READERS: dict[str, Callable[[RowReader, Vocabularies], ProfileRecord]] = {
    ENTREPRENEURS: _read_entrepreneur,
    DIASPORA: _read_diaspora,
}


# --- duplicates ----------------------------------------------------------------------------


def _duplicate_errors(session: Session, records: list[ProfileRecord]) -> list[RowError]:
    """Emails and phones used twice in the file, or already registered."""
    errors: list[RowError] = []
    for column in ("email", "phone"):
        seen: dict[str, int] = {}
        for record in records:
            value = getattr(record, column)
            if value is None:
                continue
            if value in seen:
                errors.append(
                    RowError(record.row, column, f"{value} is already used in row {seen[value]}.")
                )
            else:
                seen[value] = record.row
        registered = _registered(session, column, list(seen))
        errors.extend(
            RowError(row, column, f"{value} is already registered to another account.")
            for value, row in seen.items()
            if value in registered
        )
    return errors


def _registered(session: Session, column: str, values: list[str]) -> set[str]:
    attribute = getattr(User, column)
    found: set[str] = set()
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        found.update(session.scalars(select(attribute).where(attribute.in_(chunk))))
    return found


# --- the import ----------------------------------------------------------------------------


def import_profiles(
    session: Session,
    data: bytes,
    *,
    kind: str | None = None,
    skip_invalid: bool = False,
    registered_by: User | None = None,
    status: ReviewStatus = ReviewStatus.APPROVED,
    track: Track = _no_tracking,
) -> ImportResult:
    """Check every row of a CSV file, then create the profiles (all, or the good ones)
    with the review status the importer chose (approved, or pending for vetting)."""
    table = read_table(decode(data), kind)
    return import_records(
        session,
        table.kind,
        table.rows,
        skip_invalid=skip_invalid,
        registered_by=registered_by,
        status=status,
        track=track,
        read_errors=table.errors,
    )


def import_records(
    session: Session,
    kind: str,
    rows: Sequence[tuple[int, Mapping[str, str]]],
    *,
    skip_invalid: bool = False,
    registered_by: User | None = None,
    status: ReviewStatus = ReviewStatus.APPROVED,
    track: Track = _no_tracking,
    read_errors: Sequence[RowError] = (),
) -> ImportResult:
    """Check numbered rows of cells (column -> text) and create profiles from them."""
    vocabs = Vocabularies(session)
    result = ImportResult(kind, rows_read=len(rows) + len(read_errors), errors=list(read_errors))
    records: list[ProfileRecord] = []
    for number, cells in track(rows, "Checking"):
        reader = RowReader(number, cells)
        records.append(READERS[kind](reader, vocabs))
        result.errors.extend(reader.errors)
    # Bad rows count too: their email may be the one a later good row repeats.
    result.errors.extend(_duplicate_errors(session, records))
    result.errors.sort(key=lambda error: error.row)
    if result.errors and not skip_invalid:
        return result
    rejected = set(result.rejected_rows)
    good = [record for record in records if record.row not in rejected]
    result.notes = [note for record in good for note in record.notes]
    _write(session, kind, good, registered_by, status, track)
    result.created = len(good)
    return result


def _write(
    session: Session,
    kind: str,
    records: Sequence[ProfileRecord],
    registered_by: User | None,
    status: ReviewStatus,
    track: Track,
) -> None:
    chains = {chain.code: chain for chain in session.scalars(select(ValueChain))}
    skills = {skill.code: skill for skill in session.scalars(select(Skill))}
    role = Role.ENTREPRENEUR if kind == ENTREPRENEURS else Role.DIASPORA
    for record in track(records, "Importing"):
        user = create_user(
            session,
            full_name=record.full_name,
            role=role,
            email=record.email,
            phone=record.phone,
            registered_by=registered_by,
        )
        common = {
            "user": user,
            "contact_email": user.email,
            "contact_phone": user.phone,
            **record.fields,
        }
        profile: EntrepreneurProfile | DiasporaProfile
        if kind == ENTREPRENEURS:
            profile = EntrepreneurProfile(**common)
            profile.skills_needed = [skills[code] for code in record.skills]
        else:
            profile = DiasporaProfile(**common)
            profile.skills_offered = [skills[code] for code in record.skills]
        profile.value_chains = [chains[code] for code in record.value_chains]
        session.add(profile)
        # The importer chose the status (approved, or pending for vetting): in the trail.
        vetting.record_initial_status(session, profile, status, registered_by)
    session.flush()
