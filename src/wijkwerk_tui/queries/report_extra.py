"""The figures a policy officer asks for beside the ladders, signals and reach: goals, who was
reached (age at the period's end, first reached), the caseload at the end, meldcode steps.

Goals count in the area where the resident lived at the period's end (goals carry no area);
the rest in the area recorded on the contact, signal or referral."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection, or_
from sqlmodel import col, select

from wijkwerk_tui.db.tables import (
    ActivityResident,
    Contact,
    Goal,
    GroupActivity,
    MeldcodeStep,
    Referral,
    Resident,
    Signal,
)
from wijkwerk_tui.domain.report import AgeGroup, AreaName, ExtraData, Period, age_group
from wijkwerk_tui.queries.report_ladders import area_names, cursor_rows, moved_since, stored

CASELOAD_MONTHS = 3


def extra(connection: Connection, period: Period, pairs: list[tuple[object, object]]) -> ExtraData:
    """`pairs`: the distinct (raw area id, raw resident id) of the period's contacts."""
    names = area_names(connection)
    deleted = select(col(Resident.id)).where(col(Resident.deleted_at).is_not(None))
    start, end = period.start, period.end
    data = ExtraData()

    # Goals set in the period, by their status now, where the resident lived at the end.
    then = moved_since(connection, end)
    rows = connection.execute(
        select(stored("goal.resident_id"), stored("resident.area_id"), col(Goal.status))
        .select_from(Goal)
        .join(Resident, col(Resident.id) == col(Goal.resident_id))
        .where(
            col(Goal.deleted_at).is_(None),
            col(Resident.deleted_at).is_(None),
            col(Goal.set_on) >= start,
            col(Goal.set_on) <= end,
        )
    )
    goals: Counter[tuple[AreaName, str]] = Counter()
    for resident_id, area_id, status in cursor_rows(rows):
        goals[(names.get(then.get(resident_id, area_id)), status)] += 1
    data.goals = [(a, s, n) for (a, s), n in goals.items()]

    # Residents reached (the reach's distinct pairs): age at the end from the covering index of
    # live residents, and whether they had a contact before the period (an index seek each).
    born: dict[object, tuple[object, object]] = {
        rid: (year, day)
        for rid, year, day in cursor_rows(
            connection.exec_driver_sql(
                "SELECT id, birth_year, birth_date FROM resident INDEXED BY ix_resident_live_area"
                " WHERE deleted_at IS NULL"
            )
            if connection.dialect.name == "sqlite"
            else connection.execute(
                select(stored("resident.id"), col(Resident.birth_year), col(Resident.birth_date)).where(
                    col(Resident.deleted_at).is_(None)
                )
            )
        )
    }
    reached_ids = {resident_id for _area, resident_id in pairs}
    # Who had a contact before the period: a range of the covering index of live contacts
    # (the planner otherwise walks the (resident, date) index and reads every row).
    before = (
        connection.exec_driver_sql(
            "SELECT DISTINCT resident_id FROM contact INDEXED BY ix_contact_period"
            " WHERE deleted_at IS NULL AND contact_on < ? AND resident_id IS NOT NULL",
            (start.isoformat(),),
        )
        if connection.dialect.name == "sqlite"
        else connection.execute(
            select(stored("contact.resident_id"))
            .select_from(Contact)
            .where(
                col(Contact.deleted_at).is_(None),
                col(Contact.resident_id).is_not(None),
                col(Contact.contact_on) < start,
            )
            .distinct()
        )
    )
    earlier = {rid for (rid,) in cursor_rows(before) if rid in reached_ids}
    by_area: Counter[tuple[AreaName, AgeGroup, bool]] = Counter()
    everyone: dict[object, tuple[AgeGroup, bool]] = {}
    for area_id, resident_id in pairs:
        year, day = born.get(resident_id, (None, None))
        birth_date = date.fromisoformat(str(day)[:10]) if day else None
        group = age_group(int(str(year)) if year else None, birth_date, end)
        new = resident_id not in earlier
        by_area[(names.get(area_id), group, new)] += 1
        everyone[resident_id] = (group, new)
    data.reached_by_area = [(a, g, new, n) for (a, g, new), n in by_area.items()]
    data.reached_everyone = [(g, new, n) for (g, new), n in Counter(everyone.values()).items()]

    # Caseload at the end: referrals sent by then and not yet answered, residents seen lately.
    running = connection.execute(
        select(stored("referral.area_id"))
        .select_from(Referral)
        .join(Resident, col(Resident.id) == col(Referral.resident_id))
        .where(
            col(Referral.deleted_at).is_(None),
            col(Resident.deleted_at).is_(None),
            col(Referral.sent_on) <= end,
            or_(col(Referral.feedback_on).is_(None), col(Referral.feedback_on) > end),
            col(Referral.status).not_in(("rejected", "completed")),
        )
    )
    data.running_referrals = list(Counter(names.get(a) for (a,) in cursor_rows(running)).items())
    recent_from = end - relativedelta(months=CASELOAD_MONTHS) + timedelta(days=1)
    recent = connection.execute(
        select(stored("contact.area_id"), stored("contact.resident_id"))
        .select_from(Contact)
        .where(
            col(Contact.deleted_at).is_(None),
            col(Contact.resident_id).is_not(None),
            col(Contact.resident_id).not_in(deleted),
            col(Contact.contact_on) >= recent_from,
            col(Contact.contact_on) <= end,
        )
        .distinct()
    )
    data.seen_recently, data.seen_recently_total = _distinct(cursor_rows(recent), names)

    # Unique volunteers: residents linked by name as volunteers to activities held in the period.
    helpers = connection.execute(
        select(stored("groupactivity.area_id"), stored("activityresident.resident_id"))
        .select_from(ActivityResident)
        .join(GroupActivity, col(GroupActivity.id) == col(ActivityResident.activity_id))
        .where(
            col(ActivityResident.deleted_at).is_(None),
            col(GroupActivity.deleted_at).is_(None),
            col(ActivityResident.role) == "volunteer",
            col(ActivityResident.resident_id).not_in(deleted),
            col(GroupActivity.held_on) >= start,
            col(GroupActivity.held_on) <= end,
        )
        .distinct()
    )
    data.volunteers, data.volunteers_total = _distinct(cursor_rows(helpers), names)

    # Meldcode steps taken (huiselijk geweld), where the signal was made.
    steps = connection.execute(
        select(stored("signal.area_id"), col(MeldcodeStep.step))
        .select_from(MeldcodeStep)
        .join(Signal, col(Signal.id) == col(MeldcodeStep.signal_id))
        .where(
            col(MeldcodeStep.deleted_at).is_(None),
            col(Signal.deleted_at).is_(None),
            or_(col(Signal.resident_id).is_(None), col(Signal.resident_id).not_in(deleted)),
            col(MeldcodeStep.done_on) >= start,
            col(MeldcodeStep.done_on) <= end,
        )
    )
    data.meldcode = [(a, s, n) for (a, s), n in Counter((names.get(a), s) for a, s in cursor_rows(steps)).items()]
    return data


def _distinct(pairs: Iterable[tuple[Any, ...]], names: dict[object, str]) -> tuple[list[tuple[AreaName, int]], int]:
    """Distinct (raw area id, raw resident id) pairs: residents per area, and over all areas
    (not the sum: one resident can count in two areas)."""
    per_area: Counter[AreaName] = Counter()
    anyone: set[object] = set()
    for area_id, resident_id in pairs:
        per_area[names.get(area_id)] += 1
        anyone.add(resident_id)
    return list(per_area.items()), len(anyone)
