"""Coaching loads get a version: web processes keep them between pages

Revision ID: 0012_loads_version
Revises: 0011_i18n
Create Date: 2026-11-30 21:00:00

`matching_state.loads_version` moves in the same transaction as any coaching pairing
entering or leaving the states that take a mentor's place, so a page reads the mentors'
loads again only when it moved (one primary-key lookup otherwise).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_loads_version"
down_revision: str | None = "0011_i18n"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("matching_state") as batch:
        batch.add_column(
            sa.Column("loads_version", sa.BigInteger(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("matching_state") as batch:
        batch.drop_column("loads_version")
