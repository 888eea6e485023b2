"""Read models for the start screen and the overviews: rows with names joined in, one query each."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import Row, case, func
from sqlmodel import col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Area, Contact, Goal, LadderStep, Partner, Referral, Resident, Signal, Worker
from wijkwerk_tui.domain import referrals as referral_rules
from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.domain.names import full_name
from wijkwerk_tui.store import settings
from wijkwerk_tui.store.access import viewer
from wijkwerk_tui.store.scope import Scope
from wijkwerk_tui.store.signals import visible_to

RECENT_LIMIT = 8


@dataclass(frozen=True)
class SignalRow:
    id: uuid.UUID
    resident_id: uuid.UUID | None
    who: str  # the resident's name, or the description of someone not yet known
    area: str
    category: str
    urgency: str
    status: str
    noticed_on: date
    follow_up_on: date | None
    worker: str


@dataclass(frozen=True)
class ReferralRow:
    id: uuid.UUID
    resident_id: uuid.UUID
    who: str
    area: str
    partner: str
    status: str
    referred_on: date
    feedback_due_on: date | None
    worker: str


@dataclass(frozen=True)
class GoalRow:
    id: uuid.UUID
    resident_id: uuid.UUID
    who: str
    description: str
    review_on: date | None


def _name(resident: Resident | None) -> str:
    if resident is None:
        return ""
    return full_name(resident.given_name, resident.family_prefix, resident.family_name)


def open_signal_rows(
    db: Database,
    actor: uuid.UUID | None,
    area_id: uuid.UUID | None = None,
    worker_id: uuid.UUID | None = None,
    follow_up_before: date | None = None,
    limit: int = 300,
) -> list[SignalRow]:
    """Open signals the actor may see, acute first and then oldest first (`worker_id`: assigned to)."""
    rank = case(signal_rules.URGENCY_RANK, value=Signal.urgency, else_=9)
    statement = (
        select(Signal, Resident, Area.name, Worker.name)
        .join(Resident, col(Resident.id) == col(Signal.resident_id), isouter=True)
        .join(Area, col(Area.id) == col(Signal.area_id), isouter=True)
        .join(Worker, col(Worker.id) == col(Signal.worker_id), isouter=True)
        .where(col(Signal.status).in_(signal_rules.OPEN_STATUSES), col(Signal.deleted_at).is_(None))
        .where(col(Resident.deleted_at).is_(None))
    )
    if area_id is not None:
        statement = statement.where(Signal.area_id == area_id)
    if worker_id is not None:
        statement = statement.where(Signal.worker_id == worker_id)
    if follow_up_before is not None:
        statement = statement.where(col(Signal.follow_up_on) < follow_up_before)
    statement = statement.order_by(rank, col(Signal.noticed_on), col(Signal.created_at)).limit(limit)
    with db.reading() as session:
        # (need-to-know: residents outside his areas and caseload are not listed: store.scope)
        statement = statement.where(visible_to(viewer(session, actor)), Scope(session, actor).column())
        rows = session.exec(statement).all()
    return [
        SignalRow(
            s.id,
            s.resident_id,
            _name(r) or s.subject,
            area or "",
            s.category,
            s.urgency,
            s.status,
            s.noticed_on,
            s.follow_up_on,
            worker or "",
        )
        for s, r, area, worker in rows
    ]


def awaiting_feedback_rows(
    db: Database,
    area_id: uuid.UUID | None = None,
    worker_id: uuid.UUID | None = None,
    due_before: date | None = None,
    limit: int = 300,
    actor: uuid.UUID | None = None,
) -> list[ReferralRow]:
    """Referrals waiting for the partner's answer, most overdue first."""
    # SQLAlchemy's own select: SQLModel's is typed for at most four columns.
    statement = (
        sa.select(Referral, Resident, col(Area.name), col(Partner.name), col(Worker.name))
        .join(Resident, col(Resident.id) == col(Referral.resident_id))
        .join(Area, col(Area.id) == col(Resident.area_id), isouter=True)
        .join(Partner, col(Partner.id) == col(Referral.partner_id))
        .join(Worker, col(Worker.id) == col(Referral.worker_id), isouter=True)
        .where(
            col(Referral.status).in_(referral_rules.AWAITING_FEEDBACK),
            col(Referral.feedback_on).is_(None),
            col(Referral.deleted_at).is_(None),
            col(Resident.deleted_at).is_(None),
        )
    )
    if area_id is not None:
        statement = statement.where(col(Resident.area_id) == area_id)
    if worker_id is not None:
        statement = statement.where(col(Referral.worker_id) == worker_id)
    if due_before is not None:
        statement = statement.where(col(Referral.feedback_due_on) <= due_before)
    statement = statement.order_by(col(Referral.feedback_due_on), col(Referral.created_at)).limit(limit)
    with db.reading() as session:
        statement = statement.where(Scope(session, actor).column())  # (need-to-know: store.scope)
        # Area and worker are outer joins: None when the referral has none.
        rows: Sequence[Row[Referral, Resident, str | None, str, str | None]] = session.execute(statement).all()
    return [
        ReferralRow(
            ref.id,
            ref.resident_id,
            _name(r),
            area or "",
            partner,
            ref.status,
            ref.referred_on,
            ref.feedback_due_on,
            worker or "",
        )
        for ref, r, area, partner, worker in rows
    ]


