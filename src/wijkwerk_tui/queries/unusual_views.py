"""Ongebruikelijk inzien (issue 18), for coordinators, per month: files opened with a reason
(break-glass), files a worker viewed that are outside his areas and caseload as they stand now,
and days on which a worker opened unusually many files. From the audit trail, so the views
of every laptop that synced count; the look at the list is itself logged."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from dateutil.relativedelta import relativedelta
from sqlmodel import col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import AuditEvent, Resident, Worker
from wijkwerk_tui.domain.clock import LOCAL_ZONE
from wijkwerk_tui.domain.names import full_name
from wijkwerk_tui.domain.need_to_know import MANY_VIEWS_A_DAY
from wijkwerk_tui.store import audit
from wijkwerk_tui.store.access import require_role
from wijkwerk_tui.store.scope import Scope

BREAK_GLASS, OUTSIDE, MANY = "met reden", "buiten gebieden en caseload", "veel dossiers op één dag"


@dataclass(frozen=True)
class Unusual:
    day: date
    worker: str
    what: str  # BREAK_GLASS, OUTSIDE or MANY
    resident: str  # "" for MANY
    detail: str  # the reason; how often; how many files


def month_of(day: date) -> date:
    return day.replace(day=1)


def unusual_views(db: Database, actor: uuid.UUID | None, month: date) -> list[Unusual]:
    first = month_of(month)
    start = datetime.combine(first, time(), LOCAL_ZONE).astimezone(UTC)
    end = datetime.combine(first + relativedelta(months=1), time(), LOCAL_ZONE).astimezone(UTC)
    found: list[Unusual] = []
    with db.transaction() as session:
        require_role(session, actor, "audit_view")
        staff = {w.id: w for w in session.exec(select(Worker))}
        events = list(
            session.exec(
                select(AuditEvent)
                .where(
                    col(AuditEvent.action).in_(("resident.view", "resident.breakglass")),
                    col(AuditEvent.at) >= start,
                    col(AuditEvent.at) < end,
                    col(AuditEvent.worker_id).is_not(None),
                )
                .order_by(col(AuditEvent.at))
            )
        )
        people = {
            r.id: r for r in session.exec(select(Resident).where(col(Resident.id).in_({e.resident_id for e in events})))
        }

        def named(resident_id: uuid.UUID | None) -> str:
            r = people.get(resident_id) if resident_id else None
            if r is None or r.anonymised_at is not None:
                return "(gewist)"
            return full_name(r.given_name, r.family_prefix, r.family_name)

        def who(worker_id: uuid.UUID | None) -> str:
            w = staff.get(worker_id) if worker_id else None
            return w.name if w else "?"

        viewed: dict[tuple[uuid.UUID, uuid.UUID], list[date]] = defaultdict(list)
        per_day: dict[tuple[uuid.UUID, date], set[uuid.UUID]] = defaultdict(set)
        for e in events:
            day = e.at.astimezone(LOCAL_ZONE).date()
            if e.worker_id is None or e.resident_id is None:
                continue
            per_day[(e.worker_id, day)].add(e.resident_id)
            if e.action == "resident.breakglass":
                found.append(Unusual(day, who(e.worker_id), BREAK_GLASS, named(e.resident_id), e.detail))
            else:  # (a coordinator's scope is everyone: never outside)
                viewed[(e.worker_id, e.resident_id)].append(day)
        scopes = {worker_id: Scope(session, worker_id) for worker_id, _r in viewed}
        for (worker_id, resident_id), days in viewed.items():
            resident = people.get(resident_id)
            if resident is not None and not scopes[worker_id].opens(session, resident):
                found.append(Unusual(days[0], who(worker_id), OUTSIDE, named(resident_id), f"{len(days)}x bekeken"))
        for (worker_id, day), files in per_day.items():
            if len(files) > MANY_VIEWS_A_DAY:
                found.append(Unusual(day, who(worker_id), MANY, "", f"{len(files)} dossiers"))
        audit.record(session, db, actor, "audit.unusual", detail=first.strftime("%Y-%m"))
    return sorted(found, key=lambda u: (u.day, u.worker, u.what, u.resident))
