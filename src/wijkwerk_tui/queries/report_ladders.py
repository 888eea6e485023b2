"""The ladder part of the period report: per resident, the step before the period and at its end.

A resident counts in the area where he lived at the period's end: his current area, unless a
move after the end says where he was then (table residentmove: few rows, read whole). He is
"in beeld" when his latest placement by the end, or a contact, falls in the twelve months up
to the end. On SQLite the histories come from the summary table (migration 0007), one short
row per resident and ladder; elsewhere one ordered pass over the history rows does the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any, cast

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection, CursorResult, literal_column, select
from sqlmodel import col

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Area, Contact, LadderStep, Resident, ResidentMove
from wijkwerk_tui.domain.report import LadderGroup, Period

RawRow = tuple[Any, ...]  # a row straight from the DBAPI cursor: values as stored
IN_VIEW_MONTHS = 12


def cursor_rows(result: CursorResult[Any]) -> Iterator[RawRow]:
    """The rows of the result's DBAPI cursor: plain tuples, without SQLAlchemy's per-row wrapper."""
    # DBAPICursor (SQLAlchemy's protocol) leaves out iteration, which every SQLite cursor has.
    return iter(cast("Iterable[RawRow]", result.cursor))


def stored(name: str) -> Any:
    """A column by its SQL name, untyped: its values come back as stored (hex ids, ISO dates)."""
    return literal_column(name)


def area_names(connection: Connection) -> dict[object, str]:
    """Area names keyed by the id exactly as stored (raw rows carry raw ids)."""
    query = select(stored("area.id"), col(Area.name)).select_from(Area)
    return dict(connection.execute(query).all())


def in_view_from(end: date) -> date:
    """First day of the twelve months up to and including `end`."""
    return end - relativedelta(months=IN_VIEW_MONTHS) + timedelta(days=1)


# Each resident's history on a ladder as one short row of fixed-width "yyyy-mm-dd" + step
# entries, oldest first (migration 0007); areas from the partial covering index on live residents.
_SUMMARY = """
SELECT r.id, r.area_id, s.ladder, s.history
FROM ladder_summary s JOIN resident r INDEXED BY ix_resident_live_area ON r.id = s.resident_id
WHERE r.deleted_at IS NULL
"""
_ENTRY = 12  # "yyyy-mm-dd" + step + groeipotentieel (0: none), migration 0012


def _last_on(history: str, day: str) -> int:
    """Index of the last entry dated on or before `day` (ISO), -1 if none."""
    i = len(history) - _ENTRY
    while i >= 0 and history[i : i + 10] > day:
        i -= _ENTRY
    return i


def step_on(history: str, day: str) -> int | None:
    """The step in force at the end of `day` (ISO): the last entry dated on or before it."""
    i = _last_on(history, day)
    return int(history[i + 10]) if i >= 0 else None


def moved_since(connection: Connection, end: date) -> dict[object, object]:
    """Raw resident id -> raw area id at the end of `end`, for residents who moved after it:
    the area they left in their first move after that day."""
    rows = connection.execute(
        select(stored("resident_id"), stored("from_area_id"), stored("moved_on"))
        .select_from(ResidentMove)
        .where(col(ResidentMove.deleted_at).is_(None), col(ResidentMove.moved_on) > end)
        .order_by(stored("resident_id"), col(ResidentMove.moved_on), col(ResidentMove.created_at))
    )
    first: dict[object, object] = {}
    for resident_id, from_area, _on in cursor_rows(rows):
        first.setdefault(resident_id, from_area)
    return first


def _contacted(connection: Connection, since: date, end: date) -> set[object]:
    """Raw ids of residents with a contact from `since` to `end`."""
    rows = connection.execute(
        select(stored("contact.resident_id"))
        .select_from(Contact)
        .where(
            col(Contact.deleted_at).is_(None),
            col(Contact.contact_on) >= since,
            col(Contact.contact_on) <= end,
            col(Contact.resident_id).is_not(None),
        )
        .distinct()
    )
    return {rid for (rid,) in cursor_rows(rows)}


def ladder_groups(db: Database, period: Period, *, portable: bool = False) -> list[LadderGroup]:
    """(area at the end, ladder, step before the period | None, step at the end, in beeld,
    groeipotentieel at the end (recorded with the step then in force, 0: none), count).
    `portable`: fold the history rows even on SQLite (what other databases do)."""
    before = (period.start - timedelta(days=1)).isoformat()
    end, since = period.end.isoformat(), in_view_from(period.end)
    counts: Counter[tuple[object, str, int | None, int, bool, int]] = Counter()
    with db.reading() as session:
        connection = session.connection()
        names = area_names(connection)
        then = moved_since(connection, period.end)
        contacted = _contacted(connection, since, period.end)
        histories = _fold(connection, before, end) if portable else _histories(db, connection, before, end)
        for resident_id, area_id, ladder, at_start, at_end, last_on, potential in histories:
            in_view = last_on >= since.isoformat() or resident_id in contacted
            counts[(then.get(resident_id, area_id), ladder, at_start, at_end, in_view, potential)] += 1
    return [(names.get(area), ladder, s, e, v, p, n) for (area, ladder, s, e, v, p), n in counts.items()]


History = tuple[object, object, str, int | None, int, str, int]


def _histories(db: Database, connection: Connection, before: str, end: str) -> Iterator[History]:
    """(raw resident id, raw area id, ladder, step before, step at the end, date of that step,
    potential recorded with it or 0) for every live resident placed by the end."""
    if db.engine.dialect.name == "sqlite":
        for resident_id, area_id, ladder, history in cursor_rows(connection.exec_driver_sql(_SUMMARY)):
            i = _last_on(history, end)
            if i >= 0:  # placed on or before the end
                step, potential = int(history[i + 10]), int(history[i + 11])
                yield resident_id, area_id, ladder, step_on(history, before), step, history[i : i + 10], potential
    else:
        yield from _fold(connection, before, end)


def _fold(connection: Connection, before: str, end: str) -> Iterator[History]:
    """Portable: one pass over the history rows in (resident, ladder, date, entry time) order;
    the last row of a resident on or before a day is the step in force then."""
    live: dict[object, object] = dict(
        cursor_rows(
            connection.execute(
                select(stored("resident.id"), stored("resident.area_id"))
                .select_from(Resident)
                .where(col(Resident.deleted_at).is_(None))
            )
        )
    )
    result = connection.execute(
        select(stored("resident_id"), stored("ladder"), stored("measured_on"), stored("step"), stored("potential"))
        .select_from(LadderStep)
        .where(col(LadderStep.deleted_at).is_(None), col(LadderStep.measured_on) <= date.fromisoformat(end))
        .order_by(
            col(LadderStep.resident_id), col(LadderStep.ladder), col(LadderStep.measured_on), col(LadderStep.created_at)
        )
    )
    current: tuple[object, str] | None = None
    at_start: int | None = None
    at_end, last_on, grows = 0, "", 0
    for resident_id, ladder, measured_on, step, potential in cursor_rows(result):
        if (resident_id, ladder) != current:
            if current is not None and current[0] in live:
                yield current[0], live[current[0]], current[1], at_start, at_end, last_on, grows
            current, at_start = (resident_id, ladder), None
        at_end, last_on, grows = step, str(measured_on)[:10], potential or 0
        if last_on <= before:
            at_start = step
    if current is not None and current[0] in live:
        yield current[0], live[current[0]], current[1], at_start, at_end, last_on, grows
