"""The coordinator's labelled set as data: built from the rules, read back to evaluate.

seed_data/labelled/coordinator_labels.csv lists every allowed pair of the seed profiles
that the rules of seed_data/labelled/README.md give at least one point. People are named
by their login (email, or phone for those registered without one), because database ids
change on every load; a pair the file does not list has grade 0. No Flask, no database:
the caller supplies the records and the logins.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from mentormatch.matching.evaluate import Grader, coordinator_grade, feasible, rules_met
from mentormatch.matching.records import DiasporaRecord, EntrepreneurRecord, Kind, Taxonomy

COLUMNS = ("kind", "entrepreneur_login", "diaspora_login", "grade", "rules_met")
MAX_GRADE = 3


class LabelFileError(ValueError):
    """A label file that cannot be read; the message names the line and what to fix."""


@dataclass(frozen=True, order=True)
class Label:
    """One graded pair: how many coordinator rules it meets, and which."""

    kind: Kind
    entrepreneur: str  # login: email, or phone for people without one
    diaspora: str
    grade: int
    rules_met: tuple[str, ...] = ()

    def row(self) -> dict[str, str]:
        """The label as a CSV row."""
        return {
            "kind": self.kind.value,
            "entrepreneur_login": self.entrepreneur,
            "diaspora_login": self.diaspora,
            "grade": str(self.grade),
            "rules_met": ";".join(self.rules_met),
        }


def build_labels(
    entrepreneurs: Sequence[EntrepreneurRecord],
    diaspora: Sequence[DiasporaRecord],
    taxonomy: Taxonomy,
    logins: Mapping[int, str | None],
    load: Mapping[int, int] | None = None,
    min_grade: int = 1,
) -> list[Label]:
    """Every allowed pair with at least `min_grade` points, per kind, in file order.

    `logins` maps user ids to logins; people without one cannot be named in the file and
    are left out.
    """
    load = dict(load or {})
    named_e = [(e, logins.get(e.user_id)) for e in entrepreneurs]
    named_d = [(d, logins.get(d.user_id)) for d in diaspora]
    labels = [
        Label(kind, e_login, d_login, len(met), met)
        for kind in Kind
        for e, e_login in named_e
        if e_login
        for d, d_login in named_d
        if d_login
        and feasible(e, d, kind, load)
        and len(met := rules_met(e, d, kind, taxonomy)) >= min_grade
    ]
    return sorted(labels)


def write_labels(labels: Iterable[Label], out: TextIO) -> None:
    """Write labels as CSV with a header row (Unix line ends, so the file diffs cleanly)."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(label.row() for label in labels)


def read_labels(source: TextIO, normalise: Callable[[str], str | None] = str.lower) -> list[Label]:
    """Labels from CSV; raises LabelFileError naming the first bad line.

    `normalise` turns a login as typed into the form it is stored in (case, phone format).
    """
    reader = csv.DictReader(source)
    missing = [c for c in COLUMNS[:4] if c not in (reader.fieldnames or ())]
    if missing:
        raise LabelFileError(f"The header must name the columns {', '.join(COLUMNS)}; "
                             f"missing: {', '.join(missing)}.")  # fmt: skip
    labels = []
    for line, raw in enumerate(reader, start=2):
        # A short row reads as None in the missing cells.
        row = {name: (value or "").strip() for name, value in raw.items() if name}
        try:
            kind = Kind(row["kind"])
            grade = int(row["grade"])
        except ValueError:
            raise LabelFileError(
                f"Line {line}: kind must be coaching or investment and grade a whole number "
                f"from 0 to {MAX_GRADE}."
            ) from None
        e_login, d_login = normalise(row["entrepreneur_login"]), normalise(row["diaspora_login"])
        if not 0 <= grade <= MAX_GRADE or not (e_login and d_login):
            raise LabelFileError(
                f"Line {line}: give both logins (email or phone) and a grade from 0 to {MAX_GRADE}."
            )
        met = tuple(filter(None, row.get("rules_met", "").split(";")))
        labels.append(Label(kind, e_login, d_login, grade, met))
    return labels


@dataclass
class LabelSet:
    """Labels matched to the people in the current data, for one kind.

    Entrepreneurs the file names for this kind are judged by the file (an unlisted pair
    has grade 0); everyone else by the rules, so people added since the file was built
    are still evaluated.
    """

    kind: Kind
    taxonomy: Taxonomy
    grades: dict[tuple[int, int], int] = field(default_factory=dict)
    judged: set[int] = field(default_factory=set)  # entrepreneur ids the file judges
    in_file: int = 0  # labelled pairs of this kind in the file
    found: int = 0  # of those, pairs whose two people are both in the current data

    @classmethod
    def match(
        cls,
        labels: Iterable[Label],
        kind: Kind,
        entrepreneurs: Sequence[EntrepreneurRecord],
        diaspora: Sequence[DiasporaRecord],
        taxonomy: Taxonomy,
        logins: Mapping[int, str | None],
    ) -> LabelSet:
        """Resolve the file's logins to the current profile ids."""
        e_ids = {logins[e.user_id]: e.id for e in entrepreneurs if logins.get(e.user_id)}
        d_ids = {logins[d.user_id]: d.id for d in diaspora if logins.get(d.user_id)}
        found = cls(kind, taxonomy)
        for label in labels:
            if label.kind is not kind:
                continue
            found.in_file += 1
            e_id, d_id = e_ids.get(label.entrepreneur), d_ids.get(label.diaspora)
            if e_id is not None:
                found.judged.add(e_id)
            if e_id is not None and d_id is not None:
                found.found += 1
                found.grades[e_id, d_id] = label.grade
        return found

    @property
    def grader(self) -> Grader:
        """Grade from the file for the entrepreneurs it judges, by the rules otherwise."""

        def grade(e: EntrepreneurRecord, d: DiasporaRecord) -> int:
            if e.id in self.judged:
                return self.grades.get((e.id, d.id), 0)
            return coordinator_grade(e, d, self.kind, self.taxonomy)

        return grade
