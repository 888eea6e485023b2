"""The organisation-wide report: the same queries as a laptop's report, on the hub's PostgreSQL,
which holds every laptop's data. Run on the server by a coordinator of the organisation
(`wijkwerk report --hub`); a laptop's report screen asks for it through the API
(hub.remote_report)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Worker
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.hub.serve import hub_engine


def hub_database(url: str | None) -> Database:
    """The hub's database, opened as a (read-mostly) Database for the report's queries."""
    from wijkwerk_tui.hub.serve import database_url

    return Database(Path("hub"), hub_engine(database_url(url)))


def coordinator(db: Database, name: str | None, what: str = "de rapportage maken") -> Worker:
    """The organisation's coordinator who does this (his name, as on the laptops): the report,
    the retention sweep."""
    if not name:
        raise DomainError("Geef met --user de naam van een coördinator van de organisatie.")
    with db.reading() as session:
        found = session.execute(
            select(Worker).where(col(Worker.name) == name.strip(), col(Worker.active).is_(True))
        ).scalar_one_or_none()
    if found is None or found.role != "coordinator":
        raise DomainError(f"Alleen een coördinator van de organisatie mag {what}.")
    return found
