"""Every row has a version number, raised by every change (lost updates between two windows;
the base version sync sends)

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = (
    "area",
    "worker",
    "resident",
    "ladderstep",
    "partner",
    "referral",
    "signal",
    "meldcodestep",
    "contact",
    "goal",
    "groupactivity",
    "activityresident",
)


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
