"""Row locks that serialise writers on the same pairing or profile (PostgreSQL and SQLite)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mentormatch.models import Pairing


def lock_row(session: Session, model: Any, ident: int) -> None:
    """Hold the row's write lock until commit.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite has no row locks; a no-op UPDATE takes
    the database write lock now (before we read counts), which serialises writers.
    """
    if session.get_bind().dialect.name == "sqlite":
        values: dict[str, Any] = {"id": model.id}
        if hasattr(model, "updated_at"):
            values["updated_at"] = model.updated_at  # keep onupdate from bumping it
        session.execute(
            update(model).where(model.id == ident).values(values),
            execution_options={"synchronize_session": False},
        )
    else:
        session.execute(select(model.id).where(model.id == ident).with_for_update())


def lock_and_refresh(session: Session, pairing: Pairing) -> None:
    """Lock the pairing's row, then re-read it so checks see the latest committed state."""
    lock_row(session, Pairing, pairing.id)
    session.refresh(pairing)
