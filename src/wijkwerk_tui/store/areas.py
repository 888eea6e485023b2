"""Areas (kernen, dorpen, wijken) and the counts the start screen shows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import col, select

from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.text import clean_line
from wijkwerk_tui.store.engine import Database
from wijkwerk_tui.store.rows import stamp_new
from wijkwerk_tui.store.tables import Area, Resident, Signal


def list_areas(db: Database, include_inactive: bool = False) -> list[Area]:
    with db.reading() as session:
        query = select(Area).where(col(Area.deleted_at).is_(None))
        if not include_inactive:
            query = query.where(col(Area.active).is_(True))
        return list(session.exec(query.order_by(Area.sort_order, Area.name)))


def add_area(db: Database, actor: uuid.UUID | None, name: str) -> Area:
    name = clean_line(name, "name", max_len=80, required=True, what="een naam")
    with db.transaction() as session:
        exists = session.exec(select(Area).where(func.lower(Area.name) == name.lower())).first()
        if exists is not None:
            raise ValidationError("name", "Dit gebied bestaat al.")
        count = session.exec(select(func.count()).select_from(Area)).one()
        area = stamp_new(db, actor, Area(name=name, sort_order=count))
        session.add(area)
        return area


@dataclass(frozen=True)
class AreaCount:
    area_id: uuid.UUID | None
    name: str
    residents: int
    open_signals: int


def area_counts(db: Database) -> list[AreaCount]:
    """Residents and open signals per area, for the start screen."""
    with db.reading() as session:
        residents = dict(
            session.exec(
                select(Resident.area_id, func.count())
                .where(col(Resident.deleted_at).is_(None), col(Resident.anonymised_at).is_(None))
                .group_by(Resident.area_id)
            ).all()
        )
        signals = dict(
            session.exec(
                select(Signal.area_id, func.count())
                .where(col(Signal.deleted_at).is_(None), col(Signal.status).in_(signal_rules.OPEN_STATUSES))
                .group_by(Signal.area_id)
            ).all()
        )
        areas = session.exec(
            select(Area).where(col(Area.deleted_at).is_(None)).order_by(Area.sort_order, Area.name)
        ).all()
    return [AreaCount(a.id, a.name, residents.get(a.id, 0), signals.get(a.id, 0)) for a in areas]
