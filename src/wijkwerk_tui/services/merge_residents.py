"""Samenvoegen: one person registered twice (on two laptops offline, or twice on one) becomes
one file. The other's history moves to the one kept; the other stays as a tombstone that
points at it. Every moved row is an ordinary change, so the merge syncs like any edit."""

from __future__ import annotations

import uuid

from sqlmodel import col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import get_live, touch
from wijkwerk_tui.db.tables import (
    ActivityResident,
    Area,
    Contact,
    Goal,
    LadderStep,
    Referral,
    Resident,
    ResidentMove,
    Signal,
)
from wijkwerk_tui.domain.errors import DomainError, ValidationError
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData, search_key
from wijkwerk_tui.store import audit, contacts, ladders
from wijkwerk_tui.store.access import require_role

_HISTORY = (LadderStep, Contact, Signal, Referral, Goal, ActivityResident, ResidentMove)
_FILLED_IN = ("birth_year", "birth_date", "phone", "email", "area_id")  # taken when the kept file has none


def merge(db: Database, actor: uuid.UUID | None, keep_id: uuid.UUID, other_id: uuid.UUID) -> int:
    """Move `other`'s history to `keep` in one transaction; returns how many rows moved."""
    if keep_id == other_id:
        raise ValidationError("other", "Kies een andere inwoner dan deze.")
    with db.transaction() as session:
        require_role(session, actor, "merge")
        keep = get_live(session, Resident, keep_id, "Inwoner")
        other = get_live(session, Resident, other_id, "Inwoner")
        if keep.anonymised_at is not None or other.anonymised_at is not None:
            raise DomainError("Een gewiste of geanonimiseerde inwoner kan niet worden samengevoegd.")
        moved = 0
        for model in _HISTORY:
            for row in session.exec(select(model).where(col(model.resident_id) == other_id)):
                row.resident_id = keep_id
                session.add(touch(db, row))
                moved += 1
        for field in _FILLED_IN:
            if getattr(keep, field) in (None, "") and getattr(other, field) not in (None, ""):
                setattr(keep, field, getattr(other, field))
        area = session.get(Area, keep.area_id) if keep.area_id else None
        data = PersonalData(**{f: getattr(keep, f) for f in PersonalData.__dataclass_fields__})
        keep.search_key = search_key(data, area.name if area else "")
        other.deleted_at = db.now()
        other.merged_into = keep_id
        session.add(touch(db, keep))
        session.add(touch(db, other))
        session.flush()
        for ladder in Ladder:
            ladders.refresh_current(session, db, keep_id, ladder)
        contacts.refresh_last_contact(session, db, keep_id)
        audit.record(session, db, actor, "resident.merge", keep_id)
        audit.record(session, db, actor, "resident.merged", other_id)
    return moved
