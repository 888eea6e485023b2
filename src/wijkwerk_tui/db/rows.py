"""Helpers every store module uses: stamping new rows, loading live rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlmodel import Session, col

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Resident, Row, Stamped
from wijkwerk_tui.domain.errors import DomainError

T = TypeVar("T", bound=Stamped)
Live = TypeVar("Live", bound=Row | Resident)  # every table with a UUID `id`


class NotFound(DomainError):
    """The record does not exist or was deleted."""


def stamp_new(db: Database, actor: uuid.UUID | None, row: T) -> T:
    """Fill the provenance columns of a new row from the database's clock and device."""
    now = db.now()
    row.created_at = now
    row.updated_at = now
    row.created_by = actor
    row.device_id = db.device_id
    return row


def touch(db: Database, row: T) -> T:
    row.updated_at = db.now()
    return row


def get_live(session: Session, model: type[Live], row_id: uuid.UUID, what: str) -> Live:
    """Load a row by its UUID that is not soft-deleted, or raise NotFound with a Dutch message."""
    from sqlmodel import select

    row = session.exec(select(model).where(col(model.id) == row_id)).first()
    if row is None or row.deleted_at is not None:
        raise NotFound(f"{what} niet gevonden.")
    return row


CHUNK = 500  # ids per IN (...): well under SQLite's limit on bound parameters


def in_parts(wanted: list[uuid.UUID] | Select[Any] | None) -> list[list[uuid.UUID] | Select[Any] | None]:
    """What goes into `IN (...)` a query at a time: ids a CHUNK at a time; a query of ids, or
    nothing (everyone), whole."""
    if isinstance(wanted, list):
        return [wanted[start : start + CHUNK] for start in range(0, len(wanted), CHUNK)]
    return [wanted]


def get_live_many(session: Session, model: type[Live], ids: Iterable[uuid.UUID], what: str) -> dict[uuid.UUID, Live]:
    """Load many live rows by UUID in a few queries, or raise NotFound if any is missing."""
    from sqlmodel import select

    wanted = list(dict.fromkeys(ids))
    found: dict[uuid.UUID, Live] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for row in session.exec(select(model).where(col(model.id).in_(chunk))):
            if row.deleted_at is None:
                found[row.id] = row
    if len(found) != len(wanted):
        raise NotFound(f"{what} niet gevonden.")
    return found
