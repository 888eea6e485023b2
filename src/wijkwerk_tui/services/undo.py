"""Undo the last save: the rows one save made are soft-deleted again, in one transaction and
audited, by the worker who made them, within minutes (`domain.undo`), and only while nobody
changed them since (each row's version is compared, as the edit forms do)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlmodel import col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import touch
from wijkwerk_tui.db.tables import Contact, LadderStep, Referral, Resident, Signal
from wijkwerk_tui.domain import undo as rules
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.store import audit, contacts, ladders

Undoable = Resident | Contact | LadderStep | Signal | Referral
_MODELS: dict[str, type[Undoable]] = {
    str(m.__tablename__): m for m in (Resident, Contact, LadderStep, Signal, Referral)
}


@dataclass(frozen=True)
class RowRef:
    table: str
    id: uuid.UUID
    version: int


@dataclass(frozen=True)
class Saved:
    """What one save made, enough to take it back. `what` is the Dutch line the confirmation
    shows (it may name the resident: it is shown only to the worker who just typed it)."""

    worker_id: uuid.UUID | None
    what: str
    rows: tuple[RowRef, ...]
    saved_at: datetime
    resident_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Done:
    """A form's write: its confirmation, and what an undo would take back."""

    message: str
    undo: Saved | None = None


def saved(
    db: Database, actor: uuid.UUID | None, what: str, rows: Iterable[Undoable], resident_id: uuid.UUID | None = None
) -> Saved:
    """Call after the rows were flushed: their versions are the ones an undo expects."""
    refs = tuple(RowRef(str(type(r).__tablename__), r.id, r.version) for r in rows)
    return Saved(actor, what, refs, db.now(), resident_id)


def undo(db: Database, actor: uuid.UUID | None, last: Saved) -> None:
    """Soft-delete what `last` made, or nothing (a DomainError says why)."""
    rules.check(last.worker_id, actor, last.saved_at, db.now())
    with db.transaction() as session:
        found: list[Undoable] = []
        for ref in last.rows:
            model = _MODELS[ref.table]
            row = cast("Undoable | None", session.exec(select(model).where(col(model.id) == ref.id)).first())
            if row is None or row.deleted_at is not None or row.version != ref.version or row.created_by != actor:
                raise DomainError(rules.CHANGED)
            found.append(row)
        now = db.now()
        for row in found:
            row.deleted_at = now
            touch(db, row)
            session.add(row)
        session.flush()
        for row in found:
            if isinstance(row, Referral):  # a signal it referred is open again, without the link
                for signal in session.exec(select(Signal).where(Signal.referral_id == row.id)):
                    signal.referral_id = None
                    if signal.status == "referred":
                        signal.status = "open"
                    session.add(touch(db, signal))
        # What the residents' own rows derive from the removed ones.
        kept = {r.id for r in found if isinstance(r, Resident)}
        for resident_id in {r.resident_id for r in found if isinstance(r, Contact) and r.resident_id} - kept:
            contacts.refresh_last_contact(session, db, resident_id)
        for resident_id, ladder in {(r.resident_id, r.ladder) for r in found if isinstance(r, LadderStep)}:
            if resident_id not in kept:
                ladders.refresh_current(session, db, resident_id, Ladder(ladder))
        audit.record(session, db, actor, "save.undo", last.resident_id, str(len(found)))
