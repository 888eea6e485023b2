"""Drafts: a form in progress saved on every change, inside the (protected) database."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlmodel import col, delete, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Draft


def save(db: Database, worker_id: uuid.UUID | None, kind: str, payload: dict[str, Any]) -> None:
    with db.transaction() as session:
        statement = select(Draft).where(Draft.kind == kind)
        statement = statement.where(
            col(Draft.worker_id).is_(None) if worker_id is None else Draft.worker_id == worker_id
        )
        draft = session.exec(statement).first() or Draft(worker_id=worker_id, kind=kind)
        draft.payload = json.dumps(payload)
        draft.updated_at = db.now()
        session.add(draft)


def load(db: Database, worker_id: uuid.UUID | None, kind: str) -> dict[str, Any] | None:
    with db.reading() as session:
        statement = select(Draft).where(Draft.kind == kind)
        statement = statement.where(
            col(Draft.worker_id).is_(None) if worker_id is None else Draft.worker_id == worker_id
        )
        draft = session.exec(statement).first()
    if draft is None:
        return None
    try:
        data = json.loads(draft.payload)
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def clear(db: Database, worker_id: uuid.UUID | None, kind: str) -> None:
    with db.transaction() as session:
        statement = delete(Draft).where(Draft.kind == kind)
        statement = statement.where(
            col(Draft.worker_id).is_(None) if worker_id is None else Draft.worker_id == worker_id
        )
        session.exec(statement)  # type: ignore[call-overload]
