"""Value chains carry their ISIC Rev.4 code; old codes map forward to the new vocabulary.

Revision ID: 0003_vocabulary
Revises: 0002_pairings
Create Date: 2026-11-30 08:00:00

The vocabulary was revised against ISIC Rev.4 and real farm loan purposes (issue 7,
docs/decisions/012). What existing profiles hold is carried forward:

- value chain `grains` is now `cereals` ("Cereals: maize, wheat, sorghum, millet"), on
  every profile that had it;
- skills offered: the old "Crop agronomy" covered seed, fertiliser and pests, and the old
  "Animal health and husbandry" covered feed and breeding; a diaspora member who offered
  them now also offers the skills they were split into. Needs stay as ticked: an
  entrepreneur who needed "crop agronomy" did not say which part.

Labels, keywords and the new codes themselves come from seed_data/taxonomy/*.csv, loaded by
`flask seed`; this migration inserts only the rows the mapping needs, and only in a
database whose taxonomy is already loaded.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_vocabulary"
down_revision: str | None = "0002_pairings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Old skill offered -> the skills it was split into (besides itself).
SPLIT_OFFERS = {
    "crop_agronomy": ("soil_fertility", "pest_disease", "seed_selection"),
    "animal_health": ("animal_husbandry", "animal_nutrition"),
}
NEW_SKILLS = {
    "soil_fertility": "Soil fertility and fertiliser use",
    "pest_disease": "Pest and disease management",
    "seed_selection": "Seeds and planting material",
    "animal_husbandry": "Livestock husbandry and breeding",
    "animal_nutrition": "Animal feed and nutrition",
}
CHAIN_LINKS = ("entrepreneur_value_chains", "diaspora_value_chains")


def _rename_chain(conn: sa.Connection, old: str, new: str, label: str) -> None:
    row = conn.execute(
        sa.text("SELECT group_code, position FROM value_chains WHERE code = :c"), {"c": old}
    ).first()
    if row is None:
        return
    exists = conn.execute(sa.text("SELECT 1 FROM value_chains WHERE code = :c"), {"c": new})
    if exists.first() is None:
        conn.execute(
            sa.text(
                "INSERT INTO value_chains (code, label, group_code, position, isic_code) "
                "VALUES (:c, :l, :g, :p, '')"
            ),
            {"c": new, "l": label, "g": row.group_code, "p": row.position},
        )
    for table in CHAIN_LINKS:
        conn.execute(
            sa.text(
                f"UPDATE {table} SET value_chain_code = :new WHERE value_chain_code = :old "
                f"AND profile_id NOT IN (SELECT profile_id FROM {table} WHERE value_chain_code = :new)"
            ),
            {"new": new, "old": old},
        )
        conn.execute(sa.text(f"DELETE FROM {table} WHERE value_chain_code = :old"), {"old": old})
    conn.execute(sa.text("DELETE FROM value_chains WHERE code = :c"), {"c": old})


def upgrade() -> None:
    with op.batch_alter_table("value_chains") as batch:
        batch.add_column(
            sa.Column("isic_code", sa.String(length=40), nullable=False, server_default="")
        )
    conn = op.get_bind()
    _rename_chain(conn, "grains", "cereals", "Cereals: maize, wheat, sorghum, millet")
    if conn.execute(sa.text("SELECT count(*) FROM skills")).scalar():
        top = conn.execute(sa.text("SELECT coalesce(max(position), 0) FROM skills")).scalar() or 0
        for offset, (code, label) in enumerate(NEW_SKILLS.items(), start=1):
            found = conn.execute(sa.text("SELECT 1 FROM skills WHERE code = :c"), {"c": code})
            if found.first() is None:
                conn.execute(
                    sa.text(
                        "INSERT INTO skills (code, label, keywords, position) "
                        "VALUES (:c, :l, '', :p)"
                    ),
                    {"c": code, "l": label, "p": top + offset},
                )
        for old, parts in SPLIT_OFFERS.items():
            for part in parts:
                conn.execute(
                    sa.text(
                        # The casts tell PostgreSQL the parameter's type once for both uses.
                        "INSERT INTO diaspora_skills_offered (profile_id, skill_code) "
                        "SELECT profile_id, CAST(:part AS VARCHAR(40)) "
                        "FROM diaspora_skills_offered WHERE skill_code = :old AND profile_id "
                        "NOT IN (SELECT profile_id FROM diaspora_skills_offered "
                        "WHERE skill_code = CAST(:part AS VARCHAR(40)))"
                    ),
                    {"part": part, "old": old},
                )


def downgrade() -> None:
    # The split offers stay: nothing records which were added by the upgrade.
    _rename_chain(op.get_bind(), "cereals", "grains", "Grains and cereals")
    with op.batch_alter_table("value_chains") as batch:
        batch.drop_column("isic_code")
