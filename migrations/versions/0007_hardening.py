"""hardening: email back-off and confirmation; emails normalised, clashes reported

Revision ID: 0007_hardening
Revises: 0006_matching_state
Create Date: 2026-11-30 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mentormatch.models.types


revision: str = '0007_hardening'
down_revision: str | None = '0006_matching_state'
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
    _normalise_emails()


def _normalise_emails() -> None:
    """Write every email address in the one form the app now compares (NFC local part,
    Unicode domain, lower case). Addresses that become equal belong to one mailbox with
    two accounts: they are printed for a coordinator to resolve and left as they are;
    nothing is merged or deleted."""
    from collections import defaultdict

    from mentormatch.models.users import normalize_email

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, email FROM users WHERE email IS NOT NULL ORDER BY id"))
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for user_id, email in rows:
        groups[normalize_email(email) or email].append((user_id, email))
    clashes = {key: members for key, members in groups.items() if len(members) > 1}
    for key, members in groups.items():
        if len(members) == 1 and members[0][1] != key:
            conn.execute(
                sa.text("UPDATE users SET email = :email WHERE id = :id"),
                {"email": key, "id": members[0][0]},
            )
    if clashes:
        count = len(clashes)
        print(
            f"{count} email {'addresses are' if count > 1 else 'address is'} used by more than "
            "one account once written in one form. Nothing was changed for them; decide which "
            "account each person keeps, then change or deactivate the other:"
        )
        for key, members in clashes.items():
            ids = ", ".join(str(user_id) for user_id, _ in members)
            forms = ", ".join(repr(email) for _, email in members)
            print(f"  {key}: users {ids} (stored as {forms})")


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed_at')

    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_emails_next_attempt_at'))
        batch_op.drop_column('next_attempt_at')
