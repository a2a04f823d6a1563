"""Load the coordinator's judgement set (seed_data/evaluation/) the way real data arrives.

The set's profiles go through the product's own doors: a throwaway SQLite database
migrated with Alembic, the taxonomy loaded, both CSV files imported with the CSV importer
(so towns are placed in regions exactly as for a field survey), then turned into the
engine's records by the adapter. Grades, coaching loads and member archetypes are read
from the set's other files and matched to the imported people by email.
"""

from __future__ import annotations

import csv
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from alembic import command as alembic_command
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.db import make_engine
from mentormatch.importer import DIASPORA, ENTREPRENEURS, import_profiles
from mentormatch.matches import adapter
from mentormatch.matching import Kind, MatchIndex
from mentormatch.matching.judgement import FORBIDDEN, Judgement
from mentormatch.models import User
from mentormatch.taxonomy import load_taxonomy

_KIVA_EMAIL = re.compile(r"kiva-(\d+)@")


class JudgementSetError(ValueError):
    """The set cannot be loaded; the message says which file and what is wrong."""


@dataclass(frozen=True)
class LoadedSet:
    """The judgement set as the engine sees it."""

    index: MatchIndex
    load: dict[int, int]
    judgement: Judgement
    notes: list[str]


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise JudgementSetError(f"{path.name} is missing from {path.parent}.")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def load_judgement_set(directory: Path) -> LoadedSet:
    """Import the set into a throwaway database and return the fitted index and grades."""
    from mentormatch.cli import alembic_config  # the CLI module imports this one

    with tempfile.TemporaryDirectory() as scratch:
        url = "sqlite:///" + str(Path(scratch) / "evaluation.sqlite3")
        alembic_command.upgrade(alembic_config(url), "head")
        engine = make_engine(url)
        try:
            with Session(engine) as session:
                return _load(session, directory)
        finally:
            engine.dispose()


def _load(session: Session, directory: Path) -> LoadedSet:
    load_taxonomy(session)
    notes = []
    for kind, name in ((DIASPORA, "diaspora.csv"), (ENTREPRENEURS, "entrepreneurs.csv")):
        path = directory / name
        if not path.is_file():
            raise JudgementSetError(f"{name} is missing from {directory}.")
        result = import_profiles(session, path.read_bytes(), kind=kind)
        if not result.ok:
            shown = "; ".join(str(e) for e in result.errors[:5])
            raise JudgementSetError(
                f"{name} does not import ({len(result.errors)} errors): {shown}"
            )
        notes.append(f"{name}: {result.created} profiles imported")
    session.flush()
    entrepreneurs = adapter.entrepreneur_records(session)
    diaspora = adapter.diaspora_records(session)
    taxonomy = adapter.build_taxonomy(session, entrepreneurs, diaspora)
    emails = {
        user_id: email or "" for user_id, email in session.execute(select(User.id, User.email))
    }
    e_ids = {emails[e.user_id]: e.id for e in entrepreneurs}
    d_ids = {emails[d.user_id]: d.id for d in diaspora}
    placed = sum(e.region_code is not None for e in entrepreneurs)
    notes.append(f"{placed} of {len(entrepreneurs)} entrepreneurs placed in a region")

    def member(email: str, file: str) -> int:
        if email not in d_ids:
            raise JudgementSetError(f"{file} names {email}, who is not in diaspora.csv.")
        return d_ids[email]

    load = {
        member(row["diaspora_email"], "load.csv"): int(row["approved_coaching_pairings"])
        for row in _rows(directory / "load.csv")
    }
    grades: dict[tuple[Kind, int, int], int] = {}
    for row in _rows(directory / "grades.csv"):
        e_id = e_ids.get(row["entrepreneur_email"])
        if e_id is None:
            raise JudgementSetError(
                f"grades.csv names {row['entrepreneur_email']}, who is not in entrepreneurs.csv."
            )
        grade = FORBIDDEN if row["grade"] == "F" else int(row["grade"])
        grades[Kind(row["kind"]), e_id, member(row["diaspora_email"], "grades.csv")] = grade
    generalists = frozenset(
        member(row["email"], "diaspora_roles.csv")
        for row in _rows(directory / "diaspora_roles.csv")
        if row["archetype"] == "generalist"
    )
    # Odd Kiva ids are the held-out half (seed_data/evaluation/README.md).
    held_out = frozenset(
        e_id
        for email, e_id in e_ids.items()
        if (found := _KIVA_EMAIL.match(email)) and int(found.group(1)) % 2 == 1
    )
    index = MatchIndex.fit(entrepreneurs, diaspora, taxonomy)
    return LoadedSet(index, load, Judgement(grades, generalists, held_out), notes)
