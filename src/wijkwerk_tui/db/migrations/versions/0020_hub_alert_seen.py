"""A coordinator marks the hub's audit alerts handled: who and when; an index of the residents
merged into another (the kept one's file counts them as it opens)

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

MERGED = sa.text("merged_into IS NOT NULL")


def upgrade() -> None:
    op.add_column("hubauditalert", sa.Column("seen_at", sa.DateTime(), nullable=True))
    op.add_column("hubauditalert", sa.Column("seen_by", sa.String(length=120), nullable=False, server_default=""))
    op.add_column("hubauditalert", sa.Column("seen_device", sa.String(length=36), nullable=False, server_default=""))
    op.create_index("ix_resident_merged", "resident", ["merged_into"], sqlite_where=MERGED, postgresql_where=MERGED)


def downgrade() -> None:
    op.drop_index("ix_resident_merged", "resident")
    with op.batch_alter_table("hubauditalert") as batch:
        batch.drop_column("seen_device")
        batch.drop_column("seen_by")
        batch.drop_column("seen_at")
