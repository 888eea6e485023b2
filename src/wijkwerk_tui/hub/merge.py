"""The merge rule, applied at the hub (DESIGN.md §7).

Each change names the hub's version of the row it was made on (its base). A field applies
when nobody else changed it since that base; when another laptop did, both values are kept
as a conflict for a person to choose, and the hub keeps its own until then. Placements,
contacts and the like only grow (new rows never conflict). An erasure wins over every edit,
before or after it, and wipes the personal data the change log itself holds. The clock
stamps order the log; they decide nothing.

Pushes take turns (one advisory lock), so the log's numbers are given in commit order and a
laptop that pulls "everything after 41" never skips a change committed late.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import col

from wijkwerk_tui.db.sync_codec import APPEND_ONLY, UNIQUE_NAMES, encode, table_of
from wijkwerk_tui.db.sync_tables import HubChange, HubConflict, HubDevice, HubField, core
from wijkwerk_tui.db.tables import Worker
from wijkwerk_tui.domain.accounts import COORDINATOR
from wijkwerk_tui.hub import audit_anchor, batch, push_turn, scope
from wijkwerk_tui.hub.aliases import known_aliases
from wijkwerk_tui.hub.changes import Incoming, PushRefused, check_clock, log_row, translate, wipe
from wijkwerk_tui.hub.coordinators import signed_here
from wijkwerk_tui.hub.erase import erase, follow_merge, forget_moved
from wijkwerk_tui.hub.trust import DECIDED, account_fields, new_account

# A consent change made while the record changed elsewhere goes to a person, whichever field
# changed there: consent is given to what the record said when it was given.
CONSENT_FIELDS = frozenset({"consent_register", "consent_on", "consent_share"})
# Rows one per organisation by name whose other fields matter too: a second laptop's row with
# the same name but another value is a conflict (an area's sort order is not worth one).
_VALUE_FIELDS_OF = {"orgsetting": ("value",)}
_CHANGE, _CONFLICT, _FIELD, _DEVICE = core(HubChange), core(HubConflict), core(HubField), core(HubDevice)


@dataclass
class Outcome:
    applied: int = 0
    known: int = 0
    conflicts: int = 0


def push(engine: Engine, device_id: str, changes: list[Incoming], now: datetime) -> Outcome:
    """Apply a laptop's changes in their order, in one transaction; ones seen before are skipped."""
    check_clock(changes, now)
    outcome = Outcome()
    with engine.begin() as connection:
        push_turn.take(connection)
        ids = [c.change_id for c in changes]
        known = set(connection.execute(select(_CHANGE.c.change_id).where(_CHANGE.c.change_id.in_(ids))).scalars())
        aliases = known_aliases(connection)
        lineage = _lineage(connection, device_id)
        fresh, refused = [], []
        for change in changes:
            if change.change_id in known:
                outcome.known += 1
                continue
            known.add(change.change_id)
            if change.table_name == "auditevent" and not _own_entry(change, lineage):
                _log(connection, device_id, change, "lost", {}, 0, now)
                refused.append(change)
                continue
            worker = aliases.get(change.worker_id) if change.worker_id else None  # the organisation's id
            fresh.append(
                dataclasses.replace(change, worker_id=worker, sent_worker=change.worker_id) if worker else change
            )
        audit_anchor.flag_refused(connection, device_id, refused, now)
        # (before they are applied: the hub's copy of each chain as it was)
        audit_anchor.check(
            connection, device_id, [c for c in fresh if c.table_name == "auditevent" and c.kind == "insert"], now
        )
        inserts = batch.NewRows(connection, fresh)
        moved: set[uuid.UUID] = set()
        for change in fresh:
            if inserts.take(change, device_id, aliases, now):
                outcome.applied += 1
                continue
            inserts.flush()  # what comes next may read them
            outcome.conflicts += _apply(connection, device_id, lineage, change, aliases, now, moved)
            inserts.saw(change)
            outcome.applied += 1
        inserts.flush()
        for resident_id in moved:
            forget_moved(connection, resident_id, now)
    return outcome


def _lineage(connection: Connection, device_id: str) -> set[str]:
    """This device and the ones it is a restore or copy of: the ids its audit entries bear."""
    return set(scope.line(connection, device_id))


