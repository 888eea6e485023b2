"""The queries behind the period report: grouped counts and the few rows medians need.

Everything is grouped in SQL so a year of 100 000 residents comes back as a few
hundred rows; `reports.period` turns them into figures. Soft-deleted residents (and
their rows) are left out; anonymised residents stay in, so past figures stay true.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, case, func, literal, literal_column, or_, select
from sqlmodel import col

from wijkwerk_tui.store.engine import Database
from wijkwerk_tui.store.tables import (
    Area, Contact, GroupActivity, LadderStep, Partner, Referral, Resident, Signal,
)

NO_AREA = "(geen gebied)"


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    area_id: uuid.UUID | None = None


@dataclass
class ReportData:
    """Raw groups; each tuple starts with the area name."""

    period: Period
    area_name: str
    areas: list[str]
    # (area, ladder, start_step | None, end_step, count)
    ladder_pairs: list[tuple[str, str, int | None, int, int]]
    # (area, category, count) of signals noticed in the period
    signals_new: list[tuple[str, str, int]]
    # (area, category, open_at_end, count) of signals noticed on or before the end
    signals_at_end: list[tuple[str, str, bool, int]]
    # (area, days_to_close, close_reason) of signals closed in the period
    signals_closed: list[tuple[str, int, str]]
    # (area, partner, status, referred_on, feedback_due_on, feedback_on) sent in the period
    referrals: list[tuple[str, str, str, date, date | None, date | None]]
    # (area, kind, yyyy-mm, anonymous, count)
    contacts: list[tuple[str, str, str, bool, int]]
    # (area, distinct residents) and the distinct count over all areas
    reached: list[tuple[str, int]]
    reached_total: int
    # (area, activities, participants, volunteers)
    activities: list[tuple[str, int, int, int]]
    # (area, date, story)
    stories: list[tuple[str, date, str]]


def _area_name(column: object) -> object:
    return func.coalesce(column, literal(NO_AREA))


def _ladder_pairs(session: object, period: Period, areas_of: dict[object, str]) -> list[tuple[str, str, int | None, int, int]]:
    """(area, ladder, step at start, step at end, residents) for residents placed by the end.

    One pass per ladder over a covering index in (resident, date, entry time) order: the
    last row of a resident on or before a day is the step in force then, the later entry
    winning on one day. Portable SQL; a window function costs about twice as much here.
    """
    counts: Counter[tuple[str, str, int | None, int]] = Counter()
    # Raw column values (no UUID or date objects made for ~1M rows): ids compare as stored,
    # ISO dates compare as text.
    by_stored_id = areas_of
    start = period.start.isoformat()
    connection = session.connection()  # type: ignore[attr-defined]  # Core rows: no ORM overhead
    raw = [literal_column(c) for c in ("resident_id", "measured_on", "step")]
    for ladder in ("participation", "support"):
        result = connection.execute(
            select(*raw).select_from(LadderStep)
            .where(LadderStep.ladder == ladder, col(LadderStep.deleted_at).is_(None),
                   LadderStep.measured_on <= period.end)
            .order_by(LadderStep.resident_id, LadderStep.measured_on, LadderStep.created_at)
        )
        rows = result.cursor  # iterate the DBAPI cursor itself: ~1M rows, no per-row wrapper
        current, at_start, at_end = None, None, None
        for resident_id, measured_on, step in rows:
            if resident_id != current:
                if current in by_stored_id:
                    counts[(by_stored_id[current], ladder, at_start, at_end)] += 1  # type: ignore[index]
                current, at_start = resident_id, None
            at_end = step
            if measured_on <= start:  # ISO dates compare as text
                at_start = step
        if current in by_stored_id:
            counts[(by_stored_id[current], ladder, at_start, at_end)] += 1  # type: ignore[index]
    return [(*key, n) for key, n in counts.items()]


def _live_residents(session: object, period: Period) -> dict[object, str]:
    """Area name of every resident that counts (not soft-deleted; in the area, if filtered),
    keyed by the id exactly as stored, to match the raw ladder rows."""
    statement = (
        select(literal_column("resident.id"), _area_name(Area.name)).select_from(Resident)
        .outerjoin(Area, col(Area.id) == col(Resident.area_id))
        .where(col(Resident.deleted_at).is_(None))
    )
    rows = session.connection().execute(_in_area(statement, Resident.area_id, period))  # type: ignore[attr-defined]
    return dict(rows.all())


def _in_area(statement: Select, area_column: object, period: Period) -> Select:
    return statement.where(area_column == period.area_id) if period.area_id is not None else statement


def load(db: Database, period: Period) -> ReportData:
    start, end = period.start, period.end
    live_resident = or_(col(Resident.pk).is_(None), col(Resident.deleted_at).is_(None))
    with db.reading() as session:
        areas = [a for (a,) in session.execute(select(Area.name).where(col(Area.deleted_at).is_(None))
                                                .order_by(Area.sort_order, Area.name))]
        area_name = ""
        if period.area_id is not None:
            area_name = session.execute(select(Area.name).where(Area.id == period.area_id)).scalar() or ""

        # Signals: their own area (anonymous ones) or their resident's.
        signal_area_id = func.coalesce(Signal.area_id, Resident.area_id)
        signal_base = (
            select(Signal).join(Resident, col(Resident.id) == col(Signal.resident_id), isouter=True)
            .outerjoin(Area, col(Area.id) == signal_area_id)
            .where(col(Signal.deleted_at).is_(None), live_resident)
        )
        def signals(*columns: object, where: object, group: bool = True) -> list:  # noqa: E306
            statement = _in_area(signal_base.with_only_columns(*columns).where(where), signal_area_id, period)
            if group:
                statement = statement.group_by(*columns[:-1])
            return list(session.execute(statement))

        area_col = _area_name(Area.name)
        signals_new = signals(area_col, Signal.category, func.count(),
                              where=and_(Signal.noticed_on >= start, Signal.noticed_on <= end))
        open_at_end = case((and_(col(Signal.closed_on).is_not(None), Signal.closed_on <= end), False), else_=True)
        signals_at_end = signals(area_col, Signal.category, open_at_end, func.count(), where=Signal.noticed_on <= end)
        closed = signals(area_col, Signal.noticed_on, Signal.closed_on, func.coalesce(Signal.close_reason, ""),
                         where=and_(Signal.closed_on >= start, Signal.closed_on <= end), group=False)

        referral_area = Resident.area_id
        referral_query = (
            select(area_col, Partner.name, Referral.status, Referral.referred_on, Referral.feedback_due_on,
                   Referral.feedback_on)
            .join(Resident, col(Resident.id) == col(Referral.resident_id))
            .join(Partner, col(Partner.id) == col(Referral.partner_id))
            .outerjoin(Area, col(Area.id) == col(Resident.area_id))
            .where(col(Referral.deleted_at).is_(None), col(Resident.deleted_at).is_(None),
                   Referral.referred_on >= start, Referral.referred_on <= end)
        )
        referrals = list(session.execute(_in_area(referral_query, referral_area, period)))

        # Contacts count in the area recorded on the contact (the resident's, when made).
        deleted = select(Resident.id).where(col(Resident.deleted_at).is_not(None))
        contact_base = (
            select(Contact).outerjoin(Area, col(Area.id) == col(Contact.area_id))
            .where(col(Contact.deleted_at).is_(None), Contact.contact_on >= start, Contact.contact_on <= end,
                   or_(col(Contact.resident_id).is_(None), col(Contact.resident_id).not_in(deleted)))
        )
        # Grouped per day (portable SQL); `reports` folds the days into months.
        anonymous = col(Contact.resident_id).is_(None)
        contact_groups = _in_area(contact_base.with_only_columns(area_col, Contact.kind, Contact.contact_on,
                                                                 anonymous, func.count()), Contact.area_id, period)
        contacts = list(session.execute(contact_groups.group_by(area_col, Contact.kind, Contact.contact_on,
                                                                anonymous)))
        distinct = func.count(func.distinct(Contact.resident_id))
        reached = list(session.execute(_in_area(contact_base.with_only_columns(area_col, distinct),
                                                Contact.area_id, period).group_by(area_col)))
        reached_total = session.execute(_in_area(contact_base.with_only_columns(distinct), Contact.area_id,
                                                 period)).scalar() or 0
        stories = list(session.execute(_in_area(
            contact_base.with_only_columns(area_col, Contact.contact_on, Contact.story)
            .where(col(Contact.is_story).is_(True), Contact.story != ""), Contact.area_id, period
        ).order_by(area_col, Contact.contact_on)))

        activity_query = (
            select(area_col, func.count(), func.coalesce(func.sum(GroupActivity.participants), 0),
                   func.coalesce(func.sum(GroupActivity.volunteers), 0))
            .select_from(GroupActivity).outerjoin(Area, col(Area.id) == col(GroupActivity.area_id))
            .where(col(GroupActivity.deleted_at).is_(None), GroupActivity.held_on >= start,
                   GroupActivity.held_on <= end)
        )
        activities = list(session.execute(_in_area(activity_query, GroupActivity.area_id, period).group_by(area_col)))
        pairs = _ladder_pairs(session, period, _live_residents(session, period))

    return ReportData(
        period, area_name, areas, pairs,
        [tuple(r) for r in signals_new], [(a, c, bool(o), n) for a, c, o, n in signals_at_end],
        [(a, (closed_on - noticed).days, r) for a, noticed, closed_on, r in closed],
        [tuple(r) for r in referrals], [(a, k, f"{d:%Y-%m}", bool(anon), n) for a, k, d, anon, n in contacts],
        [tuple(r) for r in reached], int(reached_total), [tuple(r) for r in activities],
        [tuple(r) for r in stories],
    )
