"""Covering indexes for the period report (ladder histories, contacts in a period, live residents)

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


# On SQLite dates and entry times are ISO text, so "date + entry time + step" sorts like the
# history and its maximum per resident is the step in force (see queries.report_data). An
# index on that expression hands the report those keys ready-made.
FOLD_KEY = "(measured_on || created_at || step)"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"CREATE INDEX ix_ladderstep_fold ON ladderstep (ladder, resident_id, {FOLD_KEY}) WHERE deleted_at IS NULL"
        )
    else:  # the portable fold reads the history in this order
        op.create_index(
            "ix_ladderstep_history",
            "ladderstep",
            ["ladder", "resident_id", "measured_on", "created_at", "step"],
            postgresql_where=LIVE,
        )
    op.create_index(
        "ix_contact_period",
        "contact",
        ["contact_on", "area_id", "kind", "resident_id", "is_story"],
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )
    op.create_index("ix_resident_live_area", "resident", ["id", "area_id"], sqlite_where=LIVE, postgresql_where=LIVE)
    # SQLite keeps booleans as 0/1; PostgreSQL compares a boolean with no integer.
    op.create_index(
        "ix_contact_story",
        "contact",
        ["contact_on"],
        sqlite_where=sa.text("is_story = 1 AND deleted_at IS NULL"),
        postgresql_where=sa.text("is_story AND deleted_at IS NULL"),
    )
    op.create_index(
        "ix_signal_report",
        "signal",
        ["noticed_on", "area_id", "category", "closed_on", "resident_id"],
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


def downgrade() -> None:
    op.drop_index("ix_signal_report", "signal")
    op.drop_index("ix_contact_story", "contact")
    op.drop_index("ix_resident_live_area", "resident")
    op.drop_index("ix_contact_period", "contact")
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_ladderstep_fold", "ladderstep")
    else:
        op.drop_index("ix_ladderstep_history", "ladderstep")
