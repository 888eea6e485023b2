"""Inzage (right of access): everything recorded about one resident, as typed rows.

`exchange.inzage_document` turns it into a readable document and JSON. Collecting is
audited as an export, in the same transaction as the read.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import get_live
from wijkwerk_tui.db.tables import (
    ActivityResident,
    Area,
    AuditEvent,
    Contact,
    Goal,
    GroupActivity,
    LadderStep,
    MeldcodeStep,
    Partner,
    Referral,
    Resident,
    Signal,
    Worker,
)
from wijkwerk_tui.domain.accounts import can_see_signal, may
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.need_to_know import check_reason
from wijkwerk_tui.store import audit, scope
from wijkwerk_tui.store.access import viewer

T = TypeVar("T", LadderStep, Signal, Referral, Contact, Goal)


@dataclass(frozen=True)
class Inzage:
    made_at: datetime
    resident: Resident
    area: str
    ladders: dict[Ladder, list[LadderStep]]  # oldest first
    signals: list[tuple[Signal, list[MeldcodeStep]]]
    referrals: list[Referral]
    contacts: list[Contact]
    goals: list[Goal]
    activities: list[GroupActivity]
    events: list[AuditEvent]  # who viewed or changed the file, oldest first
    workers: dict[uuid.UUID, str]
    partners: dict[uuid.UUID, str]


def _live(session: Session, model: type[T], resident_id: uuid.UUID, order: Any) -> list[T]:
    column: Any = model.resident_id
    return list(
        session.exec(select(model).where(column == resident_id, col(model.deleted_at).is_(None)).order_by(order))
    )


def collect(db: Database, actor: uuid.UUID | None, resident_id: uuid.UUID, reason: str = "") -> Inzage:
    """Everything about one resident that `actor` may see. Outside his areas and caseload only
    with a reason (store.scope), audited as the opening of the file with it."""
    with db.transaction() as session:
        resident = get_live(session, Resident, resident_id, "Inwoner")
        scope.check_opens(session, actor, resident, reason)
        if reason:
            audit.record(session, db, actor, "resident.breakglass", resident_id, detail=check_reason(reason))
        area = session.get(Area, resident.area_id) if resident.area_id else None
        steps = _live(session, LadderStep, resident_id, col(LadderStep.measured_on))
        # Made by a worker, the document holds what that worker may see: no one else's
        # confidential signal, and no "who looked" log (that is for coordinators).
        who = viewer(session, actor)
        signals = [
            (
                s,
                list(
                    session.exec(
                        select(MeldcodeStep).where(MeldcodeStep.signal_id == s.id).order_by(col(MeldcodeStep.step))
                    )
                ),
            )
            for s in _live(session, Signal, resident_id, col(Signal.noticed_on))
            if can_see_signal(who, s.confidential, s.created_by, s.worker_id)
        ]
        attended = session.exec(
            select(GroupActivity)
            .join(ActivityResident, col(ActivityResident.activity_id) == col(GroupActivity.id))
            .where(ActivityResident.resident_id == resident_id)
            .order_by(col(GroupActivity.held_on))
        ).all()
        events = (
            session.exec(
                select(AuditEvent).where(AuditEvent.resident_id == resident_id).order_by(col(AuditEvent.seq))
            ).all()
            if may(who.role, "audit_view")
            else []
        )
        found = Inzage(
            made_at=db.now(),
            resident=resident,
            area=area.name if area else "",
            ladders={ladder: [s for s in steps if s.ladder == ladder.value] for ladder in Ladder},
            signals=signals,
            referrals=_live(session, Referral, resident_id, col(Referral.referred_on)),
            contacts=_live(session, Contact, resident_id, col(Contact.contact_on)),
            goals=_live(session, Goal, resident_id, col(Goal.set_on)),
            activities=list(attended),
            events=list(events),
            workers={w.id: w.name for w in session.exec(select(Worker))},
            partners={p.id: p.name for p in session.exec(select(Partner))},
        )
        audit.record(session, db, actor, "resident.export", resident_id, detail="inzage")
    return found
