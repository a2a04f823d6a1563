"""Reading exchange-rate files: the European Central Bank's euro reference rates and our own
simple format. Every cell is checked before anything is stored; each problem names its line
and column. The formats are described in seed_data/README.md.

- ECB daily file (eurofxref.csv): a header "Date, USD, JPY, ..." and one row such as
  "28 November 2026, 1.0567, 160.12, ..."; values are units of the currency per euro.
- ECB history file (eurofxref-hist.csv): the same with ISO dates ("2026-11-28"), one row per
  working day, newest first, and "N/A" where a currency had no rate that day.
- Ours: "currency,usd_per_unit,as_of,source", one row per currency and date.

ECB values are turned into US dollars per unit through the file's USD column:
usd_per_unit(X) = (USD per euro) / (X per euro), and the euro itself is worth USD per euro.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from flask_babel import gettext as _

from mentormatch.money.rates import BASE, Rate
from mentormatch.taxonomy import is_currency

ECB = "ECB euro reference rates"
OURS = "MentorMatch rates"
OUR_COLUMNS = ("currency", "usd_per_unit", "as_of", "source")
MAX_SOURCE = 200
NO_RATE = {"n/a", ""}
DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
CODE = re.compile(r"[A-Z]{3}")
MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SPELLED_DATE = re.compile(r"([0-9]{1,2}) ([A-Za-z]+) ([0-9]{4})")


class RateFileError(ValueError):
    """The file cannot be loaded; `problems` says what to fix, line and column first."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class RateFile:
    """What a file holds, checked: its format, its rates, and columns it had to leave out."""

    format: str
    rates: list[Rate] = field(default_factory=list)
    #: Currencies of the file that are no longer ISO 4217 (BGN, CYP, ... in the ECB history).
    left_out: list[str] = field(default_factory=list)

    @property
    def currencies(self) -> list[str]:
        return sorted({rate.currency for rate in self.rates})

    @property
    def dates(self) -> list[date]:
        return sorted({rate.as_of for rate in self.rates})


