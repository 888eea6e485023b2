"""Drafts: a form in progress, kept inside the (encrypted) database so a crash loses nothing."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import ColumnElement, delete
from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Draft


def _mine(worker_id: uuid.UUID | None, kind: str) -> ColumnElement[bool]:
    owner = col(Draft.worker_id).is_(None) if worker_id is None else col(Draft.worker_id) == worker_id
    return (col(Draft.kind) == kind) & owner


def save(db: Database, worker_id: uuid.UUID | None, kind: str, payload: dict[str, Any]) -> None:
    with db.transaction() as session:
        draft = session.exec(select(Draft).where(_mine(worker_id, kind))).first()
        draft = draft or Draft(worker_id=worker_id, kind=kind)
        draft.payload = json.dumps(payload)
        draft.updated_at = db.now()
        session.add(draft)


def load(db: Database, worker_id: uuid.UUID | None, kind: str) -> dict[str, Any] | None:
    with db.reading() as session:
        draft = session.exec(select(Draft).where(_mine(worker_id, kind))).first()
    if draft is None:
        return None
    try:
        data = json.loads(draft.payload)
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def clear(db: Database, worker_id: uuid.UUID | None, kind: str) -> None:
    with db.transaction() as session:
        clear_in(session, worker_id, kind)


def clear_in(session: Session, worker_id: uuid.UUID | None, kind: str) -> None:
    """Inside the caller's transaction: the intake's save takes its draft with it."""
    session.execute(delete(Draft).where(_mine(worker_id, kind)))
