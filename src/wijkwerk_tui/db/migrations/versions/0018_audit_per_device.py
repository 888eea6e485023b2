"""One audit chain per device: each entry's number within its laptop's chain, so entries that
come from other laptops through the hub never break this laptop's chain

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("auditevent", sa.Column("device_seq", sa.Integer(), nullable=False, server_default="0"))
    # The worker as the laptop that wrote the entry named him (its hash covers that id), when
    # this database knows him under another (two laptops each made "Anke Boerema").
    op.add_column("auditevent", sa.Column("origin_worker", sa.Uuid(), nullable=True))
    # Until now every entry in a file was its own laptop's, numbered in one line: the same numbers.
    op.execute("UPDATE auditevent SET device_seq = seq")
    op.create_index("ix_auditevent_device", "auditevent", ["device_id", "device_seq"])


def downgrade() -> None:
    op.drop_index("ix_auditevent_device", table_name="auditevent")
    with op.batch_alter_table("auditevent") as batch:
        batch.drop_column("origin_worker")
        batch.drop_column("device_seq")
