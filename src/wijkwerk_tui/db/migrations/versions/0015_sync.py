"""Sync through the organisation's hub: the laptop's outbox and base versions; the hub's
devices, invitations, change log, field versions and conflicts

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    waiting = sa.text("pushed_at IS NULL")
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("change_id", sa.Uuid(), nullable=False, unique=True),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=True),
        sa.Column("pushed_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_outbox_waiting", "outbox", ["row_id"], sqlite_where=waiting, postgresql_where=waiting)
    op.create_table(
        "syncbase",
        sa.Column("row_id", sa.Uuid(), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_table(
        "hubdevice",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "hubinvite",
        sa.Column("code_hash", sa.String(length=64), primary_key=True),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("used_by", sa.String(length=36), nullable=True),
    )
    op.create_table(
        "hubchange",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("change_id", sa.Uuid(), nullable=False, unique=True),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=True),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_hubchange_row_id", "hubchange", ["row_id"])
    op.create_table(
        "hubfield",
        sa.Column("table_name", sa.String(length=40), primary_key=True),
        sa.Column("row_id", sa.Uuid(), primary_key=True),
        sa.Column("field", sa.String(length=60), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=True),
        sa.Column("hlc", sa.String(length=80), nullable=False),
    )
    op.create_table(
        "hubconflict",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("hub_value", sa.Text(), nullable=False),
        sa.Column("hub_device", sa.String(length=36), nullable=False),
        sa.Column("hub_worker", sa.Uuid(), nullable=True),
        sa.Column("hub_hlc", sa.String(length=80), nullable=False),
        sa.Column("their_value", sa.Text(), nullable=False),
        sa.Column("their_device", sa.String(length=36), nullable=False),
        sa.Column("their_worker", sa.Uuid(), nullable=True),
        sa.Column("their_hlc", sa.String(length=80), nullable=False),
        sa.Column("change_id", sa.Uuid(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.Uuid(), nullable=True),
    )
    op.create_index("ix_hubconflict_row_id", "hubconflict", ["row_id"])


def downgrade() -> None:
    for table in ("hubconflict", "hubfield", "hubchange", "hubinvite", "hubdevice", "syncbase", "outbox"):
        op.drop_table(table)
