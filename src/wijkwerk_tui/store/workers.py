"""Workers (medewerkers): the people who use the app."""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlmodel import col, select

from wijkwerk_tui.domain.activities import ROLES
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.text import clean_line
from wijkwerk_tui.domain.vocab import check_code
from wijkwerk_tui.store.engine import Database
from wijkwerk_tui.store.rows import get_live, stamp_new
from wijkwerk_tui.store.tables import Worker


def add_worker(db: Database, actor: uuid.UUID | None, name: str, role: str = "worker") -> Worker:
    name = clean_line(name, "name", max_len=120, required=True, what="een naam")
    role = check_code(ROLES, role, "role", "rol")
    with db.transaction() as session:
        if session.exec(select(Worker).where(func.lower(Worker.name) == name.lower())).first():
            raise ValidationError("name", "Er is al een medewerker met deze naam.")
        worker = stamp_new(db, actor, Worker(name=name, role=role))
        session.add(worker)
        return worker


def list_workers(db: Database, include_inactive: bool = False) -> list[Worker]:
    with db.reading() as session:
        query = select(Worker).where(col(Worker.deleted_at).is_(None))
        if not include_inactive:
            query = query.where(col(Worker.active).is_(True))
        return list(session.exec(query.order_by(Worker.name)))


def get_worker(db: Database, worker_id: uuid.UUID) -> Worker:
    with db.reading() as session:
        return get_live(session, Worker, worker_id, "Medewerker")


def names(db: Database) -> dict[uuid.UUID, str]:
    """Every worker's name by id, inactive ones included (they made history rows)."""
    with db.reading() as session:
        return {w.id: w.name for w in session.exec(select(Worker))}


def default_worker(db: Database) -> Worker | None:
    """Until login exists (issue 5): the first coordinator, else the first worker."""
    active = list_workers(db)
    coordinators = [w for w in active if w.role == "coordinator"]
    return (coordinators or active or [None])[0]
