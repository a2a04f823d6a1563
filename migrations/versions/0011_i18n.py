"""i18n: each person's language and time zone

Revision ID: 0011_i18n
Revises: 0010_workspace
Create Date: 2026-11-30 09:50:00

People already registered get the time zone of the country they live in (an
entrepreneur's country, a diaspora member's country of residence); their language stays
unset, so pages follow their browser and messages stay in English until they choose.
"""

from collections.abc import Sequence

import pytz
import sqlalchemy as sa
from alembic import op

revision: str = "0011_i18n"
down_revision: str | None = "0010_workspace"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("time_zone", sa.String))
    homes = connection.execute(
        sa.text(
            "SELECT user_id, country_code FROM entrepreneur_profiles"
            " UNION ALL SELECT user_id, residence_country FROM diaspora_profiles"
        )
    )
    for user_id, country in homes:
        zones = pytz.country_timezones.get((country or "").upper())
        if zones:
            connection.execute(
                users.update().where(users.c.id == user_id).values(time_zone=zones[0])
            )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("time_zone")
        batch.drop_column("language")
