"""Helpers every store module uses: stamping new rows, loading live rows."""

from __future__ import annotations

import uuid
from typing import TypeVar

from sqlmodel import Session, SQLModel

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain.errors import DomainError

T = TypeVar("T", bound=SQLModel)


class NotFound(DomainError):
    """The record does not exist or was deleted."""


def stamp_new(db: Database, actor: uuid.UUID | None, row: T) -> T:
    """Fill the provenance columns of a new row from the database's clock and device."""
    now = db.now()
    row.created_at = now  # type: ignore[attr-defined]
    row.updated_at = now  # type: ignore[attr-defined]
    row.created_by = actor  # type: ignore[attr-defined]
    row.device_id = db.device_id  # type: ignore[attr-defined]
    return row


def touch(db: Database, row: T) -> T:
    row.updated_at = db.now()  # type: ignore[attr-defined]
    return row


def get_live(session: Session, model: type[T], row_id: uuid.UUID, what: str) -> T:
    """Load a row by its UUID that is not soft-deleted, or raise NotFound with a Dutch message."""
    from sqlmodel import select

    column = model.id  # type: ignore[attr-defined]
    row = session.exec(select(model).where(column == row_id)).first()
    if row is None or getattr(row, "deleted_at", None) is not None:
        raise NotFound(f"{what} niet gevonden.")
    return row
