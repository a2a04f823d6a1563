"""Matching data version: a counter row and a log of changed profiles (issue 10).

Revision ID: 0006_matching_state
Revises: 0005_rates
Create Date: 2026-11-30 08:30:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import mentormatch.models.types

revision: str = "0006_matching_state"
down_revision: str | None = "0005_rates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    state = op.create_table(
        "matching_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", mentormatch.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matching_state")),
    )
    op.create_table(
        "matching_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column(
            "side",
            sa.Enum("entrepreneur", "diaspora", "all", name="changedside", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matching_changes")),
    )
    with op.batch_alter_table("matching_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_matching_changes_version"), ["version"], unique=False)
        batch_op.create_index("ix_matching_changes_side_profile", ["side", "profile_id"], unique=False)
    op.bulk_insert(state, [{"id": 1, "version": 1, "changed_at": datetime.now(UTC)}])


def downgrade() -> None:
    with op.batch_alter_table("matching_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_matching_changes_side_profile")
        batch_op.drop_index(batch_op.f("ix_matching_changes_version"))
    op.drop_table("matching_changes")
    op.drop_table("matching_state")
