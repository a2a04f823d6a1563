"""Pages of query results for lists and queues (used with the `pagination` macro)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotFound

T = TypeVar("T")

# Far beyond any real list, and small enough that (page - 1) * per_page fits in 32 bits.
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of items, with what templates need to link to the neighbours."""

    items: Sequence[T]
    number: int
    per_page: int
    total: int
    # Query-string arguments to keep in the Previous/Next links (filters).
    args: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(raw: str | None) -> int:
    """A page number from the query string; anything odd means page 1, a number no list
    could reach is a 404 (the database cannot compute its offset)."""
    try:
        number = max(1, int(raw or 1))
    except ValueError:
        return 1
    if number > MAX_PAGE:
        raise NotFound(_("This page does not exist: the list is not that long."))
    return number


def paginate_query(
    session: Session,
    statement: Select[Any],
    number: int,
    per_page: int,
    args: dict[str, Any] | None = None,
) -> Page[Any]:
    """Run `statement` for one page, counting the total with the same filters."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    items = session.scalars(statement.limit(per_page).offset((number - 1) * per_page)).all()
    return Page(items=items, number=number, per_page=per_page, total=total or 0, args=args or {})


def paginate_list(
    items: Sequence[T], number: int, per_page: int, args: dict[str, Any] | None = None
) -> Page[T]:
    """Slice an in-memory list (already ranked, e.g. match suggestions) into a page."""
    start = (number - 1) * per_page
    return Page(
        items=items[start : start + per_page],
        number=number,
        per_page=per_page,
        total=len(items),
        args=args or {},
    )
