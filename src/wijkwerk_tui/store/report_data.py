"""The queries behind the period report: grouped counts and the few rows medians need.

Everything is grouped in SQL so a year of 100 000 residents comes back as a few
hundred rows; `reports.period` turns them into figures. Soft-deleted residents (and
their rows) are left out; anonymised residents stay in, so past figures stay true.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, case, func, literal, or_, select
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


def _last_step_on_or_before(ladder: str, day: date) -> object:
    """Per resident, the step in force on `day` (the later entry wins on one day)."""
    rank = func.row_number().over(
        partition_by=LadderStep.resident_id,
        order_by=(col(LadderStep.measured_on).desc(), col(LadderStep.created_at).desc()),
    ).label("rank")
    ranked = (
        select(LadderStep.resident_id, LadderStep.step, rank)
        .where(LadderStep.ladder == ladder, col(LadderStep.deleted_at).is_(None), LadderStep.measured_on <= day)
        .subquery()
    )
    return select(ranked.c.resident_id, ranked.c.step).where(ranked.c.rank == 1).subquery()


def _in_area(statement: Select, area_column: object, period: Period) -> Select:
    return statement.where(area_column == period.area_id) if period.area_id is not None else statement


def _ladder_pairs(session: object, period: Period) -> list[tuple[str, str, int | None, int, int]]:
    rows: list[tuple[str, str, int | None, int, int]] = []
    for ladder in ("participation", "support"):
        at_end = _last_step_on_or_before(ladder, period.end)
        at_start = _last_step_on_or_before(ladder, period.start)
        statement = (
            select(_area_name(Area.name), at_start.c.step, at_end.c.step, func.count())  # type: ignore[attr-defined]
            .select_from(at_end)
            .join(Resident, col(Resident.id) == at_end.c.resident_id)  # type: ignore[attr-defined]
            .outerjoin(at_start, at_start.c.resident_id == at_end.c.resident_id)  # type: ignore[attr-defined]
            .outerjoin(Area, col(Area.id) == col(Resident.area_id))
            .where(col(Resident.deleted_at).is_(None))
            .group_by(_area_name(Area.name), at_start.c.step, at_end.c.step)  # type: ignore[attr-defined]
        )
        statement = _in_area(statement, Resident.area_id, period)
        rows += [(a, ladder, s, e, n) for a, s, e, n in session.execute(statement)]  # type: ignore[attr-defined]
    return rows


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

        contact_area_id = func.coalesce(Contact.area_id, Resident.area_id)
        contact_base = (
            select(Contact).join(Resident, col(Resident.id) == col(Contact.resident_id), isouter=True)
            .outerjoin(Area, col(Area.id) == contact_area_id)
            .where(col(Contact.deleted_at).is_(None), live_resident, Contact.contact_on >= start,
                   Contact.contact_on <= end)
        )
        # Grouped per day (portable SQL); `reports` folds the days into months.
        anonymous = col(Contact.resident_id).is_(None)
        contact_groups = _in_area(contact_base.with_only_columns(area_col, Contact.kind, Contact.contact_on,
                                                                 anonymous, func.count()), contact_area_id, period)
        contacts = list(session.execute(contact_groups.group_by(area_col, Contact.kind, Contact.contact_on,
                                                                anonymous)))
        distinct = func.count(func.distinct(Contact.resident_id))
        reached = list(session.execute(_in_area(contact_base.with_only_columns(area_col, distinct),
                                                contact_area_id, period).group_by(area_col)))
        reached_total = session.execute(_in_area(contact_base.with_only_columns(distinct), contact_area_id,
                                                 period)).scalar() or 0
        stories = list(session.execute(_in_area(
            contact_base.with_only_columns(area_col, Contact.contact_on, Contact.story)
            .where(col(Contact.is_story).is_(True), Contact.story != ""), contact_area_id, period
        ).order_by(area_col, Contact.contact_on)))

        activity_query = (
            select(area_col, func.count(), func.coalesce(func.sum(GroupActivity.participants), 0),
                   func.coalesce(func.sum(GroupActivity.volunteers), 0))
            .select_from(GroupActivity).outerjoin(Area, col(Area.id) == col(GroupActivity.area_id))
            .where(col(GroupActivity.deleted_at).is_(None), GroupActivity.held_on >= start,
                   GroupActivity.held_on <= end)
        )
        activities = list(session.execute(_in_area(activity_query, GroupActivity.area_id, period).group_by(area_col)))
        pairs = _ladder_pairs(session, period)

    return ReportData(
        period, area_name, areas, pairs,
        [tuple(r) for r in signals_new], [(a, c, bool(o), n) for a, c, o, n in signals_at_end],
        [(a, (closed_on - noticed).days, r) for a, noticed, closed_on, r in closed],
        [tuple(r) for r in referrals], [(a, k, f"{d:%Y-%m}", bool(anon), n) for a, k, d, anon, n in contacts],
        [tuple(r) for r in reached], int(reached_total), [tuple(r) for r in activities],
        [tuple(r) for r in stories],
    )
