"""A laptop that joins with no residents takes the organisation in without its secondary
indexes and triggers, and builds them once at the end.

Kept up row by row, the resident's indexes, the search index's triggers and the ladder
summary's cost a fifth of a joining laptop's own work (400 000 changes taken in offline: 75 s
with them, about 60 s without; BENCHMARKS.md); built at the end, SQLite sorts each index once
and the summary and search index are one statement each.
What was dropped waits in this laptop's settings, written in the transaction that drops it,
so a laptop stopped halfway (kill -9, power) gets it back the next time it opens the file
(`db.engine`). Unique indexes stay (they keep the data right, not only fast), and so do
the ones that find a resident's rows (`_LOOKUP`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Connection, text

SUSPENDED = "hub.suspended_schema"  # laptop setting: JSON list of [type, name, table, sql]

# Named by queries (`INDEXED BY`): SQLite refuses a query whose index is missing.
KEEP = frozenset({"ix_resident_live_area", "ix_contact_period"})
# An index that starts with an id (`resident_id`, `signal_id`, `row_id`, `merged_into`) finds a row's rows:
# taking in an erasure or a merge asks it, and without it would read a whole table each time.
_LOOKUP = re.compile(r"^CREATE INDEX \w+ ON \w+ \((?:id|\w+_id|merged_into)\b")

# The triggers that may go, by name, with what builds in one go what they keep up row by row:
# the ladder summary as migration 0012 makes it, the search index (0002). Other triggers stay.
_REBUILT_BY = {
    "ladder_summary_": [
        "DELETE FROM ladder_summary",
        """INSERT INTO ladder_summary (resident_id, ladder, history)
        SELECT resident_id, ladder, group_concat(
            measured_on || step || coalesce(potential, 0), '' ORDER BY measured_on, created_at, step)
        FROM ladderstep WHERE deleted_at IS NULL GROUP BY resident_id, ladder""",
    ],
    "resident_fts_": ["INSERT INTO resident_fts(resident_fts) VALUES ('rebuild')"],
}


def suspend(connection: Connection) -> int:
    """Drop the secondary indexes and the triggers, noting their SQL in the same transaction.
    Returns how many were dropped."""
    rows = connection.exec_driver_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE sql IS NOT NULL AND (type = 'trigger' OR (type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%'))"
    ).all()
    dropped = [list(row) for row in rows if _may_go(*row)]
    if not dropped:
        return 0
    _note(connection, dropped + _noted(connection))
    for kind, name, _table, _sql in dropped:
        connection.exec_driver_sql(f'DROP {"TRIGGER" if kind == "trigger" else "INDEX"} "{name}"')
    return len(dropped)


def restore(connection: Connection, but: str | None = None) -> None:
    """Build again what `suspend` dropped, except the indexes and triggers of the table `but`
    (a joining laptop builds the resident's, and his search index, after writing his derived
    columns). The ladder summary and the search index are rebuilt before their triggers come
    back, so both hold what the triggers would have made."""
    noted = _noted(connection)
    now = [entry for entry in noted if entry[2] != but]
    if not now:
        return
    for prefix in sorted({_rebuilt_by(entry[1]) for entry in now if entry[0] == "trigger"}):
        for statement in _REBUILT_BY[prefix]:
            connection.exec_driver_sql(statement)
    for kind, _name, _table, sql in now:
        connection.exec_driver_sql(_if_not_exists(kind, sql))
    _note(connection, [entry for entry in noted if entry not in now])


def _may_go(kind: str, name: str, _table: str, sql: str) -> bool:
    if kind == "trigger":
        return bool(_rebuilt_by(name))
    return name not in KEEP and not _LOOKUP.match(sql)


def _rebuilt_by(trigger: str) -> str:
    return next((prefix for prefix in _REBUILT_BY if trigger.startswith(prefix)), "")


def _if_not_exists(kind: str, sql: str) -> str:
    head = "CREATE TRIGGER " if kind == "trigger" else "CREATE INDEX "
    if not sql.startswith(head):  # (sqlite_master keeps the statement as it was written)
        raise ValueError("unexpected schema statement")
    return head + "IF NOT EXISTS " + sql[len(head) :]


def _noted(connection: Connection) -> list[list[Any]]:
    value = connection.execute(text("SELECT value FROM setting WHERE key = :k"), {"k": SUSPENDED}).scalar()
    return list(json.loads(value)) if value else []


def _note(connection: Connection, entries: list[list[Any]]) -> None:
    connection.execute(text("DELETE FROM setting WHERE key = :k"), {"k": SUSPENDED})
    if entries:
        connection.execute(
            text("INSERT INTO setting (key, value) VALUES (:k, :v)"), {"k": SUSPENDED, "v": json.dumps(entries)}
        )
