"""Everything the resident screen shows, read in one go; the view is audited as it appears.

Reading takes no write lock, so a file opened while the app's sync process writes never waits
for it (WAL: readers do not wait for the writer). The view's audit entry is written by
`record_view` when the screen shows the file, once per opening (not on every re-read after a
form: that form's save is audited itself)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import SQLColumnExpression
from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import get_live
from wijkwerk_tui.db.tables import Area, Contact, Goal, LadderStep, Partner, Referral, Resident, Signal, Worker
from wijkwerk_tui.domain.accounts import can_see_signal
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.need_to_know import check_reason
from wijkwerk_tui.store import audit, scope
from wijkwerk_tui.store.access import viewer as viewer_of_actor


@dataclass(frozen=True)
class ResidentFile:
    resident: Resident
    area: str
    history: dict[Ladder, list[LadderStep]]  # oldest first
    signals: list[Signal]
    referrals: list[Referral]
    contacts: list[Contact]
    goals: list[Goal]
    partners: dict[uuid.UUID, str]
    workers: dict[uuid.UUID, str]
    merged: int = 0  # records merged into him (Samenvoegen): an erasure takes them too


def _merged(session: Session, resident: Resident) -> int:
    """How many records not erased yet were merged into him, or into those, and so on (an open
    file is never a tombstone, so nothing links him onward; `privacy._anonymise` erases them)."""
    seen, edge = {resident.id}, {resident.id}
    while edge:
        linked = select(Resident.id).where(col(Resident.merged_into).in_(edge), col(Resident.anonymised_at).is_(None))
        edge = set(session.exec(linked)) - seen
        seen |= edge
    return len(seen) - 1


Record = TypeVar("Record", LadderStep, Signal, Referral, Contact, Goal)


def _live(
    session: Session,
    model: type[Record],
    resident_id: uuid.UUID,
    *order: SQLColumnExpression[Any],
    limit: int = 200,
) -> list[Record]:
    statement = select(model).where(col(model.resident_id) == resident_id, col(model.deleted_at).is_(None))
    return list(session.exec(statement.order_by(*order).limit(limit)))


def load(db: Database, actor: uuid.UUID | None, resident_id: uuid.UUID, reason: str = "") -> ResidentFile:
    """What `actor` may see of the file (not audited: the screen calls `record_view`). During
    a sync it may be as the file was a moment ago (db.read_snapshot). A file outside his areas
    and caseload raises NeedsReason unless he gave a reason (store.scope)."""
    with db.reading_recent() as session:
        resident = get_live(session, Resident, resident_id, "Inwoner")
        scope.check_opens(session, actor, resident, reason)
        area = session.get(Area, resident.area_id) if resident.area_id else None
        steps = _live(
            session, LadderStep, resident_id, col(LadderStep.measured_on), col(LadderStep.created_at), limit=2000
        )
        history = {ladder: [s for s in steps if s.ladder == ladder.value] for ladder in Ladder}
        viewer = viewer_of_actor(session, actor)
        signals = [
            s
            for s in _live(session, Signal, resident_id, col(Signal.noticed_on).desc(), col(Signal.created_at).desc())
            if can_see_signal(viewer, s.confidential, s.created_by, s.worker_id)
        ]
        referrals = _live(
            session, Referral, resident_id, col(Referral.referred_on).desc(), col(Referral.created_at).desc()
        )
        contacts = _live(session, Contact, resident_id, col(Contact.contact_on).desc(), col(Contact.created_at).desc())
        goals = _live(session, Goal, resident_id, col(Goal.set_on).desc(), col(Goal.created_at).desc())
        partners = {p.id: p.name for p in session.exec(select(Partner))}
        workers = {w.id: w.name for w in session.exec(select(Worker))}
        merged = _merged(session, resident)
    return ResidentFile(
        resident, area.name if area else "", history, signals, referrals, contacts, goals, partners, workers, merged
    )


def record_view(db: Database, actor: uuid.UUID | None, resident_id: uuid.UUID, reason: str = "") -> None:
    """The audit entry of one opening of the file ("Wie keek mee"); with the reason, when the
    file opened only with one (break-glass: "Ongebruikelijk inzien" lists it)."""
    with db.transaction(bookkeeping=True) as session:
        if reason:
            audit.record(session, db, actor, "resident.breakglass", resident_id, detail=check_reason(reason))
        else:
            audit.record(session, db, actor, "resident.view", resident_id)
