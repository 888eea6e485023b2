"""Spreadsheet imports: each batch, and every row it made under its content-derived key, so a
second import adds nothing and an import can be undone as a whole

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
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
    op.create_table(
        "importbatch",
        *_stamped(),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_digest", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("undone_by", sa.Uuid(), sa.ForeignKey("worker.id"), nullable=True),
    )
    op.create_table(
        "importrecord",
        *_stamped(),
        sa.Column("batch_id", sa.Uuid(), sa.ForeignKey("importbatch.id"), nullable=False),
        sa.Column("import_key", sa.String(length=64), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_importrecord_batch_id", "importrecord", ["batch_id"])
    live = sa.text("deleted_at IS NULL")
    op.create_index(
        "ix_importrecord_live_key",
        "importrecord",
        ["import_key"],
        unique=True,
        sqlite_where=live,
        postgresql_where=live,
    )


def downgrade() -> None:
    op.drop_table("importrecord")
    op.drop_table("importbatch")
