"""Import entrepreneur or diaspora profiles from a CSV or XLSX file (field surveys, seed
data), from `flask import-profiles` and the coordinator's import page.

The file is read whole first (`read_file`): what is wrong with the file as such (not CSV
or XLSX, unreadable, formulas, several sheets, both kinds of profile, unknown columns)
is an ImportFileError and nothing is read further. Then every row is checked through the
profile rules (mentormatch.profiles.rules, the same as the wizard's) and every problem
is reported as "row N, column X: what to fix", where N is the spreadsheet row (the
header is row 1). Nothing is written if any row is bad, unless `skip_invalid` is set:
then the good rows are written and the bad ones reported. The same person twice (the
same email or phone) is never written: both rows are refused.
The caller owns the transaction: commit on success, roll back otherwise. The columns
are documented in seed_data/README.md.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar

from babel.lists import format_list
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch import places, vocabulary
from mentormatch.auth.service import create_user
from mentormatch.models import (
    DiasporaProfile,
    EntrepreneurProfile,
    ReviewStatus,
    Role,
    Skill,
    User,
    ValueChain,
)
from mentormatch.people import vetting
from mentormatch.profiles import rules
from mentormatch.profiles.rules import Problems, Vocabularies, Whereabouts
from mentormatch.registration.service import reading_language

ENTREPRENEURS = "entrepreneurs"
DIASPORA = "diaspora"
KINDS = (ENTREPRENEURS, DIASPORA)

# Biggest file the import reads; the import page says so before the upload too.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX is a zip: this much unzipped XML at most (a small file can unzip to gigabytes).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
# Profile fields whose import column has another name.
FIELD_COLUMNS = {"country_code": "country", "region_code": "region"}
COLUMN_FIELDS = {column: name for name, column in FIELD_COLUMNS.items()}


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (not CSV or XLSX, encoding, header,
    formulas, several sheets); the message says what to fix."""


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (or in a whole row when column is None)."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.column:
            return _(
                "row %(row)s, column %(column)s: %(message)s",
                row=self.row,
                column=self.column,
                message=self.message,
            )
        return _("row %(row)s: %(message)s", row=self.row, message=self.message)


@dataclass(frozen=True)
class RowNote:
    """What the import worked out for a row without refusing it (a place read from a town)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _(
            "row %(row)s, %(column)s: %(message)s",
            row=self.row,
            column=self.column,
            message=self.message,
        )


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
    def valid_rows(self) -> int:
        """How many rows have no problem (the ones "import only the valid rows" writes)."""
        return self.rows_read - len(self.rejected_rows)

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

# `language`: the language MentorMatch writes to the person in (en, fr, es, ar), optional.
SHARED_COLUMNS = ("full_name", "email", "phone", "value_chains", "languages", "language")
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
    """The rows of a file (CSV or the one sheet of an XLSX) and the kind of profiles."""

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
            _(
                "The file is not UTF-8 text (unreadable byte %(byte)s on line %(line)s). Save "
                "it as “CSV UTF-8” in your spreadsheet and import it again.",
                byte=f"0x{data[exc.start]:02x}",
                line=line,
            )
        ) from None


ZIP_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _not_a_table(what: str) -> ImportFileError:
    return ImportFileError(
        _(
            "This is not a CSV or XLSX file (%(what)s). Save the sheet from your spreadsheet "
            "as “CSV UTF-8” or as an Excel workbook (.xlsx) and import that.",
            what=what,
        )
    )


def read_file(data: bytes, kind: str | None = None) -> CsvTable:
    """The rows of a CSV or XLSX file, told apart by their content (not by the name)."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(too_big_message(len(data)))
    if data.startswith(ZIP_MAGIC):
        return read_workbook(data, kind)
    if data.startswith(OLD_EXCEL_MAGIC):
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls). Open it and save it as an Excel workbook "
                "(.xlsx) or as “CSV UTF-8”, then import that."
            )
        )
    if data.startswith(b"%PDF"):
        raise _not_a_table(_("it is a PDF"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            _(
                "The file is UTF-16 text. Save it as “CSV UTF-8” in your spreadsheet and "
                "import it again."
            )
        )
    if b"\x00" in data[:8192]:
        raise _not_a_table(_("it is not text"))
    return read_table(decode(data), kind)


def too_big_message(size: int) -> str:
    """What to say about a file over MAX_FILE_BYTES."""
    return _(
        "The file is %(size)s MB; at most %(limit)s MB (about %(rows)s rows) can be imported "
        "at once. Split it into smaller files.",
        size=format_decimal(round(size / 1024 / 1024, 1), format="#,##0.0"),
        limit=MAX_FILE_BYTES // 1024 // 1024,
        rows=format_decimal(MAX_ROWS),
    )


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _(
            "The file has more than %(rows)s rows; split it into smaller files.",
            rows=format_decimal(MAX_ROWS),
        )
    )


