"""Device epochs (the hub notices a laptop restored from a backup or copied to another), and
the organisation's settings in a table of their own that syncs; the laptop's own stay behind

Revision ID: 0017
Revises: 0016
"""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# The organisation's settings when this migration was written (store.settings.is_organisation).
_ORGANISATION = ("organisation", "lock_minutes", "retention_years")


def upgrade() -> None:
    op.add_column("hubdevice", sa.Column("epoch", sa.String(length=64), nullable=False, server_default=""))
    op.add_column("hubdevice", sa.Column("epoch_next", sa.String(length=64), nullable=True))
    op.add_column("hubdevice", sa.Column("copied_from", sa.String(length=36), nullable=True))
    orgsetting = op.create_table(
        "orgsetting",
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), sa.ForeignKey("worker.id"), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("key", sa.String(length=100), nullable=False, unique=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    connection = op.get_bind()
    setting = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.Text))
    moved = [
        (key, value)
        for key, value in connection.execute(sa.select(setting.c.key, setting.c.value))
        if key in _ORGANISATION or key.startswith("ladder_labels.")
    ]
    device = connection.execute(sa.select(setting.c.value).where(setting.c.key == "device_id")).scalar() or ""
    now = datetime.now(UTC).replace(tzinfo=None)  # stored as UTC without zone, like UTCDateTime
    if moved:
        op.bulk_insert(
            orgsetting,
            [
                {"id": uuid.uuid4(), "key": k, "value": v, "device_id": device, "created_at": now, "updated_at": now}
                for k, v in moved
            ],
        )
        connection.execute(sa.delete(setting).where(setting.c.key.in_([k for k, _v in moved])))


def downgrade() -> None:
    connection = op.get_bind()
    orgsetting = sa.table("orgsetting", sa.column("key", sa.String), sa.column("value", sa.Text))
    setting = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.Text))
    rows = [{"key": k, "value": v} for k, v in connection.execute(sa.select(orgsetting.c.key, orgsetting.c.value))]
    if rows:
        op.bulk_insert(setting, rows)
    op.drop_table("orgsetting")
    with op.batch_alter_table("hubdevice") as batch:
        batch.drop_column("copied_from")
        batch.drop_column("epoch_next")
        batch.drop_column("epoch")