def _own_entry(change: Incoming, lineage: set[str]) -> bool:
    """A laptop sends only the audit entries it wrote itself, with its own worker ids: one of
    another device's chain, or a worker swapped beside the id the hash covers, is not taken."""
    return change.values.get("device_id") in lineage and change.values.get("origin_worker") is None


def _log(
    connection: Connection,
    device_id: str,
    change: Incoming,
    kind: str,
    fields: dict[str, Any],
    version: int,
    now: datetime,
) -> None:
    connection.execute(_CHANGE.insert().values(**log_row(device_id, change, kind, fields, version, now)))


def _erased_resident(connection: Connection, table: Table, row: Any, fields: dict[str, Any]) -> uuid.UUID | None:
    """The resident this row is about, when he was erased."""
    from wijkwerk_tui.db.tables import Resident, Signal

    if table.name == "resident":
        resident_id = row.id if row is not None else None
    elif table.name == "meldcodestep":
        signal_id = fields.get("signal_id", row.signal_id if row is not None else None)
        resident_id = connection.execute(select(col(Signal.resident_id)).where(col(Signal.id) == signal_id)).scalar()
    elif "resident_id" in table.c:
        resident_id = fields.get("resident_id", row.resident_id if row is not None else None)
    else:
        return None
    if resident_id is None:
        return None
    erased = connection.execute(select(col(Resident.anonymised_at)).where(col(Resident.id) == resident_id)).scalar()
    return resident_id if erased is not None else None


def _apply(
    connection: Connection,
    device_id: str,
    lineage: set[str],
    change: Incoming,
    aliases: dict[uuid.UUID, uuid.UUID],
    now: datetime,
    moved: set[uuid.UUID],
) -> int:
    """Apply one change; the number of conflicts it made. `moved`: erased residents that rows
    were moved onto (wiped once, at the end of the push)."""
    table = table_of(change.table_name)
    fields = translate(change.values, aliases)
    if change.kind != "insert" and change.row_id in aliases:
        # An edit of this laptop's own "Ruinen", which the organisation knows under another id.
        change = dataclasses.replace(change, row_id=aliases[change.row_id])
    if change.table_name in APPEND_ONLY and (change.kind != "insert" or _exists(connection, table, change.row_id)):
        _log(connection, device_id, change, "lost", {}, 0, now)  # an audit entry is never changed
        return 0
    worker = aliases.get(change.worker_id, change.worker_id) if change.worker_id else None  # (joined just now)
    if change.table_name == "orgsetting" and not _coordinator(
        connection, worker, change.sent_worker or change.worker_id, lineage
    ):
        # The retention period reaches every laptop's sweep: only a coordinator's change counts.
        _log(connection, device_id, change, "lost", {}, 0, now)
        return 0
    row = connection.execute(select(table).where(table.c.id == change.row_id)).first()
    if change.table_name == "worker" and (change.kind != "insert" or row is not None):
        # (an "insert" of an account the hub has is an edit of it)
        fields = account_fields(connection, row, fields)
    elif change.table_name == "worker":
        fields = new_account(connection, fields)
    if change.kind == "erase":
        erase(connection, device_id, change, row, now)
        return 0
    erased_one = _erased_resident(connection, table, row, fields)
    if erased_one is not None:
        fields = wipe(change.table_name, fields)
    if change.kind == "resolve":
        return _resolve(connection, device_id, change, table, row, fields, now)
    if row is None:
        if change.kind != "insert":
            _log(connection, device_id, change, "lost", {}, 0, now)  # its row never reached the hub
            return 0
        conflicts = _insert(connection, device_id, change, table, fields, aliases, now)
    else:
        conflicts = _update(connection, device_id, change, table, row, fields, now)
    if change.table_name == "resident" and fields.get("merged_into") is not None:
        follow_merge(connection, change.row_id, worker, now)  # one of the two erased already: both
    elif (
        erased_one is not None
        and row is not None
        and "resident_id" in table.c
        and fields.get("resident_id") not in (None, row.resident_id)
    ):
        moved.add(erased_one)  # moved onto him by a merge, with the text it had: `forget_moved`
    return conflicts


def _exists(connection: Connection, table: Table, row_id: uuid.UUID) -> bool:
    return connection.execute(select(table.c.id).where(table.c.id == row_id)).first() is not None


