"""Who has a database file open, across processes: a lock file beside it.

Every program that opens the file (the app, `wijkwerk sync`, the app's sync process) holds a
shared lock on `<file>.open-lock` while it is open. Giving the database a new key
(security.rekey) swaps the file for a copy, and a program that still had the old file open
would go on writing to a file nobody reads: so a new key needs the lock alone, and waits for
the next chance while anyone else has the file open.

Without `fcntl` (Windows) or on a file system without locks nothing is held: there the swap
relies on SQLite's own exclusive lock, taken for the copy.
"""

from __future__ import annotations

import os
import time
from contextlib import suppress
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

WAIT_S = 120.0  # an opening waits this long for a new key being given (a 100k file: ~20 s)
POLL_S = 0.05


class InUse(Exception):
    """Another program has the file open (or is giving it a new key)."""


class OpenLock:
    """A held lock on one database file: shared (open) or exclusive (alone with it)."""

    def __init__(self, path: Path, handle: int, exclusive: bool) -> None:
        self.path = path
        self._handle = handle
        self.exclusive = exclusive

    def release(self) -> None:
        if self._handle >= 0:
            with suppress(OSError):
                os.close(self._handle)  # (closing the descriptor lets go of the lock)
            self._handle = -1

    def __enter__(self) -> OpenLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _handle(path: Path) -> int:
    if fcntl is None:
        return -1
    try:
        return os.open(f"{path}.open-lock", os.O_CREAT | os.O_RDWR, 0o600)
    except OSError:
        return -1  # (a read-only folder: the opening itself says so)


def shared(path: Path, wait_s: float = WAIT_S) -> OpenLock:
    """Held while the file is open. Waits while a new key is being given; InUse after `wait_s`."""
    handle = _handle(path)
    if handle < 0:
        return OpenLock(path, handle, False)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return OpenLock(path, handle, False)
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(handle)
                raise InUse from None
            time.sleep(POLL_S)
        except OSError:
            return OpenLock(path, handle, False)  # (no locks on this file system)


def alone(path: Path) -> OpenLock:
    """The lock when nobody else has the file open; InUse at once otherwise."""
    handle = _handle(path)
    if handle < 0:
        return OpenLock(path, handle, True)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        raise InUse from None
    except OSError:
        pass  # (no locks on this file system)
    return OpenLock(path, handle, True)
