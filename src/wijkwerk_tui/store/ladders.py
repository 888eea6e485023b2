"""Ladder placements (metingen) on either ladder, as a dated history."""

from __future__ import annotations

import uuid
from datetime import date

from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import get_live, stamp_new, touch
from wijkwerk_tui.db.tables import LadderStep, Resident
from wijkwerk_tui.domain.dates import check_not_before_birth
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.ladders import Ladder, validate_step
from wijkwerk_tui.domain.text import clean_text
from wijkwerk_tui.store import audit

_CACHE_COLUMN = {Ladder.PARTICIPATION: "participation_step", Ladder.SUPPORT: "support_step"}


def _live_history(session: Session, resident_id: uuid.UUID, ladder: Ladder) -> list[LadderStep]:
    query = (
        select(LadderStep)
        .where(
            LadderStep.resident_id == resident_id,
            LadderStep.ladder == ladder.value,
            col(LadderStep.deleted_at).is_(None),
        )
        # Same day twice: the later entry wins.
        .order_by(col(LadderStep.measured_on), col(LadderStep.created_at))
    )
    return list(session.exec(query))


def _refresh_cache(session: Session, resident: Resident, ladder: Ladder) -> None:
    items = _live_history(session, resident.id, ladder)
    setattr(resident, _CACHE_COLUMN[ladder], items[-1].step if items else None)
    session.add(resident)


def record_step(
    db: Database,
    actor: uuid.UUID | None,
    resident_id: uuid.UUID,
    ladder: Ladder,
    step: int | str,
    measured_on: date,
    potential: int | str | None = None,
    note: str = "",
) -> LadderStep:
    with db.transaction() as session:
        return record_in(session, db, actor, resident_id, ladder, step, measured_on, potential, note)


def record_in(
    session: Session,
    db: Database,
    actor: uuid.UUID | None,
    resident_id: uuid.UUID,
    ladder: Ladder,
    step: int | str,
    measured_on: date,
    potential: int | str | None = None,
    note: str = "",
) -> LadderStep:
    """Validate and add one placement inside the caller's transaction."""
    number = validate_step(ladder, step, "step")
    target = None
    if potential not in (None, ""):
        target = validate_step(ladder, potential, "potential")
    if measured_on > db.today():
        raise ValidationError("measured_on", "Een meting kan niet in de toekomst liggen.")
    note = clean_text(note, "note", max_len=2000)
    resident = get_live(session, Resident, resident_id, "Inwoner")
    check_not_before_birth(measured_on, resident.birth_year, resident.birth_date, "measured_on")
    row = stamp_new(
        db,
        actor,
        LadderStep(
            resident_id=resident_id,
            ladder=ladder.value,
            step=number,
            potential=target,
            measured_on=measured_on,
            worker_id=actor,
            note=note,
        ),
    )
    session.add(row)
    session.flush()
    _refresh_cache(session, touch(db, resident), ladder)
    audit.record(session, db, actor, "ladder.record", resident_id, ladder.value)
    return row


def delete_step(db: Database, actor: uuid.UUID | None, step_id: uuid.UUID) -> None:
    with db.transaction() as session:
        row = get_live(session, LadderStep, step_id, "Meting")
        row.deleted_at = db.now()
        session.add(touch(db, row))
        session.flush()
        resident = get_live(session, Resident, row.resident_id, "Inwoner")
        _refresh_cache(session, resident, Ladder(row.ladder))
        audit.record(session, db, actor, "ladder.delete", row.resident_id, row.ladder)


def refresh_current(session: Session, db: Database, resident_id: uuid.UUID, ladder: Ladder) -> None:
    """After placements were removed in the caller's transaction: the resident's current step."""
    _refresh_cache(session, touch(db, get_live(session, Resident, resident_id, "Inwoner")), ladder)


def history(db: Database, resident_id: uuid.UUID, ladder: Ladder) -> list[LadderStep]:
    """Oldest first; the last item is the current step."""
    with db.reading() as session:
        return _live_history(session, resident_id, ladder)


def current(db: Database, resident_id: uuid.UUID, ladder: Ladder) -> LadderStep | None:
    items = history(db, resident_id, ladder)
    return items[-1] if items else None
