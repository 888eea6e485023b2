"""The audit trail (in the spirit of NEN 7513): who did what to which resident, when.

Append-only; each entry's hash covers every column and the previous hash of its laptop's
chain, so an edit or a deletion in the middle behind the app's back breaks the chain
(`verify_chain`). Every laptop keeps a chain of its own (device id + number); entries of other
laptops come in through the hub and are verified in their own chains. A database restored or
copied goes on in the chain it had, so that chain forks: a fork is shown, not counted as
broken (the hub notices restores and copies: hub.devices). Whoever
can edit the database can also delete the newest entries, or rebuild the whole chain: that
shows only against a head (sequence number and hash) kept outside the database, in each
backup's manifest, on paper from `wijkwerk check` or the settings screen (`extends`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from wijkwerk_tui.db import capture
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import AuditEvent
from wijkwerk_tui.db.types import new_id


@dataclass(frozen=True)
class Entry:
    """An event's columns before it is written (the hash is computed from these)."""

    device_seq: int
    digest: int
    id: uuid.UUID
    at: datetime
    worker_id: uuid.UUID | None
    action: str
    resident_id: uuid.UUID | None
    detail: str
    device_id: str
    prev_hash: str
    origin_worker: uuid.UUID | None = None


def digest(event: AuditEvent | Entry) -> str:
    """The entry's hash. Digest 2 (every entry since migration 0008) covers every column, its
    number in its laptop's chain and the digest number included (the number was `seq` until
    0018, which made `device_seq` equal to it); digest 1 left those two out. The worker is
    the id the writing laptop used (`origin_worker` where this database knows him otherwise)."""
    parts = [
        str(event.id),
        event.at.isoformat(),
        str(event.origin_worker or event.worker_id or ""),
        event.action,
        str(event.resident_id or ""),
        event.detail,
        event.device_id,
        event.prev_hash,
    ]
    if event.digest != 1:
        parts = [str(event.device_seq), str(event.digest), *parts]
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
    Written as plain rows (an import appends tens of thousands; no one edits them after), and
    into the outbox when this laptop syncs."""
    last = session.exec(
        select(AuditEvent.device_seq, AuditEvent.hash)
        .where(col(AuditEvent.device_id) == db.device_id)
        .order_by(col(AuditEvent.device_seq).desc(), col(AuditEvent.seq).desc())
        .limit(1)
    ).first()
    seq, prev = (last[0], last[1]) if last else (0, "")
    when = at or db.now()
    rows = []
    for action, resident_id, detail in events:
        seq += 1  # known before the insert: the hash covers it
        entry = Entry(seq, 2, new_id(), when, actor, action, resident_id, detail, db.device_id, prev)
        prev = digest(entry)
        rows.append({**vars(entry), "hash": prev})  # (not asdict: it deep-copies each value)
    if rows:
        session.connection().execute(insert(AuditEvent), rows)
        capture.record(session, db, [capture.Change("auditevent", r["id"], "insert", capture.encoded(r)) for r in rows])


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
    devices: int = 0  # chains: this laptop's and those of the others that synced here
    forks: int = 0  # entries that go on from an entry another one went on from already

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(db: Database) -> ChainReport:
    """Each laptop's chain on its own: every entry's hash right, and its previous hash that of
    an entry of the same laptop numbered one lower (none for the first)."""
    with db.reading() as session:
        return verify_events(session.exec(chain_order()), own_device=db.device_id)


def chain_order() -> SelectOfScalar[AuditEvent]:
    return select(AuditEvent).order_by(col(AuditEvent.device_id), col(AuditEvent.device_seq), col(AuditEvent.seq))


def verify_events(events: Iterable[AuditEvent], own_device: str | None) -> ChainReport:
    """`verify_chain` over entries in `chain_order`. `own_device`: the laptop whose database
    this is (the hub has none)."""
    count = forks = 0
    devices: set[str] = set()
    device, level = None, 0
    below: set[str] = set()  # hashes of the entries numbered one lower
    here: set[str] = set()  # hashes of the entries with this number
    parents: set[str] = set()  # the previous hashes this number's entries go on from
    for event in events:
        count += 1
        if event.device_id != device or event.device_seq != level:
            follows = event.device_id == device and event.device_seq == level + 1
            below = here if follows else set()
            device, level, here, parents = event.device_id, event.device_seq, set(), set()
            devices.add(event.device_id)
        links = {""} if event.device_seq == 1 else below
        # This laptop wrote its own entries with its own worker ids: an `origin_worker` on
        # one of them would let the shown worker be swapped with the hash still right.
        swapped = event.device_id == own_device and event.origin_worker not in (None, event.worker_id)
        if event.prev_hash not in links or digest(event) != event.hash or swapped:
            return ChainReport(count, event.seq, len(devices), forks)
        forks += event.prev_hash in parents  # a second entry going on from the same one
        parents.add(event.prev_hash)
        here.add(event.hash)
    return ChainReport(count, None, len(devices), forks)


Head = tuple[int, str]  # (sequence number, hash) of the newest entry
HEAD_SHOWN = 16  # hex digits of the hash to note on paper: 64 bits, not to be forged


def head(db: Database) -> Head | None:
    """This laptop's newest entry (its number in this laptop's chain): entries that came in
    from other laptops later must not hide that this laptop's own newest ones were removed."""
    with db.reading() as session:
        row = session.exec(
            select(AuditEvent.device_seq, AuditEvent.hash)
            .where(col(AuditEvent.device_id) == db.device_id)
            .order_by(col(AuditEvent.device_seq).desc(), col(AuditEvent.seq).desc())
            .limit(1)
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
    # (By its number in its laptop's chain, whichever id that laptop has now: a restored one
    # goes on under a new id. Heads noted before 1 December 2026 used `seq`: the hash's digits
    # say which entry it is.)
    number = noted[0]
    with db.reading() as session:
        found = session.exec(
            select(AuditEvent.hash).where((col(AuditEvent.device_seq) == number) | (col(AuditEvent.seq) == number))
        ).all()
    return any(value.startswith(noted[1]) for value in found)


def events_for_resident(db: Database, resident_id: uuid.UUID, limit: int = 200) -> list[AuditEvent]:
    with db.reading() as session:
        query = (
            select(AuditEvent)
            .where(AuditEvent.resident_id == resident_id)
            .order_by(col(AuditEvent.at).desc(), col(AuditEvent.seq).desc())
            .limit(limit)
        )
        return list(session.exec(query))
