"""New rows with nothing to decide, written many at a time: a laptop's first upload brings
every row it holds, and an import thousands. Everything else goes through `merge._apply`
one change at a time, after the rows before it are written (`flush`)."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlmodel import col

from wijkwerk_tui.db.sync_codec import UNIQUE_NAMES, table_of
from wijkwerk_tui.db.sync_tables import HubChange, core
from wijkwerk_tui.db.tables import Resident
from wijkwerk_tui.hub.changes import Incoming, log_row, translate, wipe

CHUNK = 1000
_CHANGE = core(HubChange)


class NewRows:
    def __init__(self, connection: Connection, changes: list[Incoming]) -> None:
        self.connection = connection
        self.rows: list[tuple[Table, dict[str, Any]]] = []
        self.logs: list[dict[str, Any]] = []
        inserts = [c for c in changes if c.kind == "insert"]
        self.existing = self._existing(inserts)
        self.erased = self._erased(inserts)

    def _existing(self, inserts: list[Incoming]) -> set[uuid.UUID]:
        found: set[uuid.UUID] = set()
        by_table = itertools.groupby(sorted(inserts, key=lambda c: c.table_name), key=lambda c: c.table_name)
        for name, group in by_table:
            table = table_of(name)
            ids = [c.row_id for c in group]
            for start in range(0, len(ids), CHUNK):
                query = select(table.c.id).where(table.c.id.in_(ids[start : start + CHUNK]))
                found.update(self.connection.execute(query).scalars())
        return found

    def _erased(self, inserts: list[Incoming]) -> set[uuid.UUID]:
        about = list({uuid.UUID(str(c.fields["resident_id"])) for c in inserts if c.fields.get("resident_id")})
        found: set[uuid.UUID] = set()
        for start in range(0, len(about), CHUNK):
            query = select(col(Resident.id)).where(
                col(Resident.id).in_(about[start : start + CHUNK]), col(Resident.anonymised_at).is_not(None)
            )
            found.update(self.connection.execute(query).scalars())
        return found

    def take(self, change: Incoming, device_id: str, aliases: dict[uuid.UUID, uuid.UUID], now: datetime) -> bool:
        """Queue a plain new row; False when the change needs a decision (`merge._apply`)."""
        if (
            change.kind != "insert"
            or change.table_name in UNIQUE_NAMES
            or change.table_name == "meldcodestep"  # about a resident through its signal
            or change.row_id in self.existing
        ):
            return False
        fields = translate(change.values, aliases)
        if fields.get("resident_id") in self.erased:
            fields = wipe(change.table_name, fields)
        table = table_of(change.table_name)
        kept = {"version": 1, "updated_at": now} if "version" in table.c else {}  # (an audit entry has neither)
        self.rows.append((table, {**fields, **kept}))
        self.logs.append(log_row(device_id, change, "insert", fields, 1, now))
        self.existing.add(change.row_id)
        return True

    def saw(self, change: Incoming) -> None:
        """A change `merge._apply` made: a row it added exists; a resident it erased is erased."""
        self.existing.add(change.row_id)
        if change.kind == "erase":
            self.erased.add(change.row_id)

    def flush(self) -> None:
        # Runs of one table at a time, in order: a resident before his placements.
        for table, group in itertools.groupby(self.rows, key=lambda item: item[0]):
            self.connection.execute(table.insert(), [values for _table, values in group])
        if self.logs:
            self.connection.execute(_CHANGE.insert(), self.logs)
        self.rows, self.logs = [], []
