"""The ladder summary carries each placement's groeipotentieel too (SQLite), so the report
counts residents with room to grow without reading the history rows

Each entry becomes "yyyy-mm-dd" + step + potential (0: none recorded), twelve characters.

Revision ID: 0012
Revises: 0011
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_ORDER = "measured_on, created_at, step"


def _entry(row: str = "") -> str:
    return f"{row}measured_on || {row}step || coalesce({row}potential, 0)"


def _rebuild(row: str, entry: str) -> str:
    return f"""
        INSERT INTO ladder_summary (resident_id, ladder, history)
        VALUES ({row}.resident_id, {row}.ladder, coalesce((
            SELECT group_concat({entry}, '' ORDER BY {_ORDER}) FROM ladderstep
            WHERE resident_id = {row}.resident_id AND ladder = {row}.ladder AND deleted_at IS NULL), ''))
        ON CONFLICT (resident_id, ladder) DO UPDATE SET history = excluded.history;"""


def _triggers(entry: str, width: int, columns: str) -> list[str]:
    after_last = f"""NEW.deleted_at IS NULL AND NEW.measured_on > coalesce((
        SELECT substr(history, -{width}, 10) FROM ladder_summary
        WHERE resident_id = NEW.resident_id AND ladder = NEW.ladder), '')"""
    new_entry = entry.replace("measured_on", "NEW.measured_on").replace("step", "NEW.step")
    new_entry = new_entry.replace("(potential", "(NEW.potential")
    return [
        *(f"DROP TRIGGER IF EXISTS ladder_summary_{t}" for t in ("append", "insert", "update", "delete")),
        f"""CREATE TRIGGER ladder_summary_append AFTER INSERT ON ladderstep WHEN {after_last} BEGIN
            INSERT INTO ladder_summary (resident_id, ladder, history)
            VALUES (NEW.resident_id, NEW.ladder, {new_entry})
            ON CONFLICT (resident_id, ladder) DO UPDATE SET history = history || excluded.history;
        END""",
        f"""CREATE TRIGGER ladder_summary_insert AFTER INSERT ON ladderstep WHEN NOT ({after_last}) BEGIN
            {_rebuild("NEW", entry)}
        END""",
        f"""CREATE TRIGGER ladder_summary_update AFTER UPDATE OF {columns} ON ladderstep BEGIN
            {_rebuild("OLD", entry)}
            {_rebuild("NEW", entry)}
        END""",
        f"""CREATE TRIGGER ladder_summary_delete AFTER DELETE ON ladderstep BEGIN
            {_rebuild("OLD", entry)}
        END""",
        "DELETE FROM ladder_summary",
        f"""INSERT INTO ladder_summary (resident_id, ladder, history)
            SELECT resident_id, ladder, group_concat({entry}, '' ORDER BY {_ORDER})
            FROM ladderstep WHERE deleted_at IS NULL GROUP BY resident_id, ladder""",
    ]


COLUMNS = "resident_id, ladder, step, measured_on, created_at, deleted_at"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # other databases fold the history rows (queries.report_ladders)
    for statement in _triggers(_entry(), 12, COLUMNS + ", potential"):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _triggers("measured_on || step", 11, COLUMNS):
        op.execute(statement)
