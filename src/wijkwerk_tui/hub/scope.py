"""Each laptop holds only what its workers need (issue 18, AVG art. 5 data minimisation).

A laptop may be given areas (with its invitation, or later: `wijkwerk hub areas`). Such a
laptop is entitled to the residents of those areas, those without an area (nobody could have
them otherwise, as in domain.need_to_know), those it recorded anything for itself (its
workers' caseload there) and the residents they were merged into. A laptop without areas
holds the whole organisation, as before.

What the laptop holds, as far as the hub knows, is `HubScope`: only the laptop changes it, by
confirming what it took in and what it dropped (`confirm`). The feed sends it changes of those
residents only (`visible`), so a resident who enters its areas between two calls cannot reach
it half: he comes whole (`pending`: his rows as they stand), is confirmed, and from then on
his changes follow. A resident who leaves is dropped on the laptop (not at the hub) and
confirmed; a confirmation lost on the way is asked for again at the next sync.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, literal, or_, select, union, update

from wijkwerk_tui.db.resident_rows import BOUND as _BOUND
from wijkwerk_tui.db.resident_rows import BY_RESIDENT, BY_SIGNAL, RESIDENT
from wijkwerk_tui.db.sync_codec import SYNCED, encode, synced_columns, table_of
from wijkwerk_tui.db.sync_tables import HubChange, HubDevice, HubScope, core
from wijkwerk_tui.domain import need_to_know
from wijkwerk_tui.domain.errors import DomainError

GROW_PAGE = 200  # residents sent whole per answer
DROP_PAGE = 5000  # residents to drop per answer
_SCOPE = core(HubScope)
_DEVICE = core(HubDevice)
_CHANGE = core(HubChange)
_RES = table_of(RESIDENT)
_SIGNAL = table_of("signal")
_AREA = table_of("area")


class UnknownAreas(DomainError):
    """Area names the hub does not know (Dutch message names them: they are no personal data)."""


def area_ids(connection: Connection, names: Iterable[str]) -> frozenset[uuid.UUID]:
    """The organisation's areas by name (case does not matter); UnknownAreas for any other."""
    wanted = {name.strip().casefold(): name.strip() for name in names if name.strip()}
    found = {
        str(row.name).casefold(): row.id
        for row in connection.execute(select(_AREA.c.id, _AREA.c.name).where(_AREA.c.deleted_at.is_(None)))
    }
    unknown = sorted(name for key, name in wanted.items() if key not in found)
    if unknown:
        raise UnknownAreas(
            "De hub kent deze gebieden niet: " + ", ".join(unknown) + ". Gebieden komen naar de hub met een sync."
        )
    return frozenset(found[key] for key in wanted)


def invite_areas(engine: Engine, names: Sequence[str]) -> str:
    """The areas an invitation gives the laptop that uses it, as the device keeps them."""
    if not [name for name in names if name.strip()]:
        return ""
    with engine.connect() as connection:
        return need_to_know.format_areas(area_ids(connection, names))


def area_names(engine: Engine, areas: str) -> str:
    ids = need_to_know.parse_areas(areas)
    with engine.connect() as connection:
        names = connection.execute(select(_AREA.c.name).where(_AREA.c.id.in_(list(ids)))).scalars()
        return ", ".join(sorted(str(name) for name in names))


def set_areas(engine: Engine, device_id: str, names: Sequence[str]) -> bool:
    """Give a laptop its areas. One that held the whole organisation holds every resident now:
    its next sync drops those outside them. False when no active laptop has this id."""
    with engine.begin() as connection:
        ids = area_ids(connection, names)
        if not ids:
            raise UnknownAreas("Noem minstens één gebied.")
        row = connection.execute(
            select(_DEVICE.c.areas).where(_DEVICE.c.id == device_id, _DEVICE.c.revoked_at.is_(None)).with_for_update()
        ).first()
        if row is None:
            return False
        if not row.areas:
            connection.execute(delete(_SCOPE).where(_SCOPE.c.device_id == device_id))
            connection.execute(
                _SCOPE.insert().from_select(["device_id", "resident_id"], select(literal(device_id), _RES.c.id))
            )
        connection.execute(
            update(_DEVICE).where(_DEVICE.c.id == device_id).values(areas=need_to_know.format_areas(ids))
        )
    return True


def copy(connection: Connection, old: str, new: str) -> None:
    """A restored or copied laptop going on as a new device holds what the old one held."""
    connection.execute(
        _SCOPE.insert().from_select(
            ["device_id", "resident_id"], select(literal(new), _SCOPE.c.resident_id).where(_SCOPE.c.device_id == old)
        )
    )


def _line(connection: Connection, device_id: str) -> list[str]:
    """This device and those it went on from (restored or copied: the same laptop's caseload)."""
    line = [device_id]
    while (up := connection.execute(select(_DEVICE.c.copied_from).where(_DEVICE.c.id == line[-1])).scalar()) and (
        up not in line
    ):
        line.append(up)
    return line


