"""The queries behind the period report: grouped counts and the few rows medians need.

Counts are grouped in SQL so a year of 100 000 residents comes back as a few hundred rows
(the ladders: `report_ladders`); `domain.report` turns them into figures. Always over all
areas: a report for one area is the protected all-areas report cut down (domain.report).
Signals, contacts and referrals count in the area recorded on them (where they were made).
Soft-deleted residents (and their rows) are left out; anonymised residents stay in, so past
figures stay true. Day counts use `julianday` on SQLite; elsewhere portable SQL.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, SQLColumnExpression, and_, case, exists, func, or_, select
from sqlmodel import Session, col

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import (
    Area,
    Contact,
    GroupActivity,
    Partner,
    Referral,
    Resident,
    Signal,
    SignalReopening,
)
from wijkwerk_tui.domain.report import (
    AnonymousSignals,
    ClosedSignal,
    ContactGroup,
    Period,
    ReferralRow,
    ReportData,
    SignalGroup,
)
from wijkwerk_tui.queries.report_extra import extra
from wijkwerk_tui.queries.report_ladders import area_names, cursor_rows, ladder_groups, stored
from wijkwerk_tui.store.access import require_role


def _month(db: Database, column: SQLColumnExpression[Any]) -> ColumnElement[Any]:
    """'yyyy-mm' of a date column: dates are ISO text on SQLite."""
    if db.engine.dialect.name == "sqlite":
        return func.substr(column, 1, 7)
    return func.to_char(column, "YYYY-MM")


def _days_between(db: Database, first: SQLColumnExpression[Any], last: SQLColumnExpression[Any]) -> ColumnElement[Any]:
    if db.engine.dialect.name == "sqlite":  # ISO text dates
        return func.cast(func.julianday(last) - func.julianday(first), Integer)
    return last - first


def load(db: Database, actor: uuid.UUID | None, period: Period) -> ReportData:
    """All groups for one period, for a coordinator. (Running the passes in threads gained
    nothing: sqlcipher3 keeps the GIL while SQLite reads.)"""
    with db.reading() as session:
        require_role(session, actor, "report")
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
        signal_groups, closed, anonymous = _signals(db, session, period)
        referrals = _referrals(session, period)
        contacts, reached, reached_total, stories, pairs = _contacts(db, session, period)
        activities = _activities(session, period)
        more = extra(session.connection(), period, pairs)
    return ReportData(
        period,
        db.today(),
        area_name,
        areas,
        ladder_groups(db, period),
        signal_groups,
        closed,
        anonymous,
        referrals,
        contacts,
        reached,
        reached_total,
        activities,
        stories,
        more,
    )


def _deleted_residents() -> Any:
    return select(col(Resident.id)).where(col(Resident.deleted_at).is_not(None))


def _signals(
    db: Database, session: Session, period: Period
) -> tuple[list[SignalGroup], list[ClosedSignal], list[AnonymousSignals]]:
    start, end = period.start, period.end
    live = or_(col(Signal.resident_id).is_(None), col(Signal.resident_id).not_in(_deleted_residents()))
    # Closed at the end: closed by then, or closed then and reopened only after it.
    undone_after = exists().where(
        col(SignalReopening.signal_id) == col(Signal.id),
        col(SignalReopening.deleted_at).is_(None),
        col(SignalReopening.closed_on) <= end,
        col(SignalReopening.reopened_on) > end,
    )
    closed_at_end = or_(and_(col(Signal.closed_on).is_not(None), col(Signal.closed_on) <= end), undone_after)
    is_open = case((closed_at_end, False), else_=True)
    is_new = col(Signal.noticed_on) >= start
    anonymous = col(Signal.resident_id).is_(None)
    area = col(Area.name)
    columns = (area, col(Signal.category), col(Signal.urgency), col(Signal.source), anonymous, is_new, is_open)
    groups = session.execute(
        select(*columns, func.count())
        .select_from(Signal)
        .outerjoin(Area, col(Area.id) == col(Signal.area_id))
        .where(col(Signal.deleted_at).is_(None), col(Signal.noticed_on) <= end, live)
        .group_by(*columns)
    )
    signal_groups = [(a, c, u, s, bool(anon), bool(new), bool(o), n) for a, c, u, s, anon, new, o, n in groups]

    # Closed in the period and still closed at its end: the current closing, or one undone after the end.
    closed: list[ClosedSignal] = [
        (a, int(days), reason or "")
        for a, days, reason in session.execute(
            select(area, _days_between(db, col(Signal.noticed_on), col(Signal.closed_on)), col(Signal.close_reason))
            .select_from(Signal)
            .outerjoin(Area, col(Area.id) == col(Signal.area_id))
            .where(col(Signal.deleted_at).is_(None), col(Signal.closed_on) >= start, col(Signal.closed_on) <= end, live)
        )
    ]
    closed += [
        (a, int(days), reason or "")
        for a, days, reason in session.execute(
            select(
                area,
                _days_between(db, col(Signal.noticed_on), col(SignalReopening.closed_on)),
                col(SignalReopening.close_reason),
            )
            .select_from(SignalReopening)
            .join(Signal, col(Signal.id) == col(SignalReopening.signal_id))
            .outerjoin(Area, col(Area.id) == col(Signal.area_id))
            .where(
                col(Signal.deleted_at).is_(None),
                col(SignalReopening.deleted_at).is_(None),
                col(SignalReopening.closed_on) >= start,
                col(SignalReopening.closed_on) <= end,
                col(SignalReopening.reopened_on) > end,
                live,
            )
        )
    ]

    # Categories noted at anonymous contacts (no one to hang a signal on).
    per_category: Counter[tuple[str | None, str]] = Counter()
    for a, categories, n in session.execute(
        select(area, col(Contact.signal_categories), func.count())
        .select_from(Contact)
        .outerjoin(Area, col(Area.id) == col(Contact.area_id))
        .where(
            col(Contact.deleted_at).is_(None),
            col(Contact.resident_id).is_(None),
            col(Contact.signal_categories) != "",
            col(Contact.contact_on) >= start,
            col(Contact.contact_on) <= end,
        )
        .group_by(area, col(Contact.signal_categories))
    ):
        for category in dict.fromkeys(c for c in str(categories).split(",") if c):
            per_category[(a, category)] += n
    return signal_groups, closed, [(a, c, n) for (a, c), n in per_category.items()]


def _referrals(session: Session, period: Period) -> list[ReferralRow]:
    rows = session.execute(
        select(
            col(Area.name),
            col(Partner.name),
            col(Referral.status),
            col(Referral.referred_on),
            col(Referral.sent_on),
            col(Referral.feedback_due_on),
            col(Referral.feedback_on),
            col(Referral.consent_share),
        )
        .join(Resident, col(Resident.id) == col(Referral.resident_id))
        .join(Partner, col(Partner.id) == col(Referral.partner_id))
        .outerjoin(Area, col(Area.id) == col(Referral.area_id))
        .where(
            col(Referral.deleted_at).is_(None),
            col(Resident.deleted_at).is_(None),
            col(Referral.referred_on) >= period.start,
            col(Referral.referred_on) <= period.end,
        )
    )
    return [(a, p, s, on, sent, due, fb, bool(consent)) for a, p, s, on, sent, due, fb, consent in rows]


def _contacts(
    db: Database, session: Session, period: Period
) -> tuple[
    list[ContactGroup],
    list[tuple[str | None, int]],
    int,
    list[tuple[str | None, date, str]],
    list[tuple[object, object]],
]:
    start, end = period.start, period.end
    deleted = _deleted_residents()
    in_period = (
        col(Contact.deleted_at).is_(None),
        col(Contact.contact_on) >= start,
        col(Contact.contact_on) <= end,
    )
    area = col(Area.name)
    connection = session.connection()
    # Counts per month, grouped inside the database (a year is ~170 000 contacts at 100k
    # residents); rows are read from the DBAPI cursor, without per-row conversion.
    anonymous = col(Contact.resident_id).is_(None)
    month = _month(db, col(Contact.contact_on))
    minutes = func.coalesce(func.sum(Contact.duration_min), 0)
    per_month = (
        select(area, col(Contact.kind), month, anonymous, func.count(), minutes)
        .select_from(Contact)
        .outerjoin(Area, col(Area.id) == col(Contact.area_id))
        .where(*in_period, or_(anonymous, col(Contact.resident_id).not_in(deleted)))
        .group_by(area, col(Contact.kind), month, anonymous)
    )
    contacts = [
        (a, kind, str(ym), bool(anon), n, int(minutes or 0))
        for a, kind, ym, anon, n, minutes in cursor_rows(connection.execute(per_month))
    ]
    # The distinct (area id, resident) pairs once, for both the per-area and the overall
    # reach; raw ids as stored, areas named afterwards.
    pairs = (
        select(stored("contact.area_id"), stored("contact.resident_id"))
        .select_from(Contact)
        .where(*in_period, col(Contact.resident_id).is_not(None), col(Contact.resident_id).not_in(deleted))
        .distinct()
    )
    seen_ids: Counter[object] = Counter()
    everyone: set[object] = set()
    distinct = [(area_id, resident_id) for area_id, resident_id in cursor_rows(connection.execute(pairs))]
    for area_id, resident_id in distinct:
        seen_ids[area_id] += 1
        everyone.add(resident_id)
    names = area_names(connection)
    seen: Counter[str | None] = Counter()
    for area_id, n in seen_ids.items():
        seen[names.get(area_id)] += n
    stories = [
        (a, day, story)
        for a, day, story in session.execute(
            select(area, col(Contact.contact_on), col(Contact.story))
            .select_from(Contact)
            .outerjoin(Area, col(Area.id) == col(Contact.area_id))
            .where(
                *in_period,
                col(Contact.is_story) == True,  # noqa: E712 (`= 1` matches the partial index)
                or_(anonymous, col(Contact.resident_id).not_in(deleted)),
            )
            .order_by(area, col(Contact.contact_on))
        )
    ]
    return contacts, list(seen.items()), len(everyone), stories, distinct


def _activities(session: Session, period: Period) -> list[tuple[str | None, int, int, int]]:
    area = col(Area.name)
    rows = session.execute(
        select(
            area,
            func.count(),
            func.coalesce(func.sum(GroupActivity.participants), 0),
            func.coalesce(func.sum(GroupActivity.volunteers), 0),
        )
        .select_from(GroupActivity)
        .outerjoin(Area, col(Area.id) == col(GroupActivity.area_id))
        .where(
            col(GroupActivity.deleted_at).is_(None),
            col(GroupActivity.held_on) >= period.start,
            col(GroupActivity.held_on) <= period.end,
        )
        .group_by(area)
    )
    return [(a, count, participants, volunteers) for a, count, participants, volunteers in rows]
