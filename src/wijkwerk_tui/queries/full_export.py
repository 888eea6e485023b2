"""Every table, every row: for the organisation to analyse its own data or move elsewhere.

Personal data is included (this is the coordinator's export, not a report); soft-deleted
rows are included (`exchange.full_export` marks them). The export itself is audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import SQLModel

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.store import audit
from wijkwerk_tui.store.access import require_role


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


# Not data about residents or the work, and not for a file outside the database: what a
# passphrase guessed offline would open (the hashes; the wrapped key pairs, which read
# confidential signal text; a coordinator's copy of the organisation's key) and the intake
# drafts (half-typed, owned by one worker).
LEFT_OUT_TABLES = frozenset({"draft"})
LEFT_OUT_COLUMNS = frozenset({("worker", "passphrase_hash"), ("worker", "wrapped_key"), ("worker", "org_key")})


def tables() -> list[str]:
    return [t.name for t in SQLModel.metadata.sorted_tables if t.name not in LEFT_OUT_TABLES]


def rows(db: Database, actor: uuid.UUID | None, table_name: str, batch: int = 5000) -> Iterator[dict[str, Any]]:
    """The rows of one table as plain JSON-able dicts, in batches (a read session per call);
    coordinators only, like `begin`."""
    if table_name in LEFT_OUT_TABLES:
        raise ValueError(table_name)
    table = SQLModel.metadata.tables[table_name]
    columns = [c for c in table.columns if (table_name, c.name) not in LEFT_OUT_COLUMNS]
    with db.reading() as session:
        require_role(session, actor, "full_export")
        result = session.connection().execute(select(*columns)).mappings()
        for row in result.yield_per(batch) if hasattr(result, "yield_per") else result:
            yield {key: _plain(value) for key, value in row.items()}


def begin(db: Database, actor: uuid.UUID | None, fmt: str) -> list[str]:
    """Check the role and log the export before anything is written; returns the table names."""
    with db.transaction() as session:
        require_role(session, actor, "full_export")
        audit.record(session, db, actor, "export.full", detail=f"format={fmt}")
    return tables()
