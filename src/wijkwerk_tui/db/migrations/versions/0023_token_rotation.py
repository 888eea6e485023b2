"""A device's next token (hub): handed out when a laptop rotates its token, and its only
token from the first request that shows it

Revision ID: 0023
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hubdevice") as batch:
        batch.add_column(sa.Column("token_next", sa.String(length=64), nullable=True))
        batch.create_unique_constraint("uq_hubdevice_token_next", ["token_next"])


def downgrade() -> None:
    with op.batch_alter_table("hubdevice") as batch:
        batch.drop_constraint("uq_hubdevice_token_next", type_="unique")
        batch.drop_column("token_next")
