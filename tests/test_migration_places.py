"""Migration 0004_places: existing entrepreneurs keep their region as chosen."""

from __future__ import annotations

from pathlib import Path

from alembic import command as alembic_command
from sqlalchemy import text

from mentormatch.cli import alembic_config
from mentormatch.db import make_engine

NOW = "2026-11-01 00:00:00+00:00"


def test_existing_regions_count_as_chosen_and_missing_ones_as_country_level(
    tmp_path: Path,
) -> None:
    url = "sqlite:///" + str(tmp_path / "places.sqlite3")
    config = alembic_config(url)
    alembic_command.upgrade(config, "0002_pairings")
    engine = make_engine(url)
    profile = (
        "INSERT INTO entrepreneur_profiles (id, user_id, business_name, description, "
        "country_code, region_code, locality, stage, skills_needed_text, languages, "
        "seeking_investment, investment_instruments, is_returnee, is_women_led, is_youth_led, "
        "review_status, created_at, updated_at) VALUES (:id, :id, 'Farm', '', :country, "
        ":region, :locality, 'starting', '', '[]', 0, '[]', 0, 0, 0, 'approved', :now, :now)"
    )
    with engine.begin() as conn:
        for i, (country, region, locality) in enumerate(
            [("NG", "NG-KN", "Dawakin Kudu"), ("KE", None, "Nkubu")], start=1
        ):
            conn.execute(
                text(
                    "INSERT INTO users (id, full_name, role, is_active, session_version, "
                    "created_at, updated_at) VALUES (:id, 'A', 'entrepreneur', 1, 0, :now, :now)"
                ),
                {"id": i, "now": NOW},
            )
            conn.execute(
                text(profile),
                {"id": i, "country": country, "region": region, "locality": locality, "now": NOW},
            )
    alembic_command.upgrade(config, "0004_places")
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT region_code, region_source, region_confidence "
                "FROM entrepreneur_profiles ORDER BY id"
            )
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("NG-KN", "chosen", None), (None, "unresolved", None)]