def _empty() -> ImportFileError:
    return ImportFileError(_("The file is empty: it needs a header row and at least one row."))


def read_table(text: str, kind: str | None = None) -> CsvTable:
    """Split CSV text into numbered rows and work out (or check) the kind of profiles."""
    if not text.strip():
        raise _empty()
    # The csv module refuses cells over 128 KiB; we want to report their size instead.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header_cells = next(reader)
    except csv.Error as exc:
        raise ImportFileError(
            _("The header row cannot be read as CSV: %(error)s.", error=exc)
        ) from None
    if len(header_cells) == 1 and ";" in header_cells[0]:
        raise ImportFileError(
            _(
                "The columns are separated by ';'. Save the file as CSV with commas between "
                "columns (';' is only for lists inside a cell)."
            )
        )

    def numbered() -> Iterable[tuple[int, list[str] | csv.Error]]:
        row_number = 1
        while True:
            row_number += 1
            try:
                yield row_number, next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield row_number, exc

    return _table(header_cells, numbered(), kind)


def read_workbook(data: bytes, kind: str | None = None) -> CsvTable:
    """The rows of the one sheet with data in an XLSX workbook; formulas are refused."""
    import openpyxl  # only imports need it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _not_a_table(_("it is a damaged zip file")) from None
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ImportFileError(
            _(
                "The workbook unpacks to more than %(size)s MB; save the sheet as “CSV UTF-8” "
                "instead.",
                size=MAX_UNZIPPED_BYTES // 1024 // 1024,
            )
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a zip that is not a workbook
        raise _not_a_table(_("it is a zip but not a workbook")) from None
    try:
        sheets = [(sheet.title, _sheet_rows(sheet)) for sheet in workbook.worksheets]
    finally:
        workbook.close()
    filled = [(title, rows) for title, rows in sheets if any(any(row) for _, row in rows)]
    if not filled:
        raise _empty()
    if len(filled) > 1:
        names = _listed([f"“{title}”" for title, _rows in filled])
        raise ImportFileError(
            _(
                "The workbook has %(count)s sheets with data (%(names)s). Import one kind of "
                "profile per file: save each sheet as its own file.",
                count=len(filled),
                names=names,
            )
        )
    title, rows = filled[0]
    formulas = [
        f"{cell} ({value[:40]})"
        for _, row in rows
        for cell, value in row
        if isinstance(value, str) and value.startswith("=") and cell
    ]
    if formulas:
        raise ImportFileError(
            _(
                "The sheet “%(sheet)s” has formulas in %(count)s cells: %(cells)s. Nothing was "
                "imported. Replace them by their values (copy, then “Paste values only”).",
                sheet=title,
                count=len(formulas),
                cells=_first_five(formulas),
            )
        )
    header = [value or "" for _, value in rows[0][1]]
    body = ((number, [value or "" for _, value in row]) for number, row in rows[1:])
    return _table(header, body, kind)


def _sheet_rows(sheet: Any) -> list[tuple[int, list[tuple[str, str | None]]]]:
    """(row number, [(cell name, text)]) for every row of a sheet; formulas kept as '=…'."""
    rows: list[tuple[int, list[tuple[str, str | None]]]] = []
    for cells in sheet.iter_rows():
        if len(rows) > MAX_ROWS + 1:
            raise _too_many_rows()
        number = next((cell.row for cell in cells if getattr(cell, "row", None)), len(rows) + 1)
        rows.append((number, [(_cell_name(cell), _cell_text(cell)) for cell in cells]))
    return rows


def _cell_name(cell: Any) -> str:
    return str(getattr(cell, "coordinate", "") or "")


def _cell_text(cell: Any) -> str | None:
    value = cell.value
    if value is None:
        return None
    if getattr(cell, "data_type", None) == "f" and not str(value).startswith("="):
        return "=" + str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 5000.0 typed as 5000
    if hasattr(value, "date") and hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _table(
    header_cells: Sequence[str],
    body: Iterable[tuple[int, Sequence[str] | csv.Error]],
    kind: str | None,
) -> CsvTable:
    header = [header_name(cell) for cell in header_cells]
    while header and not header[-1]:
        header.pop()  # spreadsheets leave empty columns at the right
    kind = kind or _detect_kind(header)
    _check_header(header, kind)
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[RowError] = []
    formulas: list[str] = []
    for row_number, cells in body:
        if isinstance(cells, csv.Error):
            errors.append(
                RowError(row_number, None, _("cannot be read as CSV (%(error)s).", error=cells))
            )
            continue
        if not any(str(cell).strip() for cell in cells):
            continue  # spreadsheets leave blank rows at the end
        extra = [cell for cell in cells[len(header) :] if str(cell).strip()]
        if extra:
            errors.append(
                RowError(
                    row_number,
                    None,
                    _(
                        "has %(cells)s cells but the header has %(columns)s columns; a cell "
                        "with a comma in it needs double quotes around it.",
                        cells=len(cells),
                        columns=len(header),
                    ),
                )
            )
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            raise _too_many_rows()
        row = dict(zip(header, cells, strict=False))
        formulas.extend(
            _("row %(row)s, column %(column)s", row=row_number, column=column)
            for column, value in row.items()
            if str(value).lstrip().startswith("=")
        )
        rows.append((row_number, row))
    if formulas:
        raise ImportFileError(
            _(
                "%(count)s cells start with “=”, which spreadsheets run as a formula: "
                "%(cells)s. Nothing was imported. Remove the “=” (or the formula) and import "
                "again.",
                count=len(formulas),
                cells=_first_five(formulas),
            )
        )
    if not rows and not errors:
        raise ImportFileError(_("The file has a header row but no profiles below it."))
    return CsvTable(kind, rows, errors)


def _listed(items: Sequence[str], style: Literal["standard", "or"] = "standard") -> str:
    """Items joined as the reader's language joins a list ("A, B and C", "A، B و C")."""
    return format_list(list(items), style=style, locale=get_locale() or "en")


def _first_five(items: Sequence[str]) -> str:
    """The first five items, then how many more there are."""
    if len(items) <= 5:
        return _listed(items)
    more = _("%(count)s more", count=len(items) - 5)
    return _listed([*items[:5], more])


def _detect_kind(header: list[str]) -> str:
    found = {KIND_MARKERS[column] for column in header if column in KIND_MARKERS}
    if len(found) == 1:
        return found.pop()
    if found:
        raise ImportFileError(
            _(
                "The header has both business_name (entrepreneurs) and headline (diaspora): "
                "import entrepreneurs and diaspora members from separate files."
            )
        )
    raise ImportFileError(
        _(
            "Cannot tell what the file holds: an entrepreneurs file has a business_name "
            "column, a diaspora file a headline column. Add the column or choose the kind "
            "(--kind entrepreneurs or --kind diaspora)."
        )
    )


def _check_header(header: list[str], kind: str) -> None:
    known = COLUMNS[kind]
    problems: list[str] = []
    repeated = sorted({column for column in header if header.count(column) > 1 and column})
    entrepreneurs = kind == ENTREPRENEURS
    if repeated:
        problems.append(_("These columns appear twice: %(columns)s.", columns=", ".join(repeated)))
    if "" in header:
        problems.append(
            _("Column %(number)s has no name in the header row.", number=header.index("") + 1)
        )
    unknown = [column for column in header if column and column not in known]
    if unknown:
        described = []
        for column in unknown:
            close = difflib.get_close_matches(column, known, n=1)
            described.append(
                _("%(column)s (did you mean %(close)s?)", column=column, close=close[0])
                if close
                else column
            )
        listed = ", ".join(described)
        problems.append(
            _("Unknown columns for entrepreneurs: %(columns)s.", columns=listed)
            if entrepreneurs
            else _("Unknown columns for diaspora: %(columns)s.", columns=listed)
        )
    missing = [column for column in REQUIRED_COLUMNS[kind] if column not in header]
    if missing:
        listed = ", ".join(missing)
        problems.append(
            _("Missing required columns for entrepreneurs: %(columns)s.", columns=listed)
            if entrepreneurs
            else _("Missing required columns for diaspora: %(columns)s.", columns=listed)
        )
    if "email" not in header and "phone" not in header:
        problems.append(_("The file needs an email column, a phone column or both."))
    if problems:
        problems.append(_("The columns are: %(columns)s.", columns=", ".join(known)))
        raise ImportFileError(" ".join(problems))


# --- checking one row ----------------------------------------------------------------------


@dataclass
class CheckedRow:
    """A row the profile rules accepted, ready to be written."""

    row: int
    full_name: str
    email: str | None
    phone: str | None
    value_chains: list[str]
    skills: list[str]
    fields: dict[str, Any]
    notes: list[RowNote] = field(default_factory=list)
    language: str | None = None


def answers_of(cells: Mapping[str, str]) -> dict[str, str]:
    """A row's cells as the profile rules name the answers (country -> country_code)."""
    return {COLUMN_FIELDS.get(column, column): value for column, value in cells.items()}


def check_row(
    kind: str, number: int, cells: Mapping[str, str], vocabs: Vocabularies
) -> tuple[CheckedRow | None, list[RowError]]:
    """Run the profile rules over one row: the checked row, or the problems by column."""
    answers = answers_of(cells)
    problems = Problems()
    notes: list[RowNote] = []
    language = reading_language(answers.pop("language", None), problems)
    if kind == ENTREPRENEURS:
        where = rules.where(answers, vocabs, problems, place_required=False)
        fields = rules.check_all(
            [rules.business, rules.value_chains, rules.investment], answers, vocabs, problems
        )
        fields.update(rules.skills_and_languages(answers, vocabs, problems, "skills_needed"))
        skills = fields.pop("skills_needed")
        if where is not None:
            fields.update(
                {
                    "country_code": where.country_code,
                    "region_code": where.region_code,
                    "region_source": where.region_source,
                    "region_confidence": where.region_confidence,
                    "locality": where.locality,
                }
            )
            notes = _place_notes(number, where)
        person = rules.account(answers, vocabs, problems, where.country_code if where else None)
    else:
        answers.setdefault("preferred_stages", "")
        fields = rules.check_all(
            [rules.about, rules.roots, rules.value_chains, rules.offers], answers, vocabs, problems
        )
        fields.update(rules.skills_and_languages(answers, vocabs, problems, "skills_offered"))
        skills = fields.pop("skills_offered")
        person = rules.account(answers, vocabs, problems, fields.get("residence_country"))
    if problems.errors:
        return None, [
            RowError(number, FIELD_COLUMNS.get(name, name), message)
            for name, message in problems.errors.items()
        ]
    chains = fields.pop("value_chains")
    return (
        CheckedRow(
            number,
            person["full_name"],
            person["email"],
            person["phone"],
            chains,
            skills,
            fields,
            notes,
            language,
        ),
        [],
    )


def _place_notes(row: int, where: Whereabouts) -> list[RowNote]:
    """Say where a row was placed when the region was not written in the file."""
    placement = where.placement
    country = places.country_name(where.country_code)
    if placement is None:
        if where.region_code or not vocabulary.regions(where.country_code).entries:
            return []
        return [
            RowNote(
                row,
                "region",
                _("none given, imported at country level (%(country)s).", country=country),
            )
        ]
    town = placement.locality
    if placement.status is places.Status.RESOLVED:
        message = _(
            "“%(town)s” placed in %(region)s (%(code)s), confidence %(confidence)s.",
            town=town,
            region=placement.region_name,
            code=placement.region_code,
            confidence=format_decimal(placement.confidence, format="0.00"),
        )
    elif placement.status is places.Status.AMBIGUOUS:
        names = [f"{c.region_name} ({c.region_code})" for c in placement.candidates]
        message = _(
            "“%(town)s” could be in %(regions)s, imported at country level (%(country)s): "
            "write the region to choose.",
            town=town,
            regions=_listed(names, style="or"),
            country=country,
        )
    elif placement.status is places.Status.UNREADABLE:
        message = _(
            "“%(town)s” is not in Latin letters, imported at country level (%(country)s): "
            "write the region, or the town in Latin letters.",
            town=town,
            country=country,
        )
    else:
        message = _(
            "“%(town)s” was not found in %(country)s, imported at country level: write the "
            "region to place it.",
            town=town,
            country=country,
        )
    return [RowNote(row, "locality", message)]


# --- duplicates ----------------------------------------------------------------------------


def _duplicate_errors(session: Session, kind: str, records: list[CheckedRow]) -> list[RowError]:
    """The same person twice: an email or a phone used by two rows, or already registered.
    Every row involved is refused, since either may be the one to keep."""
    errors: list[RowError] = []
    for column in ("email", "phone"):
        rows_of: dict[str, list[int]] = {}
        for record in records:
            value = getattr(record, column)
            if value is not None:
                rows_of.setdefault(value, []).append(record.row)
        for value, rows in rows_of.items():
            for row in rows:
                others = ", ".join(str(other) for other in rows if other != row)
                if others:
                    errors.append(
                        RowError(
                            row,
                            column,
                            _(
                                "%(login)s is also in row %(rows)s: one row per person.",
                                login=value,
                                rows=others,
                            ),
                        )
                    )
        registered = _registered(session, column, list(rows_of))
        errors.extend(
            RowError(
                row, column, _("%(login)s is already registered to another account.", login=value)
            )
            for value, rows in rows_of.items()
            if value in registered
            for row in rows
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
    review_status: ReviewStatus = ReviewStatus.APPROVED,
    track: Track = _no_tracking,
) -> ImportResult:
    """Check every row of a CSV or XLSX file, then create the profiles (all, or the good
    ones) with the review status the importer chooses."""
    table = read_file(data, kind)
    return import_records(
        session,
        table.kind,
        table.rows,
        skip_invalid=skip_invalid,
        registered_by=registered_by,
        review_status=review_status,
        track=track,
        read_errors=table.errors,
    )


@dataclass
class CheckedFile:
    """Every row of a file checked: the rows that passed, and the problems and notes."""

    result: ImportResult
    records: list[CheckedRow]


def check_records(
    session: Session,
    kind: str,
    rows: Sequence[tuple[int, Mapping[str, str]]],
    *,
    track: Track = _no_tracking,
    read_errors: Sequence[RowError] = (),
) -> CheckedFile:
    """Check numbered rows of cells (column -> text) without writing anything."""
    vocabs = Vocabularies(session)
    if not vocabs.value_chains.entries:
        raise ImportFileError(
            _(
                "The value chains and skills are not loaded yet: run "
                "`flask --app mentormatch seed` first."
            )
        )
    result = ImportResult(kind, rows_read=len(rows) + len(read_errors), errors=list(read_errors))
    records: list[CheckedRow] = []
    for number, cells in track(rows, "Checking"):
        record, errors = check_row(kind, number, cells, vocabs)
        if record is not None:
            records.append(record)
        result.errors.extend(errors)
    result.errors.extend(_duplicate_errors(session, kind, records))
    result.errors.sort(key=lambda error: error.row)
    rejected = set(result.rejected_rows)
    result.notes = [
        note for record in records if record.row not in rejected for note in record.notes
    ]
    return CheckedFile(result, [record for record in records if record.row not in rejected])


def import_records(
    session: Session,
    kind: str,
    rows: Sequence[tuple[int, Mapping[str, str]]],
    *,
    skip_invalid: bool = False,
    registered_by: User | None = None,
    review_status: ReviewStatus = ReviewStatus.APPROVED,
    track: Track = _no_tracking,
    read_errors: Sequence[RowError] = (),
) -> ImportResult:
    """Check numbered rows of cells (column -> text) and create profiles from them."""
    checked = check_records(session, kind, rows, track=track, read_errors=read_errors)
    result = checked.result
    if result.errors and not skip_invalid:
        result.notes = []
        return result
    write_records(session, kind, checked.records, registered_by, review_status, track)
    result.created = len(checked.records)
    return result


def write_records(
    session: Session,
    kind: str,
    records: Sequence[CheckedRow],
    registered_by: User | None,
    review_status: ReviewStatus,
    track: Track = _no_tracking,
) -> None:
    """Create an account without a password (claimed later) and a profile per checked row."""
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
            flush=False,
        )
        user.language = record.language
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
        vetting.record_initial_status(session, profile, review_status, registered_by)
    session.flush()
