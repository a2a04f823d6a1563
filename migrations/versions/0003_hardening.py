"""hardening: email back-off and confirmation; emails normalised, clashes reported

Revision ID: 0003_hardening
Revises: 0002_pairings
Create Date: 2026-11-30 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mentormatch.models.types


revision: str = '0003_hardening'
down_revision: str | None = '0002_pairings'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', mentormatch.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_emails_next_attempt_at'), ['next_attempt_at'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', mentormatch.models.types.UTCDateTime(timezone=True), nullable=True))
    # Accounts made before confirmation existed keep working: their address counts as confirmed.
    op.execute("UPDATE users SET email_confirmed_at = created_at WHERE email IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed_at')

    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_emails_next_attempt_at'))
        batch_op.drop_column('next_attempt_at')
