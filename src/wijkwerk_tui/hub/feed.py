"""What a laptop pulls: the hub's change log after the laptop's cursor, in the hub's order."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, select

from wijkwerk_tui.db.sync_tables import HubChange, HubConflict, core
from wijkwerk_tui.hub import scope

PAGE = 5000
_CHANGE = core(HubChange)


def changes_after(
    engine: Engine, after: int, limit: int = PAGE, device: str | None = None
) -> tuple[str, int, bool, int]:
    """Up to `limit` changes after `after` as a JSON array, how many, whether more follow, and
    the last change looked at (the laptop's next cursor). Each change's fields go in as the hub
    stored them (JSON it wrote itself, `changes.log_row`): parsing and re-encoding them took
    most of the hub's time when a laptop joined (profiled). `device`: a laptop with areas,
    sent only the changes of the residents it holds (hub.scope)."""
    limit = max(1, min(limit, PAGE * 5))
    with engine.connect() as connection:
        rows = connection.execute(
            select(_CHANGE).where(_CHANGE.c.seq > after).order_by(_CHANGE.c.seq).limit(limit + 1)
        ).all()
        more = len(rows) > limit
        rows = rows[:limit]
        last = int(rows[-1].seq) if rows else after
        page, regrow = scope.visible(connection, device, rows) if device else (rows, set())
    if device:
        scope.regrow(engine, device, regrow)
    items = [
        f'{{"seq":{int(row.seq)},"id":"{row.change_id}","table":{_text(row.table_name)},"row":"{row.row_id}",'
        f'"kind":{_text(row.kind)},"fields":{row.fields},"version":{int(row.version)},"hlc":{_text(row.hlc)},'
        f'"device":{_text(row.device_id)},"worker":{_text(str(row.worker_id)) if row.worker_id else "null"}}}'
        for row in page
    ]
    return "[" + ",".join(items) + "]", len(items), more, last


_text = json.JSONEncoder(ensure_ascii=False).encode  # a string as JSON


def open_conflicts(engine: Engine, device: str | None = None) -> list[dict[str, Any]]:
    """Every conflict nobody has decided yet: each laptop shows them to whom they concern (a
    laptop with areas only those of the residents it holds)."""
    table = core(HubConflict)
    with engine.connect() as connection:
        rows = connection.execute(select(table).where(table.c.resolved_at.is_(None)).order_by(table.c.made_at))
        found = [
            {
                column: (str(value) if value is not None and not isinstance(value, str) else value)
                for column, value in row._mapping.items()
            }
            for row in rows
        ]
        return scope.open_conflict_visible(connection, device, found) if device else found
