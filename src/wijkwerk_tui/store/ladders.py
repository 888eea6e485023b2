"""Ladder placements (metingen) on either ladder, as a dated history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, String, func, type_coerce
from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import get_live, get_live_many, in_parts, stamp_new, touch
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
    return record_many_in(session, db, actor, [Placement(resident_id, ladder, step, measured_on, potential, note)])[0]


@dataclass(frozen=True)
class Placement:
    resident_id: uuid.UUID
    ladder: Ladder
    step: int | str
    measured_on: date
    potential: int | str | None = None
    note: str = ""


def record_many_in(
    session: Session, db: Database, actor: uuid.UUID | None, placements: Sequence[Placement]
) -> list[LadderStep]:
    """Validate and add placements inside the caller's transaction: the same rules as one, in
    one flush, each resident's current step worked out once (an import brings thousands)."""
    checked = []
    for p in placements:
        number = validate_step(p.ladder, p.step, "step")
        target = validate_step(p.ladder, p.potential, "potential") if p.potential not in (None, "") else None
        if p.measured_on > db.today():
            raise ValidationError("measured_on", "Een meting kan niet in de toekomst liggen.")
        checked.append((p, number, target, clean_text(p.note, "note", max_len=2000)))
    residents = get_live_many(session, Resident, [p.resident_id for p in placements], "Inwoner")
    rows = []
    for p, number, target, note in checked:
        resident = residents[p.resident_id]
        check_not_before_birth(p.measured_on, resident.birth_year, resident.birth_date, "measured_on")
        row = LadderStep(
            resident_id=p.resident_id,
            ladder=p.ladder.value,
            step=number,
            potential=target,
            measured_on=p.measured_on,
            worker_id=actor,
            note=note,
        )
        rows.append(stamp_new(db, actor, row))
    session.add_all(rows)
    session.flush()
    _refresh_caches(session, db, residents, {(p.resident_id, p.ladder) for p in placements})
    audit.record_many(session, db, actor, [("ladder.record", p.resident_id, p.ladder.value) for p in placements])
    return rows


_FEW = 20  # below this many, each resident's history is read on its own (as one save always did)


def _refresh_caches(
    session: Session, db: Database, residents: dict[uuid.UUID, Resident], pairs: set[tuple[uuid.UUID, Ladder]]
) -> None:
    if len(pairs) < _FEW:
        for resident_id, ladder in pairs:
            _refresh_cache(session, touch(db, residents[resident_id]), ladder)
        return
    latest = current_steps(session, list({resident_id for resident_id, _ladder in pairs}))
    for resident_id, ladder in pairs:
        resident = touch(db, residents[resident_id])
        setattr(resident, _CACHE_COLUMN[ladder], latest.get((resident_id, ladder.value)))
        session.add(resident)


def current_steps(session: Session, wanted: list[uuid.UUID] | Select[Any] | None) -> dict[tuple[uuid.UUID, str], int]:
    """(resident, ladder code) -> current step, for these residents (ids, or a query of their
    ids) or (None) for everyone."""
    latest: dict[tuple[uuid.UUID, str], int] = {}
    for part in in_parts(wanted):
        query = select(LadderStep.resident_id, LadderStep.ladder, LadderStep.step).where(
            col(LadderStep.deleted_at).is_(None)
        )
        if part is not None:
            query = query.where(col(LadderStep.resident_id).in_(part))
        for resident_id, ladder_code, step in session.exec(
            query.order_by(col(LadderStep.measured_on), col(LadderStep.created_at))
        ):
            latest[(resident_id, ladder_code)] = step  # the last by date wins, as in `_live_history`
    return latest


def current_steps_stored(session: Session, wanted: Select[Any]) -> dict[tuple[str, str], int]:
    """`current_steps` for a pass over every resident (a join's last step): the last live
    placement by date, then by entry, picked in SQL and keyed by the id as the file stores it,
    so a million placements are not each read back into Python. (Same day and same moment: the
    higher id, so every laptop picks the same one.)"""
    table = LadderStep.__table__  # type: ignore[attr-defined]
    latest_first = (table.c.measured_on.desc(), table.c.created_at.desc(), table.c.id.desc())
    ranked = (
        select(
            type_coerce(table.c.resident_id, String).label("stored_id"),
            table.c.ladder,
            table.c.step,
            func.row_number()
            .over(partition_by=(table.c.resident_id, table.c.ladder), order_by=latest_first)
            .label("n"),
        )
        .where(table.c.deleted_at.is_(None), table.c.resident_id.in_(wanted))
        .subquery()
    )
    rows = session.execute(select(ranked.c.stored_id, ranked.c.ladder, ranked.c.step).where(ranked.c.n == 1))
    return {(stored_id, code): step for stored_id, code, step in rows}


CACHE_COLUMNS = {ladder.value: column for ladder, column in _CACHE_COLUMN.items()}


def delete_step(db: Database, actor: uuid.UUID | None, step_id: uuid.UUID) -> None:
    with db.transaction() as session:
        row = get_live(session, LadderStep, step_id, "Meting")
        row.deleted_at = db.now()
        session.add(touch(db, row))
        session.flush()
        resident = get_live(session, Resident, row.resident_id, "Inwoner")
        _refresh_cache(session, resident, Ladder(row.ladder))
        audit.record(session, db, actor, "ladder.delete", row.resident_id, row.ladder)


def refresh_many(
    session: Session,
    db: Database,
    pairs: set[tuple[uuid.UUID, Ladder]],
    loaded: dict[uuid.UUID, Resident] | None = None,
) -> None:
    """After placements of many residents were removed in the caller's transaction (an import
    undone), or came in from the hub. `loaded`: the residents, when the caller has them."""
    if pairs:
        wanted = [rid for rid, _ladder in pairs]
        residents = loaded if loaded is not None else get_live_many(session, Resident, wanted, "Inwoner")
        _refresh_caches(session, db, residents, pairs)


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
