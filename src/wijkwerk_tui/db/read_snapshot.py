"""While the app's sync process writes, searches and opened files share one read snapshot.

Each commit by another connection makes a connection drop its whole page cache at its next
read (SQLite in WAL mode), and SQLCipher then decrypts every page it reads again: a search
right after one of the sync's commits took 1.6x as long at 100 000 residents
(benchmarks/cache_after_commit.py). While a sync runs in another process
(`Database.syncing_elsewhere`), searches and opened files share one read transaction for up
to HOLD_S: they see the file as it was at most that long ago (a resident the sync brings
shows a moment later), never from before this process's own last write. Outside a sync
nothing changes: every read is a transaction of its own.

A held snapshot also holds back SQLite's checkpoints, so it never outlives the sync, a write
of this process (an erasure folds the WAL back into the file right after), or closing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlmodel import Session

HOLD_S = 2.0


class ReadSnapshot:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()  # one user at a time; others read on their own
        self._session: Session | None = None
        self._taken = 0.0
        self._seen_writes = 0
        self._writes = 0  # this process's commits
        self._syncs = 0  # syncs running in another process

    @contextmanager
    def reading(self) -> Iterator[Session | None]:
        """The shared session, or None: no sync runs, or another thread is using it."""
        if not self._syncs or not self._lock.acquire(blocking=False):
            yield None
            return
        try:
            if self._session is None or self._seen_writes != self._writes or self._age() > HOLD_S:
                self._end()
                self._session = Session(self._engine, expire_on_commit=False)
                self._taken, self._seen_writes = time.monotonic(), self._writes
            yield self._session
            if self._seen_writes != self._writes or not self._syncs:
                self._end()  # (this process wrote, or the sync ended, meanwhile)
        except BaseException:
            self._end()
            raise
        finally:
            self._lock.release()

    @property
    def syncs_elsewhere(self) -> bool:
        return self._syncs > 0

    @contextmanager
    def sync_elsewhere(self) -> Iterator[None]:
        self._syncs += 1
        try:
            yield
        finally:
            self._syncs -= 1
            self.end()

    def wrote(self) -> None:
        """This process committed: the next search sees it (and the snapshot lets go now)."""
        self._writes += 1
        if self._lock.acquire(blocking=False):
            try:
                self._end()
            finally:
                self._lock.release()

    def end(self) -> None:
        with self._lock:
            self._end()

    def _age(self) -> float:
        return time.monotonic() - self._taken

    def _end(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            session.close()  # (ends the read transaction; the connection goes back to the pool)
