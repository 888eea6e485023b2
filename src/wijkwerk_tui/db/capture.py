"""Change capture: every change to a synced row goes into the outbox in the same transaction.

One listener on every session's flush sees what the store's functions change through the
ORM (forms, status changes, bulk inserts of the import), whichever function made it; the
few statements that bypass the ORM (erasure's bulk UPDATE) write their own entry with
`record()`. It only runs once this laptop has joined a hub (`Database.sync_on`): a laptop
on its own keeps no outbox, and joining queues everything it holds (`queue_everything`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from wijkwerk_tui.db.sync_codec import SYNCED, SYNCED_MODELS, encode, synced_columns
from wijkwerk_tui.db.sync_tables import Outbox, SyncBase, core

if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database

CAPTURE = "wijkwerk_capture"  # session.info key: the Database whose changes are captured
SKIP_ROWS = "wijkwerk_capture_skip"  # session.info key: row ids whose change travels otherwise
CHUNK = 500  # ids per IN (...)
ORDER = {name: n for n, name in enumerate(SYNCED)}  # referenced tables first


@dataclass
class Change:
    table_name: str
    row_id: uuid.UUID
    kind: str
    fields: dict[str, Any] = field(default_factory=dict)


def _row_id(obj: Any) -> uuid.UUID:
    row_id: uuid.UUID = obj.id
    return row_id


def encoded(values: dict[str, Any]) -> dict[str, Any]:
    """Column values as the outbox keeps them (JSON)."""
    return {name: encode(value) for name, value in values.items()}


def _inserted(obj: Any) -> Change:
    name = obj.__tablename__
    return Change(name, _row_id(obj), "insert", {c: encode(getattr(obj, c)) for c in synced_columns(name)})


def _updated(obj: Any) -> Change | None:
    name = obj.__tablename__
    state = inspect(obj)
    wanted = set(synced_columns(name))
    changed = {
        attr.key: encode(attr.value) for attr in state.attrs if attr.key in wanted and attr.history.has_changes()
    }
    return Change(name, _row_id(obj), "update", changed) if changed else None


@event.listens_for(OrmSession, "before_flush")
def _before_flush(session: OrmSession, _context: object, _instances: object) -> None:
    db = session.info.get(CAPTURE)
    if db is None:
        return
    skip = session.info.get(SKIP_ROWS, set())
    changes: list[Change] = []
    for obj in session.new:
        if getattr(obj, "__tablename__", None) in SYNCED and obj.id not in skip:
            changes.append(_inserted(obj))
    for obj in session.dirty:
        if getattr(obj, "__tablename__", None) in SYNCED and obj.id not in skip:
            change = _updated(obj)
            if change is not None:
                changes.append(change)
    if changes:
        # A flush's new rows come as a set: send a resident before his ladder step.
        changes.sort(key=lambda c: (c.kind != "insert", ORDER[c.table_name]))
        record(cast(Session, session), db, changes)


def record(session: Session, db: Database, changes: list[Change]) -> None:
    """Append these changes to the outbox, in this transaction, with their base versions."""
    if not changes or not db.joined(session):
        return
    bases = _bases(session, [c.row_id for c in changes if c.kind != "insert"])
    rows = []
    for change in changes:
        stamp = db.hlc.now(db.now())
        rows.append(
            {
                "change_id": uuid.uuid4(),
                "table_name": change.table_name,
                "row_id": change.row_id,
                "kind": change.kind,
                "fields": json.dumps(change.fields, ensure_ascii=False, sort_keys=True),
                "base_version": 0 if change.kind == "insert" else bases.get(change.row_id, 0),
                "hlc": stamp.text(),
                "device_id": db.device_id,
                "worker_id": db.actor,
            }
        )
    session.connection().execute(insert(Outbox), rows)


def _bases(session: Session, row_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    found: dict[uuid.UUID, int] = {}
    wanted = list(dict.fromkeys(row_ids))
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        query = select(col(SyncBase.row_id), col(SyncBase.version)).where(col(SyncBase.row_id).in_(chunk))
        for row_id, version in session.connection().execute(query):
            found[row_id] = version
    return found


def skip_rows(session: Session, row_ids: set[uuid.UUID]) -> None:
    """Leave these rows' ORM changes out of the outbox: an erasure travels as itself."""
    session.info.setdefault(SKIP_ROWS, set()).update(row_ids)


def queue_everything(session: Session, db: Database, tables: Collection[str] = SYNCED) -> int:
    """On joining, and after an update that made more tables sync (`services.sync.catch_up`):
    every row this laptop holds that the hub has not seen and that does not wait already, as
    an insert."""
    count = 0
    for model in SYNCED_MODELS:
        table = core(model)
        name = table.name
        if name not in tables:
            continue
        columns = synced_columns(name)
        known = select(col(SyncBase.row_id))
        waiting = select(col(Outbox.row_id)).where(col(Outbox.pushed_at).is_(None), col(Outbox.table_name) == name)
        query = select(*[table.c[c] for c in columns]).where(table.c.id.not_in(known), table.c.id.not_in(waiting))
        if name == "auditevent":
            # Only this laptop's own chain: the hub takes no laptop's entries from another's
            # (and audit entries have no version kept here to tell which went up already).
            query = query.where(table.c.device_id == db.device_id).order_by(table.c.device_seq)  # (in order)
        batch: list[Change] = []
        for values in session.connection().execute(query):
            data = dict(zip(columns, values, strict=True))
            batch.append(Change(name, data["id"], "insert", {c: encode(v) for c, v in data.items()}))
            if len(batch) >= 5000:
                record(session, db, batch)
                count += len(batch)
                batch = []
        record(session, db, batch)
        count += len(batch)
    return count


def restamp(db: Database) -> int:  # how many changes got new stamps
    """A clock that ran ahead and was set right: what waits gets new stamps from the clock as
    it is now, in the order it was made (nobody has seen those stamps). The hub's latest stamp
    is taken in first, so the new ones still sort after everything this laptop received."""
    from sqlalchemy import text as sql

    from wijkwerk_tui.domain.hlc import HybridClock, StampError, parse

    clock = HybridClock(db.device_id)
    with db.transaction() as session:
        seen = session.execute(sql("SELECT value FROM setting WHERE key = 'hub.hlc'")).scalar()
        try:
            if seen:
                clock.seen(parse(str(seen)), db.now())
        except StampError:
            pass
        waiting = session.execute(
            select(col(Outbox.seq)).where(col(Outbox.pushed_at).is_(None)).order_by(col(Outbox.seq))
        ).scalars()
        seqs = list(waiting)
        for seq in seqs:
            session.execute(update(Outbox).where(col(Outbox.seq) == seq).values(hlc=clock.now(db.now()).text()))
    db.hlc = clock
    return len(seqs)
