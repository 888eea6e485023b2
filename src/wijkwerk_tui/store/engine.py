"""Opening a database: engine, connection settings, migrations, device id.

One `Database` per open file. Every store function opens its own short session
(`db.transaction()`), so a user action is one transaction and no session is ever
shared between threads.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, create_engine, event, text
from sqlmodel import Session

from wijkwerk_tui.store import migrate

LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")
BUSY_TIMEOUT_MS = 5000

Clock = Callable[[], datetime]


class DatabaseError(Exception):
    """The file could not be opened as a wijkwerk database. Message is Dutch."""


def system_clock() -> datetime:
    return datetime.now(UTC)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy, not pysqlite, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: object) -> None:
        connection.exec_driver_sql("BEGIN")  # type: ignore[attr-defined]


def make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False},
    )
    _configure_sqlite(engine)
    return engine


class Database:
    """An open wijkwerk database with its clock."""

    def __init__(self, path: Path, engine: Engine, clock: Clock = system_clock) -> None:
        self.path = path
        self.engine = engine
        self.clock = clock
        self.device_id = ""

    def now(self) -> datetime:
        return self.clock().astimezone(UTC)

    def today(self) -> date:
        return self.clock().astimezone(LOCAL_ZONE).date()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits at the end, rolls back everything on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_database(path: Path | str, clock: Clock = system_clock) -> Database:
    """Open (creating or upgrading as needed) the database at `path`."""
    path = Path(path).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.stat().st_size > 0 and not _looks_like_sqlite(path):
        raise DatabaseError("Dit bestand is geen wijkwerk-database of is beschadigd.")
    engine = make_engine(path)
    try:
        migrate.upgrade(engine)
    except Exception as error:  # the message may hold SQL, never show it
        engine.dispose()
        raise DatabaseError("De database kon niet worden geopend of bijgewerkt.") from error
    db = Database(path, engine, clock)
    db.device_id = _ensure_device_id(db)
    return db


def _looks_like_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"


def _ensure_device_id(db: Database) -> str:
    with db.transaction() as session:
        row = session.execute(text("SELECT value FROM setting WHERE key = 'device_id'")).first()
        if row:
            return str(row[0])
        device_id = str(uuid.uuid4())
        session.execute(
            text("INSERT INTO setting (key, value) VALUES ('device_id', :v)"), {"v": device_id}
        )
        return device_id
