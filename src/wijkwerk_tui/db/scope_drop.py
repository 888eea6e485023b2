"""Dropping residents this laptop no longer serves (hub.scope): they and every row of theirs
leave this database, not the hub's. Nothing of it goes into the outbox.

Only when nothing waits to be pushed (a resident's unsent edit would be lost otherwise): the
drop is then simply asked for again at the next sync. The audit keeps its entries (ids only,
its chain covers them); the search index follows its table (triggers), and the pages freed
are overwritten (secure_delete) and the WAL folded back by the caller, as after an erasure.
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlmodel import Session, col

from wijkwerk_tui.db.resident_rows import BY_RESIDENT, BY_SIGNAL, RESIDENT
from wijkwerk_tui.db.sync_codec import table_of
from wijkwerk_tui.db.sync_tables import Outbox, SyncBase

CHUNK = 400  # ids per statement


def anything_waiting(session: Session) -> bool:
    return session.execute(select(col(Outbox.seq)).where(col(Outbox.pushed_at).is_(None)).limit(1)).first() is not None


def drop(session: Session, residents: list[uuid.UUID]) -> list[uuid.UUID]:
    """Delete these residents and their rows (and base versions); the ids this laptop held."""
    held: list[uuid.UUID] = []
    resident = table_of(RESIDENT)
    signal = table_of("signal")
    for start in range(0, len(residents), CHUNK):
        ids = residents[start : start + CHUNK]
        held += list(session.execute(select(resident.c.id).where(resident.c.id.in_(ids))).scalars())
        signals = select(signal.c.id).where(signal.c.resident_id.in_(ids))
        gone: list[uuid.UUID] = []
        for name in BY_SIGNAL:  # (before their signals: the foreign keys)
            table = table_of(name)
            gone += session.execute(delete(table).where(table.c.signal_id.in_(signals)).returning(table.c.id)).scalars()
        for name in BY_RESIDENT:
            table = table_of(name)
            gone += session.execute(delete(table).where(table.c.resident_id.in_(ids)).returning(table.c.id)).scalars()
        session.execute(delete(resident).where(resident.c.id.in_(ids)))
        gone += ids
        for part in range(0, len(gone), CHUNK):
            session.execute(delete(SyncBase).where(col(SyncBase.row_id).in_(gone[part : part + CHUNK])))
    return held
