"""Accounts: each worker's Argon2id passphrase hash

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: no table rebuild, nothing to lose.
    op.add_column("worker", sa.Column("passphrase_hash", sa.String(length=200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("worker") as batch:
        batch.drop_column("passphrase_hash")
