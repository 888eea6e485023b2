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
from wijkwerk_tui.domain.text import visible_line

GROW_PAGE = 500  # residents sent whole per answer (about 6 000 rows: a few MB)
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
    unknown = sorted(visible_line(name)[:60] for key, name in wanted.items() if key not in found)  # (as typed: shown)
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
        values: dict[str, Any] = {"areas": need_to_know.format_areas(ids)}
        if not row.areas:
            connection.execute(delete(_SCOPE).where(_SCOPE.c.device_id == device_id))
            connection.execute(
                _SCOPE.insert().from_select(["device_id", "resident_id"], select(literal(device_id), _RES.c.id))
            )
            # (what it recorded while it held everything, an upload or an import, is not its caseload)
            values["areas_from"] = connection.execute(select(func.coalesce(func.max(_CHANGE.c.seq), 0))).scalar()
        connection.execute(update(_DEVICE).where(_DEVICE.c.id == device_id).values(**values))
    return True


def line(connection: Connection, device_id: str) -> list[str]:
    """This device and those it went on from (restored or copied: the same laptop's caseload)."""
    line = [device_id]
    while (up := connection.execute(select(_DEVICE.c.copied_from).where(_DEVICE.c.id == line[-1])).scalar()) and (
        up not in line
    ):
        line.append(up)
    return line


def _touched(devices: list[str], since: int) -> list[Any]:
    """Residents this laptop recorded anything for since it has areas: its own caseload stays."""
    mine = (_CHANGE.c.device_id.in_(devices), _CHANGE.c.seq > since)
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


def entitled(devices: list[str], areas: frozenset[uuid.UUID], since: int = 0) -> Any:
    """The residents a laptop with these areas may hold, as a subquery of ids."""
    base = union(
        select(_RES.c.id.label("id")).where(or_(_RES.c.area_id.in_(list(areas)), _RES.c.area_id.is_(None))),
        *_touched(devices, since),
    ).subquery()
    merged = select(_RES.c.merged_into.label("id")).where(
        _RES.c.id.in_(select(base.c.id)), _RES.c.merged_into.is_not(None)
    )
    return union(select(base.c.id), merged).subquery()


def pending(engine: Engine, device_id: str) -> dict[str, Any]:
    """What a laptop with areas must take in whole and drop: {"gebieden": False} for one without."""
    with engine.connect() as connection:
        allowed = _allowed(connection, device_id)
        if allowed is None:
            return {"gebieden": False}
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


def _allowed(connection: Connection, device_id: str) -> Any:
    """The residents this laptop may hold (a subquery of ids); None for one without areas."""
    row = connection.execute(select(_DEVICE.c.areas, _DEVICE.c.areas_from).where(_DEVICE.c.id == device_id)).first()
    areas = need_to_know.parse_areas(row.areas if row is not None else "")
    if row is None or not areas:
        return None
    return entitled(line(connection, device_id), areas, int(row.areas_from or 0))


def confirm(engine: Engine, device_id: str, taken: list[uuid.UUID], dropped: list[uuid.UUID]) -> list[uuid.UUID]:
    """What the laptop says it took in whole and dropped. Returns those of `taken` it may not
    hold (the laptop drops them): it never holds anyone just because it says so."""
    with engine.begin() as connection:
        if dropped:
            connection.execute(delete(_SCOPE).where(_SCOPE.c.device_id == device_id, _SCOPE.c.resident_id.in_(dropped)))
        return _add(connection, device_id, taken)


def holds(engine: Engine, device_id: str, residents: list[uuid.UUID], first: bool) -> list[uuid.UUID]:
    """What a restored or copied laptop says it holds; the first page replaces what was known.
    Returns those it may not hold (the laptop drops them)."""
    with engine.begin() as connection:
        if first:
            connection.execute(delete(_SCOPE).where(_SCOPE.c.device_id == device_id))
        return _add(connection, device_id, residents)


def _add(connection: Connection, device_id: str, residents: list[uuid.UUID]) -> list[uuid.UUID]:
    """The residents this laptop may hold, to what it holds (those it held already left as they
    are); returns the others."""
    if not residents:
        return []
    allowed = _allowed(connection, device_id)
    if allowed is None:
        return []  # (a laptop without areas holds everyone: nothing to keep track of)
    ok = set(connection.execute(select(allowed.c.id).where(allowed.c.id.in_(residents))).scalars())
    if ok:
        known = select(_SCOPE.c.resident_id).where(_SCOPE.c.device_id == device_id, _SCOPE.c.resident_id.in_(ok))
        new = select(literal(device_id), _RES.c.id).where(_RES.c.id.in_(ok), _RES.c.id.not_in(known))
        connection.execute(_SCOPE.insert().from_select(["device_id", "resident_id"], new))
    return [i for i in residents if i not in ok]