def _coordinator(
    connection: Connection, worker_id: uuid.UUID | None, sent: uuid.UUID | None, lineage: set[str]
) -> bool:
    """An active coordinator of the organisation, whom this laptop itself brought to the hub
    (its insert made the account, or its own account of that name became an alias of it): a
    laptop cannot act in the name of another laptop's coordinator by id. Once the organisation
    has a key (`hub init`), his record must be signed by it too; before, a laptop can still make
    an account of its own a coordinator, or one with a coordinator's name."""
    query = select(
        col(Worker.role), col(Worker.active), col(Worker.name), col(Worker.signature), col(Worker.public_key)
    ).where(col(Worker.id) == worker_id)
    found = connection.execute(query).first() if worker_id else None
    if found is None or found.role != COORDINATOR or not found.active:
        return False
    if not signed_here(connection, found.name, found.role, found.signature, found.public_key):
        return False  # (once the organisation has a key: a token holder's own "coordinator")
    registered = select(_CHANGE.c.seq).where(
        _CHANGE.c.table_name == "worker",
        _CHANGE.c.row_id == sent,
        _CHANGE.c.kind.in_(("insert", "alias")),
        _CHANGE.c.device_id.in_(lineage),
    )
    return connection.execute(registered.limit(1)).first() is not None


def _insert(
    connection: Connection,
    device_id: str,
    change: Incoming,
    table: Table,
    fields: dict[str, Any],
    aliases: dict[uuid.UUID, uuid.UUID],
    now: datetime,
) -> int:
    unique = UNIQUE_NAMES.get(table.name)
    if unique and unique in fields:
        same = connection.execute(
            select(table.c.id).where(table.c[unique] == fields[unique], table.c.deleted_at.is_(None))
        ).scalar()
        if same is not None:
            # Two laptops made "Ruinen": the organisation has one. The laptops re-point theirs.
            aliases[change.row_id] = same
            _log(connection, device_id, change, "alias", {"to": same}, 0, now)
            if table.name in _VALUE_FIELDS_OF:
                return _values_differ(connection, device_id, change, table, same, fields, now)
            return 0
    connection.execute(table.insert().values(**fields, version=1, updated_at=now))
    _log(connection, device_id, change, "insert", fields, 1, now)
    return 0


def _update(
    connection: Connection,
    device_id: str,
    change: Incoming,
    table: Table,
    row: Any,
    fields: dict[str, Any],
    now: datetime,
) -> int:
    stamps = {
        s.field: s
        for s in connection.execute(
            select(_FIELD).where(_FIELD.c.table_name == table.name, _FIELD.c.row_id == change.row_id)
        )
    }

    def changed_elsewhere(field: str) -> bool:
        stamp = stamps.get(field)
        return stamp is not None and stamp.version > change.base_version and stamp.device_id != device_id

    deleted_elsewhere = row.deleted_at is not None and changed_elsewhere("deleted_at")
    edited_elsewhere = any(changed_elsewhere(f) for f in stamps if f != "deleted_at")
    apply: dict[str, Any] = {}
    conflicts: list[str] = []
    for field, value in fields.items():
        if field == "id" or getattr(row, field) == value:
            continue
        if table.name == "worker" and field in DECIDED:
            apply[field] = value  # (taken by `account_fields` only when newer: the serial decides)
        elif field == "deleted_at" and value is not None and edited_elsewhere:
            conflicts.append(field)  # deleted here, edited there: a person decides
        elif field in CONSENT_FIELDS and (edited_elsewhere or deleted_elsewhere):
            conflicts.append(field)  # consent is never merged with other changes unseen
        elif changed_elsewhere(field) or (deleted_elsewhere and field != "deleted_at"):
            conflicts.append(field)
        else:
            apply[field] = value
    version = row.version
    if apply:
        version += 1
        connection.execute(
            update(table).where(table.c.id == change.row_id).values(**apply, version=version, updated_at=now)
        )
        _stamp_fields(connection, device_id, change, table, apply, version)
    for field in conflicts:
        _conflict(connection, device_id, change, table, row, field, fields[field], stamps.get(field), now)
    # The fields in conflict go out with the hub's value: the laptop that sent the other one
    # shows what the organisation has until a person chooses (both are in the conflict).
    kept = {field: getattr(row, field) for field in conflicts}
    # (An "insert" of a row the hub has is logged as the edit it is: only the insert that made
    # a row counts as bringing it, see `_coordinator`.)
    kind = "update" if change.kind == "insert" else change.kind
    _log(connection, device_id, change, kind, {**apply, **kept}, version, now)
    return len(conflicts)


