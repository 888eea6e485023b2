"""What a laptop pulls: the hub's change log after the laptop's cursor, in the hub's order."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, select

from wijkwerk_tui.db.sync_tables import HubChange, HubConflict, core

PAGE = 5000
_CHANGE = core(HubChange)


def changes_after(engine: Engine, after: int, limit: int = PAGE) -> tuple[list[dict[str, Any]], bool]:
    """Up to `limit` changes after `after`, and whether more follow."""
    limit = max(1, min(limit, PAGE * 5))
    with engine.connect() as connection:
        rows = connection.execute(
            select(_CHANGE).where(_CHANGE.c.seq > after).order_by(_CHANGE.c.seq).limit(limit + 1)
        ).all()
    more = len(rows) > limit
    return [
        {
            "seq": row.seq,
            "id": str(row.change_id),
            "table": row.table_name,
            "row": str(row.row_id),
            "kind": row.kind,
            "fields": json.loads(row.fields),
            "version": row.version,
            "hlc": row.hlc,
            "device": row.device_id,
            "worker": str(row.worker_id) if row.worker_id else None,
        }
        for row in rows[:limit]
    ], more


def open_conflicts(engine: Engine) -> list[dict[str, Any]]:
    """Every conflict nobody has decided yet: each laptop shows them to whom they concern."""
    table = core(HubConflict)
    with engine.connect() as connection:
        rows = connection.execute(select(table).where(table.c.resolved_at.is_(None)).order_by(table.c.made_at))
        return [
            {
                column: (str(value) if value is not None and not isinstance(value, str) else value)
                for column, value in row._mapping.items()
            }
            for row in rows
        ]
