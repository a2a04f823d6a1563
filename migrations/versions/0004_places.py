"""places: how an entrepreneur's region was found (chosen, resolved from the locality, or not)

Revision ID: 0004_places
Revises: 0003_vocabulary
Create Date: 2026-11-30 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004_places'
down_revision: str | None = '0003_vocabulary'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('entrepreneur_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_confidence', sa.Float(), nullable=True))
        # Existing rows: a region was always chosen from the list; without one, the
        # profile was matched at country level.
        batch_op.add_column(sa.Column(
            'region_source',
            sa.Enum('chosen', 'resolved', 'unresolved', name='regionsource', native_enum=False, length=20),
            nullable=False,
            server_default='unresolved',
        ))
    op.execute(
        "UPDATE entrepreneur_profiles SET region_source = 'chosen' WHERE region_code IS NOT NULL"
    )
    with op.batch_alter_table('entrepreneur_profiles', schema=None) as batch_op:
        batch_op.alter_column('region_source', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('entrepreneur_profiles', schema=None) as batch_op:
        batch_op.drop_column('region_source')
        batch_op.drop_column('region_confidence')
