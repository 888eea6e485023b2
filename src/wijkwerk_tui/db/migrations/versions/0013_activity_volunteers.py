"""A resident linked to a group activity is a participant or a volunteer, so the report can
count unique volunteers (not only how many came each time)

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "activityresident", sa.Column("role", sa.String(length=20), nullable=False, server_default="participant")
    )


def downgrade() -> None:
    op.drop_column("activityresident", "role")