def _owners(
    connection: Connection, rows: Iterable[tuple[str, uuid.UUID]]
) -> tuple[dict[uuid.UUID, uuid.UUID | None], dict[uuid.UUID, uuid.UUID | None]]:
    """Row id -> the resident it belongs to now, for the rows of residents (others left out);
    and for those of nobody (an anonymous signal or contact) the area they are about."""
    wanted: dict[str, list[uuid.UUID]] = {}
    for name, row_id in rows:
        wanted.setdefault(name, []).append(row_id)
    owner: dict[uuid.UUID, uuid.UUID | None] = {row_id: row_id for row_id in wanted.get(RESIDENT, [])}
    area: dict[uuid.UUID, uuid.UUID | None] = {}
    for name in BY_RESIDENT:
        if wanted.get(name):
            table = table_of(name)
            where = table.c.area_id if "area_id" in table.c else literal(None)
            query = select(table.c.id, table.c.resident_id, where.label("area_id")).where(table.c.id.in_(wanted[name]))
            for row in connection.execute(query):
                owner[row.id] = row.resident_id
                if row.resident_id is None:
                    area[row.id] = row.area_id
    for name in BY_SIGNAL:
        if wanted.get(name):
            table = table_of(name)
            found = select(table.c.id, _SIGNAL.c.resident_id, _SIGNAL.c.area_id).select_from(
                table.join(_SIGNAL, _SIGNAL.c.id == table.c.signal_id)
            )
            for row in connection.execute(found.where(table.c.id.in_(wanted[name]))):
                owner[row.id] = row.resident_id
                if row.resident_id is None:
                    area[row.id] = row.area_id
    return owner, area


def _held(connection: Connection, device_id: str, residents: set[uuid.UUID]) -> set[uuid.UUID]:
    if not residents:
        return set()
    return set(
        connection.execute(
            select(_SCOPE.c.resident_id).where(_SCOPE.c.device_id == device_id, _SCOPE.c.resident_id.in_(residents))
        ).scalars()
    )


class _Filter:
    """Which rows of residents a laptop with areas gets: those of the residents it holds, and
    those of nobody in its areas (or in none)."""

    def __init__(self, connection: Connection, device_id: str, rows: Iterable[tuple[str, uuid.UUID]]) -> None:
        self.owner, self.area = _owners(connection, [(name, i) for name, i in rows if name in _BOUND])
        self.held = _held(connection, device_id, {o for o in self.owner.values() if o is not None})
        raw = connection.execute(select(_DEVICE.c.areas).where(_DEVICE.c.id == device_id)).scalar()
        self.areas = need_to_know.parse_areas(raw or "")

    def sends(self, name: str, row_id: uuid.UUID) -> bool:
        if name not in _BOUND:
            return True
        if row_id not in self.owner:
            return False  # (a row the hub does not have: nothing to send)
        resident = self.owner[row_id]
        if resident is not None:
            return resident in self.held
        where = self.area.get(row_id)
        return where is None or where in self.areas


def visible(connection: Connection, device_id: str, rows: Sequence[Any]) -> tuple[list[Any], set[uuid.UUID]]:
    """The changes of a page this laptop may have, and the residents it holds that rows were
    moved onto (a merge): the move is not sent, since the laptop may never have had the row;
    the resident comes whole instead (`regrow`)."""
    rule = _Filter(connection, device_id, [(row.table_name, row.row_id) for row in rows])
    out: list[Any] = []
    regrow: set[uuid.UUID] = set()
    for row in rows:
        if not rule.sends(row.table_name, row.row_id):
            continue
        if row.table_name in BY_RESIDENT and row.kind == "update" and '"resident_id"' in row.fields:
            owner = rule.owner.get(row.row_id)
            if owner is not None:
                regrow.add(owner)
            continue
        out.append(row)
    return out, regrow


def regrow(engine: Engine, device_id: str, residents: set[uuid.UUID]) -> None:
    """These residents come whole at the laptop's next scope step (rows were moved onto them)."""
    if residents:
        with engine.begin() as connection:
            connection.execute(
                delete(_SCOPE).where(_SCOPE.c.device_id == device_id, _SCOPE.c.resident_id.in_(list(residents)))
            )


def open_conflict_visible(
    connection: Connection, device_id: str, conflicts: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Open conflicts of rows this laptop gets (as the feed's)."""
    rows = [(str(c["table_name"]), uuid.UUID(str(c["row_id"]))) for c in conflicts]
    rule = _Filter(connection, device_id, rows)
    return [c for c, (name, row_id) in zip(conflicts, rows, strict=True) if rule.sends(name, row_id)]


def holds_count(engine: Engine, device_id: str) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(select(func.count()).select_from(_SCOPE).where(_SCOPE.c.device_id == device_id)).scalar()
            or 0
        )