def _conflict(
    connection: Connection,
    device_id: str,
    change: Incoming,
    table: Table,
    row: Any,
    field: str,
    theirs: Any,
    stamp: Any,
    now: datetime,
) -> None:
    """Both values kept, for a person to choose (the Conflicten screen)."""
    connection.execute(
        _CONFLICT.insert().values(
            id=uuid.uuid4(),
            table_name=table.name,
            row_id=row.id,
            field=field,
            hub_value=json.dumps(encode(getattr(row, field)), ensure_ascii=False),
            hub_device=stamp.device_id if stamp else "",
            hub_worker=stamp.worker_id if stamp else None,
            hub_hlc=stamp.hlc if stamp else "",
            their_value=json.dumps(encode(theirs), ensure_ascii=False),
            their_device=device_id,
            their_worker=change.worker_id,
            their_hlc=change.stamp.text(),
            change_id=change.change_id,
            made_at=now,
        )
    )


def _values_differ(
    connection: Connection,
    device_id: str,
    change: Incoming,
    table: Table,
    same: uuid.UUID,
    fields: dict[str, Any],
    now: datetime,
) -> int:
    """Two laptops each had the organisation's setting with other values (before they synced):
    one row, and the other value in a conflict; the laptop that sent it is given the hub's."""
    row = connection.execute(select(table).where(table.c.id == same)).first()
    if row is None:
        return 0
    differing = [f for f in _VALUE_FIELDS_OF[table.name] if f in fields and getattr(row, f) != fields[f]]
    for field in differing:
        _conflict(connection, device_id, change, table, row, field, fields[field], None, now)
    if differing:
        kept = {field: getattr(row, field) for field in differing}
        # (an entry of its own in the log: the change's id is the alias's)
        told = dataclasses.replace(change, row_id=same, change_id=uuid.uuid4())
        _log(connection, device_id, told, "update", kept, row.version, now)
    return len(differing)


def _stamp_fields(
    connection: Connection, device_id: str, change: Incoming, table: Table, fields: dict[str, Any], version: int
) -> None:
    values = {"version": version, "device_id": device_id, "worker_id": change.worker_id, "hlc": change.stamp.text()}
    for field in fields:
        connection.execute(
            pg_insert(_FIELD)
            .values(table_name=table.name, row_id=change.row_id, field=field, **values)
            .on_conflict_do_update(index_elements=["table_name", "row_id", "field"], set_=values)
        )


def _resolve(
    connection: Connection,
    device_id: str,
    change: Incoming,
    table: Table,
    row: Any,
    fields: dict[str, Any],
    now: datetime,
) -> int:
    """A person chose between two values: that value applies, whatever happened since."""
    conflict = connection.execute(select(_CONFLICT).where(_CONFLICT.c.id == change.conflict_id)).first()
    if row is None or conflict is None:  # erased meanwhile, or not a conflict the hub made
        _log(connection, device_id, change, "lost", {}, 0, now)
        return 0
    if table.name == "worker" and conflict.field in DECIDED and set(fields) != {conflict.field}:
        # A choice of an account's signed field that `account_fields` did not take (not newer,
        # not signed): the record decides, not a person. Closed, so the laptop goes on syncing.
        connection.execute(
            update(_CONFLICT)
            .where(_CONFLICT.c.id == change.conflict_id)
            .values(resolved_at=now, resolved_by=change.worker_id)
        )
        _log(connection, device_id, change, "lost", {}, 0, now)
        return 0
    if (conflict.table_name, conflict.row_id, set(fields)) != (table.name, change.row_id, {conflict.field}):
        raise PushRefused("Deze keuze hoort niet bij het conflict dat ze noemt.")
    if conflict.resolved_at is not None:
        # Someone chose on another laptop first: this choice did not see that one, so it is
        # an edit made on an older base, and meets the first choice as a new conflict.
        return _update(connection, device_id, change, table, row, fields, now)
    version = row.version + 1
    connection.execute(
        update(table).where(table.c.id == change.row_id).values(**fields, version=version, updated_at=now)
    )
    _stamp_fields(connection, device_id, change, table, fields, version)
    connection.execute(
        update(_CONFLICT)
        .where(_CONFLICT.c.id == change.conflict_id)
        .values(resolved_at=now, resolved_by=change.worker_id)
    )
    _log(connection, device_id, change, "update", fields, version, now)
    return 0
