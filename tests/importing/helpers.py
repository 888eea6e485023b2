"""Reading, planning and counting for the import tests."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Area, Contact, LadderStep, Resident, Signal
from wijkwerk_tui.exchange import import_files
from wijkwerk_tui.services import import_plan
from wijkwerk_tui.services.import_plan import Preview


def preview(db: Database, path: Path, **options: object) -> Preview:
    source = import_files.read(path)
    return import_plan.plan(db, source.name, source.digest, source.sheets, **options)  # type: ignore[arg-type]


def live(db: Database) -> dict[str, set[tuple[object, int]]]:
    """Every live row (id, version) of the tables an import writes."""
    with db.reading() as session:
        return {
            m.__tablename__: set(session.execute(select(m.id, m.version).where(m.deleted_at.is_(None))).all())
            for m in (Resident, LadderStep, Contact, Signal, Area)
        }


def counts(db: Database) -> dict[str, int]:
    with db.reading() as session:
        return {
            m.__tablename__: session.execute(
                select(func.count()).select_from(m).where(m.deleted_at.is_(None))
            ).scalar_one()
            for m in (Resident, LadderStep, Contact, Signal, Area)
        }
