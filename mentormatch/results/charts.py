"""Chart geometry for server-rendered SVG: plain numbers a template draws (no library).

Each chart is a small frozen description: title, a sentence for screen readers that says
what the data shows, and shapes in a fixed viewBox that scales with the page. Words and
numbers are in the reader's language (Flask-Babel), so charts are built per request. Colours come
from the stylesheet (classes), so the page needs no inline style and no script
(docs/decisions/013).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

WIDTH = 640
LABEL_WIDTH = 170
BAR_HEIGHT = 22
GAP = 8
VALUE_ROOM = 70


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as text
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one per category, longest for the largest value."""

    key: str
    title: str
    description: str
    bars: tuple[Bar, ...]
    height: float
    label_width: float = LABEL_WIDTH
    bar_height: float = BAR_HEIGHT
    width: float = WIDTH


@dataclass(frozen=True)
class Segment:
    series: str
    value: int
    y: float
    height: float


@dataclass(frozen=True)
class Column:
    label: str
    total: int
    x: float
    width: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class StackedColumns:
    """One column per period, stacked by series, with a scale on the left."""

    key: str
    title: str
    description: str
    series: tuple[tuple[str, str], ...]  # key, label
    columns: tuple[Column, ...]
    ticks: tuple[tuple[float, int], ...]  # y, value
    plot_top: float
    plot_bottom: float
    height: float
    width: float = WIDTH
    left: float = 40


def _number(value: float) -> str:
    """A figure in the reader's locale: whole above 100 or when whole, else one decimal."""
    pattern = "#,##0" if float(value).is_integer() or abs(value) >= 100 else "#,##0.0"
    return str(format_decimal(value, pattern))


def bar_chart(
    key: str, title: str, items: Sequence[tuple[str, float]], unit: str = "", limit: int = 12
) -> BarChart:
    """Bars for (label, value) items in the order given (at most `limit`, the rest summed
    as "Others"), with a description naming the largest."""
    items = list(items)
    if len(items) > limit:
        items = [*items[: limit - 1], (_("Others"), sum(v for _label, v in items[limit - 1 :]))]
    top = max((v for _label, v in items), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    bars = tuple(
        Bar(
            label=label,
            value=value,
            shown=_number(value) + unit,
            y=GAP + i * (BAR_HEIGHT + GAP),
            width=round(room * value / top, 1),
        )
        for i, (label, value) in enumerate(items)
    )
    if not items or not any(v for _label, v in items):
        description = _("%(title)s: nothing to show for these filters.", title=title)
    else:
        label, value = max(items, key=lambda item: item[1])
        description = ngettext(
            "%(title)s: %(num)d bar; the largest is %(label)s with %(value)s, of %(total)s in all.",
            "%(title)s: %(num)d bars; the largest is %(label)s with %(value)s, of %(total)s "
            "in all.",
            len(items),
            title=title,
            label=label,
            value=_number(value) + unit,
            total=_number(sum(v for _label, v in items)) + unit,
        )
    height = GAP + len(bars) * (BAR_HEIGHT + GAP)
    return BarChart(key, title, description, bars, max(height, 2 * GAP))


def stacked_columns(
    key: str,
    title: str,
    series: Sequence[tuple[str, str]],
    periods: Sequence[tuple[str, dict[str, int]]],
    height: float = 260,
) -> StackedColumns:
    """Columns per period (label, {series: value}) stacked in the order of `series`."""
    top, bottom, left = 12.0, height - 28, 40.0
    totals = [sum(values.get(k, 0) for k, _ in series) for _, values in periods]
    peak = max(totals, default=0)
    step = _nice_step(peak)
    scale_top = max(step * math.ceil(peak / step), step) if peak else 1
    plot = bottom - top
    slot = (WIDTH - left) / max(len(periods), 1)
    columns = []
    for i, ((label, values), total) in enumerate(zip(periods, totals, strict=True)):
        segments, y = [], bottom
        for k, _label in series:
            value = values.get(k, 0)
            h = plot * value / scale_top
            y -= h
            if value:
                segments.append(Segment(k, value, round(y, 1), round(h, 1)))
        columns.append(
            Column(
                label,
                total,
                round(left + i * slot + slot * 0.15, 1),
                round(slot * 0.7, 1),
                tuple(segments),
            )
        )
    ticks = tuple(
        (round(bottom - plot * v / scale_top, 1), v)
        for v in range(0, int(scale_top) + 1, int(step))
    )
    busiest = max(zip(totals, [p[0] for p in periods], strict=True), default=(0, ""))
    if busiest[0]:
        description = ngettext(
            "%(title)s: %(num)d column, %(total)s introductions in all; the busiest is "
            "%(busiest)s with %(most)s.",
            "%(title)s: %(num)d columns, %(total)s introductions in all; the busiest is "
            "%(busiest)s with %(most)s.",
            len(periods),
            title=title,
            total=_number(sum(totals)),
            busiest=busiest[1],
            most=_number(busiest[0]),
        )
    else:
        description = ngettext(
            "%(title)s: %(num)d column, no introduction.",
            "%(title)s: %(num)d columns, no introduction.",
            len(periods),
            title=title,
        )
    return StackedColumns(
        key, title, description, tuple(series), tuple(columns), ticks, top, bottom, height
    )


def _nice_step(peak: float) -> int:
    """A round step for about four grid lines."""
    if peak <= 4:
        return 1
    raw = peak / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    return int(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))
