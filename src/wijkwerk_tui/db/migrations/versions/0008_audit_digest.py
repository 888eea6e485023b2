"""Audit entries say which digest covers them: 2 covers every column, the sequence number too

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Entries written before keep their hash (digest 1); recomputing them would launder any
    # edit made before this upgrade. The number is itself covered by digest 2, so moving an
    # entry from one to the other breaks the chain.
    op.add_column("auditevent", sa.Column("digest", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("auditevent") as batch:
        batch.drop_column("digest")
