"""`flask seed --synthetic N M`: a large data set that can be run twice and ranks."""

from __future__ import annotations

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentormatch import taxonomy as tx
from mentormatch.matches.changes import matching_version
from mentormatch.models import DiasporaProfile, EntrepreneurProfile, User


def test_synthetic_profiles_are_added_twice_without_a_clash(
    runner: FlaskCliRunner, db: Session
) -> None:
    before = matching_version(db)
    for _ in range(2):
        result = runner.invoke(args=["seed", "--no-demo-accounts", "--synthetic", "60", "25"])
        assert result.exit_code == 0, result.output
        assert "Added 60 synthetic entrepreneurs and 25 synthetic diaspora members" in result.output
    db.expire_all()
    synthetic = db.scalar(
        select(func.count()).select_from(User).where(User.email.like("synthetic-%"))
    )
    assert synthetic == 2 * 85
    emails = db.scalars(select(User.email).where(User.email.like("synthetic-%"))).all()
    assert len(set(emails)) == len(emails)
    regions = db.scalars(select(EntrepreneurProfile.region_code)).all()
    assert regions and all(tx.is_region(code) for code in regions if code)
    assert db.scalar(select(func.count()).select_from(DiasporaProfile)) >= 50
    assert matching_version(db) > before
