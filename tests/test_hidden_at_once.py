"""A deactivated account or a suspended profile leaves everyone's suggestions at once, even
from the published index the worker has not rebuilt yet (decision 016)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from mentormatch.matches import builds, service
from mentormatch.matching.store import current
from mentormatch.models import DiasporaProfile
from mentormatch.people import accounts, vetting
from tests import builders
from tests.conftest import AuthActions
from tests.test_matching_published import mentors_shown


@pytest.fixture
def app_config(app_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    return {**app_config, "MATCHING_INDEX": "published",
            "MATCHING_INDEX_DIR": str(tmp_path / "index")}  # fmt: skip


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    service.clear_cache()
    yield
    service.clear_cache()


@pytest.fixture
def published(app: Flask, db: Session, people: builders.People) -> DiasporaProfile:
    """Musa, a poultry mentor from Kano, in an index the worker published."""
    musa = builders.make_diaspora(
        db, "Musa Abdullahi", "musa@example.org", value_chains=("poultry",),
        skills_offered=("bookkeeping",), origin_regions=["NG-KN"], interest_regions=[],
        languages=["hau", "eng"], residence_country="GB",
    )  # fmt: skip
    db.commit()
    builds.refresh_index(
        db, Path(app.config["MATCHING_INDEX_DIR"]), overlay_limit=1000, full_after_seconds=3600
    )
    db.commit()
    return musa


@pytest.mark.parametrize("hide", ["deactivate", "suspend"])
def test_hidden_people_leave_suggestions_before_the_next_index(
    app: Flask,
    client: FlaskClient,
    db: Session,
    auth: AuthActions,
    people: builders.People,
    published: Any,
    hide: str,
) -> None:
    auth.login("amina@example.org")
    assert "Musa Abdullahi" in mentors_shown(client)
    index_before = current(Path(app.config["MATCHING_INDEX_DIR"]))
    if hide == "deactivate":
        accounts.deactivate(db, published.user, people.jean, reason="left_programme")
    else:
        vetting.decide(db, published, people.jean, "suspend")
    db.commit()
    assert "Musa Abdullahi" not in mentors_shown(client)
    assert current(Path(app.config["MATCHING_INDEX_DIR"])) == index_before  # nothing rebuilt
