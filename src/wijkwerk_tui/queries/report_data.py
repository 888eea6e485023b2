"""The queries behind the period report: grouped counts and the few rows medians need.

Counts are grouped in SQL so a year of 100 000 residents comes back as a few hundred
rows (the ladders: one short summary row per resident, folded here; the reach: the
distinct residents contacted); `domain.report` turns them into figures. Soft-deleted
residents (and their rows) are left out; anonymised residents stay in, so past figures
stay true. On SQLite the ladders read the summary table (migration 0007) through a named
index, and day counts use `julianday`; elsewhere portable SQL does the same.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar, cast

from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    Connection,
    CursorResult,
    Integer,
    Select,
    SQLColumnExpression,
    and_,
    case,
    func,
    literal_column,
    or_,
    select,
)
from sqlmodel import Session, col

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import (
    Area,
    Contact,
    GroupActivity,
    LadderStep,
    Partner,
    Referral,
    Resident,
    Signal,
)
from wijkwerk_tui.domain.report import AreaName, Period, ReportData
from wijkwerk_tui.store.access import require_role

AnySelect = TypeVar("AnySelect", bound="Select[*tuple[Any, ...]]")
RawRow = tuple[Any, ...]  # a row straight from the DBAPI cursor: values as stored


def _area_name(column: SQLColumnExpression[str]) -> SQLColumnExpression[AreaName]:
    return column  # None for a row without an area; the report names it


def _stored(name: str) -> ColumnClause[Any]:
    """A column by its SQL name, untyped: its values come back as stored (hex ids, ISO dates)."""
    return literal_column(name)


def _cursor_rows(result: CursorResult[*tuple[Any, ...]]) -> Iterator[RawRow]:
    """The rows of the result's DBAPI cursor: plain tuples, without SQLAlchemy's per-row wrapper."""
    # DBAPICursor (SQLAlchemy's protocol) leaves out iteration, which every SQLite cursor has.
    return iter(cast("Iterable[RawRow]", result.cursor))


# On SQLite each resident's history on a ladder is one short row of fixed-width
# "yyyy-mm-dd" + step entries, oldest first (table ladder_summary, kept by triggers:
# migration 0007), so the report reads ~100 000 rows per ladder instead of folding ~1
# million history rows. Areas come from the partial covering index on live residents.
_SUMMARY = """
SELECT r.area_id, s.ladder, s.history
FROM ladder_summary s JOIN resident r INDEXED BY ix_resident_live_area ON r.id = s.resident_id
WHERE r.deleted_at IS NULL AND (:area IS NULL OR r.area_id = :area)
"""
_ENTRY = 11  # "yyyy-mm-dd" + one digit


def step_on(history: str, day: str) -> int | None:
    """The step in force on `day` (ISO): the last entry dated on or before it."""
    i = len(history) - _ENTRY
    while i >= 0 and history[i : i + 10] > day:
        i -= _ENTRY
    return int(history[i + 10]) if i >= 0 else None


def _ladder_pairs_sqlite(db: Database, period: Period) -> list[tuple[AreaName, str, int | None, int, int]]:
    start, end = period.start.isoformat(), period.end.isoformat()
    counts: Counter[tuple[object, str, int | None, int]] = Counter()
    with db.reading() as session:
        connection = session.connection()
        names = _area_names(connection)
        rows = connection.exec_driver_sql(_SUMMARY, {"area": period.area_id.hex if period.area_id else None})
        for area_id, ladder, history in _cursor_rows(rows):
            at_end = step_on(history, end)
            if at_end is not None:  # placed on or before the end
                counts[(area_id, ladder, step_on(history, start), at_end)] += 1
    return [
        (names.get(area_id), ladder, at_start, at_end, n) for (area_id, ladder, at_start, at_end), n in counts.items()
    ]


def _ladder_fold(db: Database, period: Period, ladder: str) -> dict[object, tuple[int | None, int]]:
    """Per resident placed by the end: (step at the start, step at the end) on one ladder.

    One pass over a covering index in (resident, date, entry time) order: the last row of
    a resident on or before a day is the step in force then, the later entry winning on
    one day. Raw column values (no UUID or date objects for ~1M rows): ids stay as
    stored, ISO dates compare as text. Portable SQL; a window function costs twice this.
    """
    start = period.start.isoformat()
    raw = [_stored(c) for c in ("resident_id", "measured_on", "step")]
    folded: dict[object, tuple[int | None, int]] = {}
    with db.reading() as session:
        result = session.connection().execute(
            select(*raw)
            .select_from(LadderStep)
            .where(
                col(LadderStep.ladder) == ladder,
                col(LadderStep.deleted_at).is_(None),
                col(LadderStep.measured_on) <= period.end,
            )
            .order_by(col(LadderStep.resident_id), col(LadderStep.measured_on), col(LadderStep.created_at))
        )
        current, at_start, at_end = None, None, 0
        for resident_id, measured_on, step in _cursor_rows(result):  # the DBAPI cursor: no per-row wrapper
            if resident_id != current:
                if current is not None:
                    folded[current] = (at_start, at_end)
                current, at_start = resident_id, None
            at_end = step
            if str(measured_on) <= start:
                at_start = step
        if current is not None:
            folded[current] = (at_start, at_end)
    return folded


def _ladder_pairs(
    folds: dict[str, dict[object, tuple[int | None, int]]], areas_of: dict[object, AreaName]
) -> list[tuple[AreaName, str, int | None, int, int]]:
    counts: Counter[tuple[AreaName, str, int | None, int]] = Counter()
    for ladder, folded in folds.items():
        for resident_id, (at_start, at_end) in folded.items():
            if resident_id in areas_of:  # not soft-deleted, and in the chosen area
                counts[(areas_of[resident_id], ladder, at_start, at_end)] += 1
    return [(*key, n) for key, n in counts.items()]


def _live_residents(session: Session, period: Period) -> dict[object, AreaName]:
    """Area name of every resident that counts (not soft-deleted; in the area, if filtered),
    keyed by the id exactly as stored, to match the raw ladder rows. Read from a covering
    index: the resident rows themselves (names and all) are never decrypted for this."""
    connection = session.connection()
    names = _area_names(connection)
    statement = (
        select(_stored("resident.id"), _stored("resident.area_id"))
        .select_from(Resident)
        .where(col(Resident.deleted_at).is_(None))
    )
    rows = connection.execute(_in_area(statement, col(Resident.area_id), period))
    return {rid: names.get(area_id) for rid, area_id in _cursor_rows(rows)}


def _area_names(connection: Connection) -> dict[object, str]:
    """Area names keyed by the id exactly as stored (raw rows carry raw ids)."""
    query = select(_stored("area.id"), col(Area.name)).select_from(Area)
    return dict(connection.execute(query).all())


def _month(db: Database, column: SQLColumnExpression[Any]) -> ColumnElement[Any]:
    """'yyyy-mm' of a date column: dates are ISO text on SQLite."""
    if db.engine.dialect.name == "sqlite":
        return func.substr(column, 1, 7)
    return func.to_char(column, "YYYY-MM")


def _days_between(db: Database, first: SQLColumnExpression[Any], last: SQLColumnExpression[Any]) -> ColumnElement[Any]:
    if db.engine.dialect.name == "sqlite":  # ISO text dates
        return func.cast(func.julianday(last) - func.julianday(first), Integer)
    return last - first


def _in_area(statement: AnySelect, area_column: SQLColumnExpression[Any], period: Period) -> AnySelect:
    return statement.where(area_column == period.area_id) if period.area_id is not None else statement


def load(db: Database, actor: uuid.UUID | None, period: Period) -> ReportData:
    """All groups for one period, for a coordinator. (Running the two ladder passes in threads
    gained nothing: sqlcipher3 keeps the GIL while SQLite reads.)"""
    with db.reading() as session:
        require_role(session, actor, "report")
    data = _load_rest(db, period)
    data.ladder_pairs = (
        _ladder_pairs_sqlite(db, period) if db.engine.dialect.name == "sqlite" else ladder_pairs_portable(db, period)
    )
    return data


def ladder_pairs_portable(db: Database, period: Period) -> list[tuple[AreaName, str, int | None, int, int]]:
    with db.reading() as session:
        areas_of = _live_residents(session, period)
    return _ladder_pairs(
        {ladder: _ladder_fold(db, period, ladder) for ladder in ("participation", "support")}, areas_of
    )


def _load_rest(db: Database, period: Period) -> ReportData:
    start, end = period.start, period.end
    with db.reading() as session:
        areas = [
            a
            for (a,) in session.execute(
                select(col(Area.name))
                .where(col(Area.deleted_at).is_(None))
                .order_by(col(Area.sort_order), col(Area.name))
            )
        ]
        area_name = ""
        if period.area_id is not None:
            area_name = session.execute(select(col(Area.name)).where(col(Area.id) == period.area_id)).scalar() or ""

        # Signals and contacts count in the area recorded on them (the resident's when made);
        # no join with residents, only the few soft-deleted ones are left out.
        deleted = select(col(Resident.id)).where(col(Resident.deleted_at).is_not(None))
        area_col = _area_name(col(Area.name))
        is_new = col(Signal.noticed_on) >= start
        open_at_end = case((and_(col(Signal.closed_on).is_not(None), col(Signal.closed_on) <= end), False), else_=True)
        signal_groups = _in_area(
            select(area_col, col(Signal.category), is_new, open_at_end, func.count())
            .select_from(Signal)
            .outerjoin(Area, col(Area.id) == col(Signal.area_id))
            .where(
                col(Signal.deleted_at).is_(None),
                col(Signal.noticed_on) <= end,
                or_(col(Signal.resident_id).is_(None), col(Signal.resident_id).not_in(deleted)),
            )
            .group_by(area_col, col(Signal.category), is_new, open_at_end),
            col(Signal.area_id),
            period,
        )
        signals_new: Counter[tuple[AreaName, str]] = Counter()
        signals_at_end: list[tuple[AreaName, str, bool, int]] = []
        for area, category, new, is_open, n in session.execute(signal_groups):
            if new:
                signals_new[(area, category)] += n
            signals_at_end.append((area, category, bool(is_open), n))
        closed = list(
            session.connection().execute(
                _in_area(
                    select(
                        area_col,
                        _days_between(db, col(Signal.noticed_on), col(Signal.closed_on)),
                        func.coalesce(Signal.close_reason, ""),
                    )
                    .select_from(Signal)
                    .outerjoin(Area, col(Area.id) == col(Signal.area_id))
                    .where(
                        col(Signal.deleted_at).is_(None),
                        col(Signal.closed_on) >= start,
                        col(Signal.closed_on) <= end,
                        or_(col(Signal.resident_id).is_(None), col(Signal.resident_id).not_in(deleted)),
                    ),
                    col(Signal.area_id),
                    period,
                )
            )
        )

        referral_area = col(Resident.area_id)
        referral_query = (
            select(
                area_col,
                col(Partner.name),
                col(Referral.status),
                col(Referral.referred_on),
                col(Referral.feedback_due_on),
                col(Referral.feedback_on),
            )
            .join(Resident, col(Resident.id) == col(Referral.resident_id))
            .join(Partner, col(Partner.id) == col(Referral.partner_id))
            .outerjoin(Area, col(Area.id) == col(Resident.area_id))
            .where(
                col(Referral.deleted_at).is_(None),
                col(Resident.deleted_at).is_(None),
                col(Referral.referred_on) >= start,
                col(Referral.referred_on) <= end,
            )
        )
        referrals = list(session.connection().execute(_in_area(referral_query, referral_area, period)))

        contact_base = (
            select(Contact)
            .outerjoin(Area, col(Area.id) == col(Contact.area_id))
            .where(
                col(Contact.deleted_at).is_(None),
                col(Contact.contact_on) >= start,
                col(Contact.contact_on) <= end,
                or_(col(Contact.resident_id).is_(None), col(Contact.resident_id).not_in(deleted)),
            )
        )
        connection = session.connection()
        # Counts per month, grouped inside the database (a year is ~170 000 contacts at 100k
        # residents); rows are read from the DBAPI cursor, without per-row conversion.
        anonymous = col(Contact.resident_id).is_(None)
        month = _month(db, col(Contact.contact_on))
        per_month = _in_area(
            contact_base.with_only_columns(area_col, col(Contact.kind), month, anonymous, func.count()),
            col(Contact.area_id),
            period,
        ).group_by(area_col, col(Contact.kind), month, anonymous)
        contacts = [
            (area, kind, str(ym), bool(anon), n)
            for area, kind, ym, anon, n in _cursor_rows(connection.execute(per_month))
        ]
        # The distinct (area id, resident) pairs once, for both the per-area and the overall
        # reach; raw ids as stored, areas named afterwards.
        pairs = _in_area(
            select(_stored("contact.area_id"), _stored("contact.resident_id"))
            .select_from(Contact)
            .where(
                col(Contact.deleted_at).is_(None),
                col(Contact.contact_on) >= start,
                col(Contact.contact_on) <= end,
                col(Contact.resident_id).is_not(None),
                col(Contact.resident_id).not_in(deleted),
            )
            .distinct(),
            col(Contact.area_id),
            period,
        )
        seen_ids: Counter[object] = Counter()
        everyone: set[object] = set()
        for area_id, resident_id in _cursor_rows(connection.execute(pairs)):
            seen_ids[area_id] += 1
            everyone.add(resident_id)
        area_names = _area_names(connection)
        seen: Counter[AreaName] = Counter()
        for area_id, n in seen_ids.items():
            seen[area_names.get(area_id)] += n
        reached = list(seen.items())
        reached_total = len(everyone)
        stories = list(
            session.execute(
                _in_area(
                    contact_base.with_only_columns(area_col, col(Contact.contact_on), col(Contact.story)).where(
                        col(Contact.is_story) == True  # noqa: E712 (`= 1` matches the partial index)
                    ),
                    col(Contact.area_id),
                    period,
                ).order_by(area_col, col(Contact.contact_on))
            )
        )

        activity_query = (
            select(
                area_col,
                func.count(),
                func.coalesce(func.sum(GroupActivity.participants), 0),
                func.coalesce(func.sum(GroupActivity.volunteers), 0),
            )
            .select_from(GroupActivity)
            .outerjoin(Area, col(Area.id) == col(GroupActivity.area_id))
            .where(
                col(GroupActivity.deleted_at).is_(None),
                col(GroupActivity.held_on) >= start,
                col(GroupActivity.held_on) <= end,
            )
        )
        activities = list(
            session.execute(_in_area(activity_query, col(GroupActivity.area_id), period).group_by(area_col))
        )

    data = ReportData(
        period,
        area_name,
        areas,
        [],
        [(a, c, n) for (a, c), n in signals_new.items()],
        signals_at_end,
        [(a, int(days), r) for a, days, r in closed],
        [(a, partner, status, on, due, feedback) for a, partner, status, on, due, feedback in referrals],
        contacts,
        reached,
        reached_total,
        [(a, count, participants, volunteers) for a, count, participants, volunteers in activities],
        [(a, day, story) for a, day, story in stories],
    )
    return data
