"""A canonical dump of what syncs, the same for a laptop's SQLite and the hub's PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from wijkwerk_tui.db.sync_codec import SYNCED, encode, synced_columns, table_of


def canonical(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    dump: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for name in SYNCED:
            table = table_of(name)
            if name == "orgsetting":
                # Every laptop made its own row of a key at setup: the laptops keep theirs (an
                # alias of the hub's), so the key and the value are what must be equal.
                rows = connection.execute(select(table.c.key, table.c.value).order_by(table.c.key)).all()
                dump[name] = [tuple(row) for row in rows]
                continue
            columns = [table.c[c] for c in synced_columns(name)]
            rows = connection.execute(select(*columns).order_by(table.c.id)).all()
            dump[name] = [tuple(encode(v) for v in row) for row in rows]
    return dump