def read_rate_file(data: bytes, name: str, today: date) -> RateFile:
    """Check a whole rate file and return its rates in US dollars; RateFileError otherwise."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RateFileError(
            [_("line %(line)s: the file is not UTF-8 text; save it as CSV UTF-8.", line=line)]
        ) from None
    rows = [
        (number, [cell.strip() for cell in cells])
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
        if any(cell.strip() for cell in cells)
    ]
    if not rows:
        raise RateFileError([_("the file is empty: it needs a header line and rates below it.")])
    number, header = rows[0]
    first = header[0].lower()
    if first == "date":
        reader: _Reader = _EcbReader(name, today)
    elif first in OUR_COLUMNS:
        reader = _OurReader(today)
    else:
        raise RateFileError(
            [
                _(
                    "line %(line)s: the header is neither the ECB's (Date, USD, JPY, ...) nor "
                    'ours (%(columns)s); it starts with "%(start)s".',
                    line=number,
                    columns=",".join(OUR_COLUMNS),
                    start=header[0][:40],
                )
            ]
        )
    reader.read_header(number, header)
    if not reader.problems:
        for number, cells in rows[1:]:
            reader.read_row(number, cells)
        if len(rows) == 1:
            reader.problems.append(_("the file has a header line but no rates below it."))
    if reader.problems:
        raise RateFileError(reader.problems)
    return reader.result


def _cells_but_columns(cells: int, columns: int) -> str:
    return _(
        "has %(cells)s cells but the header has %(columns)s columns.",
        cells=cells,
        columns=columns,
    )


class _Reader:
    """Collects the rates and the problems of one file."""

    def __init__(self, format: str, today: date) -> None:
        self.result = RateFile(format)
        self.problems: list[str] = []
        self.today = today

    def problem(self, line: int, column: int | None, name: str, message: str) -> None:
        if column is None:
            self.problems.append(_("line %(line)s: %(message)s", line=line, message=message))
            return
        self.problems.append(
            _(
                "line %(line)s, column %(column)s (%(name)s): %(message)s",
                line=line,
                column=column,
                name=name,
                message=message,
            )
        )

    def number(self, line: int, column: int, name: str, text: str) -> float | None:
        """A positive decimal number written with a dot, or None with a problem noted."""
        if not DECIMAL.fullmatch(text):
            if "," in text:
                message = _(
                    '"%(text)s" is not a number such as 1.0567 (use a dot for decimals).',
                    text=text[:40],
                )
            else:
                message = _('"%(text)s" is not a number such as 1.0567.', text=text[:40])
            self.problem(line, column, name, message)
            return None
        value = float(text)
        if value <= 0:
            self.problem(line, column, name, _("a rate must be more than 0."))
            return None
        return value

    def day(self, line: int, column: int, name: str, text: str) -> date | None:
        """An ISO date or an ECB date ("28 November 2026"), not after today."""
        found = _parse_date(text)
        if found is None:
            self.problem(
                line,
                column,
                name,
                _(
                    '"%(text)s" is not a date; write it as 2026-11-28 or 28 November 2026.',
                    text=text[:40],
                ),
            )
            return None
        if found > self.today:
            self.problem(line, column, name, _("%(date)s is after today.", date=found.isoformat()))
            return None
        return found

    def read_header(self, line: int, cells: list[str]) -> None:
        raise NotImplementedError

    def read_row(self, line: int, cells: list[str]) -> None:
        raise NotImplementedError


def _parse_date(text: str) -> date | None:
    if ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    spelled = SPELLED_DATE.fullmatch(text)
    month = MONTHS.get(spelled.group(2).lower()) if spelled else None
    if spelled is None or month is None:
        return None
    try:
        return date(int(spelled.group(3)), month, int(spelled.group(1)))
    except ValueError:
        return None


def _without_trailing_empty(cells: list[str]) -> list[str]:
    # The ECB ends every line with a comma: one empty cell that is not a column.
    return cells[:-1] if cells and cells[-1] == "" else cells


class _EcbReader(_Reader):
    def __init__(self, name: str, today: date) -> None:
        super().__init__(ECB, today)
        self.source = f"European Central Bank euro reference rates ({PurePath(name).name})"[
            :MAX_SOURCE
        ]
        self.codes: list[str] = []
        self.kept: list[bool] = []
        self.dates: dict[date, int] = {}

    def read_header(self, line: int, cells: list[str]) -> None:
        self.codes = _without_trailing_empty(cells)[1:]
        for column, code in enumerate(self.codes, start=2):
            if not CODE.fullmatch(code):
                self.problem(
                    line,
                    column,
                    code or _("empty"),
                    _(
                        'a column is named by a currency code such as USD (not "%(code)s").',
                        code=code[:40],
                    ),
                )
            elif code == "EUR":
                self.problem(
                    line, column, code, _("the euro is the base of an ECB file, not a column.")
                )
            elif self.codes.index(code) != column - 2:
                self.problem(line, column, code, _("this currency is already a column."))
        if BASE not in self.codes:
            self.problem(
                line,
                None,
                "",
                _("there is no USD column; the rates are turned into US dollars through it."),
            )
        self.kept = [is_currency(code) for code in self.codes]
        self.result.left_out = sorted(
            {code for code, kept in zip(self.codes, self.kept, strict=True) if not kept}
        )

    def read_row(self, line: int, cells: list[str]) -> None:
        cells = _without_trailing_empty(cells)
        if len(cells) != len(self.codes) + 1:
            self.problem(
                line,
                None,
                "",
                _cells_but_columns(len(cells), len(self.codes) + 1),
            )
            return
        day = self.day(line, 1, "Date", cells[0])
        per_euro: dict[str, float] = {}
        for column, (code, kept, text) in enumerate(
            zip(self.codes, self.kept, cells[1:], strict=True), start=2
        ):
            if text.lower() in NO_RATE:
                continue  # no rate for this currency that day
            value = self.number(line, column, code, text)
            if value is not None and kept:
                per_euro[code] = value
        if BASE not in per_euro:
            usd_column = self.codes.index(BASE) + 2
            if cells[usd_column - 1].lower() in NO_RATE:
                self.problem(
                    line,
                    usd_column,
                    BASE,
                    _("the US dollar rate is needed to turn the other rates into US dollars."),
                )
            return
        if day is None:
            return
        if day in self.dates:
            self.problem(
                line,
                1,
                "Date",
                _(
                    "%(date)s is also on line %(other)s.",
                    date=day.isoformat(),
                    other=self.dates[day],
                ),
            )
            return
        self.dates[day] = line
        usd_per_euro = per_euro[BASE]
        self.result.rates.append(Rate("EUR", usd_per_euro, day, self.source))
        for code, value in per_euro.items():
            self.result.rates.append(Rate(code, usd_per_euro / value, day, self.source))


class _OurReader(_Reader):
    def __init__(self, today: date) -> None:
        super().__init__(OURS, today)
        self.columns: list[str] = []
        self.seen: dict[tuple[str, date], int] = {}

    def read_header(self, line: int, cells: list[str]) -> None:
        self.columns = [cell.lower() for cell in cells]
        missing = [name for name in OUR_COLUMNS if name not in self.columns]
        unknown = [name for name in self.columns if name not in OUR_COLUMNS]
        repeated = sorted({name for name in self.columns if self.columns.count(name) > 1})
        if missing or unknown or repeated:
            said = [
                _("missing %(columns)s", columns=", ".join(missing)) if missing else "",
                _("unknown %(columns)s", columns=", ".join(unknown)) if unknown else "",
                _("twice %(columns)s", columns=", ".join(repeated)) if repeated else "",
            ]
            self.problem(
                line,
                None,
                "",
                _(
                    "the header needs exactly the columns %(columns)s (%(problems)s).",
                    columns=",".join(OUR_COLUMNS),
                    problems="; ".join(s for s in said if s),
                ),
            )

    def read_row(self, line: int, cells: list[str]) -> None:
        if len(cells) != len(self.columns):
            self.problem(
                line,
                None,
                "",
                _cells_but_columns(len(cells), len(self.columns)),
            )
            return
        cell = dict(zip(self.columns, cells, strict=True))
        where = {name: self.columns.index(name) + 1 for name in OUR_COLUMNS}
        code = cell["currency"].upper()
        if not CODE.fullmatch(code) or not is_currency(code):
            self.problem(
                line,
                where["currency"],
                "currency",
                _(
                    '"%(code)s" is not an ISO 4217 currency code such as NGN.',
                    code=cell["currency"][:40],
                ),
            )
        value = self.number(line, where["usd_per_unit"], "usd_per_unit", cell["usd_per_unit"])
        if code == BASE and value is not None and value != 1:
            self.problem(line, where["usd_per_unit"], "usd_per_unit", _("one US dollar is 1."))
        day = self.day(line, where["as_of"], "as_of", cell["as_of"])
        source = cell["source"]
        if not source or len(source) > MAX_SOURCE or not source.isprintable():
            self.problem(
                line,
                where["source"],
                "source",
                _(
                    "say who published the rate, in one line of at most %(count)s characters.",
                    count=MAX_SOURCE,
                ),
            )
        if day is None:
            return
        if (code, day) in self.seen:
            earlier = self.seen[(code, day)]
            self.problem(
                line,
                where["as_of"],
                "as_of",
                _(
                    "%(code)s on %(date)s is also on line %(other)s.",
                    code=code,
                    date=day,
                    other=earlier,
                ),
            )
            return
        self.seen[(code, day)] = line
        if value is not None:
            self.result.rates.append(Rate(code, value, day, source))
