"""The organisation's key: the keys offered at the hub (one accepted by its operator), each
account's signature by it, and coordinators' wrapped copies of its private half

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("worker", sa.Column("signature", sa.String(length=200), nullable=False, server_default=""))
    op.add_column("worker", sa.Column("org_key", sa.String(length=1000), nullable=False, server_default=""))
    op.create_table(
        "hubtrust",
        sa.Column("public_key", sa.String(length=100), nullable=False),
        sa.Column("made_by", sa.Uuid(), nullable=False),
        sa.Column("wrapped", sa.Text(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("public_key"),
        sa.UniqueConstraint("made_by"),
    )


def downgrade() -> None:
    op.drop_table("hubtrust")
    with op.batch_alter_table("worker") as batch:
        batch.drop_column("org_key")
        batch.drop_column("signature")