def _touched(devices: list[str]) -> list[Any]:
    """Residents this laptop recorded anything for: its own caseload stays on it."""
    mine = (_CHANGE.c.device_id.in_(devices),)
    selects: list[Any] = [
        select(_CHANGE.c.row_id.label("id")).where(*mine, _CHANGE.c.table_name == RESIDENT),
    ]
    for name in BY_RESIDENT:
        table = table_of(name)
        selects.append(
            select(table.c.resident_id.label("id"))
            .select_from(_CHANGE.join(table, table.c.id == _CHANGE.c.row_id))
            .where(*mine, _CHANGE.c.table_name == name, table.c.resident_id.is_not(None))
        )
    for name in BY_SIGNAL:
        table = table_of(name)
        selects.append(
            select(_SIGNAL.c.resident_id.label("id"))
            .select_from(
                _CHANGE.join(table, table.c.id == _CHANGE.c.row_id).join(_SIGNAL, _SIGNAL.c.id == table.c.signal_id)
            )
            .where(*mine, _CHANGE.c.table_name == name, _SIGNAL.c.resident_id.is_not(None))
        )
    return selects


def entitled(devices: list[str], areas: frozenset[uuid.UUID]) -> Any:
    """The residents a laptop with these areas may hold, as a subquery of ids."""
    base = union(
        select(_RES.c.id.label("id")).where(or_(_RES.c.area_id.in_(list(areas)), _RES.c.area_id.is_(None))),
        *_touched(devices),
    ).subquery()
    merged = select(_RES.c.merged_into.label("id")).where(
        _RES.c.id.in_(select(base.c.id)), _RES.c.merged_into.is_not(None)
    )
    return union(select(base.c.id), merged).subquery()


def pending(engine: Engine, device_id: str) -> dict[str, Any]:
    """What a laptop with areas must take in whole and drop: {"gebieden": False} for one without."""
    with engine.connect() as connection:
        areas = need_to_know.parse_areas(
            connection.execute(select(_DEVICE.c.areas).where(_DEVICE.c.id == device_id)).scalar() or ""
        )
        if not areas:
            return {"gebieden": False}
        allowed = entitled(_line(connection, device_id), areas)
        held = select(_SCOPE.c.resident_id).where(_SCOPE.c.device_id == device_id)
        grown = list(
            connection.execute(
                select(allowed.c.id).where(allowed.c.id.not_in(held)).order_by(allowed.c.id).limit(GROW_PAGE + 1)
            ).scalars()
        )
        gone = list(
            connection.execute(
                held.where(_SCOPE.c.resident_id.not_in(select(allowed.c.id)))
                .order_by(_SCOPE.c.resident_id)
                .limit(DROP_PAGE + 1)
            ).scalars()
        )
        rows = _whole(connection, grown[:GROW_PAGE])
    return {
        "gebieden": True,
        "erbij": [str(i) for i in grown[:GROW_PAGE]],
        "rijen": rows,
        "eraf": [str(i) for i in gone[:DROP_PAGE]],
        "more": len(grown) > GROW_PAGE or len(gone) > DROP_PAGE,
    }


def _as_change(name: str, row: Any) -> dict[str, Any]:
    """A row as it stands at the hub, in the shape of a change (no place in the log: seq 0)."""
    return {
        "seq": 0,
        "id": str(uuid.uuid4()),
        "table": name,
        "row": str(row.id),
        "kind": "insert",
        "fields": {column: encode(getattr(row, column)) for column in synced_columns(name)},
        "version": int(row.version),
        "hlc": "",
        "device": "",
        "worker": None,
    }


def _whole(connection: Connection, residents: list[uuid.UUID]) -> list[dict[str, Any]]:
    """These residents and every row of theirs, in the order the tables reference each other."""
    if not residents:
        return []
    signals = select(_SIGNAL.c.id).where(_SIGNAL.c.resident_id.in_(residents))
    out: list[dict[str, Any]] = []
    for name in SYNCED:
        table = table_of(name)
        if name == RESIDENT:
            where = table.c.id.in_(residents)
        elif name in BY_RESIDENT:
            where = table.c.resident_id.in_(residents)
        elif name in BY_SIGNAL:
            where = table.c.signal_id.in_(signals)
        else:
            continue
        out += [_as_change(name, row) for row in connection.execute(select(table).where(where).order_by(table.c.id))]
    return out


def confirm(engine: Engine, device_id: str, taken: list[uuid.UUID], dropped: list[uuid.UUID]) -> None:
    """What the laptop says it took in whole and dropped."""
    with engine.begin() as connection:
        if dropped:
            connection.execute(delete(_SCOPE).where(_SCOPE.c.device_id == device_id, _SCOPE.c.resident_id.in_(dropped)))
        _add(connection, device_id, taken)


