"""Erasure at the hub: it wins over every edit, before or after it, wipes the personal data
the change log and the conflicts hold, and reaches every record merged with the person,
either way round (Samenvoegen says they are one person; a tombstone kept its own name and
phone, and the kept record took the other's empty fields).

A merge can reach the hub before the erasure or after it, from a laptop that never saw the
other: both orders end with the whole merged group erased, as erasures the hub itself logs,
so every laptop takes them in (DESIGN.md §7)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlmodel import col

from wijkwerk_tui.db import erasure
from wijkwerk_tui.db.sync_codec import encode
from wijkwerk_tui.db.sync_tables import HubChange, HubConflict, core
from wijkwerk_tui.db.tables import Contact, Goal, LadderStep, MeldcodeStep, Referral, Resident, Signal
from wijkwerk_tui.domain.hlc import HybridClock
from wijkwerk_tui.hub.changes import Incoming, log_row, wipe

HUB_DEVICE = "hub"  # the device of what the hub itself changes (the retention sweep, merged records)
_CHANGE, _CONFLICT, _RESIDENT = core(HubChange), core(HubConflict), core(Resident)


def erase(connection: Connection, device_id: str, change: Incoming, row: Any, now: datetime) -> None:
    """Apply an erasure sent by a laptop (`row`: the hub's resident, None when it has none)."""
    if row is None:
        connection.execute(_CHANGE.insert().values(**log_row(device_id, change, "lost", {}, 0, now)))
        return
    version = row.version + 1
    # When: as the erasing laptop says; the first erasure's when two laptops erased him.
    moment = row.anonymised_at or change.values.get("anonymised_at") or now
    if row.anonymised_at is None:
        connection.execute(
            update(_RESIDENT)
            .where(_RESIDENT.c.id == change.row_id)
            .values(**erasure.RESIDENT_WIPE, anonymised_at=moment, updated_at=now, version=version)
        )
        erasure.wipe_children(connection, change.row_id, now)
    _forget_in_log(connection, change.row_id, now)
    fields = {"anonymised_at": moment}
    connection.execute(_CHANGE.insert().values(**log_row(device_id, change, "erase", fields, version, now)))
    # The records merged with him, either way round: one person (recursion ends at the erased).
    same = (_RESIDENT.c.merged_into == change.row_id) | (_RESIDENT.c.id == getattr(row, "merged_into", None))
    for other in connection.execute(select(_RESIDENT).where(same, _RESIDENT.c.anonymised_at.is_(None))).all():
        erase(connection, HUB_DEVICE, _hub_erasure(other.id, change.worker_id, now, moment), other, now)


def erase_at_hub(connection: Connection, resident: Any, worker_id: uuid.UUID, now: datetime) -> None:
    """An erasure the hub itself makes (the organisation's retention sweep)."""
    erase(connection, HUB_DEVICE, _hub_erasure(resident.id, worker_id, now, None), resident, now)


def follow_merge(connection: Connection, resident_id: uuid.UUID, worker_id: uuid.UUID | None, now: datetime) -> None:
    """A resident just merged into another (an edit of `merged_into`): when either of the two
    was erased already, the merge says the other is the same person: erased too."""
    row = connection.execute(select(_RESIDENT).where(_RESIDENT.c.id == resident_id)).first()
    if row is None or row.merged_into is None:
        return
    into = connection.execute(select(_RESIDENT).where(_RESIDENT.c.id == getattr(row, "merged_into", None))).first()
    if into is None or (row.anonymised_at is None) == (into.anonymised_at is None):
        return
    erased, other = (row, into) if row.anonymised_at is not None else (into, row)
    erase(connection, HUB_DEVICE, _hub_erasure(other.id, worker_id, now, erased.anonymised_at), other, now)


def forget_moved(connection: Connection, resident_id: uuid.UUID, now: datetime) -> None:
    """A row moved onto an erased resident (a merge made where he was not erased yet) brings
    the text it had: wiped, in the row and in the log, as his own were."""
    erasure.wipe_children(connection, resident_id, now)
    _forget_in_log(connection, resident_id, now)


def _hub_erasure(row_id: uuid.UUID, worker_id: uuid.UUID | None, now: datetime, moment: Any) -> Incoming:
    stamp = HybridClock(HUB_DEVICE).now(now)
    values = {"anonymised_at": moment} if moment is not None else {}
    return Incoming(uuid.uuid4(), "resident", row_id, "erase", {}, 0, stamp, worker_id, values=values)


def _forget_in_log(connection: Connection, resident_id: uuid.UUID, now: datetime) -> None:
    """The change log and the conflicts hold copies of what was written: wipe those too."""
    rows: dict[uuid.UUID, str] = {resident_id: "resident"}
    for model in (LadderStep, Contact, Signal, Referral, Goal):
        for row_id in connection.execute(select(col(model.id)).where(col(model.resident_id) == resident_id)).scalars():
            rows[row_id] = core(model).name
    signals = select(col(Signal.id)).where(col(Signal.resident_id) == resident_id)
    for row_id in connection.execute(
        select(col(MeldcodeStep.id)).where(col(MeldcodeStep.signal_id).in_(signals))
    ).scalars():
        rows[row_id] = "meldcodestep"
    ids = list(rows)
    for seq, row_id, fields in connection.execute(
        select(_CHANGE.c.seq, _CHANGE.c.row_id, _CHANGE.c.fields).where(_CHANGE.c.row_id.in_(ids))
    ):
        name = rows[row_id]
        old = json.loads(fields)
        if name == "resident":
            new = {k: (encode(erasure.RESIDENT_WIPE[k]) if k in erasure.RESIDENT_WIPE else v) for k, v in old.items()}
        else:
            new = {k: encode(v) for k, v in wipe(name, old).items()}
        connection.execute(update(_CHANGE).where(_CHANGE.c.seq == seq).values(fields=json.dumps(new, sort_keys=True)))
    connection.execute(
        update(_CONFLICT)
        .where(_CONFLICT.c.row_id.in_(ids))
        .values(hub_value="null", their_value="null", resolved_at=now)
    )
