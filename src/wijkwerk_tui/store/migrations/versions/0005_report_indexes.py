"""Covering indexes for the period report (ladder histories, contacts in a period)

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    # Read in index order, the last row per resident is the step in force ("later entry wins").
    op.create_index("ix_ladderstep_history", "ladderstep", ["ladder", "resident_id", "measured_on", "created_at", "step"],
                    sqlite_where=LIVE, postgresql_where=LIVE)
    op.create_index("ix_contact_period", "contact", ["contact_on", "area_id", "kind", "resident_id", "is_story"],
                    sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade() -> None:
    op.drop_index("ix_contact_period", "contact")
    op.drop_index("ix_ladderstep_history", "ladderstep")
