"""The audit trail (in the spirit of NEN 7513): who did what to which resident, when.

Append-only; each entry's hash covers its content and the previous hash, so an
edit or deletion behind the app's back breaks the chain (`verify_chain`).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import AuditEvent


def _digest(event: AuditEvent) -> str:
    parts = [
        str(event.id),
        event.at.isoformat(),
        str(event.worker_id or ""),
        event.action,
        str(event.resident_id or ""),
        event.detail,
        event.device_id,
        event.prev_hash,
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def record(
    session: Session,
    db: Database,
    actor: uuid.UUID | None,
    action: str,
    resident_id: uuid.UUID | None = None,
    detail: str = "",
    at: datetime | None = None,
) -> None:
    """Append one event inside the caller's transaction. `detail` must hold no personal data.

    `at` is for events that happened while the database was closed (a failed login).
    """
    last = session.exec(select(AuditEvent.hash).order_by(col(AuditEvent.seq).desc()).limit(1)).first()
    event = AuditEvent(
        at=at or db.now(),
        worker_id=actor,
        action=action,
        resident_id=resident_id,
        detail=detail,
        device_id=db.device_id,
        prev_hash=last or "",
    )
    event.hash = _digest(event)
    session.add(event)


def log(
    db: Database, actor: uuid.UUID | None, action: str, resident_id: uuid.UUID | None = None, detail: str = ""
) -> None:
    """Record an event in a transaction of its own (a view, a login)."""
    with db.transaction() as session:
        record(session, db, actor, action, resident_id, detail)


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_at: int | None  # seq of the first entry that does not match

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(db: Database) -> ChainReport:
    previous = ""
    count = 0
    with db.reading() as session:
        for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))):
            count += 1
            if event.prev_hash != previous or _digest(event) != event.hash:
                return ChainReport(count, event.seq)
            previous = event.hash
    return ChainReport(count, None)


def events_for_resident(db: Database, resident_id: uuid.UUID, limit: int = 200) -> list[AuditEvent]:
    with db.reading() as session:
        query = (
            select(AuditEvent)
            .where(AuditEvent.resident_id == resident_id)
            .order_by(col(AuditEvent.seq).desc())
            .limit(limit)
        )
        return list(session.exec(query))
