"""Indexes: soft-deleted residents and referrals by date (report), residents by name (list)

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Without it, "not one of the deleted residents" read the whole resident table (every
# page decrypted) once per report query; the partial index holds only the few deleted ids.
DELETED = sa.text("deleted_at IS NOT NULL")
LIVE = sa.text("deleted_at IS NULL")
LISTED = sa.text("deleted_at IS NULL AND anonymised_at IS NULL")


def upgrade() -> None:
    op.create_index("ix_resident_deleted", "resident", ["id"], sqlite_where=DELETED, postgresql_where=DELETED)
    op.create_index("ix_referral_period", "referral", ["referred_on"], sqlite_where=LIVE, postgresql_where=LIVE)
    # The residents list in its order: a page is read from here, never sorted from the table.
    op.create_index(
        "ix_resident_order",
        "resident",
        ["family_name", "given_name", "pk"],
        sqlite_where=LISTED,
        postgresql_where=LISTED,
    )


def downgrade() -> None:
    op.drop_index("ix_resident_order", "resident")
    op.drop_index("ix_referral_period", "referral")
    op.drop_index("ix_resident_deleted", "resident")
