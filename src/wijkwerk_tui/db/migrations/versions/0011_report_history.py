"""What past reports need to stay true: where a referral was made and whether it was ever
sent, residents' moves between areas, undone signal closings, and frozen (vastgestelde)
reports. Existing referrals get the resident's current area (the one approximation) and a
sent date when their status or a partner's answer shows they went out.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _stamped() -> list[sa.Column[object]]:
    """The columns every synced row has (db.tables.Row)."""
    return [
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), sa.ForeignKey("worker.id"), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("id", sa.Uuid(), primary_key=True),
    ]


def upgrade() -> None:
    # Added in place (no batch copy of the table: signals point at referrals, and SQLite may
    # not drop a table others point at while foreign keys are enforced).
    if op.get_bind().dialect.name == "sqlite":  # Alembic adds no constraint there: the column carries it
        op.execute("ALTER TABLE referral ADD COLUMN area_id CHAR(32) REFERENCES area (id)")
    else:
        op.add_column("referral", sa.Column("area_id", sa.Uuid(), nullable=True))
        op.create_foreign_key("fk_referral_area_id_area", "referral", "area", ["area_id"], ["id"])
    op.add_column("referral", sa.Column("sent_on", sa.Date(), nullable=True))
    op.execute("UPDATE referral SET area_id = (SELECT area_id FROM resident WHERE resident.id = referral.resident_id)")
    op.execute(
        "UPDATE referral SET sent_on = referred_on WHERE status IN ('sent', 'accepted', 'completed')"
        " OR (status = 'rejected' AND feedback_on IS NOT NULL)"
    )
    op.create_table(
        "residentmove",
        *_stamped(),
        sa.Column("resident_id", sa.Uuid(), sa.ForeignKey("resident.id"), nullable=False),
        sa.Column("from_area_id", sa.Uuid(), sa.ForeignKey("area.id"), nullable=True),
        sa.Column("to_area_id", sa.Uuid(), sa.ForeignKey("area.id"), nullable=True),
        sa.Column("moved_on", sa.Date(), nullable=False),
    )
    op.create_index("ix_residentmove_resident_id", "residentmove", ["resident_id"])
    op.create_index("ix_residentmove_moved_on", "residentmove", ["moved_on"])
    op.create_table(
        "signalreopening",
        *_stamped(),
        sa.Column("signal_id", sa.Uuid(), sa.ForeignKey("signal.id"), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=False),
        sa.Column("close_reason", sa.String(length=40), nullable=True),
        sa.Column("reopened_on", sa.Date(), nullable=False),
    )
    op.create_index("ix_signalreopening_signal_id", "signalreopening", ["signal_id"])
    op.create_index("ix_signalreopening_closed_on", "signalreopening", ["closed_on"])
    op.create_table(
        "frozenreport",
        *_stamped(),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("area_id", sa.Uuid(), sa.ForeignKey("area.id"), nullable=True),
        sa.Column("run_on", sa.Date(), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("hidden", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
    )
    _indexes(wide=True)


# The report's covering indexes, widened for what it reads now: contact minutes (hours of
# effort), signal urgency and source, and residents' birth year and date (age groups).
WIDER = {
    "ix_contact_period": ("contact", ["contact_on", "area_id", "kind", "resident_id", "is_story"], ["duration_min"]),
    "ix_signal_report": (
        "signal",
        ["noticed_on", "area_id", "category", "closed_on", "resident_id"],
        ["urgency", "source"],
    ),
    "ix_resident_live_area": ("resident", ["id", "area_id"], ["birth_year", "birth_date"]),
}
LIVE = sa.text("deleted_at IS NULL")


def _indexes(wide: bool) -> None:
    for name, (table, columns, more) in WIDER.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns + (more if wide else []), sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade() -> None:
    _indexes(wide=False)
    op.drop_table("frozenreport")
    op.drop_table("signalreopening")
    op.drop_table("residentmove")
    op.drop_column("referral", "sent_on")
    op.drop_column("referral", "area_id")
