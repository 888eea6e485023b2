"""Wie keek mee: every audit event about one resident, for coordinators; the look is itself logged."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import AuditEvent, Worker
from wijkwerk_tui.store import audit
from wijkwerk_tui.store.access import require_role


@dataclass(frozen=True)
class Look:
    """One line of "Wie keek mee": when, who, what."""

    at: datetime
    worker: str | None  # None: the system itself; "" for a worker no longer known
    action: str
    reason: str = ""  # a file opened "met reden" (store.scope): the reason typed


def who_looked(db: Database, actor: uuid.UUID | None, resident_id: uuid.UUID, limit: int = 500) -> list[Look]:
    """Every event about one resident, newest first, for coordinators; the look itself is logged."""
    with db.transaction() as session:
        require_role(session, actor, "audit_view")
        names = {w.id: w.name for w in session.exec(select(Worker))}
        query = (
            select(AuditEvent)
            .where(AuditEvent.resident_id == resident_id)
            .order_by(col(AuditEvent.at).desc(), col(AuditEvent.seq).desc())  # other laptops' arrive late
            .limit(limit)
        )
        looks = [
            Look(
                e.at,
                names.get(e.worker_id, "") if e.worker_id else None,
                e.action,
                e.detail if e.action == "resident.breakglass" else "",
            )
            for e in session.exec(query)
        ]
        audit.record(session, db, actor, "audit.view", resident_id)
    return looks
