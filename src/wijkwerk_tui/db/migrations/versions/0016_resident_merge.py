"""Samenvoegen: a resident merged into another keeps a pointer to the one he became

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no foreign key): SQLite needs no rebuild of `resident`, whose
    # full-text triggers a rebuild would drop.
    op.add_column("resident", sa.Column("merged_into", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("resident") as batch:
        batch.drop_column("merged_into")