def goals_to_review(
    db: Database, on_or_before: date, worker_id: uuid.UUID | None = None, limit: int = 100
) -> list[GoalRow]:
    statement = (
        select(Goal, Resident)
        .join(Resident, col(Resident.id) == col(Goal.resident_id))
        .where(
            Goal.status == "open",
            col(Goal.review_on) <= on_or_before,
            col(Goal.deleted_at).is_(None),
            col(Resident.deleted_at).is_(None),
        )
    )
    if worker_id is not None:
        statement = statement.where(Goal.worker_id == worker_id)
    with db.reading() as session:
        rows = session.exec(statement.order_by(col(Goal.review_on)).limit(limit)).all()
    return [GoalRow(g.id, g.resident_id, _name(r), g.description, g.review_on) for g, r in rows]


@dataclass
class RecordedRow:
    """What one worker recorded today about one resident (None: anonymous visits)."""

    resident_id: uuid.UUID | None
    who: str
    last_at: datetime
    contact_kinds: list[str] = field(default_factory=list)
    steps: int = 0
    signal_categories: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)


def recorded_today(db: Database, worker_id: uuid.UUID | None, limit: int = 100) -> list[RecordedRow]:
    """Contacts, signals and referrals dated today and made by `worker_id` (each read through its
    date index), with the ladder steps of the same residents: the hour's work, newest first."""
    today = db.today()
    rows: dict[uuid.UUID | None, RecordedRow] = {}
    with db.reading() as session:

        def entry(resident: Resident | None, subject: str, at: datetime) -> RecordedRow:
            key = resident.id if resident is not None else None
            row = rows.get(key) or rows.setdefault(key, RecordedRow(key, _name(resident) or subject, at))
            row.last_at = max(row.last_at, at)
            return row

        mine = (col(Resident.deleted_at).is_(None),)
        for contact, resident in session.exec(
            select(Contact, Resident)
            .join(Resident, col(Resident.id) == col(Contact.resident_id), isouter=True)
            .where(Contact.contact_on == today, Contact.created_by == worker_id, col(Contact.deleted_at).is_(None))
            .where(*mine)
            .limit(limit)
        ):
            row = entry(resident, "", contact.created_at)
            row.contact_kinds.append(contact.kind)
            if contact.resident_id is None and contact.signal_categories:  # an anonymous visit keeps its categories
                row.signal_categories += contact.signal_categories.split(",")
        for signal, resident in session.exec(
            select(Signal, Resident)
            .join(Resident, col(Resident.id) == col(Signal.resident_id), isouter=True)
            .where(Signal.noticed_on == today, Signal.created_by == worker_id, col(Signal.deleted_at).is_(None))
            .where(*mine, visible_to(viewer(session, worker_id)))
            .limit(limit)
        ):
            entry(resident, signal.subject, signal.created_at).signal_categories.append(signal.category)
        for referral, resident, partner in session.exec(
            select(Referral, Resident, Partner.name)
            .join(Resident, col(Resident.id) == col(Referral.resident_id))
            .join(Partner, col(Partner.id) == col(Referral.partner_id))
            .where(Referral.referred_on == today, Referral.created_by == worker_id, col(Referral.deleted_at).is_(None))
            .where(*mine)
            .limit(limit)
        ):
            entry(resident, "", referral.created_at).partners.append(partner)
        known = [key for key in rows if key is not None]
        if known:
            for resident_id, count in session.exec(
                select(LadderStep.resident_id, func.count())
                .where(col(LadderStep.resident_id).in_(known), LadderStep.measured_on == today)
                .where(LadderStep.created_by == worker_id, col(LadderStep.deleted_at).is_(None))
                .group_by(col(LadderStep.resident_id))
            ):
                rows[resident_id].steps = count
    return sorted(rows.values(), key=lambda r: r.last_at, reverse=True)


