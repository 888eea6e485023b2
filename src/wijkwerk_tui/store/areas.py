"""Areas (kernen, dorpen, wijken) and the counts the start screen shows."""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import stamp_new
from wijkwerk_tui.db.tables import Area
from wijkwerk_tui.domain.areas import resolve_area as domain_resolve
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.text import clean_line


def list_areas(db: Database, include_inactive: bool = False) -> list[Area]:
    with db.reading() as session:
        query = select(Area).where(col(Area.deleted_at).is_(None))
        if not include_inactive:
            query = query.where(col(Area.active).is_(True))
        return list(session.exec(query.order_by(col(Area.sort_order), col(Area.name))))


def add_area(db: Database, actor: uuid.UUID | None, name: str) -> Area:
    with db.transaction() as session:
        return create_in(session, db, actor, name)


def create_in(session: Session, db: Database, actor: uuid.UUID | None, name: str) -> Area:
    """A new area inside the caller's transaction (an import may make several)."""
    name = clean_line(name, "name", max_len=80, required=True, what="een naam")
    exists = session.exec(select(Area).where(func.lower(Area.name) == name.lower())).first()
    if exists is not None:
        raise ValidationError("name", "Dit gebied bestaat al.")
    count = session.exec(select(func.count()).select_from(Area)).one()
    area = stamp_new(db, actor, Area(name=name, sort_order=count))
    session.add(area)
    session.flush()
    return area


def resolve_area(db: Database, typed: str) -> Area | None:
    """'rui' -> Ruinen: the first active area (in list order) whose name starts with the text."""
    return domain_resolve(typed, list_areas(db), lambda a: a.name)
