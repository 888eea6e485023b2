"""The audit trail (in the spirit of NEN 7513): who did what to which resident, when.

Append-only; each entry's hash covers every column and the previous hash, so an edit or a
deletion in the middle behind the app's back breaks the chain (`verify_chain`). Whoever
can edit the database can also delete the newest entries, or rebuild the whole chain: that
shows only against a head (sequence number and hash) kept outside the database, in each
backup's manifest, on paper from `wijkwerk check` or the settings screen (`extends`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import AuditEvent
from wijkwerk_tui.db.types import new_id


@dataclass(frozen=True)
class Entry:
    """An event's columns before it is written (the hash is computed from these)."""

    seq: int | None
    digest: int
    id: uuid.UUID
    at: datetime
    worker_id: uuid.UUID | None
    action: str
    resident_id: uuid.UUID | None
    detail: str
    device_id: str
    prev_hash: str


def digest(event: AuditEvent | Entry) -> str:
    """The entry's hash. Digest 2 (every entry since migration 0008) covers every column, the
    sequence number and the digest number included; digest 1 left those two out."""
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
    if event.digest != 1:
        parts = [str(event.seq), str(event.digest), *parts]
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
    record_many(session, db, actor, [(action, resident_id, detail)], at)


def record_many(
    session: Session,
    db: Database,
    actor: uuid.UUID | None,
    events: Sequence[tuple[str, uuid.UUID | None, str]],
    at: datetime | None = None,
) -> None:
    """Append events (action, resident, detail) in order, chained as one `record` each would.
    Written as plain rows (an import appends tens of thousands; no one edits them after)."""
    last = session.exec(select(AuditEvent.seq, AuditEvent.hash).order_by(col(AuditEvent.seq).desc()).limit(1)).first()
    seq, prev = ((last[0] or 0), last[1]) if last else (0, "")
    when = at or db.now()
    rows = []
    for action, resident_id, detail in events:
        seq += 1  # known before the insert: the hash covers it
        entry = Entry(seq, 2, new_id(), when, actor, action, resident_id, detail, db.device_id, prev)
        prev = digest(entry)
        rows.append({**vars(entry), "hash": prev})  # (not asdict: it deep-copies each value)
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


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
            if event.prev_hash != previous or digest(event) != event.hash:
                return ChainReport(count, event.seq)
            previous = event.hash
    return ChainReport(count, None)


Head = tuple[int, str]  # (sequence number, hash) of the newest entry
HEAD_SHOWN = 16  # hex digits of the hash to note on paper: 64 bits, not to be forged


def head(db: Database) -> Head | None:
    with db.reading() as session:
        row = session.exec(
            select(AuditEvent.seq, AuditEvent.hash).order_by(col(AuditEvent.seq).desc()).limit(1)
        ).first()
    return (int(row[0] or 0), row[1]) if row else None


def format_head(value: Head) -> str:
    return f"{value[0]}:{value[1][:HEAD_SHOWN]}"


def parse_head(text: str) -> Head | None:
    """'123:abcdef0123456789' (as printed; at least 12 hex digits of the hash), else None."""
    seq, _, prefix = text.strip().partition(":")
    prefix = prefix.strip().lower()
    if not seq.isdigit() or len(prefix) < 12 or any(c not in "0123456789abcdef" for c in prefix):
        return None
    return int(seq), prefix


def extends(db: Database, noted: Head) -> bool:
    """Whether the chain still holds the entry `noted` (its hash starting with the noted digits).
    With `verify_chain` ok, that entry and everything before it are as they were then."""
    with db.reading() as session:
        found = session.exec(select(AuditEvent.hash).where(AuditEvent.seq == noted[0])).first()
    return found is not None and found.startswith(noted[1])


def events_for_resident(db: Database, resident_id: uuid.UUID, limit: int = 200) -> list[AuditEvent]:
    with db.reading() as session:
        query = (
            select(AuditEvent)
            .where(AuditEvent.resident_id == resident_id)
            .order_by(col(AuditEvent.seq).desc())
            .limit(limit)
        )
        return list(session.exec(query))
