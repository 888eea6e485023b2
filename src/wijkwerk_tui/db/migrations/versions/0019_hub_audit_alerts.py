"""The hub as the audit's anchor: an audit chain that does not go on from what the hub held of
it is flagged (hub.audit_anchor), and only a laptop that showed an older epoch goes on as a new
device; each laptop's key for the proof of its revocation

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hubauditalert",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("chain", sa.String(length=36), nullable=False),
        sa.Column("sender", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("device_seq", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_hubauditalert_chain", "hubauditalert", ["chain"])
    op.add_column("hubdevice", sa.Column("wipe_key", sa.String(length=64), nullable=False, server_default=""))
    op.add_column("hubdevice", sa.Column("rewound_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hubdevice") as batch:
        batch.drop_column("rewound_at")
        batch.drop_column("wipe_key")
    op.drop_index("ix_hubauditalert_chain", table_name="hubauditalert")
    op.drop_table("hubauditalert")
