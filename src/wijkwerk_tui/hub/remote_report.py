"""The organisation's report data for a laptop's report screen (POST /v1/report): the same
queries as `wijkwerk report --hub`, the counts sent as typed JSON (domain.wire)."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlmodel import col

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Area
from wijkwerk_tui.domain.report import Period
from wijkwerk_tui.domain.wire import to_wire
from wijkwerk_tui.hub.coordinators import NotForYou, coordinator
from wijkwerk_tui.queries import report_data


def for_laptop(engine: Engine, worker_id: uuid.UUID, start: date, end: date, area: str | None) -> dict[str, Any]:
    """The organisation's report data for a laptop's report screen, which builds and shows it
    as its own: the same numbers as `wijkwerk report --hub`. Only for a worker who is a
    coordinator at the hub (under the organisation's id of him); an area is named, since its
    id may differ per laptop."""
    db = Database(Path("hub"), engine)
    with engine.connect() as connection:
        worker, _name = coordinator(
            connection,
            worker_id,
            "Alleen een coördinator van de organisatie mag de rapportage over de hele organisatie zien.",
        )
        area_id = None
        if area is not None:
            area_id = connection.execute(
                select(col(Area.id)).where(col(Area.name) == area, col(Area.deleted_at).is_(None))
            ).scalar()
            if area_id is None:
                raise NotForYou("De hub kent dit gebied niet; synchroniseer eerst.")
    return {"rapport": to_wire(report_data.load(db, worker, Period(start, end, area_id)))}