@dataclass(frozen=True)
class Agenda:
    """What the start screen shows the logged-in worker."""

    overdue_signals: list[SignalRow]
    feedback: list[ReferralRow]
    goals: list[GoalRow]
    recent: list[tuple[uuid.UUID, str]]
    recorded: list[RecordedRow] = field(default_factory=list)


def agenda(db: Database, worker_id: uuid.UUID | None) -> Agenda:
    today = db.today()
    return Agenda(
        # Due today counts as to do today.
        overdue_signals=open_signal_rows(
            db, worker_id, worker_id=worker_id, follow_up_before=today + timedelta(days=1), limit=50
        ),
        feedback=awaiting_feedback_rows(
            db, worker_id=worker_id, due_before=today + timedelta(days=7), limit=50, actor=worker_id
        ),
        goals=goals_to_review(db, today + timedelta(days=7), worker_id=worker_id, limit=50),
        recent=recent_residents(db, worker_id),
        recorded=recorded_today(db, worker_id),
    )


def _recent_key(worker_id: uuid.UUID | None) -> str:
    return f"recent.{worker_id or 'none'}"


def remember_opened(db: Database, worker_id: uuid.UUID | None, resident_id: uuid.UUID) -> None:
    """Keep the last residents a worker opened (ids only), newest first."""
    try:
        ids = [i for i in json.loads(settings.get(db, _recent_key(worker_id), "[]")) if i != str(resident_id)]
    except json.JSONDecodeError:
        ids = []
    recent = json.dumps([str(resident_id), *ids][:RECENT_LIMIT])
    settings.set_value(db, _recent_key(worker_id), recent, bookkeeping=True)


def recent_residents(db: Database, worker_id: uuid.UUID | None) -> list[tuple[uuid.UUID, str]]:
    try:
        ids = [uuid.UUID(i) for i in json.loads(settings.get(db, _recent_key(worker_id), "[]"))]
    except (json.JSONDecodeError, ValueError):
        return []
    if not ids:
        return []
    with db.reading() as session:
        found = {
            r.id: _name(r)
            for r in session.exec(
                select(Resident).where(
                    col(Resident.id).in_(ids), col(Resident.deleted_at).is_(None), col(Resident.anonymised_at).is_(None)
                )
            )
        }
    return [(i, found[i]) for i in ids if i in found]


@dataclass(frozen=True)
class AreaCount:
    area_id: uuid.UUID | None
    name: str
    residents: int
    open_signals: int


def area_counts(db: Database, actor: uuid.UUID | None) -> list[AreaCount]:
    """Residents and the open signals the actor may see, per area, for the start screen."""
    with db.reading() as session:
        residents = dict(
            session.exec(
                select(Resident.area_id, func.count())
                .where(col(Resident.deleted_at).is_(None), col(Resident.anonymised_at).is_(None))
                .group_by(col(Resident.area_id))
            ).all()
        )
        signals = dict(
            session.exec(
                select(Signal.area_id, func.count())
                .where(col(Signal.deleted_at).is_(None), col(Signal.status).in_(signal_rules.OPEN_STATUSES))
                .where(visible_to(viewer(session, actor)))
                .group_by(col(Signal.area_id))
            ).all()
        )
        areas = session.exec(
            select(Area).where(col(Area.deleted_at).is_(None)).order_by(col(Area.sort_order), col(Area.name))
        ).all()
    return [AreaCount(a.id, a.name, residents.get(a.id, 0), signals.get(a.id, 0)) for a in areas]
