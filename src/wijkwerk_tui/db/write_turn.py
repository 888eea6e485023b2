"""Writers of one database file take turns through a lock file, polled every half millisecond.

SQLite makes a writer that finds the file locked sleep and retry with growing pauses (up to
100 ms each), so a save made while the app's sync process wrote waited for the pause, not
for the write. The turn is taken before SQLite's own lock, in every wijkwerk process and
thread that writes; a writer that cannot take it in time (a holder stuck, a file system
without locks, Windows without `fcntl`) goes on to SQLite's lock, which still decides.

A writer that has to wait says so (a shared lock on a second file while it waits), and the
sync asks `others_waiting` as it takes a page in: it commits and lets go as soon as someone
waits, and otherwise commits once per page. Every commit makes each other connection drop
its page cache (and SQLCipher decrypt those pages again on the next read), which made a
search typed during a sync ~2x slower at 100 000 residents when the sync committed every 40
changes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: SQLite's lock alone
    fcntl = None  # type: ignore[assignment]

POLL_S = 0.0005  # between tries while another writer has the turn


@contextmanager
def write_turn(path: Path, timeout_s: float) -> Iterator[None]:
    try:
        handle = os.open(f"{path}.write-turn", os.O_CREAT | os.O_RDWR, 0o600) if fcntl else -1
    except OSError:
        handle = -1  # (a read-only folder)
    if handle < 0:
        yield
        return
    try:
        if not _take(handle):
            with _waiting(path):
                deadline = time.monotonic() + timeout_s
                while not _take(handle) and time.monotonic() <= deadline:
                    time.sleep(POLL_S)
        yield
    finally:
        os.close(handle)  # (closing lets go of the turn)


def others_waiting(path: Path) -> bool:
    """Whether another writer waits for the turn (which the caller holds)."""
    handle = _wanted(path) if fcntl else -1
    if handle < 0:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # (taken only when nobody waits)
        return False
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(handle)


def _take(handle: int) -> bool:
    """The turn, if free; also True where the file system has no locks (SQLite decides)."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    except OSError:
        return True  # (no locks on this file system)


@contextmanager
def _waiting(path: Path) -> Iterator[None]:
    handle = _wanted(path)
    if handle < 0:
        yield
        return
    try:
        with suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_SH)  # (others_waiting holds it only for an instant)
        yield
    finally:
        os.close(handle)


def _wanted(path: Path) -> int:
    """The file a waiting writer holds a shared lock on; -1 where it cannot be opened."""
    try:
        return os.open(f"{path}.write-wanted", os.O_CREAT | os.O_RDWR, 0o600)
    except OSError:
        return -1
