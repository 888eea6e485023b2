"""Each laptop holds only what its workers need (issue 18): a laptop's areas (set with its
invitation or later at the hub) and the residents the hub knows it holds

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("hubdevice", sa.Column("areas", sa.Text(), nullable=False, server_default=""))
    bigint = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.add_column("hubdevice", sa.Column("areas_from", bigint, nullable=False, server_default="0"))
    op.add_column("hubinvite", sa.Column("areas", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "hubscope",
        sa.Column("device_id", sa.String(length=36), primary_key=True),
        sa.Column("resident_id", sa.Uuid(), primary_key=True),
    )
    op.create_index("ix_hubchange_device_id", "hubchange", ["device_id"])


def downgrade() -> None:
    op.drop_index("ix_hubchange_device_id", "hubchange")
    op.drop_table("hubscope")
    with op.batch_alter_table("hubinvite") as batch:
        batch.drop_column("areas")
    with op.batch_alter_table("hubdevice") as batch:
        batch.drop_column("areas_from")
        batch.drop_column("areas")