def holds(engine: Engine, device_id: str, residents: list[uuid.UUID], first: bool) -> None:
    """What a restored or copied laptop says it holds; the first page replaces what was known."""
    with engine.begin() as connection:
        if first:
            connection.execute(delete(_SCOPE).where(_SCOPE.c.device_id == device_id))
        _add(connection, device_id, residents)


def _add(connection: Connection, device_id: str, residents: list[uuid.UUID]) -> None:
    """Residents (the hub has) to what the laptop holds, those it held already left as they are."""
    if residents:
        known = select(_SCOPE.c.resident_id).where(_SCOPE.c.device_id == device_id, _SCOPE.c.resident_id.in_(residents))
        new = select(literal(device_id), _RES.c.id).where(_RES.c.id.in_(residents), _RES.c.id.not_in(known))
        connection.execute(_SCOPE.insert().from_select(["device_id", "resident_id"], new))


def _owners(connection: Connection, rows: Iterable[tuple[str, uuid.UUID]]) -> dict[uuid.UUID, uuid.UUID | None]:
    """Row id -> the resident it belongs to now, for the rows of residents (others left out)."""
    wanted: dict[str, list[uuid.UUID]] = {}
    for name, row_id in rows:
        wanted.setdefault(name, []).append(row_id)
    owner: dict[uuid.UUID, uuid.UUID | None] = {row_id: row_id for row_id in wanted.get(RESIDENT, [])}
    for name in BY_RESIDENT:
        if wanted.get(name):
            table = table_of(name)
            owner.update(
                (row.id, row.resident_id)
                for row in connection.execute(
                    select(table.c.id, table.c.resident_id).where(table.c.id.in_(wanted[name]))
                )
            )
    for name in BY_SIGNAL:
        if wanted.get(name):
            table = table_of(name)
            found = select(table.c.id, _SIGNAL.c.resident_id).select_from(
                table.join(_SIGNAL, _SIGNAL.c.id == table.c.signal_id)
            )
            owner.update(
                (row.id, row.resident_id) for row in connection.execute(found.where(table.c.id.in_(wanted[name])))
            )
    return owner


def _held(connection: Connection, device_id: str, residents: set[uuid.UUID]) -> set[uuid.UUID]:
    if not residents:
        return set()
    return set(
        connection.execute(
            select(_SCOPE.c.resident_id).where(_SCOPE.c.device_id == device_id, _SCOPE.c.resident_id.in_(residents))
        ).scalars()
    )


def visible(connection: Connection, device_id: str, rows: Sequence[Any]) -> list[tuple[Any, str | None]]:
    """The changes of a page this laptop may have, each with its fields to send instead where
    they are not the logged ones: a row moved onto a resident it holds (a merge) comes whole,
    since the laptop may never have had it."""
    bound = [(row.table_name, row.row_id) for row in rows if row.table_name in _BOUND]
    owner = _owners(connection, bound)
    held = _held(connection, device_id, {o for o in owner.values() if o is not None})
    out: list[tuple[Any, str | None]] = []
    moved: dict[str, list[uuid.UUID]] = {}
    for row in rows:
        if row.table_name in _BOUND:
            resident = owner.get(row.row_id)
            if resident is None and row.table_name in (RESIDENT, *BY_SIGNAL):
                continue  # (a row the hub does not have: nothing to send)
            if resident is not None and resident not in held:
                continue
            if row.table_name in BY_RESIDENT and row.kind == "update" and '"resident_id"' in row.fields:
                moved.setdefault(row.table_name, []).append(row.row_id)
        out.append((row, None))
    if not moved:
        return out
    whole: dict[uuid.UUID, str] = {}
    for name, ids in moved.items():
        table = table_of(name)
        for found in connection.execute(select(table).where(table.c.id.in_(ids))):
            change = _as_change(name, found)
            whole[found.id] = json.dumps(change["fields"], ensure_ascii=False, sort_keys=True)
    return [(row, whole.get(row.row_id)) for row, _text in out]


def open_conflict_visible(
    connection: Connection, device_id: str, conflicts: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Open conflicts of rows this laptop holds, and of everything not a resident's."""
    rows = [(c["table_name"], uuid.UUID(str(c["row_id"]))) for c in conflicts if c["table_name"] in _BOUND]
    owner = _owners(connection, rows)
    held = _held(connection, device_id, {o for o in owner.values() if o is not None})
    return [c for c in conflicts if c["table_name"] not in _BOUND or owner.get(uuid.UUID(str(c["row_id"]))) in held]


def holds_count(engine: Engine, device_id: str) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(select(func.count()).select_from(_SCOPE).where(_SCOPE.c.device_id == device_id)).scalar()
            or 0
        )
