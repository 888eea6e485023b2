"""Per resident and ladder, the whole placement history in one short row (SQLite)

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# `history` is the resident's placements on one ladder, oldest first (the later entry of
# one day after the earlier), as fixed-width "yyyy-mm-dd" + step (steps are one digit):
# "2025-01-0322025-06-113". The period report reads ~100 000 of these instead of folding
# ~1 million history rows (queries.report_data). Triggers keep it, like the FTS index, so
# every writer (forms, intake, demo, erasure) is covered; a history is rebuilt from its
# rows except in the common case of a placement after the last one, which is appended.
_ORDER = "measured_on, created_at, step"


def _rebuild(row: str) -> str:
    return f"""
        INSERT INTO ladder_summary (resident_id, ladder, history)
        VALUES ({row}.resident_id, {row}.ladder, coalesce((
            SELECT group_concat(measured_on || step, '' ORDER BY {_ORDER}) FROM ladderstep
            WHERE resident_id = {row}.resident_id AND ladder = {row}.ladder AND deleted_at IS NULL), ''))
        ON CONFLICT (resident_id, ladder) DO UPDATE SET history = excluded.history;"""


_AFTER_LAST = """NEW.deleted_at IS NULL AND NEW.measured_on > coalesce((
    SELECT substr(history, -11, 10) FROM ladder_summary
    WHERE resident_id = NEW.resident_id AND ladder = NEW.ladder), '')"""

_STATEMENTS = [
    """CREATE TABLE ladder_summary (
        resident_id CHAR(32) NOT NULL,
        ladder VARCHAR NOT NULL,
        history TEXT NOT NULL,
        PRIMARY KEY (resident_id, ladder)
    ) WITHOUT ROWID""",
    f"""CREATE TRIGGER ladder_summary_append AFTER INSERT ON ladderstep WHEN {_AFTER_LAST} BEGIN
        INSERT INTO ladder_summary (resident_id, ladder, history)
        VALUES (NEW.resident_id, NEW.ladder, NEW.measured_on || NEW.step)
        ON CONFLICT (resident_id, ladder) DO UPDATE SET history = history || excluded.history;
    END""",
    f"""CREATE TRIGGER ladder_summary_insert AFTER INSERT ON ladderstep WHEN NOT ({_AFTER_LAST}) BEGIN
        {_rebuild("NEW")}
    END""",
    f"""CREATE TRIGGER ladder_summary_update AFTER UPDATE OF resident_id, ladder, step, measured_on, created_at,
        deleted_at ON ladderstep BEGIN
        {_rebuild("OLD")}
        {_rebuild("NEW")}
    END""",
    f"""CREATE TRIGGER ladder_summary_delete AFTER DELETE ON ladderstep BEGIN
        {_rebuild("OLD")}
    END""",
    f"""INSERT INTO ladder_summary (resident_id, ladder, history)
        SELECT resident_id, ladder, group_concat(measured_on || step, '' ORDER BY {_ORDER})
        FROM ladderstep WHERE deleted_at IS NULL GROUP BY resident_id, ladder""",
    # The report's old way in, now unused.
    "DROP INDEX ix_ladderstep_fold",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # other databases fold the history rows (queries.report_data.ladder_pairs_portable)
    for statement in _STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("append", "insert", "update", "delete"):
        op.execute(f"DROP TRIGGER ladder_summary_{trigger}")
    op.execute("DROP TABLE ladder_summary")
    op.execute(
        "CREATE INDEX ix_ladderstep_fold ON ladderstep "
        "(ladder, resident_id, (measured_on || created_at || step)) WHERE deleted_at IS NULL"
    )
