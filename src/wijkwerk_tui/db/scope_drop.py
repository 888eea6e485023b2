"""Dropping residents this laptop no longer serves (hub.scope): they and every row of theirs
leave this database, not the hub's. Nothing of it goes into the outbox.

Not a resident with a change not pushed yet (it would be lost): the hub asks for his drop
again at the next sync. The audit keeps its entries (ids only,
its chain covers them); the search index follows its table (triggers), and the pages freed
are overwritten (secure_delete) and the WAL folded back by the caller, as after an erasure.
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlmodel import Session, col

from wijkwerk_tui.db.resident_rows import BY_RESIDENT, BY_SIGNAL, RESIDENT
from wijkwerk_tui.db.sync_codec import SYNCED, table_of
from wijkwerk_tui.db.sync_tables import HubConflict, Outbox, SyncBase

CHUNK = 400  # ids per statement


def held(session: Session) -> list[uuid.UUID]:
    resident = table_of(RESIDENT)
    return list(session.execute(select(resident.c.id)).scalars())


def waiting_for(session: Session, residents: list[uuid.UUID]) -> set[uuid.UUID]:
    """Those of these residents with a change of theirs not pushed yet (kept until it is)."""
    wanted = set(residents)
    pending: dict[str, list[uuid.UUID]] = {}
    query = select(col(Outbox.table_name), col(Outbox.row_id)).where(col(Outbox.pushed_at).is_(None))
    for name, row_id in session.execute(query):
        if name in (RESIDENT, *BY_RESIDENT, *BY_SIGNAL):
            pending.setdefault(name, []).append(row_id)
    found = {row_id for row_id in pending.pop(RESIDENT, []) if row_id in wanted}
    signal = table_of("signal")
    for name, ids in pending.items():
        table = table_of(name)
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            if name in BY_SIGNAL:
                owner = select(signal.c.resident_id).where(
                    signal.c.id.in_(select(table.c.signal_id).where(table.c.id.in_(part)))
                )
            else:
                owner = select(table.c.resident_id).where(table.c.id.in_(part))
            found.update(i for i in session.execute(owner).scalars() if i in wanted)
    return found


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
        for name in reversed(SYNCED):  # (a row before what it references: a signal before its referral)
            if name in BY_SIGNAL or name in BY_RESIDENT:
                table = table_of(name)
                where = table.c.signal_id.in_(signals) if name in BY_SIGNAL else table.c.resident_id.in_(ids)
                gone += session.execute(delete(table).where(where).returning(table.c.id)).scalars()
        session.execute(delete(resident).where(resident.c.id.in_(ids)))
        gone += ids
        for part in range(0, len(gone), CHUNK):
            rows = gone[part : part + CHUNK]
            session.execute(delete(SyncBase).where(col(SyncBase.row_id).in_(rows)))
            session.execute(delete(HubConflict).where(col(HubConflict.row_id).in_(rows)))  # (this laptop's copies)
    return held
