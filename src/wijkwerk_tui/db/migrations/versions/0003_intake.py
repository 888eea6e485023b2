"""Quick intake: spelling-tolerant name key, signal categories on anonymous contacts, drafts

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from wijkwerk_tui.domain.names import phonetic_key

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("resident") as batch:
        batch.add_column(sa.Column("name_key", sa.String(length=120), nullable=False, server_default=""))
        batch.create_index("ix_resident_name_key", ["name_key"], unique=False)
    with op.batch_alter_table("contact") as batch:
        batch.add_column(sa.Column("signal_categories", sa.String(length=400), nullable=False, server_default=""))
    op.create_table(
        "draft",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("draft") as batch:
        batch.create_index("ix_draft_worker_id", ["worker_id"], unique=False)
    # Backfill the key for residents that already exist.
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT pk, family_name FROM resident WHERE family_name != ''")).all()
    if rows:
        bind.execute(
            sa.text("UPDATE resident SET name_key = :key WHERE pk = :pk"),
            [{"key": phonetic_key(family), "pk": pk} for pk, family in rows],
        )


def downgrade() -> None:
    op.drop_table("draft")
    with op.batch_alter_table("contact") as batch:
        batch.drop_column("signal_categories")
    with op.batch_alter_table("resident") as batch:
        batch.drop_index("ix_resident_name_key")
        batch.drop_column("name_key")
