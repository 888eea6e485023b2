"""Each worker's own key pair: its public half (signed with the account) and its private
halves wrapped by his passphrase (crypto.worker_key); both travel with the account

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("worker", sa.Column("public_key", sa.String(length=100), nullable=False, server_default=""))
    op.add_column("worker", sa.Column("wrapped_key", sa.String(length=1000), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("worker") as batch:
        batch.drop_column("wrapped_key")
        batch.drop_column("public_key")
