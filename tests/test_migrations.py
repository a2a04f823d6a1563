"""The Alembic migrations build exactly the schema the models describe, on an empty database.

Each test gets a database of its own: a fresh SQLite file, and, when DATABASE_URL points at
PostgreSQL, also a throwaway database created on that server (so the suite's own database
is never touched). The tests stay generic: they compare against whatever models
`mentormatch.models` registers, so a new migration is checked the moment it lands.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command as alembic_command
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

import mentormatch.models  # noqa: F401  (registers every table on Base.metadata)
from mentormatch.cli import alembic_config
from mentormatch.db import Base, make_engine

SUITE_URL = os.environ.get("DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if SUITE_URL.startswith("postgresql") else [])


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no tables at all, dropped after the test."""
    if request.param == "sqlite":
        yield "sqlite:///" + str(tmp_path / "migrations.sqlite3")
        return
    server_url = make_url(SUITE_URL).set(database="postgres")
    name = f"mm_migrations_{uuid.uuid4().hex[:12]}"
    server = make_engine(server_url.render_as_string(hide_password=False))
    server = server.execution_options(isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(SUITE_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.engine.dispose()


def schema_differences(url: str) -> list[object]:
    """What `flask db revision --autogenerate` would write: model vs. database differences."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            # The same comparison options as migrations/env.py uses for autogenerate.
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def current_revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def revisions_in_order(config: AlembicConfig) -> list[str]:
    script = ScriptDirectory.from_config(config)
    return [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]


def test_migration_history_has_a_single_head():
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"migrations branch into several heads {heads}: merge them"


def test_upgrade_on_empty_database_builds_every_model_table(empty_database):
    config = alembic_config(empty_database)
    assert table_names(empty_database) == set()

    alembic_command.upgrade(config, "head")

    head = ScriptDirectory.from_config(config).get_current_head()
    assert current_revision(empty_database) == head
    assert table_names(empty_database) == set(Base.metadata.tables)


def test_autogenerate_finds_no_difference_between_migrations_and_models(empty_database):
    alembic_command.upgrade(alembic_config(empty_database), "head")

    differences = schema_differences(empty_database)

    assert differences == [], (
        "the models and the migrations disagree; write a migration with "
        "`flask --app mentormatch db revision -m '...'`:\n" + "\n".join(map(repr, differences))
    )


def test_downgrade_to_base_leaves_nothing_and_upgrade_works_again(empty_database):
    config = alembic_config(empty_database)
    alembic_command.upgrade(config, "head")

    alembic_command.downgrade(config, "base")
    assert table_names(empty_database) == set()
    assert current_revision(empty_database) is None

    alembic_command.upgrade(config, "head")
    assert table_names(empty_database) == set(Base.metadata.tables)
    assert schema_differences(empty_database) == []


def test_every_migration_steps_down_and_up_again(empty_database):
    """Each revision's downgrade undoes exactly its upgrade, one step at a time."""
    config = alembic_config(empty_database)
    for revision in revisions_in_order(config):
        tables_before = table_names(empty_database)
        alembic_command.upgrade(config, revision)
        tables_after = table_names(empty_database)

        alembic_command.downgrade(config, "-1")
        assert table_names(empty_database) == tables_before, f"downgrade of {revision}"

        alembic_command.upgrade(config, revision)
        assert table_names(empty_database) == tables_after, f"re-upgrade to {revision}"


def test_vocabulary_migration_carries_existing_profiles_forward(empty_database):
    """A database from before the revised vocabulary (issue 7): `grains` becomes
    `cereals`, and a mentor who offered the old broad skills now offers their parts."""
    config = alembic_config(empty_database)
    alembic_command.upgrade(config, "0002_pairings")
    engine = make_engine(empty_database)
    with engine.begin() as conn:
        run = conn.exec_driver_sql
        run("INSERT INTO value_chain_groups (code, label, position) VALUES ('staples', 'S', 0)")
        run(
            "INSERT INTO value_chains (code, label, group_code, position) "
            "VALUES ('grains', 'Grains and cereals', 'staples', 0)"
        )
        for i, code in enumerate(("crop_agronomy", "animal_health", "soil_fertility")):
            run(
                "INSERT INTO skills (code, label, keywords, position) "
                f"VALUES ('{code}', '{code}', '', {i})"
            )
        run(
            "INSERT INTO users (id, full_name, role, is_active, session_version, created_at, "
            "updated_at) VALUES (1, 'Farmer', 'entrepreneur', true, 1, CURRENT_TIMESTAMP, "
            "CURRENT_TIMESTAMP), (2, 'Mentor', 'diaspora', true, 1, CURRENT_TIMESTAMP, "
            "CURRENT_TIMESTAMP)"
        )
        run(
            "INSERT INTO entrepreneur_profiles (id, user_id, business_name, description, "
            "country_code, locality, stage, skills_needed_text, languages, seeking_investment, "
            "investment_instruments, is_returnee, is_women_led, is_youth_led, review_status, "
            "created_at, updated_at) VALUES (1, 1, 'Maize', '', 'KE', '', 'starting', '', '[]', "
            "false, '[]', false, false, false, 'approved', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        )
        run(
            "INSERT INTO diaspora_profiles (id, user_id, headline, bio, residence_country, "
            "origin_regions, interest_regions, skills_offered_text, languages, "
            "preferred_stages, offers_coaching, mentee_capacity, hours_per_month, "
            "offers_investment, investment_instruments, review_status, created_at, updated_at) "
            "VALUES (1, 2, 'Agronomist', '', 'US', '[]', '[]', '', '[]', '[]', true, 2, 4, "
            "false, '[]', 'approved', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        )
        run("INSERT INTO entrepreneur_value_chains VALUES (1, 'grains')")
        run("INSERT INTO diaspora_value_chains VALUES (1, 'grains')")
        run("INSERT INTO entrepreneur_skills_needed VALUES (1, 'crop_agronomy')")
        run(
            "INSERT INTO diaspora_skills_offered VALUES (1, 'crop_agronomy'), "
            "(1, 'animal_health'), (1, 'soil_fertility')"
        )
    engine.dispose()

    alembic_command.upgrade(config, "head")

    engine = make_engine(empty_database)
    with engine.connect() as conn:
        run = conn.exec_driver_sql
        assert run("SELECT code FROM value_chains").scalars().all() == ["cereals"]
        assert run("SELECT value_chain_code FROM entrepreneur_value_chains").scalars().all() == [
            "cereals"
        ]
        assert run("SELECT value_chain_code FROM diaspora_value_chains").scalars().all() == [
            "cereals"
        ]
        needs = run("SELECT skill_code FROM entrepreneur_skills_needed").scalars().all()
        assert needs == ["crop_agronomy"]  # a need stays as the person ticked it
        offers = set(run("SELECT skill_code FROM diaspora_skills_offered").scalars().all())
        assert offers == {
            "crop_agronomy", "soil_fertility", "pest_disease", "seed_selection",
            "animal_health", "animal_husbandry", "animal_nutrition",
        }  # fmt: skip
    engine.dispose()
