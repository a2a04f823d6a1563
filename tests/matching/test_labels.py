"""The labelled set is the coordinator rules written out, and reads back as written."""

from __future__ import annotations

import io

import pytest

from mentormatch.matching import Kind
from mentormatch.matching.labels import (
    Label,
    LabelFileError,
    LabelSet,
    build_labels,
    read_labels,
    write_labels,
)
from tests.matching.people import farmer, mentor, taxonomy

LOGINS = {101: "almaz@example.org", 201: "tesfaye@example.org", 202: None}


def test_labels_name_each_pair_by_login_with_the_rules_it_meets() -> None:
    far_away = mentor(id=2, user_id=203, origin_regions=("SN-TH",))
    labels = build_labels([farmer()], [mentor(), far_away], taxonomy(),
                          {**LOGINS, 203: "+221771234567"})  # fmt: skip
    assert labels == [
        Label(Kind.COACHING, "almaz@example.org", "+221771234567", 2, ("sector", "need")),
        Label(Kind.COACHING, "almaz@example.org", "tesfaye@example.org", 3,
              ("sector", "place", "need")),
        Label(Kind.INVESTMENT, "almaz@example.org", "+221771234567", 2,
              ("sector", "instrument")),
        Label(Kind.INVESTMENT, "almaz@example.org", "tesfaye@example.org", 3,
              ("sector", "place", "instrument")),
    ]  # fmt: skip


def test_pairs_not_allowed_people_without_a_login_and_low_grades_are_left_out() -> None:
    no_language = mentor(languages=("fra",))
    no_login = mentor(id=2, user_id=202)
    assert build_labels([farmer()], [no_language, no_login], taxonomy(), LOGINS) == []
    unrelated = mentor(
        value_chains=("dairy",),
        origin_regions=("SN-TH",),
        skills_offered=("marketing",),
        investment_instruments=("grant",),
    )
    assert build_labels([farmer()], [unrelated], taxonomy(), LOGINS) == []
    assert len(build_labels([farmer()], [mentor()], taxonomy(), LOGINS, min_grade=3)) == 2


def test_a_written_label_file_reads_back_the_same() -> None:
    labels = build_labels([farmer()], [mentor()], taxonomy(), LOGINS)
    out = io.StringIO()
    write_labels(labels, out)
    assert out.getvalue().splitlines()[1] == (
        "coaching,almaz@example.org,tesfaye@example.org,3,sector;place;need"
    )
    assert read_labels(io.StringIO(out.getvalue())) == labels


def test_reading_normalises_logins_and_refuses_a_missing_column() -> None:
    text = (
        "kind,entrepreneur_login,diaspora_login,grade\ninvestment, Almaz@Example.org ,T@x.org,2\n"
    )
    (label,) = read_labels(io.StringIO(text))
    assert (label.entrepreneur, label.diaspora, label.grade) == ("almaz@example.org", "t@x.org", 2)
    with pytest.raises(LabelFileError, match="missing: grade"):
        read_labels(io.StringIO("kind,entrepreneur_login,diaspora_login\n"))


def test_the_file_judges_the_entrepreneurs_it_names_and_the_rules_the_rest() -> None:
    almaz, other = farmer(), farmer(id=2, user_id=102)
    tesfaye = mentor()
    labels = [Label(Kind.COACHING, "almaz@example.org", "tesfaye@example.org", 1)]
    logins = {**LOGINS, 102: "other@example.org"}
    found = LabelSet.match(labels, Kind.COACHING, [almaz, other], [tesfaye], taxonomy(), logins)
    assert (found.in_file, found.found, found.judged) == (1, 1, {almaz.id})
    assert found.grader(almaz, tesfaye) == 1  # the file says 1 where the rules say 3
    assert found.grader(other, tesfaye) == 3  # not in the file: the rules
    assert found.grader(almaz, mentor(id=9)) == 0  # named, pair not listed
