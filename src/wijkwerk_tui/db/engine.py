"""Opening a database: engine, connection settings, migrations, device id.

One `Database` per open file. Every store function opens its own short session
(`db.transaction()`), so a user action is one transaction and no session is ever
shared between threads.

With a key the file is opened through SQLCipher (`sqlcipher3`, whose wheels bundle
it): every page, the WAL included, is encrypted with that raw 256-bit key. Without a
key it is plain SQLite, which the tests of the store use for speed; the app and the
command line always pass a key (see `security.vault`). Both go through the SQLite that
sqlcipher3 bundles (3.5x), never the system's, so the schema may use what it offers
(aggregate ORDER BY in the ladder summary's triggers) wherever the file is opened.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from wijkwerk_tui.db import bulk_load, capture, migrate, open_lock
from wijkwerk_tui.db.faults import DAMAGED, kind
from wijkwerk_tui.db.in_use import InUseMark, Pace
from wijkwerk_tui.db.read_snapshot import ReadSnapshot
from wijkwerk_tui.db.sync_lock import Busy, one_sync
from wijkwerk_tui.db.write_turn import others_waiting, write_turn
from wijkwerk_tui.domain.clock import Clock, local_today, system_clock
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.domain.hlc import HybridClock, StampError, parse

BUSY_TIMEOUT_MS = 5000
IMMEDIATE = "wijkwerk_immediate"
# Page caches of an encrypted database (KiB). Every page read from disk is decrypted and
# checked, so a large cache pays: the start screen's counts at 100 000 residents take 0.3 s
# with 32 MiB and 1.1 s with 8 MiB. But each connection has its own, and the pool's
# connections, each filled by whichever worker thread used it, held 32 MiB apiece: peak
# memory 190-250 MB. So one connection at a time has the large cache (see `_share_large_cache`).
LARGE_CACHE_KIB = 32 * 1024
SMALL_CACHE_KIB = 2 * 1024


class DatabaseError(DomainError):
    """The file could not be opened as a wijkwerk database. Message is Dutch."""


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
        # Erased and anonymised data is overwritten on disk, not left in free pages.
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A unit of work takes the write lock at its start (waiting up to the busy timeout).
        # A deferred BEGIN that reads first and writes later fails at once with "database is
        # locked" when another connection wrote in between (SQLITE_BUSY_SNAPSHOT in WAL mode),
        # which worker threads (a backup, an audit entry) make likely.
        immediate = connection.get_execution_options().get(IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        # A page that fails SQLCipher's check leaves that connection unable to write
        # ("readonly database") for good: treated like a lost connection, the pool closes its
        # connections, and the next unit of work (a save elsewhere) gets a fresh one.
        if kind(context.original_exception) == DAMAGED:
            context.is_disconnect = True


def cipher_connect(path: Path | str, key: bytes) -> sqlite3.Connection:
    """A SQLCipher connection, keyed before anything else touches it."""
    from sqlcipher3 import dbapi2

    # sqlcipher3 is untyped; its connection has the sqlite3 module's interface.
    connection: sqlite3.Connection = dbapi2.connect(str(path), check_same_thread=False)
    # SQLCipher writes key errors to stderr, which would scribble over the screen.
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    # The small page cache; the app's pool lends the large one per unit of work.
    connection.execute(f"PRAGMA cache_size = -{SMALL_CACHE_KIB}")
    return connection


def plain_connect(path: Path | str) -> sqlite3.Connection:
    """An unencrypted connection, through the same bundled SQLite."""
    from sqlcipher3 import dbapi2

    connection: sqlite3.Connection = dbapi2.connect(str(path), check_same_thread=False)  # see cipher_connect
    return connection


def make_engine(path: Path, key: bytes | None = None) -> Engine:
    from sqlcipher3 import dbapi2

    if key is None:
        engine = create_engine(f"sqlite:///{path}", module=dbapi2, connect_args={"check_same_thread": False})
    else:
        # The URL names no file (the creator opens it), so say which pool to use: SQLAlchemy
        # would otherwise pick the one for in-memory databases, which closes connections
        # when more than five threads (Textual workers) have used it. It keeps two idle
        # connections (with their caches), the one given back last lent first: one for the
        # app's work one after the other, one for work at the same time (a search sharing a
        # read snapshot during a sync, db.read_snapshot, holds the other). More at the same
        # time get a new one (~1 ms to open), closed when given back; at most 15 at once.
        engine = create_engine(
            "sqlite://",
            module=dbapi2,
            creator=lambda: cipher_connect(path, key),
            poolclass=QueuePool,
            pool_size=2,
            max_overflow=13,
            pool_use_lifo=True,
        )
        _share_large_cache(engine)
    _configure_sqlite(engine)
    return engine


def _share_large_cache(engine: Engine) -> None:
    """One connection at a time has the large page cache: the first unit of work (a
    transaction) on a connection takes it unless another connection holds it, and the
    connection gives it back when it returns to the pool; work that runs meanwhile in other
    threads has the small cache. Working one after the other, as the app mostly does, every
    unit of work has the large cache, on the same warm connection."""
    lock = threading.Lock()
    holder: list[object] = []  # the DBAPI connection that has the large cache, if any

    @event.listens_for(engine, "begin")
    def _take(connection: Connection) -> None:
        raw = connection.connection.dbapi_connection
        with lock:
            large = not holder or holder[0] is raw
            if not holder:
                holder.append(raw)
        # Setting the small size also frees what this connection cached beyond it.
        cursor = connection.connection.cursor()
        cursor.execute(f"PRAGMA cache_size = -{LARGE_CACHE_KIB if large else SMALL_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "checkin")
    def _give_back(dbapi_connection: object, _record: object) -> None:
        with lock:
            if holder and holder[0] is dbapi_connection:
                holder.clear()


class Database:
    """An open wijkwerk database with its clock."""

    def __init__(self, path: Path, engine: Engine, clock: Clock = system_clock, key: bytes | None = None) -> None:
        self.path = path
        self.engine = engine
        self.clock = clock
        self.key = key  # the raw database key (backups are keyed with it); None: plain SQLite
        self.device_id = ""
        # Sync (db.capture): on once this laptop joined a hub; the clock of its changes; who
        # is signed in (the outbox says who made a change).
        self.sync_on = False
        self.hlc = HybridClock("")
        self.actor: uuid.UUID | None = None
        self._writer = engine.execution_options(**{IMMEDIATE: True})
        self._file = engine.dialect.name == "sqlite"  # (the hub's PostgreSQL has no file to take turns on)
        self._snapshot = ReadSnapshot(engine)
        self._in_use = InUseMark(path)  # (touched by reads during a sync elsewhere: db.in_use)
        self.held: open_lock.OpenLock | None = None  # this file is open (db.open_lock); let go at close

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def now(self) -> datetime:
        return self.clock().astimezone(UTC)

    def today(self) -> date:
        return local_today(self.clock)

    @contextmanager
    def transaction(self, bookkeeping: bool = False) -> Iterator[Session]:
        """One unit of work: commits at the end, rolls back everything on error.
        `bookkeeping`: what it writes shows in no search or file (a view's audit entry), so
        a read snapshot shared during a sync may stay (db.read_snapshot)."""
        try:
            with (
                # (half the busy timeout: a writer that gets no turn still waits for SQLite's lock)
                write_turn(self.path, BUSY_TIMEOUT_MS / 2000) if self._file else nullcontext(),
                Session(self._writer, expire_on_commit=False) as session,
                session.begin(),
            ):
                session.info[capture.CAPTURE] = self
                yield session
        finally:
            if not bookkeeping:
                self._snapshot.wrote()  # (after the commit: a search from now on sees it)

    def joined(self, session: Session) -> bool:
        """Whether this file is joined to a hub (its changes go into the outbox), asked of the
        file, in the caller's transaction, as long as this process has not seen it joined:
        another process may have joined it since it was opened (`wijkwerk hub join` beside the
        open app), and what is saved here from then on must travel too. (A join is not undone
        while the file is open: once seen, it is remembered.)"""
        if not self.sync_on:
            found = session.execute(text("SELECT value FROM setting WHERE key = :k"), {"k": HUB_URL}).scalar()
            self.sync_on = bool(found)
        return self.sync_on

    def writers_waiting(self) -> bool:
        """Whether another writer waits for the turn this one holds (db.write_turn)."""
        return self._file and others_waiting(self.path)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def reading_recent(self) -> Iterator[Session]:
        """A read that may see the file as it was a moment ago while a sync runs elsewhere
        (db.read_snapshot: for search-as-you-type); otherwise `reading`. During such a sync
        it also tells the sync that a worker is reading (db.in_use)."""
        if self._file and self._snapshot.syncs_elsewhere:
            self._in_use.touch()
        with self._snapshot.reading() as shared:
            if shared is not None:
                yield shared
        if shared is None:
            with self.reading() as session:
                yield session

    def pace(self) -> Pace:
        """For a sync taking pages in beside the app: rests while a worker reads (db.in_use)."""
        return Pace(self.path)

    def syncing_elsewhere(self) -> AbstractContextManager[None]:
        """Around a sync run by another process on this file (services.sync_process)."""
        return self._snapshot.sync_elsewhere()

    def close(self) -> None:
        self._snapshot.end()
        self.engine.dispose()
        if self.held is not None:
            self.held.release()


def open_database(
    path: Path | str, clock: Clock = system_clock, key: bytes | None = None, held: open_lock.OpenLock | None = None
) -> Database:
    """Open (creating or upgrading as needed) the database at `path`, with `key` if encrypted.
    `held`: the caller holds the file's open lock already (and lets go of it itself)."""
    path = Path(path).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    own = None
    if held is None:
        try:
            own = open_lock.shared(path)
        except open_lock.InUse:
            raise DatabaseError(IN_USE) from None
    try:
        db = _open_file(path, clock, key)
    except BaseException:
        if own is not None:
            own.release()
        raise
    db.held = own
    return db


IN_USE = (
    "De database krijgt op dit moment een nieuwe sleutel (een account is uitgeschakeld). "
    "Probeer het over een minuut opnieuw; er is niets veranderd."
)


def _open_file(path: Path, clock: Clock, key: bytes | None) -> Database:
    if not path.exists():
        # Only this user may read it; SQLite gives the WAL and shm files the same mode.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if path.exists() and path.stat().st_size > 0:
        plain = looks_like_sqlite(path)
        if key is None and not plain:
            raise DatabaseError("Dit bestand is versleuteld, beschadigd of geen wijkwerk-database.")
        if key is not None and plain:
            raise DatabaseError("Dit bestand is niet versleuteld; wijkwerk opent het zo niet.")
    engine = make_engine(path, key)
    try:
        with engine.connect() as connection:  # a wrong key or a damaged file fails here
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        _restore_left(engine, path)  # (before migrating: what it builds is of the file's own schema)
        migrate.upgrade(engine)
    except Exception as error:  # the message may hold SQL, never show it
        engine.dispose()
        raise DatabaseError("De database kon niet worden geopend: beschadigd of onleesbaar.") from error
    db = Database(path, engine, clock, key)
    db.device_id = _ensure_device_id(db)
    _start_sync_clock(db)
    return db


def looks_like_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"


def _ensure_device_id(db: Database) -> str:
    with db.transaction() as session:
        row = session.execute(text("SELECT value FROM setting WHERE key = 'device_id'")).first()
        if row:
            return str(row[0])
        device_id = str(uuid.uuid4())
        session.execute(text("INSERT INTO setting (key, value) VALUES ('device_id', :v)"), {"v": device_id})
        return device_id


def _restore_left(engine: Engine, path: Path) -> None:
    """Indexes and triggers a join dropped and could not build again (db.bulk_load). Not while
    a sync runs (its join builds them at its end), and a file that is busy or full opens all
    the same: it reads right without them, and the next opening tries again."""
    with engine.connect() as connection:
        if not connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'setting'").first():
            return  # (a new file)
        left = connection.execute(text("SELECT 1 FROM setting WHERE key = :k"), {"k": bulk_load.SUSPENDED}).first()
    if not left:
        return
    try:
        with (
            one_sync(path),
            write_turn(path, BUSY_TIMEOUT_MS / 2000),
            engine.execution_options(**{IMMEDIATE: True}).begin() as connection,
        ):
            bulk_load.restore(connection)
    except (Busy, OperationalError):
        return


HUB_URL = "hub.url"  # setting: where this laptop syncs; set on joining (sync.client)
HUB_CLOCK = "hub.hlc"  # setting: the latest clock stamp seen from the hub


def restart_sync_clock(db: Database) -> None:
    """After a sync in another process (services.sync_process): the device id it may have
    changed (a restored or copied laptop), and a clock that goes on after what it wrote and saw."""
    with db.reading() as session:
        device = session.execute(text("SELECT value FROM setting WHERE key = 'device_id'")).scalar()
    db.device_id = str(device or db.device_id)
    _start_sync_clock(db)


def _start_sync_clock(db: Database) -> None:
    """Whether changes are captured, and a clock that goes on from the last stamp written."""
    with db.reading() as session:
        joined = session.execute(text("SELECT value FROM setting WHERE key = :k"), {"k": HUB_URL}).scalar()
        mine = session.execute(text("SELECT max(hlc) FROM outbox")).scalar()
        seen = session.execute(text("SELECT value FROM setting WHERE key = :k"), {"k": HUB_CLOCK}).scalar()
    db.sync_on = bool(joined)
    db.hlc = HybridClock(db.device_id)
    for last in (mine, seen):
        try:
            if last:
                db.hlc.seen(parse(str(last)), db.now())
        except StampError:
            continue
